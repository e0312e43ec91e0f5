# ruff: noqa: RUF001
# (typographic quotes and dashes are what these tests read)
"""The work-text parser: pure, no database."""

import codecs
import datetime
from pathlib import Path

import pytest

from fanarchive.interchange.worktext import (
    Creator,
    SeriesPart,
    WorkTextError,
    parse_work_text,
    read_work_text,
)

FILES = Path(__file__).parent / "files"
LES_MIS = Path("/work/shared/data/texts/les-miserables.txt")


def parse(text: str):
    return parse_work_text(text)


def refusal(text: str | bytes) -> WorkTextError:
    with pytest.raises(WorkTextError) as info:
        read_work_text(text.encode() if isinstance(text, str) else text)
    return info.value


def test_the_contract_example():
    work = read_work_text((FILES / "lamplighter.txt").read_bytes())
    assert work.title == "The Lamplighter's Round"
    assert work.work_id == 48213
    assert work.creators == (Creator(pseud="Corvid Quill", login="corvidquill"),)
    assert work.rating == "Teen And Up Audiences"
    assert work.relationships == (
        "Marius Pontmercy/Cosette Fauchelevent",
        "Marius Pontmercy & Enjolras",
    )
    assert work.freeforms == ("Alternate Universe - Modern Setting", "Fluff", "Slow Burn")
    assert work.language_code == "en"
    assert work.complete is True
    assert work.expected_chapters == 1
    assert len(work.chapters) == 1
    assert work.chapters[0].title == ""
    assert work.chapters[0].text.startswith("The lamps on the Rue Plumet")
    assert work.chapters[0].text.endswith("decided to speak.")
    # AO3's defaults for what the file does not say.
    assert work.warnings == ("Creator Chose Not To Use Archive Warnings",)
    assert work.published is None
    assert work.warnings_found == []


def test_labels_plurals_case_folding_series_and_chapters():
    work = read_work_text((FILES / "candles.txt").read_bytes())
    assert work.title == "Candlesticks"
    assert work.work_id == 1862
    assert work.creators == (
        Creator(pseud="Miss M", login="missm"),
        Creator(pseud="corvidquill", login="corvidquill"),
        Creator(pseud="Miss M", login="Miss_M"),
    )
    assert work.warnings == ("No Archive Warnings Apply",)
    assert work.categories == ("Gen", "F/M")
    assert work.fandoms == ("Les Misérables - Victor Hugo",)
    assert work.characters == ("Jean Valjean", "Bishop Myriel")
    assert work.language_code == "fr"
    assert work.series == (SeriesPart("Digne Stories", 2), SeriesPart("Silver", 1))
    assert work.collections == ("Les Mis Week 2021",)
    assert work.published == datetime.date(2021, 3, 14)
    assert work.updated == datetime.date(2021, 4, 1)
    assert (work.words, work.kudos) == (1234, 57)
    assert work.complete is False
    assert work.expected_chapters is None
    assert work.summary == ("The bishop's candlesticks", "and what became of them.")
    assert work.notes == ("A note before the chapters.",)
    assert [c.title for c in work.chapters] == ["Candles", ""]
    assert work.chapters[0].text == (
        "The bishop's candlesticks stood on the mantel.\nHe looked at them."
    )
    assert work.chapters[1].text == "Morning came grey over Digne.\n\nChapter 3 will come later."
    assert [w.line for w in work.warnings_found] == [19]
    assert "Mood" in work.warnings_found[0].message
    assert [h.label for h in work.header][-1] == "Mood"


HEADER = "Title: T\n"


