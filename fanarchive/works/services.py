"""Work writes: storing a work with its chapters, creators, tags and series."""

from __future__ import annotations

import datetime
import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import F, Model
from django.utils import timezone

from fanarchive.accounts.models import Pseud, User
from fanarchive.core.bulk import COPY_FROM, insert_rows, logged_copy
from fanarchive.core.sanitize import sanitize_html
from fanarchive.core.text import count_words, count_words_in_text
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.services import tags_find_or_create

from .filters import work_filters_create, work_filters_recompute
from .models import (
    COMMENTS_EVERYONE,
    Chapter,
    CreatorInvitation,
    Creatorship,
    Series,
    SeriesWork,
    Work,
    WorkStats,
    WorkTag,
)
from .signals import work_posted, works_changed, works_deleted

try:  # Django 6 ships the tasks framework
    from django.tasks.exceptions import InvalidTaskError  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Django 5.2: the backport
    from django_tasks.exceptions import InvalidTaskError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ChapterDraft:
    text: str  # HTML; sanitized when stored
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    published: datetime.date | None = None  # default: the work's (the last one: its updated)


@dataclass(frozen=True)
class WorkDraft:
    """Everything a work is made of. HTML fields are sanitized by the service; word and chapter
    counts are derived by it."""

    title: str
    creators: Sequence[Pseud]
    chapters: Sequence[ChapterDraft]
    published: datetime.date
    updated: datetime.date | None = None  # default: published
    tags: Sequence[Tag] = ()  # in the order written
    language: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    complete: bool = True
    expected_chapters: int | None = 1
    restricted: bool = False
    posted: bool = True
    series: Sequence[tuple[str, int]] = ()  # (series title, part number)
    source_header: Any = None
    publish_at: datetime.datetime | None = None  # a draft with it is posted then (scheduled)
    comment_permission: str = COMMENTS_EVERYONE
    moderated_comments: bool = False


def _check(draft: WorkDraft) -> None:
    problems = []
    if not draft.title.strip():
        problems.append("a work has a title")
    if not draft.creators:
        problems.append("a work has at least one creator")
    if not draft.chapters:
        problems.append("a work has at least one chapter")
    if draft.expected_chapters is not None and draft.expected_chapters < len(draft.chapters):
        problems.append("expected chapters cannot be fewer than posted chapters")
    if problems:
        raise ValidationError(problems)


_SIMPLE_TAGS = re.compile(r"</?p>|<br\s*/?>")


def _clean(text: str) -> str:
    """`sanitize_html`, skipped for HTML whose only tags are <p> and <br> (what plain text
    becomes): it has nothing the sanitizer would remove."""
    if "<" not in _SIMPLE_TAGS.sub("", text):
        return text
    return sanitize_html(text)


def html_word_count(text: str) -> int:
    """`count_words` for the archive's HTML. Paragraph-and-line-break HTML (what plain text
    becomes) is counted without an HTML parser: a tag separates words just as a text-node
    boundary does, so the figure is the same, several times faster."""
    stripped = _SIMPLE_TAGS.sub(" ", text)
    if "<" in stripped:
        return count_words(text)
    return count_words_in_text(html.unescape(stripped))


def _clean_and_count(text: str) -> tuple[str, int]:
    """`_clean(text)` and its `html_word_count`, with one pass over paragraph-and-line-break
    HTML (the chapters of imported plain text)."""
    stripped = _SIMPLE_TAGS.sub(" ", text)
    if "<" not in stripped:
        return text, count_words_in_text(html.unescape(stripped))
    clean = sanitize_html(text)
    return clean, html_word_count(clean)


@cache
def _sequence_reset_sql() -> tuple[str, ...]:
    return tuple(connection.ops.sequence_reset_sql(no_style(), [Work]))


def _fill(work: Work, draft: WorkDraft) -> list[Chapter]:
    work.title = " ".join(draft.title.split())
    work.summary = _clean(draft.summary)
    work.notes = _clean(draft.notes)
    work.end_notes = _clean(draft.end_notes)
    work.language = draft.language
    work.complete = draft.complete
    work.expected_chapters = draft.expected_chapters
    work.published = draft.published
    work.updated = draft.updated or draft.published
    work.restricted = draft.restricted
    work.posted = draft.posted
    work.source_header = draft.source_header
    work.publish_at = None if draft.posted else draft.publish_at
    work.comment_permission = draft.comment_permission
    work.moderated_comments = draft.moderated_comments
    chapters = []
    last = len(draft.chapters)
    for position, chapter in enumerate(draft.chapters, start=1):
        text, words = _clean_and_count(chapter.text)
        published = chapter.published or (work.updated if position == last else work.published)
        chapters.append(
            Chapter(
                position=position,
                title=" ".join(chapter.title.split()),
                summary=sanitize_html(chapter.summary) if chapter.summary else "",
                notes=sanitize_html(chapter.notes) if chapter.notes else "",
                end_notes=sanitize_html(chapter.end_notes) if chapter.end_notes else "",
                text=text,
                word_count=words,
                published=published,
            )
        )
    work.chapter_count = len(chapters)
    work.word_count = sum(chapter.word_count for chapter in chapters)
    return chapters


