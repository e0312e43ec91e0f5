from django.apps import AppConfig


class BookmarksConfig(AppConfig):
    name = "fanarchive.bookmarks"
    label = "bookmarks"
    verbose_name = "Bookmarks"

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from fanarchive.accounts.models import User
        from fanarchive.core.extensions import register_page_part

        from . import parts, services

        register_page_part("work:actions", parts.work_actions)
        register_page_part("nav:user", parts.nav_link)
        pre_delete.connect(
            services.on_account_deleted, sender=User, dispatch_uid="bookmarks.account_deleted"
        )
