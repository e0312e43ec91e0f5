"""Reads of the stats app: a creator's statistics page (AO3's /users/<login>/stats) and the
series its charts draw. Every work comes through the visibility gate (visible_works)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Count, Max, Min, QuerySet, Sum
from django.db.models.functions import ExtractYear, TruncDate
from django.utils import timezone

from fanarchive.accounts.models import User
from fanarchive.tags.models import TagType
from fanarchive.works.models import Chapter, Creatorship, Work, WorkStats, WorkTag
from fanarchive.works.permissions import visible_works

from .models import HitDay

if TYPE_CHECKING:
    from fanarchive.works.permissions import Viewer

# The sortable columns: key -> heading (AO3's stats page sorts by each).
COLUMNS = {
    "title": "Title",
    "date": "Date",
    "words": "Words",
    "hits": "Hits",
    "kudos": "Kudos",
    "comments": "Comments",
    "bookmarks": "Bookmarks",
    "subscriptions": "Subscriptions",
}
COUNTS = ("words", "hits", "kudos", "comments", "bookmarks", "subscriptions")
VIEWS = {"fandom": "By fandom", "flat": "All works"}


@dataclass(frozen=True)
class StatsRequest:
    """What the page asks for, from its GET parameters (bad values: the defaults, with a note)."""

    sort: str = "hits"
    descending: bool = True
    year: int | None = None
    view: str = "fandom"
    problems: tuple[str, ...] = ()

    @classmethod
    def from_params(cls, params: dict[str, str], years: Iterable[int]) -> StatsRequest:
        problems = []
        sort = params.get("sort", "hits") or "hits"
        if sort not in COLUMNS:
            problems.append(f"sort: {sort!r} is not a column; sorted by hits.")
            sort = "hits"
        direction = params.get("direction", "")
        if direction not in ("", "asc", "desc"):
            problems.append(f"direction: {direction!r} must be asc or desc.")
            direction = ""
        descending = (direction or ("asc" if sort == "title" else "desc")) == "desc"
        year: int | None = None
        raw_year = params.get("year", "") or "all"
        if raw_year != "all":
            if raw_year.isdigit() and int(raw_year) in set(years):
                year = int(raw_year)
            else:
                problems.append(f"year: {raw_year!r} is not a year of your works; all years shown.")
        view = params.get("view", "fandom") or "fandom"
        if view not in VIEWS:
            problems.append(f"view: {view!r} must be fandom or flat.")
            view = "fandom"
        return cls(sort, descending, year, view, tuple(problems))


@dataclass
class WorkRow:
    id: int
    title: str
    date: datetime.date
    words: int
    hits: int
    kudos: int
    comments: int
    bookmarks: int
    subscriptions: int
    fandoms: list[str] = field(default_factory=list)

    def value(self, column: str) -> object:
        return getattr(self, column)


@dataclass
class CreatorStats:
    rows: list[WorkRow]  # sorted
    groups: list[tuple[str, list[WorkRow]]]  # (fandom or "All works", rows)
    totals: dict[str, int]
    years: list[int]
    request: StatsRequest


def creator_works(*, viewer: Viewer, user: User) -> QuerySet[Work]:
    """`user`'s posted works that `viewer` may see (the gate), as a queryset."""
    return visible_works(viewer).filter(
        id__in=Creatorship.objects.filter(pseud__user=user).values("work_id")
    )