def _series_for(drafts: Sequence[WorkDraft]) -> list[list[tuple[Series | None, str, int]]]:
    """For each draft, each (series, title, position): the series of that title that already
    holds a work by the draft's first creator's account (the oldest such), or None (to be
    created). One query for all the drafts."""
    wanted = [
        [(" ".join(title.split()), position) for title, position in draft.series]
        for draft in drafts
    ]
    titles = {title for parts in wanted for title, _position in parts}
    found: dict[tuple[str, int], Series] = {}
    if titles:
        users = {draft.creators[0].user_id for draft in drafts if draft.series}
        rows = (
            Series.objects.filter(
                title__in=titles, series_works__work__creatorships__pseud__user_id__in=users
            )
            .annotate(owner=F("series_works__work__creatorships__pseud__user_id"))
            .order_by("id")
        )
        for series in rows:
            found.setdefault((series.title, series.owner), series)
    return [
        [
            (found.get((title, draft.creators[0].user_id)), title, position)
            for title, position in parts
        ]
        for draft, parts in zip(drafts, wanted, strict=True)
    ]


def _store_relations(
    works: Sequence[Work],
    drafts: Sequence[WorkDraft],
    chapters: Sequence[list[Chapter]],
    series: Sequence[list[tuple[Series | None, str, int]]],
) -> None:
    """Chapters, creatorships, tags and series of stored works, one bulk insert per table. A
    series none of them found is created once, and shared by the works of one creator that
    name it (as if they had been stored one after the other)."""
    all_chapters: list[Chapter] = []
    creatorships: list[tuple[int, int, int]] = []
    work_tags: list[tuple[int, int, int]] = []
    for work, draft, work_chapters in zip(works, drafts, chapters, strict=True):
        for chapter in work_chapters:
            chapter.work = work
        all_chapters += work_chapters
        creators = dict.fromkeys(pseud.pk for pseud in draft.creators)
        creatorships += [(work.pk, pseud, i) for i, pseud in enumerate(creators)]
        tags = dict.fromkeys(tag.pk for tag in draft.tags)
        work_tags += [(work.pk, tag, i) for i, tag in enumerate(tags)]
    if not _copy_objects(Chapter, all_chapters, keys_needed=False):
        Chapter.objects.bulk_create(all_chapters)
    insert_rows(Creatorship, ("work", "pseud", "position"), creatorships)
    insert_rows(WorkTag, ("work", "tag", "position"), work_tags)
    # (title, account) → the series a later work of that account's finds, as storing the works
    # one after the other would: the oldest series of that title holding a work of the account.
    known: dict[tuple[str, int], Series] = {}
    new_series: list[Series] = []
    planned: list[tuple[Work, Series, int]] = []
    for work, draft, parts in zip(works, drafts, series, strict=True):
        first = draft.creators[0].user_id
        targets = []
        for existing, title, position in parts:
            target = _older(existing, known.get((title, first)), new_series)
            if target is None:
                target = Series(title=title)
                new_series.append(target)
            targets.append(target)
            planned.append((work, target, position))
        # Only the following works see this one's series (as the one-by-one lookups would).
        for target in targets:
            for pseud in draft.creators:
                key = (target.title, pseud.user_id)
                known[key] = _older(known.get(key), target, new_series)  # type: ignore[assignment]
    if new_series:
        Series.objects.bulk_create(new_series)
    if planned:
        SeriesWork.objects.bulk_create(
            SeriesWork(series=target, work=work, position=position)
            for work, target, position in planned
        )


