"""Bookmark reads: one bookmark, a reader's or a work's bookmarks with filters, the export.

Visibility: a bookmark is shown only when the viewer may see what it bookmarks — a work that
`visible_works(viewer)` lists, or a series with at least one such work — and, when private,
only to its owner. A series whose works the viewer may not see is not shown at all.

"Finding works" filters over the bookmarked works: the search backend interface answers a
WorkQuery with one page of ids and cannot be narrowed to a set of ids, so the bookmarks pages
use the reference backend's `matching()` — the very conditions every listing uses, as one
queryset starting from `visible_works(viewer)` — as a subquery intersected with the bookmarked
works (a series bookmark matches when one of its works does). That queryset is also the gate:
with no filter it is exactly `visible_works(viewer)`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from fanarchive.core.paging import PagedListing
from fanarchive.search.backends.base import FacetTag, resolve_query
from fanarchive.search.backends.reference import ReferenceBackend
from fanarchive.search.query import WorkQuery
from fanarchive.tags.models import Tag
from fanarchive.tags.names import tag_key
from fanarchive.works.models import Series, SeriesWork, Work
from fanarchive.works.permissions import visible_works
from fanarchive.works.selectors import WorkMeta, with_blurb_data, work_meta

from .models import Bookmark, BookmarkTag

if TYPE_CHECKING:
    from fanarchive.accounts.models import Pseud, User
    from fanarchive.works.permissions import Viewer

PER_PAGE = 20
SORTS = {"created_at": "Date Bookmarked", "bookmarkable_date": "Date Updated"}
FACET_LIMIT = 10


def _is_owner(viewer: Viewer, user_id: int | None) -> bool:
    return bool(viewer.is_authenticated and viewer.pk == user_id)


def bookmark_of(
    *, user: Any, work: Work | None = None, series: Series | None = None
) -> Bookmark | None:
    """`user`'s bookmark of `work` or `series`, if any (None for guests)."""
    if not getattr(user, "is_authenticated", False):
        return None
    item = {"work": work} if work is not None else {"series": series}
    return Bookmark.objects.filter(user=user, **item).first()


def access_series(viewer: Viewer, series_id: int) -> Series:
    """The series if `viewer` may see at least one of its works; else Http404."""
    series = Series.objects.filter(pk=series_id).first()
    if series is None or not _series_visible(viewer).filter(pk=series.pk).exists():
        raise Http404("No such series")
    return series


def _series_visible(viewer: Viewer, works: QuerySet[Work] | None = None) -> QuerySet[Series]:
    works = visible_works(viewer) if works is None else works
    return Series.objects.filter(
        pk__in=SeriesWork.objects.filter(work__in=works.values("id")).values("series_id")
    )


def _visible_items(viewer: Viewer, works: QuerySet[Work] | None = None) -> Q:
    """Bookmarks of works in `works` (default: what the viewer may see) or of series with one."""
    works = visible_works(viewer) if works is None else works
    in_series = SeriesWork.objects.filter(work__in=works.values("id")).values("series_id")
    return Q(work__in=works.values("id")) | Q(series__in=in_series)


def access_bookmark(viewer: Viewer, bookmark_id: int) -> Bookmark:
    """The bookmark if `viewer` may see it (its owner, or anyone for a public bookmark) and may
    see what it bookmarks; else Http404 (nobody learns a private bookmark exists)."""
    bookmark = (
        Bookmark.objects.filter(pk=bookmark_id)
        .select_related("user", "pseud__user", "series")
        .prefetch_related("tags")
        .first()
    )
    if bookmark is None:
        raise Http404("No such bookmark")
    if bookmark.private and not _is_owner(viewer, bookmark.user_id):
        raise Http404("No such bookmark")
    if not Bookmark.objects.filter(pk=bookmark.pk).filter(_visible_items(viewer)).exists():
        raise Http404("No such bookmark")
    return bookmark


def own_bookmark(viewer: Viewer, bookmark_id: int) -> Bookmark:
    """The viewer's own bookmark (for editing and deleting); else Http404."""
    bookmark = access_bookmark(viewer, bookmark_id)
    if not _is_owner(viewer, bookmark.user_id):
        raise Http404("No such bookmark")
    return bookmark


