"""Writing the plain-text work format: `WorkText` → text (UTF-8, LF when encoded).

When the work came from a file, its original header lines (`WorkText.header`) are written back
first, in their order: verbatim when their value still reads as the work's current value,
otherwise in the canonical form under the same label; lines for fields the original lacked are
inserted in the contract's order. Statistics lines carry the work's own figures.
"""

from __future__ import annotations

from typing import Any

from fanarchive.core.text import paragraphs_from_text
from fanarchive.tags.names import tag_key
from fanarchive.works.languages import language_name

from .document import HeaderLine, WorkText
from .errors import WorkTextError
from .parser import HEADING, STAT_FIELDS, TAG_FIELDS, parse_field

# The contract's order, with the label each field is written under when it has to be added.
ORDER: tuple[tuple[str, str], ...] = (
    ("title", "Title"),
    ("work_id", "Work ID"),
    ("creators", "Author"),
    ("rating", "Rating"),
    ("warnings", "Archive Warning"),
    ("categories", "Category"),
    ("fandoms", "Fandom"),
    ("relationships", "Relationship"),
    ("characters", "Character"),
    ("freeforms", "Additional Tags"),
    ("language", "Language"),
    ("series", "Series"),
    ("collections", "Collections"),
    ("published", "Published"),
    ("updated", "Updated"),
    ("words", "Words"),
    ("kudos", "Kudos"),
    ("hits", "Hits"),
    ("bookmarks", "Bookmarks"),
    ("comments", "Comments"),
    ("status", "Status"),
    ("chapters", "Chapters"),
    ("summary", "Summary"),
    ("notes", "Notes"),
    ("end_notes", "End Notes"),
)
_RANK = {field: rank for rank, (field, _label) in enumerate(ORDER)}