def _copy_objects(model: type[Model], objects: Sequence[Model], *, keys_needed: bool) -> bool:
    """Store new model instances with PostgreSQL's COPY, if that applies (PostgreSQL, at
    least COPY_FROM of them, and either all or none of them with a primary key); returns
    whether it did. The rows are made as bulk_create makes them (`pre_save(add=True)`, so
    auto_now fields are set), but instances without a primary key do not learn theirs: with
    `keys_needed` (the caller uses them), only instances that all have one are copied.

    Measured against bulk_create for the chapters and works of an import batch: bulk_create
    sends a 250-row INSERT whose ~3 MB of text psycopg quotes into the statement in Python;
    COPY streams the values in psycopg's C dumpers."""
    if connection.vendor != "postgresql" or len(objects) < COPY_FROM:
        return False
    meta = model._meta
    with_pk = {obj.pk is not None for obj in objects}
    if len(with_pk) != 1 or (keys_needed and with_pk != {True}):
        return False
    fields = [f for f in meta.concrete_fields if f is not meta.pk or with_pk == {True}]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
    with (
        logged_copy(sql, len(objects)),
        connection.cursor() as cursor,
        connection.wrap_database_errors,
        cursor.cursor.copy(sql) as copy,
    ):
        for obj in objects:
            copy.write_row([f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields])
    for obj in objects:
        obj._state.adding = False
        obj._state.db = connection.alias
    return True


def _older(a: Series | None, b: Series | None, new: list[Series]) -> Series | None:
    """The older of two series (a stored one is older than a new one; new ones in `new`'s
    order), or the one that is not None."""
    if a is None or b is None:
        return a or b
    if a.pk is not None and b.pk is not None:
        return a if a.pk <= b.pk else b
    if a.pk is not None or b.pk is not None:
        return a if a.pk is not None else b
    return a if new.index(a) <= new.index(b) else b


def _create(drafts: Sequence[tuple[int | None, WorkDraft]]) -> list[Work]:
    for _work_id, draft in drafts:
        _check(draft)
    works = [Work(id=work_id) for work_id, _draft in drafts]
    chapters = [_fill(work, draft) for work, (_id, draft) in zip(works, drafts, strict=True)]
    plain = [draft for _id, draft in drafts]
    series = _series_for(plain)
    if not _copy_objects(Work, works, keys_needed=True):
        Work.objects.bulk_create(works)
    if connection.vendor == "postgresql" and any(work_id is not None for work_id, _d in drafts):
        # An explicit id does not move PostgreSQL's sequence: move it past the new ids.
        with connection.cursor() as cursor:
            for sql in _sequence_reset_sql():
                cursor.execute(sql)
    _store_relations(works, plain, chapters, series)
    counters = ("hits", "kudos", "comments", "bookmarks", "subscriptions")
    insert_rows(WorkStats, ("work", *counters), [(work.pk, 0, 0, 0, 0, 0) for work in works])
    # New works have no filter rows yet: computed from the drafts' tags without reading back.
    work_filters_create(
        tags_of={
            work.pk: [tag.pk for tag in draft.tags]
            for work, draft in zip(works, plain, strict=True)
        }
    )
    works_changed.send(sender=Work, work_ids=[work.pk for work in works])
    return works


@transaction.atomic(savepoint=False)
def work_create(*, draft: WorkDraft, work_id: int | None = None) -> Work:
    """Store a new work from `draft`, as `work_id` when given (an imported work keeps its
    number; the id must be free). Chapters, creators, tags and series in bulk; a WorkStats row."""
    return _create([(work_id, draft)])[0]


@transaction.atomic(savepoint=False)
def works_create_bulk(*, drafts: Sequence[tuple[int | None, WorkDraft]]) -> list[int]:
    """Store many new works at once, each (work_id or None, draft) as `work_create` would, in
    one transaction and one bulk insert per table; returns their ids in order. All or nothing:
    one bad draft (a taken id, a refused draft) fails the whole call. The filter sets are
    computed for all of them at once and one `works_changed` names them all."""
    if not drafts:
        return []
    return [work.pk for work in _create(drafts)]


def _changed(work_ids: list[int]) -> None:
    """What every write ends with: the works' filter sets, then word to listeners (search)."""
    work_filters_recompute(work_ids=work_ids)
    works_changed.send(sender=Work, work_ids=work_ids)


@transaction.atomic
def works_delete(*, work_ids: Sequence[int]) -> int:
    """Delete works with everything that hangs on them; returns how many were deleted."""
    ids = list(Work.objects.filter(pk__in=work_ids).values_list("pk", flat=True))
    if not ids:
        return 0
    works_deleted.send(sender=Work, work_ids=ids)
    series = list(SeriesWork.objects.filter(work_id__in=ids).values_list("series_id", flat=True))
    Work.objects.filter(pk__in=ids).delete()
    if series:
        Series.objects.filter(pk__in=series, series_works__isnull=True).delete()
    return len(ids)


