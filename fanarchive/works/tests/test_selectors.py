"""Listing and reading selectors."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import InvalidPage

from fanarchive.accounts.tests.factories import PseudFactory, UserFactory
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.models import Creatorship, Series, SeriesWork, WorkStats
from fanarchive.works.permissions import access_work
from fanarchive.works.selectors import (
    recent_works,
    with_blurb_data,
    work_listing,
    work_meta,
    work_reading,
    works_by_pseud,
    works_by_user,
    works_with_tag,
)
from fanarchive.works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db
guest = AnonymousUser()


def day(n):
    return datetime.date(2024, 1, 1) + datetime.timedelta(days=n)


def fixed(name):
    return Tag.objects.get(name=name)


def test_recent_works_newest_update_first_ties_by_id():
    older = WorkFactory(published=day(1))
    newer = WorkFactory(published=day(5))
    same_day = WorkFactory(published=day(5))
    WorkFactory(published=day(9), posted=False)
    titles = [m.work.title for m in recent_works(viewer=guest)]
    assert titles == [same_day.title, newer.title, older.title]


def test_recent_works_limit():
    for i in range(4):
        WorkFactory(published=day(i))
    assert len(recent_works(viewer=guest, limit=3)) == 3


def test_work_listing_pages_and_total():
    fluff = TagFactory(name="Fluff")
    for i in range(45):
        WorkFactory(published=day(i), tags=[fluff])
    WorkFactory(published=day(99), tags=[fluff], restricted=True)
    works = works_with_tag(viewer=guest, tag=fluff)
    first = work_listing(works=works, page=1)
    assert first.total == 45
    assert len(first.blurbs) == 20
    assert first.blurbs[0].work.published == day(44)
    last = work_listing(works=works, page="3")
    assert [m.work.published for m in last.blurbs] == [day(i) for i in range(4, -1, -1)]
    assert last.page.start_index() == 41
    # A logged-in reader sees and counts the restricted one too.
    member = work_listing(works=works_with_tag(viewer=UserFactory(), tag=fluff), page=1)
    assert member.total == 46


@pytest.mark.parametrize("page", [0, 4, "x", "-1"])
def test_work_listing_bad_page(page):
    fluff = TagFactory(name="Fluff")
    for i in range(45):
        WorkFactory(published=day(i % 3), tags=[fluff])
    with pytest.raises(InvalidPage):
        work_listing(works=works_with_tag(viewer=guest, tag=fluff), page=page)


def test_empty_listing_has_one_empty_page():
    listing = work_listing(works=works_with_tag(viewer=guest, tag=TagFactory()), page=1)
    assert listing.total == 0
    assert listing.blurbs == []


def test_elided_page_range():
    fluff = TagFactory(name="Fluff")
    for i in range(30):
        WorkFactory(published=day(i), tags=[fluff])
    listing = work_listing(works=works_with_tag(viewer=guest, tag=fluff), page=8, per_page=2)
    assert listing.page_range == [1, "…", 6, 7, 8, 9, 10, "…", 15]


def test_works_with_tag_is_exactly_that_tag():
    fluff, angst = TagFactory(name="Fluff"), TagFactory(name="Angst")
    a = WorkFactory(tags=[fluff])
    WorkFactory(tags=[angst])
    assert list(works_with_tag(viewer=guest, tag=fluff)) == [a]


def test_works_by_user_lists_each_work_once_across_pseuds():
    user = UserFactory()
    other = PseudFactory(user=user)
    both = WorkFactory(creator=user.default_pseud())
    Creatorship.objects.create(work=both, pseud=other, position=1)
    only_other = WorkFactory(creator=other)
    WorkFactory()
    assert sorted(w.id for w in works_by_user(viewer=guest, user=user)) == sorted(
        [both.id, only_other.id]
    )
    assert works_by_user(viewer=guest, user=user).count() == 2
    assert list(works_by_pseud(viewer=guest, pseud=other).order_by("id")) == [both, only_other]
    assert list(works_by_pseud(viewer=guest, pseud=user.default_pseud())) == [both]


def test_work_meta_groups_tags_in_written_order():
    fandom = TagFactory(name="Les Misérables", type=TagType.FANDOM)
    rel = TagFactory(name="Javert/Jean Valjean", type=TagType.RELATIONSHIP)
    c1 = TagFactory(name="Javert", type=TagType.CHARACTER)
    c2 = TagFactory(name="Cosette", type=TagType.CHARACTER)
    work = WorkFactory(
        tags=[fixed("Mature"), fixed("Major Character Death"), fixed("M/M"), fandom, c1, rel, c2]
    )
    meta = work_meta(with_blurb_data(type(work).objects.filter(pk=work.pk)).get())
    assert [t.name for t in meta.characters] == ["Javert", "Cosette"]
    assert [t.name for t in meta.blurb_tags] == [
        "Major Character Death",
        "Javert/Jean Valjean",
        "Javert",
        "Cosette",
    ]
    assert meta.is_adult
    assert (meta.rating_symbol.text, meta.warning_symbol.text) == ("M", "!")
    assert meta.category_symbol.text == "M/M"
    assert meta.language_name == "English"


@pytest.mark.parametrize(
    ("rating", "adult"),
    [
        ("General Audiences", False),
        ("Teen And Up Audiences", False),
        ("Mature", True),
        ("Explicit", True),
        ("Not Rated", True),
    ],
)
def test_is_adult_by_rating(rating, adult):
    work = WorkFactory(tags=[fixed(rating)])
    assert work_meta(work).is_adult is adult


def test_warning_and_category_symbols():
    chose_not = WorkFactory(tags=[fixed("Creator Chose Not To Use Archive Warnings")])
    assert work_meta(chose_not).warning_symbol.text == "?"
    none = WorkFactory(tags=[fixed("F/M"), fixed("Gen")])
    meta = work_meta(none)
    assert meta.warning_symbol.text == "\N{EN DASH}"
    assert meta.category_symbol.text == "Multi"


def test_work_reading_series_and_stats():
    work = WorkFactory()
    WorkStats.objects.filter(work=work).update(kudos=5, hits=70)
    series = Series.objects.create(title="Lamplight")
    SeriesWork.objects.create(series=series, work=work, position=2)
    reading = work_reading(viewer=guest, work=access_work(guest, work.id))
    assert [(p.position, p.title) for p in reading.series] == [(2, "Lamplight")]
    assert (reading.meta.stats.kudos, reading.meta.stats.hits) == (5, 70)
    assert len(reading.chapters) == 1
    assert not reading.multichapter
