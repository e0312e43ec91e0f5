"""The reference backend, field by field, on a small hand-made archive."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.search.backends.reference import ReferenceBackend
from fanarchive.search.query import PER_PAGE, WorkQuery
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.tags.wrangling import tag_add_metatag, tag_make_synonym
from fanarchive.works.filters import work_filters_recompute
from fanarchive.works.models import Work, WorkStats, WorkTag
from fanarchive.works.tests.factories import WorkFactory

D = datetime.date


def fixed(name):
    return Tag.objects.get(name=name)


@pytest.fixture
def archive(db):
    """Six works with known tags, dates and stats; returns a dict of works and tags."""
    t = {
        "fluff": TagFactory(name="Fluff", canonical=True),
        "fluffy": TagFactory(name="Fluffy"),  # made a synonym of Fluff below
        "angst": TagFactory(name="Angst", canonical=True),
        "raw": TagFactory(name="my unwrangled tag"),
        "marvel": TagFactory(name="Marvel", type=TagType.FANDOM, canonical=True),
        "mcu": TagFactory(name="MCU", type=TagType.FANDOM, canonical=True),
        "avengers": TagFactory(name="Avengers", type=TagType.FANDOM, canonical=True),
        "hp": TagFactory(name="Harry Potter", type=TagType.FANDOM, canonical=True),
        "harry": TagFactory(name="Harry", type=TagType.CHARACTER, canonical=True),
        "ron": TagFactory(name="Ron", type=TagType.CHARACTER, canonical=True),
        "hr": TagFactory(name="Harry/Ron", type=TagType.RELATIONSHIP, canonical=True),
    }
    tag_make_synonym(tag=t["fluffy"], of=t["fluff"], wrangler=None)
    tag_add_metatag(tag=t["mcu"], meta=t["marvel"], wrangler=None)
    tag_add_metatag(tag=t["avengers"], meta=t["marvel"], wrangler=None)
    teen, mature = fixed("Teen And Up Audiences"), fixed("Mature")
    gen, mm = fixed("Gen"), fixed("M/M")
    violence = fixed("Graphic Depictions Of Violence")
    specs = {
        # name: (tags, fields, stats (hits, kudos, comments, bookmarks))
        "a": ([t["fluff"], t["hp"], t["harry"], gen], {}, (10, 5, 1, 0)),
        "b": ([t["fluffy"], t["mcu"], t["avengers"], mm], {"complete": False}, (100, 5, 0, 2)),
        "c": (
            [teen, t["angst"], t["hp"], t["mcu"], t["hr"], t["harry"], t["ron"]],
            {},
            (50, 0, 3, 1),
        ),
        "d": ([mature, t["raw"], violence, t["hp"]], {"language": "fr"}, (0, 40, 0, 0)),
        "e": ([t["angst"], t["fluff"], gen, mm], {"published": D(2020, 5, 1)}, None),
        "f": ([t["avengers"]], {"expected_chapters": None, "complete": False}, (7, 7, 7, 7)),
    }
    works = {}
    for i, (name, (tags, fields, stats)) in enumerate(specs.items()):
        fields = {"title": f"Title {name}", "published": D(2024, 1, 1 + i), **fields}
        fields.setdefault("updated", D(2024, 2, 10 - i))
        work = WorkFactory(tags=tags, **fields)
        if stats is None:
            WorkStats.objects.filter(work=work).delete()
        else:
            h, k, c, b = stats
            WorkStats.objects.filter(work=work).update(hits=h, kudos=k, comments=c, bookmarks=b)
        works[name] = work
    Work.objects.filter(pk=works["a"].pk).update(word_count=1000)
    Work.objects.filter(pk=works["b"].pk).update(word_count=5000)
    Work.objects.filter(pk=works["f"].pk).update(chapter_count=3, word_count=100)
    work_filters_recompute(work_ids=[w.id for w in works.values()])
    return {"works": works, "tags": t}


def names(archive, ids):
    by_id = {w.id: n for n, w in archive["works"].items()}
    return "".join(sorted(by_id[i] for i in ids))


def run(query, viewer=None):
    return ReferenceBackend().search_works(query, viewer=viewer or AnonymousUser())


CASES = [
    ({}, "abcdef"),
    ({"include": ("Fluff",)}, "abe"),  # the synonym Fluffy on b counts
    ({"include": ("fluffy",)}, "abe"),  # a synonym stands for its canonical
    ({"include": ("Marvel",)}, "bcf"),  # subtags MCU and Avengers
    ({"include": ("MCU",)}, "bc"),
    ({"include": ("my unwrangled tag",)}, "d"),  # unwrangled: matched as written
    ({"include": ("Fluff", "Harry Potter")}, "a"),
    ({"exclude": ("Fluff",)}, "cdf"),
    ({"exclude": ("Marvel", "Angst")}, "ad"),
    ({"exclude": ("MY UNWRANGLED TAG",)}, "abcef"),
    ({"any_of": (("Angst", "Avengers"),)}, "bcef"),
    ({"any_of": (("Angst", "Avengers"), ("Harry Potter", "Fluff"))}, "bce"),
    ({"include": ("Nope, no such tag",)}, "abcdef"),  # unknown: dropped and reported
    ({"ratings": ("Teen And Up Audiences", "Mature")}, "cd"),
    ({"ratings": ("General Audiences",)}, "abef"),
    ({"warnings": ("Graphic Depictions Of Violence",)}, "d"),
    ({"categories": ("Gen", "M/M")}, "e"),  # all must match
    ({"categories": ("Gen",)}, "ae"),
    ({"exclude": ("Gen",)}, "bcdf"),
    ({"complete": True}, "acde"),
    ({"complete": False}, "bf"),
    ({"crossover": True}, "c"),  # HP + Marvel; b is MCU + Avengers, both under Marvel
    ({"crossover": False}, "abdef"),
    ({"single_chapter": True}, "abcde"),  # f's length is unknown
    ({"words_from": 1000}, "ab"),
    ({"words_from": 1000, "words_to": 4999}, "a"),
    ({"words_to": 100}, "cdef"),  # the factory's text is short
    ({"kudos_from": 5}, "abdf"),
    ({"kudos_to": 0}, "ce"),  # e has no stats row: zeros
    ({"hits_from": 10, "hits_to": 60}, "ac"),
    ({"comments_from": 1}, "acf"),
    ({"bookmarks_from": 2}, "bf"),
    ({"posted_from": D(2024, 1, 2)}, "bcdf"),
    ({"posted_to": D(2024, 1, 1)}, "ae"),
    ({"updated_from": D(2024, 2, 8), "updated_to": D(2024, 2, 9)}, "bc"),
    ({"language": "fr"}, "d"),
    ({"max_fandoms": 1}, "adef"),
    ({"max_fandoms": 0}, "e"),
    ({"max_characters": 1}, "abdef"),
    ({"max_relationships": 0}, "abdef"),
    ({"max_tags": 2}, "def"),  # written types only: fandoms, relationships, characters, tags
]


@pytest.mark.parametrize(("fields", "expected"), CASES)
def test_each_field(archive, fields, expected):
    results = run(WorkQuery(**fields))
    assert names(archive, results.ids) == expected
    assert results.total == len(expected)


def test_unknown_tags_are_reported(archive):
    results = run(WorkQuery(include=("Fluff", "Nope"), any_of=(("Nada", "Zilch"),)))
    assert results.unknown_tags == ("Nope", "Nada", "Zilch")
    assert names(archive, results.ids) == "abe"


SORTS = [
    ("updated", True, "abcdef"),
    ("updated", False, "fedcba"),
    ("posted", True, "fdcbae"),
    ("words", True, "ba" + "f"),  # then c, d, e tie on words: by id descending
    ("kudos", True, "dfab"),  # a/b tie at 5 → higher id first: b before a
    ("hits", False, "defacb"),  # d and e tie at 0 → lower id first
    ("title", False, "abcdef"),
    ("title", True, "fedcba"),
]


@pytest.mark.parametrize(("sort", "descending", "expected_prefix"), SORTS)
def test_sorts_break_ties_by_id(archive, sort, descending, expected_prefix):
    ids = run(WorkQuery(sort=sort, descending=descending)).ids
    by_id = {w.id: n for n, w in archive["works"].items()}
    order = "".join(by_id[i] for i in ids)
    if sort == "kudos":
        assert order == "dfba" + "ec"
    elif sort == "words":
        assert order == "baf" + "edc"
    else:
        assert order == expected_prefix


def test_sort_by_creator(archive):
    renamed = ["zed", "amy", "Bob", "amy2", "carl", "Amy"]
    for name, work in zip(renamed, archive["works"].values(), strict=True):
        pseud = work.creatorships.get().pseud
        pseud.name = name
        pseud.save()
    ids = run(WorkQuery(sort="creator", descending=False)).ids
    by_id = {w.id: n for n, w in archive["works"].items()}
    # amy (b), Amy (f) tie case-insensitively → by id; then amy2, Bob, carl, zed
    assert "".join(by_id[i] for i in ids) == "bfdcea"


def test_relevance_without_text_sorts_by_updated(archive):
    assert run(WorkQuery()).ids == run(WorkQuery(sort="updated")).ids


def test_paging(db):
    works = [WorkFactory() for _ in range(PER_PAGE + 3)]
    ids = sorted((w.id for w in works), reverse=True)  # same updated date: id descending
    first, second = run(WorkQuery(page=1)), run(WorkQuery(page=2))
    assert first.ids == ids[:PER_PAGE] and second.ids == ids[PER_PAGE:]
    assert (first.total, first.pages, second.first, second.last) == (23, 2, 21, 23)
    assert run(WorkQuery(page=3)).ids == []


def test_facets_count_the_result_set_and_keep_excluded_tags(archive):
    results = run(WorkQuery(exclude=("Angst",), include=("Harry Potter",)))
    assert names(archive, results.ids) == "ad"
    facets = {t: [(tag.name, n) for tag, n in entries] for t, entries in results.facets.items()}
    assert facets["fandom"] == [("Harry Potter", 2)]
    assert facets["rating"] == [("General Audiences", 1), ("Mature", 1)]
    assert ("Angst", 0) in facets["freeform"]  # excluded: listed with 0 so it can be unticked
    assert ("Fluff", 1) in facets["freeform"]
    assert all(name != "my unwrangled tag" for name, _ in facets["freeform"])  # not canonical


def test_facets_follow_subtags(archive):
    results = run(WorkQuery(include=("Marvel",)))
    fandoms = dict((tag.name, n) for tag, n in results.facets["fandom"])
    assert fandoms == {"Marvel": 3, "Avengers": 2, "MCU": 2, "Harry Potter": 1}
    assert [tag.name for tag, _ in results.facets["fandom"]][:1] == ["Marvel"]


def test_visibility(db):
    creator = UserFactory()
    pseud = creator.pseuds.get()
    public = WorkFactory(creator=pseud)
    restricted = WorkFactory(creator=pseud, restricted=True)
    WorkFactory(creator=pseud, posted=False)
    WorkFactory(creator=pseud, hidden_by_admin=True)
    fluff = TagFactory(name="Fluff", canonical=True)
    for work in Work.objects.all():
        WorkTag.objects.create(work=work, tag=fluff, position=9)
    work_filters_recompute(work_ids=Work.objects.values_list("id", flat=True))
    reader = UserFactory()
    guest = run(WorkQuery(include=("Fluff",)))
    assert guest.ids == [public.id] and guest.total == 1
    assert dict((t.name, n) for t, n in guest.facets["freeform"]) == {"Fluff": 1}
    for viewer in (reader, creator):
        seen = run(WorkQuery(include=("Fluff",)), viewer=viewer)
        assert seen.ids == [restricted.id, public.id]
        assert dict((t.name, n) for t, n in seen.facets["freeform"]) == {"Fluff": 2}
