"""The archive's reading pages: the front page, work listings and a work's own pages.

Views are thin: find the object, ask a selector, render. Who may see what is decided only in
`permissions` (`visible_works`, `access_work`).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from fanarchive.accounts.models import Preference
from fanarchive.accounts.selectors import preferences_for, pseud_by_name, user_by_login

from .models import Work
from .permissions import LoginRequired, access_work, is_creator, is_staff
from .selectors import (
    WorkReading,
    recent_works,
    work_listing,
    work_reading,
    works_by_pseud,
    works_by_user,
)
from .signals import work_read

ADULT_SESSION_KEY = "view_adult"


def reading_preferences(request: HttpRequest) -> Preference:
    """The viewer's reading preferences (defaults for guests), read once per request: kept
    where the accounts app's `prefs` context processor looks for them, so the page's
    templates do not read them again."""
    cached = getattr(request, "_fanarchive_prefs", None)
    if cached is None:
        cached = preferences_for(request.user)
        request._fanarchive_prefs = cached  # type: ignore[attr-defined]
    return cached


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "works/home.html", {"blurbs": recent_works(viewer=request.user)})


def _listing(request: HttpRequest, works: Any, context: dict[str, Any]) -> HttpResponse:
    try:
        listing = work_listing(works=works, page=request.GET.get("page") or 1)
    except InvalidPage as exc:
        raise Http404("No such page") from exc
    return render(request, "works/work_list.html", {"listing": listing, **context})


def user_works(request: HttpRequest, login: str) -> HttpResponse:
    user = user_by_login(login)
    if user is None:
        raise Http404("No such user")
    works = works_by_user(viewer=request.user, user=user)
    return _listing(request, works, {"listing_by": user.username, "profile_user": user})


def pseud_works(request: HttpRequest, login: str, pseud: str) -> HttpResponse:
    user = user_by_login(login)
    found = pseud_by_name(user=user, name=pseud) if user else None
    if found is None:
        raise Http404("No such pseud")
    works = works_by_pseud(viewer=request.user, pseud=found)
    return _listing(request, works, {"listing_by": found.byline, "profile_user": user})


# --- A work -------------------------------------------------------------------------------------


def _open(request: HttpRequest, work_id: int) -> WorkReading | HttpResponse:
    """The work for reading, or the page a guest gets for a restricted work (403)."""
    try:
        work = access_work(request.user, work_id)
    except LoginRequired:
        login = reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})
        return render(request, "works/restricted.html", {"login_url": login}, status=403)
    return work_reading(viewer=request.user, work=work)


def _adult_gate(request: HttpRequest, reading: WorkReading) -> HttpResponse | None:
    """AO3's adult content notice, unless the reader has proceeded (now or earlier)."""
    if not reading.meta.is_adult:
        return None
    if reading_preferences(request).view_adult:
        return None
    if request.GET.get("view_adult") == "true":
        request.session[ADULT_SESSION_KEY] = True
        return None
    if request.session.get(ADULT_SESSION_KEY):
        return None
    params = request.GET.copy()
    params["view_adult"] = "true"
    context = {
        "reading": reading,
        "meta": reading.meta,
        "work": reading.work,
        "proceed_url": f"{request.path}?{params.urlencode()}",
    }
    return render(request, "works/adult_notice.html", context)


def _render_work(
    request: HttpRequest, reading: WorkReading, index: int | None, *, full: bool
) -> HttpResponse:
    if gate := _adult_gate(request, reading):
        return gate
    chapter = reading.chapter_at(index) if index is not None else None
    creator = is_creator(request.user, reading.work)
    context = {
        "is_creator": creator,
        "is_staff": is_staff(request.user),
        "reading": reading,
        "meta": reading.meta,
        "work": reading.work,
        "full": full or not reading.multichapter,
        "chapter": chapter,
        "chapter_number": None if index is None else index + 1,
        "previous_chapter": reading.chapter_at(index - 1) if index else None,
        "next_chapter": reading.chapter_at(index + 1) if index is not None else None,
        "is_first": index in (None, 0),
        "is_last": index is None or index == len(reading.chapters) - 1,
    }
    work_read.send(sender=Work, request=request, work=reading.work, chapter=chapter)
    request.work_read = True  # type: ignore[attr-defined]  # (kept with a cached page)
    return render(request, "works/work.html", context)


def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    reading = _open(request, work_id)
    if isinstance(reading, HttpResponse):
        return reading
    # The reader's "show the entire work" preference is the default; ?view_full_work=false
    # (the "Chapter by Chapter" link) still shows one chapter.
    asked = request.GET.get("view_full_work")
    full = asked == "true" or (asked != "false" and reading_preferences(request).view_full_work)
    if full or not reading.multichapter:
        return _render_work(request, reading, None, full=True)
    return _render_work(request, reading, 0, full=False)


def chapter_detail(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    reading = _open(request, work_id)
    if isinstance(reading, HttpResponse):
        return reading
    index = reading.index_of(chapter_id)
    if index is None:
        raise Http404("No such chapter in this work")
    return _render_work(request, reading, index, full=False)


def chapter_select(request: HttpRequest, work_id: int) -> HttpResponse:
    """The target of the chapter select box (a GET form, no script): go to that chapter."""
    reading = _open(request, work_id)
    if isinstance(reading, HttpResponse):
        return reading
    try:
        chapter_id = int(request.GET.get("selected_id", ""))
    except ValueError:
        return redirect("works:navigate", work_id=work_id)
    if reading.index_of(chapter_id) is None:
        raise Http404("No such chapter in this work")
    return redirect("works:chapter", work_id=work_id, chapter_id=chapter_id)


def chapter_index(request: HttpRequest, work_id: int) -> HttpResponse:
    """AO3's chapter index: every chapter with its date."""
    reading = _open(request, work_id)
    if isinstance(reading, HttpResponse):
        return reading
    context = {
        "reading": reading,
        "work": reading.work,
        "is_creator": is_creator(request.user, reading.work),
    }
    return render(request, "works/navigate.html", context)
