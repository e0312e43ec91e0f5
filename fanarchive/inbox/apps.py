from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "fanarchive.inbox"
    label = "inbox"
    verbose_name = "Inbox"
