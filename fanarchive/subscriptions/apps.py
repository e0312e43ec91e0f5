from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "fanarchive.subscriptions"
    label = "subscriptions"
    verbose_name = "Subscriptions"

    def ready(self) -> None:
        from django.db.models.signals import pre_delete

        from fanarchive.accounts.models import User
        from fanarchive.core.extensions import register_page_part
        from fanarchive.works.signals import chapter_posted, work_posted

        from . import services
        from .notifications import on_chapter_posted, on_work_posted
        from .parts import profile_actions, work_actions

        register_page_part("work:actions", work_actions)
        register_page_part("profile:actions", profile_actions)
        pre_delete.connect(
            services.on_account_deleted, sender=User, dispatch_uid="subscriptions-account-deleted"
        )
        work_posted.connect(on_work_posted, dispatch_uid="subscriptions-work-posted")
        chapter_posted.connect(on_chapter_posted, dispatch_uid="subscriptions-chapter-posted")
