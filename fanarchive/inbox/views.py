"""`/users/<login>/inbox`: the owner's notifications, with read/unread/delete in bulk."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from fanarchive.accounts.models import User
from fanarchive.accounts.permissions import account_owner
from fanarchive.core.paging import PagedListing

from . import services
from .selectors import FILTERS, inbox_items, unread_count

PER_PAGE = 20
ACTIONS = {"read": "marked read", "unread": "marked unread", "delete": "deleted"}


def _safe_link(url: str) -> str:
    """An item's link if it is a path inside the archive ("/works/3"), else nothing: an inbox
    never links elsewhere (no `javascript:`, no other site)."""
    if url.startswith("/") and not url.startswith("//") and "\\" not in url:
        return url
    return ""


def _selected(request: HttpRequest) -> list[int]:
    ids = []
    for value in request.POST.getlist("items"):
        if value.isdigit():
            ids.append(int(value))
    return ids


@login_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest, login: str) -> HttpResponse:
    user = account_owner(request, login)
    show = request.GET.get("show", "all")
    if show not in FILTERS:
        show = "all"
    if request.method == "POST":
        return _act(request, user, show)
    paginator = Paginator(inbox_items(user=user, show=show), PER_PAGE, allow_empty_first_page=True)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404("No such page") from exc
    context = {
        "profile_user": user,
        "listing": PagedListing(page),
        "rows": [(item, _safe_link(item.url)) for item in page.object_list],
        "show": show,
        "filters": [(name, name.capitalize()) for name in FILTERS],
        "unread": unread_count(user=user),
    }
    return render(request, "inbox/inbox.html", context)


def _act(request: HttpRequest, user: User, show: str) -> HttpResponse:
    action = request.POST.get("action", "")
    ids = _selected(request)
    back = redirect(f"{request.path}?show={show}" if show != "all" else request.path)
    if action not in ACTIONS:
        messages.error(request, "action: choose Mark read, Mark unread or Delete.")
        return back
    if not ids:
        messages.error(request, "items: select at least one message first.")
        return back
    if action == "delete":
        done = services.inbox_delete(user=user, item_ids=ids)
    else:
        done = services.inbox_mark(user=user, item_ids=ids, read=action == "read")
    messages.success(request, f"{done} message{'s' if done != 1 else ''} {ACTIONS[action]}.")
    return back
