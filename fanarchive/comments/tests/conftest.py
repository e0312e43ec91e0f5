"""Fixtures for the comments tests: a posted work by `writer`, readers (an established account
and a new one), their logged-in clients, and helpers to post through the pages."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.core.text import text_to_html
from fanarchive.works.models import Chapter
from fanarchive.works.tests.factories import WorkFactory


@pytest.fixture(autouse=True)
def _no_debug(settings):
    settings.DEBUG = False
    settings.FANARCHIVE_SITE_URL = "https://archive.example.org"


def old_account(username):
    """An account older than the new-account comment limit applies to."""
    user = UserFactory(username=username)
    user.date_joined = timezone.now() - datetime.timedelta(days=60)
    user.save(update_fields=["date_joined"])
    return user


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def writer(db):
    return old_account("hugo")


@pytest.fixture
def writer_client(writer):
    return logged_in(writer)


@pytest.fixture
def work(writer):
    return WorkFactory(title="Les Misérables", creator=writer.pseuds.get(is_default=True))


@pytest.fixture
def chapter(work):
    return work.chapters.get()


@pytest.fixture
def reader(db):
    return old_account("cosette")


@pytest.fixture
def reader_client(reader):
    return logged_in(reader)


@pytest.fixture
def other(db):
    return old_account("marius")


@pytest.fixture
def other_client(other):
    return logged_in(other)


@pytest.fixture
def newbie(db):
    return UserFactory(username="newbie")  # joined just now


@pytest.fixture
def newbie_client(newbie):
    return logged_in(newbie)


def add_chapter(work, title="Second", posted=True):
    position = work.chapters.count() + 1
    chapter = Chapter.objects.create(
        work=work,
        position=position,
        title=title,
        text=text_to_html(f"Text of {title}."),
        published=work.published,
        posted=posted,
    )
    work.chapter_count = work.chapters.filter(posted=True).count()
    work.expected_chapters = None
    work.save()
    return chapter


def post_comment(client, work, chapter, text="What a chapter!", **extra):
    return client.post(
        f"/works/{work.pk}/chapters/{chapter.pk}/comments", {"content": text, **extra}
    )


def post_reply(client, comment, text="Thank you!", **extra):
    return client.post(f"/comments/{comment.pk}/reply", {"content": text, **extra})