def stats_years(*, viewer: Viewer, user: User) -> list[int]:
    """The years in which `user` posted chapters of the works `viewer` may see."""
    works = creator_works(viewer=viewer, user=user)
    years = (
        Chapter.objects.filter(work__in=works, posted=True)
        .annotate(year=ExtractYear("published"))
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted({int(y) for y in years})


def creator_stats(*, viewer: Viewer, user: User, request: StatsRequest) -> CreatorStats:
    """AO3's statistics page: each work's counts (with a year: only works with chapters posted
    that year, their words and latest date in that year), sorted, grouped, with totals."""
    works = creator_works(viewer=viewer, user=user)
    if request.year is not None:
        chapters = Chapter.objects.filter(work__in=works, posted=True, published__year=request.year)
        per_work = {
            r["work_id"]: (r["date"], r["words"] or 0)
            for r in chapters.values("work_id").annotate(
                date=Max("published"), words=Sum("word_count")
            )
        }
        works = works.filter(pk__in=list(per_work))
    rows: list[WorkRow] = []
    stats = {s.work_id: s for s in WorkStats.objects.filter(work__in=works)}
    for work in works.only("id", "title", "updated", "word_count"):
        s = stats.get(work.pk)
        date, words = (
            per_work[work.pk] if request.year is not None else (work.updated, work.word_count)
        )
        rows.append(
            WorkRow(
                id=work.pk,
                title=work.title,
                date=date,
                words=words,
                hits=s.hits if s else 0,
                kudos=s.kudos if s else 0,
                comments=s.comments if s else 0,
                bookmarks=s.bookmarks if s else 0,
                subscriptions=s.subscriptions if s else 0,
            )
        )
    fandoms: dict[int, list[str]] = defaultdict(list)
    for work_id, name in (
        WorkTag.objects.filter(work_id__in=[r.id for r in rows], tag__type=TagType.FANDOM)
        .order_by("position", "tag__name")
        .values_list("work_id", "tag__name")
    ):
        fandoms[work_id].append(name)
    for row in rows:
        row.fandoms = fandoms.get(row.id, [])
    _sort(rows, request.sort, request.descending)
    if request.view == "flat":
        groups = [("All works", rows)]
    else:
        by_fandom: dict[str, list[WorkRow]] = defaultdict(list)
        for row in rows:  # a crossover is listed under each of its fandoms, as AO3 does
            for name in row.fandoms or ["No fandom"]:
                by_fandom[name].append(row)
        groups = sorted(by_fandom.items(), key=lambda g: g[0].casefold())
    totals = {name: sum(int(getattr(r, name)) for r in rows) for name in COUNTS}
    totals["works"] = len(rows)
    years = stats_years(viewer=viewer, user=user)
    return CreatorStats(rows=rows, groups=groups, totals=totals, years=years, request=request)


def _sort(rows: list[WorkRow], column: str, descending: bool) -> None:
    rows.sort(key=lambda r: r.id, reverse=descending)  # ties: by id, in the same direction
    if column == "title":
        rows.sort(key=lambda r: r.title.casefold(), reverse=descending)
    else:
        rows.sort(key=lambda r: r.value(column), reverse=descending)  # type: ignore[arg-type,return-value]


# --- Series over time ------------------------------------------------------------------------


def hits_by_day(
    works: Any, *, start: datetime.date | None = None
) -> list[tuple[datetime.date, int]]:
    """Hits per day of these works together (from the roll-up's HitDay)."""
    rows = HitDay.objects.filter(work_id__in=works)
    if start is not None:
        rows = rows.filter(day__gte=start)
    counted = rows.values("day").annotate(n=Sum("hits")).values_list("day", "n").order_by("day")
    return [(d, int(n)) for d, n in counted]


def kudos_model():  # type: ignore[no-untyped-def]
    """The social app's Kudos model (work, created_at), or None while it does not exist."""
    try:
        model = apps.get_model("social", "Kudos")
    except LookupError:
        return None
    names = {f.name for f in model._meta.get_fields()}
    return model if {"work", "created_at"} <= names else None


def kudos_by_day(
    works: Any, *, start: datetime.date | None = None
) -> list[tuple[datetime.date, int]] | None:
    """Kudos per day of these works together, or None without a Kudos model."""
    model = kudos_model()
    if model is None:
        return None
    rows = model._default_manager.filter(work_id__in=works)
    if start is not None:
        rows = rows.filter(created_at__date__gte=start)
    counted = (
        rows.annotate(day=TruncDate("created_at"))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
        .order_by("day")
    )
    return [(d, int(n)) for d, n in counted]


def first_day(works: Any) -> datetime.date:
    """Where a chart of these works starts: the earliest publication date (today if none)."""
    earliest = Work.objects.filter(pk__in=works).aggregate(first=Min("published"))["first"]
    return earliest or timezone.localdate()
