"""The guests' blurb cache of listing pages: a blurb is rendered once, and every change the
search change log records shows on the next page."""

import datetime

import pytest
from django.urls import reverse

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.search import blurb_cache
from fanarchive.search.models import SearchChange
from fanarchive.tags.models import TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.filters import work_filters_recompute
from fanarchive.works.models import Work, WorkStats
from fanarchive.works.tests.factories import WorkFactory


@pytest.fixture(autouse=True)
def cache(monkeypatch, settings):
    settings.FANARCHIVE_GUEST_CACHE = True
    fresh = blurb_cache.BlurbCache()
    monkeypatch.setattr(blurb_cache, "_cache", fresh)
    return fresh


@pytest.fixture
def fandom(db):
    return TagFactory(name="Les Misérables", type=TagType.FANDOM, canonical=True)


@pytest.fixture
def works(fandom):
    made = [
        WorkFactory(tags=[fandom], title="Barricade days"),
        WorkFactory(tags=[fandom], title="Rue Plumet", updated=datetime.date(2024, 2, 1)),
    ]
    work_filters_recompute(work_ids=[w.id for w in made])
    return made


def page(client, fandom):
    response = client.get(reverse("search:tag_works", args=[fandom.name]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_blurb_is_rendered_once(client, fandom, works, cache):
    first = page(client, fandom)
    assert (cache.hits, cache.misses) == (0, 2)
    second = page(client, fandom)
    assert (cache.hits, cache.misses) == (2, 2)
    assert first == second
    assert "Barricade days" in second and f'id="work_{works[0].id}"' in second


def test_an_edited_work_shows_at_once(client, fandom, works, cache):
    page(client, fandom)
    work = works[0]
    work.title = "The Lamplighter's Round"
    work.save()
    html = page(client, fandom)
    assert "The Lamplighter&#x27;s Round" in html and "Barricade days" not in html
    assert cache.hits == 1  # the other work's blurb was kept


def test_new_kudos_show(client, fandom, works):
    page(client, fandom)
    stats = WorkStats.objects.get(work=works[1])
    stats.kudos = 4321
    stats.save()
    assert "4,321" in page(client, fandom)


def test_a_renamed_tag_shows(client, fandom, works):
    ship = TagFactory(name="Enjolras/Grantaire", type=TagType.RELATIONSHIP, canonical=True)
    extra = WorkFactory(tags=[fandom, ship], title="Third")
    work_filters_recompute(work_ids=[extra.id])
    assert "Enjolras/Grantaire" in page(client, fandom)
    ship.name = "Enjolras/Grantaire (Les Mis)"
    ship.save()
    assert "Enjolras/Grantaire (Les Mis)" in page(client, fandom)


def test_a_change_committed_late_is_still_seen(client, fandom, works, cache):
    """PostgreSQL: a transaction can commit a log entry with a lower id after a higher one was
    read. Simulated by an entry that reappears under an id already read."""
    page(client, fandom)
    Work.objects.filter(pk=works[0].pk).update(title="Late news")  # no signal, no log entry
    newest = SearchChange.objects.order_by("-id").first()
    SearchChange.objects.create(work_id=works[1].id)  # a later entry, read first
    page(client, fandom)
    newest_id = newest.id
    newest.delete()
    SearchChange.objects.create(id=newest_id, work_id=works[0].id)  # "commits late"
    assert "Late news" in page(client, fandom)


def test_a_log_that_went_back_empties_the_cache(client, fandom, works, cache):
    page(client, fandom)
    Work.objects.filter(pk=works[0].pk).update(title="Restored")
    SearchChange.objects.all().delete()  # e.g. a restored backup: the log starts again
    assert "Restored" in page(client, fandom)


def test_logged_in_readers_bypass_the_cache(client, fandom, works, cache):
    client.force_login(UserFactory())
    page(client, fandom)
    page(client, fandom)
    assert (cache.hits, cache.misses) == (0, 0)


def test_switched_off(client, fandom, works, cache, settings):
    settings.FANARCHIVE_GUEST_CACHE = False
    assert "Barricade days" in page(client, fandom)
    assert (cache.hits, cache.misses) == (0, 0)


def test_the_oldest_blurbs_make_room(fandom, works):
    small = blurb_cache.BlurbCache(max_entries=1)
    loaded = []

    def load(ids):
        loaded.extend(ids)
        from fanarchive.search.views import _metas

        return _metas(ids)

    a, b = (w.id for w in works)
    assert set(small.blurbs([a, b], load)) == {a, b}
    assert 'class="work blurb"' in small.blurbs([b], load)[b]
    assert loaded == [a, b]  # b was kept (the newest)
    small.blurbs([a], load)
    assert loaded == [a, b, a]  # a had made room
