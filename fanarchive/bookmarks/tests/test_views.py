"""Bookmark pages: the work page's button, creating (twice → edit), showing, editing, deleting
with a confirmation, and who sees which bookmark on the bookmarks pages."""

from __future__ import annotations

import pytest
from django.test import Client

from fanarchive.bookmarks.models import Bookmark
from fanarchive.bookmarks.services import BookmarkData, bookmark_save
from fanarchive.works.models import Series, Work, WorkStats

from .helpers import logged_in, make_work

pytestmark = pytest.mark.django_db


def bookmark(user, work=None, series=None, **fields):
    data = BookmarkData(pseud=user.pseuds.get(is_default=True), **fields)
    return bookmark_save(user=user, work=work, series=series, data=data)[0]


def form(user, **changes):
    values = {"pseud": str(user.pseuds.get(is_default=True).pk), "notes": "", "tags": ""}
    values.update(changes)
    return values


def test_the_work_page_offers_bookmark_then_edit_bookmark(reader, reader_client, work):
    page = reader_client.get(f"/works/{work.id}").content.decode()
    assert f'href="/works/{work.id}/bookmarks/new">Bookmark</a>' in page
    mine = bookmark(reader, work)
    page = reader_client.get(f"/works/{work.id}").content.decode()
    assert f'href="/bookmarks/{mine.pk}/edit">Edit bookmark</a>' in page


def test_guests_get_no_bookmark_button_and_must_log_in_to_bookmark(work):
    guest = Client()
    assert "bookmarks/new" not in guest.get(f"/works/{work.id}").content.decode()
    response = guest.post(f"/works/{work.id}/bookmarks", {"notes": "hi"})
    assert response.status_code == 302 and "/users/login" in response["Location"]
    response = guest.get(f"/works/{work.id}/bookmarks/new")
    assert response.status_code == 302 and "/users/login" in response["Location"]
    assert not Bookmark.objects.exists()


def test_the_nav_links_to_the_readers_bookmarks(reader_client):
    page = reader_client.get("/").content.decode()
    assert 'href="/users/cosette/bookmarks">Bookmarks</a>' in page


def test_creating_through_the_form(reader, reader_client, work):
    response = reader_client.post(
        f"/works/{work.id}/bookmarks",
        form(
            reader,
            notes="So <b>good</b> <img src=x onerror=alert(1)>",
            tags="Angst, to reread",
            rec="on",
        ),
    )
    saved = Bookmark.objects.get(user=reader, work=work)
    assert response.status_code == 302 and response["Location"] == f"/bookmarks/{saved.pk}"
    assert saved.rec and not saved.private
    assert "onerror" not in saved.notes and "<b>good</b>" in saved.notes
    page = reader_client.get(f"/bookmarks/{saved.pk}").content.decode()
    assert "Bookmark was successfully created." in page
    assert "Angst" in page and "<b>good</b>" in page and "Rec" in page
    assert WorkStats.objects.get(work=work).bookmarks == 1


def test_bookmarking_twice_edits_with_a_notice(reader, reader_client, work):
    reader_client.post(f"/works/{work.id}/bookmarks", form(reader, notes="one"))
    page = reader_client.get(f"/works/{work.id}/bookmarks/new").content.decode()
    assert "You have already bookmarked this" in page and "one" in page
    response = reader_client.post(
        f"/works/{work.id}/bookmarks", form(reader, notes="two"), follow=True
    )
    assert "your bookmark was updated" in response.content.decode()
    assert Bookmark.objects.filter(user=reader, work=work).count() == 1
    assert "two" in Bookmark.objects.get(user=reader, work=work).notes
    assert WorkStats.objects.get(work=work).bookmarks == 1


