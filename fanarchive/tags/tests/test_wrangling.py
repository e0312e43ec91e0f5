"""AO3's wrangling rules, as services."""

import pytest

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.tags.models import MetaTagging, ParentTagging, Tag, TagType, WranglingAction
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.tags.wrangling import (
    WranglingError,
    tag_add_metatag,
    tag_add_parent,
    tag_make_canonical,
    tag_make_synonym,
    tag_mark_unwrangleable,
    tag_remove_metatag,
    tag_rename,
    tag_uncanonicalize,
)

pytestmark = pytest.mark.django_db

REL = TagType.RELATIONSHIP
FF = TagType.FREEFORM


def canonical(name, tag_type=FF):
    return TagFactory(name=name, type=tag_type, canonical=True)


def test_make_canonical_records_who_and_what():
    wrangler = UserFactory()
    tag = TagFactory(name="Slow Burn")
    tag_make_canonical(tag=tag, wrangler=wrangler)
    tag.refresh_from_db()
    assert tag.canonical
    action = WranglingAction.objects.get(tag=tag)
    assert action.actor == wrangler
    assert action.before["canonical"] is False
    assert action.after["canonical"] is True


def test_a_synonym_must_have_the_type_of_its_canonical():
    rel = canonical("Javert/Jean Valjean", REL)
    freeform = TagFactory(name="Valjean/Javert", type=FF)
    with pytest.raises(WranglingError, match="type of its canonical"):
        tag_make_synonym(tag=freeform, of=rel, wrangler=None)
    assert Tag.objects.get(pk=freeform.pk).merger_id is None


def test_a_synonym_needs_a_canonical_target_and_not_itself():
    tag = TagFactory(name="AU")
    other = TagFactory(name="Alt Universe")
    with pytest.raises(WranglingError, match="not canonical"):
        tag_make_synonym(tag=tag, of=other, wrangler=None)
    with pytest.raises(WranglingError, match="itself"):
        tag_make_synonym(tag=tag, of=tag, wrangler=None)


def test_fixed_tags_cannot_be_wrangled():
    mature = Tag.objects.get(name="Mature")
    explicit = Tag.objects.get(name="Explicit")
    with pytest.raises(WranglingError, match="fixes those"):
        tag_make_synonym(tag=mature, of=explicit, wrangler=None)


def test_a_canonical_made_synonym_hands_over_synonyms_metatags_and_parents():
    fandom = canonical("Les Misérables - Victor Hugo", TagType.FANDOM)
    old = canonical("Valjean/Javert", REL)
    new = canonical("Javert/Jean Valjean", REL)
    syn = TagFactory(name="javert x valjean", type=REL, merger=old)
    meta = canonical("Javert/Jean Valjean (all)", REL)
    tag_add_metatag(tag=old, meta=meta, wrangler=None)
    tag_add_parent(tag=old, parent=fandom, wrangler=None)

    tag_make_synonym(tag=old, of=new, wrangler=None)

    old.refresh_from_db()
    syn.refresh_from_db()
    assert (old.canonical, old.merger) == (False, new)
    assert syn.merger == new
    assert MetaTagging.objects.filter(meta=meta, sub=new).exists()
    assert not MetaTagging.objects.filter(sub=old).exists()
    assert ParentTagging.objects.filter(parent=fandom, child=new).exists()


def test_metatags_refuse_cycles_and_type_mismatch():
    au = canonical("Alternate Universe")
    modern = canonical("Alternate Universe - Modern Setting")
    coffee = canonical("Alternate Universe - Coffee Shops & Cafés")
    tag_add_metatag(tag=modern, meta=au, wrangler=None)
    tag_add_metatag(tag=coffee, meta=modern, wrangler=None)
    with pytest.raises(WranglingError, match="cycle"):
        tag_add_metatag(tag=au, meta=coffee, wrangler=None)
    with pytest.raises(WranglingError, match="cycle"):
        tag_add_metatag(tag=au, meta=au, wrangler=None)
    rel = canonical("Enjolras/Grantaire", REL)
    with pytest.raises(WranglingError, match="type of its subtag"):
        tag_add_metatag(tag=rel, meta=au, wrangler=None)
    unwrangled = TagFactory(name="AU of an AU")
    with pytest.raises(WranglingError, match="not canonical"):
        tag_add_metatag(tag=unwrangled, meta=au, wrangler=None)


