from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "fanarchive.search"
    label = "search"

    def ready(self) -> None:
        from fanarchive.works.signals import works_changed, works_deleted

        from .services import on_works_changed, on_works_deleted

        works_changed.connect(on_works_changed, dispatch_uid="search.text.changed")
        works_deleted.connect(on_works_deleted, dispatch_uid="search.text.deleted")
