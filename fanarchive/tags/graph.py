"""Reads over the wrangling graph: what a tag is filtered as, and which tags depend on a tag.

A tag is *filtered as* its canonical form (itself when canonical, its merger when a synonym,
nothing while unwrangled) plus every metatag of that canonical, transitively."""

from __future__ import annotations

from collections.abc import Iterable

from .models import MetaTagging, Tag


def metatag_closure(tag_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each tag, the set of all its metatags, transitively (without the tag itself)."""
    ids = set(tag_ids)
    parents: dict[int, set[int]] = {}
    frontier = set(ids)
    while frontier:
        links = MetaTagging.objects.filter(sub_id__in=frontier).values_list("sub_id", "meta_id")
        frontier = set()
        for sub, meta in links:
            parents.setdefault(sub, set()).add(meta)
            if meta not in parents:
                frontier.add(meta)
        frontier -= parents.keys()
    closure: dict[int, set[int]] = {}
    for tag in ids:
        seen: set[int] = set()
        stack = list(parents.get(tag, ()))
        while stack:
            meta = stack.pop()
            if meta not in seen:
                seen.add(meta)
                stack.extend(parents.get(meta, ()))
        closure[tag] = seen
    return closure


def filter_sets(tag_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each tag id, the ids of the tags a work carrying it is filtered under."""
    rows = Tag.objects.filter(id__in=set(tag_ids)).values_list("id", "canonical", "merger_id")
    base = {tag: tag if canonical else merger for tag, canonical, merger in rows}
    metas = metatag_closure(b for b in base.values() if b is not None)
    return {tag: set() if b is None else {b, *metas.get(b, ())} for tag, b in base.items()}


def subtag_closure(tag_id: int) -> set[int]:
    """All subtags of a tag, transitively (without the tag itself)."""
    seen: set[int] = set()
    frontier = {tag_id}
    while frontier:
        subs = set(
            MetaTagging.objects.filter(meta_id__in=frontier).values_list("sub_id", flat=True)
        )
        frontier = subs - seen - {tag_id}
        seen |= frontier
    return seen


def dependent_tags(tag_ids: Iterable[int]) -> set[int]:
    """Tags whose filter set can change when these tags' wrangling changes: the tags, their
    subtags (transitively), and the synonyms of all of those."""
    tags: set[int] = set()
    for tag in set(tag_ids):
        tags.add(tag)
        tags |= subtag_closure(tag)
    tags |= set(Tag.objects.filter(merger_id__in=tags).values_list("id", flat=True))
    return tags
