"""Kudos: leaving them (accounts and guests), every refusal, the count, the work page."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.test import Client

from fanarchive.accounts.tests.factories import PseudFactory, UserFactory
from fanarchive.social.models import Block, Kudos
from fanarchive.social.selectors import has_left_kudos, ip_hash, kudos_summary
from fanarchive.social.services import KUDOS_ALREADY, SocialRefused, kudos_leave
from fanarchive.works.models import Creatorship, WorkStats
from fanarchive.works.permissions import access_work

from .conftest import client_for, make_work


def kudos_count(work) -> int:
    return WorkStats.objects.get(work=work).kudos


def post_kudos(client, work, ip="203.0.113.7", **data):
    return client.post(f"/works/{work.id}/kudos", data, REMOTE_ADDR=ip)


def notice(response) -> str:
    """The notice this request added (earlier ones wait in the session until a page shows them)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


# --- Leaving kudos -----------------------------------------------------------------------------


def test_an_account_leaves_kudos_once(work, reader, reader_client):
    response = post_kudos(reader_client, work)
    assert response.status_code == 302 and response["Location"] == f"/works/{work.id}"
    assert notice(response) == "Thank you for leaving kudos!"
    kudos = Kudos.objects.get(work=work)
    assert kudos.user == reader and kudos.ip_hash is None
    assert kudos_count(work) == 1

    again = post_kudos(reader_client, work, ip="198.51.100.1")
    assert again.status_code == 302 and again["Location"] == f"/works/{work.id}"
    assert notice(again) == KUDOS_ALREADY
    assert Kudos.objects.filter(work=work).count() == 1 and kudos_count(work) == 1


def test_the_second_kudos_is_a_notice_on_the_work_page_not_an_error_page(work, reader_client):
    post_kudos(reader_client, work)
    page = reader_client.post(f"/works/{work.id}/kudos", follow=True, REMOTE_ADDR="203.0.113.7")
    assert page.status_code == 200
    assert page.redirect_chain == [(f"/works/{work.id}", 302)]
    assert "You have already left kudos here. :)" in page.content.decode()


def test_a_guest_leaves_kudos_once_per_address(work):
    guest = Client()
    assert notice(post_kudos(guest, work, ip="203.0.113.7")) == "Thank you for leaving kudos!"
    assert notice(post_kudos(Client(), work, ip="203.0.113.7")) == KUDOS_ALREADY
    assert kudos_count(work) == 1
    # Another address counts.
    assert notice(post_kudos(Client(), work, ip="203.0.113.8")) == "Thank you for leaving kudos!"
    assert kudos_count(work) == 2
    assert Kudos.objects.filter(work=work, user__isnull=True).count() == 2


def test_a_guest_address_is_kept_only_as_a_keyed_hash(work, settings):
    post_kudos(Client(), work, ip="203.0.113.7")
    kudos = Kudos.objects.get(work=work)
    assert kudos.user is None
    assert re.fullmatch(r"[0-9a-f]{64}", kudos.ip_hash)
    assert "203.0.113.7" not in kudos.ip_hash
    assert kudos.ip_hash == ip_hash("203.0.113.7") != ip_hash("203.0.113.8")
    settings.SECRET_KEY = "another secret key, another archive " * 2
    assert ip_hash("203.0.113.7") != kudos.ip_hash  # keyed: not a plain hash of the address


def test_an_account_and_a_guest_on_the_same_address_both_count(work, reader_client):
    post_kudos(reader_client, work, ip="203.0.113.7")
    assert notice(post_kudos(Client(), work, ip="203.0.113.7")) == "Thank you for leaving kudos!"
    assert kudos_count(work) == 2


def test_the_address_comes_from_the_trusted_proxy_header_like_everywhere(work, settings):
    settings.FANARCHIVE_TRUSTED_PROXIES = 1
    forwarded = {"HTTP_X_FORWARDED_FOR": "192.0.2.44", "REMOTE_ADDR": "10.0.0.1"}
    Client().post(f"/works/{work.id}/kudos", **forwarded)
    assert Kudos.objects.get(work=work).ip_hash == ip_hash("192.0.2.44")


