"""Subscribing and unsubscribing from the work page and profiles; the subscriptions page."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.subscriptions.models import Subscription
from fanarchive.works.models import Series, Work, WorkStats

from .conftest import post_work

pytestmark = pytest.mark.django_db

LIST = "/users/cosette/subscriptions"


def _messages(response):
    """The message this response added (earlier ones, never shown, stay queued before it)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1:]


def _subs(user):
    return Subscription.objects.filter(user=user)


def _count(work):
    return WorkStats.objects.get(work=work).subscriptions


def test_subscribe_to_a_work_counts_it_and_twice_is_a_notice(writer, reader, reader_client):
    work = post_work(writer, "Les Mis")
    response = reader_client.post(LIST, {"work": work.pk, "next": f"/works/{work.pk}"})
    assert response.status_code == 302 and response["Location"] == f"/works/{work.pk}"
    assert _messages(response) == ["You are now subscribed to “Les Mis”."]
    assert _subs(reader).get().work_id == work.pk
    assert _count(work) == 1
    again = reader_client.post(LIST, {"work": work.pk}, follow=True)
    assert again.status_code == 200
    assert "You are already subscribed to “Les Mis”." in again.content.decode()
    assert _subs(reader).count() == 1 and _count(work) == 1


def test_subscribe_to_a_series_and_a_creator(writer, reader, reader_client):
    post_work(writer, "Part one", series="The Saga")
    series = Series.objects.get(title="The Saga")
    response = reader_client.post(LIST, {"series": series.pk})
    assert _messages(response) == ["You are now subscribed to the series “The Saga”."]
    response = reader_client.post(LIST, {"creator": "hugo"})
    assert _messages(response) == ["You are now subscribed to hugo."]
    assert {(s.series_id, s.creator_id) for s in _subs(reader)} == {
        (series.pk, None),
        (None, writer.pk),
    }
    assert response["Location"] == LIST  # no `next`: the list


def test_refusals_own_work_own_series_yourself(writer, writer_client):
    work = post_work(writer, "Mine", series="My Saga")
    series = Series.objects.get(title="My Saga")
    url = "/users/hugo/subscriptions"
    assert _messages(writer_client.post(url, {"work": work.pk})) == [
        "You can't subscribe to your own work."
    ]
    assert _messages(writer_client.post(url, {"series": series.pk})) == [
        "You can't subscribe to your own series."
    ]
    assert _messages(writer_client.post(url, {"creator": "hugo"})) == [
        "You can't subscribe to yourself."
    ]
    assert not _subs(writer).exists()
    assert _count(work) == 0


def test_works_the_reader_cannot_open_are_404(writer, reader_client):
    draft = post_work(writer, "Draft", posted=False)
    hidden = post_work(writer, "Hidden", series="Hidden Saga")
    Work.objects.filter(pk=hidden.pk).update(hidden_by_admin=True)
    hidden_series = Series.objects.get(title="Hidden Saga")
    assert reader_client.post(LIST, {"work": draft.pk}).status_code == 404
    assert reader_client.post(LIST, {"work": hidden.pk}).status_code == 404
    assert reader_client.post(LIST, {"work": 999999}).status_code == 404
    assert reader_client.post(LIST, {"series": hidden_series.pk}).status_code == 404
    assert reader_client.post(LIST, {"creator": "nobody"}).status_code == 404
    assert not Subscription.objects.exists()


def test_restricted_work_can_be_subscribed_by_a_logged_in_reader(writer, reader, reader_client):
    work = post_work(writer, "Members", restricted=True)
    reader_client.post(LIST, {"work": work.pk})
    assert _subs(reader).count() == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "work, series or creator: name exactly one thing to subscribe to."),
        ({"work": "1", "creator": "hugo"}, "work, series or creator: name exactly one thing"),
        ({"work": "abc"}, "work: 'abc' is not a number."),
        ({"series": "-3"}, "series: '-3' is not a number."),
    ],
)
def test_bad_input_is_a_message_naming_the_field(writer, reader_client, data, message):
    response = reader_client.post(LIST, data)
    assert response.status_code == 302
    [got] = _messages(response)
    assert got.startswith(message)
    assert not Subscription.objects.exists()


def test_an_outside_next_is_not_followed(writer, reader_client):
    work = post_work(writer)
    response = reader_client.post(LIST, {"work": work.pk, "next": "https://evil.example/"})
    assert response["Location"] == LIST


def test_unsubscribe_takes_it_off_the_count_and_leaves_others_alone(writer, reader, reader_client):
    work = post_work(writer, "Les Mis")
    reader_client.post(LIST, {"work": work.pk})
    other = UserFactory(username="marius")
    theirs = Subscription.objects.create(user=other, creator=writer)
    mine = _subs(reader).get()
    # Someone else's subscription, through my URL: not touched.
    response = reader_client.post(f"{LIST}/{theirs.pk}/delete")
    assert _messages(response) == ["You were not subscribed to that (any more)."]
    assert Subscription.objects.filter(pk=theirs.pk).exists()
    response = reader_client.post(f"{LIST}/{mine.pk}/delete")
    assert _messages(response) == ["You have unsubscribed from “Les Mis”."]
    assert not _subs(reader).exists()
    assert _count(work) == 0
    # Twice: a notice, and the count never goes below what it was.
    reader_client.post(f"{LIST}/{mine.pk}/delete")
    assert _count(work) == 0