@pytest.mark.parametrize(
    ("header", "field", "value"),
    [
        ("Status: Completed\nChapters: 1/3", "complete", True),
        ("Status: In Progress\nChapters: 1/1", "complete", False),
        ("Status: In-Progress", "complete", False),
        ("Status: Updated", "complete", False),
        ("Chapters: 1/1", "complete", True),
        ("Chapters: 1/2", "complete", False),
        ("Chapters: 1/?", "complete", False),
        ("Chapters: 1/?", "expected_chapters", None),
        ("Status: In Progress", "expected_chapters", None),
        ("", "expected_chapters", 1),
        ("", "complete", True),
        ("Rating: teen and up audiences", "rating", "Teen And Up Audiences"),
        ("Rating: Explicit", "rating", "Explicit"),
        ("", "rating", "Not Rated"),
        (
            "Archive Warning: Choose Not To Use Archive Warnings",
            "warnings",
            ("Creator Chose Not To Use Archive Warnings",),
        ),
        (
            "Warnings: Major Character Death, Graphic Depictions Of Violence",
            "warnings",
            ("Major Character Death", "Graphic Depictions Of Violence"),
        ),
        ("Language: Français", "language_code", "fr"),
        ("Language: French", "language_code", "fr"),
        ("Language: 日本語", "language_code", "ja"),
        ("Language: Elvish Pig Latin", "language_code", ""),
        ("Author: missm", "creators", (Creator("missm", "missm"),)),
        ("Authors: Miss M", "creators", (Creator("Miss M", "Miss_M"),)),
        ("Creator: Miss M (miss m)", "creators", (Creator("Miss M", "miss_m"),)),
        ("Additional Tags: A, , B,", "freeforms", ("A", "B")),
        ("Additional Tags: Fluff, fluff", "freeforms", ("Fluff",)),
        (
            "Fandom: Alpha/Beta/Omega Dynamics - Fandom",
            "fandoms",
            ("Alpha/Beta/Omega Dynamics - Fandom",),
        ),
        ("Words: 12,345", "words", 12345),
        ("Title: T", "title", "T"),
        ("Work ID  :  7 ", "work_id", 7),
        ("Summary: one\n two\n\tthree", "summary", ("one", "two", "three")),
        ("Summary:\n one", "summary", ("one",)),
        ("End Notes: bye", "end_notes", ("bye",)),
        ("Completed: 2020-01-02", "updated", datetime.date(2020, 1, 2)),
    ],
)
def test_header_values(header, field, value):
    work = parse(f"{HEADER}{header}\n\nText.\n" if header else f"{HEADER}\nText.\n")
    assert getattr(work, field) == value


def test_unknown_language_is_a_warning_not_a_refusal():
    work = parse("Title: T\nLanguage: Elvish Pig Latin\n\nText.\n")
    assert work.language_code == ""
    assert [(w.line, "Elvish Pig Latin" in w.message) for w in work.warnings_found] == [(2, True)]


def test_a_repeated_label_with_the_same_value_is_fine():
    work = parse("Title: T\nRating: Mature\nRatings: mature\n\nText.\n")
    assert work.rating == "Mature"


def test_headings_are_only_the_sequence_up_to_the_posted_count():
    work = parse("Title: T\nChapters: 1/1\n\nChapter one.\n\nChapter 2\n\nMore.\n")
    assert len(work.chapters) == 1
    assert "Chapter 2" in work.chapters[0].text


def test_a_one_chapter_work_may_start_with_a_titled_heading():
    work = parse(
        "Title: T\nChapters: 1/1\n\nChapter 1: Beginnings\n\nText.\n\nChapter 2\n\nMore.\n"
    )
    assert [(c.title, c.text) for c in work.chapters] == [
        ("Beginnings", "Text.\n\nChapter 2\n\nMore.")
    ]


def test_a_heading_not_at_the_top_of_a_one_shot_is_text():
    work = parse("Title: T\n\nPrologue.\n\nChapter 1\n\nText.\n")
    assert len(work.chapters) == 1
    assert work.chapters[0].text.startswith("Prologue.")
    assert work.notes == ()


def test_without_a_chapters_line_headings_from_the_top_count():
    work = parse("Title: T\n\nChapter 1\n\nOne.\n\nChapter 2: Two\n\nTwo.\n")
    assert [c.title for c in work.chapters] == ["", "Two"]
    assert (work.expected_chapters, work.complete) == (2, True)


