"""Writes: the full-text index kept current, and a reader's saved excludes and searches."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from fanarchive.accounts.models import User
from fanarchive.tags.models import Tag

from . import text
from .models import ExcludedCreator, ExcludedTag, SavedSearch
from .text.deferred import deferred_indexer


def search_text_update(*, work_ids: Iterable[int]) -> int:
    """Rewrite the index documents of these works (drops those of works that are gone)."""
    return text.index_works(work_ids)


def search_text_delete(*, work_ids: Iterable[int]) -> None:
    text.unindex_works(work_ids)


def search_text_rebuild(*, batch_size: int = 20_000, progress: Any = None) -> int:
    """Rebuild the whole index, set-based, in batches of work ids; returns documents written."""
    with transaction.atomic():
        return text.rebuild_index(batch_size=batch_size, progress=progress)


def on_works_changed(sender: Any, *, work_ids: Iterable[int], **kwargs: Any) -> None:
    """Index the changed works in the writing transaction, or, inside a bulk run
    (`works_bulk_changes()`, see text/deferred.py), hand them to its indexer on commit."""
    indexer = deferred_indexer()
    if indexer is not None:
        indexer.add(work_ids)
    else:
        search_text_update(work_ids=work_ids)


def on_works_deleted(sender: Any, *, work_ids: Iterable[int], **kwargs: Any) -> None:
    search_text_delete(work_ids=work_ids)


@transaction.atomic
def excluded_tag_add(*, user: User, tag: Tag) -> ExcludedTag:
    excluded, _ = ExcludedTag.objects.get_or_create(user=user, tag=tag)
    return excluded


@transaction.atomic
def excluded_tag_remove(*, user: User, tag_id: int) -> bool:
    deleted, _ = ExcludedTag.objects.filter(user=user, tag_id=tag_id).delete()
    return bool(deleted)


@transaction.atomic
def excluded_creator_add(*, user: User, creator: User) -> ExcludedCreator:
    if creator.pk == user.pk:
        raise ValidationError("You cannot hide your own works.")
    excluded, _ = ExcludedCreator.objects.get_or_create(user=user, creator=creator)
    return excluded


@transaction.atomic
def excluded_creator_remove(*, user: User, creator_id: int) -> bool:
    deleted, _ = ExcludedCreator.objects.filter(user=user, creator_id=creator_id).delete()
    return bool(deleted)


@transaction.atomic
def saved_search_save(*, user: User, name: str, query_string: str) -> SavedSearch:
    """Save (or overwrite) the search `name` of `user`."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError("A saved search needs a name.")
    if len(name) > 100:
        raise ValidationError("A saved search's name has at most 100 characters.")
    saved, _ = SavedSearch.objects.update_or_create(
        user=user, name=name, defaults={"query_string": query_string.lstrip("?")}
    )
    return saved


@transaction.atomic
def saved_search_delete(*, user: User, saved_id: int) -> bool:
    deleted, _ = SavedSearch.objects.filter(user=user, pk=saved_id).delete()
    return bool(deleted)
