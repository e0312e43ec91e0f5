from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "fanarchive.stats"
    label = "stats"
    verbose_name = "Stats"

    def ready(self) -> None:
        from fanarchive.core.extensions import Part, register_page_part
        from fanarchive.works import signals

        from . import hits

        signals.work_read.connect(hits.on_work_read, dispatch_uid="stats.hits.read")
        cached = getattr(signals, "work_read_cached", None)  # the guest page cache's reads
        if cached is not None:
            cached.connect(hits.on_work_read_cached, dispatch_uid="stats.hits.read_cached")

        def statistics_link(request: object, **objects: object) -> Part | None:
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return None
            return Part("stats/_nav.html")

        register_page_part("nav:user", statistics_link, uid="stats.nav")
