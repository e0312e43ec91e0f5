"""Helpers for the bookmarks and history tests: works stored the way posting stores them
(filters, stats, series) through works.services, and logged-in clients."""

from __future__ import annotations

import datetime

from django.test import Client

from fanarchive.accounts.tests.factories import UserFactory
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.models import Work
from fanarchive.works.services import ChapterDraft, WorkDraft, work_create


def make_work(
    title: str = "The Barricade",
    *,
    creator=None,
    tags=(),
    restricted: bool = False,
    posted: bool = True,
    chapters: int = 1,
    complete: bool = True,
    words: str = "The lamps were lit one by one.",
    series: tuple[str, int] | None = None,
    rating: str = "General Audiences",
) -> Work:
    pseud = (creator or UserFactory()).pseuds.get(is_default=True)
    return work_create(
        draft=WorkDraft(
            title=title,
            creators=[pseud],
            chapters=[ChapterDraft(text=f"<p>{words} {n}</p>") for n in range(1, chapters + 1)],
            published=datetime.date(2024, 3, 1),
            tags=[
                Tag.objects.get(name=rating),
                Tag.objects.get(name="No Archive Warnings Apply"),
                *tags,
            ],
            language="en",
            restricted=restricted,
            posted=posted,
            complete=complete,
            expected_chapters=chapters if complete else None,
            series=[series] if series else [],
        )
    )


def fandom(name: str = "Les Misérables - Victor Hugo") -> Tag:
    return TagFactory(name=name, type=TagType.FANDOM, canonical=True)


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client
