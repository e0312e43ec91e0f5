"""`/users/<login>/inbox`: the owner's items, filters, mark read/unread, delete; the menu's
"Inbox (n)"; the email preferences on the preferences page."""

from __future__ import annotations

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.utils import timezone

from fanarchive.accounts.models import Preference
from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.inbox.models import InboxItem

pytestmark = pytest.mark.django_db
URL = "/users/cosette/inbox"
Kind = InboxItem.Kind


@pytest.fixture
def reader():
    return UserFactory(username="cosette")


@pytest.fixture
def client(reader):
    client = Client()
    client.force_login(reader)
    return client


def _item(user, subject, *, read=False, minutes=0, **fields):
    item = InboxItem.objects.create(
        user=user, kind=fields.pop("kind", Kind.NOTICE), subject=subject, read=read, **fields
    )
    created = timezone.now() - datetime.timedelta(minutes=minutes)
    InboxItem.objects.filter(pk=item.pk).update(created_at=created)
    return item


def _last_message(response):
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_inbox_is_the_owners_only(reader, client):
    assert "/users/login" in Client().get(URL)["Location"]
    other = Client()
    other.force_login(UserFactory(username="marius"))
    assert other.get(URL).status_code == 403
    item = _item(reader, "Private")
    assert other.post(URL, {"action": "delete", "items": [item.pk]}).status_code == 403
    assert InboxItem.objects.filter(pk=item.pk).exists()
    assert client.get("/users/nobody/inbox").status_code == 404


def test_items_newest_first_with_kind_subject_excerpt_and_link(reader, client):
    _item(reader, "Older", minutes=10, kind=Kind.COMMENT, text="first words", url="/works/1")
    _item(reader, "Newer", minutes=1, kind=Kind.SUBSCRIPTION, text="x" * 400, url="/works/2")
    page = client.get(URL).content.decode()
    assert page.index("Newer") < page.index("Older")
    assert '<a href="/works/1">Older</a>' in page and '<a href="/works/2">Newer</a>' in page
    assert "Subscription update" in page and "Comment" in page
    assert "first words" in page
    assert "x" * 299 + "…" in page and "x" * 300 not in page  # an excerpt


def test_subject_and_text_are_escaped_and_only_archive_links_are_links(reader, client):
    _item(reader, "<script>alert(1)</script>", text="<b>bold</b>", url="javascript:alert(1)")
    _item(reader, "Elsewhere", url="//evil.example/x")
    page = client.get(URL).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;bold&lt;/b&gt;" in page
    assert "javascript:" not in page and "evil.example" not in page


def test_filter_unread_and_read(reader, client):
    _item(reader, "Unread one")
    _item(reader, "Read one", read=True)
    unread = client.get(URL + "?show=unread").content.decode()
    assert "Unread one" in unread and "Read one" not in unread
    read = client.get(URL + "?show=read").content.decode()
    assert "Read one" in read and "Unread one" not in read
    everything = client.get(URL + "?show=bogus").content.decode()
    assert "Read one" in everything and "Unread one" in everything


def test_mark_several_read_then_unread_then_delete(reader, client):
    items = [_item(reader, f"Message {n}") for n in range(3)]
    chosen = [items[0].pk, items[1].pk]
    response = client.post(URL, {"action": "read", "items": chosen})
    assert response.status_code == 302 and response["Location"] == URL
    assert _last_message(response) == "2 messages marked read."
    assert set(InboxItem.objects.filter(read=True).values_list("pk", flat=True)) == set(chosen)
    response = client.post(URL + "?show=read", {"action": "unread", "items": [items[0].pk]})
    assert response["Location"] == URL + "?show=read"
    assert _last_message(response) == "1 message marked unread."
    assert not InboxItem.objects.get(pk=items[0].pk).read
    response = client.post(URL, {"action": "delete", "items": chosen})
    assert _last_message(response) == "2 messages deleted."
    assert list(InboxItem.objects.values_list("pk", flat=True)) == [items[2].pk]


def test_others_items_are_never_touched_through_my_inbox(reader, client):
    theirs = _item(UserFactory(username="marius"), "Theirs")
    response = client.post(URL, {"action": "delete", "items": [theirs.pk]})
    assert _last_message(response) == "0 messages deleted."
    assert InboxItem.objects.filter(pk=theirs.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "read"}, "items: select at least one message first."),
        ({"action": "read", "items": ["abc"]}, "items: select at least one message first."),
        ({"action": "explode", "items": ["1"]}, "action: choose Mark read, Mark unread or Delete."),
    ],
)
def test_bad_submissions_are_messages_naming_the_field(reader, client, data, message):
    item = _item(reader, "Stays")
    response = client.post(URL, data)
    assert response.status_code == 302
    assert _last_message(response) == message
    assert InboxItem.objects.filter(pk=item.pk, read=False).exists()


def test_csrf_is_required(reader):
    item = _item(reader, "Protected")
    client = Client(enforce_csrf_checks=True)
    client.force_login(reader)
    assert client.post(URL, {"action": "delete", "items": [item.pk]}).status_code == 403
    assert InboxItem.objects.filter(pk=item.pk).exists()
    page = client.get(URL).content.decode()
    assert 'name="csrfmiddlewaretoken"' in page


def test_menu_shows_the_unread_count(reader, client):
    page = client.get("/").content.decode()
    assert '<a href="/users/cosette/inbox">Inbox</a>' in page
    _item(reader, "one")
    _item(reader, "two")
    _item(reader, "three")
    _item(reader, "read", read=True)
    _item(UserFactory(username="marius"), "not mine")
    page = client.get("/").content.decode()
    assert '<a href="/users/cosette/inbox">Inbox (3)</a>' in page
    assert "/inbox" not in Client().get("/").content.decode()  # guests have no inbox


def test_paginates_at_twenty(reader, client):
    for n in range(25):
        _item(reader, f"Message {n:02}", minutes=n)
    first = client.get(URL).content.decode()
    assert "Message 00" in first and "Message 19" in first and "Message 20" not in first
    second = client.get(URL + "?page=2").content.decode()
    assert "Message 24" in second and "Message 19" not in second
    assert client.get(URL + "?page=9").status_code == 404


def test_email_preferences_are_on_the_preferences_page_and_saved(reader, client):
    url = "/users/cosette/preferences"
    page = client.get(url).content.decode()
    for label in (
        "Turn off emails about comments",
        "Turn off emails about subscriptions",
        "Turn off emails about kudos",
    ):
        assert label in page
    assert re.search(r'<input type="checkbox" name="kudos_emails_off"[^>]* checked>', page)
    data = {"theme": "light", "font_size": "100", "history_enabled": "on"}
    data["subscription_emails_off"] = "on"
    response = client.post(url, data)
    assert response.status_code == 302
    preference = Preference.objects.get(user=reader)
    assert preference.subscription_emails_off
    assert not preference.comment_emails_off and not preference.kudos_emails_off
