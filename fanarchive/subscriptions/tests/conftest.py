"""Fixtures for the subscription and feed tests: writers, readers, works posted through the
works services (so that the posting signals and the filter rows are the real ones)."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.services import ChapterDraft, SeriesPlacement, WorkDraft, work_post


@pytest.fixture(autouse=True)
def _tasks_recorded(settings):
    # Scheduled posting enqueues with run_after: the dummy backend records what was queued.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    from django_tasks import default_task_backend

    default_task_backend.clear()
    yield
    if hasattr(default_task_backend, "clear"):
        default_task_backend.clear()


@pytest.fixture
def writer(db):
    return UserFactory(username="hugo")


@pytest.fixture
def reader(db):
    return UserFactory(username="cosette")


@pytest.fixture
def reader_client(reader):
    client = Client()
    client.force_login(reader)
    return client


@pytest.fixture
def writer_client(writer):
    client = Client()
    client.force_login(writer)
    return client


@pytest.fixture
def fandom(db):
    return TagFactory(name="Les Misérables - Victor Hugo", type=TagType.FANDOM, canonical=True)


def post_work(
    user,
    title="The Barricade",
    *,
    tags=(),
    summary="<p>Two men and a city.</p>",
    posted=True,
    restricted=False,
    series=None,
    chapters=1,
    expected=None,
    publish_at=None,
    published=None,
):
    """A work posted (or saved as a draft) through `work_post`, as the posting form does."""
    pseud = user.pseuds.get(is_default=True)
    fixed = [
        Tag.objects.get(name="General Audiences"),
        Tag.objects.get(name="No Archive Warnings Apply"),
    ]
    drafts = [ChapterDraft(text=f"<p>Chapter {n} text.</p>") for n in range(1, chapters + 1)]
    day = published or datetime.date(2025, 1, 1)
    draft = WorkDraft(
        title=title,
        creators=[pseud],
        chapters=drafts,
        published=day,
        tags=[*fixed, *tags],
        summary=summary,
        posted=posted,
        restricted=restricted,
        expected_chapters=expected if expected is not None else chapters,
        complete=expected == chapters if expected else True,
        publish_at=publish_at,
        language="en",
    )
    placement = (
        SeriesPlacement(title=series)
        if isinstance(series, str)
        else (SeriesPlacement(series=series) if series is not None else None)
    )
    return work_post(draft=draft, series=placement)
