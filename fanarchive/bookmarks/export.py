"""Streaming exports (CSV and JSON) of a reader's lists: bookmarks here, reading history and
Marked for Later in the history app, which uses these helpers.

CSV cells are guarded against formula injection as OWASP advises: a text cell starting with
`=`, `+`, `-`, `@`, a tab or a carriage return gets a leading `'`, so that a spreadsheet shows
the text instead of running it (titles, notes and tags are written by anyone). JSON needs no such
guard and keeps values as they are. Both are streamed row by row, the rows loaded a chunk at a
time, so that a list of any length is never held in memory.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.http import HttpRequest, StreamingHttpResponse
from django.urls import reverse

from fanarchive.core.text import html_to_text

from .selectors import BookmarkEntry

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A cell value a spreadsheet will not run: text starting like a formula gets a `'`."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


class _Echo:
    """A file whose write returns what was written (csv.writer into a streaming response)."""

    def write(self, value: str) -> str:
        return value


def csv_response(
    *, filename: str, header: Sequence[str], rows: Iterable[dict[str, Any]]
) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"  # a byte order mark, so spreadsheets read UTF-8
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([csv_safe(_flat(row.get(name))) for name in header])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def json_response(
    *, filename: str, key: str, rows: Iterable[dict[str, Any]]
) -> StreamingHttpResponse:
    def chunks() -> Iterator[str]:
        yield '{"' + key + '": ['
        for i, row in enumerate(rows):
            yield ("," if i else "") + "\n" + json.dumps(row, ensure_ascii=False, default=str)
        yield "\n]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _flat(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return ""
    return value


BOOKMARK_COLUMNS = (
    "type",
    "work_id",
    "series_id",
    "title",
    "creators",
    "fandoms",
    "url",
    "bookmarked_at",
    "bookmarker",
    "notes",
    "tags",
    "rec",
    "private",
)


def bookmark_row(request: HttpRequest, entry: BookmarkEntry) -> dict[str, Any]:
    bookmark = entry.bookmark
    if entry.meta is not None:
        work = entry.meta.work
        item: dict[str, Any] = {
            "type": "work",
            "work_id": work.pk,
            "series_id": None,
            "title": work.title,
            "creators": [p.byline for p in entry.meta.creators],
            "fandoms": [t.name for t in entry.meta.fandoms],
            "url": request.build_absolute_uri(reverse("works:work", args=[work.pk])),
        }
    else:
        assert entry.series is not None
        series = entry.series
        item = {
            "type": "series",
            "work_id": None,
            "series_id": series.series.pk,
            "title": series.series.title,
            "creators": [p.byline for p in series.creators],
            "fandoms": [t.name for t in series.fandoms],
            "url": request.build_absolute_uri(reverse("downloads:series", args=[series.series.pk])),
        }
    return {
        **item,
        "bookmarked_at": bookmark.created_at.isoformat(),
        "bookmarker": entry.bookmarker,
        "notes": html_to_text(bookmark.notes) if bookmark.notes else "",
        "notes_html": bookmark.notes,  # JSON only (CSV has the plain text)
        "tags": [t.name for t in bookmark.tags.all()],
        "rec": bookmark.rec,
        "private": bookmark.private,
    }
