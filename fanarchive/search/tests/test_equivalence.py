"""Random small archives and random queries: the reference backend gives the same ids,
totals and facets as a brute-force filter written here, in Python, from the rows."""

import datetime
import itertools
import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.search.backends.reference import ReferenceBackend
from fanarchive.search.query import PER_PAGE, WorkQuery
from fanarchive.search.services import search_text_rebuild
from fanarchive.tags.models import MetaTagging, Tag
from fanarchive.tags.names import tag_key
from fanarchive.works.filters import work_filters_recompute
from fanarchive.works.models import Creatorship, Work, WorkFilter, WorkStats, WorkTag

WORDS = ["apple", "pear", "plum", "fig", "kiwi"]
FACETS = ["rating", "warning", "category", "fandom", "relationship", "character", "freeform"]
USER_TAGS = [  # name, type, canonical, synonym of, metatag
    ("F1", "fandom", True, None, None),
    ("F2", "fandom", True, None, "F3"),
    ("F3", "fandom", True, None, None),
    ("R1", "relationship", True, None, None),
    ("C1", "character", True, None, None),
    ("C2", "character", False, "C1", None),
    ("T1", "freeform", True, None, None),
    ("T2", "freeform", False, None, None),
    ("T3", "freeform", False, "T1", None),
]
ALL_NAMES = [t[0] for t in USER_TAGS] + [
    "General Audiences",
    "Mature",
    "Gen",
    "F/F",
    "No Archive Warnings Apply",
]

works_strategy = st.lists(
    st.fixed_dictionaries(
        {
            "tags": st.sets(st.sampled_from([t[0] for t in USER_TAGS]), max_size=5),
            "rating": st.sampled_from(["General Audiences", "Mature"]),
            "categories": st.sets(st.sampled_from(["Gen", "F/F"])),
            "complete": st.booleans(),
            "restricted": st.booleans(),
            "posted": st.booleans() | st.just(True),
            "expected": st.sampled_from([None, 1, 2]),
            "words": st.integers(0, 3000),
            "kudos": st.none() | st.integers(0, 20),
            "hits": st.integers(0, 20),
            "day": st.integers(1, 9),
            "language": st.sampled_from(["en", "fr"]),
            "title": st.lists(st.sampled_from(WORDS), min_size=1, max_size=2),
            "body": st.lists(st.sampled_from(WORDS), max_size=4),
            "creator": st.sampled_from(["ann", "bob", "cyd"]),
        }
    ),
    min_size=0,
    max_size=10,
)
tag_names = st.sampled_from(ALL_NAMES)
FIELD_STRATEGIES = {
    "include": st.lists(tag_names, min_size=1, max_size=2, unique=True).map(tuple),
    "exclude": st.lists(tag_names, min_size=1, max_size=2, unique=True).map(tuple),
    "any_of": st.lists(
        st.lists(tag_names, min_size=1, max_size=3, unique=True).map(tuple), min_size=1, max_size=2
    ).map(tuple),
    "categories": st.lists(st.sampled_from(["Gen", "F/F"]), min_size=1, max_size=1).map(tuple),
    "ratings": st.lists(
        st.sampled_from(["General Audiences", "Mature"]), min_size=1, max_size=2, unique=True
    ).map(tuple),
    "complete": st.booleans(),
    "crossover": st.booleans(),
    "single_chapter": st.just(True),
    "words_from": st.integers(0, 3000),
    "words_to": st.integers(0, 3000),
    "kudos_from": st.integers(0, 20),
    "hits_to": st.integers(0, 20),
    "updated_from": st.integers(1, 9).map(lambda d: datetime.date(2024, 1, d)),
    "language": st.just("fr"),
    "max_fandoms": st.integers(0, 2),
    "max_tags": st.integers(0, 4),
    "text": st.sampled_from(["apple", "-pear", "title:plum", "apple -fig", '"apple pear"']),
}


