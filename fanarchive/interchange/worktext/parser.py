"""Reading the plain-text work format (/work/shared/formats/work-text.md): bytes → `WorkText`.

Pure: no database. Every refusal is a `WorkTextError` with the line and what was expected.
"""

from __future__ import annotations

import codecs
import datetime
import re
from collections.abc import Callable
from typing import Any

from fanarchive.core.text import paragraphs_from_text
from fanarchive.tags.fixed import CATEGORIES, RATINGS, WARNINGS, resolve_fixed
from fanarchive.tags.models import TagType
from fanarchive.tags.names import clean_tag_name, tag_key, tag_name_problem
from fanarchive.works.languages import resolve_language

from .document import ChapterText, Creator, HeaderLine, SeriesPart, WorkText
from .errors import WorkTextError, WorkTextWarning

DEFAULT_RATING = "Not Rated"
DEFAULT_WARNING = "Creator Chose Not To Use Archive Warnings"
MAX_TITLE_LENGTH = 255
MAX_NAME_LENGTH = 40  # AO3's longest login and pseud

# Label as matched (casefolded, hyphens as spaces, spaces collapsed) → field.
LABELS: dict[str, str] = {
    "title": "title",
    "work id": "work_id",
    "author": "creators",
    "authors": "creators",
    "creator": "creators",
    "creators": "creators",
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "warning": "warnings",
    "warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tag": "freeforms",
    "additional tags": "freeforms",
    "freeform": "freeforms",
    "freeforms": "freeforms",
    "language": "language",
    "series": "series",
    "collection": "collections",
    "collections": "collections",
    "published": "published",
    "updated": "updated",
    "completed": "updated",
    "words": "words",
    "word count": "words",
    "kudos": "kudos",
    "hits": "hits",
    "bookmarks": "bookmarks",
    "bookmark": "bookmarks",
    "comments": "comments",
    "comment": "comments",
    "status": "status",
    "chapters": "chapters",
    "chapter": "chapters",
    "summary": "summary",
    "notes": "notes",
    "note": "notes",
    "end notes": "end_notes",
    "end note": "end_notes",
}
TAG_FIELDS: dict[str, TagType] = {
    "fandoms": TagType.FANDOM,
    "relationships": TagType.RELATIONSHIP,
    "characters": TagType.CHARACTER,
    "freeforms": TagType.FREEFORM,
}
STAT_FIELDS = ("words", "kudos", "hits", "bookmarks", "comments")
STATUS_VALUES = {
    "completed": True,
    "complete": True,
    "in progress": False,
    "work in progress": False,
    "in-progress": False,
    "updated": False,
}

_HEADER = re.compile(r"^\s*([A-Za-z][A-Za-z \-]{0,39}?)\s*:(.*)$")
HEADING = re.compile(r"^chapter\s+(\d{1,6})\s*(?::(.*))?$", re.IGNORECASE)
_CHAPTERS = re.compile(r"^(\d{1,6})\s*/\s*(\d{1,6}|\?)$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^(\d{1,3}(,\d{3})+|\d+)$")
_SERIES = re.compile(r"^part\s+(\d{1,9})\s+of\s+(.+)$", re.IGNORECASE | re.DOTALL)
_BYLINE = re.compile(r"^(.*?\S)\s*\(([^()]+)\)$")
_LOGIN_OK = re.compile(r"^[\w.@+-]+$")
_NOT_LOGIN = re.compile(r"[^\w.@+-]+")
_MAX_ID = 2**63 - 1


def shown(value: str, limit: int = 80) -> str:
    """A value quoted for a message, shortened."""
    value = value.replace("\n", " ")
    return '"' + (value if len(value) <= limit else value[: limit - 1] + "…") + '"'


# --- Decoding ---------------------------------------------------------------------------------