@transaction.atomic(savepoint=False)
def work_replace(*, work: Work, draft: WorkDraft) -> Work:
    """Replace a work's metadata, chapters, creators, tags and series with `draft`'s; its
    statistics (kudos, hits …) stay. Chapters are replaced position by position, in place: the
    chapter rows (and so readers' comments on them, bookmarks' and history's references) stay;
    only chapters past the new count are deleted."""
    _check(draft)
    work = Work.objects.select_for_update().get(pk=work.pk)
    chapters = _fill(work, draft)
    series = _series_for([draft])
    old_series = list(SeriesWork.objects.filter(work=work).values_list("series_id", flat=True))
    work.save()
    old_chapters = list(Chapter.objects.filter(work=work).order_by("position", "id"))
    kept = min(len(old_chapters), len(chapters))
    kept_fields = ("id", "work", "created_at")
    fields = [f for f in Chapter._meta.concrete_fields if f.name not in kept_fields]
    Chapter.objects.filter(pk__in=[c.pk for c in old_chapters[kept:]]).delete()
    for target, source in zip(old_chapters[:kept], chapters[:kept], strict=True):
        for field in fields:
            setattr(target, field.attname, getattr(source, field.attname))
        target.save()
    Creatorship.objects.filter(work=work).delete()
    WorkTag.objects.filter(work=work).delete()
    SeriesWork.objects.filter(work=work).delete()
    _store_relations([work], [draft], [chapters[kept:]], series)
    if old_series:
        Series.objects.filter(pk__in=old_series, series_works__isnull=True).delete()
    WorkStats.objects.get_or_create(work=work)
    _changed([work.pk])
    return work


# --- Posting and editing from the work form ------------------------------------------------------


@dataclass(frozen=True)
class SeriesPlacement:
    """Where a posted or edited work goes: an existing series of the poster's, or a new series
    of `title`; at `position` (None: after the series' last part)."""

    series: Series | None = None
    title: str = ""
    position: int | None = None


def _tags_from_names(tag_names: Sequence[tuple[TagType, str]]) -> list[Tag]:
    """The tags named, found or created (user tags), in the order written, without repeats."""
    if not tag_names:
        return []
    return list(dict.fromkeys(tags_find_or_create(wanted=tag_names)))


def _place_in_series(work: Work, placement: SeriesPlacement | None) -> None:
    """Put `work` in the series `placement` names (taking it out of any other), or in none.
    A series left without works is deleted. Parts after the position move one down."""
    old = set(SeriesWork.objects.filter(work=work).values_list("series_id", flat=True))
    target: Series | None = None
    if placement is not None:
        if placement.series is not None:
            target = placement.series
        elif placement.title.strip():
            target = Series.objects.create(title=" ".join(placement.title.split()))
    keep = SeriesWork.objects.filter(work=work, series=target).first() if target else None
    if keep is not None and placement is not None and placement.position in (None, keep.position):
        SeriesWork.objects.filter(work=work).exclude(pk=keep.pk).delete()
    else:
        SeriesWork.objects.filter(work=work).delete()
        if target is not None and placement is not None:
            parts = SeriesWork.objects.filter(series=target)
            last = max(parts.values_list("position", flat=True), default=0)
            position = placement.position or last + 1
            if parts.filter(position=position).exists():
                # Make room: this work becomes part `position`, the later parts move down.
                for part in parts.filter(position__gte=position).order_by("-position"):
                    part.position += 1
                    part.save(update_fields=["position"])
            SeriesWork.objects.create(series=target, work=work, position=position)
    gone = old - ({target.pk} if target is not None else set())
    if gone:
        Series.objects.filter(pk__in=gone, series_works__isnull=True).delete()


def work_recount(*, work: Work) -> Work:
    """A work's chapter and word counts and its updated date, from its posted chapters (what
    every listing shows); saves them and tells listeners."""
    posted = list(
        Chapter.objects.filter(work=work, posted=True).values_list("word_count", "published")
    )
    work.chapter_count = len(posted)
    work.word_count = sum(words for words, _date in posted)
    if posted:
        work.updated = max(max(date for _words, date in posted), work.published)
    Work.objects.filter(pk=work.pk).update(
        chapter_count=work.chapter_count, word_count=work.word_count, updated=work.updated
    )
    _changed([work.pk])
    return work


