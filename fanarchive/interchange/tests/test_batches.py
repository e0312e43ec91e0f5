"""The importer's batches: new works stored many to a transaction, with the guarantees of
storing them one by one (a refused work leaves nothing, results in file order, conflicts,
filter rows and `works_changed` for every stored work), and `works_create_bulk` itself."""

import datetime
from contextlib import ExitStack

import pytest
from django.db import IntegrityError, transaction

from fanarchive.accounts.models import Pseud, User
from fanarchive.accounts.tests.factories import PseudFactory
from fanarchive.interchange import importer as importer_module
from fanarchive.interchange.importer import Outcome, WorkTextImporter
from fanarchive.interchange.sources import iter_sources
from fanarchive.tags.models import MetaTagging, Tag, TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.filters import work_filters_recompute
from fanarchive.works.models import Chapter, Series, Work, WorkFilter, WorkStats, WorkTag
from fanarchive.works.services import ChapterDraft, WorkDraft, work_create, works_create_bulk
from fanarchive.works.signals import works_changed

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_batches(monkeypatch):
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 4)


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def work_file(tmp_path, i, *, author="missm", extra="", work_id=None):
    header = f"Title: W{i}\nAuthor: {author}\nFandom: Les Mis\n{extra}"
    if work_id is not None:
        header += f"Work ID: {work_id}\n"
    return write(tmp_path, f"{i:03}.txt", header + f"\nText number {i}.\n")


def run(paths, importer=None, **options):
    importer = importer or WorkTextImporter(**options)
    seen = []
    with ExitStack() as stack:
        sources = list(iter_sources([str(p) for p in paths], stack))
        report = importer.run(sources, on_result=seen.append)
    assert seen == report.results
    return report


def test_a_refused_work_in_a_batch_leaves_nothing_and_the_others_are_stored(tmp_path):
    TagFactory(name="Bats", type=TagType.FANDOM)
    paths = [work_file(tmp_path, i, extra=f"Relationship: Pair/{i}\n") for i in range(10)]
    paths[5] = write(
        tmp_path,
        "005.txt",
        "Title: W5\nAuthor: newcomer\nRelationship: New/Pair\nCharacter: bats\n\nText.\n",
    )
    report = run(paths)
    outcomes = [r.outcome for r in report.results]
    assert outcomes == [Outcome.IMPORTED] * 5 + [Outcome.REFUSED] + [Outcome.IMPORTED] * 4
    assert report.results[5].message == (
        f'{paths[5]}:4: Character: the tag "bats" already exists in the archive as a Fandom '
        "tag; a tag has one type"
    )
    assert sorted(Work.objects.values_list("title", flat=True)) == sorted(
        f"W{i}" for i in range(10) if i != 5
    )
    assert not User.objects.filter(username="newcomer").exists()
    assert not Tag.objects.filter(key="new/pair").exists()
    assert Tag.objects.filter(key__startswith="pair/").count() == 9


def test_two_works_of_a_batch_wanting_one_new_name_as_two_types(tmp_path):
    a = write(tmp_path, "a.txt", "Title: A\nFandom: Owls\n\nX.\n")
    b = write(tmp_path, "b.txt", "Title: B\nFandom: Lamps\nCharacter: Owls\n\nY.\n")
    c = write(tmp_path, "c.txt", "Title: C\nFandom: Lamps\n\nZ.\n")
    report = run([a, b, c])
    assert [r.outcome for r in report.results] == [
        Outcome.IMPORTED,
        Outcome.REFUSED,
        Outcome.IMPORTED,
    ]
    assert 'the tag "Owls" already exists in the archive as a Fandom tag' in (
        report.results[1].message
    )
    assert Tag.objects.get(key="owls").type == TagType.FANDOM
    assert set(Work.objects.values_list("title", flat=True)) == {"A", "C"}


