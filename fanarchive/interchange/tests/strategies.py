# ruff: noqa: RUF001
# (typographic quotes and dashes are what these tests read)
"""Hypothesis strategies for works and work-text files."""

import datetime

from hypothesis import strategies as st

from fanarchive.core.text import paragraphs_from_text
from fanarchive.interchange.worktext import ChapterText, Creator, SeriesPart, WorkText
from fanarchive.tags.fixed import CATEGORIES, RATINGS, WARNINGS
from fanarchive.tags.names import tag_key

WORD_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789éßøÉ日本語’'"
words = st.text(WORD_CHARS, min_size=1, max_size=8).filter(
    lambda w: not w.casefold().startswith("chapter")
)
PUNCT = st.sampled_from(["", "", "", ".", "!", "?", " -", " &", "/x", " (x)", ":"])


@st.composite
def phrase(draw, max_words=5):
    text = " ".join(draw(st.lists(words, min_size=1, max_size=max_words))) + draw(PUNCT)
    return text


names = phrase(max_words=4).filter(lambda n: len(n) <= 40 and not n.startswith("Part"))
lines = phrase(max_words=10)
paragraph = st.lists(lines, min_size=1, max_size=3).map("\n".join)
text = st.lists(paragraph, min_size=1, max_size=5).map("\n\n".join)
logins = st.text("abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=20)
dates = st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 12, 31))
languages = st.sampled_from(["", "en", "fr", "de", "ja", "pt-br", "zh"])


@st.composite
def creators(draw):
    found = []
    for login in draw(st.lists(logins, min_size=1, max_size=3, unique=True)):
        pseud = draw(st.one_of(st.just(login), names))
        found.append(Creator(pseud=pseud, login=login))
    return tuple(found)


@st.composite
def work_texts(draw):
    """A work as the format can say it (what the writer is given)."""
    tag_names = draw(st.lists(names, max_size=12, unique_by=tag_key))
    cuts = sorted(draw(st.lists(st.integers(0, len(tag_names)), min_size=3, max_size=3)))
    fandoms = tag_names[: cuts[0]]
    relationships = tag_names[cuts[0] : cuts[1]]
    characters = tag_names[cuts[1] : cuts[2]]
    freeforms = tag_names[cuts[2] :]
    n = draw(st.integers(1, 4))
    chapter_titles = draw(st.lists(st.one_of(st.just(""), names), min_size=n, max_size=n))
    chapters = tuple(ChapterText(title=t, text=draw(text)) for t in chapter_titles)
    expected = draw(st.one_of(st.none(), st.integers(n, n + 3)))
    published = draw(dates)
    return WorkText(
        title=draw(phrase(max_words=8)),
        chapters=chapters,
        work_id=draw(st.one_of(st.none(), st.integers(1, 2**40))),
        creators=draw(creators()),
        rating=draw(st.sampled_from(RATINGS)),
        warnings=tuple(draw(st.lists(st.sampled_from(WARNINGS), min_size=1, unique=True))),
        categories=tuple(draw(st.lists(st.sampled_from(CATEGORIES), unique=True))),
        fandoms=tuple(fandoms),
        relationships=tuple(relationships),
        characters=tuple(characters),
        freeforms=tuple(freeforms),
        language_code=draw(languages),
        series=tuple(
            SeriesPart(title=t, position=p)
            for t, p in draw(
                st.lists(st.tuples(names, st.integers(1, 50)), max_size=2, unique_by=lambda x: x[0])
            )
        ),
        published=published,
        updated=draw(st.one_of(st.just(published), dates.filter(lambda d: d >= published))),
        complete=draw(st.booleans()),
        expected_chapters=expected,
        summary=tuple(draw(st.lists(lines, max_size=3))),
        notes=tuple(draw(st.lists(lines, max_size=3))),
        end_notes=tuple(draw(st.lists(lines, max_size=2))),
    )


def paragraphs(text_value: str) -> list[str]:
    return paragraphs_from_text(text_value)


# --- Files ------------------------------------------------------------------------------------

