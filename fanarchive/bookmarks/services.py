"""Bookmark writes: save (create, or edit the reader's one bookmark of that item) and delete.

The work's public bookmark count (WorkStats.bookmarks) follows every change through
works/counts.py (a relative UPDATE of that work's own stats row): +1 for a new public bookmark,
±1 when a bookmark is made private or public again, -1 when a public one is deleted. The
reader's own bookmark row is locked while it changes, so two saves of the same bookmark (two
tabs, a double click) never count twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fanarchive.accounts.models import Pseud, User
from fanarchive.core.sanitize import user_html
from fanarchive.tags.names import clean_tag_name, tag_key, tag_name_problem
from fanarchive.works.counts import counts_add, counts_add_many
from fanarchive.works.models import Series, Work

from .models import NOTES_MAX_LENGTH, TAGS_MAX, Bookmark, BookmarkTag


@dataclass(frozen=True)
class BookmarkData:
    """What a reader writes on a bookmark (raw, as typed)."""

    pseud: Pseud
    notes: str = ""
    tags: str = ""  # comma separated
    rec: bool = False
    private: bool = False


def parse_bookmark_tags(value: str) -> list[str]:
    """The tag names in a comma-separated string, cleaned, without repeats (by key). Raises
    ValidationError naming the bad tag (AO3's rules for a tag name; at most TAGS_MAX)."""
    names: list[str] = []
    keys: set[str] = set()
    problems: list[str] = []
    for raw in value.split(","):
        name = clean_tag_name(raw)
        if not name:
            continue
        if problem := tag_name_problem(name):
            problems.append(f"“{name[:60]}”: {problem}")
            continue
        key = tag_key(name)
        if len(key) > BookmarkTag._meta.get_field("key").max_length:  # type: ignore[operator]
            problems.append(f"“{name[:60]}”: this name is too long once normalised")
            continue
        if key not in keys:
            keys.add(key)
            names.append(name)
    if problems:
        raise ValidationError(problems)
    if len(names) > TAGS_MAX:
        raise ValidationError(
            f"A bookmark may have at most {TAGS_MAX} tags; this has {len(names)}."
        )
    return names


def clean_notes(value: str) -> str:
    """The notes as stored: at most NOTES_MAX_LENGTH characters as typed, then sanitized."""
    if len(value) > NOTES_MAX_LENGTH:
        raise ValidationError(
            f"Notes may be at most {NOTES_MAX_LENGTH:,} characters long; these have {len(value):,}."
        )
    return user_html(value) if value.strip() else ""


def _check_pseud(user: User, pseud: Pseud) -> None:
    if pseud.user_id != user.pk:
        raise ValidationError("That pseud is not one of yours.")


def _set_tags(bookmark: Bookmark, names: Sequence[str]) -> None:
    BookmarkTag.objects.filter(bookmark=bookmark).delete()
    BookmarkTag.objects.bulk_create(
        BookmarkTag(bookmark=bookmark, name=name, key=tag_key(name), position=i)
        for i, name in enumerate(names)
    )


@transaction.atomic
def bookmark_save(
    *, user: User, data: BookmarkData, work: Work | None = None, series: Series | None = None
) -> tuple[Bookmark, bool]:
    """Bookmark `work` or `series` for `user`, or edit the bookmark they already have of it
    (one per reader per item). Returns (bookmark, created). The caller has checked that the
    reader may see the item (permissions.access_work / the series selector)."""
    if (work is None) == (series is None):
        raise ValueError("bookmark exactly one work or one series")
    _check_pseud(user, data.pseud)
    notes = clean_notes(data.notes)
    names = parse_bookmark_tags(data.tags)
    item = {"work": work} if work is not None else {"series": series}
    existing = Bookmark.objects.select_for_update().filter(user=user, **item).first()
    if existing is None:
        try:
            with transaction.atomic():
                bookmark = Bookmark.objects.create(
                    user=user,
                    pseud=data.pseud,
                    notes=notes,
                    rec=data.rec,
                    private=data.private,
                    **item,
                )
        except IntegrityError:
            # Saved at the same moment by another request: this one edits it.
            existing = Bookmark.objects.select_for_update().get(user=user, **item)
        else:
            _set_tags(bookmark, names)
            if bookmark.counted and bookmark.work_id is not None:
                counts_add(bookmark.work_id, bookmarks=1)
            return bookmark, True
    was_counted = existing.counted
    existing.pseud = data.pseud
    existing.notes = notes
    existing.rec = data.rec
    existing.private = data.private
    existing.save(update_fields=["pseud", "notes", "rec", "private", "updated_at"])
    _set_tags(existing, names)
    if existing.counted != was_counted and existing.work_id is not None:
        counts_add(existing.work_id, bookmarks=1 if existing.counted else -1)
    return existing, False


@transaction.atomic
def bookmark_update(*, bookmark: Bookmark, user: User, data: BookmarkData) -> Bookmark:
    """Edit `bookmark` (its owner only)."""
    if bookmark.user_id != user.pk:
        raise ValidationError("Only the bookmark's owner can edit it.")
    if bookmark.work_id is not None:
        saved, _ = bookmark_save(user=user, data=data, work=bookmark.work)
    else:
        saved, _ = bookmark_save(user=user, data=data, series=bookmark.series)
    return saved


@transaction.atomic
def bookmark_delete(*, bookmark: Bookmark, user: User) -> None:
    """Delete `bookmark` (its owner only); a public bookmark of a work leaves its count."""
    if bookmark.user_id != user.pk:
        raise ValidationError("Only the bookmark's owner can delete it.")
    locked = Bookmark.objects.select_for_update().filter(pk=bookmark.pk).first()
    if locked is None:  # already deleted (a second click)
        return
    counted, work_id = locked.counted, locked.work_id
    locked.delete()
    if counted and work_id is not None:
        counts_add(work_id, bookmarks=-1)


def on_account_deleted(sender: Any, *, instance: User, **kwargs: Any) -> None:
    """`pre_delete` of an account: its public bookmarks (deleted with it) leave their works'
    counts. Connected for the User model only."""
    work_ids = Bookmark.objects.filter(
        user_id=instance.pk, private=False, work__isnull=False
    ).values_list("work_id", flat=True)
    counts_add_many({work_id: {"bookmarks": -1} for work_id in work_ids if work_id is not None})
