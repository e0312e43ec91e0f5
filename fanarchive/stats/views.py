"""The creator's statistics pages (thin: parse, ask the selectors, render)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fanarchive.accounts.models import User
from fanarchive.accounts.selectors import user_by_login
from fanarchive.works.permissions import is_staff

from .charts import Chart, time_chart
from .selectors import (
    COLUMNS,
    VIEWS,
    StatsRequest,
    creator_stats,
    creator_works,
    first_day,
    hits_by_day,
    kudos_by_day,
    stats_years,
)


class _Redirect(Exception):
    def __init__(self, response: HttpResponse) -> None:
        self.response = response


def _owner(request: HttpRequest, login: str) -> User:
    """The account whose statistics are asked for, if the viewer may see them: its owner, or
    staff. Guests are sent to log in; anyone else gets 403."""
    user = user_by_login(login)
    if user is None:
        raise Http404("No such user")
    if not request.user.is_authenticated:
        raise _Redirect(redirect_to_login(request.get_full_path()))
    if request.user.pk != user.pk and not is_staff(request.user):
        raise PermissionDenied("Only the creator can see these statistics.")
    return user


def _chart(title: str, works: Any, start: datetime.date, end: datetime.date) -> Chart:
    series: list[tuple[str, str, Any]] = [("Hits", "hits", hits_by_day(works, start=start))]
    kudos = kudos_by_day(works, start=start)
    if kudos is not None:
        series.append(("Kudos", "kudos", kudos))
    return time_chart(title, series, start=start, end=end)


def stats_index(request: HttpRequest, login: str) -> HttpResponse:
    try:
        user = _owner(request, login)
    except _Redirect as redirect:
        return redirect.response
    years = stats_years(viewer=request.user, user=user)
    wanted = StatsRequest.from_params(request.GET.dict(), years)
    stats = creator_stats(viewer=request.user, user=user, request=wanted)
    today = timezone.localdate()
    works = [row.id for row in stats.rows]
    if wanted.year is not None:
        start = datetime.date(wanted.year, 1, 1)
        end = min(datetime.date(wanted.year, 12, 31), today)
    else:
        start, end = first_day(works), today
    chart = _chart(f"Hits and kudos of all works by {user.username}", works, start, end)
    headings = []
    for key, label in COLUMNS.items():
        current = key == wanted.sort
        descending = not wanted.descending if current else key != "title"
        params = request.GET.copy()
        params["sort"] = key
        params["direction"] = "desc" if descending else "asc"
        headings.append(
            {
                "key": key,
                "label": label,
                "url": "?" + params.urlencode(),
                "aria_sort": (
                    ("descending" if wanted.descending else "ascending") if current else ""
                ),
                "numeric": key not in ("title", "date"),
            }
        )
    year_links = []
    for value in ["all", *map(str, years)]:
        params = request.GET.copy()
        params["year"] = value
        year_links.append(
            {
                "label": "All years" if value == "all" else value,
                "url": "?" + params.urlencode(),
                "current": value == str(wanted.year or "all"),
            }
        )
    view_links = []
    for key, label in VIEWS.items():
        params = request.GET.copy()
        params["view"] = key
        view_links.append(
            {"label": label, "url": "?" + params.urlencode(), "current": key == wanted.view}
        )
    context = {
        "profile_user": user,
        "stats": stats,
        "chart": chart,
        "headings": headings,
        "year_links": year_links,
        "view_links": view_links,
        "has_kudos_chart": len(chart.lines) > 1,
    }
    return render(request, "stats/stats.html", context)


def work_stats(request: HttpRequest, login: str, work_id: int) -> HttpResponse:
    try:
        user = _owner(request, login)
    except _Redirect as redirect:
        return redirect.response
    works = creator_works(viewer=request.user, user=user)
    work = works.filter(pk=work_id).select_related("stats").first()
    if work is None:
        raise Http404("No such work among these statistics")
    stats = creator_stats(viewer=request.user, user=user, request=StatsRequest(view="flat"))
    row = next(r for r in stats.rows if r.id == work.pk)
    today = timezone.localdate()
    chart = _chart(f"Hits and kudos of {work.title}", [work.pk], min(work.published, today), today)
    context = {"profile_user": user, "work": work, "row": row, "chart": chart}
    return render(request, "stats/work_stats.html", context)
