"""Subscriptions: `/users/<login>/subscriptions` (the owner's list, and where the Subscribe
buttons post), unsubscribing; and the Atom feeds (feeds.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from fanarchive.accounts.models import User
from fanarchive.accounts.permissions import account_owner
from fanarchive.accounts.selectors import user_by_login
from fanarchive.core.paging import PagedListing
from fanarchive.core.redirects import safe_next
from fanarchive.works.models import Series, SeriesWork
from fanarchive.works.permissions import LoginRequired, access_work, visible_works

from . import services
from .models import Subscription
from .selectors import KINDS, subscriptions_of

PER_PAGE = 20


@dataclass
class Row:
    subscription: Subscription
    kind: str
    name: str
    url: str  # empty when the reader can no longer open it


def _back(request: HttpRequest, user: User) -> HttpResponse:
    """To the page the button was on (`next`, if it is on this site), else the list."""
    return redirect(safe_next(request, reverse("subscriptions:list", args=[user.username])))


def _rows(user: User, subscriptions: list[Subscription]) -> list[Row]:
    work_ids = [s.work_id for s in subscriptions if s.work_id is not None]
    readable = set(visible_works(user).filter(pk__in=work_ids).values_list("pk", flat=True))
    series_ids = [s.series_id for s in subscriptions if s.series_id is not None]
    open_series = set(
        SeriesWork.objects.filter(
            series_id__in=series_ids, work__in=visible_works(user).values("id")
        ).values_list("series_id", flat=True)
    )
    rows = []
    for s in subscriptions:
        if s.work is not None:
            if s.work_id in readable:
                url = reverse("works:work", kwargs={"work_id": s.work_id})
                rows.append(Row(s, "Work", s.work.title, url))
            else:
                rows.append(Row(s, "Work", "A work you can no longer open", ""))
        elif s.series is not None:
            if s.series_id in open_series:
                url = reverse("downloads:series", kwargs={"series_id": s.series_id})
                rows.append(Row(s, "Series", s.series.title, url))
            else:  # none of its works is one the reader may see (any more)
                rows.append(Row(s, "Series", "A series you can no longer open", ""))
        elif s.creator is not None:
            url = reverse("accounts:profile", kwargs={"login": s.creator.username})
            rows.append(Row(s, "Creator", s.creator.username, url))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def subscription_list(request: HttpRequest, login: str) -> HttpResponse:
    user = account_owner(request, login)
    if request.method == "POST":
        return _subscribe(request, user)
    kind = request.GET.get("type", "all")
    if kind not in KINDS:
        kind = "all"
    paginator = Paginator(subscriptions_of(user=user, kind=kind), PER_PAGE)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404("No such page") from exc
    context: dict[str, Any] = {
        "profile_user": user,
        "listing": PagedListing(page),
        "rows": _rows(user, list(page.object_list)),
        "kind": kind,
        "kinds": [("all", "All"), ("works", "Works"), ("series", "Series"), ("users", "Creators")],
    }
    return render(request, "subscriptions/list.html", context)


def _target_id(request: HttpRequest, name: str) -> int | None:
    value = request.POST.get(name, "").strip()
    if not value:
        return None
    if not value.isdigit():
        raise ValueError(f"{name}: {value[:50]!r} is not a number.")
    return int(value)


def _subscribe(request: HttpRequest, user: User) -> HttpResponse:
    """Subscribe to the one thing the form names: `work` (an id), `series` (an id) or
    `creator` (a login)."""
    creator_login = request.POST.get("creator", "").strip()
    try:
        work_id = _target_id(request, "work")
        series_id = _target_id(request, "series")
    except ValueError as exc:
        messages.error(request, str(exc))
        return _back(request, user)
    named = [x for x in (work_id, series_id, creator_login or None) if x is not None]
    if len(named) != 1:
        messages.error(request, "work, series or creator: name exactly one thing to subscribe to.")
        return _back(request, user)
    try:
        if work_id is not None:
            try:
                work = access_work(user, work_id)
            except LoginRequired as exc:  # pragma: no cover - the subscriber is logged in
                raise Http404("No such work") from exc
            result = services.subscription_to_work(user=user, work=work)
            name = f"“{work.title}”"
        elif series_id is not None:
            series = Series.objects.filter(pk=series_id).first()
            if series is None or not (
                visible_works(user).filter(series_works__series=series).exists()
            ):
                raise Http404("No such series")
            result = services.subscription_to_series(user=user, series=series)
            name = f"the series “{series.title}”"
        else:
            creator = user_by_login(creator_login)
            if creator is None:
                raise Http404("No such user")
            result = services.subscription_to_creator(user=user, creator=creator)
            name = creator.username
    except services.SubscriptionRefused as exc:
        messages.error(request, str(exc))
        return _back(request, user)
    if result.created:
        messages.success(request, f"You are now subscribed to {name}.")
    else:
        messages.info(request, f"You are already subscribed to {name}.")
    return _back(request, user)


@login_required
@require_POST
def unsubscribe(request: HttpRequest, login: str, subscription_id: int) -> HttpResponse:
    user = account_owner(request, login)
    gone = services.subscription_delete(user=user, subscription_id=subscription_id)
    if gone is None:
        messages.info(request, "You were not subscribed to that (any more).")
    elif gone.work is not None:
        messages.success(request, f"You have unsubscribed from “{gone.work.title}”.")
    elif gone.series is not None:
        messages.success(request, f"You have unsubscribed from the series “{gone.series.title}”.")
    elif gone.creator is not None:
        messages.success(request, f"You have unsubscribed from {gone.creator.username}.")
    return _back(request, user)
