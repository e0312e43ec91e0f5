"""The write side of the engine's change log: receivers that add SearchChange rows in the
transaction that makes the change (so a rolled-back change logs nothing, and a reader that sees
the row also sees the change). Readers: engine/state.py."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone

from fanarchive.core.bulk import insert_rows

# A change naming more works than this is logged as one "everything changed" row: readers then
# load a rebuilt index (or rebuild) instead of patching work by work.
BULK_LIMIT = 10_000


def log_works(work_ids: Iterable[int]) -> None:
    from ..models import SearchChange

    ids = sorted({int(i) for i in work_ids})
    if not ids:
        return
    if len(ids) > BULK_LIMIT:
        SearchChange.objects.create()
        return
    now = timezone.now()
    insert_rows(SearchChange, ("work_id", "created_at"), [(i, now) for i in ids])


def log_tags(tag_ids: Iterable[int]) -> None:
    from ..models import SearchChange

    ids = sorted({int(i) for i in tag_ids})
    if ids:
        SearchChange.objects.bulk_create([SearchChange(tag_id=i) for i in ids], batch_size=500)


def on_works_changed(sender: Any, *, work_ids: Iterable[int], **kwargs: Any) -> None:
    log_works(work_ids)


def on_tag_filters_changed(sender: Any, *, tag_ids: Iterable[int], **kwargs: Any) -> None:
    """The works app recomputes WorkFilter for the works carrying these tags or a tag that
    depends on them (works/filters.py works_refilter_for_tags) without naming them in a
    signal: log the same works here, and the tags (a metatag changes whether a fandom is
    top-level, which crossover reads)."""
    from fanarchive.tags.graph import dependent_tags
    from fanarchive.works.models import WorkTag

    tag_ids = set(tag_ids)
    log_tags(tag_ids)
    tags = dependent_tags(tag_ids)
    works = WorkTag.objects.filter(tag_id__in=tags).values_list("work_id", flat=True).distinct()
    log_works(works)


def on_tags_renamed(sender: Any, *, tag_ids: Iterable[int], **kwargs: Any) -> None:
    # The works app sends works_changed for the works carrying them; the names are ours.
    log_tags(tag_ids)


def on_tag_saved(sender: Any, *, instance: Any, created: bool, **kwargs: Any) -> None:
    if not created and not kwargs.get("raw"):
        log_tags([instance.pk])


def on_work_row_saved(sender: Any, *, instance: Any, **kwargs: Any) -> None:
    """A saved Work, or a saved row that belongs to one (stats, tags, filters, creators)."""
    if kwargs.get("raw"):
        return
    work_id = instance.pk if sender.__name__ == "Work" else instance.work_id
    if work_id is not None:
        log_works([work_id])


def on_pseud_saved(sender: Any, *, instance: Any, created: bool, **kwargs: Any) -> None:
    """A pseud's name is its works' creator sort key."""
    if created or kwargs.get("raw"):
        return
    from fanarchive.works.models import Creatorship

    log_works(Creatorship.objects.filter(pseud_id=instance.pk).values_list("work_id", flat=True))


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from fanarchive.accounts.models import Pseud
    from fanarchive.tags.models import Tag
    from fanarchive.tags.signals import tag_filters_changed, tags_renamed
    from fanarchive.works.models import Creatorship, Work, WorkFilter, WorkStats, WorkTag
    from fanarchive.works.signals import work_counts_changed, works_changed, works_deleted

    works_changed.connect(on_works_changed, dispatch_uid="search.engine.changed")
    works_deleted.connect(on_works_changed, dispatch_uid="search.engine.deleted")
    work_counts_changed.connect(on_works_changed, dispatch_uid="search.engine.counts")
    tag_filters_changed.connect(on_tag_filters_changed, dispatch_uid="search.engine.filters")
    tags_renamed.connect(on_tags_renamed, dispatch_uid="search.engine.renamed")
    post_save.connect(on_tag_saved, sender=Tag, dispatch_uid="search.engine.tag")
    post_save.connect(on_pseud_saved, sender=Pseud, dispatch_uid="search.engine.pseud")
    for model in (Work, WorkStats, WorkTag, WorkFilter, Creatorship):
        post_save.connect(
            on_work_row_saved, sender=model, dispatch_uid=f"search.engine.{model.__name__}"
        )
    post_delete.connect(on_work_row_saved, sender=Work, dispatch_uid="search.engine.work-gone")