def test_a_heading_needs_a_blank_line_after_it():
    work = parse(
        "Title: T\nChapters: 2/2\n\nChapter 1\n\nOne.\n\nChapter 2\nTwo.\n\nChapter 2\n\nx\n"
    )
    assert work.chapters[0].text == "One.\n\nChapter 2\nTwo."


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [
        ("", 1, "the file is empty"),
        ("   \n\n", 1, "the file is empty"),
        ("Title: T\nRating: Mature\nThe story starts.\n", 3, "or the blank line that ends"),
        ("Title: T\nRating: Mature\n", 2, "expected a blank line after the header"),
        ("Title: T\n\n\n  \n", 4, "expected the work's text after the header"),
        ("Rating: Mature\n\nText.\n", 1, "expected a `Title: …` line"),
        ("Title:   \n\nText.\n", 1, "Title: expected the work's title"),
        (
            "Title: T\nWork ID: abc\n\nText.\n",
            2,
            'Work ID: expected a positive whole number such as 48213, got "abc"',
        ),
        ("Title: T\nWork ID: 0\n\nText.\n", 2, "Work ID: expected a positive whole number"),
        ("Title: T\nWork ID: -4\n\nText.\n", 2, "Work ID: expected a positive whole number"),
        ("Title: T\nWork ID: 1.5\n\nText.\n", 2, "Work ID: expected a positive whole number"),
        (
            "Title: T\nRating: PG-13\n\nText.\n",
            2,
            "Rating: expected one of Not Rated, General Audiences, Teen And Up Audiences, "
            'Mature, Explicit; got "PG-13"',
        ),
        (
            "Title: T\nArchive Warning: Spiders\n\nText.\n",
            2,
            "Archive Warning: expected some of Creator Chose",
        ),
        ("Title: T\nCategory: M/M, X/Y\n\nText.\n", 2, "Category: expected some of Gen"),
        (
            "Title: T\nAuthor: a\nWork ID: 3\nChapters: three\n\nText.\n",
            4,
            'Chapters: expected posted/expected such as 3/5 or 2/?, got "three"',
        ),
        ("Title: T\nChapters: 0/1\n\nText.\n", 2, "at least one posted chapter"),
        ("Title: T\nChapters: 3/2\n\nText.\n", 2, "no more chapters posted than expected"),
        (
            "Title: T\nChapters: 3/3\n\nChapter 1\n\nA\n\nChapter 2\n\nB\n",
            2,
            "says 3 chapters are posted, but the text has 2 chapter headings",
        ),
        (
            "Title: T\nChapters: 2/2\n\nNo headings at all.\n",
            2,
            "says 2 chapters are posted, but the text has 0 chapter headings",
        ),
        (
            "Title: T\nChapters: 2/3\n\nChapter 1\n\nA\n\nChapter 2\n\nB\n\nChapter 3\n\nC\n",
            12,
            "a chapter heading `Chapter 3`, but Chapters says 2 posted (line 2)",
        ),
        (
            "Title: T\nChapters: 2/2\n\nChapter 1\n\nA\n\nChapter 2\n\n \n",
            8,
            "expected the text of chapter 2",
        ),
        (
            "Title: T\nRating: Mature\nRating: Explicit\n\nText.\n",
            3,
            'Rating: given again with a different value (line 2 says "Mature"), got "Explicit"',
        ),
        ("Title: T\nFandom: A\nFandoms: B\n\nText.\n", 3, "given again with a different value"),
        ("Title: T\nPublished: 14/03/2021\n\nText.\n", 2, "Published: expected a date YYYY-MM-DD"),
        ("Title: T\nPublished: 2021-02-30\n\nText.\n", 2, "Published: expected a date YYYY-MM-DD"),
        ("Title: T\nStatus: Abandoned\n\nText.\n", 2, "Status: expected Completed or In Progress"),
        ("Title: T\nWords: lots\n\nText.\n", 2, "Words: expected a whole number"),
        (
            "Title: T\nSeries: Digne Stories\n\nText.\n",
            2,
            'Series: expected "Part N of Series Title"',
        ),
        (
            "Title: T\nAdditional Tags: Fluff, Smut*\n\nText.\n",
            2,
            "Additional Tags: a tag name cannot contain *",
        ),
        (
            "Title: T\nCharacter: " + "x" * 151 + "\n\nText.\n",
            2,
            "Character: a tag name has at most 150 characters",
        ),
        (
            "Title: T\nFandom: Bats\nCharacter: bats\n\nText.\n",
            3,
            'Character: the tag "bats" is also given as Fandom (line 2); a tag has one type',
        ),
        ("Title: T\nAuthor: !!!\n\nText.\n", 2, 'Author: cannot make a login out of "!!!"'),
        (
            "Title: T\nAuthor: " + "a" * 41 + "\n\nText.\n",
            2,
            "Author: a pseud has at most 40 characters",
        ),
        ("Once upon a time: there was\n\nText.\n", 1, "expected a `Title: …` line"),
        (
            "Once upon a time, there was\n\nText.\n",
            1,
            "expected a header line `Label: value` (is this a work-text file?)",
        ),
        (
            "Chapter 1\n\nText.\n",
            1,
            'expected a header line `Label: value` (is this a work-text file?), got "Chapter 1"',
        ),
    ],
)
def test_refusals_name_the_line_and_what_was_expected(text, line, expected):
    error = refusal(text)
    assert error.line == line
    assert expected in error.message
    assert error.where("works/1.txt").startswith(f"works/1.txt:{line}: ")


