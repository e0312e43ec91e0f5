"""Keeping WorkFilter — what each work is filtered under — equal to its definition:
the canonical form of each of the work's tags plus all their metatags, transitively."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.db import connection, transaction
from django.db.models import Q

from fanarchive.core.bulk import insert_rows
from fanarchive.tags.graph import dependent_tags, filter_sets

from .models import WorkFilter, WorkTag

CHUNK = 500


def _chunks(ids: Iterable[int], size: int) -> Iterable[list[int]]:
    iterator = iter(ids)
    while chunk := list(islice(iterator, size)):
        yield chunk


@transaction.atomic
def work_filters_recompute(*, work_ids: Iterable[int]) -> int:
    """Recompute the filter rows of these works; returns the number of rows added or removed."""
    changed = 0
    cache: dict[int, set[int]] = {}
    for chunk in _chunks(sorted(set(work_ids)), CHUNK):
        tags_of: dict[int, set[int]] = {w: set() for w in chunk}
        for work, tag in WorkTag.objects.filter(work_id__in=chunk).values_list("work_id", "tag_id"):
            tags_of[work].add(tag)
        missing = {t for tags in tags_of.values() for t in tags} - cache.keys()
        if missing:
            cache.update(filter_sets(missing))
        current: dict[int, set[int]] = {w: set() for w in chunk}
        for work, tag in WorkFilter.objects.filter(work_id__in=chunk).values_list(
            "work_id", "tag_id"
        ):
            current[work].add(tag)
        to_add: list[WorkFilter] = []
        to_remove: list[tuple[int, int]] = []
        for work in chunk:
            wanted: set[int] = set()
            for tag in tags_of[work]:
                wanted |= cache.get(tag, set())
            to_add += [WorkFilter(work_id=work, tag_id=t) for t in wanted - current[work]]
            to_remove += [(work, t) for t in current[work] - wanted]
        if to_add:
            WorkFilter.objects.bulk_create(to_add, batch_size=1000)
        for work, tags in _group(to_remove).items():
            WorkFilter.objects.filter(work_id=work, tag_id__in=tags).delete()
        changed += len(to_add) + len(to_remove)
    return changed


def work_filters_create(*, tags_of: dict[int, Iterable[int]]) -> int:
    """The filter rows of new works (which have none yet), from each work's tag ids: one
    `filter_sets` for all their tags and one bulk insert, no reading back of WorkTag or
    WorkFilter. Returns the number of rows written. Equal to `work_filters_recompute` for
    works without filter rows (a test compares them)."""
    sets = filter_sets({tag for tags in tags_of.values() for tag in tags})
    rows: list[tuple[int, int]] = []
    for work, tags in tags_of.items():
        wanted: set[int] = set()
        for tag in tags:
            wanted |= sets.get(tag, set())
        rows += [(work, tag) for tag in sorted(wanted)]
    insert_rows(WorkFilter, ("work", "tag"), rows)
    return len(rows)


def _group(pairs: list[tuple[int, int]]) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for work, tag in pairs:
        grouped.setdefault(work, []).append(tag)
    return grouped


def works_refilter_for_tags(*, tag_ids: Iterable[int]) -> int:
    """Recompute the filters of every work that carries one of these tags or a tag depending
    on them (subtags, synonyms); returns the number of filter rows changed."""
    tags = dependent_tags(tag_ids)
    works = WorkTag.objects.filter(tag_id__in=tags).values_list("work_id", flat=True).distinct()
    return work_filters_recompute(work_ids=list(works))


def on_tag_filters_changed(sender: Any, *, tag_ids: Iterable[int], **kwargs: Any) -> None:
    works_refilter_for_tags(tag_ids=tag_ids)


@transaction.atomic
def work_filters_rebuild_all() -> int:
    """Rebuild WorkFilter for the whole archive, set-based: the tag → filter-tags map is
    computed once (it is as large as the wrangled vocabulary, not the archive) and joined with
    WorkTag in SQL. For bulk loads and repairs; returns the number of rows written."""

    from fanarchive.tags.models import Tag

    # Only canonical tags and synonyms give filters; unwrangled tags give none.
    tag_ids = Tag.objects.filter(Q(canonical=True) | Q(merger__isnull=False)).values_list(
        "id", flat=True
    )
    mapping = filter_sets(tag_ids)
    pairs = [(tag, f) for tag, filters in mapping.items() for f in filters]
    table = WorkFilter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (model table name)
        cursor.execute(
            "CREATE TEMPORARY TABLE fanarchive_filter_map (tag_id bigint, filter_id bigint)"
        )
        try:
            cursor.executemany(
                "INSERT INTO fanarchive_filter_map (tag_id, filter_id) VALUES (%s, %s)", pairs
            )
            cursor.execute(
                f"INSERT INTO {table} (work_id, tag_id) "  # noqa: S608
                "SELECT DISTINCT wt.work_id, m.filter_id FROM works_worktag wt "
                "JOIN fanarchive_filter_map m ON m.tag_id = wt.tag_id"
            )
            written = cursor.rowcount
        finally:
            cursor.execute("DROP TABLE fanarchive_filter_map")
    return written


def on_tags_renamed(sender: Any, *, tag_ids: Iterable[int], **kwargs: Any) -> None:
    """A tag's name is part of what is searched: tell listeners which works carry it."""
    from .models import Work
    from .signals import works_changed

    works = list(WorkTag.objects.filter(tag_id__in=set(tag_ids)).values_list("work_id", flat=True))
    if works:
        works_changed.send(sender=Work, work_ids=works)