# --- Refusals ----------------------------------------------------------------------------------


def test_no_kudos_on_your_own_work_nor_from_a_co_creator(author, author_client):
    co_creator = UserFactory(username="dumas")
    work = make_work(creators=[author, co_creator])
    for client in (author_client, client_for(co_creator)):
        response = post_kudos(client, work)
        assert response.status_code == 302
        assert notice(response) == "You can't leave kudos on your own work."
    assert not Kudos.objects.exists() and kudos_count(work) == 0


def test_no_kudos_on_your_work_credited_to_another_of_your_pseuds(author, author_client):
    work = make_work(creators=[PseudFactory(user=author, name="Javert")])
    assert notice(post_kudos(author_client, work)) == "You can't leave kudos on your own work."
    assert kudos_count(work) == 0


def test_a_blocked_account_cannot_leave_kudos_on_any_of_the_blockers_works(
    author, reader, reader_client
):
    Block.objects.create(blocker=author, blocked=reader)
    by_pseud = make_work("Under another name", creators=[PseudFactory(user=author, name="Javert")])
    co_written = make_work("Together", creators=[UserFactory(username="dumas"), author])
    for work in (by_pseud, co_written):
        response = post_kudos(reader_client, work)
        assert response.status_code == 302
        assert (
            notice(response)
            == "Sorry, you have been blocked by one or more of this work's creators."
        )
        assert kudos_count(work) == 0
    # Other readers, and the blocked reader elsewhere, are not affected.
    assert notice(post_kudos(Client(), by_pseud)) == "Thank you for leaving kudos!"
    elsewhere = make_work("Elsewhere", creators=[UserFactory(username="sand")])
    assert notice(post_kudos(reader_client, elsewhere)) == "Thank you for leaving kudos!"


def test_a_guest_gets_the_gates_answer_for_a_restricted_work(author, reader_client):
    work = make_work(creators=[author], restricted=True)
    assert post_kudos(Client(), work).status_code == 403
    assert not Kudos.objects.exists()
    assert notice(post_kudos(reader_client, work)) == "Thank you for leaving kudos!"


def test_drafts_hidden_and_missing_works_are_not_found(author, author_client, reader_client):
    draft = make_work("A draft", creators=[author], posted=False)
    hidden = make_work("Hidden", creators=[author])
    hidden.hidden_by_admin = True
    hidden.save(update_fields=["hidden_by_admin"])
    for work in (draft, hidden):
        assert post_kudos(reader_client, work).status_code == 404
        assert post_kudos(Client(), work).status_code == 404
    assert reader_client.post("/works/999999/kudos").status_code == 404
    # Its creator reaches the draft, and is refused.
    assert notice(post_kudos(author_client, draft)) == "You can't leave kudos on a draft."
    assert not Kudos.objects.exists()


def test_the_service_refuses_drafts_and_hidden_works_to_anyone(author, reader):
    draft = make_work("A draft", creators=[author], posted=False)
    with pytest.raises(SocialRefused, match="draft"):
        kudos_leave(work=access_work(author, draft.id), viewer=reader, ip="1.2.3.4")
    hidden = make_work("Hidden", creators=[author])
    hidden.hidden_by_admin = True
    with pytest.raises(SocialRefused, match="hidden"):
        kudos_leave(work=hidden, viewer=reader, ip="1.2.3.4")
    restricted = make_work("Members", creators=[author], restricted=True)
    with pytest.raises(SocialRefused, match="guest kudos on a restricted work"):
        kudos_leave(work=restricted, viewer=AnonymousUser(), ip="1.2.3.4")
    assert not Kudos.objects.exists()