def test_bad_input_is_a_form_error_naming_the_field(reader, reader_client, work):
    response = reader_client.post(f"/works/{work.id}/bookmarks", form(reader, notes="x" * 5001))
    assert response.status_code == 400
    assert "Notes may be at most 5,000 characters" in response.content.decode()
    response = reader_client.post(f"/works/{work.id}/bookmarks", form(reader, tags="ok, no<pe"))
    assert response.status_code == 400
    assert (
        "Your tags:" in response.content.decode() and "cannot contain" in response.content.decode()
    )
    response = reader_client.post(f"/works/{work.id}/bookmarks", form(reader, pseud="999999"))
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not Bookmark.objects.exists()


def test_another_readers_pseud_is_not_a_choice(reader, other, reader_client, work):
    response = reader_client.post(
        f"/works/{work.id}/bookmarks", form(reader, pseud=str(other.pseuds.get().pk))
    )
    assert response.status_code == 400
    assert not Bookmark.objects.exists()


def test_editing_and_its_refusals(reader, other, reader_client, other_client, work):
    mine = bookmark(reader, work, notes="old")
    assert reader_client.get(f"/bookmarks/{mine.pk}/edit").status_code == 200
    response = reader_client.post(
        f"/bookmarks/{mine.pk}/edit", form(reader, notes="new", private="on")
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert "new" in mine.notes and mine.private
    assert WorkStats.objects.get(work=work).bookmarks == 0
    assert other_client.get(f"/bookmarks/{mine.pk}/edit").status_code == 404
    assert (
        other_client.post(f"/bookmarks/{mine.pk}/edit", form(other, notes="hijack")).status_code
        == 404
    )
    assert Client().get(f"/bookmarks/{mine.pk}/edit").status_code == 302  # to log in


def test_deleting_asks_first_and_refuses_others(reader, reader_client, other_client, work):
    mine = bookmark(reader, work)
    page = reader_client.get(f"/bookmarks/{mine.pk}/delete").content.decode()
    assert "Are you sure you want to delete your bookmark" in page
    assert Bookmark.objects.filter(pk=mine.pk).exists()
    assert other_client.post(f"/bookmarks/{mine.pk}/delete").status_code == 404
    assert Bookmark.objects.filter(pk=mine.pk).exists()
    response = reader_client.post(f"/bookmarks/{mine.pk}/delete")
    assert response.status_code == 302 and response["Location"] == "/users/cosette/bookmarks"
    assert not Bookmark.objects.filter(pk=mine.pk).exists()
    assert WorkStats.objects.get(work=work).bookmarks == 0


def test_a_private_bookmark_is_seen_only_by_its_owner(reader, reader_client, other_client, work):
    secret = bookmark(reader, work, private=True, notes="my secret note")
    for client in (other_client, Client()):
        assert client.get(f"/bookmarks/{secret.pk}").status_code == 404
        assert "my secret note" not in client.get("/users/cosette/bookmarks").content.decode()
        assert "my secret note" not in client.get(f"/works/{work.id}/bookmarks").content.decode()
    page = reader_client.get("/users/cosette/bookmarks").content.decode()
    assert "my secret note" in page and "Private bookmark" in page
    assert "my secret note" in reader_client.get(f"/bookmarks/{secret.pk}").content.decode()
    assert WorkStats.objects.get(work=work).bookmarks == 0


def test_bookmarks_of_restricted_works_never_reach_guests(reader, writer, other_client):
    members = make_work("Members Only", creator=writer, restricted=True)
    mine = bookmark(reader, members, notes="restricted note")
    guest = Client()
    assert "Members Only" not in guest.get("/users/cosette/bookmarks").content.decode()
    assert guest.get(f"/bookmarks/{mine.pk}").status_code == 404
    assert guest.get(f"/works/{members.id}/bookmarks").status_code == 404
    assert "Members Only" in other_client.get("/users/cosette/bookmarks").content.decode()


def test_bookmarks_of_hidden_or_unposted_works_are_shown_to_nobody(reader, reader_client, writer):
    hidden = make_work("Hidden Away", creator=writer)
    mine = bookmark(reader, hidden)
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    for client in (reader_client, Client(), logged_in(writer)):
        assert "Hidden Away" not in client.get("/users/cosette/bookmarks").content.decode()
        assert client.get(f"/bookmarks/{mine.pk}").status_code == 404
    draft = make_work("A Draft", creator=writer, posted=False)
    assert reader_client.get(f"/works/{draft.id}/bookmarks/new").status_code == 404
    assert reader_client.post(f"/works/{draft.id}/bookmarks", form(reader)).status_code == 404
    assert not Bookmark.objects.filter(work=draft).exists()


def test_a_series_is_shown_by_its_visible_works_only(reader, reader_client, writer):
    open_part = make_work("Open Part", creator=writer, series=("Lamplight", 1))
    make_work("Locked Part", creator=writer, restricted=True, series=("Lamplight", 2))
    series = Series.objects.get(title="Lamplight")
    assert series.works.count() == 2
    response = reader_client.post(
        f"/series/{series.pk}/bookmarks", form(reader, notes="series note")
    )
    assert response.status_code == 302
    guest_page = Client().get("/users/cosette/bookmarks").content.decode()
    assert "Lamplight" in guest_page and "Open Part" not in guest_page  # a series blurb
    assert "1 work" in guest_page
    assert "2 works" in reader_client.get("/users/cosette/bookmarks").content.decode()
    # The last visible work becomes restricted: guests no longer see the series at all.
    Work.objects.filter(pk=open_part.pk).update(restricted=True)
    guest_page = Client().get("/users/cosette/bookmarks").content.decode()
    assert "Lamplight" not in guest_page
    assert Client().get(f"/series/{series.pk}/bookmarks").status_code == 404
    assert "Lamplight" in reader_client.get("/users/cosette/bookmarks").content.decode()


def test_a_series_with_no_visible_work_cannot_be_bookmarked(reader_client, writer):
    make_work("Draft Part", creator=writer, posted=False, series=("Unseen", 1))
    series = Series.objects.get(title="Unseen")
    assert reader_client.get(f"/series/{series.pk}/bookmarks/new").status_code == 404
    assert reader_client.post(f"/series/{series.pk}/bookmarks", {"notes": ""}).status_code == 404


def test_the_work_page_links_series_bookmarking(reader_client, writer):
    part = make_work("Part", creator=writer, series=("Lamplight", 1))
    series = Series.objects.get(title="Lamplight")
    page = reader_client.get(f"/works/{part.id}").content.decode()
    assert f"/series/{series.pk}/bookmarks/new" in page


def test_a_works_bookmarks_page_lists_public_bookmarks(reader, other, other_client, work):
    bookmark(reader, work, notes="public one")
    bookmark(other, work, notes="eponine private", private=True)
    guest_page = Client().get(f"/works/{work.id}/bookmarks").content.decode()
    assert "public one" in guest_page and "eponine private" not in guest_page
    assert "1 Bookmark" in guest_page
    own_page = other_client.get(f"/works/{work.id}/bookmarks").content.decode()
    assert "eponine private" in own_page


def test_unknown_user_and_bad_page(reader_client):
    assert reader_client.get("/users/nobody/bookmarks").status_code == 404
    assert reader_client.get("/users/cosette/bookmarks?page=9").status_code == 404
    assert reader_client.get("/users/cosette/bookmarks?page=abc").status_code == 404


def test_show_page_escapes_tags(reader, reader_client, work):
    mine = bookmark(reader, work, tags='Tom & Jerry "quoted"')
    page = reader_client.get(f"/bookmarks/{mine.pk}").content.decode()
    assert "Tom &amp; Jerry &quot;quoted&quot;" in page and 'Jerry "quoted"' not in page


def test_a_series_bookmarks_page_offers_bookmarking_it(reader_client, writer):
    make_work("Part", creator=writer, series=("Lamplight", 1))
    series = Series.objects.get(title="Lamplight")
    page = reader_client.get(f"/series/{series.pk}/bookmarks").content.decode()
    assert f'href="/series/{series.pk}/bookmarks/new">Bookmark this series</a>' in page
    assert (
        "Bookmark this series"
        not in Client().get(f"/series/{series.pk}/bookmarks").content.decode()
    )
