from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "fanarchive.history"
    label = "history"
    verbose_name = "History"
