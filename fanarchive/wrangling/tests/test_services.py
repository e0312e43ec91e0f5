"""Missing fandoms: a work with no fandom tag gets the one its relationships and characters
point to, when they agree; the others wait on the wranglers' page."""

import pytest
from django.urls import reverse

from fanarchive.tags.models import TagType
from fanarchive.tags.wrangling import WranglingError
from fanarchive.works.models import WorkFilter, WorkTag
from fanarchive.works.signals import works_changed
from fanarchive.works.tests.factories import WorkFactory
from fanarchive.wrangling.services import work_set_fandom, works_infer_fandom

from .conftest import fandom, parent, tag

pytestmark = pytest.mark.django_db

REL, CHAR = TagType.RELATIONSHIP, TagType.CHARACTER


def fandoms_of(work):
    return list(
        WorkTag.objects.filter(work=work, tag__type=TagType.FANDOM).values_list(
            "tag__name", flat=True
        )
    )


@pytest.fixture
def vocab():
    lm, go = fandom("Les Misérables"), fandom("Good Omens")
    return {
        "lm": lm,
        "go": go,
        "javert": parent(tag("Javert", canonical=True), lm),
        "valjean": parent(tag("Jean Valjean", canonical=True), lm),
        "ship": parent(tag("Javert/Jean Valjean", REL, canonical=True), lm),
        "crowley": parent(tag("Crowley", canonical=True), go),
    }


def test_agreeing_tags_give_the_work_its_fandom(vocab):
    work = WorkFactory(tags=[vocab["ship"], vocab["javert"], vocab["valjean"]])
    last = WorkTag.objects.filter(work=work).order_by("-position").first().position
    changed = []

    def listen(sender, work_ids, **kwargs):
        changed.extend(work_ids)

    works_changed.connect(listen)
    try:
        report = works_infer_fandom(work_ids=[work.pk])
    finally:
        works_changed.disconnect(listen)
    assert report == {"inferred": {work.pk: vocab["lm"].pk}, "ambiguous": {}, "unknown": []}
    assert fandoms_of(work) == ["Les Misérables"]
    added = WorkTag.objects.get(work=work, tag=vocab["lm"])
    assert added.position == last + 1
    assert WorkFilter.objects.filter(work=work, tag=vocab["lm"]).exists()
    assert changed == [work.pk]


def test_a_synonym_counts_through_its_canonical(vocab):
    syn = tag("Inspector J", merger=vocab["javert"])
    work = WorkFactory(tags=[syn])
    assert works_infer_fandom(work_ids=[work.pk])["inferred"] == {work.pk: vocab["lm"].pk}
    assert fandoms_of(work) == ["Les Misérables"]


def test_disagreeing_or_no_fandoms_leave_the_work_alone(vocab):
    crossover = WorkFactory(tags=[vocab["javert"], vocab["crowley"]])
    nothing = WorkFactory(tags=[tag("Someone"), tag("Some/One", REL)])
    report = works_infer_fandom(work_ids=[crossover.pk, nothing.pk])
    assert report == {
        "inferred": {},
        "ambiguous": {crossover.pk: sorted([vocab["lm"].pk, vocab["go"].pk])},
        "unknown": [nothing.pk],
    }
    assert fandoms_of(crossover) == fandoms_of(nothing) == []


def test_works_with_a_fandom_are_not_touched(vocab):
    work = WorkFactory(tags=[vocab["go"], vocab["javert"]])
    assert works_infer_fandom(work_ids=[work.pk]) == {
        "inferred": {},
        "ambiguous": {},
        "unknown": [],
    }
    assert fandoms_of(work) == ["Good Omens"]


def test_only_relationship_and_character_tags_count(vocab):
    freeform = parent(tag("Barricades", TagType.FREEFORM, canonical=True), vocab["go"])
    work = WorkFactory(tags=[vocab["javert"], freeform])
    assert works_infer_fandom(work_ids=[work.pk])["inferred"] == {work.pk: vocab["lm"].pk}


def test_a_wrangler_sets_a_fandom(vocab):
    work = WorkFactory(tags=[vocab["javert"], vocab["crowley"]])
    with pytest.raises(WranglingError, match="not a fandom"):
        work_set_fandom(work=work, fandom=vocab["javert"], wrangler=None)
    with pytest.raises(WranglingError, match="not canonical"):
        work_set_fandom(work=work, fandom=tag("Les Mis", TagType.FANDOM), wrangler=None)
    work_set_fandom(work=work, fandom=vocab["go"], wrangler=None)
    assert fandoms_of(work) == ["Good Omens"]
    with pytest.raises(WranglingError, match="has a fandom already"):
        work_set_fandom(work=work, fandom=vocab["lm"], wrangler=None)


# --- The page -------------------------------------------------------------------------------


def test_the_page_lists_posted_works_without_a_fandom(
    wrangler_client, vocab, django_assert_max_num_queries
):
    crossover = WorkFactory(title="Crossing", tags=[vocab["javert"], vocab["crowley"]])
    nothing = WorkFactory(title="Nowhere", tags=[tag("Someone")])
    WorkFactory(title="Draft", posted=False, tags=[tag("Draftee")])
    WorkFactory(title="Hidden", hidden_by_admin=True)
    WorkFactory(title="Has one", tags=[vocab["lm"]])
    url = reverse("wrangling:works_needing_fandom")
    with django_assert_max_num_queries(11):  # (+ the inbox count in the menu)
        response = wrangler_client.get(url)
    items = {i.work.title: i for i in response.context["page"].object_list}
    assert set(items) == {"Crossing", "Nowhere"}
    assert [t.name for t in items["Crossing"].candidates] == ["Good Omens", "Les Misérables"]
    assert [t.name for t in items["Crossing"].characters] == ["Javert", "Crowley"]
    assert items["Nowhere"].candidates == []
    assert "Good Omens" in response.content.decode()
    # Setting a fandom through the page.
    response = wrangler_client.post(
        reverse("wrangling:set_fandom"),
        {"work": crossover.pk, "fandom": "good omens", "next": url},
    )
    assert response["Location"] == url
    assert fandoms_of(crossover) == ["Good Omens"]
    response = wrangler_client.post(
        reverse("wrangling:set_fandom"), {"work": nothing.pk, "fandom": "Nope", "next": url}
    )
    assert fandoms_of(nothing) == []
    page = wrangler_client.get(url)
    assert [str(m) for m in page.context["messages"]] == [
        "“Crossing” is now in Good Omens.",
        "There is no tag named “Nope”.",
    ]
    assert [i.work.title for i in page.context["page"].object_list] == ["Nowhere"]


def test_infer_again_after_a_parent_was_added(wrangler_client, vocab):
    someone = tag("Someone")
    work = WorkFactory(tags=[someone])
    parent(someone, vocab["go"])
    response = wrangler_client.post(reverse("wrangling:infer_fandoms"), follow=True)
    assert fandoms_of(work) == ["Good Omens"]
    assert [str(m) for m in response.context["messages"]] == [
        "1 work got a fandom; 0 still need one."
    ]
