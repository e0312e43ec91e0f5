"""History writes: recording a read, taking works out of the history, Marked for Later.

Recording a read is one statement on the reader's own row of that work — an UPDATE that adds
one visit, or, the first time, an INSERT (a concurrent first visit that loses the race to the
unique constraint turns into the UPDATE) — so readers never wait on each other, and nothing
shared (the work, its stats, a tag) is touched. It runs in a savepoint and never fails the page:
a failed write is logged and the reader still gets the work.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from fanarchive.accounts.models import User
from fanarchive.accounts.selectors import preferences_for
from fanarchive.works.models import Chapter, Work
from fanarchive.works.permissions import is_creator

from .models import Reading

logger = logging.getLogger(__name__)


def should_record(user: Any, work: Work) -> bool:
    """Whether a read of `work` by `user` goes into the history: a logged-in reader with
    history on, a posted work, not one of the reader's own (AO3 keeps none of those)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if not work.posted or is_creator(user, work):
        return False
    return bool(preferences_for(user).history_enabled)


def _chapter_number(work: Work, chapter: Chapter | None) -> int:
    if chapter is None:
        return work.chapter_count
    return Chapter.objects.filter(
        work_id=work.pk, posted=True, position__lte=chapter.position
    ).count()


def reading_record(*, user: User, work: Work, chapter: Chapter | None) -> None:
    """Note a visit of `work` (at `chapter`, None for the entire work) in `user`'s history."""
    values: dict[str, Any] = {
        "last_visited": timezone.now(),
        "chapter_id": chapter.pk if chapter is not None else None,
        "chapter_number": _chapter_number(work, chapter),
        "seen_updated": work.updated,
        "seen_chapter_count": work.chapter_count,
    }
    mine = Reading.objects.filter(user_id=user.pk, work_id=work.pk)
    with transaction.atomic():
        if mine.update(visits=F("visits") + 1, **values):
            return
        try:
            with transaction.atomic():
                Reading.objects.create(user_id=user.pk, work_id=work.pk, visits=1, **values)
        except IntegrityError:
            mine.update(visits=F("visits") + 1, **values)


def on_work_read(
    sender: Any, *, request: Any, work: Work, chapter: Chapter | None, **kw: Any
) -> None:
    """The `work_read` receiver: record the read when the reader keeps a history."""
    user = getattr(request, "user", None)
    if user is None or not should_record(user, work):
        return
    try:
        reading_record(user=user, work=work, chapter=chapter)
    except DatabaseError:
        logger.warning("could not record a read of work %s", work.pk, exc_info=True)


@transaction.atomic
def reading_remove(*, user: User, work_id: int) -> bool:
    """Take one work out of `user`'s history (kept, without the visits, if marked for later).
    Returns whether there was such an entry."""
    mine = Reading.objects.filter(user=user, work_id=work_id, visits__gt=0)
    if not mine.exists():
        return False
    mine.filter(to_read=False).delete()
    mine.update(visits=0, last_visited=None, chapter=None, chapter_number=0)
    return True


@transaction.atomic
def history_clear(*, user: User) -> int:
    """Empty `user`'s history; works marked for later stay marked. Returns how many left."""
    count = Reading.objects.filter(user=user, visits__gt=0).count()
    Reading.objects.filter(user=user, to_read=False).delete()
    Reading.objects.filter(user=user, visits__gt=0).update(
        visits=0, last_visited=None, chapter=None, chapter_number=0
    )
    return count


def mark_for_later(*, user: User, work: Work) -> None:
    """Put `work` on `user`'s Marked for Later list (the caller checked they may see it)."""
    now = timezone.now()
    mine = Reading.objects.filter(user=user, work=work)
    with transaction.atomic():
        if mine.update(to_read=True, marked_at=now):
            return
        try:
            with transaction.atomic():
                Reading.objects.create(user=user, work=work, to_read=True, marked_at=now)
        except IntegrityError:
            mine.update(to_read=True, marked_at=now)


@transaction.atomic
def mark_as_read(*, user: User, work_id: int) -> None:
    """Take the work off the Marked for Later list (a row only marked, never read, goes)."""
    Reading.objects.filter(user=user, work_id=work_id, to_read=True, visits=0).delete()
    Reading.objects.filter(user=user, work_id=work_id).update(to_read=False, marked_at=None)
