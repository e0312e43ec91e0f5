"""A work as the plain-text format sees it: what the parser reads and the writer writes.

Plain data (no database): `parse_work_text` gives a `WorkText`, `write_work_text` takes one.
Chapter texts, summaries and notes are plain text; the importer turns them into HTML.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from .errors import WorkTextWarning


@dataclass(frozen=True)
class Creator:
    """`Miss M (missm)`: the pseud "Miss M" of the account "missm"; `missm`: its default pseud."""

    pseud: str
    login: str

    @property
    def byline(self) -> str:
        return self.login if self.pseud == self.login else f"{self.pseud} ({self.login})"


@dataclass(frozen=True)
class SeriesPart:
    title: str
    position: int


@dataclass(frozen=True)
class ChapterText:
    title: str
    text: str  # plain text: paragraphs separated by blank lines
    line: int = 0  # where the chapter starts in the file (its heading, or the body)


@dataclass(frozen=True)
class HeaderLine:
    """One header line as written: its label, its value (continuation lines joined by "\\n"),
    its line number, and the field it names (None for a label the archive does not know)."""

    label: str
    value: str
    line: int = 0
    field: str | None = None


@dataclass
class WorkText:
    title: str
    chapters: tuple[ChapterText, ...]
    work_id: int | None = None
    creators: tuple[Creator, ...] = ()
    rating: str = "Not Rated"
    warnings: tuple[str, ...] = ("Creator Chose Not To Use Archive Warnings",)
    categories: tuple[str, ...] = ()
    fandoms: tuple[str, ...] = ()
    relationships: tuple[str, ...] = ()
    characters: tuple[str, ...] = ()
    freeforms: tuple[str, ...] = ()
    language_code: str = ""  # "" when none is given or the given one is unknown
    series: tuple[SeriesPart, ...] = ()
    collections: tuple[str, ...] = ()
    published: datetime.date | None = None
    updated: datetime.date | None = None
    complete: bool = True
    expected_chapters: int | None = 1
    words: int | None = None
    kudos: int | None = None
    hits: int | None = None
    bookmarks: int | None = None
    comments: int | None = None
    summary: tuple[str, ...] = ()  # paragraphs
    notes: tuple[str, ...] = ()
    end_notes: tuple[str, ...] = ()
    header: tuple[HeaderLine, ...] = ()  # the original header lines, when read from a file
    warnings_found: list[WorkTextWarning] = field(default_factory=list)

    def line_of(self, field_name: str) -> int:
        """The line a field was given on (for messages about it), else 1."""
        for header_line in self.header:
            if header_line.field == field_name:
                return header_line.line or 1
        return 1
