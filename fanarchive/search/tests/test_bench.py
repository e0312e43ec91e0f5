"""`fanarchive bench search`: its figures' shape, the identity check, and its failing paths.
(No timing is asserted: speed goes to bench/README.md.)"""

import json
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fanarchive.search.backends.reference import ReferenceBackend
from fanarchive.search.benchmark import percentile, query_mix
from fanarchive.search.services import search_text_rebuild
from fanarchive.tags.models import TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.filters import work_filters_recompute
from fanarchive.works.tests.factories import WorkFactory

REFERENCE = "fanarchive.search.backends.reference.ReferenceBackend"


class WrongTotalBackend(ReferenceBackend):
    """A backend that miscounts: the benchmark must say its answers differ."""

    def search_works(self, query, *, viewer, facet_limit=None):
        results = super().search_works(query, viewer=viewer, facet_limit=facet_limit)
        return replace(results, total=results.total + 1)


class CachedReferenceBackend(ReferenceBackend):
    """A backend with a cache switch (the benchmark then reports cached figures too)."""

    def __init__(self, cache=True):
        self.cache = cache


def bench(*args):
    out = StringIO()
    call_command("bench", "search", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.fixture
def archive(db):
    fandom = TagFactory(name="Les Misérables", type=TagType.FANDOM, canonical=True)
    other = TagFactory(name="Pride and Prejudice", type=TagType.FANDOM, canonical=True)
    ships = [
        TagFactory(name=name, type=TagType.RELATIONSHIP, canonical=True)
        for name in ("Enjolras/Grantaire", "Cosette/Marius", "Elizabeth/Darcy")
    ]
    fluff = TagFactory(name="Fluff", type=TagType.FREEFORM, canonical=True)
    angst = TagFactory(name="Angst", type=TagType.FREEFORM, canonical=True)
    works = [
        WorkFactory(tags=[fandom, ships[0], fluff], text="The barricade rose in the evening."),
        WorkFactory(tags=[fandom, ships[0], angst], text="Barricade songs rose at evening."),
        WorkFactory(tags=[fandom, ships[1], fluff], text="A garden in the Rue Plumet."),
        WorkFactory(tags=[fandom, other, ships[2]], text="Letters crossed the channel."),
        WorkFactory(tags=[other, ships[2], fluff], text="Netherfield was let at last."),
        WorkFactory(tags=[fandom], title="Hidden", restricted=True),
    ]
    work_filters_recompute(work_ids=[w.id for w in works])
    search_text_rebuild()
    return works


def test_json_has_the_figures_and_every_answer_is_identical(archive):
    report = json.loads(
        bench("--engine", REFERENCE, "--json", "--repeat", "2", "--reference-repeat", "1")
    )
    for key in ("works", "p50_ms", "p99_ms", "reference_p50_ms", "speedup", "identical"):
        assert key in report
    assert report["works"] == 6
    assert report["identical"] is True
    assert report["p50_ms"] > 0 and report["p99_ms"] >= report["p50_ms"]
    assert "cached_p50_ms" not in report  # the reference has no cache to switch
    names = [q["name"] for q in report["queries"]]
    assert names[0] == "fandom" and "text+fandom" in names and "fandom page 50" in names
    by_name = {q["name"]: q for q in report["queries"]}
    assert by_name["fandom"]["total"] == 4  # guests: the restricted work is not counted
    assert by_name["fandom"]["query"] == "tag=Les+Mis%C3%A9rables"
    assert all(q["runs"] == 2 and q["reference_runs"] == 1 for q in report["queries"])


def test_the_mix_is_derived_from_the_archive(archive):
    mix = {item.name: item.query for item in query_mix(ReferenceBackend())}
    assert mix["fandom+relationship"].include == ("Les Misérables", "Enjolras/Grantaire")
    # The top additional tag of fandom + relationship: Fluff and Angst tie at 1, by name.
    assert mix["fandom+relationship-freeform"].exclude == ("Angst",)
    assert (
        mix["freeform by kudos"].include == ("Fluff",) and mix["freeform by kudos"].sort == "kudos"
    )
    assert mix["rating"].ratings == ("General Audiences",)
    assert len(mix["any of 3 relationships"].any_of[0]) == 3
    assert len(mix["text+fandom"].text.split()) == 2
    assert mix["fandom page 50"].page == 50


def test_a_different_answer_is_reported(archive):
    report = json.loads(
        bench(
            "--engine",
            "fanarchive.search.tests.test_bench.WrongTotalBackend",
            "--json",
            "--repeat",
            "1",
            "--reference-repeat",
            "1",
        )
    )
    assert report["identical"] is False
    assert all(not q["identical"] for q in report["queries"])
    assert "total" in report["queries"][0]["difference"]


def test_table_output_and_cached_figures(archive):
    out = bench(
        "--engine",
        "fanarchive.search.tests.test_bench.CachedReferenceBackend",
        "--repeat",
        "1",
        "--reference-repeat",
        "1",
    )
    assert "| query | works | engine p50 |" in out and "cached p50" in out
    assert "| **all** |" in out and "✘" not in out


def test_empty_archive_says_what_to_do(db):
    with pytest.raises(CommandError, match=r"no works.*fanarchive demo --works N"):
        bench("--engine", REFERENCE)


def test_archive_without_fandoms(db):
    WorkFactory()
    with pytest.raises(CommandError, match="no fandom"):
        bench("--engine", REFERENCE, "--repeat", "1", "--reference-repeat", "1")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--engine", "fanarchive.search.nowhere.Backend"), "--engine: cannot import"),
        (("--repeat", "0"), "--repeat: must be at least 1"),
        (("--reference-repeat", "0"), "--reference-repeat: must be at least 1"),
        (("--works", "0"), "--works: must be at least 1"),
    ],
)
def test_bad_options_are_named(archive, args, message):
    with pytest.raises(CommandError, match=message):
        bench(*args)


def test_unknown_subject(db):
    with pytest.raises(CommandError, match="unknown benchmark 'http'"):
        call_command("bench", "http", stdout=StringIO())


def test_percentile_is_nearest_rank():
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.0
    assert percentile(values, 99) == 99.0
    assert percentile([3.0, 1.0, 2.0], 99) == 3.0


class FacetLimitRecorder(ReferenceBackend):
    """Records the facet limit every answer was asked with."""

    seen: list = []

    def search_works(self, query, *, viewer, facet_limit=None):
        FacetLimitRecorder.seen.append(facet_limit)
        return super().search_works(query, viewer=viewer, facet_limit=facet_limit)


def test_facets_are_timed_as_a_listing_page_asks_for_them_unless_told(archive):
    from fanarchive.search.forms import FACETS_LISTED

    engine = "fanarchive.search.tests.test_bench.FacetLimitRecorder"
    FacetLimitRecorder.seen = []
    report = json.loads(bench("--engine", engine, "--json", "--repeat", "1"))
    assert report["facet_limit"] == FACETS_LISTED and report["identical"] is True
    assert FACETS_LISTED in FacetLimitRecorder.seen
    FacetLimitRecorder.seen = []
    report = json.loads(bench("--engine", engine, "--json", "--repeat", "1", "--facet-limit", "0"))
    assert report["facet_limit"] is None
    timed_calls = FacetLimitRecorder.seen[-len(report["queries"]) :]
    assert timed_calls and all(limit is None for limit in timed_calls)
    with pytest.raises(CommandError, match="--facet-limit"):
        bench("--engine", engine, "--facet-limit", "-1")
