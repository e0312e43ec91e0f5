"""notify: an inbox item, and an email after commit unless the preferences turn that kind off."""

from __future__ import annotations

import pytest
from django.core import mail

from fanarchive.accounts.models import Preference
from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.inbox.models import InboxItem
from fanarchive.inbox.services import inbox_delete, inbox_mark, notify, wants_email

pytestmark = pytest.mark.django_db
Kind = InboxItem.Kind


@pytest.fixture
def reader():
    return UserFactory(username="cosette")


def test_notify_puts_an_item_in_the_inbox_and_mails_after_commit(
    reader, settings, django_capture_on_commit_callbacks
):
    settings.FANARCHIVE_SITE_URL = "https://archive.example"
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        item = notify(
            reader,
            kind=Kind.COMMENT,
            subject="marius commented on “Les Mis”",
            text="What a chapter!",
            url="/works/3/chapters/4#comment_9",
        )
        assert mail.outbox == []  # nothing before the commit
    assert InboxItem.objects.get() == item and not item.read
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["cosette@example.org"]
    assert message.subject == "marius commented on “Les Mis”"
    assert "What a chapter!" in message.body
    assert "https://archive.example/works/3/chapters/4#comment_9" in message.body
    assert "https://archive.example/users/cosette/preferences" in message.body
    assert message.content_subtype == "plain" and not message.alternatives


@pytest.mark.parametrize(
    ("preference", "kinds_off"),
    [
        ("comment_emails_off", {Kind.COMMENT, Kind.REPLY}),
        ("subscription_emails_off", {Kind.SUBSCRIPTION}),
    ],
)
def test_each_email_preference_turns_off_its_kinds_only(reader, preference, kinds_off):
    Preference.objects.create(user=reader, kudos_emails_off=False, **{preference: True})
    for kind in Kind:
        assert wants_email(reader, kind) is (kind not in kinds_off), kind


def test_defaults_email_everything_but_kudos(reader):
    assert {kind for kind in Kind if wants_email(reader, kind)} == {
        Kind.COMMENT,
        Kind.REPLY,
        Kind.SUBSCRIPTION,
        Kind.NOTICE,
    }
    Preference.objects.create(user=reader, kudos_emails_off=False)
    assert wants_email(reader, Kind.KUDOS)


def test_no_email_without_an_address_or_for_an_inactive_account(db):
    assert not wants_email(UserFactory(username="noaddress", email=""), Kind.NOTICE)
    assert not wants_email(UserFactory(username="gone", is_active=False), Kind.NOTICE)


def test_a_preference_off_keeps_the_inbox_item_without_mail(
    reader, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=reader, comment_emails_off=True)
    with django_capture_on_commit_callbacks(execute=True):
        notify(reader, kind=Kind.REPLY, subject="A reply", text="Hi")
        notify(reader, kind=Kind.NOTICE, subject="A notice")
    assert InboxItem.objects.filter(user=reader).count() == 2
    assert [m.subject for m in mail.outbox] == ["A notice"]


def test_email_false_never_mails(reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(reader, kind=Kind.NOTICE, subject="Quiet", email=False)
    assert mail.outbox == [] and InboxItem.objects.count() == 1


def test_mark_and_delete_touch_only_the_owners_items(reader):
    other = UserFactory(username="marius")
    mine = [
        InboxItem.objects.create(user=reader, kind=Kind.NOTICE, subject=f"{n}") for n in range(3)
    ]
    theirs = InboxItem.objects.create(user=other, kind=Kind.NOTICE, subject="theirs")
    ids = [mine[0].pk, mine[1].pk, theirs.pk]
    assert inbox_mark(user=reader, item_ids=ids, read=True) == 2
    assert set(InboxItem.objects.filter(read=True).values_list("pk", flat=True)) == {
        mine[0].pk,
        mine[1].pk,
    }
    assert inbox_mark(user=reader, item_ids=[mine[0].pk], read=False) == 1
    assert inbox_delete(user=reader, item_ids=ids) == 2
    assert set(InboxItem.objects.values_list("pk", flat=True)) == {mine[2].pk, theirs.pk}


def test_a_subject_with_line_breaks_is_one_line_in_the_inbox_and_the_email(
    reader, django_capture_on_commit_callbacks
):
    # A guest's name (or any text a subject is built from) may carry line breaks: an email
    # header cannot, and the send after commit must not fail the request that notified.
    with django_capture_on_commit_callbacks(execute=True):
        item = notify(reader, kind=Kind.COMMENT, subject="Gav\r\nBcc: x@evil.example commented")
    assert item.subject == "Gav Bcc: x@evil.example commented"
    [message] = mail.outbox
    assert message.subject == "Gav Bcc: x@evil.example commented"
    assert message.bcc == [] and message.to == ["cosette@example.org"]
