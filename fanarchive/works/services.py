"""Work writes: storing a work with its chapters, creators, tags and series."""

from __future__ import annotations

import datetime
import html
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import connection, transaction

from fanarchive.accounts.models import Pseud
from fanarchive.core.sanitize import sanitize_html
from fanarchive.core.text import count_words, count_words_in_text
from fanarchive.tags.models import Tag

from .filters import work_filters_recompute
from .models import Chapter, Creatorship, Series, SeriesWork, Work, WorkStats, WorkTag
from .signals import works_changed, works_deleted


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
    chapters = []
    last = len(draft.chapters)
    for position, chapter in enumerate(draft.chapters, start=1):
        text = _clean(chapter.text)
        published = chapter.published or (work.updated if position == last else work.published)
        chapters.append(
            Chapter(
                position=position,
                title=" ".join(chapter.title.split()),
                summary=sanitize_html(chapter.summary) if chapter.summary else "",
                notes=sanitize_html(chapter.notes) if chapter.notes else "",
                end_notes=sanitize_html(chapter.end_notes) if chapter.end_notes else "",
                text=text,
                word_count=html_word_count(text),
                published=published,
            )
        )
    work.chapter_count = len(chapters)
    work.word_count = sum(chapter.word_count for chapter in chapters)
    return chapters


def _series_for(draft: WorkDraft) -> list[tuple[Series | None, str, int]]:
    """Each (series, title, position): the series of that title that already holds a work by
    the draft's first creator's account, or None (to be created)."""
    found = []
    for title, position in draft.series:
        title = " ".join(title.split())
        series = (
            Series.objects.filter(
                title=title,
                series_works__work__creatorships__pseud__user_id=draft.creators[0].user_id,
            )
            .order_by("id")
            .first()
        )
        found.append((series, title, position))
    return found


def _store_relations(work: Work, draft: WorkDraft, chapters: list[Chapter], series: list) -> None:
    for chapter in chapters:
        chapter.work = work
    Chapter.objects.bulk_create(chapters)
    creators = list({pseud.pk: pseud for pseud in draft.creators}.values())
    Creatorship.objects.bulk_create(
        Creatorship(work=work, pseud=pseud, position=i) for i, pseud in enumerate(creators)
    )
    tags = list({tag.pk: tag for tag in draft.tags}.values())
    WorkTag.objects.bulk_create(
        WorkTag(work=work, tag=tag, position=i) for i, tag in enumerate(tags)
    )
    links = []
    for existing, title, position in series:
        target = existing or Series.objects.create(title=title)
        links.append(SeriesWork(series=target, work=work, position=position))
    if links:
        SeriesWork.objects.bulk_create(links)


@transaction.atomic(savepoint=False)
def work_create(*, draft: WorkDraft, work_id: int | None = None) -> Work:
    """Store a new work from `draft`, as `work_id` when given (an imported work keeps its
    number; the id must be free). Chapters, creators, tags and series in bulk; a WorkStats row."""
    _check(draft)
    work = Work(id=work_id)
    chapters = _fill(work, draft)
    series = _series_for(draft)
    work.save(force_insert=True)
    if work_id is not None and connection.vendor == "postgresql":
        # An explicit id does not move PostgreSQL's sequence: move it past the new id.
        with connection.cursor() as cursor:
            for sql in _sequence_reset_sql():
                cursor.execute(sql)
    _store_relations(work, draft, chapters, series)
    WorkStats.objects.create(work=work)
    _changed([work.pk])
    return work


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
    statistics (kudos, hits …) stay."""
    _check(draft)
    work = Work.objects.select_for_update().get(pk=work.pk)
    chapters = _fill(work, draft)
    series = _series_for(draft)
    old_series = list(SeriesWork.objects.filter(work=work).values_list("series_id", flat=True))
    work.save()
    Chapter.objects.filter(work=work).delete()
    Creatorship.objects.filter(work=work).delete()
    WorkTag.objects.filter(work=work).delete()
    SeriesWork.objects.filter(work=work).delete()
    _store_relations(work, draft, chapters, series)
    if old_series:
        Series.objects.filter(pk__in=old_series, series_works__isnull=True).delete()
    WorkStats.objects.get_or_create(work=work)
    _changed([work.pk])
    return work
