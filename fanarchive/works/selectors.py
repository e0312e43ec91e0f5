"""Reads for the archive's pages: listings of works and one work for reading.

Every listing starts from `permissions.visible_works(viewer)` and loads what a blurb shows
(creators, tags, stats) in a fixed number of queries, whatever the number of works.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet

from fanarchive.core.paging import PagedListing
from fanarchive.tags.fixed import ADULT_RATINGS
from fanarchive.tags.models import Tag, TagType

from .languages import language_name
from .models import Chapter, Creatorship, SeriesWork, Work, WorkFilter, WorkStats, WorkTag
from .permissions import creatorships_prefetch, visible_chapters, visible_works

if TYPE_CHECKING:
    from fanarchive.accounts.models import Pseud, User

    from .permissions import Viewer

LISTING_ORDER = ("-updated", "-id")

# The symbols of AO3's "required tags" square, as short text with a CSS class.
_RATING_SYMBOLS = {
    "General Audiences": ("G", "rating-general"),
    "Teen And Up Audiences": ("T", "rating-teen"),
    "Mature": ("M", "rating-mature"),
    "Explicit": ("E", "rating-explicit"),
    "Not Rated": ("?", "rating-notrated"),
}
_NO_WARNINGS = "No Archive Warnings Apply"
_CHOSE_NOT_TO_WARN = "Creator Chose Not To Use Archive Warnings"


@dataclass(frozen=True)
class Symbol:
    text: str
    css: str
    label: str


@dataclass
class WorkMeta:
    """What a blurb and a work's meta block show, from a work loaded by `with_blurb_data`."""

    work: Work
    creators: list[Pseud]
    stats: WorkStats | None
    tags: dict[str, list[Tag]] = field(default_factory=dict)

    @property
    def ratings(self) -> list[Tag]:
        return self.tags.get(TagType.RATING, [])

    @property
    def warnings(self) -> list[Tag]:
        return self.tags.get(TagType.WARNING, [])

    @property
    def categories(self) -> list[Tag]:
        return self.tags.get(TagType.CATEGORY, [])

    @property
    def fandoms(self) -> list[Tag]:
        return self.tags.get(TagType.FANDOM, [])

    @property
    def relationships(self) -> list[Tag]:
        return self.tags.get(TagType.RELATIONSHIP, [])

    @property
    def characters(self) -> list[Tag]:
        return self.tags.get(TagType.CHARACTER, [])

    @property
    def freeforms(self) -> list[Tag]:
        return self.tags.get(TagType.FREEFORM, [])

    @property
    def blurb_tags(self) -> list[Tag]:
        """The tags a blurb lists, AO3's order: warnings, relationships, characters, the rest."""
        return self.warnings + self.relationships + self.characters + self.freeforms

    @property
    def language_name(self) -> str:
        return language_name(self.work.language) if self.work.language else ""

    @property
    def is_adult(self) -> bool:
        """Behind the adult gate: rated Mature, Explicit or Not Rated (or not rated at all)."""
        names = {tag.name for tag in self.ratings}
        return not names or bool(names & ADULT_RATINGS)

    @property
    def rating_symbol(self) -> Symbol:
        names = [tag.name for tag in self.ratings] or ["Not Rated"]
        text, css = _RATING_SYMBOLS.get(names[0], ("?", "rating-notrated"))
        return Symbol(text, css, ", ".join(names))

    @property
    def warning_symbol(self) -> Symbol:
        names = [tag.name for tag in self.warnings]
        label = ", ".join(names) or _CHOSE_NOT_TO_WARN
        serious = [n for n in names if n not in (_NO_WARNINGS, _CHOSE_NOT_TO_WARN)]
        if serious:
            return Symbol("!", "warning-yes", label)
        if not names or _CHOSE_NOT_TO_WARN in names:
            return Symbol("?", "warning-choosenot", label)
        return Symbol("\N{EN DASH}", "warning-no", label)

    @property
    def category_symbol(self) -> Symbol:
        names = [tag.name for tag in self.categories]
        if not names:
            return Symbol("\N{EN DASH}", "category-none", "No category")
        text = names[0] if len(names) == 1 else "Multi"
        css = "category-" + {"F/M": "het", "M/M": "slash", "F/F": "femslash"}.get(
            text, text.lower()
        )
        return Symbol(text, css, ", ".join(names))

    @property
    def complete_symbol(self) -> Symbol:
        if self.work.complete:
            return Symbol("✓", "complete-yes", "Complete Work")
        return Symbol("…", "complete-no", "Work in Progress")


def with_blurb_data(works: QuerySet[Work]) -> QuerySet[Work]:
    """`works` with what a blurb shows loaded: stats (joined), creators and tags (one query
    each, whatever the number of works)."""
    return works.select_related("stats").prefetch_related(
        creatorships_prefetch(),
        Prefetch(
            "work_tags",
            queryset=WorkTag.objects.select_related("tag").order_by("position", "id"),
        ),
    )


def work_meta(work: Work) -> WorkMeta:
    """A work's blurb/meta data; `work` should come from `with_blurb_data` (or `access_work`
    plus prefetched work_tags) so this runs no query per work."""
    tags: dict[str, list[Tag]] = {}
    for work_tag in work.work_tags.all():
        tags.setdefault(work_tag.tag.type, []).append(work_tag.tag)
    try:
        stats = work.stats
    except WorkStats.DoesNotExist:
        stats = None
    creators = [c.pseud for c in work.creatorships.all()]
    return WorkMeta(work=work, creators=creators, stats=stats, tags=tags)


# --- Listings -----------------------------------------------------------------------------------


