"""The engine (search/engine/) against the reference backend, its oracle: random small
archives, random changes (new works, retagging, stats, deletion, visibility, wrangling,
renames) and random queries; after every change the engine must answer exactly what the
reference answers: ids in order, total, facets, snippets, hidden count, unknown names."""

import datetime
from dataclasses import replace

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.search.backends.reference import ReferenceBackend
from fanarchive.search.engine import EngineBackend
from fanarchive.search.tests.test_equivalence import (
    ALL_NAMES,
    USER_TAGS,
    WORDS,
    build,
    query_strategy,
    works_strategy,
)
from fanarchive.tags.models import Tag
from fanarchive.tags.names import tag_key
from fanarchive.tags.wrangling import (
    WranglingError,
    tag_add_metatag,
    tag_make_canonical,
    tag_make_synonym,
    tag_remove_metatag,
    tag_rename,
)
from fanarchive.works.filters import work_filters_recompute
from fanarchive.works.models import Creatorship, Work, WorkStats, WorkTag
from fanarchive.works.services import works_delete
from fanarchive.works.signals import works_changed

USER_NAMES = [t[0] for t in USER_TAGS]
one_work = works_strategy.filter(bool).map(lambda specs: specs[0])

change_strategy = st.one_of(
    st.tuples(st.just("new"), one_work),
    st.tuples(st.just("retag"), st.integers(0, 30), st.sets(st.sampled_from(USER_NAMES))),
    st.tuples(st.just("stats"), st.integers(0, 30), st.integers(0, 25), st.booleans()),
    st.tuples(st.just("delete"), st.integers(0, 30)),
    st.tuples(
        st.just("flag"),
        st.integers(0, 30),
        st.sampled_from(["restricted", "posted", "hidden_by_admin", "complete", "title"]),
    ),
    st.tuples(st.just("synonym"), st.sampled_from(USER_NAMES), st.sampled_from(USER_NAMES)),
    st.tuples(st.just("canonical"), st.sampled_from(USER_NAMES)),
    st.tuples(st.just("metatag"), st.sampled_from(USER_NAMES), st.sampled_from(USER_NAMES)),
    st.tuples(st.just("unmeta"), st.sampled_from(USER_NAMES), st.sampled_from(USER_NAMES)),
    st.tuples(st.just("rename"), st.sampled_from(USER_NAMES), st.sampled_from(["x", "Zed", "a"])),
    st.tuples(st.just("pseud"), st.sampled_from(["ann", "bob", "cyd"]), st.sampled_from(WORDS)),
)
hide_strategy = st.fixed_dictionaries(
    {
        "tags": st.lists(st.sampled_from(ALL_NAMES), max_size=2),
        "users": st.lists(st.sampled_from(["ann", "bob", "cyd"]), max_size=2),
        "show_excluded": st.booleans(),
    }
)


def _tag(name):
    return Tag.objects.filter(key=tag_key(name)).first()


def _work(index):
    works = list(Work.objects.order_by("id"))
    return works[index % len(works)] if works else None


def add_work(spec):
    """A new work as the works services store one (rows, filters, then works_changed)."""
    from django.contrib.auth import get_user_model

    day = datetime.date(2024, 1, spec["day"])
    work = Work.objects.create(
        title=" ".join(spec["title"]),
        complete=spec["complete"],
        restricted=spec["restricted"],
        posted=spec["posted"],
        expected_chapters=spec["expected"],
        word_count=spec["words"],
        chapter_count=1,
        published=day,
        updated=day,
        language=spec["language"],
    )
    work.chapters.create(position=1, text="<p>" + " ".join(spec["body"]) + "</p>", published=day)
    user = get_user_model().objects.get(username=spec["creator"])
    Creatorship.objects.create(work=work, pseud=user.pseuds.get(is_default=True))
    names = [spec["rating"], *sorted(spec["categories"]), *sorted(spec["tags"])]
    for i, name in enumerate(names):
        WorkTag.objects.create(work=work, tag=_tag(name), position=i)
    work_filters_recompute(work_ids=[work.id])
    works_changed.send(sender=Work, work_ids=[work.id])