def decode_work_text(data: bytes) -> tuple[str, list[WorkTextWarning]]:
    """Bytes → text with LF line endings. UTF-8 (with or without a byte-order mark), UTF-16 with
    a byte-order mark, and Windows-1252 (with a warning) are read; anything else is refused."""
    warnings: list[WorkTextWarning] = []
    if data.startswith(codecs.BOM_UTF8):
        text = _decode(data[len(codecs.BOM_UTF8) :], "utf-8", "UTF-8", offset=3, whole=data)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(data, "utf-16", "UTF-16", offset=0, whole=data)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            try:
                text = data.decode("cp1252")
            except UnicodeDecodeError:
                raise WorkTextError(
                    line,
                    f"expected UTF-8 text (or UTF-16 with a byte-order mark, or Windows-1252), "
                    f"got byte 0x{data[exc.start]:02X} that none of them allows",
                ) from None
            warnings.append(
                WorkTextWarning(line, "not UTF-8: read as Windows-1252 (files should be UTF-8)")
            )
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise WorkTextError(
            line, "expected text, got a NUL character (UTF-16 without a byte-order mark?)"
        )
    return text.replace("\r\n", "\n").replace("\r", "\n"), warnings


def _decode(data: bytes, codec: str, name: str, *, offset: int, whole: bytes) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        line = whole.count(b"\n", 0, exc.start + offset) + 1
        raise WorkTextError(line, f"expected {name} text (as its byte-order mark says)") from None


def read_work_text(data: bytes) -> WorkText:
    """Decode and parse a file's bytes."""
    text, warnings = decode_work_text(data)
    work = parse_work_text(text)
    work.warnings_found[:0] = warnings
    return work


# --- Field values -----------------------------------------------------------------------------


def _label_key(label: str) -> str:
    return " ".join(label.replace("-", " ").casefold().split())


def field_of(label: str) -> str | None:
    """The field a label names, or None when the archive does not know it."""
    return LABELS.get(_label_key(label))


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.split("\n") if line.strip()]


def _flat(value: str) -> str:
    return " ".join(value.split())


def _items(value: str) -> list[str]:
    return [item.strip() for item in value.replace("\n", " ").split(",") if item.strip()]


def _title(label: str, value: str) -> str:
    title = _flat(value)
    if not title:
        raise ValueError("expected the work's title, got nothing")
    if len(title) > MAX_TITLE_LENGTH:
        raise ValueError(
            f"a title has at most {MAX_TITLE_LENGTH} characters, this has {len(title)}"
        )
    return title


def _work_id(label: str, value: str) -> int:
    flat = _flat(value)
    if not flat.isascii() or not flat.isdigit() or not 0 < int(flat) <= _MAX_ID:
        raise ValueError(f"expected a positive whole number such as 48213, got {shown(flat)}")
    return int(flat)


def login_from(name: str) -> str:
    """A login for a creator written without one: the name with spaces (and anything else a
    login cannot hold) turned into underscores. "Miss M" → "Miss_M"."""
    return _NOT_LOGIN.sub("_", name).strip("_")


def _creator(item: str) -> Creator:
    match = _BYLINE.match(item)
    pseud, login = (match.group(1).strip(), match.group(2).strip()) if match else (item, item)
    pseud = _flat(pseud)
    if not _LOGIN_OK.match(login):
        login = login_from(login)
    if not login:
        raise ValueError(f"cannot make a login out of {shown(item)}")
    for what, name in (("pseud", pseud), ("login", login)):
        if len(name) > MAX_NAME_LENGTH:
            raise ValueError(
                f"a {what} has at most {MAX_NAME_LENGTH} characters, {shown(name)} has {len(name)}"
            )
    return Creator(pseud=pseud, login=login)


def _creators(label: str, value: str) -> tuple[Creator, ...]:
    creators: dict[Creator, None] = {}
    for item in _items(value):
        creators.setdefault(_creator(item), None)
    if not creators:
        raise ValueError("expected creators such as `Miss M (missm)` or `missm`, got nothing")
    return tuple(creators)


def _rating(label: str, value: str) -> str:
    rating = resolve_fixed(TagType.RATING, value)
    if rating is None:
        raise ValueError(f"expected one of {', '.join(RATINGS)}; got {shown(_flat(value))}")
    return rating


