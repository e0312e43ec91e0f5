from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "fanarchive.inbox"
    label = "inbox"
    verbose_name = "Inbox"

    def ready(self) -> None:
        from fanarchive.core.extensions import register_page_part

        from .parts import nav_inbox

        register_page_part("nav:user", nav_inbox)
