from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "fanarchive.works"
    label = "works"

    def ready(self) -> None:
        from fanarchive.accounts.signals import pseud_merging
        from fanarchive.tags.signals import tag_filters_changed, tags_renamed

        from .credits import on_pseud_merging
        from .filters import on_tag_filters_changed, on_tags_renamed

        # Wrangling changes what works are filtered under: recompute it in the same transaction.
        tag_filters_changed.connect(on_tag_filters_changed, dispatch_uid="works-refilter")
        # A renamed tag changes the text searched for its works.
        tags_renamed.connect(on_tags_renamed, dispatch_uid="works-renamed-tag")
        # A deleted pseud's works move to the account's default pseud (their bylines change).
        pseud_merging.connect(on_pseud_merging, dispatch_uid="works-pseud-merging")
