"""Counts end to end (issue 6, item 9): after `counts_add` and the hits roll-up, the work page,
the blurbs of a tag listing, sorting by kudos/hits/comments/bookmarks (with both search
backends) and `fanarchive search --json` show the new numbers; `fanarchive stats recount`
repairs counters from the rows they count."""

import json
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from fanarchive.search import blurb_cache, page_cache
from fanarchive.stats.rollup import hits_rollup
from fanarchive.tags.models import TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.counts import counts_add
from fanarchive.works.filters import work_filters_recompute
from fanarchive.works.models import WorkStats
from fanarchive.works.tests.factories import WorkFactory

from .conftest import reader

pytestmark = pytest.mark.django_db

BACKENDS = [
    "fanarchive.search.backends.reference.ReferenceBackend",
    "fanarchive.search.engine.EngineBackend",
]


@pytest.fixture(params=BACKENDS, ids=["reference", "engine"])
def backend(request, settings):
    settings.FANARCHIVE_SEARCH_BACKEND = request.param
    return request.param


@pytest.fixture
def fandom(db):
    return TagFactory(name="Les Misérables", type=TagType.FANDOM, canonical=True)


@pytest.fixture
def works(fandom):
    made = [WorkFactory(tags=[fandom], title=title) for title in ("Alpha", "Beta", "Gamma")]
    work_filters_recompute(work_ids=[w.pk for w in made])
    return made


def stat(html, name):
    found = re.search(rf"<dt>{name}:</dt><dd>([^<]*)</dd>", html)
    return found.group(1) if found else None


def blurb_stats(html):
    """{title: {stat: value}} of each blurb on a listing page."""
    out = {}
    for blurb in html.split('<li class="work blurb"')[1:]:
        title = re.search(r'<h2 class="blurb-title"><a href="/works/\d+">([^<]*)</a>', blurb)
        out[title.group(1)] = dict(re.findall(r"<dt>([^<]*):</dt><dd>([^<]*)</dd>", blurb))
    return out


def listing(sort, backend_name=None):
    html = Client().get(f"/tags/Les Misérables/works?sort={sort}").text
    return re.findall(r'<h2 class="blurb-title"><a href="/works/\d+">([^<]*)</a>', html)


def test_the_work_page_shows_new_counts(works):
    work = works[0]
    counts_add(work.pk, kudos=2, comments=3, bookmarks=4)
    for n in range(5):
        reader(ip=f"203.0.113.{n}").get(f"/works/{work.pk}")
    hits_rollup()
    html = Client().get(f"/works/{work.pk}").text
    assert (stat(html, "Kudos"), stat(html, "Comments"), stat(html, "Bookmarks")) == ("2", "3", "4")
    assert stat(html, "Hits") == "5"


def test_the_tag_listing_blurbs_show_new_counts(backend, works):
    before = blurb_stats(Client().get("/tags/Les Misérables/works").text)
    assert before["Beta"].get("Kudos") is None
    counts_add(works[1].pk, kudos=7, comments=1, bookmarks=2)
    reader().get(f"/works/{works[1].pk}")
    hits_rollup()
    after = blurb_stats(Client().get("/tags/Les Misérables/works").text)
    assert after["Beta"] == {
        **after["Beta"],
        "Kudos": "7",
        "Comments": "1",
        "Bookmarks": "2",
        "Hits": "1",
    }


@pytest.mark.parametrize("counter", ["kudos", "comments", "bookmarks"])
def test_sorting_follows_new_counts(backend, works, counter):
    a, b, c = works
    counts_add(a.pk, **{counter: 1})
    counts_add(b.pk, **{counter: 2})
    assert listing(counter) == ["Beta", "Alpha", "Gamma"]
    counts_add(c.pk, **{counter: 5})
    counts_add(b.pk, **{counter: -2})
    assert listing(counter) == ["Gamma", "Alpha", "Beta"]


def test_sorting_by_hits_follows_the_roll_up(backend, works):
    a, b, _c = works
    assert listing("hits") == ["Gamma", "Beta", "Alpha"]  # all 0: ties by id, newest first
    for n in range(3):
        reader(ip=f"198.51.100.{n}").get(f"/works/{a.pk}")
    reader(ip="198.51.100.9").get(f"/works/{b.pk}")
    assert listing("hits") == ["Gamma", "Beta", "Alpha"]  # not rolled up yet
    hits_rollup()
    assert listing("hits") == ["Alpha", "Beta", "Gamma"]