@st.composite
def query_strategy(draw):
    """A query setting a few fields at once (more would mostly find nothing)."""
    chosen = draw(st.lists(st.sampled_from(sorted(FIELD_STRATEGIES)), max_size=3, unique=True))
    fields = {name: draw(FIELD_STRATEGIES[name]) for name in chosen}
    fields["sort"] = draw(
        st.sampled_from(
            ["relevance", "updated", "posted", "words", "kudos", "hits", "title", "creator"]
        )
    )
    fields["descending"] = draw(st.booleans())
    fields["page"] = draw(st.sampled_from([1, 1, 1, 2]))
    return WorkQuery(**fields)


def build(specs):
    tags = {}
    for name, type_, canonical, _syn, _meta in USER_TAGS:
        tags[name] = Tag.objects.create(
            name=name, key=tag_key(name), type=type_, canonical=canonical
        )
    for name, _t, _c, syn, meta in USER_TAGS:
        if syn:
            Tag.objects.filter(pk=tags[name].pk).update(merger=tags[syn])
        if meta:
            MetaTagging.objects.create(sub=tags[name], meta=tags[meta])
    for name in ALL_NAMES:
        tags.setdefault(name, Tag.objects.get(key=tag_key(name)))
    users = {n: UserFactory(username=n) for n in ("ann", "bob", "cyd")}
    for spec in specs:
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
        work.chapters.create(
            position=1, text="<p>" + " ".join(spec["body"]) + "</p>", published=day
        )
        Creatorship.objects.create(work=work, pseud=users[spec["creator"]].pseuds.get())
        if spec["kudos"] is not None:
            WorkStats.objects.create(work=work, kudos=spec["kudos"], hits=spec["hits"])
        names = [spec["rating"], *sorted(spec["categories"]), *sorted(spec["tags"])]
        for i, name in enumerate(names):
            WorkTag.objects.create(work=work, tag=tags[name], position=i)
    work_filters_recompute(work_ids=Work.objects.values_list("id", flat=True))
    search_text_rebuild()