def _fixed_list(tag_type: TagType, choices: tuple[str, ...], default: tuple[str, ...]) -> Callable:
    def parse(label: str, value: str) -> tuple[str, ...]:
        names: dict[str, None] = {}
        for item in _items(value):
            name = resolve_fixed(tag_type, item)
            if name is None:
                raise ValueError(f"expected some of {', '.join(choices)}; got {shown(item)}")
            names.setdefault(name, None)
        return tuple(names) or default

    return parse


def _tags(label: str, value: str) -> tuple[str, ...]:
    names: dict[str, str] = {}
    for item in _items(value):
        name = clean_tag_name(item)
        if problem := tag_name_problem(name):
            raise ValueError(f"{problem}: {shown(name)}")
        names.setdefault(tag_key(name), name)
    return tuple(names.values())


def _language(label: str, value: str) -> str:
    return resolve_language(value) or "" if _flat(value) else ""


def _series(label: str, value: str) -> tuple[SeriesPart, ...]:
    parts = []
    for item in _flat(value).split(";"):
        match = _SERIES.match(item.strip())
        title = _flat(match.group(2)) if match else ""
        if not match or int(match.group(1)) < 1 or len(title) > MAX_TITLE_LENGTH:
            raise ValueError(
                f'expected "Part N of Series Title" (several separated by " ; "), '
                f"got {shown(item.strip())}"
            )
        parts.append(SeriesPart(title=title, position=int(match.group(1))))
    return tuple(parts)


def _collections(label: str, value: str) -> tuple[str, ...]:
    return tuple(_items(value))


def _date(label: str, value: str) -> datetime.date:
    flat = _flat(value)
    try:
        if _DATE.match(flat):
            return datetime.date.fromisoformat(flat)
    except ValueError:
        pass
    raise ValueError(f"expected a date YYYY-MM-DD such as 2021-03-14, got {shown(flat)}")


def _number(label: str, value: str) -> int:
    flat = _flat(value)
    if not flat.isascii() or not _NUMBER.match(flat):
        raise ValueError(f"expected a whole number such as 2,345, got {shown(flat)}")
    return int(flat.replace(",", ""))


def _status(label: str, value: str) -> bool:
    status = STATUS_VALUES.get(_flat(value).casefold())
    if status is None:
        raise ValueError(f"expected Completed or In Progress, got {shown(_flat(value))}")
    return status


def _chapters(label: str, value: str) -> tuple[int, int | None]:
    flat = _flat(value)
    match = _CHAPTERS.match(flat)
    if not match:
        raise ValueError(f"expected posted/expected such as 3/5 or 2/?, got {shown(flat)}")
    posted = int(match.group(1))
    expected = None if match.group(2) == "?" else int(match.group(2))
    if posted < 1:
        raise ValueError(f"expected at least one posted chapter, got {shown(flat)}")
    if expected is not None and expected < posted:
        raise ValueError(f"expected no more chapters posted than expected, got {shown(flat)}")
    return posted, expected


def _paragraphs(label: str, value: str) -> tuple[str, ...]:
    return tuple(_lines(value))


FIELD_PARSERS: dict[str, Callable[[str, str], Any]] = {
    "title": _title,
    "work_id": _work_id,
    "creators": _creators,
    "rating": _rating,
    "warnings": _fixed_list(TagType.WARNING, WARNINGS, (DEFAULT_WARNING,)),
    "categories": _fixed_list(TagType.CATEGORY, CATEGORIES, ()),
    **dict.fromkeys(TAG_FIELDS, _tags),
    "language": _language,
    "series": _series,
    "collections": _collections,
    "published": _date,
    "updated": _date,
    **dict.fromkeys(STAT_FIELDS, _number),
    "status": _status,
    "chapters": _chapters,
    "summary": _paragraphs,
    "notes": _paragraphs,
    "end_notes": _paragraphs,
}


