from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "fanarchive.subscriptions"
    label = "subscriptions"
    verbose_name = "Subscriptions"
