"""Round trips through the format, without a database: work → file → work and
file → work → file (the contract's "What must hold")."""

from hypothesis import HealthCheck, given, settings

from fanarchive.interchange.worktext import parse_work_text, write_work_text
from fanarchive.interchange.worktext.parser import STAT_FIELDS, field_of
from fanarchive.tags.names import tag_key

from .strategies import paragraphs, work_text_files, work_texts

FIELDS = (
    "title", "work_id", "creators", "rating", "warnings", "categories", "language_code",
    "series", "published", "updated", "complete", "expected_chapters", "summary", "end_notes",
)  # fmt: skip


def _lines(paras):
    return [line for para in paras for line in para.split("\n")]


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(work_texts())
def test_work_to_file_to_work(work):
    text = write_work_text(work)
    again = parse_work_text(text)
    for name in FIELDS:
        assert getattr(again, name) == getattr(work, name), name
    for name in ("fandoms", "relationships", "characters", "freeforms"):
        assert [tag_key(t) for t in getattr(again, name)] == [
            tag_key(t) for t in getattr(work, name)
        ]
    assert _lines(again.notes) == _lines(work.notes)
    assert [c.title for c in again.chapters] == [" ".join(c.title.split()) for c in work.chapters]
    assert [paragraphs(c.text) for c in again.chapters] == [
        paragraphs(c.text) for c in work.chapters
    ]
    # Writing is stable: the file written from the file's work is the same file.
    assert write_work_text(again) == text


def header_lines(text):
    """(label, value) of each header line, continuation lines joined by "\\n"."""
    head = text.split("\n\n", 1)[0]
    found = []
    for line in head.split("\n"):
        if line.startswith(" "):
            label, value = found[-1]
            found[-1] = (label, value + "\n" + line.strip())
        else:
            label, value = line.split(":", 1)
            found.append((label.strip(), value.strip()))
    return found


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(work_text_files())
def test_file_to_work_to_file(case):
    text, header, chapters = case
    work = parse_work_text(text)
    written = write_work_text(work)
    out = header_lines(written)
    # Every original line (statistics aside), same value, same relative order.
    position = 0
    for label, value in header:
        if field_of(label) in STAT_FIELDS:
            continue
        assert (label, value) in out[position:], (label, value, out)
        position = out.index((label, value), position) + 1
    again = parse_work_text(written)
    assert [paragraphs(c.text) for c in again.chapters] == [paragraphs(c) for c in chapters]
    assert again.notes == work.notes
