"""Subscribers are told about new chapters and works (inbox and email), and only about what
they may read: never drafts or hidden works, never the creators themselves."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from fanarchive.accounts.models import Preference
from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.inbox.models import InboxItem
from fanarchive.subscriptions.models import Subscription
from fanarchive.subscriptions.notifications import deliver_chapter_posted, deliver_work_posted
from fanarchive.works.chapters import (
    ChapterContent,
    chapter_add,
    chapter_post,
    chapters_post_due,
)
from fanarchive.works.models import Series, Work
from fanarchive.works.services import work_publish, works_post_due

from .conftest import post_work

pytestmark = pytest.mark.django_db


def _items(user):
    return list(InboxItem.objects.filter(user=user).order_by("id"))


def _add_chapter(work, capture, *, post=True, publish_at=None, text="The next morning."):
    with capture(execute=True):
        return chapter_add(
            work=work,
            content=ChapterContent(text=text, title="Dawn"),
            post=post,
            publish_at=publish_at,
        )


def test_a_posted_chapter_reaches_the_works_subscribers_inbox_and_email(
    writer, reader, django_capture_on_commit_callbacks, settings
):
    settings.FANARCHIVE_SITE_URL = "https://archive.example"
    work = post_work(writer, "Les Mis", chapters=1, expected=None)
    Subscription.objects.create(user=reader, work=work)
    mail.outbox.clear()
    chapter = _add_chapter(work, django_capture_on_commit_callbacks)
    [item] = _items(reader)
    assert item.kind == InboxItem.Kind.SUBSCRIPTION
    assert item.subject == "hugo posted Chapter 2 of “Les Mis”"
    assert item.url == f"/works/{work.pk}/chapters/{chapter.pk}"
    assert "Chapter 2: Dawn" in item.text and "The next morning." in item.text
    assert not item.read
    [message] = mail.outbox
    assert message.to == [reader.email]
    assert message.subject == item.subject
    assert f"https://archive.example/works/{work.pk}/chapters/{chapter.pk}" in message.body
    assert "<" not in message.body  # plain text
    assert _items(writer) == []  # the creator is not told about their own chapter


def test_chapter_reaches_creator_and_series_subscribers_once_each(
    writer, reader, django_capture_on_commit_callbacks
):
    work = post_work(writer, "In a series", series="The Saga")
    series = Series.objects.get(title="The Saga")
    other = UserFactory(username="marius")
    Subscription.objects.create(user=reader, work=work)
    Subscription.objects.create(user=reader, creator=writer)  # twice over: still one item
    Subscription.objects.create(user=other, series=series)
    mail.outbox.clear()
    _add_chapter(work, django_capture_on_commit_callbacks)
    assert len(_items(reader)) == 1
    assert len(_items(other)) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([reader.email, other.email])


def test_a_new_work_in_a_subscribed_series_is_announced(
    writer, reader, django_capture_on_commit_callbacks
):
    first = post_work(writer, "Part one", series="The Saga")
    series = Series.objects.get(title="The Saga")
    Subscription.objects.create(user=reader, series=series)
    Subscription.objects.create(user=reader, work=first)  # work subscriptions: chapters only
    with django_capture_on_commit_callbacks(execute=True):
        second = post_work(writer, "Part two", series=series)
    [item] = _items(reader)
    assert item.subject == "hugo posted “Part two”"
    assert item.url == f"/works/{second.pk}"
    assert "Part 2 of The Saga" in item.text
    assert "Two men and a city." in item.text  # the summary, as plain text
    assert len(mail.outbox) == 1


def test_a_new_work_by_a_subscribed_creator_is_announced(
    writer, reader, django_capture_on_commit_callbacks
):
    Subscription.objects.create(user=reader, creator=writer)
    with django_capture_on_commit_callbacks(execute=True):
        work = post_work(writer, "Brand new")
    [item] = _items(reader)
    assert item.url == f"/works/{work.pk}"
    [message] = mail.outbox
    assert "Brand new" in message.subject


def test_drafts_are_never_announced(writer, reader, django_capture_on_commit_callbacks):
    Subscription.objects.create(user=reader, creator=writer)
    with django_capture_on_commit_callbacks(execute=True):
        draft = post_work(writer, "Secret draft", posted=False)
    assert _items(reader) == []
    # A chapter posted on a draft work, and a draft chapter of a posted work: nothing either.
    _add_chapter(draft, django_capture_on_commit_callbacks)
    work = post_work(writer, "Posted")  # (announced: outside capture, nothing runs)
    Subscription.objects.create(user=reader, work=work)
    _add_chapter(work, django_capture_on_commit_callbacks, post=False)
    assert _items(reader) == []
    assert mail.outbox == []


def test_posting_a_draft_announces_it_then(writer, reader, django_capture_on_commit_callbacks):
    Subscription.objects.create(user=reader, creator=writer)
    draft = post_work(writer, "Later", posted=False)
    with django_capture_on_commit_callbacks(execute=True):
        work_publish(work=draft)
    [item] = _items(reader)
    assert item.url == f"/works/{draft.pk}"


def test_posting_a_draft_chapter_announces_it(writer, reader, django_capture_on_commit_callbacks):
    work = post_work(writer, "Work")
    Subscription.objects.create(user=reader, work=work)
    chapter = _add_chapter(work, django_capture_on_commit_callbacks, post=False)
    assert _items(reader) == []
    with django_capture_on_commit_callbacks(execute=True):
        chapter_post(chapter=chapter)
    [item] = _items(reader)
    assert item.url.endswith(f"/chapters/{chapter.pk}")


def test_scheduled_chapters_and_works_are_announced_when_posted(
    writer, reader, django_capture_on_commit_callbacks
):
    soon = timezone.now() + datetime.timedelta(hours=1)
    work = post_work(writer, "Serial")
    Subscription.objects.create(user=reader, work=work)
    Subscription.objects.create(user=reader, creator=writer)
    chapter = _add_chapter(work, django_capture_on_commit_callbacks, publish_at=soon)
    with django_capture_on_commit_callbacks(execute=True):
        scheduled = post_work(writer, "Scheduled work", posted=False, publish_at=soon)
    assert _items(reader) == []
    later = soon + datetime.timedelta(minutes=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert chapters_post_due(now=later) == [chapter.pk]
        assert works_post_due(now=later, work_ids=[scheduled.pk])[0] == [scheduled.pk]
    urls = sorted(item.url for item in _items(reader))
    assert urls == sorted([f"/works/{work.pk}/chapters/{chapter.pk}", f"/works/{scheduled.pk}"])


def test_restricted_work_reaches_subscribers_who_are_all_logged_in(
    writer, reader, django_capture_on_commit_callbacks
):
    Subscription.objects.create(user=reader, creator=writer)
    with django_capture_on_commit_callbacks(execute=True):
        post_work(writer, "Members only", restricted=True)
    assert len(_items(reader)) == 1


def test_hidden_works_are_never_announced(writer, reader, django_capture_on_commit_callbacks):
    work = post_work(writer, "Hidden later")
    Subscription.objects.create(user=reader, work=work)
    Work.objects.filter(pk=work.pk).update(hidden_by_admin=True)
    chapter = _add_chapter(work, django_capture_on_commit_callbacks)
    assert _items(reader) == []
    assert deliver_chapter_posted(chapter.pk) == 0
    assert deliver_work_posted(work.pk) == 0


def test_creators_are_never_told_about_their_own_posting(writer, reader):
    work = post_work(writer, "Mine", series="My Saga")
    # Subscriptions made before the subscriber became a creator (the services refuse them).
    Subscription.objects.create(user=writer, work=work)
    Subscription.objects.create(user=writer, creator=writer)
    Subscription.objects.create(user=writer, series=Series.objects.get(title="My Saga"))
    Subscription.objects.create(user=reader, creator=writer)
    assert deliver_work_posted(work.pk) == 1
    assert _items(writer) == []


def test_inactive_subscribers_are_skipped(writer, reader, django_capture_on_commit_callbacks):
    Subscription.objects.create(user=reader, creator=writer)
    reader.is_active = False
    reader.save()
    with django_capture_on_commit_callbacks(execute=True):
        post_work(writer, "Nobody listens")
    assert _items(reader) == []


def test_subscription_email_preference_keeps_the_inbox_item_but_sends_no_mail(
    writer, reader, django_capture_on_commit_callbacks
):
    Preference.objects.create(user=reader, subscription_emails_off=True)
    Subscription.objects.create(user=reader, creator=writer)
    with django_capture_on_commit_callbacks(execute=True):
        post_work(writer, "Quiet")
    assert len(_items(reader)) == 1
    assert mail.outbox == []


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_posting_tells_nobody(writer, reader):
    Subscription.objects.create(user=reader, creator=writer)

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        post_work(writer, "Never posted")
        raise Boom
    assert _items(reader) == []
    assert mail.outbox == []
    # A posting that commits is delivered at once (no test capture here).
    post_work(writer, "Posted for real")
    assert [i.subject for i in _items(reader)] == ["hugo posted “Posted for real”"]
    assert len(mail.outbox) == 1