def test_the_guest_caches_show_new_counts(works, settings, monkeypatch):
    """With the guest caches on (as under `fanarchive serve`), a cached work page and cached
    blurbs are dropped when the counters change, through the search change log."""
    settings.FANARCHIVE_GUEST_CACHE = True
    monkeypatch.setattr(page_cache, "_store", page_cache.PageStore(max_bytes=8 * 1024 * 1024))
    monkeypatch.setattr(blurb_cache, "_cache", blurb_cache.BlurbCache())
    work = works[0]
    reader().get(f"/works/{work.pk}")
    assert Client().get(f"/works/{work.pk}").get("X-Page-Cache") == "hit"
    Client().get("/tags/Les Misérables/works")
    counts_add(work.pk, kudos=9)
    hits_rollup()
    html = Client().get(f"/works/{work.pk}").text
    assert stat(html, "Kudos") == "9"
    assert stat(html, "Hits") == "1"
    assert blurb_stats(Client().get("/tags/Les Misérables/works").text)["Alpha"]["Kudos"] == "9"


def search_json(*args):
    out = StringIO()
    call_command("search", "--json", *args, stdout=out)
    return json.loads(out.getvalue())


def test_search_json_shows_new_counts(backend, works):
    a, b, _c = works
    counts_add(a.pk, kudos=4, comments=2, bookmarks=1)
    reader().get(f"/works/{b.pk}")
    reader(ip="192.0.2.44").get(f"/works/{b.pk}")
    hits_rollup()
    rows = {w["title"]: w for w in search_json("--sort", "kudos")["works"]}
    assert {k: rows["Alpha"][k] for k in ("kudos", "hits", "comments", "bookmarks")} == {
        "kudos": 4,
        "hits": 0,
        "comments": 2,
        "bookmarks": 1,
    }
    assert rows["Beta"]["hits"] == 2
    assert search_json("--sort", "hits")["works"][0]["title"] == "Beta"
    assert search_json("--sort", "kudos")["works"][0]["title"] == "Alpha"


# --- recount --------------------------------------------------------------------------------


def recount(*args):
    out = StringIO()
    call_command("stats", "recount", *args, stdout=out)
    return out.getvalue()


def test_recount_repairs_drifted_counters(works):
    from django.apps import apps

    a, _b, _c = works
    counts_add(a.pk, kudos=5, comments=4, bookmarks=3, subscriptions=2)  # no rows behind them
    output = recount()
    stats = WorkStats.objects.get(work=a)
    for counter, (label, name) in {
        "kudos": ("social", "Kudos"),
        "comments": ("comments", "Comment"),
        "bookmarks": ("bookmarks", "Bookmark"),
        "subscriptions": ("subscriptions", "Subscription"),
    }.items():
        try:
            apps.get_model(label, name)
        except LookupError:
            assert f"{counter}: skipped" in output
            assert getattr(stats, counter) > 0
        else:
            assert f"{counter}: 1 work(s) corrected." in output
            assert getattr(stats, counter) == 0
    assert recount().count("0 work(s) corrected") >= 1  # nothing left to correct


def test_recount_counts_the_kudos_rows(works):
    from fanarchive.stats.selectors import kudos_model

    model = kudos_model()
    if model is None:
        pytest.skip("no Kudos model yet")
    a, b, _c = works
    model.objects.create(work=a, ip_hash="1" * 64)
    model.objects.create(work=a, ip_hash="2" * 64)
    counts_add(b.pk, kudos=1)
    recount("--work", str(a.pk))
    assert WorkStats.objects.get(work=a).kudos == 2
    assert WorkStats.objects.get(work=b).kudos == 1  # not asked for: left alone
    recount()
    assert WorkStats.objects.get(work=b).kudos == 0


def test_recount_of_no_such_work_is_a_clear_error(works):
    with pytest.raises(CommandError, match="--work: no work with id 999999"):
        recount("--work", "999999")


def test_rollup_command(works):
    reader().get(f"/works/{works[0].pk}")
    out = StringIO()
    call_command("stats", "rollup", stdout=out)
    assert "Counted 1 hit(s) on 1 work(s)" in out.getvalue()
    assert WorkStats.objects.get(work=works[0]).hits == 1
