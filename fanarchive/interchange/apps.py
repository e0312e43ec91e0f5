from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "fanarchive.interchange"
    label = "interchange"
