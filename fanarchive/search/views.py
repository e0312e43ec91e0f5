"""The search pages: /works/search (AO3's filter sidebar and results), the tag autocomplete,
and a reader's excludes and saved searches. Reading forms use GET, writing forms POST."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from fanarchive.accounts.models import User
from fanarchive.tags.models import Tag
from fanarchive.tags.names import tag_key
from fanarchive.tags.selectors import tag_by_name
from fanarchive.works.models import Work
from fanarchive.works.selectors import with_blurb_data, work_meta

from . import blurb_cache, services
from .backends.base import find_tags
from .forms import FACETS_LISTED, SidebarForm, facet_groups
from .query import WorkQuery
from .selectors import excluded_creators, excluded_tags, saved_searches, search_works
from .selectors import tag_autocomplete as autocomplete_tags


def _metas(ids: list[int]) -> list[Any]:
    works = {w.id: w for w in with_blurb_data(Work.objects.filter(pk__in=ids))}
    return [work_meta(works[i]) for i in ids if i in works]


@dataclass
class RenderedBlurb:
    """A blurb already rendered (for guests, from the blurb cache)."""

    work_id: int
    html: str
    snippet: str = ""


def _blurbs(request: HttpRequest, ids: list[int]) -> list[Any]:
    """The page's blurbs: WorkMeta to render, or for guests RenderedBlurb from the cache."""
    if request.user.is_authenticated or not blurb_cache.enabled():
        return _metas(ids)
    html = blurb_cache.blurb_cache().blurbs(ids, _metas)
    return [RenderedBlurb(i, html[i]) for i in ids if i in html]


@require_GET
def work_search(request: HttpRequest) -> HttpResponse:
    query, problems = WorkQuery.from_params(request.GET)
    return _results_page(request, query, problems, heading_in=", ".join(query.include))


@require_GET
def tag_works(request: HttpRequest, name: str) -> HttpResponse:
    """`/tags/<name>/works`: the works under a tag with the search sidebar. A synonym's page
    is its canonical's (AO3); the tag itself is always part of the query."""
    tag = tag_by_name(name)
    if tag is None:
        raise Http404("No such tag")
    if tag.merger_id is not None and tag.merger is not None:
        return redirect("search:tag_works", name=tag.merger.name)
    query, problems = WorkQuery.from_params(request.GET)
    others = tuple(n for n in query.include if tag_key(n) != tag.key)
    query = replace(query, include=(tag.name, *others))
    raw_page = request.GET.get("page")
    if raw_page is not None and (not raw_page.isdigit() or int(raw_page) < 1):
        raise Http404("No such page")
    return _results_page(
        request,
        query,
        problems,
        heading_in=tag.name,
        tag=tag,
        strict_page=raw_page is not None,
        links=replace(query, include=others),
    )


def _results_page(
    request: HttpRequest,
    query: WorkQuery,
    problems: list[str],
    *,
    heading_in: str,
    tag: Tag | None = None,
    strict_page: bool = False,
    links: WorkQuery | None = None,
) -> HttpResponse:
    """The results page. `links` is the query that page links carry (on a tag page, the
    query without its tag, which the URL already says)."""
    links = links or query
    # The sidebar lists the first TOP + MORE tags a type: only those are made (exact counts).
    results = search_works(query=query, viewer=request.user, facet_limit=FACETS_LISTED)
    if strict_page and results.page > results.pages:
        raise Http404("No such page")
    problems += [f"No tag named {name!r}; it was left out." for name in results.unknown_tags]
    blurbs = _blurbs(request, results.ids)
    for meta in blurbs:
        work_id = meta.work_id if isinstance(meta, RenderedBlurb) else meta.work.id
        meta.snippet = results.snippets.get(work_id, "")
    groups = facet_groups(query, results)
    listed = {tag_key(e.name) for g in groups for e in g.top + g.more}
    pages = range(max(1, results.page - 3), min(results.pages, results.page + 3) + 1)
    context = {
        "query": query,
        "results": results,
        "blurbs": blurbs,
        "problems": problems,
        "form": SidebarForm(query),
        "facets": groups,
        "unlisted_include": ", ".join(n for n in query.include if tag_key(n) not in listed),
        "unlisted_exclude": ", ".join(n for n in query.exclude if tag_key(n) not in listed),
        "heading_in": heading_in,
        "tag": tag,
        "page_links": [(n, "?" + links.to_querystring(page=n)) for n in pages],
        "prev_url": "?" + links.to_querystring(page=results.page - 1) if results.page > 1 else "",
        "next_url": "?" + links.to_querystring(page=results.page + 1)
        if results.page < results.pages
        else "",
        "show_anyway_url": "?" + links.to_querystring(show_excluded=True, page=1),
        "query_string": query.to_querystring(page=1),
    }
    return render(request, "search/search.html", context)


@require_GET
def tag_autocomplete(request: HttpRequest) -> JsonResponse:
    term = request.GET.get("term", "")
    tags = autocomplete_tags(term=term, tag_type=request.GET.get("type") or None)
    return JsonResponse({"tags": [{"name": t.name, "type": t.type} for t in tags]})


@login_required
@require_http_methods(["GET", "POST"])
def excludes(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    if request.method == "POST":
        try:
            _act(request, user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect("search:excludes")
    context = {
        "excluded_tags": excluded_tags(user=user),
        "excluded_creators": excluded_creators(user=user),
        "saved": saved_searches(user=user),
    }
    return render(request, "search/excludes.html", context)


def _act(request: HttpRequest, user: User) -> None:
    action, data = request.POST.get("action", ""), request.POST
    if action == "exclude_tag":
        for name in [n.strip() for n in data.get("tag", "").split(",") if n.strip()]:
            tag = find_tags([name]).get(tag_key(name))
            if tag is None:
                raise ValidationError(f"No tag named {name!r}.")
            services.excluded_tag_add(user=user, tag=tag)
    elif action == "unexclude_tag":
        services.excluded_tag_remove(user=user, tag_id=_int(data.get("tag_id")))
    elif action == "exclude_creator":
        creator = User.objects.filter(username__iexact=data.get("login", "").strip()).first()
        if creator is None:
            raise ValidationError("No such user.")
        services.excluded_creator_add(user=user, creator=creator)
    elif action == "unexclude_creator":
        services.excluded_creator_remove(user=user, creator_id=_int(data.get("creator_id")))
    elif action == "save_search":
        services.saved_search_save(
            user=user, name=data.get("name", ""), query_string=data.get("query_string", "")
        )
    elif action == "delete_search":
        services.saved_search_delete(user=user, saved_id=_int(data.get("saved_id")))
    else:
        raise ValidationError("Unknown action.")


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError as exc:
        raise ValidationError("Not a number.") from exc
