"""The assistant's vocabulary built from the database, its cache, and suggest() on the DB."""

from __future__ import annotations

import pytest

from fanarchive.tags.assistant import invalidate_vocabulary, suggest
from fanarchive.tags.assistant.vocabulary import (
    CSV_TYPES,
    cached_vocabulary,
    tag_usage,
    vocabulary_from_database,
)
from fanarchive.tags.models import MetaTagging, ParentTagging, TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    invalidate_vocabulary()
    yield
    invalidate_vocabulary()


@pytest.fixture
def wrangled():
    fandom = TagFactory(name="Stargate Atlantis", type=TagType.FANDOM, canonical=True)
    rodney = TagFactory(name="Rodney McKay", type=TagType.CHARACTER, canonical=True)
    john = TagFactory(name="John Sheppard", type=TagType.CHARACTER, canonical=True)
    ship = TagFactory(name="Rodney McKay/John Sheppard", type=TagType.RELATIONSHIP, canonical=True)
    synonym = TagFactory(name="McShep", type=TagType.RELATIONSHIP, merger=ship)
    loose = TagFactory(name="Rodney Mckay", type=TagType.CHARACTER, canonical=False)
    au = TagFactory(name="Alternate Universe", type=TagType.FREEFORM, canonical=True)
    space = TagFactory(name="Alternate Universe - Space", type=TagType.FREEFORM, canonical=True)
    MetaTagging.objects.create(meta=au, sub=space)
    for child in (rodney, john, ship):
        ParentTagging.objects.create(parent=fandom, child=child)
    ParentTagging.objects.create(parent=rodney, child=ship)
    ParentTagging.objects.create(parent=john, child=ship)
    WorkFactory(tags=[fandom, ship])
    WorkFactory(tags=[fandom, synonym, space])
    return {
        "fandom": fandom,
        "rodney": rodney,
        "john": john,
        "ship": ship,
        "synonym": synonym,
        "loose": loose,
        "au": au,
        "space": space,
    }


def test_the_vocabulary_holds_canonical_tags_with_their_links(wrangled):
    vocab = vocabulary_from_database()
    names = {e.tag.name for e in vocab.entries}
    assert "Rodney McKay/John Sheppard" in names
    assert "McShep" not in names  # a synonym
    assert "Rodney Mckay" not in names  # not canonical
    ship = vocab.entry_for(wrangled["ship"].id).tag
    assert set(ship.parents) == {wrangled["fandom"].id, wrangled["rodney"].id, wrangled["john"].id}
    # Used on one work directly and on one through its synonym.
    assert ship.popularity == 2
    space = vocab.entry_for(wrangled["space"].id).tag
    assert space.metatags == (wrangled["au"].id,)
    assert vocab.entry_for(wrangled["au"].id).tag.metatags == ()


def test_suggest_reads_the_database(wrangled):
    result = suggest("John/Rodney", tag_type=TagType.RELATIONSHIP)
    assert result.synonyms[0].name == "Rodney McKay/John Sheppard"
    parents = [s.name for s in result.parents]
    assert "Stargate Atlantis" in parents
    # A non-canonical tag is never suggested, even when it is the closest name.
    names = {s.name for s in suggest("Rodney  McKay", tag_type="character").synonyms}
    assert "Rodney Mckay" not in names
    assert names <= {"Rodney McKay", "John Sheppard"}


def test_metatags_of_the_likely_canonical(wrangled):
    result = suggest("Alternate Universe: Space", tag_type=TagType.FREEFORM)
    assert result.synonyms[0].name == "Alternate Universe - Space"
    assert result.metatags[0].name == "Alternate Universe"


def test_parents_from_the_tags_works(wrangled):
    loose = TagFactory(name="Space Husbands", type=TagType.FREEFORM)
    WorkFactory(tags=[wrangled["fandom"], loose])
    assert tag_usage("space husbands") == {wrangled["fandom"].id: 1}
    result = suggest("Space Husbands", tag_type=TagType.FREEFORM)
    assert result.parents[0].name == "Stargate Atlantis"
    assert "1 of the tag's 1 works" in result.parents[0].reason
    assert tag_usage("No Such Tag") == {}


def test_the_cache_is_rebuilt_when_tags_change(wrangled, django_assert_num_queries):
    first = cached_vocabulary()
    # Unchanged: only the three version queries run, and the same object comes back.
    with django_assert_num_queries(3):
        assert cached_vocabulary() is first
    assert suggest("Ronon", tag_type="character").synonyms == []
    TagFactory(name="Ronon Dex", type=TagType.CHARACTER, canonical=True)
    assert suggest("Ronon", tag_type="character").synonyms[0].name == "Ronon Dex"
    assert cached_vocabulary() is not first


def test_the_cache_sees_new_metatags_and_can_be_invalidated(wrangled):
    cached_vocabulary()
    dynamics = TagFactory(name="Relationship Dynamics", type=TagType.FREEFORM, canonical=True)
    MetaTagging.objects.create(meta=dynamics, sub=wrangled["au"])
    vocab = cached_vocabulary()
    assert vocab.entry_for(wrangled["au"].id).tag.metatags == (dynamics.id,)
    invalidate_vocabulary()
    assert cached_vocabulary() is not vocab


def test_csv_type_names_are_tag_types():
    assert set(CSV_TYPES.values()) <= set(TagType.values)
