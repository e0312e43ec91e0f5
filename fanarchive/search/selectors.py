"""Reads: answering a WorkQuery for a viewer, and a reader's excludes and saved searches."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.db.models import Case, QuerySet, When
from django.utils.module_loading import import_string

from fanarchive.tags.models import Tag
from fanarchive.tags.names import tag_key

from .backends.base import SearchBackend, WorkResults
from .models import ExcludedCreator, ExcludedTag, SavedSearch
from .query import WorkQuery

if TYPE_CHECKING:
    from fanarchive.accounts.models import User
    from fanarchive.works.permissions import Viewer

DEFAULT_BACKEND = "fanarchive.search.backends.reference.ReferenceBackend"


@cache
def _backend(path: str) -> SearchBackend:
    return import_string(path)()


def get_backend() -> SearchBackend:
    """The backend named by FANARCHIVE_SEARCH_BACKEND (the SQL reference by default)."""
    return _backend(getattr(settings, "FANARCHIVE_SEARCH_BACKEND", DEFAULT_BACKEND))


def with_excludes(query: WorkQuery, viewer: Viewer) -> WorkQuery:
    """`query` with the viewer's saved excludes filled in (nothing for guests)."""
    if not viewer.is_authenticated:
        return replace(query, hide_tag_ids=(), hide_user_ids=())
    tags = tuple(
        ExcludedTag.objects.filter(user=viewer).order_by("tag_id").values_list("tag_id", flat=True)
    )
    creators = tuple(
        ExcludedCreator.objects.filter(user=viewer)
        .order_by("creator_id")
        .values_list("creator_id", flat=True)
    )
    return replace(query, hide_tag_ids=tags, hide_user_ids=creators)


def search_works(
    *, query: WorkQuery, viewer: Viewer, facet_limit: int | None = None
) -> WorkResults:
    """The works `viewer` may open that match `query`, with the viewer's saved excludes
    applied (counted in `hidden_by_excludes`) unless the query shows them anyway; at most
    `facet_limit` facet entries a type (None: all)."""
    return get_backend().search_works(
        with_excludes(query, viewer), viewer=viewer, facet_limit=facet_limit
    )


def excluded_tags(*, user: User) -> QuerySet[ExcludedTag]:
    return ExcludedTag.objects.filter(user=user).select_related("tag")


def excluded_creators(*, user: User) -> QuerySet[ExcludedCreator]:
    return ExcludedCreator.objects.filter(user=user).select_related("creator")


def saved_searches(*, user: User) -> QuerySet[SavedSearch]:
    return SavedSearch.objects.filter(user=user)


def tag_autocomplete(*, term: str, tag_type: str | None = None, limit: int = 15) -> list[Tag]:
    """Tags whose name contains `term`, canonical ones first, then names starting with it."""
    term = " ".join(term.split())
    if len(term) < 2:
        return []
    tags = Tag.objects.filter(key__contains=tag_key(term))
    if tag_type:
        tags = tags.filter(type=tag_type)
    return list(
        tags.annotate(starts=Case(When(key__startswith=tag_key(term), then=1), default=0)).order_by(
            "-canonical", "-starts", "name", "id"
        )[:limit]
    )