def test_a_failing_batch_transaction_is_rolled_back_and_stored_one_by_one(tmp_path, monkeypatch):
    """Whatever fails in the batch transaction, after its rows were written: nothing of it
    stays, the caches keep none of its rows, and the works are then stored one by one."""
    real = importer_module.works_create_bulk
    calls = []

    def failing(*, drafts):
        calls.append(len(drafts))
        real(drafts=drafts)  # writes everything, then fails
        raise IntegrityError("simulated failure after the inserts")

    monkeypatch.setattr(importer_module, "works_create_bulk", failing)
    paths = [
        work_file(tmp_path, i, author=f"writer{i}", extra=f"Freeform: F{i}\n") for i in range(3)
    ]
    importer = WorkTextImporter()
    report = run(paths, importer)
    assert calls == [3]
    assert [r.outcome for r in report.results] == [Outcome.IMPORTED] * 3
    assert Work.objects.count() == Chapter.objects.count() == WorkStats.objects.count() == 3
    assert User.objects.filter(username__startswith="writer").count() == 3
    assert Tag.objects.filter(key__in=["f0", "f1", "f2"]).count() == 3
    # The caches hold the rows that were committed, not those rolled back.
    for tag in importer._tags.values():
        assert Tag.objects.filter(pk=tag.pk, key=tag.key).exists()
    for pseud in importer._pseuds.values():
        assert Pseud.objects.filter(pk=pseud.pk, name=pseud.name).exists()


def test_results_come_in_file_order_across_batches(tmp_path):
    paths = []
    for i in range(11):
        if i in (2, 7):
            paths.append(write(tmp_path, f"{i:03}.txt", "Title: Broken\nChapters: x\n\nX.\n"))
        else:
            paths.append(work_file(tmp_path, i, work_id=100 + i))
    report = run(paths)
    assert [r.name for r in report.results] == [str(p) for p in paths]
    assert [r.outcome for r in report.results].count(Outcome.REFUSED) == 2
    assert report.results[2].message.startswith(f"{paths[2]}:2: ")
    assert [r.work_id for r in report.results if r.outcome is Outcome.IMPORTED] == [
        100 + i for i in range(11) if i not in (2, 7)
    ]


@pytest.mark.parametrize(
    ("on_conflict", "second"), [("skip", Outcome.SKIPPED), ("update", Outcome.UPDATED)]
)
def test_the_same_work_id_twice_in_one_batch(tmp_path, on_conflict, second):
    a = write(tmp_path, "a.txt", "Title: First\nWork ID: 7\n\nX.\n")
    b = write(tmp_path, "b.txt", "Title: Second\nWork ID: 7\n\nY.\n")
    report = run([a, b], on_conflict=on_conflict)
    assert [r.outcome for r in report.results] == [Outcome.IMPORTED, second]
    expected = "First" if on_conflict == "skip" else "Second"
    assert Work.objects.get(pk=7).title == expected
    if on_conflict == "skip":
        assert report.results[1].message == f"{b}:2: Work ID 7 is already in the archive"


def test_an_update_in_a_batch_is_stored_in_file_order(tmp_path):
    Work.objects.all().delete()
    first = work_file(tmp_path, 0, work_id=50)
    run([first])
    # A new work, an update of work 50 naming a series, a new work joining that series.
    a = write(tmp_path, "a.txt", "Title: A\nWork ID: 51\nAuthor: missm\n\nX.\n")
    b = write(
        tmp_path, "b.txt", "Title: B\nWork ID: 50\nAuthor: missm\nSeries: Part 1 of Lamps\n\nY.\n"
    )
    c = write(tmp_path, "c.txt", "Title: C\nAuthor: missm\nSeries: Part 2 of Lamps\n\nZ.\n")
    report = run([a, b, c], on_conflict="update")
    assert [r.outcome for r in report.results] == [
        Outcome.IMPORTED,
        Outcome.UPDATED,
        Outcome.IMPORTED,
    ]
    series = Series.objects.get()
    assert list(
        series.series_works.order_by("position").values_list("work__title", "position")
    ) == [
        ("B", 1),
        ("C", 2),
    ]


def test_every_stored_work_has_its_filters_and_is_announced_once_per_batch(tmp_path):
    canonical = TagFactory(name="Les Mis", type=TagType.FANDOM, canonical=True)
    meta = TagFactory(name="Hugo", type=TagType.FANDOM, canonical=True)
    MetaTagging.objects.create(sub=canonical, meta=meta)
    synonym = TagFactory(name="LM", type=TagType.FANDOM, merger=canonical)
    announced = []

    def receiver(sender, *, work_ids, **kwargs):
        announced.append(sorted(work_ids))

    works_changed.connect(receiver, dispatch_uid="test_batches")
    try:
        paths = [work_file(tmp_path, i) for i in range(6)]
        paths.append(write(tmp_path, "syn.txt", "Title: S\nFandom: LM\n\nX.\n"))
        report = run(paths)
    finally:
        works_changed.disconnect(dispatch_uid="test_batches")
    ids = [r.work_id for r in report.results]
    assert announced == [sorted(ids[:4]), sorted(ids[4:])]
    assert work_filters_recompute(work_ids=ids) == 0  # nothing to add or remove
    for work_id in ids:
        filters = set(WorkFilter.objects.filter(work_id=work_id).values_list("tag_id", flat=True))
        assert {canonical.pk, meta.pk} <= filters
    assert WorkTag.objects.filter(work_id=ids[-1], tag=synonym).exists()


