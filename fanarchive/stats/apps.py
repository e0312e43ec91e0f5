from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "fanarchive.stats"
    label = "stats"
    verbose_name = "Stats"
