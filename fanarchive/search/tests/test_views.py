"""The search pages: results and sidebar, excludes management, autocomplete."""

import pytest
from django.urls import reverse

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.search.models import ExcludedTag, SavedSearch
from fanarchive.search.services import excluded_tag_add, search_text_rebuild
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.filters import work_filters_recompute
from fanarchive.works.tests.factories import WorkFactory

URL = reverse("search:works")


@pytest.fixture
def archive(db):
    fluff = TagFactory(name="Fluff", canonical=True)
    angst = TagFactory(name="Angst", canonical=True)
    works = [
        WorkFactory(
            tags=[fluff if i % 2 else angst], title=f"Story {i}", text=f"the lantern number {i}"
        )
        for i in range(25)
    ]
    WorkFactory(tags=[fluff], restricted=True, title="Members only")
    work_filters_recompute(work_ids=[w.id for w in works])
    search_text_rebuild()
    return works


def test_results_heading_blurbs_and_sidebar(client, archive):
    response = client.get(URL, {"tag": "Fluff"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "12 Works in Fluff" in " ".join(body.split())  # AO3: no range on a single page
    assert "Members only" not in body  # guests never see restricted works
    assert 'value="Fluff" checked' in body and "Angst" not in body
    assert body.count('class="work blurb"') == 12


def test_text_search_shows_snippets_and_pages(client, archive):
    body = client.get(URL, {"q": "lantern", "page": "2"}).content.decode()
    assert "21 – 25 of 25 Works" in body  # noqa: RUF001
    assert "<mark>lantern</mark>" in body
    assert 'rel="prev" href="?q=lantern"' in body  # page 1 is the default


def test_bad_parameters_are_reported_not_500(client, archive):
    response = client.get(URL, {"words_from": "lots", "tag": "No Such", "sort": "x", "page": "z"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "is not a number" in body and "No tag named" in body


def test_query_count_does_not_grow_with_results(client, archive, django_assert_max_num_queries):
    with django_assert_max_num_queries(16):
        client.get(URL, {"q": "lantern", "exclude": "Angst", "sort": "kudos"})


def test_excludes_hide_and_show_anyway(client, archive):
    reader = UserFactory()
    excluded_tag_add(user=reader, tag=TagFactory(name="Angst"))
    client.force_login(reader)
    body = client.get(URL).content.decode()
    assert "13 works hidden by your excludes" in body
    assert "show_excluded=1" in body
    body = client.get(URL, {"show_excluded": "1"}).content.decode()
    assert "of 26 Works" in body


def test_excludes_page_requires_login_and_posts_with_csrf(client, archive):
    url = reverse("search:excludes")
    assert client.get(url).status_code == 302
    reader = UserFactory()
    client.force_login(reader)
    assert client.get(url).status_code == 200
    client.post(url, {"action": "exclude_tag", "tag": "fluff, Angst"})
    assert set(ExcludedTag.objects.filter(user=reader).values_list("tag__name", flat=True)) == {
        "Fluff",
        "Angst",
    }
    response = client.post(url, {"action": "exclude_tag", "tag": "Nope"}, follow=True)
    assert "No tag named" in response.content.decode()
    client.post(url, {"action": "save_search", "name": "Fluffy", "query_string": "tag=Fluff"})
    saved = SavedSearch.objects.get(user=reader)
    assert "tag=Fluff" in client.get(url).content.decode()
    client.post(url, {"action": "delete_search", "saved_id": str(saved.id)})
    assert not SavedSearch.objects.exists()


def test_autocomplete_lists_canonical_tags_first(client, db):
    TagFactory(name="Fluffy bunnies")
    TagFactory(name="Fluff", canonical=True)
    TagFactory(name="Not fluff at all", canonical=True)
    data = client.get(reverse("search:tag_autocomplete"), {"term": "flu"}).json()
    assert [t["name"] for t in data["tags"]] == ["Fluff", "Not fluff at all", "Fluffy bunnies"]
    assert client.get(reverse("search:tag_autocomplete"), {"term": "f"}).json() == {"tags": []}


@pytest.mark.django_db
def test_the_sidebar_offers_every_range_and_limit_and_keeps_their_values(client):
    response = client.get(
        "/works/search",
        {
            "hits_from": "5",
            "comments_to": "9",
            "bookmarks_from": "2",
            "posted_from": "2020-01-02",
            "max_relationships": "1",
            "max_characters": "3",
            "max_tags": "7",
        },
    )
    page = response.content.decode()
    for name, value in [
        ("hits_from", "5"),
        ("comments_to", "9"),
        ("bookmarks_from", "2"),
        ("posted_from", "2020-01-02"),
        ("max_relationships", "1"),
        ("max_characters", "3"),
        ("max_tags", "7"),
    ]:
        assert f'name="{name}" value="{value}"' in page, name
    for name in ["words_from", "kudos_to", "updated_to", "posted_to", "max_fandoms"]:
        assert f'name="{name}"' in page, name


@pytest.mark.django_db
def test_a_renamed_tag_is_found_by_its_new_name_in_text_search():
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.accounts.tests.factories import UserFactory
    from fanarchive.search.query import WorkQuery
    from fanarchive.search.selectors import search_works
    from fanarchive.search.services import search_text_update
    from fanarchive.tags.tests.factories import TagFactory
    from fanarchive.tags.wrangling import tag_rename
    from fanarchive.works.tests.factories import WorkFactory

    tag = TagFactory(name="Lez Miz", canonical=True)
    work = WorkFactory(tags=[tag])
    search_text_update(work_ids=[work.pk])
    query, _ = WorkQuery.from_params({"q": "tag:Misérables"})
    assert search_works(query=query, viewer=AnonymousUser()).ids == []
    tag_rename(tag=tag, name="Les Misérables", wrangler=UserFactory(is_superuser=True))
    assert search_works(query=query, viewer=AnonymousUser()).ids == [work.pk]
