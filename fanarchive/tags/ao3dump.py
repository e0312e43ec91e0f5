"""Loading AO3's own wrangling data: the tag dump (`tags.csv` of the OTW's public data dump)
and `Tag Name,Metatag Name` pairs.

The dump's quirks are expected: spreadsheet booleans (`TRUE`/`FALSE`), `Redacted` names, and
the warning spelled "Choose Not To Use Archive Warnings". Both loaders check every row, skip
what cannot be loaded with a reason, and write everything else in one transaction."""

from __future__ import annotations

import csv
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from .fixed import resolve_fixed
from .models import MetaTagging, Tag, TagType
from .names import clean_tag_name, tag_key, tag_name_problem
from .signals import tag_filters_changed

DUMP_TYPES: dict[str, TagType] = {
    "media": TagType.MEDIA,
    "rating": TagType.RATING,
    "archivewarning": TagType.WARNING,
    "warning": TagType.WARNING,
    "category": TagType.CATEGORY,
    "fandom": TagType.FANDOM,
    "relationship": TagType.RELATIONSHIP,
    "character": TagType.CHARACTER,
    "freeform": TagType.FREEFORM,
    "additionaltag": TagType.FREEFORM,
}
TRUE = {"true", "1", "t", "yes", "y"}
FALSE = {"false", "0", "f", "no", "n", ""}


class DumpError(ValueError):
    """The file cannot be read at all (missing, wrong columns); the message names it."""


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    synonyms: int = 0
    links: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)

    def skip(self, reason: str, where: str, detail: str = "") -> None:
        self.skipped[reason] += 1
        if len(self.problems) < 50 and detail:
            self.problems.append(f"{where}: {detail}")


def _rows(path: Path, required: Iterable[str]) -> Iterable[tuple[int, dict[str, str]]]:
    try:
        handle = path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise DumpError(f"{path}: cannot be read ({exc.strerror})") from exc
    with handle:
        reader = csv.DictReader(handle)
        columns = {c.strip().lower(): c for c in reader.fieldnames or []}
        missing = [c for c in required if c.lower() not in columns]
        if missing:
            raise DumpError(
                f"{path}:1: expected the columns {', '.join(required)}; "
                f"missing {', '.join(missing)}"
            )
        for row in reader:
            yield (
                reader.line_num,
                {k.strip().lower(): (v or "").strip() for k, v in row.items() if k},
            )


def _boolean(value: str) -> bool | None:
    folded = value.strip().lower()
    if folded in TRUE:
        return True
    if folded in FALSE:
        return False
    return None