def parse_field(field: str, value: str, *, label: str = "", line: int = 0) -> Any:
    """A header value read as the field it belongs to; `WorkTextError` when it is malformed."""
    try:
        return FIELD_PARSERS[field](label, value)
    except ValueError as exc:
        raise WorkTextError(line, f"{label or field}: {exc}") from None


# --- The file ---------------------------------------------------------------------------------


def parse_header(lines: list[str]) -> tuple[list[HeaderLine], int]:
    """The header lines and the index of the blank line that ends the header."""
    entries: list[list[Any]] = []  # [label, [value lines], line number]
    for index, raw in enumerate(lines):
        if not raw.strip():
            break
        if raw[0].isspace() and entries:
            entries[-1][1].append(raw.strip())
            continue
        match = _HEADER.match(raw)
        if not match:
            if not entries:
                raise WorkTextError(
                    index + 1,
                    "expected a header line `Label: value` (is this a work-text file?), "
                    f"got {shown(raw.strip())}",
                )
            raise WorkTextError(
                index + 1,
                "expected a header line `Label: value` or the blank line that ends the header, "
                f"got {shown(raw.strip())}",
            )
        entries.append([match.group(1).strip(), [match.group(2).strip()], index + 1])
    else:
        raise WorkTextError(
            len(lines),
            "expected a blank line after the header, then the work's text; "
            "the file ends in the header",
        )
    header = [
        HeaderLine(label=label, value="\n".join(values), line=line, field=field_of(label))
        for label, values, line in entries
    ]
    return header, index


def parse_work_text(text: str) -> WorkText:
    """Text (LF line endings) → `WorkText`, with the defaults the contract gives for missing
    lines applied. Published stays None when missing (the importer uses today)."""
    if not text.strip():
        raise WorkTextError(
            1,
            "the file is empty: expected header lines `Label: value`, a blank line, then the text",
        )
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    header, end = parse_header(lines)

    values: dict[str, Any] = {}
    first: dict[str, HeaderLine] = {}
    warnings: list[WorkTextWarning] = []
    for entry in header:
        if entry.field is None:
            warnings.append(
                WorkTextWarning(entry.line, f"unknown label {shown(entry.label)}, kept as written")
            )
            continue
        value = parse_field(entry.field, entry.value, label=entry.label, line=entry.line)
        if entry.field in first:
            earlier = first[entry.field]
            if values[entry.field] != value:
                raise WorkTextError(
                    entry.line,
                    f"{entry.label}: given again with a different value (line {earlier.line} "
                    f"says {shown(_flat(earlier.value))}), got {shown(_flat(entry.value))}",
                )
            continue
        first[entry.field] = entry
        values[entry.field] = value
        if entry.field == "language" and not value and _flat(entry.value):
            warnings.append(
                WorkTextWarning(
                    entry.line,
                    f"{entry.label}: unknown language {shown(_flat(entry.value))}, kept as "
                    "written (the work gets no language code)",
                )
            )
    if "title" not in values:
        raise WorkTextError(1, "expected a `Title: …` line in the header (every work has a title)")
    _check_tag_types(values, first)

    chapters_line = first["chapters"].line if "chapters" in first else 0
    posted, expected = values.get("chapters", (None, None))
    body_start = end + 1
    notes_text, chapters = _split_chapters(lines, body_start, posted, chapters_line)
    posted = len(chapters)
    complete = values.get("status")
    if "chapters" not in values:
        expected = None if complete is False else posted
    if complete is None:
        complete = expected is not None and expected == posted

    notes = values.get("notes", ())
    if notes_text:
        notes = (*notes, *paragraphs_from_text(notes_text))

    return WorkText(
        title=values["title"],
        chapters=tuple(chapters),
        work_id=values.get("work_id"),
        creators=values.get("creators", ()),
        rating=values.get("rating", DEFAULT_RATING),
        warnings=values.get("warnings", (DEFAULT_WARNING,)),
        categories=values.get("categories", ()),
        fandoms=values.get("fandoms", ()),
        relationships=values.get("relationships", ()),
        characters=values.get("characters", ()),
        freeforms=values.get("freeforms", ()),
        language_code=values.get("language", ""),
        series=values.get("series", ()),
        collections=values.get("collections", ()),
        published=values.get("published"),
        updated=values.get("updated", values.get("published")),
        complete=complete,
        expected_chapters=expected,
        words=values.get("words"),
        kudos=values.get("kudos"),
        hits=values.get("hits"),
        bookmarks=values.get("bookmarks"),
        comments=values.get("comments"),
        summary=values.get("summary", ()),
        notes=tuple(notes),
        end_notes=values.get("end_notes", ()),
        header=tuple(header),
        warnings_found=warnings,
    )