def _lines_of(paragraphs: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(
        " ".join(line.split()) for para in paragraphs for line in para.split("\n") if line.strip()
    )


def current_values(work: WorkText) -> dict[str, Any]:
    """Each field's current value in the form `parse_field` gives (tags as keys); fields with
    nothing to say are left out."""
    values: dict[str, Any] = {
        "title": work.title,
        "work_id": work.work_id,
        "creators": work.creators,
        "rating": work.rating,
        "warnings": work.warnings,
        "categories": work.categories,
        "language": work.language_code,
        "series": work.series,
        "collections": work.collections,
        "published": work.published,
        "updated": work.updated,
        "status": work.complete,
        "chapters": (len(work.chapters), work.expected_chapters),
        "summary": _lines_of(work.summary),
        "notes": _lines_of(work.notes),
        "end_notes": _lines_of(work.end_notes),
    }
    for field in TAG_FIELDS:
        values[field] = tuple(tag_key(name) for name in getattr(work, field))
    for field in STAT_FIELDS:
        values[field] = getattr(work, field)
    return {k: v for k, v in values.items() if v not in (None, (), "")}


def _canonical(field: str, work: WorkText) -> str:
    if field in TAG_FIELDS:
        return ", ".join(getattr(work, field))
    if field in STAT_FIELDS:
        return str(getattr(work, field))
    match field:
        case "title":
            return " ".join(work.title.split())
        case "work_id":
            return str(work.work_id)
        case "creators":
            return ", ".join(creator.byline for creator in work.creators)
        case "rating":
            return work.rating
        case "warnings":
            return ", ".join(work.warnings)
        case "categories":
            return ", ".join(work.categories)
        case "language":
            return language_name(work.language_code)
        case "series":
            return " ; ".join(f"Part {part.position} of {part.title}" for part in work.series)
        case "collections":
            return ", ".join(work.collections)
        case "published":
            return work.published.isoformat() if work.published else ""
        case "updated":
            return work.updated.isoformat() if work.updated else ""
        case "status":
            return "Completed" if work.complete else "In Progress"
        case "chapters":
            expected = "?" if work.expected_chapters is None else work.expected_chapters
            return f"{len(work.chapters)}/{expected}"
        case "summary" | "notes" | "end_notes":
            return "\n".join(_lines_of(getattr(work, field)))
    raise KeyError(field)


def _line(label: str, value: str) -> str:
    first, *rest = value.split("\n")
    return "\n".join([f"{label}: {first}".rstrip(), *(f"  {line}" for line in rest)])


def _reads_as(field: str, entry: HeaderLine, current: dict[str, Any]) -> bool:
    try:
        value = parse_field(field, entry.value)
    except WorkTextError:
        return False
    if field in TAG_FIELDS:
        value = tuple(tag_key(name) for name in value)
    elif field in ("summary", "notes", "end_notes"):
        value = _lines_of(value)
    return value == current.get(field, "" if field == "language" else None)


def _stat(entry: HeaderLine, number: int) -> str:
    return f"{number:,}" if "," in entry.value else str(number)


def write_header(work: WorkText, *, notes_in_body: bool = False) -> str:
    current = current_values(work)
    # Fields written only when they carry information beyond the importer's defaults.
    if work.updated == work.published:
        current.pop("updated", None)
    if notes_in_body:
        current.pop("notes", None)
    out: list[tuple[str | None, str]] = []
    done: set[str] = set()
    for entry in work.header:
        field = entry.field
        if field is None:
            out.append((None, _line(entry.label, entry.value)))
        elif field in STAT_FIELDS:
            if field in current and field not in done:
                out.append((field, _line(entry.label, _stat(entry, current[field]))))
        elif field == "updated" and work.updated and field not in done:
            reads = _reads_as(field, entry, {"updated": work.updated})
            out.append(
                (field, _line(entry.label, entry.value if reads else _canonical(field, work)))
            )
        elif field in current and field not in done:
            if _reads_as(field, entry, current):
                out.append((field, _line(entry.label, entry.value)))
            else:
                out.append((field, _line(entry.label, _canonical(field, work))))
        elif field in done and field in current and _reads_as(field, entry, current):
            out.append((field, _line(entry.label, entry.value)))  # a repeated line, same value
        elif (
            field == "language"
            and field not in done
            and not work.language_code
            and _reads_as(field, entry, current)
        ):
            # An unknown language read as no code: written back as given.
            out.append((field, _line(entry.label, entry.value)))
        if field is not None:
            done.add(field)
    for field, label in ORDER:
        if field in done or field not in current:
            continue
        if field == "updated":
            label = "Completed" if work.complete else "Updated"
        position = 0
        for index, (other, _text) in enumerate(out):
            if other is not None and _RANK[other] < _RANK[field]:
                position = index + 1
        out.insert(position, (field, _line(label, _canonical(field, work))))
    return "\n".join(text for _field, text in out)


def _paragraphs(text: str) -> str:
    return "\n\n".join(paragraphs_from_text(text))


def write_work_text(work: WorkText) -> str:
    """The whole file: header, blank line, body, final newline."""
    chapters = work.chapters
    notes_in_body = (
        len(chapters) > 1
        and bool(work.notes)
        and not any(entry.field == "notes" for entry in work.header)
    )
    parts: list[str] = []
    if notes_in_body:
        parts.append("\n\n".join(work.notes))
    if len(chapters) == 1 and not chapters[0].title and not _starts_like_heading(chapters[0].text):
        parts.append(_paragraphs(chapters[0].text))
    else:
        for number, chapter in enumerate(chapters, start=1):
            title = " ".join(chapter.title.split())
            parts.append(f"Chapter {number}: {title}" if title else f"Chapter {number}")
            parts.append(_paragraphs(chapter.text))
    return write_header(work, notes_in_body=notes_in_body) + "\n\n" + "\n\n".join(parts) + "\n"


def _starts_like_heading(text: str) -> bool:
    """A one-shot whose first paragraph reads as a heading gets an explicit `Chapter 1` heading,
    so that reading the file back keeps that paragraph as text."""
    paragraphs = paragraphs_from_text(text)
    return bool(paragraphs) and bool(HEADING.match(paragraphs[0].strip()))