def test_parents_follow_the_type_rules():
    fandom = canonical("Les Misérables - Victor Hugo", TagType.FANDOM)
    character = canonical("Javert (Les Misérables)", TagType.CHARACTER)
    rel = TagFactory(name="Javert/Jean Valjean", type=REL)
    tag_add_parent(tag=character, parent=fandom, wrangler=None)
    tag_add_parent(tag=rel, parent=character, wrangler=None)
    tag_add_parent(tag=rel, parent=fandom, wrangler=None)
    assert set(ParentTagging.objects.filter(child=rel).values_list("parent__name", flat=True)) == {
        fandom.name,
        character.name,
    }
    with pytest.raises(WranglingError, match="takes Media tags as parents"):
        tag_add_parent(tag=fandom, parent=character, wrangler=None)
    uncanonical_fandom = TagFactory(name="Les Mis", type=TagType.FANDOM)
    with pytest.raises(WranglingError, match="only canonical tags are parents"):
        tag_add_parent(tag=character, parent=uncanonical_fandom, wrangler=None)


def test_uncanonicalizing_detaches_synonyms_and_removes_links():
    fandom = canonical("Les Misérables - Victor Hugo", TagType.FANDOM)
    au = canonical("Alternate Universe")
    modern = canonical("Alternate Universe - Modern Setting")
    syn = TagFactory(name="Modern AU", merger=modern)
    child = canonical("Coffee Shop AU")
    tag_add_metatag(tag=modern, meta=au, wrangler=None)
    tag_add_metatag(tag=child, meta=modern, wrangler=None)
    tag_add_parent(tag=modern, parent=fandom, wrangler=None)

    tag_uncanonicalize(tag=modern, wrangler=None)

    syn.refresh_from_db()
    modern.refresh_from_db()
    assert not modern.canonical
    assert syn.merger is None
    assert not MetaTagging.objects.filter(sub=modern).exists()
    assert not MetaTagging.objects.filter(meta=modern).exists()
    assert ParentTagging.objects.filter(child=modern, parent=fandom).exists()


def test_unwrangleable_only_for_unwrangled_tags():
    tag = TagFactory(name="my cat helped")
    tag_mark_unwrangleable(tag=tag, wrangler=None)
    assert Tag.objects.get(pk=tag.pk).unwrangleable
    with pytest.raises(WranglingError, match="only unwrangled"):
        tag_mark_unwrangleable(tag=canonical("Fluff"), wrangler=None)


def test_wranglers_rename_case_and_accents_only_admins_anything():
    wrangler = UserFactory()
    admin = UserFactory(is_superuser=True)
    tag = canonical("les miserables")
    tag_rename(tag=tag, name="Les Misérables", wrangler=wrangler)
    assert Tag.objects.get(pk=tag.pk).name == "Les Misérables"
    with pytest.raises(WranglingError, match="Only an administrator"):
        tag_rename(tag=tag, name="Les Mis", wrangler=wrangler)
    tag_rename(tag=tag, name="Les Mis", wrangler=admin)
    assert Tag.objects.get(pk=tag.pk).name == "Les Mis"
    canonical("Fluff")
    with pytest.raises(WranglingError, match="exists already"):
        tag_rename(tag=tag, name="Fluff", wrangler=admin)
    with pytest.raises(WranglingError, match="cannot contain"):
        tag_rename(tag=tag, name="Les, Mis", wrangler=admin)


def test_removing_a_metatag_that_is_not_there_records_nothing():
    a, b = canonical("A"), canonical("B")
    tag_remove_metatag(tag=a, meta=b, wrangler=None)
    assert not WranglingAction.objects.exists()
