"""Importing work-text files into the archive: what is stored, refusals, conflicts."""

import datetime
import zipfile
from pathlib import Path

import pytest

from fanarchive.accounts.models import Pseud, User
from fanarchive.core.text import count_words
from fanarchive.interchange import importer as importer_module
from fanarchive.interchange.exporter import work_text_of, works_for_export
from fanarchive.interchange.importer import Outcome, WorkTextImporter
from fanarchive.interchange.sources import iter_sources
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.models import Chapter, Series, Work, WorkStats
from fanarchive.works.tests.factories import WorkFactory

FILES = Path(__file__).parent / "files"
pytestmark = pytest.mark.django_db


def run(paths, **options):
    from contextlib import ExitStack

    with ExitStack() as stack:
        return WorkTextImporter(**options).run(iter_sources([str(p) for p in paths], stack))


def write(tmp_path, name, text):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def counts():
    return (
        Work.objects.count(),
        User.objects.count(),
        Pseud.objects.count(),
        Tag.objects.count(),
        Series.objects.count(),
        Chapter.objects.count(),
    )


def test_the_contract_example_is_stored():
    report = run([FILES / "lamplighter.txt"])
    assert [r.outcome for r in report.results] == [Outcome.IMPORTED]
    work = Work.objects.get(pk=48213)
    assert work.title == "The Lamplighter's Round"
    assert work.language == "en"
    assert (work.complete, work.expected_chapters, work.chapter_count) == (True, 1, 1)
    assert work.posted
    assert work.published == work.updated == datetime.date.today()
    assert [(c.pseud.name, c.pseud.user.username) for c in work.creatorships.all()] == [
        ("Corvid Quill", "corvidquill")
    ]
    user = User.objects.get(username="corvidquill")
    assert user.is_imported and not user.has_usable_password()
    assert [(p.name, p.is_default) for p in user.pseuds.all()] == [
        ("corvidquill", True),
        ("Corvid Quill", False),
    ]
    assert [(wt.tag.name, wt.tag.type) for wt in work.work_tags.select_related("tag")] == [
        ("Teen And Up Audiences", TagType.RATING),
        ("Creator Chose Not To Use Archive Warnings", TagType.WARNING),
        ("Marius Pontmercy/Cosette Fauchelevent", TagType.RELATIONSHIP),
        ("Marius Pontmercy & Enjolras", TagType.RELATIONSHIP),
        ("Alternate Universe - Modern Setting", TagType.FREEFORM),
        ("Fluff", TagType.FREEFORM),
        ("Slow Burn", TagType.FREEFORM),
    ]
    assert not Tag.objects.get(name="Fluff").canonical
    chapter = work.chapters.get()
    assert chapter.text == (
        "<p>The lamps on the Rue Plumet were lit one by one, and Marius counted them.</p>\n"
        "<p>***</p>\n<p>By the ninth lamp he had decided to speak.</p>"
    )
    assert chapter.word_count == work.word_count == 24 == count_words(chapter.text)
    assert WorkStats.objects.filter(work=work, kudos=0, hits=0).exists()


def test_multi_chapter_series_creators_and_source_header():
    report = run([FILES / "candles.txt"])
    assert [w.split(": ", 1)[0] for w in report.results[0].warnings] == [
        f"{FILES / 'candles.txt'}:19"
    ]
    work = Work.objects.get(pk=1862)
    assert [(c.position, c.title) for c in work.chapters.all()] == [(1, "Candles"), (2, "")]
    assert work.chapters.get(position=1).text == (
        "<p>The bishop's candlesticks stood on the mantel.<br />\nHe looked at them.</p>"
    )
    assert work.notes == "<p>A note before the chapters.</p>"
    assert work.summary == "<p>The bishop's candlesticks</p>\n<p>and what became of them.</p>"
    assert (work.complete, work.expected_chapters, work.language) == (False, None, "fr")
    assert work.updated == datetime.date(2021, 4, 1)
    bylines = [c.pseud.byline for c in work.creatorships.select_related("pseud__user")]
    assert bylines == ["Miss M (missm)", "corvidquill", "Miss M (Miss_M)"]
    assert [(sw.series.title, sw.position) for sw in work.series_works.all()] == [
        ("Digne Stories", 2),
        ("Silver", 1),
    ]
    assert work.source_header[-1] == ["Mood", "wistful"]
    assert ["Summary", "The bishop's candlesticks\nand what became of them."] in (
        work.source_header
    )