# --- Filters ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BookmarkFilters:
    """The bookmark-specific filters of a bookmarks page, from GET parameters."""

    rec: bool = False
    with_notes: bool = False
    tags: tuple[str, ...] = ()  # the bookmarker's tags; every one must be on the bookmark
    sort: str = "created_at"

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> tuple[BookmarkFilters, list[str]]:
        problems: list[str] = []

        def values(key: str) -> list[str]:
            if hasattr(params, "getlist"):
                return [str(v) for v in params.getlist(key)]
            value = params.get(key)
            return [] if value is None else [str(value)]

        def flag(key: str) -> bool:
            raw = (values(key) or [""])[-1].strip().lower()
            if raw in {"", "0", "no", "false", "off"}:
                return False
            if raw in {"1", "yes", "true", "on"}:
                return True
            problems.append(f"{key}: {raw!r} is not yes or no; ignored")
            return False

        tags: list[str] = []
        for value in values("bookmark_tag"):
            for part in value.split(","):
                name = " ".join(part.split())
                if name and tag_key(name) not in {tag_key(t) for t in tags}:
                    tags.append(name)
        sort = (values("sort_column") or ["created_at"])[-1].strip() or "created_at"
        if sort not in SORTS:
            problems.append(f"sort_column: {sort!r} is not a way to sort bookmarks; date used")
            sort = "created_at"
        return cls(
            rec=flag("rec"), with_notes=flag("with_notes"), tags=tuple(tags), sort=sort
        ), problems

    def to_params(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if self.rec:
            out.append(("rec", "1"))
        if self.with_notes:
            out.append(("with_notes", "1"))
        out += [("bookmark_tag", name) for name in self.tags]
        if self.sort != "created_at":
            out.append(("sort_column", self.sort))
        return out

    def apply(self, bookmarks: QuerySet[Bookmark]) -> QuerySet[Bookmark]:
        if self.rec:
            bookmarks = bookmarks.filter(rec=True)
        if self.with_notes:
            bookmarks = bookmarks.exclude(notes="")
        for name in self.tags:
            bookmarks = bookmarks.filter(
                Exists(BookmarkTag.objects.filter(bookmark=OuterRef("pk"), key=tag_key(name)))
            )
        return bookmarks


# --- Listing ------------------------------------------------------------------------------------


@dataclass
class SeriesBlurb:
    """What a series bookmark shows: the series and the works of it the viewer may see."""

    series: Series
    works: list[WorkMeta]

    @property
    def creators(self) -> list[Pseud]:
        seen: dict[int, Pseud] = {}
        for meta in self.works:
            for pseud in meta.creators:
                seen.setdefault(pseud.pk, pseud)
        return list(seen.values())

    @property
    def fandoms(self) -> list[Tag]:
        seen: dict[int, Tag] = {}
        for meta in self.works:
            for tag in meta.fandoms:
                seen.setdefault(tag.pk, tag)
        return list(seen.values())

    @property
    def word_count(self) -> int:
        return sum(meta.work.word_count for meta in self.works)

    @property
    def updated(self) -> datetime.date | None:
        return max((meta.work.updated for meta in self.works), default=None)


@dataclass
class BookmarkEntry:
    bookmark: Bookmark
    meta: WorkMeta | None = None
    series: SeriesBlurb | None = None

    @property
    def bookmarker(self) -> str:
        pseud = self.bookmark.pseud
        return pseud.byline if pseud is not None else self.bookmark.user.username


@dataclass
class BookmarkListing(PagedListing):
    entries: list[BookmarkEntry]
    query: WorkQuery
    filters: BookmarkFilters
    problems: list[str] = field(default_factory=list)
    facets: dict[str, list[tuple[FacetTag, int]]] = field(default_factory=dict)
    tag_facets: list[tuple[str, int]] = field(default_factory=list)


def _bookmarks_base(
    viewer: Viewer, *, owner: User | None, work: Work | None, series: Series | None
) -> QuerySet[Bookmark]:
    bookmarks = Bookmark.objects.all()
    if owner is not None:
        bookmarks = bookmarks.filter(user=owner)
    if work is not None:
        bookmarks = bookmarks.filter(work=work)
    if series is not None:
        bookmarks = bookmarks.filter(series=series)
    # Private bookmarks: their owner's eyes only.
    if viewer.is_authenticated:
        return bookmarks.filter(Q(private=False) | Q(user_id=viewer.pk))
    return bookmarks.filter(private=False)


def bookmark_listing(
    *,
    viewer: Viewer,
    query: WorkQuery | None = None,
    filters: BookmarkFilters | None = None,
    owner: User | None = None,
    work: Work | None = None,
    series: Series | None = None,
    page: int | str | None = 1,
    per_page: int = PER_PAGE,
    with_facets: bool = False,
) -> BookmarkListing:
    """One page of the bookmarks `viewer` may see — of `owner`, of `work` or of `series` —
    narrowed by the work filters of `query` and the bookmark `filters`. Raises
    django.core.paginator.InvalidPage for a page that does not exist."""
    query = query or WorkQuery()
    filters = filters or BookmarkFilters()
    resolved = resolve_query(query)
    matching = ReferenceBackend().matching(query, resolved, viewer)
    bookmarks = _bookmarks_base(viewer, owner=owner, work=work, series=series)
    bookmarks = filters.apply(bookmarks.filter(_visible_items(viewer, matching)))
    if filters.sort == "bookmarkable_date":
        # The bookmarked work's date updated, newest first (series bookmarks after works).
        bookmarks = bookmarks.order_by(
            F("work__updated").desc(nulls_last=True), "-created_at", "-id"
        )
    else:
        bookmarks = bookmarks.order_by("-created_at", "-id")
    paginator = Paginator(bookmarks, per_page, allow_empty_first_page=True)
    current = paginator.page(1 if page is None else page)
    entries = bookmark_entries(viewer, list(current.object_list))
    listing = BookmarkListing(
        page=current,
        entries=entries,
        query=query,
        filters=filters,
        problems=[f"No tag named {name!r}; it was left out." for name in resolved.unknown],
    )
    if with_facets:
        work_ids = bookmarks.filter(work__isnull=False).values("work_id")
        shown = matching.filter(pk__in=work_ids)
        listing.facets = ReferenceBackend().facets(shown, resolved, paginator.count, FACET_LIMIT)
        listing.tag_facets = [
            (row["name"], row["n"])
            for row in BookmarkTag.objects.filter(bookmark__in=bookmarks.values("id"))
            .values("key")
            .annotate(n=Count("id"), name=Min("name"))
            .order_by("-n", "key")[: FACET_LIMIT * 2]
        ]
    return listing


def bookmark_entries(viewer: Viewer, bookmarks: list[Bookmark]) -> list[BookmarkEntry]:
    """What each bookmark on a page shows, in a fixed number of queries: the bookmarks' owners,
    pseuds and tags, the works' blurb data, the series' visible works."""
    if not bookmarks:
        return []
    ids = [b.pk for b in bookmarks]
    loaded = {
        b.pk: b
        for b in Bookmark.objects.filter(pk__in=ids)
        .select_related("user", "pseud__user", "series")
        .prefetch_related(Prefetch("tags", queryset=BookmarkTag.objects.order_by("position", "id")))
    }
    work_ids = [b.work_id for b in bookmarks if b.work_id is not None]
    metas = {
        w.pk: work_meta(w) for w in with_blurb_data(visible_works(viewer).filter(pk__in=work_ids))
    }
    series_ids = [b.series_id for b in bookmarks if b.series_id is not None]
    series_works: dict[int, list[WorkMeta]] = {}
    if series_ids:
        links = list(
            SeriesWork.objects.filter(series_id__in=series_ids, work__in=visible_works(viewer))
            .order_by("position", "id")
            .values_list("series_id", "work_id")
        )
        works = {
            w.pk: work_meta(w)
            for w in with_blurb_data(Work.objects.filter(pk__in={wid for _s, wid in links}))
        }
        for series_id, work_id in links:
            series_works.setdefault(series_id, []).append(works[work_id])
    entries = []
    for b in bookmarks:
        bookmark = loaded[b.pk]
        if bookmark.work_id is not None and bookmark.work_id in metas:
            entries.append(BookmarkEntry(bookmark, meta=metas[bookmark.work_id]))
        elif bookmark.series_id is not None and bookmark.series_id in series_works:
            assert bookmark.series is not None
            entries.append(
                BookmarkEntry(
                    bookmark, series=SeriesBlurb(bookmark.series, series_works[bookmark.series_id])
                )
            )
    return entries


# --- Export -------------------------------------------------------------------------------------


def bookmarks_for_export(*, owner: User, chunk: int = 500) -> Iterator[BookmarkEntry]:
    """Every bookmark of `owner` whose item the owner may still see (the gate), newest first,
    loaded `chunk` at a time (for a streaming export of any size)."""
    ids = list(
        _bookmarks_base(owner, owner=owner, work=None, series=None)
        .filter(_visible_items(owner))
        .order_by("-created_at", "-id")
        .values_list("id", flat=True)
    )
    for start in range(0, len(ids), chunk):
        part = list(
            Bookmark.objects.filter(pk__in=ids[start : start + chunk]).order_by(
                "-created_at", "-id"
            )
        )
        yield from bookmark_entries(owner, part)
