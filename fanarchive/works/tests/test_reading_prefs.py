"""Reading: the chapter index, chapter navigation, what drafts, hidden and restricted works
show to whom, and the reading preferences (adult gate, entire work, hidden warnings and
additional tags) — for readers with the preference, readers without it and guests."""

import datetime
import re

import pytest
from django.test import Client

from fanarchive.accounts.models import Preference
from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.core.text import text_to_html
from fanarchive.tags.models import Tag
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.models import Chapter
from fanarchive.works.tests.factories import WorkFactory

pytestmark = pytest.mark.django_db


def day(n):
    return datetime.date(2024, 1, 1) + datetime.timedelta(days=n)


def add_chapter(work, title, *, on, posted=True):
    chapter = Chapter.objects.create(
        work=work,
        position=work.chapters.count() + 1,
        title=title,
        text=text_to_html(f"Text of {title}."),
        published=on,
        posted=posted,
    )
    work.chapter_count = work.chapters.filter(posted=True).count()
    work.expected_chapters = None
    work.save()
    return chapter


def reader_with(**prefs):
    user = UserFactory()
    if prefs:
        Preference.objects.create(user=user, **prefs)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def creator():
    return UserFactory(username="fantine")


@pytest.fixture
def saga(creator):
    """A posted three-chapter work (days 0, 3, 7) with a draft fourth chapter."""
    work = WorkFactory(title="Saga", creator=creator.pseuds.get(), text="Text of One.")
    add_chapter(work, "Two", on=day(3))
    add_chapter(work, "Three", on=day(7))
    add_chapter(work, "Unposted", on=day(9), posted=False)
    return work


def creator_client(creator):
    client = Client()
    client.force_login(creator)
    return client


# --- Chapter index and navigation --------------------------------------------------------------


def test_chapter_index_lists_posted_chapters_with_their_dates(client, saga):
    page = client.get(f"/works/{saga.id}/navigate").text
    items = re.findall(r'<li><a href="/works/\d+/chapters/\d+">([^<]*)</a> (.*?)</li>', page)
    assert items == [
        ("1. Chapter 1", '<time datetime="2024-01-01">(2024-01-01)</time>'),
        ("2. Two", '<time datetime="2024-01-04">(2024-01-04)</time>'),
        ("3. Three", '<time datetime="2024-01-08">(2024-01-08)</time>'),
    ]
    assert "Manage chapters" not in page


def test_chapter_index_shows_drafts_to_creators_marked_draft(creator, saga):
    page = creator_client(creator).get(f"/works/{saga.id}/navigate").text
    assert re.search(r'4\. Unposted</a> <span class="badge">Draft</span>', page)
    assert f'href="/works/{saga.id}/chapters/manage">Manage chapters</a>' in page


def test_previous_and_next_skip_drafts_for_readers(client, saga):
    two, three, draft = saga.chapters.filter(position__gt=1).order_by("position")
    page = client.get(f"/works/{saga.id}/chapters/{three.id}").text
    assert f'href="/works/{saga.id}/chapters/{two.id}">← Previous Chapter</a>' in page
    assert "Next Chapter" not in page
    assert client.get(f"/works/{saga.id}/chapters/{draft.id}").status_code == 404
    # The creator reads on into the draft, which says what it is and how to post it.
    page = (
        creator_client(saga.creators.get().user).get(f"/works/{saga.id}/chapters/{three.id}").text
    )
    assert f'href="/works/{saga.id}/chapters/{draft.id}">Next Chapter →</a>' in page
    draft_page = (
        creator_client(saga.creators.get().user).get(f"/works/{saga.id}/chapters/{draft.id}").text
    )
    assert "Draft chapter" in draft_page
    assert f'href="/works/{saga.id}/chapters/{draft.id}/edit"' in draft_page
    assert f'action="/works/{saga.id}/chapters/{draft.id}/post"' in draft_page


def test_entire_work_shows_posted_chapters_only_to_readers(client, saga):
    page = client.get(f"/works/{saga.id}?view_full_work=true").text
    assert "Text of Three." in page and "Text of Unposted." not in page
    assert "Chapter by Chapter" in page


def test_creator_actions_only_for_creators(client, creator, saga):
    reader = reader_with()
    for viewer in (client, reader):
        page = viewer.get(f"/works/{saga.id}").text
        assert "/chapters/new" not in page and "Manage chapters" not in page
    page = creator_client(creator).get(f"/works/{saga.id}").text
    assert f'href="/works/{saga.id}/chapters/new">Add chapter</a>' in page
    assert f'href="/works/{saga.id}/chapters/manage">Manage chapters</a>' in page


# --- Who sees what -----------------------------------------------------------------------------


def test_restricted_work_chapters_and_index_ask_guests_to_log_in(client):
    work = WorkFactory(restricted=True, text="Members only.")
    two = add_chapter(work, "Two", on=day(1))
    for url in (f"/works/{work.id}/chapters/{two.id}", f"/works/{work.id}/navigate"):
        response = client.get(url)
        assert response.status_code == 403
        assert "Log in to read it" in response.text and "Text of Two." not in response.text
        assert reader_with().get(url).status_code == 200