def test_a_series_is_found_among_the_first_creators_series():
    text = "Title: {t}\nWork ID: {i}\nAuthor: {a}\nSeries: Part {i} of Digne\n\nText.\n"
    other = Series.objects.create(title="Digne")  # someone else's series of that title
    for i, author in ((1, "missm"), (2, "missm"), (3, "corvid")):
        importer = WorkTextImporter()
        from fanarchive.interchange.worktext import parse_work_text

        importer.import_work(parse_work_text(text.format(t="T", i=i, a=author)), name="x")
    mine = Series.objects.get(series_works__work_id=1)
    assert mine != other
    assert list(mine.series_works.values_list("work_id", "position")) == [(1, 1), (2, 2)]
    assert Series.objects.get(series_works__work_id=3) not in (mine, other)


def test_existing_tags_are_found_by_key_and_order_is_as_written(tmp_path):
    fluff = TagFactory(name="Fluff", type=TagType.FREEFORM, canonical=True)
    path = write(
        tmp_path,
        "a.txt",
        "Title: T\nAdditional Tags: fluff, Angst\nFandom: Les Mis\nRating: Mature\n\nText.\n",
    )
    run([path])
    work = Work.objects.get()
    names = [wt.tag.name for wt in work.work_tags.select_related("tag")]
    # As written; the default warning the file lacked goes after the rating (AO3's order).
    assert names == [
        "Fluff",
        "Angst",
        "Les Mis",
        "Mature",
        "Creator Chose Not To Use Archive Warnings",
    ]
    assert work.work_tags.filter(tag=fluff).exists()
    assert Tag.objects.filter(key="fluff").count() == 1


def test_a_tag_name_of_another_type_refuses_the_work_and_leaves_nothing(tmp_path):
    TagFactory(name="Bats", type=TagType.FANDOM)
    before = counts()
    path = write(
        tmp_path,
        "a.txt",
        "Title: T\nAuthor: newcomer\nRelationship: New/Pair\nCharacter: bats\n\nText.\n",
    )
    report = run([path])
    assert report.results[0].outcome is Outcome.REFUSED
    assert report.results[0].message == (
        f'{path}:4: Character: the tag "bats" already exists in the archive as a Fandom tag; '
        "a tag has one type"
    )
    assert counts() == before  # no account, no "New/Pair" tag left behind


def test_a_refused_work_does_not_poison_the_caches(tmp_path):
    """Tags and accounts created inside a rolled-back work are not reused by the next one."""
    TagFactory(name="Bats", type=TagType.FANDOM)
    bad = write(
        tmp_path, "1.txt", "Title: A\nAuthor: newbie\nFandom: Fresh\nCharacter: Bats\n\nX.\n"
    )
    good = write(tmp_path, "2.txt", "Title: B\nAuthor: newbie\nFandom: Fresh\n\nY.\n")
    report = run([bad, good])
    assert [r.outcome for r in report.results] == [Outcome.REFUSED, Outcome.IMPORTED]
    work = Work.objects.get(title="B")
    assert work.creatorships.get().pseud.user.username == "newbie"
    assert work.work_tags.filter(tag__name="Fresh").exists()