@transaction.atomic
def load_tag_dump(path: Path) -> LoadReport:
    """Load `id,type,name,canonical,cached_count,merger_id` rows: tags are created or made
    canonical, synonyms linked to their canonical when it is in the file."""
    report = LoadReport()
    by_dump_id: dict[str, Tag] = {}
    mergers: list[tuple[int, str, Tag]] = []
    touched: set[int] = set()
    existing = {t.key: t for t in Tag.objects.all()}
    for line, row in _rows(path, ["id", "type", "name", "canonical", "merger_id"]):
        where = f"{path}:{line}"
        tag_type = DUMP_TYPES.get(row["type"].replace(" ", "").lower())
        if tag_type is None:
            report.skip("unknown type", where, f'type: unknown tag type "{row["type"]}"')
            continue
        name = clean_tag_name(row["name"])
        if name.lower() == "redacted":
            report.skip("redacted name", where)
            continue
        canonical = _boolean(row["canonical"])
        if canonical is None:
            report.skip(
                "bad canonical",
                where,
                f'canonical: expected TRUE or FALSE, got "{row["canonical"]}"',
            )
            continue
        if tag_type in TagType.fixed():
            fixed = resolve_fixed(tag_type, name)
            if fixed is None:
                report.skip(
                    "unknown fixed tag",
                    where,
                    f'name: "{name}" is not one of the archive\'s {tag_type.label} tags',
                )
                continue
            by_dump_id[row["id"]] = existing[tag_key(fixed)]
            report.unchanged += 1
            continue
        if problem := tag_name_problem(name):
            report.skip("invalid name", where, f"name: {problem}")
            continue
        key = tag_key(name)
        tag = existing.get(key)
        if tag is None:
            tag = Tag.objects.create(name=name, key=key, type=tag_type, canonical=canonical)
            existing[key] = tag
            report.created += 1
        elif tag.type != tag_type:
            report.skip(
                "type conflict",
                where,
                f'"{name}" exists as a {tag.get_type_display()} tag, not {tag_type.label}',
            )
            continue
        elif canonical and not tag.canonical:
            Tag.objects.filter(pk=tag.pk).update(canonical=True, merger=None)
            tag.canonical, tag.merger_id = True, None
            touched.add(tag.pk)
            report.updated += 1
        else:
            report.unchanged += 1
        by_dump_id[row["id"]] = tag
        if row["merger_id"]:
            mergers.append((line, row["merger_id"], tag))
    for line, merger_id, tag in mergers:
        where = f"{path}:{line}"
        target = by_dump_id.get(merger_id)
        if target is None:
            report.skip("synonym of a tag not in the file", where)
        elif not target.canonical or target.type != tag.type or target.pk == tag.pk:
            report.skip(
                "bad synonym",
                where,
                f'merger_id: "{target.name}" is not a canonical {tag.get_type_display()} tag',
            )
        elif tag.canonical:
            report.skip("bad synonym", where, f'"{tag.name}" is canonical and cannot be a synonym')
        elif tag.merger_id != target.pk:
            Tag.objects.filter(pk=tag.pk).update(merger=target)
            touched.add(tag.pk)
            report.synonyms += 1
    if touched:
        tag_filters_changed.send(sender=Tag, tag_ids=touched)
    return report


@transaction.atomic
def load_metatag_pairs(path: Path) -> LoadReport:
    """Load `Tag Name,Metatag Name` pairs between existing canonical tags of one type; pairs
    that would make a cycle are skipped."""
    report = LoadReport()
    tags = {t.key: t for t in Tag.objects.filter(canonical=True)}
    known = {k.key for k in Tag.objects.only("key")}
    parents: dict[int, set[int]] = {}
    for sub_id, meta_id in MetaTagging.objects.values_list("sub_id", "meta_id"):
        parents.setdefault(sub_id, set()).add(meta_id)
    new: list[MetaTagging] = []
    for line, row in _rows(path, ["tag name", "metatag name"]):
        where = f"{path}:{line}"
        names = (clean_tag_name(row["tag name"]), clean_tag_name(row["metatag name"]))
        sub, meta = (tags.get(tag_key(n)) for n in names)
        if sub is None or meta is None:
            missing = [n for n, t in zip(names, (sub, meta), strict=True) if t is None]
            reason = "not canonical" if all(tag_key(n) in known for n in missing) else "unknown tag"
            report.skip(reason, where, f'"{missing[0]}": {reason}')
            continue
        if sub.type != meta.type:
            report.skip(
                "type mismatch",
                where,
                f'"{meta.name}" is {meta.get_type_display()}, '
                f'"{sub.name}" is {sub.get_type_display()}',
            )
            continue
        if meta.pk in parents.get(sub.pk, set()):
            report.unchanged += 1
            continue
        if sub.pk == meta.pk or _reaches(parents, meta.pk, sub.pk):
            report.skip("cycle", where, f'"{meta.name}" is below "{sub.name}" already')
            continue
        parents.setdefault(sub.pk, set()).add(meta.pk)
        new.append(MetaTagging(sub=sub, meta=meta))
    MetaTagging.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    report.links = len(new)
    if new:
        tag_filters_changed.send(sender=Tag, tag_ids={m.sub_id for m in new})
    return report


def _reaches(parents: dict[int, set[int]], start: int, goal: int) -> bool:
    """Whether `goal` is `start` or one of its metatags, transitively."""
    seen, stack = set(), [start]
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(parents.get(node, ()))
    return False


__all__ = ["DumpError", "LoadReport", "load_metatag_pairs", "load_tag_dump"]
