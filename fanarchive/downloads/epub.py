"""EPUB 3 of a work or of a whole series, made in-process with ebooklib.

The book holds a preface like AO3's (title, byline, a link back, tags by type, language, series,
stats, summary, notes), one XHTML file per chapter (heading, summary, notes, text, end notes),
an afterword (end notes and AO3's invitation to comment), a navigation document and an NCX.
The package metadata carries the title, each creator, the language, every tag as a subject
(rating and warnings first), the publication date, the modification date, the series (EPUB 3's
`belongs-to-collection` and calibre's `calibre:series`) and the work's address as identifier.

Chapter HTML goes through `xhtml.to_xhtml`, so every book passes EPUBCheck: see that module for
what it changes. Each document is written by this module as finished XHTML (ebooklib would
otherwise parse and re-serialize every chapter with an HTML parser).
"""

from __future__ import annotations

import datetime
import io
import re
from collections.abc import Iterable
from html import escape

from django.conf import settings
from django.template.loader import render_to_string
from ebooklib import epub

from fanarchive.core.text import html_to_text

from .selectors import SeriesDownload, WorkDownload, site_url
from .xhtml import clean_text, to_xhtml

EPUB_MEDIA_TYPE = "application/epub+zip"
_LANG = re.compile(r"^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$")

STYLESHEET = """\
body { font-family: serif; line-height: 1.4; margin: 0 2%; }
h1, h2, h3 { font-family: sans-serif; line-height: 1.2; }
h1.title { text-align: center; margin-top: 2em; }
p.byline { text-align: center; font-style: italic; }
p.message { font-size: 0.9em; }
dl.tags dt { font-weight: bold; margin-top: 0.4em; }
dl.tags dd { margin-left: 1.5em; }
blockquote.userstuff { margin: 0.5em 1.5em; }
.userstuff p { margin: 0 0 0.8em; }
.userstuff table { border-collapse: collapse; }
.userstuff td, .userstuff th { border: 1px solid #999; padding: 0.2em 0.4em; }
.center, .align-center { text-align: center; }
.align-right { text-align: right; }
.align-justify { text-align: justify; }
.big { font-size: larger; }
.tt, .kbd, .code { font-family: monospace; }
.em, .i, .cite, .var, .dfn { font-style: italic; }
.strong, .b { font-weight: bold; }
.u { text-decoration: underline; }
.s { text-decoration: line-through; }
.pre { white-space: pre-wrap; font-family: monospace; }
.h1, .h2, .h3, .h4, .h5, .h6 { font-weight: bold; font-family: sans-serif; }
.image-alt, .image-link { font-style: italic; }
.afterword { margin-top: 2em; }
"""


def book_language(code: str) -> str:
    return code if code and _LANG.match(code) else "und"


def _document(title: str, body: str, lang: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE html>\n'
        '<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'
        f' lang="{lang}" xml:lang="{lang}">\n<head>\n<meta charset="utf-8"/>\n'
        f"<title>{escape(clean_text(title))}</title>\n"
        '<link rel="stylesheet" type="text/css" href="style.css"/>\n</head>\n'
        f"<body>\n{body}\n</body>\n</html>\n"
    ).encode()


class _Document(epub.EpubHtml):
    """An XHTML content document written as it is given."""

    def __init__(self, *, uid: str, file_name: str, title: str, body: str, lang: str) -> None:
        super().__init__(
            uid=uid,
            file_name=file_name,
            title=clean_text(title),
            lang=lang,
            media_type="application/xhtml+xml",
        )
        self._xhtml = _document(title, body, lang)

    def get_content(self, default=None):
        return self._xhtml


def _context() -> dict[str, str]:
    return {"site_url": site_url(), "SITE_NAME": settings.SITE_NAME}


def _clean_render(template: str, context: dict) -> str:
    return clean_text(render_to_string(template, {**_context(), **context}))


def chapter_heading(d: WorkDownload, index: int) -> str:
    chapter = d.reading.chapters[index]
    if len(d.reading.chapters) == 1 and not chapter.title:
        return d.work.title
    return chapter.heading


def work_documents(d: WorkDownload, *, prefix: str = "") -> list[_Document]:
    """The preface, one document per chapter and the afterword of one work."""
    work, lang = d.work, book_language(d.work.language)
    docs = [
        _Document(
            uid=f"{prefix}preface",
            file_name=f"{prefix}preface.xhtml",
            title=work.title if prefix else "Preface",
            lang=lang,
            body=_clean_render(
                "downloads/_preface.html",
                {"d": d, "summary": to_xhtml(work.summary), "notes": to_xhtml(work.notes)},
            ),
        )
    ]
    for index, chapter in enumerate(d.reading.chapters):
        heading = chapter_heading(d, index)
        docs.append(
            _Document(
                uid=f"{prefix}chapter{index + 1}",
                file_name=f"{prefix}chapter{index + 1:03d}.xhtml",
                title=heading,
                lang=lang,
                body=_clean_render(
                    "downloads/_chapter.html",
                    {
                        "c": chapter,
                        "heading": heading,
                        "summary": to_xhtml(chapter.summary),
                        "notes": to_xhtml(chapter.notes),
                        "text": to_xhtml(chapter.text),
                        "end_notes": to_xhtml(chapter.end_notes),
                    },
                ),
            )
        )
    docs.append(
        _Document(
            uid=f"{prefix}afterword",
            file_name=f"{prefix}afterword.xhtml",
            title="Afterword",
            lang=lang,
            body=_clean_render(
                "downloads/_afterword.html", {"d": d, "end_notes": to_xhtml(work.end_notes)}
            ),
        )
    )
    return docs


