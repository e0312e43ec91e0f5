"""Saved excludes and saved searches: services, and how they hide works everywhere."""

import pytest
from django.core.exceptions import ValidationError

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.search.models import SavedSearch
from fanarchive.search.query import WorkQuery
from fanarchive.search.selectors import search_works
from fanarchive.search.services import (
    excluded_creator_add,
    excluded_creator_remove,
    excluded_tag_add,
    excluded_tag_remove,
    saved_search_delete,
    saved_search_save,
)
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.filters import work_filters_recompute
from fanarchive.works.tests.factories import WorkFactory


@pytest.fixture
def setup(db):
    reader = UserFactory()
    author = UserFactory()
    angst = TagFactory(name="Angst", canonical=True)
    sad = TagFactory(name="Sad")  # a synonym of Angst
    sad.merger = angst
    sad.save()
    works = {
        "angst": WorkFactory(tags=[sad]),
        "author": WorkFactory(creator=author.pseuds.get()),
        "plain": WorkFactory(),
        "restricted_angst": WorkFactory(tags=[angst], restricted=True),
    }
    work_filters_recompute(work_ids=[w.id for w in works.values()])
    return reader, author, angst, works


def test_excludes_hide_works_and_are_counted(setup):
    reader, author, angst, works = setup
    excluded_tag_add(user=reader, tag=angst)
    excluded_creator_add(user=reader, creator=author)
    results = search_works(query=WorkQuery(), viewer=reader)
    assert results.ids == [works["plain"].id]
    assert results.hidden_by_excludes == 3
    assert results.facets["freeform"] == []
    anyway = search_works(query=WorkQuery(show_excluded=True), viewer=reader)
    assert anyway.total == 4 and anyway.hidden_by_excludes == 0


def test_hidden_count_only_counts_what_the_viewer_could_open(setup):
    reader, _author, angst, _works = setup
    excluded_tag_add(user=reader, tag=angst)
    assert search_works(query=WorkQuery(), viewer=reader).hidden_by_excludes == 2
    other = UserFactory()
    # Another reader's excludes change nothing for this one.
    assert search_works(query=WorkQuery(), viewer=other).hidden_by_excludes == 0


def test_remove_and_idempotent_add(setup):
    reader, author, angst, _works = setup
    excluded_tag_add(user=reader, tag=angst)
    excluded_tag_add(user=reader, tag=angst)
    assert reader.excluded_tags.count() == 1
    assert excluded_tag_remove(user=reader, tag_id=angst.id) is True
    assert excluded_tag_remove(user=reader, tag_id=angst.id) is False
    excluded_creator_add(user=reader, creator=author)
    assert excluded_creator_remove(user=reader, creator_id=author.id) is True
    with pytest.raises(ValidationError):
        excluded_creator_add(user=reader, creator=reader)


def test_saved_searches(db):
    reader = UserFactory()
    saved = saved_search_save(user=reader, name="  My  fluff ", query_string="?tag=Fluff")
    assert (saved.name, saved.query_string) == ("My fluff", "tag=Fluff")
    saved_search_save(user=reader, name="My fluff", query_string="tag=Fluff&sort=kudos")
    assert SavedSearch.objects.get(user=reader).query_string == "tag=Fluff&sort=kudos"
    with pytest.raises(ValidationError):
        saved_search_save(user=reader, name="   ", query_string="")
    other = UserFactory()
    assert saved_search_delete(user=other, saved_id=saved.id) is False
    assert saved_search_delete(user=reader, saved_id=saved.id) is True