def brute_force(query, viewer):
    """The query's meaning, restated over plain Python data loaded from the tables."""
    tags = {t.id: t for t in Tag.objects.all()}
    by_key = {t.key: t for t in tags.values()}
    metas = {}
    for link in MetaTagging.objects.all():
        metas.setdefault(link.sub_id, set()).add(link.meta_id)
    works = list(Work.objects.all())
    written = {w.id: set() for w in works}
    in_order = {w.id: [] for w in works}  # the tags as written, for phrases in the tags field
    for wt in WorkTag.objects.order_by("work_id", "position", "id"):
        written[wt.work_id].add(wt.tag_id)
        in_order[wt.work_id].append(wt.tag_id)
    filters = {w.id: set() for w in works}
    for wf in WorkFilter.objects.all():
        filters[wf.work_id].add(wf.tag_id)
    stats = {s.work_id: s for s in WorkStats.objects.all()}
    creator = {c.work_id: c.pseud.name for c in Creatorship.objects.select_related("pseud")}
    bodies = {w.id: " ".join(c.text for c in w.chapters.all()) for w in works}

    def has(work, name):
        tag = by_key.get(tag_key(name))
        if tag is None:
            return None
        if tag.canonical:
            return tag.id in filters[work.id]
        if tag.merger_id:
            return tag.merger_id in filters[work.id]
        return tag.id in written[work.id]

    def stat(work, name):
        s = stats.get(work.id)
        return getattr(s, name) if s else 0

    def words(s):
        return re.findall(r"[a-z]+", s.lower())

    def text_ok(work):
        title, body = words(work.title), words(re.sub("<[^>]+>", " ", bodies[work.id]))
        everything = (
            title
            + body
            + [creator[work.id]]
            + [w for t in written[work.id] for w in words(tags[t].name)]
        )
        rules = {
            "": True,
            "apple": "apple" in everything,
            "-pear": "pear" not in everything,
            "title:plum": "plum" in title,
            "apple -fig": "apple" in everything and "fig" not in everything,
            # A phrase matches inside one field (title, body, creators, the tags as written),
            # never across two: that is what FTS5 columns and PostgreSQL's field vectors do.
            '"apple pear"': any(
                a == "apple" and b == "pear"
                for field in (
                    title,
                    body,
                    words(creator[work.id]),
                    [w for t in in_order[work.id] for w in words(tags[t].name)],
                )
                for a, b in itertools.pairwise(field)
            ),
        }
        return rules[query.text]

    def count(work, types):
        return sum(1 for t in written[work.id] if tags[t].type in types)

    def top_fandoms(work):
        return [t for t in filters[work.id] if tags[t].type == "fandom" and t not in metas]

    out = []
    for w in works:
        if not w.posted or w.hidden_by_admin or (w.restricted and viewer is None):
            continue
        inc = [has(w, n) for n in query.include + query.categories]
        if any(v is False for v in inc):
            continue
        if any(has(w, n) for n in query.exclude):
            continue
        groups = list(query.any_of) + ([query.ratings] if query.ratings else [])
        if any(
            not any(has(w, n) for n in g) for g in groups if any(has(w, n) is not None for n in g)
        ):
            continue
        checks = [
            query.complete is None or w.complete == query.complete,
            query.crossover is None or (len(top_fandoms(w)) >= 2) == query.crossover,
            not query.single_chapter or w.expected_chapters == 1,
            query.words_from is None or w.word_count >= query.words_from,
            query.words_to is None or w.word_count <= query.words_to,
            query.kudos_from is None or stat(w, "kudos") >= query.kudos_from,
            query.hits_to is None or stat(w, "hits") <= query.hits_to,
            query.updated_from is None or w.updated >= query.updated_from,
            not query.language or w.language == query.language,
            query.max_fandoms is None or count(w, {"fandom"}) <= query.max_fandoms,
            query.max_tags is None
            or count(w, {"fandom", "relationship", "character", "freeform"}) <= query.max_tags,
            text_ok(w),
        ]
        if all(checks):
            out.append(w)
    sort = query.effective_sort
    keys = {
        "updated": lambda w: w.updated,
        "posted": lambda w: w.published,
        "words": lambda w: w.word_count,
        "kudos": lambda w: stat(w, "kudos"),
        "hits": lambda w: stat(w, "hits"),
        "title": lambda w: w.title.lower(),
        "creator": lambda w: creator[w.id].lower(),
        "relevance": lambda w: 0,
    }
    out.sort(key=lambda w: (keys[sort](w), w.id), reverse=query.descending)
    facets = {t: {} for t in FACETS}
    for w in out:
        for t in filters[w.id]:
            if tags[t].type in facets:
                facets[tags[t].type][tags[t].name] = facets[tags[t].type].get(tags[t].name, 0) + 1
    for name in query.exclude:  # excluded tags stay listed
        tag = by_key[tag_key(name)]
        shown = tags[tag.merger_id] if tag.merger_id else tag
        facets[shown.type].setdefault(shown.name, 0)
    for name in query.include:  # included unwrangled tags: every result carries them
        tag = by_key[tag_key(name)]
        if not tag.canonical and not tag.merger_id:
            facets[tag.type][tag.name] = len(out)
    return [w.id for w in out], facets


@pytest.mark.django_db
@given(
    specs=works_strategy,
    queries=st.lists(query_strategy(), min_size=1, max_size=8),
    logged_in=st.booleans(),
)
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
def test_reference_equals_brute_force(specs, queries, logged_in):
    with transaction.atomic():
        build(specs)
        viewer = UserFactory(username="viewer") if logged_in else None
        for query in queries:
            results = ReferenceBackend().search_works(query, viewer=viewer or AnonymousUser())
            ids, facets = brute_force(query, viewer)
            assert results.total == len(ids)
            start = (query.page - 1) * PER_PAGE
            if query.effective_sort == "relevance":
                assert set(results.ids) <= set(ids) and len(results.ids) == len(
                    ids[start : start + PER_PAGE]
                )
            else:
                assert results.ids == ids[start : start + PER_PAGE]
            got = {t: {tag.name: n for tag, n in entries} for t, entries in results.facets.items()}
            assert got == facets
        transaction.set_rollback(True)