@transaction.atomic
def work_post(
    *,
    draft: WorkDraft,
    tag_names: Sequence[tuple[TagType, str]] = (),
    series: SeriesPlacement | None = None,
    invite: Sequence[Pseud] = (),
    invited_by: User | None = None,
) -> Work:
    """A new work from the posting form: `draft` (its `tags` first, then the tags named in
    `tag_names`, found or created), placed in `series`, with co-creator invitations for
    `invite` (credited only when they accept). A draft with `publish_at` is scheduled."""
    tags = list(dict.fromkeys([*draft.tags, *_tags_from_names(tag_names)]))
    work = work_create(draft=replace(draft, tags=tags, series=()))
    _place_in_series(work, series)
    creator_invitations_send(work=work, pseuds=invite, invited_by=invited_by)
    if not work.posted and work.publish_at is not None:
        schedule_work_posting(work=work)
    if work.posted:
        work_posted.send(sender=Work, work=work)
    return work


@transaction.atomic
def work_update(
    *,
    work: Work,
    editor: User,
    draft: WorkDraft,
    tag_names: Sequence[tuple[TagType, str]] = (),
    series: SeriesPlacement | None = None,
    invite: Sequence[Pseud] = (),
) -> Work:
    """Save the work form over an existing work. Its chapters stay (the chapter pages edit
    them), except that a one-chapter work takes `draft.chapters[0]`'s title and text; the
    editor's own pseuds become `draft.creators` while other accounts' credits stay; tags, series
    and the metadata are replaced. A draft may become posted (`draft.posted`); a posted work
    never goes back to being a draft."""
    work = Work.objects.select_for_update().get(pk=work.pk)
    if any(pseud.user_id != editor.pk for pseud in draft.creators) or not draft.creators:
        raise ValidationError("a work is credited to at least one of the editor's own pseuds")
    chapters = list(Chapter.objects.filter(work=work).order_by("position"))
    if draft.expected_chapters is not None and draft.expected_chapters < len(chapters):
        raise ValidationError("expected chapters cannot be fewer than the work's chapters")
    work.title = " ".join(draft.title.split())
    work.summary = _clean(draft.summary)
    work.notes = _clean(draft.notes)
    work.end_notes = _clean(draft.end_notes)
    work.language = draft.language
    work.expected_chapters = draft.expected_chapters
    # AO3: complete when the posted chapters reach the expected number.
    work.complete = draft.expected_chapters == sum(1 for c in chapters if c.posted)
    work.restricted = draft.restricted
    work.comment_permission = draft.comment_permission
    work.moderated_comments = draft.moderated_comments
    was_posted = work.posted
    if not was_posted:
        work.publish_at = draft.publish_at
    work.save()
    if len(chapters) == 1 and draft.chapters:
        chapter, new = chapters[0], draft.chapters[0]
        chapter.title = " ".join(new.title.split())
        chapter.text, chapter.word_count = _clean_and_count(new.text)
        chapter.save(update_fields=["title", "text", "word_count", "modified_at"])
    # Creators: the editor's pseuds as chosen; co-creators' credits stay.
    mine = {c.pseud_id: c for c in Creatorship.objects.filter(work=work, pseud__user=editor)}
    chosen = [pseud.pk for pseud in dict.fromkeys(draft.creators)]
    Creatorship.objects.filter(pk__in=[c.pk for p, c in mine.items() if p not in chosen]).delete()
    last = max(Creatorship.objects.filter(work=work).values_list("position", flat=True), default=-1)
    for pseud_id in chosen:
        if pseud_id not in mine:
            last += 1
            Creatorship.objects.create(work=work, pseud_id=pseud_id, position=last)
    # Tags, as written.
    tags = list(dict.fromkeys([*draft.tags, *_tags_from_names(tag_names)]))
    WorkTag.objects.filter(work=work).delete()
    WorkTag.objects.bulk_create(
        WorkTag(work=work, tag=tag, position=i) for i, tag in enumerate(tags)
    )
    _place_in_series(work, series)
    creator_invitations_send(work=work, pseuds=invite, invited_by=editor)
    if not was_posted and draft.posted:
        return work_publish(work=work)
    work_recount(work=work)  # also recomputes the filters and tells search
    if not work.posted and work.publish_at is not None:
        schedule_work_posting(work=work)
    return work