def test_a_draft_work_shows_its_creator_a_draft_notice(client, creator):
    work = WorkFactory(creator=creator.pseuds.get(), posted=False, text="Unfinished.")
    page = creator_client(creator).get(f"/works/{work.id}").text
    assert "<strong>Draft:</strong> this work has not been posted" in page
    assert f'href="/works/{work.id}/chapters/new"' in page
    assert client.get(f"/works/{work.id}").status_code == 404
    assert reader_with().get(f"/works/{work.id}/navigate").status_code == 404


def test_a_hidden_work_shows_creators_and_staff_a_notice(client, creator):
    work = WorkFactory(creator=creator.pseuds.get(), hidden_by_admin=True, text="Hidden.")
    notice = "This work has been hidden by the archive's administrators"
    assert notice in creator_client(creator).get(f"/works/{work.id}").text
    staff = Client()
    staff.force_login(UserFactory(is_staff=True))
    page = staff.get(f"/works/{work.id}").text
    assert notice in page and "/chapters/new" not in page  # staff read, creators write
    assert reader_with().get(f"/works/{work.id}").status_code == 404
    assert client.get(f"/works/{work.id}").status_code == 404


# --- Preferences -------------------------------------------------------------------------------


@pytest.fixture
def explicit_work():
    return WorkFactory(tags=[Tag.objects.get(name="Explicit")], text="Adult text.")


def test_view_adult_preference_skips_the_adult_gate(client, explicit_work):
    url = f"/works/{explicit_work.id}"
    assert "Adult text." not in client.get(url).text  # guests: the gate
    assert "Adult text." not in reader_with().get(url).text  # default preference: the gate
    assert "Adult text." not in reader_with(view_adult=False).get(url).text
    page = reader_with(view_adult=True).get(url).text
    assert "Adult text." in page and "could have adult content" not in page


def test_view_full_work_preference_shows_the_entire_work_by_default(client, saga):
    url = f"/works/{saga.id}"
    for viewer in (client, reader_with(), reader_with(view_full_work=False)):
        page = viewer.get(url).text
        assert "Text of One." in page and "Text of Two." not in page
    full = reader_with(view_full_work=True)
    page = full.get(url).text
    assert all(f"Text of {t}." in page for t in ("One", "Two", "Three"))
    assert "Text of Unposted." not in page
    # Chapter by chapter is still one click away.
    first = saga.chapters.get(position=1)
    assert f'href="/works/{saga.id}/chapters/{first.id}">Chapter by Chapter</a>' in page
    page = full.get(f"/works/{saga.id}/chapters/{first.id}").text
    assert "Text of One." in page and "Text of Two." not in page
    page = full.get(f"{url}?view_full_work=false").text
    assert "Text of Two." not in page


@pytest.fixture
def tagged_work():
    return WorkFactory(
        title="Tagged",
        tags=[Tag.objects.get(name="Major Character Death"), TagFactory(name="Angst")],
    )


def meta_details(page, label):
    return re.search(
        rf'<details class="hidden-tags [a-z]+"><summary>{label}</summary>(.*?)</details>', page
    )


def blurb_details(page, label):
    return re.search(rf"<details><summary>{label}</summary>(.*?)</details>", page)


def test_hide_warnings_folds_warnings_away_on_work_pages_and_blurbs(client, tagged_work):
    viewer = reader_with(hide_warnings=True)
    page = viewer.get(f"/works/{tagged_work.id}").text
    hidden = meta_details(page, "Show warnings")
    assert hidden and "Major Character Death" in hidden.group(1)
    assert meta_details(page, "Show additional tags") is None
    assert "Angst" in page
    blurbs = viewer.get("/").text
    hidden = blurb_details(blurbs, "Show warnings")
    assert hidden and "Major Character Death" in hidden.group(1)
    assert blurb_details(blurbs, "Show additional tags") is None
    tag_page = viewer.get("/tags/Angst/works").text
    assert blurb_details(tag_page, "Show warnings")
    # Guests and readers without the preference see the warnings as they are.
    for other in (client, reader_with()):
        assert "Show warnings" not in other.get(f"/works/{tagged_work.id}").text
        assert "Show warnings" not in other.get("/").text
        assert "Major Character Death" in other.get("/").text


def test_hide_freeform_folds_additional_tags_away(client, tagged_work):
    viewer = reader_with(hide_freeform=True)
    page = viewer.get(f"/works/{tagged_work.id}").text
    hidden = meta_details(page, "Show additional tags")
    assert hidden and "Angst" in hidden.group(1)
    assert meta_details(page, "Show warnings") is None
    hidden = blurb_details(viewer.get("/").text, "Show additional tags")
    assert hidden and "Angst" in hidden.group(1)
    assert "Show additional tags" not in client.get("/").text
    assert "Show additional tags" not in reader_with().get(f"/works/{tagged_work.id}").text


def test_creators_always_see_their_own_works_tags(tagged_work):
    owner = tagged_work.creators.get().user
    Preference.objects.create(user=owner, hide_warnings=True, hide_freeform=True)
    client = Client()
    client.force_login(owner)
    for url in (f"/works/{tagged_work.id}", "/"):
        page = client.get(url).text
        assert "Show warnings" not in page and "Show additional tags" not in page
        assert "Major Character Death" in page and "Angst" in page