def test_the_cache_reuses_accounts_and_tags_across_works(tmp_path):
    from contextlib import ExitStack

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for i in range(12):
        write(tmp_path, f"{i}.txt", f"Title: W{i}\nAuthor: missm\nFandom: Les Mis\n\nText {i}.\n")
    importer = WorkTextImporter()
    with ExitStack() as stack:
        sources = list(iter_sources([str(tmp_path / f"{i}.txt") for i in range(12)], stack))
        importer.run(sources[:1])  # warms the caches
        with CaptureQueriesContext(connection) as one:
            importer.run(sources[1:2])
        with CaptureQueriesContext(connection) as ten:
            importer.run(sources[2:])
    # Per batch, whatever its size: (the test's savepoint) 5 inserts (work, chapter,
    # creatorship, tags, stats), the filter sets (tags, metatags, insert), the text index
    # (delete, insert) and the search change log (one insert). Accounts and tags come from the
    # cache: no query touches them.
    assert len(ten) == len(one) <= 13
    assert not [q["sql"] for q in ten.captured_queries if '"accounts_' in q["sql"]]
    assert not [q["sql"] for q in ten.captured_queries if 'INSERT INTO "tags_tag"' in q["sql"]]
    assert User.objects.filter(username="missm").count() == 1
    assert Tag.objects.filter(key="les mis").count() == 1
    assert Work.objects.count() == 12


def test_default_fandom(tmp_path):
    a = write(tmp_path, "a.txt", "Title: A\n\nX.\n")
    b = write(tmp_path, "b.txt", "Title: B\nFandom: Own\n\nX.\n")
    run([a, b], default_fandom="Les Misérables")
    fandoms = dict(
        Work.objects.filter(work_tags__tag__type=TagType.FANDOM).values_list(
            "title", "work_tags__tag__name"
        )
    )
    assert fandoms == {"A": "Les Misérables", "B": "Own"}


def test_without_default_fandom_no_fandom_and_orphan_account(tmp_path):
    run([write(tmp_path, "a.txt", "Title: A\n\nX.\n")])
    work = Work.objects.get()
    assert not work.work_tags.filter(tag__type=TagType.FANDOM).exists()
    assert work.creatorships.get().pseud.user.username == "orphan_account"


def test_unknown_language_is_stored_without_a_code_and_written_back(tmp_path):
    path = write(tmp_path, "a.txt", "Title: A\nLanguage: Elvish Pig Latin\n\nX.\n")
    report = run([path])
    assert "unknown language" in report.results[0].warnings[0]
    work = works_for_export().get()
    assert work.language == ""
    assert "Language: Elvish Pig Latin\n" in work_text_of(work)


# --- Conflicts --------------------------------------------------------------------------------


def test_on_conflict_skip_is_the_default_and_reported(tmp_path):
    WorkFactory(id=5, title="Old")
    report = run([write(tmp_path, "a.txt", "Title: New\nWork ID: 5\n\nX.\n")])
    result = report.results[0]
    assert result.outcome is Outcome.SKIPPED
    assert result.message == f"{tmp_path / 'a.txt'}:2: Work ID 5 is already in the archive"
    assert Work.objects.get(pk=5).title == "Old"


def test_on_conflict_fail_refuses_the_file(tmp_path):
    WorkFactory(id=5, title="Old")
    report = run([write(tmp_path, "a.txt", "Title: New\nWork ID: 5\n\nX.\n")], on_conflict="fail")
    assert report.results[0].outcome is Outcome.REFUSED
    assert "(--on-conflict fail)" in report.results[0].message
    assert Work.objects.get(pk=5).title == "Old"


def test_on_conflict_update_replaces_everything_but_the_statistics(tmp_path):
    old = WorkFactory(id=5, title="Old", tags=[TagFactory(name="Old Tag")])
    WorkStats.objects.filter(work=old).update(kudos=9)
    text = (
        "Title: New\nWork ID: 5\nAuthor: missm\nFandom: New Fandom\nChapters: 2/2\n\n"
        "Chapter 1\n\nOne.\n\nChapter 2\n\nTwo.\n"
    )
    report = run([write(tmp_path, "a.txt", text)], on_conflict="update")
    assert report.results[0].outcome is Outcome.UPDATED
    work = Work.objects.get(pk=5)
    assert (work.title, work.chapter_count, work.word_count) == ("New", 2, 2)
    assert [c.text for c in work.chapters.all()] == ["<p>One.</p>", "<p>Two.</p>"]
    assert [c.pseud.user.username for c in work.creatorships.all()] == ["missm"]
    assert "Old Tag" not in work.tags.values_list("name", flat=True)
    assert "New Fandom" in work.tags.values_list("name", flat=True)
    assert work.stats.kudos == 9
    assert Work.objects.count() == 1


