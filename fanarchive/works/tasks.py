"""Background tasks of the works app: scheduled posting (django-tasks; the database backend
runs them in `fanarchive db_worker`, which `fanarchive serve` starts beside the server).
`fanarchive works post-due` does the same for anything a worker missed."""

from __future__ import annotations

try:  # Django 6 ships the tasks framework
    from django.tasks import task  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Django 5.2: the backport
    from django_tasks import task

from .services import works_post_due


@task()
def post_due_work(*, work_id: int) -> bool:
    """Post the scheduled draft `work_id` if its time has come (a moved schedule: nothing)."""
    works, _chapters = works_post_due(work_ids=[work_id])
    return bool(works)
