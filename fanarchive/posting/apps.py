from django.apps import AppConfig


class PostingConfig(AppConfig):
    name = "fanarchive.posting"
    label = "posting"
    verbose_name = "Posting"
