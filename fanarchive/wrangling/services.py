"""Writes for the wranglers' pages: one wrangling action applied to a list of tags (each tag
through its own service in `fanarchive.tags.wrangling`), and giving works a fandom.

`works_infer_fandom(*, work_ids)` is also called by the importer for works imported without a
Fandom line."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max

from fanarchive.accounts.models import User
from fanarchive.tags import wrangling
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.selectors import tag_by_name
from fanarchive.tags.wrangling import WranglingError
from fanarchive.works.filters import work_filters_recompute
from fanarchive.works.models import Work, WorkTag
from fanarchive.works.signals import works_changed

from .selectors import fandom_candidates, works_without_fandom


@dataclass(frozen=True)
class Action:
    label: str  # what the button or menu says
    done: str  # "<done>: tag, tag"
    target: str = ""  # what the target names, if the action takes one


ACTIONS: dict[str, Action] = {
    "canonical": Action("Make canonical", "Made canonical"),
    "synonym": Action("Make synonym of", "Made synonyms of {target}", "canonical tag"),
    "add_parent": Action("Add parent", "Added the parent {target} to", "parent tag"),
    "remove_parent": Action("Remove parent", "Removed the parent {target} from", "parent tag"),
    "add_meta": Action("Add metatag", "Added the metatag {target} to", "metatag"),
    "remove_meta": Action("Remove metatag", "Removed the metatag {target} from", "metatag"),
    "unwrangleable": Action("Mark unwrangleable", "Marked unwrangleable"),
    "wrangleable": Action("Unmark unwrangleable", "No longer unwrangleable"),
    "uncanonical": Action("Remove canonical status", "No longer canonical"),
    "unsynonym": Action("Remove synonym link", "No longer synonyms"),
    "rename": Action("Rename", "Renamed to {target}", "new name"),
}
# The actions offered for a list of tags (the others are on a tag's own page).
BULK_ACTIONS = (
    "canonical",
    "synonym",
    "add_parent",
    "remove_parent",
    "add_meta",
    "remove_meta",
    "unwrangleable",
)


@dataclass
class ActionResult:
    action: str
    target: str = ""
    done: list[Tag] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def summary(self) -> str:
        """ "Made canonical: A, B." — empty when nothing was done."""
        if not self.done:
            return ""
        head = ACTIONS[self.action].done.format(target=self.target)
        return f"{head}: {', '.join(t.name for t in self.done)}."


def _one(action: str, tag: Tag, target: Tag | None, text: str, wrangler: User | None) -> Tag:
    """Apply `action` to one tag through its service (each atomic on its own)."""
    w = wrangling
    calls: dict[str, Callable[[], Tag]] = {
        "canonical": lambda: w.tag_make_canonical(tag=tag, wrangler=wrangler),
        "uncanonical": lambda: w.tag_uncanonicalize(tag=tag, wrangler=wrangler),
        "synonym": lambda: w.tag_make_synonym(tag=tag, of=target, wrangler=wrangler),  # type: ignore[arg-type]
        "unsynonym": lambda: w.tag_remove_synonym(tag=tag, wrangler=wrangler),
        "add_parent": lambda: w.tag_add_parent(tag=tag, parent=target, wrangler=wrangler),  # type: ignore[arg-type]
        "remove_parent": lambda: w.tag_remove_parent(tag=tag, parent=target, wrangler=wrangler),  # type: ignore[arg-type]
        "add_meta": lambda: w.tag_add_metatag(tag=tag, meta=target, wrangler=wrangler),  # type: ignore[arg-type]
        "remove_meta": lambda: w.tag_remove_metatag(tag=tag, meta=target, wrangler=wrangler),  # type: ignore[arg-type]
        "unwrangleable": lambda: w.tag_mark_unwrangleable(tag=tag, wrangler=wrangler),
        "wrangleable": lambda: w.tag_mark_unwrangleable(tag=tag, wrangler=wrangler, value=False),
        "rename": lambda: w.tag_rename(tag=tag, name=text, wrangler=wrangler),
    }
    return calls[action]()


def tags_apply_action(
    *, tags: Sequence[Tag], action: str, target: str = "", wrangler: User | None
) -> ActionResult:
    """Apply one wrangling action to each of `tags`. Each tag is changed (and recorded) by its
    own atomic service, so one tag's refusal (a WranglingError: type mismatch, cycle …) does
    not undo the others; refusals are collected as messages in the result."""
    if action not in ACTIONS:
        raise WranglingError(f"Unknown wrangling action “{action}”.")
    spec = ACTIONS[action]
    target = " ".join(target.split())
    result = ActionResult(action=action, target=target)
    if not tags:
        result.errors.append("Choose at least one tag.")
        return result
    target_tag: Tag | None = None
    if spec.target and action != "rename":
        if not target:
            result.errors.append(f"{spec.label}: give the name of the {spec.target}.")
            return result
        target_tag = tag_by_name(target)
        if target_tag is None:
            result.errors.append(f"There is no tag named “{target}”.")
            return result
        result.target = target_tag.name
    elif action == "rename":
        if len(tags) != 1:
            result.errors.append("Rename one tag at a time.")
            return result
        if not target:
            result.errors.append("Rename: give the new name.")
            return result
    for tag in tags:
        try:
            result.done.append(_one(action, tag, target_tag, target, wrangler))
        except WranglingError as exc:
            result.errors.append(str(exc))
    return result


# --- Works without a fandom -------------------------------------------------------------------


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _add_fandoms(pairs: dict[int, int]) -> None:
    """Give each work (key) the fandom (value) as its last tag."""
    for chunk in _chunks(sorted(pairs)):
        last = dict(
            WorkTag.objects.filter(work_id__in=chunk)
            .values("work_id")
            .annotate(last=Max("position"))
            .values_list("work_id", "last")
        )
        WorkTag.objects.bulk_create(
            [WorkTag(work_id=w, tag_id=pairs[w], position=last.get(w, -1) + 1) for w in chunk]
        )
    work_filters_recompute(work_ids=pairs.keys())
    works_changed.send(sender=Work, work_ids=sorted(pairs))


@transaction.atomic
def works_infer_fandom(*, work_ids: Iterable[int]) -> dict[str, Any]:
    """Give each of these works that has no fandom tag the one fandom its relationship and
    character tags point to: the fandom parents of those tags and of their canonical tags
    (for synonyms). Works whose tags point to several fandoms, or to none, are left alone.

    Returns {"inferred": {work id: fandom tag id}, "ambiguous": {work id: [fandom ids]},
    "unknown": [work ids with no candidate]}; works that had a fandom appear in none."""
    ids = sorted(set(work_ids))
    pending: list[int] = []
    for chunk in _chunks(ids):
        pending += works_without_fandom(Work.objects.filter(id__in=chunk)).values_list(
            "id", flat=True
        )
    candidates = fandom_candidates(pending)
    inferred = {w: next(iter(c)) for w, c in candidates.items() if len(c) == 1}
    if inferred:
        _add_fandoms(inferred)
    return {
        "inferred": inferred,
        "ambiguous": {w: sorted(c) for w, c in candidates.items() if len(c) > 1},
        "unknown": sorted(w for w, c in candidates.items() if not c),
    }


@transaction.atomic
def work_set_fandom(*, work: Work, fandom: Tag, wrangler: User | None) -> Work:
    """Give a work that has no fandom tag the canonical fandom `fandom` (a wrangler's choice
    on the works-needing-a-fandom page)."""
    if fandom.type != TagType.FANDOM:
        raise WranglingError(f"{fandom.name} is a {fandom.get_type_display()} tag, not a fandom.")
    if not fandom.canonical:
        raise WranglingError(f"{fandom.name} is not canonical: choose a canonical fandom.")
    work = Work.objects.select_for_update().get(pk=work.pk)
    current = list(
        WorkTag.objects.filter(work=work, tag__type=TagType.FANDOM).values_list(
            "tag__name", flat=True
        )
    )
    if current:
        raise WranglingError(f"“{work.title}” has a fandom already: {', '.join(current)}.")
    _add_fandoms({work.pk: fandom.pk})
    return work
