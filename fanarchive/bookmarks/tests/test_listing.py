"""A reader's bookmarks page: the finding-works filters over the bookmarked works, the
bookmark filters (rec, notes, bookmarker's tags), sorting, paging and its query count."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from fanarchive.bookmarks.selectors import BookmarkFilters, bookmark_listing
from fanarchive.bookmarks.services import BookmarkData, bookmark_save
from fanarchive.search.query import WorkQuery
from fanarchive.works.models import Series

from .helpers import fandom, make_work

pytestmark = pytest.mark.django_db


def bookmark(user, work=None, series=None, **fields):
    data = BookmarkData(pseud=user.pseuds.get(is_default=True), **fields)
    return bookmark_save(user=user, work=work, series=series, data=data)[0]


def titles(response) -> list[str]:
    page = response.content.decode()
    return re.findall(r'<h2 class="blurb-title"><a href="/(?:works|series)/\d+">([^<]+)</a>', page)


@pytest.fixture
def shelf(reader, writer):
    """cosette's bookmarks: works in two fandoms, complete or not, long or short."""
    les_mis, hp = fandom(), fandom("Harry Potter - J. K. Rowling")
    works = {
        "Barricade": make_work("Barricade", creator=writer, tags=[les_mis], words="a " * 50),
        "Sewers": make_work("Sewers", creator=writer, tags=[les_mis], complete=False, chapters=2),
        "Hogwarts": make_work("Hogwarts", creator=writer, tags=[hp], words="b " * 3000),
    }
    bookmark(reader, works["Barricade"], rec=True, tags="Fluff", notes="loved it")
    bookmark(reader, works["Sewers"], tags="fluff, angst")
    bookmark(reader, works["Hogwarts"], tags="Angst")
    return works


def test_work_tag_filters_narrow_the_bookmarked_works(shelf, reader_client):
    assert set(titles(reader_client.get("/users/cosette/bookmarks"))) == set(shelf)
    response = reader_client.get(
        "/users/cosette/bookmarks", {"tag": "Les Misérables - Victor Hugo"}
    )
    assert set(titles(response)) == {"Barricade", "Sewers"}
    response = reader_client.get(
        "/users/cosette/bookmarks", {"exclude": "Les Misérables - Victor Hugo"}
    )
    assert titles(response) == ["Hogwarts"]


def test_complete_and_word_filters(shelf, reader_client):
    assert "Sewers" not in titles(
        reader_client.get("/users/cosette/bookmarks", {"complete": "yes"})
    )
    assert titles(reader_client.get("/users/cosette/bookmarks", {"complete": "no"})) == ["Sewers"]
    assert titles(reader_client.get("/users/cosette/bookmarks", {"words_from": "1000"})) == [
        "Hogwarts"
    ]


def test_bookmark_filters(shelf, reader_client):
    assert titles(reader_client.get("/users/cosette/bookmarks", {"rec": "1"})) == ["Barricade"]
    assert titles(reader_client.get("/users/cosette/bookmarks", {"with_notes": "1"})) == [
        "Barricade"
    ]
    by_tag = titles(reader_client.get("/users/cosette/bookmarks", {"bookmark_tag": "FLUFF"}))
    assert set(by_tag) == {"Barricade", "Sewers"}
    both = titles(reader_client.get("/users/cosette/bookmarks", {"bookmark_tag": "fluff, angst"}))
    assert both == ["Sewers"]


def test_the_sidebar_counts_the_bookmarked_works_tags(shelf, reader_client):
    page = reader_client.get("/users/cosette/bookmarks").content.decode()
    assert "Les Misérables - Victor Hugo (2)" in page
    assert "Harry Potter - J. K. Rowling (1)" in page
    assert re.search(r"[Ff]luff \(2\)", page) and re.search(r"[Aa]ngst \(2\)", page)


def test_unknown_tags_and_bad_values_are_reported_not_fatal(shelf, reader_client):
    response = reader_client.get(
        "/users/cosette/bookmarks", {"tag": "No Such Tag", "rec": "maybe", "sort_column": "x"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "No tag named &#x27;No Such Tag&#x27;" in page
    assert "rec: &#x27;maybe&#x27; is not yes or no" in page
    assert "sort_column" in page


def test_a_series_bookmark_matches_when_one_of_its_works_does(reader, writer, reader_client):
    les_mis = fandom()
    make_work("Part A", creator=writer, tags=[les_mis], series=("Lamplight", 1))
    make_work("Part B", creator=writer, series=("Lamplight", 2))
    bookmark(reader, series=Series.objects.get(title="Lamplight"))
    assert titles(reader_client.get("/users/cosette/bookmarks", {"tag": les_mis.name})) == [
        "Lamplight"
    ]
    assert titles(reader_client.get("/users/cosette/bookmarks", {"complete": "no"})) == []


def test_newest_first_and_by_date_updated(reader, writer, reader_client):
    import datetime

    from fanarchive.works.models import Work

    old = make_work("Old", creator=writer)
    new = make_work("New", creator=writer)
    Work.objects.filter(pk=old.pk).update(updated=datetime.date(2025, 1, 1))
    bookmark(reader, old)
    bookmark(reader, new)
    assert titles(reader_client.get("/users/cosette/bookmarks")) == ["New", "Old"]
    by_update = reader_client.get("/users/cosette/bookmarks", {"sort_column": "bookmarkable_date"})
    assert titles(by_update) == ["Old", "New"]


def test_pages_of_20(reader, writer, reader_client):
    for n in range(21):
        bookmark(reader, make_work(f"Work {n:02}", creator=writer))
    first = reader_client.get("/users/cosette/bookmarks")
    assert len(titles(first)) == 20 and "1 \N{EN DASH} 20 of 21 Bookmarks" in first.content.decode()
    assert titles(reader_client.get("/users/cosette/bookmarks", {"page": "2"})) == ["Work 00"]


def test_listing_queries_do_not_grow_with_the_page(reader, writer, django_assert_max_num_queries):
    for n in range(12):
        bookmark(reader, make_work(f"W{n}", creator=writer), tags="a, b")
    make_work("P1", creator=writer, series=("S", 1))
    bookmark(reader, series=Series.objects.get(title="S"))
    client = Client()
    with django_assert_max_num_queries(25):
        response = client.get("/users/cosette/bookmarks")
    assert len(titles(response)) == 13


def test_selector_filters_alone(shelf, reader):
    listing = bookmark_listing(
        viewer=AnonymousUser(),
        owner=reader,
        query=WorkQuery(include=("Les Misérables - Victor Hugo",)),
        filters=BookmarkFilters(tags=("fluff",)),
    )
    assert {e.meta.work.title for e in listing.entries} == {"Barricade", "Sewers"}


def test_private_bookmarks_tags_do_not_show_in_the_sidebar_for_others(reader, writer):
    bookmark(reader, make_work("Secret", creator=writer), tags="my secret tag", private=True)
    bookmark(reader, make_work("Open", creator=writer), tags="open tag")
    page = Client().get("/users/cosette/bookmarks").content.decode()
    assert "open tag (1)" in page and "my secret tag" not in page and "Secret" not in page
