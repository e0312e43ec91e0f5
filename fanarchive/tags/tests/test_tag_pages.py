"""Tag pages after wrangling: the detail page, synonym redirects, filtered listings, search."""

import pytest
from django.urls import reverse

from fanarchive.tags.models import TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.tags.wrangling import tag_add_metatag, tag_add_parent, tag_make_synonym
from fanarchive.works.filters import work_filters_recompute
from fanarchive.works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def wrangled():
    fandom = TagFactory(name="Les Misérables - Victor Hugo", type=TagType.FANDOM, canonical=True)
    canonical = TagFactory(name="Javert/Jean Valjean", type=TagType.RELATIONSHIP, canonical=True)
    synonym = TagFactory(name="Valjean/Javert", type=TagType.RELATIONSHIP)
    meta = TagFactory(name="Javert/Jean Valjean (all)", type=TagType.RELATIONSHIP, canonical=True)
    works = [
        WorkFactory(tags=[synonym]),
        WorkFactory(tags=[canonical]),
        WorkFactory(tags=[canonical], restricted=True),
    ]
    work_filters_recompute(work_ids=[w.pk for w in works])
    tag_make_synonym(tag=synonym, of=canonical, wrangler=None)
    tag_add_metatag(tag=canonical, meta=meta, wrangler=None)
    tag_add_parent(tag=canonical, parent=fandom, wrangler=None)
    return {
        "fandom": fandom,
        "canonical": canonical,
        "synonym": synonym,
        "meta": meta,
        "works": works,
    }


def test_the_tag_page_shows_its_place_and_history(client, wrangled):
    response = client.get(reverse("tags:tag", args=["Javert/Jean Valjean"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "canonical" in page
    assert "Valjean/Javert" in page  # synonym
    assert "Javert/Jean Valjean (all)" in page  # metatag
    assert "Les Misérables - Victor Hugo" in page  # parent
    assert "2 works" in page  # the restricted one is not counted for guests
    assert "Wrangling history" in page
    assert "add metatag" in page


def test_a_logged_in_reader_counts_restricted_works(client, wrangled, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader"))
    page = client.get(reverse("tags:tag", args=["Javert/Jean Valjean"])).content.decode()
    assert "3 works" in page


def test_a_synonym_page_names_its_canonical_and_its_works_page_redirects(client, wrangled):
    page = client.get(reverse("tags:tag", args=["Valjean/Javert"])).content.decode()
    assert "a synonym of" in page
    response = client.get(reverse("search:tag_works", args=["Valjean/Javert"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("search:tag_works", args=["Javert/Jean Valjean"])


def test_canonical_and_metatag_listings_include_synonym_and_subtag_works(client, wrangled):
    ids = {w.pk for w in wrangled["works"][:2]}
    for name in ["Javert/Jean Valjean", "Javert/Jean Valjean (all)"]:
        page = client.get(reverse("search:tag_works", args=[name])).content.decode()
        assert "2 Works" in page, name
        for pk in ids:
            assert f"/works/{pk}" in page


def test_an_unwrangled_tag_lists_exactly_its_works(client):
    loose = TagFactory(name="sad javert hours")
    mine = WorkFactory(tags=[loose])
    WorkFactory()
    page = client.get(reverse("search:tag_works", args=[loose.name])).content.decode()
    assert "1 Work" in page
    assert f"/works/{mine.pk}" in page


def test_tag_search_by_name_type_status_and_fandom(client, wrangled):
    TagFactory(name="Javert (Les Misérables)", type=TagType.CHARACTER, canonical=True)
    url = reverse("tags:search")
    page = client.get(url, {"name": "valjean javert"}).content.decode()
    assert "Javert/Jean Valjean" in page and "Valjean/Javert" in page
    page = client.get(url, {"name": "javert", "canonical": "no"}).content.decode()
    assert "Valjean/Javert" in page and "Javert (Les" not in page
    page = client.get(url, {"name": "javert", "type": "character"}).content.decode()
    assert "Javert (Les Misérables)" in page and "Jean Valjean (all)" not in page
    page = client.get(url, {"fandom": "Les Misérables - Victor Hugo"}).content.decode()
    assert "1 tag found" in page and "Javert/Jean Valjean" in page
    page = client.get(url, {"fandom": "Nope"}).content.decode()
    assert "There is no fandom named" in page


def test_unknown_tag_page_is_404(client):
    assert client.get(reverse("tags:tag", args=["No Such Tag"])).status_code == 404
