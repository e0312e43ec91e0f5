"""Background tasks of the stats app (django-tasks; the database backend runs them in
`fanarchive db_worker`, which `fanarchive serve` starts beside the server)."""

from __future__ import annotations

try:  # Django 6 ships the tasks framework
    from django.tasks import task  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Django 5.2: the backport
    from django_tasks import task

from .rollup import hits_rollup


@task()
def rollup_hits() -> int:
    """Add the hits recorded since the last roll-up to the counters (queued by hits.py
    `schedule_rollup` about once a minute while readers come). Returns the hits counted."""
    return hits_rollup().hits
