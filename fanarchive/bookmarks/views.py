"""Bookmark pages: create and edit a bookmark of a work or a series, show one, delete one
(with a confirmation), a reader's bookmarks with filters, a work's bookmarks, and the export.
Changes are POSTs with CSRF; who may see what is decided in selectors (the works gate)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from fanarchive.accounts.models import User
from fanarchive.accounts.permissions import account_owner
from fanarchive.accounts.selectors import user_by_login
from fanarchive.search.forms import FACET_LABELS
from fanarchive.search.query import WorkQuery
from fanarchive.tags.names import tag_key
from fanarchive.works.models import Series, Work
from fanarchive.works.permissions import LoginRequired, access_work

from . import export, selectors, services
from .forms import BookmarkForm, initial_from


def _work_or_login(request: HttpRequest, work_id: int) -> Work:
    try:
        return access_work(request.user, work_id)
    except LoginRequired as exc:
        raise Http404("No such work") from exc


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _item_page(
    request: HttpRequest, *, work: Work | None = None, series: Series | None = None
) -> HttpResponse:
    """GET: the form for a new bookmark of the item (or the reader's existing one);
    POST: save it (one bookmark per reader per item: a second save edits the first)."""
    user = _user(request)
    existing = selectors.bookmark_of(user=user, work=work, series=series)
    if request.method == "POST":
        form = BookmarkForm(request.POST, user=user)
        if form.is_valid():
            try:
                bookmark, created = services.bookmark_save(
                    user=user, data=form.data_for_service(), work=work, series=series
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(
                    request,
                    "Bookmark was successfully created."
                    if created
                    else "You had already bookmarked this; your bookmark was updated.",
                )
                return redirect("bookmarks:show", bookmark_id=bookmark.pk)
        status = 400
    else:
        form = BookmarkForm(user=user, initial=initial_from(existing) if existing else None)
        status = 200
    context = {"form": form, "work": work, "series": series, "existing": existing}
    return render(request, "bookmarks/form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def work_bookmarks(request: HttpRequest, work_id: int) -> HttpResponse:
    """GET: the work's public bookmarks (and the viewer's own); POST: bookmark it."""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.path})}")
        return _item_page(request, work=_work_or_login(request, work_id))
    work = _work_or_login(request, work_id)
    return _listing_page(request, work=work, heading=f"Bookmarks of {work.title}")


@login_required
@require_GET
def work_bookmark_new(request: HttpRequest, work_id: int) -> HttpResponse:
    return _item_page(request, work=_work_or_login(request, work_id))


@require_http_methods(["GET", "POST"])
def series_bookmarks(request: HttpRequest, series_id: int) -> HttpResponse:
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('accounts:login')}?{urlencode({'next': request.path})}")
        return _item_page(request, series=selectors.access_series(request.user, series_id))
    series = selectors.access_series(request.user, series_id)
    return _listing_page(request, series=series, heading=f"Bookmarks of {series.title}")


@login_required
@require_GET
def series_bookmark_new(request: HttpRequest, series_id: int) -> HttpResponse:
    return _item_page(request, series=selectors.access_series(request.user, series_id))


@require_GET
def show(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    bookmark = selectors.access_bookmark(request.user, bookmark_id)
    entries = selectors.bookmark_entries(request.user, [bookmark])
    if not entries:
        raise Http404("No such bookmark")
    context = {"entry": entries[0], "is_owner": bookmark.user_id == request.user.pk}
    return render(request, "bookmarks/show.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    user = _user(request)
    bookmark = selectors.own_bookmark(user, bookmark_id)
    if request.method == "POST":
        form = BookmarkForm(request.POST, user=user)
        if form.is_valid():
            try:
                services.bookmark_update(bookmark=bookmark, user=user, data=form.data_for_service())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, "Bookmark was successfully updated.")
                return redirect("bookmarks:show", bookmark_id=bookmark.pk)
        status = 400
    else:
        form = BookmarkForm(user=user, initial=initial_from(bookmark))
        status = 200
    context = {
        "form": form,
        "work": bookmark.work,
        "series": bookmark.series,
        "existing": bookmark,
        "editing": True,
    }
    return render(request, "bookmarks/form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    user = _user(request)
    bookmark = selectors.own_bookmark(user, bookmark_id)
    if request.method == "POST":
        services.bookmark_delete(bookmark=bookmark, user=user)
        messages.success(request, "Bookmark was successfully deleted.")
        return redirect("bookmarks:user_bookmarks", login=user.username)
    entries = selectors.bookmark_entries(user, [bookmark])
    return render(
        request, "bookmarks/confirm_delete.html", {"bookmark": bookmark, "entry": entries[0]}
    )


def _listing_page(
    request: HttpRequest,
    *,
    heading: str,
    owner: User | None = None,
    work: Work | None = None,
    series: Series | None = None,
) -> HttpResponse:
    query, problems = WorkQuery.from_params(request.GET)
    filters, more = selectors.BookmarkFilters.from_params(request.GET)
    try:
        listing = selectors.bookmark_listing(
            viewer=request.user,
            query=query,
            filters=filters,
            owner=owner,
            work=work,
            series=series,
            page=request.GET.get("page") or 1,
            with_facets=owner is not None,
        )
    except InvalidPage as exc:
        raise Http404("No such page") from exc
    context: dict[str, Any] = {
        "listing": listing,
        "heading": heading,
        "problems": problems + more + listing.problems,
        "owner": owner,
        "work": work,
        "series": series,
        "is_owner": owner is not None and owner.pk == request.user.pk,
        "sorts": list(selectors.SORTS.items()),
    }
    if owner is not None:
        groups = _facet_groups(listing)
        context["facet_groups"] = groups
        listed = {tag_key(name) for _label, entries in groups for name, _n, _i in entries}
        context["unlisted_include"] = ", ".join(
            n for n in query.include if tag_key(n) not in listed
        )
    return render(request, "bookmarks/list.html", context)


def _facet_groups(
    listing: selectors.BookmarkListing,
) -> list[tuple[str, list[tuple[str, int, bool]]]]:
    included = {tag_key(n) for n in listing.query.include + listing.query.ratings}
    groups = []
    for tag_type, entries in listing.facets.items():
        if entries:
            groups.append(
                (
                    FACET_LABELS.get(tag_type, tag_type),
                    [(tag.name, count, tag_key(tag.name) in included) for tag, count in entries],
                )
            )
    return groups


@require_GET
def user_bookmarks(request: HttpRequest, login: str) -> HttpResponse:
    owner = user_by_login(login)
    if owner is None:
        raise Http404("No such user")
    return _listing_page(request, owner=owner, heading=f"Bookmarks by {owner.username}")


@login_required
@require_GET
def export_bookmarks(request: HttpRequest, login: str, fmt: str) -> StreamingHttpResponse:
    owner = account_owner(request, login)
    rows = (export.bookmark_row(request, e) for e in selectors.bookmarks_for_export(owner=owner))
    filename = f"{owner.username}-bookmarks.{fmt}"
    if fmt == "csv":
        return export.csv_response(filename=filename, header=export.BOOKMARK_COLUMNS, rows=rows)
    return export.json_response(filename=filename, key="bookmarks", rows=rows)
