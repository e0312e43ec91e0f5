"""Exporting works as work-text files."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from django.db.models import QuerySet

from fanarchive.core.text import html_to_paragraphs, html_to_text
from fanarchive.tags.models import TagType
from fanarchive.works.models import Work, WorkStats

from .worktext import ChapterText, Creator, HeaderLine, SeriesPart, WorkText, write_work_text
from .worktext.errors import WorkTextError
from .worktext.parser import field_of, parse_field

_TYPE_FIELDS = {
    TagType.WARNING: "warnings",
    TagType.CATEGORY: "categories",
    TagType.FANDOM: "fandoms",
    TagType.RELATIONSHIP: "relationships",
    TagType.CHARACTER: "characters",
    TagType.FREEFORM: "freeforms",
}


def works_for_export(ids: Sequence[int] | None = None) -> QuerySet[Work]:
    """Works with everything the writer needs, in a fixed number of queries."""
    works = Work.objects.order_by("id").select_related("stats")
    if ids is not None:
        works = works.filter(pk__in=ids)
    return works.prefetch_related(
        "chapters",
        "creatorships__pseud__user",
        "work_tags__tag",
        "series_works__series",
    )


def work_to_worktext(work: Work) -> WorkText:
    """A stored work as the format sees it (relations as `works_for_export` prefetches them)."""
    tags: dict[str, list[str]] = {name: [] for name in _TYPE_FIELDS.values()}
    rating = "Not Rated"
    for work_tag in work.work_tags.all():
        tag = work_tag.tag
        if tag.type == TagType.RATING:
            rating = tag.name
        elif tag.type in _TYPE_FIELDS:
            tags[_TYPE_FIELDS[TagType(tag.type)]].append(tag.name)
    header = tuple(
        HeaderLine(label=label, value=value, field=field_of(label))
        for label, value in (work.source_header or [])
    )
    collections: tuple[str, ...] = ()
    for line in header:
        if line.field == "collections":
            with contextlib.suppress(WorkTextError):
                collections = parse_field("collections", line.value)
            break
    try:
        stats = work.stats
    except WorkStats.DoesNotExist:
        stats = WorkStats(work=work)
    return WorkText(
        title=work.title,
        chapters=tuple(
            ChapterText(title=chapter.title, text=html_to_text(chapter.text))
            for chapter in work.chapters.all()
        ),
        work_id=work.pk,
        creators=tuple(
            Creator(pseud=c.pseud.name, login=c.pseud.user.username)
            for c in work.creatorships.all()
        ),
        rating=rating,
        warnings=tuple(tags["warnings"]),
        categories=tuple(tags["categories"]),
        fandoms=tuple(tags["fandoms"]),
        relationships=tuple(tags["relationships"]),
        characters=tuple(tags["characters"]),
        freeforms=tuple(tags["freeforms"]),
        language_code=work.language,
        series=tuple(
            SeriesPart(title=link.series.title, position=link.position)
            for link in work.series_works.all()
        ),
        collections=collections,
        published=work.published,
        updated=work.updated,
        complete=work.complete,
        expected_chapters=work.expected_chapters,
        words=work.word_count,
        kudos=stats.kudos,
        hits=stats.hits,
        bookmarks=stats.bookmarks,
        comments=stats.comments,
        summary=tuple(html_to_paragraphs(work.summary)),
        notes=tuple(html_to_paragraphs(work.notes)),
        end_notes=tuple(html_to_paragraphs(work.end_notes)),
        header=header,
    )


def work_text_of(work: Work) -> str:
    return write_work_text(work_to_worktext(work))


def export_works(works: QuerySet[Work], *, out: Path, chunk_size: int = 500) -> Iterator[Path]:
    """Write each work as `out/<id>.txt` (UTF-8, LF); yields the paths written."""
    out.mkdir(parents=True, exist_ok=True)
    for work in works.iterator(chunk_size=chunk_size):
        path = out / f"{work.pk}.txt"
        path.write_bytes(work_text_of(work).encode("utf-8"))
        yield path