def apply_change(change):
    kind = change[0]
    if kind == "new":
        add_work(change[1])
        return
    if kind in ("retag", "stats", "delete", "flag"):
        work = _work(change[1])
        if work is None:
            return
        if kind == "retag":
            WorkTag.objects.filter(
                work=work, tag__type__in=["fandom", "relationship", "character", "freeform"]
            ).delete()
            for i, name in enumerate(sorted(change[2])):
                WorkTag.objects.create(work=work, tag=_tag(name), position=10 + i)
            work_filters_recompute(work_ids=[work.id])
            works_changed.send(sender=Work, work_ids=[work.id])
        elif kind == "stats":
            if change[3]:
                WorkStats.objects.update_or_create(
                    work=work, defaults={"kudos": change[2], "hits": change[2] * 2}
                )
            else:
                WorkStats.objects.filter(work=work).delete()
                works_changed.send(sender=Work, work_ids=[work.id])
        elif kind == "delete":
            works_delete(work_ids=[work.id])
        else:
            field = change[2]
            if field == "title":
                work.title = "Zz " + work.title if not work.title.startswith("Zz") else "aa"
            else:
                setattr(work, field, not getattr(work, field))
            work.save()
        return
    try:
        if kind == "synonym":
            tag, of = _tag(change[1]), _tag(change[2])
            if tag and of:
                tag_make_synonym(tag=tag, of=of, wrangler=None)
        elif kind == "canonical":
            if tag := _tag(change[1]):
                tag_make_canonical(tag=tag, wrangler=None)
        elif kind in ("metatag", "unmeta"):
            tag, meta = _tag(change[1]), _tag(change[2])
            if tag and meta:
                if kind == "metatag":
                    tag_add_metatag(tag=tag, meta=meta, wrangler=None)
                else:
                    tag_remove_metatag(tag=tag, meta=meta, wrangler=None)
        elif kind == "rename":
            if tag := _tag(change[1]):
                tag_rename(tag=tag, name=change[1] + " " + change[2], wrangler=None)
        elif kind == "pseud":
            from fanarchive.accounts.models import Pseud

            pseud = Pseud.objects.filter(user__username=change[1], is_default=True).first()
            if pseud:
                pseud.name = change[2]
                pseud.save()
    except (WranglingError, ValueError):
        pass


def with_hides(query, hide, logged_in):
    if not logged_in:
        return query
    from django.contrib.auth import get_user_model

    tags = tuple(sorted({t.id for n in hide["tags"] if (t := _tag(n))}))
    users = tuple(
        sorted(
            get_user_model().objects.filter(username__in=hide["users"]).values_list("id", flat=True)
        )
    )
    return replace(
        query, hide_tag_ids=tags, hide_user_ids=users, show_excluded=hide["show_excluded"]
    )


def answers(results):
    return (
        results.ids,
        results.total,
        results.page,
        results.facets,
        results.snippets,
        results.hidden_by_excludes,
        results.unknown_tags,
    )


def assert_same(engines, query, viewer):
    reference = ReferenceBackend().search_works(query, viewer=viewer)
    expected = answers(reference)
    for engine in engines:
        assert answers(engine.search_works(query, viewer=viewer)) == expected, query
    # With a facet limit (what listing pages ask): the first entries of each type, counts
    # exact — the reference's full lists cut, and the engine's the same.
    limited = ReferenceBackend().search_works(query, viewer=viewer, facet_limit=2)
    assert limited.facets == {t: entries[:2] for t, entries in reference.facets.items()}
    assert answers(limited)[:3] == expected[:3]
    for engine in engines:
        assert answers(engine.search_works(query, viewer=viewer, facet_limit=2)) == answers(
            limited
        ), query


step_strategy = st.one_of(
    st.tuples(st.just("change"), change_strategy),
    st.tuples(st.just("query"), query_strategy(), hide_strategy),
)


