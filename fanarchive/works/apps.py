from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "fanarchive.works"
    label = "works"

    def ready(self) -> None:
        from fanarchive.tags.signals import tag_filters_changed, tags_renamed

        from .filters import on_tag_filters_changed, on_tags_renamed

        # Wrangling changes what works are filtered under: recompute it in the same transaction.
        tag_filters_changed.connect(on_tag_filters_changed, dispatch_uid="works-refilter")
        # A renamed tag changes the text searched for its works.
        tags_renamed.connect(on_tags_renamed, dispatch_uid="works-renamed-tag")