def test_unsubscribe_is_post_only(writer, reader, reader_client):
    sub = Subscription.objects.create(user=reader, creator=writer)
    assert reader_client.get(f"{LIST}/{sub.pk}/delete").status_code == 405
    assert Subscription.objects.filter(pk=sub.pk).exists()


def test_subscriptions_page_is_the_owners_only(writer, reader, reader_client, writer_client):
    assert Client().get(LIST).status_code == 302  # a guest goes to log in
    assert "/users/login" in Client().get(LIST)["Location"]
    assert writer_client.get(LIST).status_code == 403
    assert writer_client.post(LIST, {"creator": "hugo"}).status_code == 403
    sub = Subscription.objects.create(user=reader, creator=writer)
    assert writer_client.post(f"{LIST}/{sub.pk}/delete").status_code == 403
    assert Subscription.objects.filter(pk=sub.pk).exists()
    assert reader_client.get("/users/nobody/subscriptions").status_code == 404


def test_subscriptions_page_lists_with_names_links_and_filters(writer, reader, reader_client):
    work = post_work(writer, "A <b>bold</b> title", series="Saga & Co")
    series = Series.objects.get(title="Saga & Co")
    Subscription.objects.create(user=reader, work=work)
    Subscription.objects.create(user=reader, series=series)
    Subscription.objects.create(user=reader, creator=writer)
    page = reader_client.get(LIST).content.decode()
    assert f'<a href="/works/{work.pk}">A &lt;b&gt;bold&lt;/b&gt; title</a>' in page
    assert f'<a href="/series/{series.pk}">Saga &amp; Co</a>' in page
    assert '<a href="/users/hugo">hugo</a>' in page
    assert page.count("Unsubscribe<span") == 3
    works_only = reader_client.get(LIST + "?type=works").content.decode()
    assert "Saga &amp; Co</a>" not in works_only and "bold" in works_only
    users_only = reader_client.get(LIST + "?type=users").content.decode()
    assert '<a href="/users/hugo">hugo</a>' in users_only and "bold" not in users_only
    # A work that became hidden is no longer named or linked.
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    page = reader_client.get(LIST).content.decode()
    assert "bold" not in page and "A work you can no longer open" in page


def test_csrf_is_required(writer, reader):
    work = post_work(writer)
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post(LIST, {"work": work.pk}).status_code == 403
    sub = Subscription.objects.create(user=reader, creator=writer)
    assert client.post(f"{LIST}/{sub.pk}/delete").status_code == 403
    assert Subscription.objects.filter(user=reader).count() == 1


def test_work_page_shows_subscribe_buttons_to_readers_only(writer, reader, reader_client):
    work = post_work(writer, "Les Mis", series="The Saga")
    series = Series.objects.get(title="The Saga")
    page = reader_client.get(f"/works/{work.pk}").content.decode()
    assert f'name="work" value="{work.pk}"' in page
    assert f'name="series" value="{series.pk}"' in page
    assert "Subscribe to series" in page
    # Once subscribed the button unsubscribes.
    reader_client.post(LIST, {"work": work.pk})
    sub = _subs(reader).get()
    page = reader_client.get(f"/works/{work.pk}").content.decode()
    assert f'action="{LIST}/{sub.pk}/delete"' in page
    assert f'name="work" value="{work.pk}"' not in page
    # Guests and the creator see no subscribe form.
    assert "Subscribe" not in Client().get(f"/works/{work.pk}").content.decode()
    writer_client = Client()
    writer_client.force_login(writer)
    assert "Subscribe" not in writer_client.get(f"/works/{work.pk}").content.decode()


def test_profile_shows_subscribe_to_others_only(writer, reader, reader_client):
    page = reader_client.get("/users/hugo").content.decode()
    assert 'name="creator" value="hugo"' in page and "Subscribe to hugo" in page
    assert "Subscribe to" not in reader_client.get("/users/cosette").content.decode()
    assert "Subscribe to" not in Client().get("/users/hugo").content.decode()
    reader_client.post(LIST, {"creator": "hugo"})
    page = reader_client.get("/users/hugo").content.decode()
    assert "Unsubscribe from hugo" in page


def test_a_series_whose_works_the_reader_can_no_longer_see_is_not_named(
    writer, reader, reader_client
):
    work = post_work(writer, "Only part", series="The Vanished Saga")
    Subscription.objects.create(user=reader, series=Series.objects.get(title="The Vanished Saga"))
    assert "The Vanished Saga" in reader_client.get(LIST).content.decode()
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    page = reader_client.get(LIST).content.decode()
    assert "The Vanished Saga" not in page and "A series you can no longer open" in page
    assert page.count("Unsubscribe<span") == 1  # still there to unsubscribe from


def test_a_deleted_account_takes_its_subscriptions_off_the_counts(writer, reader, reader_client):
    work = post_work(writer, "Les Mis")
    reader_client.post(LIST, {"work": work.pk})
    other = UserFactory()
    Subscription.objects.create(user=other, creator=writer)  # not a work's: counts nothing
    assert _count(work) == 1
    reader.delete()
    other.delete()
    assert not Subscription.objects.exists()
    assert _count(work) == 0
