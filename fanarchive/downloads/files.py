"""The text and HTML downloads of a work, and the file names and types of every format.

The text download is exactly what `fanarchive export --format text` writes: the work-text
format (`work-text.md`) from `interchange.exporter.work_text_of`, with the posted chapters only.
The HTML download is one self-contained page: its stylesheet is in the file (it is a file to
keep, opened from disk, not a page of the site), no scripts, images left where they are.
"""

from __future__ import annotations

from html import escape

from django.template.loader import render_to_string

from fanarchive.interchange.exporter import work_text_of, works_for_export
from fanarchive.works.models import Work

from .epub import STYLESHEET, _clean_render, book_language, chapter_heading, series_epub, work_epub
from .selectors import SeriesDownload, WorkDownload

CONTENT_TYPES = {
    "epub": "application/epub+zip",
    "html": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
    "pdf": "application/pdf",
    "azw3": "application/vnd.amazon.ebook",
    "mobi": "application/x-mobipocket-ebook",
}
# The export command's format names → file extensions.
EXPORT_EXTENSIONS = {"epub": "epub", "html": "html", "text": "txt"}


def work_text(work: Work) -> str:
    """The work-text file of `work` as the exporter writes it, posted chapters only."""
    loaded = works_for_export([work.pk]).get()
    chapters = list(loaded.chapters.all())
    if any(not chapter.posted for chapter in chapters):
        # A posted work's draft chapters never leave the archive.
        loaded._prefetched_objects_cache["chapters"] = loaded.chapters.filter(posted=True)  # type: ignore[attr-defined]
    return work_text_of(loaded)


def work_html(d: WorkDownload) -> str:
    """One self-contained, styled HTML page of the work."""
    work = d.work
    parts = [
        _clean_render(
            "downloads/_preface.html", {"d": d, "summary": work.summary, "notes": work.notes}
        )
    ]
    if len(d.reading.chapters) > 1:
        items = "".join(
            f'<li><a href="#chapter{c.pk}">{_escape(chapter_heading(d, i))}</a></li>'
            for i, c in enumerate(d.reading.chapters)
        )
        parts.append(f'<nav class="toc"><h2>Contents</h2><ol>{items}</ol></nav>')
    for index, chapter in enumerate(d.reading.chapters):
        parts.append(
            _clean_render(
                "downloads/_chapter.html",
                {
                    "c": chapter,
                    "heading": chapter_heading(d, index),
                    "summary": chapter.summary,
                    "notes": chapter.notes,
                    "text": chapter.text,
                    "end_notes": chapter.end_notes,
                },
            )
        )
    parts.append(_clean_render("downloads/_afterword.html", {"d": d, "end_notes": work.end_notes}))
    return render_to_string(
        "downloads/work.html",
        {
            "lang": book_language(work.language),
            "title": work.title,
            "stylesheet": STYLESHEET,
            "parts": parts,
        },
    )


def _escape(value: str) -> str:
    return escape(value, quote=False)


def work_file(d: WorkDownload, ext: str) -> bytes:
    """The bytes of `d` as `ext` (epub, html or txt)."""
    if ext == "epub":
        return work_epub(d)
    if ext == "html":
        return work_html(d).encode("utf-8")
    if ext == "txt":
        return work_text(d.work).encode("utf-8")
    raise ValueError(f"not made in-process: {ext}")


def series_file(s: SeriesDownload) -> bytes:
    return series_epub(s)
