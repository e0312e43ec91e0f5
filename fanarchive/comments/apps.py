from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "fanarchive.comments"
    label = "comments"
    verbose_name = "Comments"

    def ready(self) -> None:
        from fanarchive.core.extensions import register_page_part

        from . import receivers  # noqa: F401 (connects the chapter-deletion receiver)
        from .parts import feedback_part

        register_page_part("work:feedback", feedback_part)
