"""History pages (the owner's only): the history and Marked for Later, taking an entry out,
clearing the history (with a confirmation), the export; Mark for Later / Mark as Read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fanarchive.accounts.models import User
from fanarchive.accounts.permissions import account_owner
from fanarchive.accounts.selectors import preferences_for
from fanarchive.bookmarks import export
from fanarchive.core.redirects import safe_next
from fanarchive.works.permissions import LoginRequired, access_work

from . import selectors, services
from .selectors import SHOW_TO_READ


@login_required
@require_GET
def readings(request: HttpRequest, login: str) -> HttpResponse:
    owner = account_owner(request, login)
    to_read = request.GET.get("show") == SHOW_TO_READ
    try:
        listing = selectors.reading_listing(
            user=owner, to_read=to_read, page=request.GET.get("page") or 1
        )
    except InvalidPage as exc:
        raise Http404("No such page") from exc
    context = {
        "owner": owner,
        "listing": listing,
        "to_read": to_read,
        "history_enabled": preferences_for(owner).history_enabled,
    }
    return render(request, "history/readings.html", context)


@login_required
@require_POST
def reading_delete(request: HttpRequest, login: str, work_id: int) -> HttpResponse:
    owner = account_owner(request, login)
    if services.reading_remove(user=owner, work_id=work_id):
        messages.success(request, "The work was taken out of your history.")
    else:
        messages.error(request, "That work is not in your history.")
    return redirect("history:readings", login=owner.username)


@login_required
@require_http_methods(["GET", "POST"])
def clear(request: HttpRequest, login: str) -> HttpResponse:
    owner = account_owner(request, login)
    if request.method == "POST":
        services.history_clear(user=owner)
        messages.success(request, "Your history is now cleared.")
        return redirect("history:readings", login=owner.username)
    return render(request, "history/confirm_clear.html", {"owner": owner})


def _back(request: HttpRequest, work_id: int) -> HttpResponse:
    return redirect(safe_next(request, reverse("works:work", args=[work_id])))


def _work(request: HttpRequest, work_id: int) -> Any:
    try:
        return access_work(request.user, work_id)
    except LoginRequired as exc:
        raise Http404("No such work") from exc


@login_required
@require_POST
def mark_for_later(request: HttpRequest, work_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    work = _work(request, work_id)
    services.mark_for_later(user=user, work=work)
    messages.success(
        request,
        "This work was added to your Marked for Later list.",
    )
    return _back(request, work.pk)


@login_required
@require_POST
def mark_as_read(request: HttpRequest, work_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    services.mark_as_read(user=user, work_id=work_id)
    messages.success(request, "This work was taken off your Marked for Later list.")
    return _back(request, work_id)


@login_required
@require_GET
def export_readings(request: HttpRequest, login: str, fmt: str) -> StreamingHttpResponse:
    owner = account_owner(request, login)
    to_read = request.GET.get("show") == SHOW_TO_READ
    rows = (
        reading_row(request, e) for e in selectors.readings_for_export(user=owner, to_read=to_read)
    )
    name = "marked-for-later" if to_read else "history"
    filename = f"{owner.username}-{name}.{fmt}"
    if fmt == "csv":
        return export.csv_response(filename=filename, header=READING_COLUMNS, rows=rows)
    return export.json_response(filename=filename, key=name.replace("-", "_"), rows=rows)


READING_COLUMNS = (
    "work_id",
    "title",
    "creators",
    "fandoms",
    "url",
    "last_visited",
    "visits",
    "last_chapter_read",
    "chapters",
    "updated_since_visit",
    "marked_for_later",
)


def reading_row(request: HttpRequest, entry: selectors.ReadingEntry) -> dict[str, Any]:
    reading, work = entry.reading, entry.meta.work
    return {
        "work_id": work.pk,
        "title": work.title,
        "creators": [p.byline for p in entry.meta.creators],
        "fandoms": [t.name for t in entry.meta.fandoms],
        "url": request.build_absolute_uri(reverse("works:work", args=[work.pk])),
        "last_visited": reading.last_visited.isoformat() if reading.last_visited else None,
        "visits": reading.visits,
        "last_chapter_read": reading.chapter_number or None,
        "chapters": work.chapters_display,
        "updated_since_visit": entry.updated_since_visit,
        "marked_for_later": reading.to_read,
    }
