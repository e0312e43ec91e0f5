from django.apps import AppConfig


class HistoryConfig(AppConfig):
    name = "fanarchive.history"
    label = "history"
    verbose_name = "History"

    def ready(self) -> None:
        from fanarchive.core.extensions import register_page_part
        from fanarchive.works.signals import work_read

        from . import parts, services

        work_read.connect(services.on_work_read, dispatch_uid="history.work_read")
        register_page_part("work:actions", parts.work_actions)
        register_page_part("nav:user", parts.nav_link)
