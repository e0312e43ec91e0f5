"""Tag pages: a tag's place in the wrangled vocabulary, and finding tags. A tag's works are
listed by the search app (`search:tag_works`), with the filter sidebar.

Views are entry points and may use the works app's selectors for counts; the tags models,
services and selectors never import works."""

from __future__ import annotations

from django.core.paginator import InvalidPage
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from fanarchive.works.selectors import tag_work_counts

from .models import TagType
from .selectors import tag_by_name, tag_relations, tag_search, wrangling_history


def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    """`/tags/<name>`: type, canonical or not, its canonical, synonyms, metatags, subtags,
    parents, children, work count, and what wranglers did to it."""
    tag = tag_by_name(name)
    if tag is None:
        raise Http404("No such tag")
    counts = tag_work_counts(tag)
    return render(
        request,
        "tags/tag_detail.html",
        {
            "tag": tag,
            "relations": tag_relations(tag),
            "work_count": counts["logged_in" if request.user.is_authenticated else "guests"],
            "history": wrangling_history(tag),
        },
    )


def tag_search_view(request: HttpRequest) -> HttpResponse:
    """`/tags/search`: by name, type, canonical status and fandom."""
    params = request.GET
    fandom_name = params.get("fandom", "").strip()
    fandom = tag_by_name(fandom_name) if fandom_name else None
    searched = any(params.get(k) for k in ("name", "type", "canonical", "fandom"))
    page = None
    if searched and not (fandom_name and fandom is None):
        try:
            page = tag_search(
                name=params.get("name", ""),
                tag_type=params.get("type", ""),
                canonical=params.get("canonical", ""),
                fandom=fandom,
                page=params.get("page") or 1,
            )
        except InvalidPage as exc:
            raise Http404("No such page") from exc
    query = params.copy()
    query.pop("page", None)
    return render(
        request,
        "tags/tag_search.html",
        {
            "page": page,
            "searched": searched,
            "unknown_fandom": fandom_name if fandom_name and fandom is None else "",
            "types": TagType.choices,
            "params": params,
            "query": query.urlencode(),
        },
    )
