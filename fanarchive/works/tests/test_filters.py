"""What a work is filtered under follows every wrangling change at once."""

import pytest

from fanarchive.tags.models import TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.tags.wrangling import (
    tag_add_metatag,
    tag_make_synonym,
    tag_remove_metatag,
    tag_uncanonicalize,
)
from fanarchive.works.filters import work_filters_recompute
from fanarchive.works.models import WorkFilter
from fanarchive.works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


def filtered_under(work):
    return set(WorkFilter.objects.filter(work=work).values_list("tag__name", flat=True))


def works_under(tag):
    return set(WorkFilter.objects.filter(tag=tag).values_list("work_id", flat=True))


def test_canonical_tags_and_their_metatags_are_filters_unwrangled_tags_are_not():
    au = TagFactory(name="Alternate Universe", canonical=True)
    modern = TagFactory(name="Alternate Universe - Modern Setting", canonical=True)
    tag_add_metatag(tag=modern, meta=au, wrangler=None)
    loose = TagFactory(name="modern au but sad")
    work = WorkFactory(tags=[modern, loose])
    work_filters_recompute(work_ids=[work.pk])
    assert filtered_under(work) == {
        "General Audiences",
        "No Archive Warnings Apply",
        "Alternate Universe - Modern Setting",
        "Alternate Universe",
    }


def test_a_new_synonym_brings_its_works_onto_the_canonical_listing():
    canonical = TagFactory(name="Javert/Jean Valjean", type=TagType.RELATIONSHIP, canonical=True)
    loose = TagFactory(name="Valjean/Javert", type=TagType.RELATIONSHIP)
    work = WorkFactory(tags=[loose])
    work_filters_recompute(work_ids=[work.pk])
    assert work.pk not in works_under(canonical)

    tag_make_synonym(tag=loose, of=canonical, wrangler=None)

    assert work.pk in works_under(canonical)


def test_a_new_metatag_brings_works_of_subtags_and_their_synonyms_transitively():
    au = TagFactory(name="Alternate Universe", canonical=True)
    survives = TagFactory(name="Alternate Universe - Javert Survives", canonical=True)
    deeper = TagFactory(name="Javert Survives and Runs a Bakery", canonical=True)
    synonym = TagFactory(name="javert lives", merger=survives)
    tag_add_metatag(tag=deeper, meta=survives, wrangler=None)
    w1, w2, w3 = (
        WorkFactory(tags=[survives]),
        WorkFactory(tags=[synonym]),
        WorkFactory(tags=[deeper]),
    )
    work_filters_recompute(work_ids=[w1.pk, w2.pk, w3.pk])
    assert works_under(au) == set()

    tag_add_metatag(tag=survives, meta=au, wrangler=None)
    assert works_under(au) == {w1.pk, w2.pk, w3.pk}

    tag_remove_metatag(tag=survives, meta=au, wrangler=None)
    assert works_under(au) == set()


def test_uncanonicalizing_takes_works_off_the_tag_and_its_metatags():
    au = TagFactory(name="Alternate Universe", canonical=True)
    modern = TagFactory(name="Alternate Universe - Modern Setting", canonical=True)
    coffee = TagFactory(name="Coffee Shop AU", canonical=True)
    tag_add_metatag(tag=modern, meta=au, wrangler=None)
    tag_add_metatag(tag=coffee, meta=modern, wrangler=None)
    w_modern, w_coffee = WorkFactory(tags=[modern]), WorkFactory(tags=[coffee])
    work_filters_recompute(work_ids=[w_modern.pk, w_coffee.pk])
    assert works_under(au) == {w_modern.pk, w_coffee.pk}

    tag_uncanonicalize(tag=modern, wrangler=None)

    assert works_under(modern) == set()
    # The coffee shop work lost its path to "Alternate Universe" with the removed link.
    assert works_under(au) == set()
    assert filtered_under(w_coffee) >= {"Coffee Shop AU"}


def test_recompute_is_idempotent_and_reports_changes():
    tag = TagFactory(name="Fluff", canonical=True)
    work = WorkFactory(tags=[tag])
    assert work_filters_recompute(work_ids=[work.pk]) == 3
    assert work_filters_recompute(work_ids=[work.pk]) == 0


def test_rebuilding_everything_gives_what_recomputing_each_work_gives():
    au = TagFactory(name="Alternate Universe", canonical=True)
    modern = TagFactory(name="Alternate Universe - Modern Setting", canonical=True)
    synonym = TagFactory(name="modern au", merger=modern)
    tag_add_metatag(tag=modern, meta=au, wrangler=None)
    works = [WorkFactory(tags=[synonym]), WorkFactory(tags=[modern, au]), WorkFactory()]
    work_filters_recompute(work_ids=[w.pk for w in works])
    expected = set(WorkFilter.objects.values_list("work_id", "tag_id"))
    WorkFilter.objects.all().delete()

    from fanarchive.works.filters import work_filters_rebuild_all

    assert work_filters_rebuild_all() == len(expected)
    assert set(WorkFilter.objects.values_list("work_id", "tag_id")) == expected


def test_works_services_keep_filters_and_tell_listeners():
    import datetime

    from fanarchive.accounts.tests.factories import UserFactory
    from fanarchive.tags.models import Tag
    from fanarchive.works.services import ChapterDraft, WorkDraft, work_create, works_delete
    from fanarchive.works.signals import works_changed, works_deleted

    au = TagFactory(name="Alternate Universe", canonical=True)
    modern = TagFactory(name="Modern AU", merger=au)
    heard = []

    def listener(sender, work_ids, **kwargs):
        heard.append(list(work_ids))

    works_changed.connect(listener)
    works_deleted.connect(listener)
    try:
        work = work_create(
            draft=WorkDraft(
                title="Lamplight",
                creators=[UserFactory().pseuds.get()],
                chapters=[ChapterDraft(text="<p>One two three.</p>")],
                published=datetime.date(2024, 5, 1),
                tags=[Tag.objects.get(name="Mature"), modern],
            )
        )
        assert filtered_under(work) == {"Mature", "Alternate Universe"}
        assert works_delete(work_ids=[work.pk]) == 1
    finally:
        works_changed.disconnect(listener)
        works_deleted.disconnect(listener)
    assert heard == [[work.pk], [work.pk]]
    assert not WorkFilter.objects.exists()
