"""The one visibility gate: visible_works for listings, access_work for one work."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.works.models import Chapter
from fanarchive.works.permissions import (
    LoginRequired,
    access_work,
    can_view_work,
    visible_chapters,
    visible_works,
)
from fanarchive.works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    creator = UserFactory(username="creator")
    return {
        "guest": AnonymousUser(),
        "reader": UserFactory(username="reader"),
        "creator": creator,
        "staff": UserFactory(username="staff", is_staff=True),
    }


@pytest.fixture
def works(people):
    pseud = people["creator"].default_pseud()
    return {
        "public": WorkFactory(title="public", creator=pseud),
        "restricted": WorkFactory(title="restricted", creator=pseud, restricted=True),
        "draft": WorkFactory(title="draft", creator=pseud, posted=False),
        "hidden": WorkFactory(title="hidden", creator=pseud, hidden_by_admin=True),
    }


# Who may open which work; `login` means a guest is asked to log in.
EXPECTED = {
    "guest": {"public": True, "restricted": "login", "draft": False, "hidden": False},
    "reader": {"public": True, "restricted": True, "draft": False, "hidden": False},
    "creator": {"public": True, "restricted": True, "draft": True, "hidden": True},
    "staff": {"public": True, "restricted": True, "draft": False, "hidden": True},
}


@pytest.mark.parametrize("who", EXPECTED)
def test_access_work_for_each_kind_of_viewer(people, works, who):
    viewer = people[who]
    for name, expected in EXPECTED[who].items():
        work = works[name]
        if expected is True:
            assert access_work(viewer, work.id) == work
        elif expected == "login":
            with pytest.raises(LoginRequired):
                access_work(viewer, work.id)
        else:
            with pytest.raises(Http404):
                access_work(viewer, work.id)


@pytest.mark.parametrize("who", EXPECTED)
def test_listings_hold_only_posted_unhidden_works_and_restricted_ones_for_members(
    people, works, who
):
    titles = set(visible_works(people[who]).values_list("title", flat=True))
    # Listings never show drafts or hidden works, not even to their creators or staff.
    expected = {"public"} if who == "guest" else {"public", "restricted"}
    assert titles == expected
    assert visible_works(people[who]).count() == len(expected)


def test_access_work_unknown_id_is_404(people):
    with pytest.raises(Http404):
        access_work(people["creator"], 987654)


def test_can_view_work_agrees_with_access_work(people, works):
    for who, row in EXPECTED.items():
        for name, expected in row.items():
            assert can_view_work(people[who], works[name]) is (expected is True), (who, name)


def test_a_hidden_draft_is_for_its_creators_only(people):
    work = WorkFactory(
        creator=people["creator"].default_pseud(), posted=False, hidden_by_admin=True
    )
    assert access_work(people["creator"], work.id) == work
    with pytest.raises(Http404):
        access_work(people["staff"], work.id)


def test_draft_chapters_are_for_creators_only(people):
    work = WorkFactory(creator=people["creator"].default_pseud())
    Chapter.objects.create(
        work=work, position=2, text="<p>later</p>", published=work.published, posted=False
    )
    as_reader = access_work(people["reader"], work.id)
    as_creator = access_work(people["creator"], work.id)
    assert [c.position for c in visible_chapters(people["reader"], as_reader)] == [1]
    assert [c.position for c in visible_chapters(people["creator"], as_creator)] == [1, 2]
