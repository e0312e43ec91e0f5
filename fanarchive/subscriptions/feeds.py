"""Atom feeds for guests (Django's syndication framework): `/tags/<name>/feed.atom` (the works
filtered under a tag, the same set as its works page; a synonym's feed is its canonical's, as
on AO3) and `/users/<login>/works/feed.atom` (a creator's works). The newest 20 works, each
with title, link, creators, dates, and AO3's feed summary (byline, summary, words, chapters,
language, series, tags) as sanitized HTML.

A feed is the same for everyone: it lists only what a guest may see (`visible_works` with an
anonymous viewer), so restricted works, drafts and hidden works never appear in it, whoever
fetches it. (Feed readers fetch without the reader's session anyway.)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from fanarchive.accounts.selectors import user_by_login
from fanarchive.core.sanitize import sanitize_html
from fanarchive.tags.models import TagType
from fanarchive.tags.selectors import tag_by_name
from fanarchive.works.languages import language_name
from fanarchive.works.models import SeriesWork, Work
from fanarchive.works.selectors import (
    WorkMeta,
    with_blurb_data,
    work_meta,
    works_by_user,
    works_with_tag,
)

FEED_SIZE = 20
FEED_ORDER = ("-published", "-id")  # newest posted first (AO3: created_at)
TAG_LABELS = {
    TagType.RATING: "Rating",
    TagType.WARNING: "Archive Warnings",
    TagType.CATEGORY: "Categories",
    TagType.FANDOM: "Fandoms",
    TagType.RELATIONSHIP: "Relationships",
    TagType.CHARACTER: "Characters",
    TagType.FREEFORM: "Additional Tags",
}


@dataclass
class FeedSource:
    """What one feed request lists (built per request: a Feed instance is shared)."""

    title: str
    link: str
    description: str
    works: QuerySet[Work]
    origin: str  # "https://archive.example" — for absolute links inside the entries' HTML


@dataclass
class FeedEntry:
    meta: WorkMeta
    link: str
    html: SafeString


def _as_datetime(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


def _entry_html(meta: WorkMeta, series: list[SeriesWork], origin: str) -> SafeString:
    """AO3's feed summary: by-line, summary, figures, series, then the tags by type."""
    work = meta.work
    byline = format_html_join(
        ", ",
        '<a href="{}{}">{}</a>',
        (
            (origin, reverse("works:pseud_works", args=[p.user.username, p.name]), p.byline)
            for p in meta.creators
        ),
    )
    parts = [format_html("<p>by {}</p>", byline or "Anonymous")]
    if work.summary:
        parts.append(mark_safe(sanitize_html(work.summary)))
    parts.append(
        format_html(
            "<p>Words: {}, Chapters: {}, Language: {}</p>",
            work.word_count,
            work.chapters_display,
            language_name(work.language) if work.language else "Unknown",
        )
    )
    if series:
        parts.append(
            format_html(
                "<p>Series: {}</p>",
                format_html_join(
                    ", ",
                    'Part {} of <a href="{}{}">{}</a>',
                    (
                        (
                            part.position,
                            origin,
                            reverse("downloads:series", args=[part.series_id]),
                            part.series.title,
                        )
                        for part in series
                    ),
                ),
            )
        )
    items = []
    for tag_type in TagType.work_order():
        tags = meta.tags.get(tag_type, [])
        if tags:
            links = format_html_join(
                ", ",
                '<a href="{}{}">{}</a>',
                ((origin, reverse("search:tag_works", args=[t.name]), t.name) for t in tags),
            )
            items.append(format_html("<li>{}: {}</li>", TAG_LABELS[tag_type], links))
    if items:
        parts.append(format_html("<ul>{}</ul>", mark_safe("".join(items))))
    return mark_safe("".join(parts))


class WorksFeed(Feed):
    feed_type = Atom1Feed

    def source(self, request: HttpRequest, **kwargs: str) -> FeedSource:  # pragma: no cover
        raise NotImplementedError

    def get_object(self, request: HttpRequest, *args: str, **kwargs: str) -> FeedSource:
        return self.source(request, **kwargs)

    def title(self, obj: FeedSource) -> str:
        return obj.title

    def link(self, obj: FeedSource) -> str:
        return obj.link

    def subtitle(self, obj: FeedSource) -> str:
        return obj.description

    def items(self, obj: FeedSource) -> list[FeedEntry]:
        works = list(with_blurb_data(obj.works.order_by(*FEED_ORDER))[:FEED_SIZE])
        series: dict[int, list[SeriesWork]] = {}
        for part in (
            SeriesWork.objects.filter(work__in=works).select_related("series").order_by("id")
        ):
            series.setdefault(part.work_id, []).append(part)
        return [
            FeedEntry(
                meta=work_meta(work),
                link=reverse("works:work", args=[work.pk]),
                html=_entry_html(work_meta(work), series.get(work.pk, []), obj.origin),
            )
            for work in works
        ]

    def item_title(self, item: FeedEntry) -> str:
        return item.meta.work.title

    def item_link(self, item: FeedEntry) -> str:
        return item.link

    def item_description(self, item: FeedEntry) -> str:
        return item.html

    def item_author_name(self, item: FeedEntry) -> str:
        return ", ".join(p.byline for p in item.meta.creators) or "Anonymous"

    def item_pubdate(self, item: FeedEntry) -> datetime.datetime:
        return _as_datetime(item.meta.work.published)

    def item_updateddate(self, item: FeedEntry) -> datetime.datetime:
        return _as_datetime(item.meta.work.updated)

    def item_categories(self, item: FeedEntry) -> list[str]:
        return [
            t.name for tag_type in TagType.work_order() for t in item.meta.tags.get(tag_type, [])
        ]


def _origin(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


class TagWorksFeed(WorksFeed):
    """`/tags/<name>/feed.atom`."""

    def source(self, request: HttpRequest, **kwargs: str) -> FeedSource:
        tag = tag_by_name(kwargs["name"])
        if tag is None:
            raise Http404("No such tag")
        if tag.merger_id is not None and tag.merger is not None:
            tag = tag.merger  # a synonym's feed is its canonical's (AO3)
        return FeedSource(
            title=f"Works tagged “{tag.name}”",
            link=reverse("search:tag_works", args=[tag.name]),
            description=f"The newest works filtered under {tag.name}.",
            works=works_with_tag(viewer=AnonymousUser(), tag=tag),
            origin=_origin(request),
        )


class CreatorWorksFeed(WorksFeed):
    """`/users/<login>/works/feed.atom`."""

    def source(self, request: HttpRequest, **kwargs: str) -> FeedSource:
        user = user_by_login(kwargs["login"])
        if user is None or not (user.is_active or user.is_imported):
            raise Http404("No such user")
        return FeedSource(
            title=f"Works by {user.username}",
            link=reverse("works:user_works", args=[user.username]),
            description=f"The newest works by {user.username}.",
            works=works_by_user(viewer=AnonymousUser(), user=user),
            origin=_origin(request),
        )