def _check_tag_types(values: dict[str, Any], first: dict[str, HeaderLine]) -> None:
    """A tag has one type: the same name under two tag labels is refused."""
    seen: dict[str, str] = {}
    for field in TAG_FIELDS:
        for name in values.get(field, ()):
            key = tag_key(name)
            other = seen.setdefault(key, field)
            if other != field:
                raise WorkTextError(
                    first[field].line,
                    f"{first[field].label}: the tag {shown(name)} is also given as "
                    f"{first[other].label} (line {first[other].line}); a tag has one type",
                )


def _is_blank(lines: list[str], index: int) -> bool:
    return index >= len(lines) or not lines[index].strip()


def _split_chapters(
    lines: list[str], start: int, posted: int | None, chapters_line: int
) -> tuple[str, list[ChapterText]]:
    """The body's opening notes and its chapters, by the heading rules."""
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines):
        raise WorkTextError(len(lines), "expected the work's text after the header, got nothing")
    headings: list[tuple[int, str]] = []  # (index of the heading line, chapter title)
    wanted = 1
    extra: int | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        if "hapter" not in line and "HAPTER" not in line:
            continue
        match = HEADING.match(line.strip())
        if not match or not _is_blank(lines, index + 1) or index + 1 >= len(lines):
            continue
        if index > start and lines[index - 1].strip():
            continue
        number = int(match.group(1))
        if number != wanted:
            continue
        if posted is not None and number > posted:
            # More headings than posted chapters. A one-shot's text may hold a "Chapter 2"
            # line (the contract keeps it text); from two chapters on, the count is wrong.
            if headings and posted > 1:
                extra = index
            break
        if (posted == 1 or posted is None) and number == 1 and index != start:
            continue
        headings.append((index, " ".join((match.group(2) or "").split())))
        wanted += 1
    if posted is not None and posted > 1 and len(headings) != posted:
        found = len(headings)
        raise WorkTextError(
            chapters_line,
            f"Chapters: says {posted} chapters are posted, but the text has {found} chapter "
            f"heading{'s' if found != 1 else ''} (expected `Chapter {found + 1}` or "
            f"`Chapter {found + 1}: Title` alone on its line, with a blank line after it)",
        )
    if extra is not None:
        raise WorkTextError(
            extra + 1,
            f"a chapter heading `Chapter {wanted}`, but Chapters says "
            f"{posted} posted (line {chapters_line}); expected as many headings as posted chapters",
        )
    if not headings:
        return "", [ChapterText(title="", text=_text(lines, start, len(lines)), line=start + 1)]
    notes = _text(lines, start, headings[0][0])
    chapters = []
    for number, (index, title) in enumerate(headings, start=1):
        stop = headings[number][0] if number < len(headings) else len(lines)
        text = _text(lines, index + 1, stop)
        if not text.strip():
            raise WorkTextError(index + 1, f"expected the text of chapter {number}, got nothing")
        if len(title) > MAX_TITLE_LENGTH:
            raise WorkTextError(
                index + 1, f"a chapter title has at most {MAX_TITLE_LENGTH} characters"
            )
        chapters.append(ChapterText(title=title, text=text, line=index + 1))
    return notes, chapters


def _text(lines: list[str], start: int, stop: int) -> str:
    return "\n".join(lines[start:stop]).strip("\n")
