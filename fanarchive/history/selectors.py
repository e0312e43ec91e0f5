"""History reads: a reader's history and Marked for Later list, through the works gate (a work
the reader may no longer see — hidden, made a draft, deleted — is left out)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet

from fanarchive.accounts.models import User
from fanarchive.core.paging import PagedListing
from fanarchive.works.models import Work
from fanarchive.works.permissions import visible_works
from fanarchive.works.selectors import WorkMeta, with_blurb_data, work_meta

from .models import Reading

PER_PAGE = 20
SHOW_TO_READ = "to-read"


def reading_of(*, user: Any, work: Work) -> Reading | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Reading.objects.filter(user=user, work=work).first()


def readings_of(*, user: User, to_read: bool = False) -> QuerySet[Reading]:
    """`user`'s history (newest visit first) or Marked for Later list (newest mark first), of
    works `user` may still see."""
    readings = Reading.objects.filter(user=user, work__in=visible_works(user).values("id"))
    if to_read:
        return readings.filter(to_read=True).order_by("-marked_at", "-id")
    return readings.filter(visits__gt=0).order_by("-last_visited", "-id")


@dataclass
class ReadingEntry:
    reading: Reading
    meta: WorkMeta

    @property
    def updated_since_visit(self) -> bool:
        return self.reading.updated_since_visit(self.meta.work)


def reading_entries(readings: list[Reading]) -> list[ReadingEntry]:
    works = {
        w.pk: work_meta(w)
        for w in with_blurb_data(Work.objects.filter(pk__in=[r.work_id for r in readings]))
    }
    return [ReadingEntry(r, works[r.work_id]) for r in readings if r.work_id in works]


@dataclass
class ReadingListing(PagedListing):
    entries: list[ReadingEntry]


def reading_listing(
    *, user: User, to_read: bool = False, page: int | str | None = 1
) -> ReadingListing:
    """One page of the history or the Marked for Later list. Raises InvalidPage."""
    paginator = Paginator(readings_of(user=user, to_read=to_read), PER_PAGE)
    current = paginator.page(1 if page is None else page)
    return ReadingListing(page=current, entries=reading_entries(list(current.object_list)))


def readings_for_export(
    *, user: User, to_read: bool = False, chunk: int = 500
) -> Iterator[ReadingEntry]:
    ids = list(readings_of(user=user, to_read=to_read).values_list("id", flat=True))
    for start in range(0, len(ids), chunk):
        part = {r.pk: r for r in Reading.objects.filter(pk__in=ids[start : start + chunk])}
        yield from reading_entries([part[i] for i in ids[start : start + chunk] if i in part])
