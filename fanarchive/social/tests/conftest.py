"""Fixtures for the social tests: a creator with a posted work, a reader, their clients."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.tags.models import Tag
from fanarchive.works.services import ChapterDraft, WorkDraft, work_create


def make_work(
    title="The Barricade at Dawn", *, creators, tags=(), restricted=False, chapters=1, posted=True
):
    """A posted work (through the works service, so search and tag listings know it)."""
    return work_create(
        draft=WorkDraft(
            title=title,
            creators=[
                c.pseuds.get(is_default=True) if hasattr(c, "pseuds") else c for c in creators
            ],
            chapters=[
                ChapterDraft(text=f"<p>Chapter {n} of {title}.</p>", title=f"Part {n}")
                for n in range(1, chapters + 1)
            ],
            published=datetime.date(2024, 3, 1),
            tags=[
                Tag.objects.get(name="General Audiences"),
                Tag.objects.get(name="No Archive Warnings Apply"),
                *tags,
            ],
            language="en",
            summary="<p>A summary.</p>",
            restricted=restricted,
            posted=posted,
            expected_chapters=chapters,
        )
    )


def client_for(user, **kwargs):
    client = Client(**kwargs)
    client.force_login(user)
    return client


@pytest.fixture
def author(db):
    return UserFactory(username="hugo")


@pytest.fixture
def reader(db):
    return UserFactory(username="cosette")


@pytest.fixture
def reader_client(reader):
    return client_for(reader)


@pytest.fixture
def author_client(author):
    return client_for(author)


@pytest.fixture
def work(author):
    return make_work(creators=[author])
