"""Telling subscribers: a chapter posted (subscribers of its work, its series and its
creators) and a work posted (subscribers of its series and its creators), in the inbox and by
email (`inbox.services.notify`, which honours the email preferences).

The works app sends `work_posted` / `chapter_posted` inside the posting transaction; the
receivers here only remember what to do and deliver once it has committed, so a rolled-back
posting tells nobody. Delivery looks at the work again: drafts and hidden works are never
announced, restricted works only to readers the gate lets read them (every subscriber is an
account, so logged in), and the creators are never told about their own posting.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.core.text import html_to_text
from fanarchive.inbox.models import InboxItem
from fanarchive.inbox.services import notify
from fanarchive.tags.models import TagType
from fanarchive.works.models import Chapter, SeriesWork, Work, WorkTag
from fanarchive.works.permissions import can_view_work, creatorships_prefetch

from .models import Subscription

logger = logging.getLogger(__name__)

EXCERPT = 300


def on_work_posted(sender: Any, work: Work, **kwargs: Any) -> None:
    work_id = work.pk
    transaction.on_commit(lambda: _safely(deliver_work_posted, work_id))


def on_chapter_posted(sender: Any, work: Work, chapter: Chapter, **kwargs: Any) -> None:
    chapter_id = chapter.pk
    transaction.on_commit(lambda: _safely(deliver_chapter_posted, chapter_id))


def _safely(deliver: Any, object_id: int) -> None:
    """The posting has committed: a failure to notify is logged, never the writer's error."""
    try:
        deliver(object_id)
    except Exception:
        logger.exception("could not notify subscribers (%s %s)", deliver.__name__, object_id)


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _announced(work_id: int) -> Work | None:
    """The work if it may be announced at all: posted and not hidden by an administrator."""
    work = Work.objects.prefetch_related(creatorships_prefetch()).filter(pk=work_id).first()
    if work is None or not work.posted or work.hidden_by_admin:
        return None
    return work


def _recipients(work: Work, subscriptions: Q) -> list[User]:
    """Each subscriber once (by whichever subscriptions): active accounts the gate lets read
    `work`, never one of its creators."""
    creators = {c.pseud.user_id for c in work.creatorships.all()}
    rows = (
        Subscription.objects.filter(subscriptions)
        .exclude(user_id__in=creators)
        .select_related("user")
        .order_by("user_id", "id")
    )
    users: dict[int, User] = {}
    for subscription in rows:
        users.setdefault(subscription.user_id, subscription.user)
    return [user for user in users.values() if user.is_active and can_view_work(user, work)]


def _about(work: Work) -> tuple[str, list[str]]:
    """The byline and a few plain-text lines describing `work` (fandoms, series, words)."""
    byline = ", ".join(c.pseud.byline for c in work.creatorships.all())
    fandoms = list(
        WorkTag.objects.filter(work=work, tag__type=TagType.FANDOM)
        .order_by("position", "id")
        .values_list("tag__name", flat=True)
    )
    lines = []
    if fandoms:
        lines.append("Fandom: " + ", ".join(fandoms))
    for part in SeriesWork.objects.filter(work=work).select_related("series").order_by("id"):
        lines.append(f"Part {part.position} of {part.series.title}")
    lines.append(f"Words: {work.word_count}, Chapters: {work.chapters_display}")
    return byline, lines


def _send(users: Iterable[User], *, subject: str, text: str, url: str) -> int:
    count = 0
    with transaction.atomic():
        for user in users:
            notify(user, kind=InboxItem.Kind.SUBSCRIPTION, subject=subject, text=text, url=url)
            count += 1
    return count


def _series_ids(work: Work) -> list[int]:
    return list(SeriesWork.objects.filter(work=work).values_list("series_id", flat=True))


def _creator_ids(work: Work) -> list[int]:
    return [c.pseud.user_id for c in work.creatorships.all()]


def deliver_work_posted(work_id: int) -> int:
    """Tell the subscribers of a new work's series and creators; returns how many."""
    work = _announced(work_id)
    if work is None:
        return 0
    users = _recipients(
        work, Q(series_id__in=_series_ids(work)) | Q(creator_id__in=_creator_ids(work))
    )
    if not users:
        return 0
    byline, lines = _about(work)
    summary = _excerpt(html_to_text(work.summary))
    text = "\n".join([f"“{work.title}” by {byline}", *lines, *([summary] if summary else [])])
    url = reverse("works:work", kwargs={"work_id": work.pk})
    return _send(users, subject=f"{byline} posted “{work.title}”", text=text, url=url)


def deliver_chapter_posted(chapter_id: int) -> int:
    """Tell the subscribers of a chapter's work, its series and its creators; returns how
    many. A chapter of a draft or hidden work, or one no longer posted, tells nobody."""
    chapter = Chapter.objects.filter(pk=chapter_id, posted=True).first()
    if chapter is None:
        return 0
    work = _announced(chapter.work_id)
    if work is None:
        return 0
    users = _recipients(
        work,
        Q(work_id=work.pk)
        | Q(series_id__in=_series_ids(work))
        | Q(creator_id__in=_creator_ids(work)),
    )
    if not users:
        return 0
    # Readers number the chapters they can see (drafts take positions too).
    number = Chapter.objects.filter(work=work, posted=True, position__lte=chapter.position).count()
    heading = f"Chapter {number}" + (f": {chapter.title}" if chapter.title else "")
    byline, lines = _about(work)
    excerpt = _excerpt(html_to_text(chapter.summary) or html_to_text(chapter.text))
    text = "\n".join([f"{heading} of “{work.title}” by {byline}", *lines, excerpt])
    url = reverse("works:chapter", kwargs={"work_id": work.pk, "chapter_id": chapter.pk})
    subject = f"{byline} posted Chapter {number} of “{work.title}”"
    return _send(users, subject=subject, text=text, url=url)