def _subjects(downloads: Iterable[WorkDownload]) -> list[str]:
    names: dict[str, None] = {}
    order = ("rating", "warning", "category", "fandom", "relationship", "character", "freeform")
    for d in downloads:
        tags = d.reading.meta.tags
        for tag_type in order:
            for tag in tags.get(tag_type, []):
                names.setdefault(tag.name, None)
    return list(names)


def _new_book(*, identifier: str, title: str, lang: str) -> epub.EpubBook:
    book = epub.EpubBook()
    book.set_identifier(identifier)
    book.set_title(clean_text(title))
    book.set_language(lang)
    book.add_metadata("DC", "publisher", settings.SITE_NAME)
    book.add_metadata("DC", "source", identifier)
    return book


def _add_series(book: epub.EpubBook, title: str, position: int) -> None:
    ref = "#collection1"
    book.add_metadata(None, "meta", title, {"property": "belongs-to-collection", "id": ref[1:]})
    book.add_metadata(None, "meta", "series", {"refines": ref, "property": "collection-type"})
    book.add_metadata(None, "meta", str(position), {"refines": ref, "property": "group-position"})
    book.add_metadata(None, "meta", "", {"name": "calibre:series", "content": title})
    book.add_metadata(None, "meta", "", {"name": "calibre:series_index", "content": str(position)})


def _finish(book: epub.EpubBook, docs: list[_Document], toc: list, modified: datetime.datetime):
    style = epub.EpubItem(
        uid="style", file_name="style.css", media_type="text/css", content=STYLESHEET
    )
    book.add_item(style)
    for doc in docs:
        book.add_item(doc)
    book.toc = toc
    book.add_item(epub.EpubNcx())
    nav = epub.EpubNav(title="Table of Contents")
    nav.add_item(style)
    book.add_item(nav)
    book.spine = docs
    out = io.BytesIO()
    modified = modified.astimezone(datetime.UTC) if modified.tzinfo else modified
    epub.write_epub(out, book, {"epub3_pages": False, "mtime": modified, "raise_exceptions": True})
    return out.getvalue()


def _add_creators(book: epub.EpubBook, bylines: list[str]) -> None:
    for i, byline in enumerate(bylines or ["Anonymous"], start=1):
        book.add_author(clean_text(byline), role="aut", uid=f"creator{i}")


def work_epub(d: WorkDownload) -> bytes:
    """The EPUB 3 of one work."""
    work = d.work
    book = _new_book(identifier=d.url, title=work.title, lang=book_language(work.language))
    _add_creators(book, [p.byline for p in d.reading.meta.creators])
    for subject in _subjects([d]):
        book.add_metadata("DC", "subject", clean_text(subject))
    book.add_metadata("DC", "date", work.published.isoformat())
    if summary := html_to_text(work.summary):
        book.add_metadata("DC", "description", clean_text(summary))
    if d.reading.series:
        first = d.reading.series[0]
        _add_series(book, clean_text(first.title), first.position)
    docs = work_documents(d)
    toc = [epub.Link(doc.file_name, doc.title, doc.id) for doc in docs]
    return _finish(book, docs, toc, work.modified_at)


def series_epub(s: SeriesDownload) -> bytes:
    """One EPUB 3 of a whole series: a series preface, then each work (preface, chapters,
    afterword) in part order; the table of contents has a section per work."""
    book = _new_book(identifier=s.url, title=s.series.title, lang=book_language(s.language))
    _add_creators(book, [p.byline for p in s.creators])
    for subject in _subjects(part for _n, part in s.parts):
        book.add_metadata("DC", "subject", clean_text(subject))
    book.add_metadata("DC", "date", min(p.work.published for _n, p in s.parts).isoformat())
    if summary := html_to_text(s.series.summary):
        book.add_metadata("DC", "description", clean_text(summary))
    _add_series(book, clean_text(s.series.title), 1)
    intro = _Document(
        uid="series",
        file_name="series.xhtml",
        title=s.series.title,
        lang=book_language(s.language),
        body=_clean_render(
            "downloads/_series_preface.html",
            {"s": s, "summary": to_xhtml(s.series.summary), "notes": to_xhtml(s.series.notes)},
        ),
    )
    docs = [intro]
    toc: list = [epub.Link(intro.file_name, intro.title, intro.id)]
    for number, (position, part) in enumerate(s.parts, start=1):
        work_docs = work_documents(part, prefix=f"w{number}-")
        docs += work_docs
        section = epub.Section(f"Part {position}: {part.work.title}", href=work_docs[0].file_name)
        toc.append((section, [epub.Link(d.file_name, d.title, d.id) for d in work_docs[1:]]))
    return _finish(book, docs, toc, s.modified)
