from django.apps import AppConfig


class DownloadsConfig(AppConfig):
    name = "fanarchive.downloads"
    label = "downloads"
    verbose_name = "Downloads"
