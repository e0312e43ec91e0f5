from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "fanarchive.search"
    label = "search"

    def ready(self) -> None:
        from fanarchive.works.signals import register_bulk_deferral, works_changed, works_deleted

        from .engine import changes
        from .services import on_works_changed, on_works_deleted
        from .text.deferred import deferred_indexing

        works_changed.connect(on_works_changed, dispatch_uid="search.text.changed")
        works_deleted.connect(on_works_deleted, dispatch_uid="search.text.deleted")
        # Bulk writers (the importer) get the index written beside them, done when they end.
        register_bulk_deferral("search.text", deferred_indexing)
        # The engine's change log, written in the transaction of each change.
        changes.connect()