def test_kudos_only_by_post(work, reader_client):
    assert reader_client.get(f"/works/{work.id}/kudos").status_code == 405
    assert not Kudos.objects.exists()


def test_csrf_is_enforced(work, reader):
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post(f"/works/{work.id}/kudos").status_code == 403
    assert not Kudos.objects.exists()
    page = client.get(f"/works/{work.id}").content.decode()
    token = re.search(
        r'action="/works/\d+/kudos".*?name="csrfmiddlewaretoken" value="([^"]+)"', page, re.S
    )
    assert token is not None
    response = client.post(f"/works/{work.id}/kudos", {"csrfmiddlewaretoken": token.group(1)})
    assert response.status_code == 302
    assert kudos_count(work) == 1


# --- Races and the database's rules -------------------------------------------------------------


@pytest.mark.parametrize("as_guest", [False, True])
def test_a_second_kudos_racing_past_the_check_is_refused_by_the_database(work, reader, as_guest):
    viewer = AnonymousUser() if as_guest else reader
    kudos_leave(work=access_work(viewer, work.id), viewer=viewer, ip="203.0.113.7")
    # The second request's existence check ran before the first one's row was committed.
    racing = mock.patch.object(QuerySet, "exists", return_value=False)
    with racing, pytest.raises(SocialRefused, match=re.escape(KUDOS_ALREADY)):
        kudos_leave(work=access_work(viewer, work.id), viewer=viewer, ip="203.0.113.7")
    assert Kudos.objects.filter(work=work).count() == 1
    assert kudos_count(work) == 1  # the counter moved with the row, once