LABEL_SPELLINGS = {
    "title": ["Title", "TITLE", "title"],
    "work_id": ["Work ID", "work id"],
    "creators": ["Author", "Authors", "Creator", "Creators", "author"],
    "rating": ["Rating", "Ratings"],
    "warnings": ["Archive Warning", "Archive Warnings"],
    "categories": ["Category", "Categories"],
    "fandoms": ["Fandom", "Fandoms"],
    "relationships": ["Relationship", "Relationships"],
    "characters": ["Character", "Characters"],
    "freeforms": ["Additional Tags", "additional tags"],
    "language": ["Language"],
    "series": ["Series"],
    "collections": ["Collections"],
    "published": ["Published"],
    "updated": ["Updated", "Completed"],
    "words": ["Words"],
    "kudos": ["Kudos"],
    "status": ["Status"],
    "chapters": ["Chapters"],
    "summary": ["Summary"],
    "notes": ["Notes"],
    "end_notes": ["End Notes"],
    None: ["Mood", "Beta Reader", "Source"],
}
STATUS_SPELLINGS = ["Completed", "In Progress", "Work in Progress", "In-Progress", "Updated"]
LANGUAGE_SPELLINGS = ["English", "en", "French", "Français", "fr", "日本語", "Klingonese Dialect"]


@st.composite
def work_text_files(draw):
    """A valid work-text file: (text, its header lines as (label, value), chapter count)."""
    n = draw(st.integers(1, 3))
    tag_names = draw(st.lists(names, max_size=8, unique_by=tag_key))
    fields = draw(
        st.lists(
            st.sampled_from([f for f in LABEL_SPELLINGS if f not in ("title", "chapters")]),
            unique=True,
            max_size=12,
        )
    )
    if None in fields:
        fields.insert(fields.index(None), None)  # maybe two unknown labels
    fields = ["title", *fields]
    if n > 1 or draw(st.booleans()):
        fields.insert(draw(st.integers(1, len(fields))), "chapters")
    header = []
    tag_fields = [f for f in fields if f in ("fandoms", "relationships", "characters", "freeforms")]
    for f in fields:
        label = draw(st.sampled_from(LABEL_SPELLINGS[f]))
        match f:
            case "title":
                value = draw(phrase(max_words=6))
            case "work_id":
                value = str(draw(st.integers(1, 10**9)))
            case "creators":
                value = ", ".join(c.byline for c in draw(creators()))
            case "rating":
                value = draw(st.sampled_from(RATINGS))
            case "warnings":
                value = ", ".join(
                    draw(st.lists(st.sampled_from(WARNINGS), min_size=1, unique=True))
                )
            case "categories":
                value = ", ".join(
                    draw(st.lists(st.sampled_from(CATEGORIES), min_size=1, unique=True))
                )
            case "fandoms" | "relationships" | "characters" | "freeforms":
                share = tag_names[tag_fields.index(f) :: len(tag_fields)]
                value = ", ".join(share) or draw(names)
                if not share:
                    tag_names.append(value)
            case "language":
                value = draw(st.sampled_from(LANGUAGE_SPELLINGS))
            case "series":
                value = " ; ".join(
                    f"Part {p} of {t}"
                    for t, p in draw(
                        st.lists(st.tuples(names, st.integers(1, 9)), min_size=1, max_size=2)
                    )
                )
            case "collections":
                value = ", ".join(draw(st.lists(names, min_size=1, max_size=2)))
            case "published" | "updated":
                value = draw(dates).isoformat()
            case "words" | "kudos":
                value = f"{draw(st.integers(0, 10**6)):,}"
            case "status":
                value = draw(st.sampled_from(STATUS_SPELLINGS))
            case "chapters":
                value = f"{n}/{draw(st.sampled_from(['?', str(n), str(n + 2)]))}"
            case "summary" | "notes" | "end_notes":
                value = "\n".join(draw(st.lists(lines, min_size=1, max_size=3)))
            case _:
                value = draw(phrase(max_words=4))
        header.append((label, value))
    # A name given under two tag labels would be refused: keep tag labels' names apart.
    seen = {}
    for index, (label, value) in enumerate(header):
        if fields[index] in ("fandoms", "relationships", "characters", "freeforms"):
            kept = [v for v in value.split(", ") if seen.setdefault(tag_key(v), index) == index]
            header[index] = (label, ", ".join(kept) or f"tag{index}")
    chapters = [draw(text) for _ in range(n)]
    titles = [draw(st.one_of(st.just(""), names)) for _ in range(n)]
    body = []
    if n > 1 and "notes" not in fields and draw(st.booleans()):
        body.append(draw(text))  # opening notes before the first heading
    for number, (title, chapter) in enumerate(zip(titles, chapters, strict=True), start=1):
        if n > 1 or title:
            body.append(f"Chapter {number}: {title}" if title else f"Chapter {number}")
        body.append(chapter)
    lines_out = []
    for label, value in header:
        first, *rest = value.split("\n")
        lines_out.append(f"{label}: {first}")
        lines_out.extend(f"  {line}" for line in rest)
    return "\n".join(lines_out) + "\n\n" + "\n\n".join(body) + "\n", header, chapters
