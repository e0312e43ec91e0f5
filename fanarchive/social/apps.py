from django.apps import AppConfig


class SocialConfig(AppConfig):
    name = "fanarchive.social"
    label = "social"
    verbose_name = "Social"