def test_the_database_allows_one_per_account_and_one_per_guest_address(work, reader):
    Kudos.objects.create(work=work, user=reader)
    with pytest.raises(IntegrityError), transaction.atomic():
        Kudos.objects.create(work=work, user=reader)
    Kudos.objects.create(work=work, ip_hash="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        Kudos.objects.create(work=work, ip_hash="a" * 64)
    with pytest.raises(IntegrityError), transaction.atomic():
        Kudos.objects.create(work=work, user=UserFactory(), ip_hash="b" * 64)
    # Anonymous kudos (of deleted accounts) may be many.
    Kudos.objects.create(work=work)
    Kudos.objects.create(work=work)
    assert Kudos.objects.filter(work=work).count() == 4


def test_a_deleted_accounts_kudos_stay_counted_as_anonymous(work, reader, reader_client):
    post_kudos(reader_client, work)
    reader.delete()
    kudos = Kudos.objects.get(work=work)
    assert kudos.user is None and kudos.ip_hash is None
    summary = kudos_summary(work=access_work(AnonymousUser(), work.id))
    assert (summary.names, summary.guests, summary.total) == ([], 1, 1)
    assert kudos_count(work) == 1


# --- The work page -----------------------------------------------------------------------------


def test_the_work_page_names_accounts_then_guests(work, reader, reader_client):
    other = UserFactory(username="marius")
    post_kudos(reader_client, work)
    post_kudos(client_for(other), work)
    post_kudos(Client(), work, ip="203.0.113.1")
    post_kudos(Client(), work, ip="203.0.113.2")
    html = Client().get(f"/works/{work.id}").content.decode()
    assert 'Kudos <span class="kudos-count">(4)</span>' in html
    listed = re.search(r'<p class="kudos-list">(.*?)</p>', html, re.S).group(1)
    assert '<a href="/users/marius">marius</a>, <a href="/users/cosette">cosette</a>' in listed
    assert listed.endswith("as well as 2 guests left kudos on this work!")
    assert kudos_count(work) == 4


def test_guests_only_and_none(work):
    html = Client().get(f"/works/{work.id}").content.decode()
    assert "No kudos yet." in html
    post_kudos(Client(), work, ip="203.0.113.1")
    html = Client().get(f"/works/{work.id}").content.decode()
    assert "1 guest left kudos on this work!" in html


def test_many_accounts_are_summed_up(work, settings):
    from fanarchive.social import selectors

    for n in range(4):
        Kudos.objects.create(work=work, user=UserFactory(username=f"fan{n}"))
    summary = selectors.kudos_summary(work=work, limit=2)
    assert summary.names == ["fan3", "fan2"]
    assert (summary.more_users, summary.guests, summary.total) == (2, 0, 4)


def test_the_button_is_shown_to_readers_and_guests_not_to_creators(
    work, author_client, reader_client
):
    button = f'action="/works/{work.id}/kudos"'
    assert button in Client().get(f"/works/{work.id}").content.decode()
    assert button in reader_client.get(f"/works/{work.id}").content.decode()
    assert button not in author_client.get(f"/works/{work.id}").content.decode()


def test_back_to_the_chapter_read_and_never_off_site(author, reader_client):
    work = make_work(creators=[author], chapters=2)
    second = work.chapters.order_by("position").last()
    chapter_url = f"/works/{work.id}/chapters/{second.id}"
    page = reader_client.get(chapter_url).content.decode()
    assert f'name="next" value="{chapter_url}"' in page
    response = post_kudos(reader_client, work, next=chapter_url)
    assert response["Location"] == chapter_url
    evil = post_kudos(Client(), work, next="https://evil.example/phish")
    assert evil["Location"] == f"/works/{work.id}"


def test_has_left_kudos(work, reader):
    assert not has_left_kudos(work=work, user=reader, ip="1.1.1.1")
    kudos_leave(work=access_work(reader, work.id), viewer=reader, ip="1.1.1.1")
    assert has_left_kudos(work=work, user=reader, ip="9.9.9.9")
    assert not has_left_kudos(work=work, user=AnonymousUser(), ip="1.1.1.1")
    assert Creatorship.objects.filter(work=work).count() == 1


def test_counted_kudos_without_rows_show_as_guests(work, reader):
    """Imported or demo counts (WorkStats only): the page agrees with the work's stats."""
    WorkStats.objects.filter(work=work).update(kudos=10)
    Kudos.objects.create(work=work, user=reader)
    summary = kudos_summary(work=access_work(reader, work.id))
    assert (summary.names, summary.guests, summary.total) == (
        ["cosette"],
        9,
        10,
    )
    html = Client().get(f"/works/{work.id}").content.decode()
    assert "cosette</a></span> as well as 9 guests left kudos on this work!" in html


def test_kudos_reach_the_search_engine_sorted_by_kudos(author, reader_client):
    from fanarchive.search.query import WorkQuery
    from fanarchive.search.selectors import search_works

    older = make_work("Older", creators=[author])
    newer = make_work("Newer", creators=[author])
    by_kudos = WorkQuery(sort="kudos")
    assert search_works(query=by_kudos, viewer=AnonymousUser()).ids == [newer.id, older.id]
    post_kudos(reader_client, older)
    post_kudos(Client(), older)
    results = search_works(query=by_kudos, viewer=AnonymousUser())
    assert results.ids == [older.id, newer.id]
    assert search_works(query=WorkQuery(kudos_from=2), viewer=AnonymousUser()).ids == [older.id]


def test_staff_see_kudos_in_the_admin_read_only(work, reader_client):
    post_kudos(reader_client, work)
    post_kudos(Client(), work)
    staff = UserFactory(username="admin", is_staff=True, is_superuser=True)
    admin = client_for(staff)
    page = admin.get("/admin/social/kudos/")
    assert page.status_code == 200 and "cosette" in page.content.decode()
    kudos = Kudos.objects.filter(user__isnull=True).get()
    detail = admin.get(f"/admin/social/kudos/{kudos.id}/change/").content.decode()
    assert kudos.ip_hash not in detail  # not even its hash is shown
    assert admin.post(f"/admin/social/kudos/{kudos.id}/delete/", {"post": "yes"}).status_code == 403
    assert Kudos.objects.count() == 2 and kudos_count(work) == 2