# Accounts whose works a reader never wants listed (AO3's mutes), kept by a higher app: it
# registers `provider(viewer) -> account ids` in its AppConfig.ready(), so that the listings
# built here hide them without the works app knowing that app (the social app registers the
# reader's mutes; search_works applies the same mutes to tag pages and search).
_hidden_creator_providers: dict[str, Callable[[Viewer], Iterable[int]]] = {}


def register_hidden_creators(uid: str, provider: Callable[[Viewer], Iterable[int]]) -> None:
    _hidden_creator_providers[uid] = provider


def hidden_creator_ids(viewer: Viewer) -> frozenset[int]:
    """The accounts whose works `viewer` does not want listed (none for guests)."""
    if not viewer.is_authenticated:
        return frozenset()
    return frozenset(i for p in _hidden_creator_providers.values() for i in p(viewer))


def recent_works(*, viewer: Viewer, limit: int | None = None) -> list[WorkMeta]:
    """The newest works `viewer` may see (latest update first), for the front page, without
    the works of the accounts the viewer muted."""
    limit = limit or settings.WORKS_PER_PAGE
    works = visible_works(viewer)
    if hidden := hidden_creator_ids(viewer):
        works = works.exclude(
            id__in=Creatorship.objects.filter(pseud__user_id__in=hidden).values("work_id")
        )
    works = with_blurb_data(works.order_by(*LISTING_ORDER))[:limit]
    return [work_meta(work) for work in works]


def works_with_tag(*, viewer: Viewer, tag: Tag) -> QuerySet[Work]:
    """The works listed under `tag`: for a canonical tag, every work *filtered under* it
    (its synonyms and subtags included, through WorkFilter); for any other tag, the works
    tagged with exactly that tag. The one place that decides it."""
    if tag.canonical:
        return visible_works(viewer).filter(
            id__in=WorkFilter.objects.filter(tag=tag).values("work_id")
        )
    return visible_works(viewer).filter(id__in=WorkTag.objects.filter(tag=tag).values("work_id"))


def tag_work_counts(tag: Tag) -> dict[str, int]:
    """How many works a guest and a logged-in reader find under `tag`."""
    from django.contrib.auth.models import AnonymousUser

    works = works_with_tag(viewer=_LOGGED_IN, tag=tag)
    return {
        "guests": works_with_tag(viewer=AnonymousUser(), tag=tag).count(),
        "logged_in": works.count(),
    }


class _AnyReader:
    """A logged-in reader with no special rights, for counting what such readers see."""

    is_authenticated = True
    is_staff = False
    is_superuser = False
    pk = None


_LOGGED_IN: Viewer = _AnyReader()  # type: ignore[assignment]


def works_by_pseud(*, viewer: Viewer, pseud: Pseud) -> QuerySet[Work]:
    return visible_works(viewer).filter(
        id__in=Creatorship.objects.filter(pseud=pseud).values("work_id")
    )


def works_by_user(*, viewer: Viewer, user: User) -> QuerySet[Work]:
    return visible_works(viewer).filter(
        id__in=Creatorship.objects.filter(pseud__user=user).values("work_id")
    )


@dataclass
class WorkListing(PagedListing):
    blurbs: list[WorkMeta]


def work_listing(
    *, works: QuerySet[Work], page: int | str | None = 1, per_page: int | None = None
) -> WorkListing:
    """One page of `works`, newest first. Raises django.core.paginator.InvalidPage for a page
    number that is not a number or is out of range (page 1 of nothing is an empty page)."""
    paginator = Paginator(
        with_blurb_data(works.order_by(*LISTING_ORDER)),
        per_page or settings.WORKS_PER_PAGE,
        allow_empty_first_page=True,
    )
    current = paginator.page(1 if page is None else page)
    blurbs = [work_meta(work) for work in current.object_list]
    return WorkListing(page=current, blurbs=blurbs)


# --- Reading ------------------------------------------------------------------------------------


@dataclass
class SeriesPart:
    position: int
    series_id: int
    title: str


@dataclass
class WorkReading:
    """A work opened for reading: its meta block, readable chapters and series."""

    meta: WorkMeta
    chapters: list[Chapter]
    series: list[SeriesPart]

    @property
    def work(self) -> Work:
        return self.meta.work

    @property
    def multichapter(self) -> bool:
        return len(self.chapters) > 1

    def chapter_at(self, index: int) -> Chapter | None:
        return self.chapters[index] if 0 <= index < len(self.chapters) else None

    def index_of(self, chapter_id: int) -> int | None:
        for i, chapter in enumerate(self.chapters):
            if chapter.id == chapter_id:
                return i
        return None


def work_reading(*, viewer: Viewer, work: Work) -> WorkReading:
    """Everything a work page shows; `work` must come from `permissions.access_work`."""
    work_tags = WorkTag.objects.filter(work=work).select_related("tag").order_by("position", "id")
    tags: dict[str, list[Tag]] = {}
    for work_tag in work_tags:
        tags.setdefault(work_tag.tag.type, []).append(work_tag.tag)
    try:
        stats = work.stats
    except WorkStats.DoesNotExist:
        stats = None
    meta = WorkMeta(
        work=work, creators=[c.pseud for c in work.creatorships.all()], stats=stats, tags=tags
    )
    series = [
        SeriesPart(position=sw.position, series_id=sw.series_id, title=sw.series.title)
        for sw in SeriesWork.objects.filter(work=work).select_related("series").order_by("id")
    ]
    return WorkReading(meta=meta, chapters=list(visible_chapters(viewer, work)), series=series)