def test_postgres_sequence_moves_past_imported_ids(tmp_path):
    run([write(tmp_path, "a.txt", "Title: A\nWork ID: 900\n\nX.\n")])
    run([write(tmp_path, "b.txt", "Title: B\n\nX.\n")])
    assert Work.objects.get(title="B").pk > 900


# --- Files, folders, archives ------------------------------------------------------------------


def test_folders_recursively_and_zip_archives(tmp_path):
    write(tmp_path, "works/a.txt", "Title: A\n\nX.\n")
    write(tmp_path, "works/deeper/b.TXT", "Title: B\n\nX.\n")
    write(tmp_path, "works/readme.md", "not a work")
    with zipfile.ZipFile(tmp_path / "works" / "more.zip", "w") as archive:
        archive.writestr("inner/c.txt", "Title: C\n\nX.\n")
        archive.writestr("inner/bad.txt", "Title: D\nChapters: three\n\nX.\n")
        archive.writestr("__MACOSX/inner/._c.txt", "junk")
    report = run([tmp_path / "works"])
    assert sorted(Work.objects.values_list("title", flat=True)) == ["A", "B", "C"]
    refused = [r for r in report.results if r.outcome is Outcome.REFUSED]
    assert [r.message for r in refused] == [
        f"{tmp_path / 'works' / 'more.zip'}!inner/bad.txt:2: Chapters: expected "
        'posted/expected such as 3/5 or 2/?, got "three"'
    ]
    assert len(report.results) == 4


def test_missing_paths_and_broken_archives_are_refused(tmp_path):
    broken = write(tmp_path, "broken.zip", "not a zip")
    report = run([tmp_path / "nothing-here", broken])
    assert [r.outcome for r in report.results] == [Outcome.REFUSED, Outcome.REFUSED]
    assert report.results[0].message.endswith("nothing-here: no such file or folder")
    assert "not a zip archive" in report.results[1].message


def test_files_over_the_limit_are_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(importer_module, "MAX_FILE_BYTES", 20)
    path = write(tmp_path, "big.txt", "Title: A long one\n\nX.\n")
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as archive:
        archive.writestr("big.txt", "Title: A long one\n\nX.\n")
    report = run([path, tmp_path / "a.zip"])
    assert [r.outcome for r in report.results] == [Outcome.REFUSED, Outcome.REFUSED]
    assert "more than the 20 a work-text file may have" in report.results[0].message
    assert report.results[1].message.startswith(f"{tmp_path / 'a.zip'}!big.txt: ")
    assert not Work.objects.exists()


def test_dry_run_checks_everything_and_writes_nothing(tmp_path):
    WorkFactory(id=5)
    TagFactory(name="Bats", type=TagType.FANDOM)
    before = counts()
    write(tmp_path, "1.txt", "Title: A\nWork ID: 5\n\nX.\n")
    write(tmp_path, "2.txt", "Title: B\nWork ID: 6\nAuthor: someone\nFandom: New\n\nX.\n")
    write(tmp_path, "3.txt", "Title: C\nWork ID: 6\n\nX.\n")  # same id as 2
    write(tmp_path, "4.txt", "Title: D\nCharacter: Bats\n\nX.\n")
    write(tmp_path, "5.txt", "Title: E\nCharacter: New\n\nX.\n")  # 2's fandom
    report = run([tmp_path], dry_run=True, on_conflict="fail")
    assert [r.outcome for r in report.results] == [
        Outcome.REFUSED,
        Outcome.IMPORTED,
        Outcome.REFUSED,
        Outcome.REFUSED,
        Outcome.REFUSED,
    ]
    assert counts() == before
    assert report.summary().startswith("Dry run, nothing was written: imported 1,")
