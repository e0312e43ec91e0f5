from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "fanarchive.comments"
    label = "comments"
    verbose_name = "Comments"
