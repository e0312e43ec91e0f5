"""The `import` and `export` commands: summary, exit status, files written."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import HealthCheck, given, settings

from fanarchive.interchange.exporter import work_text_of, works_for_export
from fanarchive.interchange.importer import WorkTextImporter
from fanarchive.interchange.worktext import parse_work_text
from fanarchive.interchange.worktext.parser import STAT_FIELDS, field_of
from fanarchive.works.models import Work, WorkStats
from fanarchive.works.tests.factories import WorkFactory

from .strategies import paragraphs, work_text_files, work_texts
from .test_roundtrip_text import header_lines

FILES = Path(__file__).parent / "files"
pytestmark = pytest.mark.django_db


def call(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_summary_and_success(tmp_path):
    out, err = call("import", str(FILES / "lamplighter.txt"), str(FILES / "candles.txt"))
    summary, *rest = out.strip().splitlines()
    assert summary == "imported 2, updated 0, skipped 0, refused 0, warnings 1"
    # lamplighter.txt has no Fandom line and its relationship has no fandom parent yet.
    assert rest == [
        "Works without a fandom: 0 got theirs from their tags, 1 need one "
        "(/wrangling/works-needing-fandom)."
    ]
    assert "candles.txt:19: unknown label" in err
    assert Work.objects.count() == 2


def test_import_exits_non_zero_when_anything_is_refused(tmp_path):
    with pytest.raises(CommandError) as info:
        call("import", str(FILES / "bad-chapters.txt"), str(FILES / "lamplighter.txt"))
    assert info.value.returncode == 1
    assert str(info.value) == "1 file was refused"
    assert Work.objects.count() == 1


def test_import_reports_skips_and_refuses_on_conflict_fail(tmp_path):
    call("import", str(FILES / "lamplighter.txt"))
    out, err = call("import", str(FILES / "lamplighter.txt"))
    assert "skipped 1" in out
    assert "lamplighter.txt:2: Work ID 48213 is already in the archive" in err
    with pytest.raises(CommandError):
        call("import", "--on-conflict", "fail", str(FILES / "lamplighter.txt"))


def test_import_dry_run_writes_nothing(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):  # bad-chapters.txt is refused, dry run or not
        call_command("import", "--dry-run", str(FILES), stdout=out, stderr=err)
    assert not Work.objects.exists()
    assert out.getvalue().strip() == (
        "Dry run, nothing was written: imported 2, updated 0, skipped 0, refused 1, warnings 1"
    )
    assert "bad-chapters.txt:2: Chapters: expected" in err.getvalue()


def test_import_fandom_option_is_checked():
    with pytest.raises(CommandError, match="--fandom: a tag name cannot contain"):
        call("import", "--fandom", "Bad*Name", str(FILES / "lamplighter.txt"))


def test_the_les_miserables_novel_is_refused_as_not_a_work_text_file():
    path = "/work/shared/data/texts/les-miserables.txt"
    _out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", path, stdout=_out, stderr=err)
    assert f"{path}:1: expected a header line `Label: value` (is this a work-text file?)" in (
        err.getvalue()
    )


def test_export_writes_files_and_checks_ids(tmp_path):
    call("import", str(FILES / "lamplighter.txt"), str(FILES / "candles.txt"))
    out, _err = call("export", "--all", "--format", "text", "--out", str(tmp_path / "out"))
    assert out.strip() == f"Wrote 2 works to {tmp_path / 'out'}"
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["1862.txt", "48213.txt"]
    data = (tmp_path / "out" / "48213.txt").read_bytes()
    assert b"\r" not in data
    assert data.decode("utf-8").startswith("Title: The Lamplighter's Round\nWork ID: 48213\n")
    with pytest.raises(CommandError, match="no work with id 999: nothing was written"):
        call("export", "--work", "48213", "999", "--out", str(tmp_path / "two"))
    assert not (tmp_path / "two").exists()
    with pytest.raises(CommandError, match="unknown format 'docx'"):
        call("export", "--all", "--format", "docx", "--out", str(tmp_path / "three"))


def test_export_of_the_contract_example_keeps_every_line(tmp_path):
    call("import", str(FILES / "lamplighter.txt"))
    WorkStats.objects.filter(work_id=48213).update(kudos=12, hits=340)
    call("export", "--work", "48213", "--out", str(tmp_path))
    original = (FILES / "lamplighter.txt").read_text()
    exported = (tmp_path / "48213.txt").read_text()
    head, body = exported.split("\n\n", 1)
    lines = head.split("\n")
    kept = [line for line in lines if line in original.split("\n\n")[0].split("\n")]
    assert kept == original.split("\n\n")[0].split("\n")
    assert "Kudos: 12" in lines and "Hits: 340" in lines and "Words: 24" in lines
    assert body == original.split("\n\n", 1)[1]


def test_export_of_a_work_made_in_the_archive():
    work = WorkFactory(title="Made Here", text="One.\n\nTwo.")
    text = work_text_of(works_for_export([work.pk]).get())
    again = parse_work_text(text)
    assert again.title == "Made Here"
    assert again.rating == "General Audiences"
    assert again.warnings == ("No Archive Warnings Apply",)
    assert [paragraphs(c.text) for c in again.chapters] == [["One.", "Two."]]
    assert again.work_id == work.pk


# --- Round trips through the database ----------------------------------------------------------


class Rollback(Exception):
    pass


def _in_rollback(fn):
    from django.db import transaction

    try:
        with transaction.atomic():
            fn()
            raise Rollback
    except Rollback:
        pass


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(work_texts())
def test_work_to_file_to_work_through_the_archive(work):
    def check():
        WorkTextImporter().import_work(work, name="w")
        stored = works_for_export().get()
        again = parse_work_text(work_text_of(stored))
        assert again.title == work.title
        assert again.creators == work.creators
        for name in ("rating", "warnings", "categories", "language_code", "complete"):
            assert getattr(again, name) == getattr(work, name), name
        for name in ("fandoms", "relationships", "characters", "freeforms"):
            assert getattr(again, name) == getattr(work, name), name
        assert again.expected_chapters == work.expected_chapters
        assert [c.title for c in again.chapters] == [c.title for c in work.chapters]
        assert [paragraphs(c.text) for c in again.chapters] == [
            paragraphs(c.text) for c in work.chapters
        ]
        assert again.summary == work.summary
        assert again.notes == work.notes
        assert again.series == work.series

    _in_rollback(check)


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(work_text_files())
def test_file_to_work_to_file_through_the_archive(case):
    text, header, chapters = case

    def check():
        result = WorkTextImporter().import_work(parse_work_text(text), name="f")
        assert result.message == ""
        written = work_text_of(works_for_export().get())
        out = header_lines(written)
        position = 0
        for label, value in header:
            if field_of(label) in STAT_FIELDS:
                continue
            assert (label, value) in out[position:], (label, value, out)
            position = out.index((label, value), position) + 1
        again = parse_work_text(written)
        assert [paragraphs(c.text) for c in again.chapters] == [paragraphs(c) for c in chapters]

    _in_rollback(check)


@pytest.mark.django_db
def test_works_without_a_fandom_get_it_from_their_tags_parents(tmp_path, capsys):
    from fanarchive.tags.models import ParentTagging, Tag, TagType
    from fanarchive.works.models import WorkTag

    fandom = Tag.objects.create(
        name="Les Misérables - Victor Hugo",
        key="les misérables - victor hugo",
        type=TagType.FANDOM,
        canonical=True,
    )
    ship = Tag.objects.create(
        name="Javert/Jean Valjean",
        key="javert/jean valjean",
        type=TagType.RELATIONSHIP,
        canonical=True,
    )
    ParentTagging.objects.create(parent=fandom, child=ship)
    (tmp_path / "1.txt").write_text(
        "Title: Bridge\nWork ID: 501\nAuthor: quill\nRelationship: Javert/Jean Valjean\n\nRain.\n",
        encoding="utf-8",
    )
    (tmp_path / "2.txt").write_text(
        "Title: Nobody Knows\nWork ID: 502\nAuthor: quill\nAdditional Tags: Rain\n\nMore rain.\n",
        encoding="utf-8",
    )
    call_command("import", str(tmp_path), "--no-progress")
    out = capsys.readouterr().out
    assert "1 got theirs from their tags, 1 need one" in out
    fandoms = set(
        WorkTag.objects.filter(tag__type=TagType.FANDOM).values_list("work_id", "tag__name")
    )
    assert fandoms == {(501, "Les Misérables - Victor Hugo")}