@pytest.mark.django_db
@given(
    specs=works_strategy,
    steps=st.lists(step_strategy, min_size=1, max_size=12),
    logged_in=st.booleans(),
    one_pass=st.booleans(),
    per_page=st.sampled_from([2, 3, 20]),
)
@settings(
    max_examples=int(__import__("os").environ.get("ENGINE_EXAMPLES", "30")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_engine_equals_reference_through_changes(specs, steps, logged_in, one_pass, per_page):
    """`per_page` small: pages deeper than the matching works of the base are common, so the
    page is taken from the base's kept sort orders (Segment.first_rows) and merged with the
    overlay's, as in a large archive."""
    from unittest import mock

    from django.test import override_settings

    from fanarchive.search.engine import backend

    ranking = mock.patch.object(backend, "RANK_ONE_PASS_OVER", 0 if one_pass else 10**9)
    with ranking, override_settings(WORKS_PER_PAGE=per_page), transaction.atomic():
        build(specs)
        viewer = UserFactory(username="viewer") if logged_in else AnonymousUser()
        # One engine answering uncached, one cached: both patch from the change log.
        engines = [EngineBackend(cache=False, persist=False), EngineBackend(persist=False)]
        assert_same(engines, WorkQuery_all(), viewer)
        for step in steps:
            if step[0] == "change":
                apply_change(step[1])
                assert_same(engines, WorkQuery_all(), viewer)
            else:
                assert_same(engines, with_hides(step[1], step[2], logged_in), viewer)
        transaction.set_rollback(True)


def WorkQuery_all():
    from fanarchive.search.query import WorkQuery

    return WorkQuery(sort="title")


# --- the change log ------------------------------------------------------------------------
@pytest.fixture
def archive(db):
    """A few works in two fandoms, the text index built."""
    specs = [
        {
            "tags": {"F1", "R1"} if i % 2 else {"F2", "T2"},
            "rating": "Mature" if i % 3 else "General Audiences",
            "categories": {"Gen"},
            "complete": bool(i % 2),
            "restricted": i == 4,
            "posted": True,
            "expected": 1,
            "words": 100 * i,
            "kudos": i,
            "hits": i,
            "day": 1 + i,
            "language": "en",
            "title": [WORDS[i % len(WORDS)]],
            "body": ["apple"],
            "creator": ["ann", "bob", "cyd"][i % 3],
        }
        for i in range(6)
    ]
    build(specs)
    return specs


def log_rows():
    from fanarchive.search.models import SearchChange

    return list(SearchChange.objects.order_by("id").values_list("work_id", "tag_id"))


def test_a_change_logs_its_works_in_its_transaction(archive):
    from fanarchive.search.models import SearchChange

    work = Work.objects.order_by("id").first()
    before = SearchChange.objects.count()
    with transaction.atomic():
        works_changed.send(sender=Work, work_ids=[work.id])
        # Visible inside the writing transaction, before it commits.
        assert (work.id, None) in log_rows()[before:]


def test_a_rolled_back_change_logs_nothing(archive):
    from fanarchive.search.models import SearchChange

    work = Work.objects.order_by("id").first()
    before = SearchChange.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        work.title = "changed"
        work.save()
        works_changed.send(sender=Work, work_ids=[work.id])
        assert SearchChange.objects.count() > before
        raise RuntimeError("the change fails")
    assert SearchChange.objects.count() == before


def test_wrangling_logs_the_refiltered_works_and_the_tag(archive):
    from fanarchive.search.models import SearchChange

    start = SearchChange.objects.order_by("-id").values_list("id", flat=True).first()
    f1 = _tag("F1")
    tag_add_metatag(tag=f1, meta=_tag("F3"), wrangler=None)
    rows = list(SearchChange.objects.filter(id__gt=start).values_list("work_id", "tag_id"))
    carrying = set(WorkTag.objects.filter(tag=f1).values_list("work_id", flat=True))
    assert carrying and carrying <= {w for w, _t in rows}
    assert (None, f1.id) in rows


def test_a_bulk_change_is_one_row_and_makes_engines_reload(archive):
    from fanarchive.search.engine import changes
    from fanarchive.search.models import SearchChange

    engine = EngineBackend(cache=False, persist=False)
    engine.search_works(WorkQuery_all(), viewer=AnonymousUser())
    first = engine.index
    before = SearchChange.objects.count()
    changes.log_works(range(1, changes.BULK_LIMIT + 2))
    assert SearchChange.objects.count() == before + 1
    assert log_rows()[-1] == (None, None)
    assert_same([engine], WorkQuery_all(), AnonymousUser())
    assert engine.index is not first


# --- freshness across instances (as across processes) ---------------------------------------
def test_a_change_made_elsewhere_is_seen_after_catching_up(archive):
    reader = EngineBackend(persist=False)  # cached: the change must still show
    other = EngineBackend(cache=False, persist=False)
    query = replace(WorkQuery_all(), include=("F1",))
    guest = AnonymousUser()
    before = reader.search_works(query, viewer=guest)
    other.search_works(query, viewer=guest)
    work = Work.objects.get(pk=before.ids[0])
    work.restricted = True
    work.save()
    after = reader.search_works(query, viewer=guest)
    assert work.id not in after.ids and after.total == before.total - 1
    assert answers(other.search_works(query, viewer=guest)) == answers(after)
    assert reader.index.position > 0 and reader.index.changed == {work.id}


def test_a_reset_log_makes_the_engine_rebuild(archive):
    """The position's row gone (pruned, or the database replaced): rebuild, never patch."""
    from fanarchive.search.models import SearchChange

    engine = EngineBackend(cache=False, persist=False)
    engine.search_works(WorkQuery_all(), viewer=AnonymousUser())
    first = engine.index
    SearchChange.objects.all().delete()
    Work.objects.filter(pk=Work.objects.order_by("id").first().pk).update(title="zzz")
    SearchChange.objects.create(work_id=None, tag_id=1)  # a new log that reached other ids
    assert_same([engine], WorkQuery_all(), AnonymousUser())
    assert engine.index is not first


# --- on disk -----------------------------------------------------------------------------------
def test_rebuild_writes_an_index_that_loads_mapped_and_catches_up(archive, tmp_path):
    import numpy as np

    from fanarchive.search.engine import store

    builder = EngineBackend(cache=False, persist=True, index_dir=tmp_path)
    built = builder.rebuild()
    version = store.current_version(tmp_path)
    assert version and (tmp_path / version / "f_tags.npy").exists()
    assert built.meta["works"] == Work.objects.count()
    work = Work.objects.order_by("id").last()
    work.title = "Aardvark"
    work.save()
    loader = EngineBackend(cache=False, persist=True, index_dir=tmp_path)
    view = loader.current()  # loads from disk, then patches from the log
    assert isinstance(view.base.a["f_tags"].base, np.memmap)
    assert loader.index.meta["version"] == version and loader.index.changed == {work.id}
    assert_same([loader], WorkQuery_all(), AnonymousUser())
    by_title = replace(WorkQuery_all(), descending=False)
    assert loader.search_works(by_title, viewer=AnonymousUser()).ids[0] == work.id


def test_an_index_of_another_database_is_not_loaded(archive, tmp_path):
    from fanarchive.search.engine import store

    arrays, meta = __import__(
        "fanarchive.search.engine.state", fromlist=["build_arrays"]
    ).build_arrays()
    store.save(tmp_path, arrays, meta | {"database": "sqlite:/elsewhere"})
    engine = EngineBackend(cache=False, persist=True, index_dir=tmp_path)
    assert_same([engine], WorkQuery_all(), AnonymousUser())
    assert engine.index.meta["database"] != "sqlite:/elsewhere"  # built anew, and published
    assert store.load(tmp_path)[1]["database"] == engine.index.meta["database"]


def test_search_rebuild_command(archive, tmp_path, settings):
    from io import StringIO

    from django.core.management import call_command

    from fanarchive.search.engine import store
    from fanarchive.search.models import SearchChange

    settings.FANARCHIVE_SEARCH_INDEX_DIR = str(tmp_path)
    out = StringIO()
    call_command("search", "rebuild", "--prune", stdout=out)
    assert "Built the search index of 6 works" in out.getvalue()
    meta = store.load(tmp_path)[1]
    # The log keeps only the row of the position the build includes.
    assert list(SearchChange.objects.values_list("id", flat=True)) == [meta["position"]]


def test_unknown_tags_and_pinned_facets(archive):
    query = replace(WorkQuery_all(), include=("T2", "No Such Tag"), exclude=("R1",))
    engine = EngineBackend(cache=False, persist=False)
    assert_same([engine], query, AnonymousUser())
    results = engine.search_works(query, viewer=AnonymousUser())
    assert results.unknown_tags == ("No Such Tag",)
    freeform = {tag.name: n for tag, n in results.facets["freeform"]}
    assert freeform["T2"] == results.total > 0  # an unwrangled include: pinned to the total
    assert {tag.name: n for tag, n in results.facets["relationship"]}["R1"] == 0


def test_many_changes_publish_a_new_build_in_the_background(archive, tmp_path, monkeypatch):
    from fanarchive.search.engine import backend, store

    engine = EngineBackend(cache=False, persist=True, index_dir=tmp_path)
    engine.rebuild()
    first = store.current_version(tmp_path)
    monkeypatch.setattr(backend, "COMPACT_AFTER", 1)
    for work in Work.objects.order_by("id")[:2]:
        work.title = "Changed " + work.title
        work.save()
    # The background thread has its own connection, which cannot see this test's
    # uncommitted rows: have it build from this one.
    monkeypatch.setattr(
        backend,
        "build_arrays",
        __import__("fanarchive.search.engine.state", fromlist=["build_arrays"]).build_arrays,
    )
    threads = []
    monkeypatch.setattr(
        backend.threading, "Thread", lambda target, **kw: threads.append(target) or _Ran()
    )
    assert_same([engine], WorkQuery_all(), AnonymousUser())  # from base + overlay
    assert len(threads) == 1
    monkeypatch.setattr(backend.connection, "close", lambda: None, raising=False)
    threads[0]()  # run the compaction here, on this test's connection
    assert store.current_version(tmp_path) != first
    assert_same([engine], WorkQuery_all(), AnonymousUser())  # loads the new build
    assert engine.index.meta["version"] != first and not engine.index.changed


class _Ran:
    """A thread that was started and, as far as the engine knows, is still running (the
    test runs its target by hand)."""

    def start(self):
        pass

    def is_alive(self):
        return True


@pytest.mark.parametrize("text", ["apple", "apple -fig", "title:plum", '"apple pear"', "pe*"])
def test_relevance_ranked_in_one_pass_equals_the_reference(archive, monkeypatch, text):
    from fanarchive.search.engine import backend

    monkeypatch.setattr(backend, "RANK_ONE_PASS_OVER", 0)  # SQLite's one-pass ranking
    for descending in (True, False):
        query = replace(WorkQuery_all(), text=text, sort="relevance", descending=descending)
        assert_same([EngineBackend(cache=False, persist=False)], query, AnonymousUser())


def test_a_change_committed_late_below_the_position_is_still_applied(archive):
    """PostgreSQL hands out ids before commit: an entry may appear below entries already
    read. Such gaps are read again until they fill (or time out)."""
    from fanarchive.search.models import SearchChange

    engine = EngineBackend(cache=False, persist=False)
    guest = AnonymousUser()
    engine.search_works(WorkQuery_all(), viewer=guest)
    first, second = Work.objects.order_by("id")[:2]
    late = SearchChange.objects.create(work_id=first.id)
    SearchChange.objects.create(work_id=second.id)
    late_id = late.id
    late.delete()  # not yet visible to other transactions
    Work.objects.filter(pk=first.pk).update(title="Zzz late change")  # no signal: the late entry
    by_title = replace(WorkQuery_all(), descending=False)
    # The engine cannot know of the late change yet (its entry is not visible).
    assert engine.search_works(by_title, viewer=guest).ids[0] == first.id  # "apple"
    assert late_id in engine.index.gaps
    SearchChange.objects.create(id=late_id, work_id=first.id)  # ... now it commits
    assert_same([engine], by_title, guest)
    assert engine.search_works(by_title, viewer=guest).ids[0] != first.id
    assert late_id not in engine.index.gaps and first.id in engine.index.changed
