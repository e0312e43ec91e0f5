"""Background tasks: calibre conversions (django-tasks; the database backend in production,
run by `fanarchive db_worker`; tests run them immediately)."""

from __future__ import annotations

import logging

try:  # Django 6 ships the tasks framework
    from django.tasks import task  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Django 5.2: the backport
    from django_tasks import task

from fanarchive.works.models import Work
from fanarchive.works.permissions import creatorships_prefetch

from . import convert
from .epub import work_epub
from .selectors import is_downloadable, work_download

logger = logging.getLogger(__name__)


@task()
def convert_work(*, work_id: int, ext: str) -> str:
    """Make `ext` of the work's current version; returns the file's path ("" if refused)."""
    work = (
        Work.objects.select_related("stats")
        .prefetch_related(creatorships_prefetch())
        .filter(pk=work_id)
        .first()
    )
    if work is None or not is_downloadable(work):
        return ""
    d = work_download(work)
    path = convert.cache_path(kind="works", object_id=work_id, version=d.version, ext=ext)
    if path.exists():
        convert.release(path, failed=False)
        return str(path)
    try:
        convert.convert_epub(work_epub(d), ext=ext, dest=path)
    except convert.ConversionError:
        logger.exception("could not make %s of work %s", ext, work_id)
        convert.release(path, failed=True)
        return ""
    convert.release(path, failed=False)
    return str(path)