@transaction.atomic
def work_publish(*, work: Work, now: datetime.datetime | None = None) -> Work:
    """Post a draft now: it is published today (in the archive's time zone), and so are its
    chapters, except chapters scheduled for later. Does nothing to a posted work."""
    now = now or timezone.now()
    work = Work.objects.select_for_update().get(pk=work.pk)
    if work.posted:
        return work
    today = timezone.localdate(now)
    work.posted = True
    work.publish_at = None
    work.published = today
    work.updated = today
    work.save(update_fields=["posted", "publish_at", "published", "updated", "modified_at"])
    Chapter.objects.filter(work=work).exclude(publish_at__gt=now).update(
        posted=True, published=today, publish_at=None
    )
    work = work_recount(work=work)
    work_posted.send(sender=Work, work=work)
    return work


def works_post_due(
    *, now: datetime.datetime | None = None, work_ids: Sequence[int] | None = None
) -> tuple[list[int], list[int]]:
    """Post every scheduled draft work whose time has come (or only those of `work_ids`), then
    every scheduled chapter (`chapters.chapters_post_due`, when all are asked for). Idempotent:
    what is posted is no longer due. Returns the ids of the works and of the chapters posted."""
    from .chapters import chapters_post_due  # it imports this module

    now = now or timezone.now()
    works = Work.objects.filter(posted=False, publish_at__lte=now)
    if work_ids is not None:
        works = works.filter(pk__in=work_ids)
    posted_works = []
    for work in works.order_by("publish_at", "pk"):
        with transaction.atomic():
            locked = Work.objects.select_for_update().get(pk=work.pk)
            if locked.posted or locked.publish_at is None or locked.publish_at > now:
                continue  # posted or moved meanwhile
            work_publish(work=locked, now=now)
            posted_works.append(work.pk)
    chapters = chapters_post_due(now=now) if work_ids is None else []
    return posted_works, chapters


def _enqueue(task: Any, when: datetime.datetime, **kwargs: Any) -> None:
    """Run `task` at `when` in the background worker. A backend that cannot defer tasks (the
    immediate backend some tests use) is skipped: `fanarchive works post-due` posts anyway."""
    try:
        task.using(run_after=when).enqueue(**kwargs)
    except InvalidTaskError:
        logger.info("tasks backend cannot defer; %s waits for `works post-due`", kwargs)


def schedule_work_posting(*, work: Work) -> None:
    """Have the background worker post the draft `work` at its `publish_at`."""
    from .tasks import post_due_work

    if work.publish_at is not None:
        _enqueue(post_due_work, work.publish_at, work_id=work.pk)


# --- Co-creator invitations ----------------------------------------------------------------------


def creator_invitations_send(
    *, work: Work, pseuds: Sequence[Pseud], invited_by: User | None
) -> list[CreatorInvitation]:
    """Invite pseuds to be credited on `work`. Accounts already credited, or with an invitation
    still pending, are skipped; a declined invitation is renewed."""
    credited = set(Creatorship.objects.filter(work=work).values_list("pseud__user_id", flat=True))
    existing = {i.pseud_id: i for i in CreatorInvitation.objects.filter(work=work)}
    sent = []
    for pseud in dict.fromkeys(pseuds):
        if pseud.user_id in credited:
            continue
        invitation = existing.get(pseud.pk)
        if invitation is None:
            invitation = CreatorInvitation.objects.create(
                work=work, pseud=pseud, invited_by=invited_by
            )
        elif invitation.state == CreatorInvitation.DECLINED:
            invitation.state = CreatorInvitation.PENDING
            invitation.invited_by = invited_by
            invitation.save(update_fields=["state", "invited_by"])
        else:
            continue
        sent.append(invitation)
    return sent


@transaction.atomic
def creator_invitation_respond(
    *, invitation: CreatorInvitation, user: User, accept: bool
) -> CreatorInvitation:
    """The invited account accepts (its pseud is credited, last in the byline) or declines."""
    invitation = CreatorInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.pseud.user_id != user.pk:
        raise ValidationError("only the invited account can answer this invitation")
    if invitation.state != CreatorInvitation.PENDING:
        raise ValidationError(f"this invitation was already {invitation.state}")
    invitation.state = CreatorInvitation.ACCEPTED if accept else CreatorInvitation.DECLINED
    invitation.save(update_fields=["state"])
    if accept:
        work = Work.objects.select_for_update().get(pk=invitation.work_id)
        if not Creatorship.objects.filter(work=work, pseud=invitation.pseud).exists():
            last = Creatorship.objects.filter(work=work).values_list("position", flat=True)
            Creatorship.objects.create(
                work=work, pseud=invitation.pseud, position=max(last, default=-1) + 1
            )
        _changed([work.pk])
    return invitation