# --- works_create_bulk --------------------------------------------------------------------------


def draft(title, creators, series=(), tags=()):
    return WorkDraft(
        title=title,
        creators=creators,
        chapters=[ChapterDraft(text=f"<p>{title} text.</p>")],
        published=datetime.date(2020, 1, 1),
        series=series,
        tags=tags,
    )


def describe():
    """The stored works as comparable data: titles, counts, creators, tags, series groups."""
    works = []
    for work in Work.objects.order_by("title"):
        works.append(
            (
                work.title,
                work.word_count,
                [c.pseud.name for c in work.creatorships.order_by("position")],
                list(work.work_tags.order_by("position").values_list("tag__name", flat=True)),
                sorted(
                    (
                        sw.series.title,
                        sw.position,
                        min(sw.series.series_works.values_list("work__title", flat=True)),
                    )
                    for sw in work.series_works.select_related("series")
                ),
                sorted(WorkFilter.objects.filter(work=work).values_list("tag__name", flat=True)),
            )
        )
    return works, Series.objects.count()


def scenario():
    u1, u2, u3 = PseudFactory(name="u1"), PseudFactory(name="u2"), PseudFactory(name="u3")
    Series.objects.create(title="Old")  # nobody's: never found
    work_create(draft=draft("Z0", [u2], series=[("Old", 1)]))  # u2's own Old
    fandom = TagFactory(name="Fandom A", type=TagType.FANDOM, canonical=True)
    free = TagFactory(name="Free")
    return [
        draft("A", [u1], series=[("S", 1)], tags=[fandom, free]),
        draft("B", [u1], series=[("S", 2), ("T", 1)], tags=[free, fandom]),
        draft("C", [u2], series=[("S", 1)]),  # another account: another series S
        draft("D", [u3, u1], series=[("T", 2)]),  # u3 first: a new T (u3 has none yet)
        draft("E", [u3], series=[("T", 3), ("Old", 2)]),  # u3's T (D); u2's Old is not u3's
        draft("F", [u1], series=[("U", 1), ("U", 2)]),  # twice in one work: two series
        draft("G", [u2], series=[("Old", 2)]),  # u2's existing Old
    ]


def test_bulk_equals_one_by_one():
    results = []
    for bulk in (False, True):
        with transaction.atomic():
            drafts = scenario()
            if bulk:
                works_create_bulk(drafts=[(None, d) for d in drafts])
            else:
                for d in drafts:
                    work_create(draft=d)
            results.append(describe())
            transaction.set_rollback(True)
    assert results[0] == results[1]
    works, series_count = results[1]
    # Old (nobody's), Old (u2), S (u1), S (u2), T (u1), T (u3), Old (u3), U, U
    assert series_count == 9
    assert dict((w[0], w[1]) for w in works)["A"] == 2


def test_bulk_is_all_or_nothing():
    pseud = PseudFactory()
    Work.objects.all().delete()
    work_create(draft=draft("Taken", [pseud]), work_id=9)
    before = (Work.objects.count(), Chapter.objects.count(), Series.objects.count())
    with pytest.raises(IntegrityError), transaction.atomic():
        works_create_bulk(
            drafts=[
                (8, draft("Eight", [pseud], series=[("S", 1)])),
                (9, draft("Nine", [pseud])),
            ]
        )
    assert (Work.objects.count(), Chapter.objects.count(), Series.objects.count()) == before
    assert works_create_bulk(drafts=[]) == []
    assert works_create_bulk(drafts=[(8, draft("Eight", [pseud]))]) == [8]


@pytest.mark.parametrize(
    "text",
    [
        "<p>One two.</p>\n<p>Three<br />\nfour &amp; five</p>",
        "<p>It&#8217;s one-word <em>em</em>phasis</p>",
        "<p>Hidden <script>alert(1)</script> text</p>",
        "<p>a</p><p>b<br>c</p>",
        "plain &lt;words&gt; only",
        "",
    ],
)
def test_one_pass_clean_and_count_equals_clean_then_count(text):
    from fanarchive.core.text import count_words
    from fanarchive.works.services import _clean, _clean_and_count, html_word_count

    clean = _clean(text)
    assert _clean_and_count(text) == (clean, html_word_count(clean)) == (clean, count_words(clean))
