"""Reads about tags."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet

from .models import Tag, TagType, WranglingAction
from .names import tag_key


def tag_by_name(name: str) -> Tag | None:
    """The tag called `name`, compared as AO3 does (case and spacing do not matter)."""
    return Tag.objects.filter(key=tag_key(name)).first()


def tag_relations(tag: Tag) -> dict[str, Any]:
    """A tag's place in the wrangled vocabulary: its canonical, synonyms, direct metatags and
    subtags, parents and children, each a list of tags in name order."""
    return {
        "merger": tag.merger if tag.merger_id else None,
        "synonyms": list(Tag.objects.filter(merger=tag).order_by("name")),
        "metatags": list(Tag.objects.filter(sub_links__sub=tag).order_by("name")),
        "subtags": list(Tag.objects.filter(meta_links__meta=tag).order_by("name")),
        "parents": list(Tag.objects.filter(child_links__child=tag).order_by("type", "name")),
        "children": list(Tag.objects.filter(parent_links__parent=tag).order_by("type", "name")),
    }


def tag_summary(tag: Tag, *, work_counts: dict[str, int] | None = None) -> dict[str, Any]:
    """What `fanarchive tags show --json` prints: names only, JSON-ready."""
    relations = tag_relations(tag)
    summary: dict[str, Any] = {
        "name": tag.name,
        "type": TagType(tag.type).label,
        "canonical": tag.canonical,
        "unwrangleable": tag.unwrangleable,
        "canonical_tag": relations["merger"].name if relations["merger"] else None,
    }
    for key in ("synonyms", "metatags", "subtags", "parents", "children"):
        summary[key] = [t.name for t in relations[key]]
    if work_counts is not None:
        summary["work_count"] = work_counts["guests"]
        summary["work_count_logged_in"] = work_counts["logged_in"]
    return summary


def wrangling_history(tag: Tag, *, limit: int = 50) -> QuerySet[WranglingAction]:
    return WranglingAction.objects.filter(tag=tag).select_related("actor")[:limit]


def tag_search(
    *,
    name: str = "",
    tag_type: str = "",
    canonical: str = "",
    fandom: Tag | None = None,
    page: int | str = 1,
    per_page: int = 50,
) -> Page:
    """Tags by name (words in any order), type, canonical status and fandom (its children),
    canonical tags first, then by name. Raises InvalidPage for a page out of range."""
    tags = Tag.objects.select_related("merger")
    for word in name.split():
        tags = tags.filter(name__icontains=word)
    if tag_type in TagType.values:
        tags = tags.filter(type=tag_type)
    if canonical == "yes":
        tags = tags.filter(canonical=True)
    elif canonical == "no":
        tags = tags.filter(canonical=False)
    if fandom is not None:
        tags = tags.filter(Q(parent_links__parent=fandom)).distinct()
    return Paginator(tags.order_by("-canonical", "name"), per_page).page(page)