def test_a_file_that_is_not_a_work_text_file():
    error = refusal(LES_MIS.read_bytes())
    assert error.line == 1
    assert error.message == (
        "expected a header line `Label: value` (is this a work-text file?), got "
        '"The Project Gutenberg eBook of Les Misérables, by Victor Hugo"'
    )


def test_the_contract_error_example():
    error = refusal((FILES / "bad-chapters.txt").read_bytes())
    assert error.where("works/48213.txt") == (
        'works/48213.txt:2: Chapters: expected posted/expected such as 3/5 or 2/?, got "three"'
    )


# --- Encodings --------------------------------------------------------------------------------

SAMPLE = "Title: Les Misérables – “Fantine”\nAuthor: Hugo\n\nJean Valjean’s candlesticks.\n"


@pytest.mark.parametrize(
    "data",
    [
        SAMPLE.encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.encode("utf-8"),
        SAMPLE.replace("\n", "\r\n").encode("utf-8"),
        SAMPLE.replace("\n", "\r").encode("utf-8"),
        codecs.BOM_UTF8 + SAMPLE.replace("\n", "\r\n").encode("utf-8"),
        SAMPLE.encode("utf-16"),  # with its byte-order mark
        codecs.BOM_UTF16_BE + SAMPLE.encode("utf-16-be"),
        SAMPLE.replace("\n", "\r\n").encode("utf-16-le").join([codecs.BOM_UTF16_LE, b""]),
    ],
)
def test_encodings_and_line_endings(data):
    work = read_work_text(data)
    assert work.title == "Les Misérables – “Fantine”"
    assert work.chapters[0].text == "Jean Valjean’s candlesticks."
    assert work.warnings_found == []


def test_windows_1252_is_read_with_a_warning():
    work = read_work_text(SAMPLE.encode("cp1252"))
    assert work.title == "Les Misérables – “Fantine”"
    assert [(w.line, "Windows-1252" in w.message) for w in work.warnings_found] == [(1, True)]


@pytest.mark.parametrize("byte", [0x81, 0x8D, 0x8F, 0x90, 0x9D])
def test_bytes_neither_utf8_nor_windows_1252_are_refused(byte):
    data = b"Title: T\n\nGood line.\nBad " + bytes([byte]) + b" line.\n"
    error = refusal(data)
    assert error.line == 4
    assert f"0x{byte:02X}" in error.message
    assert "expected UTF-8 text" in error.message


def test_utf16_without_a_byte_order_mark_is_refused():
    error = refusal(SAMPLE.encode("utf-16-le"))
    assert "NUL" in error.message
