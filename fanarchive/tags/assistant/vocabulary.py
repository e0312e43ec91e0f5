"""Building the assistant's vocabulary: from the database (cached, invalidated on change) and
from AO3's CSV files (for the evaluation in bench/wrangling_assistant.py)."""

from __future__ import annotations

import csv
import threading
from collections import Counter, defaultdict
from pathlib import Path

from .engine import VocabTag, Vocabulary

# AO3 data dump type names → the archive's TagType values.
# (Plain strings, so the CSV side runs without Django; test_assistant checks them.)
CSV_TYPES = {
    "Rating": "rating",
    "ArchiveWarning": "warning",
    "Warning": "warning",
    "Category": "category",
    "Fandom": "fandom",
    "Relationship": "relationship",
    "Character": "character",
    "Freeform": "freeform",
    "Media": "media",
}

_lock = threading.Lock()
_cached: tuple[tuple, Vocabulary] | None = None


def _work_tag_model():
    # works sits above tags in the dependency order: look the model up, do not import it.
    from django.apps import apps

    return apps.get_model("works", "WorkTag")


def vocabulary_from_database() -> Vocabulary:
    """Every canonical tag with its popularity (works tagged with it or its synonyms), its
    direct metatags and its parents. Five queries."""
    from django.db.models import Count

    from fanarchive.tags.models import MetaTagging, ParentTagging, Tag

    WorkTag = _work_tag_model()
    direct = dict(
        WorkTag.objects.values_list("tag_id").annotate(n=Count("id")).values_list("tag_id", "n")
    )
    popularity: Counter[int] = Counter()
    canonical = list(
        Tag.objects.filter(canonical=True).values_list("id", "name", "type").order_by("id")
    )
    for tag_id, n in direct.items():
        popularity[tag_id] += n
    for syn_id, merger_id in Tag.objects.filter(merger__isnull=False).values_list(
        "id", "merger_id"
    ):
        popularity[merger_id] += direct.get(syn_id, 0)
    metas: dict[int, list[int]] = defaultdict(list)
    for meta_id, sub_id in MetaTagging.objects.values_list("meta_id", "sub_id"):
        metas[sub_id].append(meta_id)
    parents: dict[int, list[int]] = defaultdict(list)
    for parent_id, child_id in ParentTagging.objects.values_list("parent_id", "child_id"):
        parents[child_id].append(parent_id)
    return Vocabulary(
        VocabTag(
            id=tag_id,
            name=name,
            type=tag_type,
            popularity=popularity[tag_id],
            parents=tuple(parents.get(tag_id, ())),
            metatags=tuple(metas.get(tag_id, ())),
        )
        for tag_id, name, tag_type in canonical
    )


def _database_version() -> tuple:
    from django.db.models import Count, Max

    from fanarchive.tags.models import MetaTagging, ParentTagging, Tag

    tags = Tag.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    meta = MetaTagging.objects.aggregate(n=Count("id"), last=Max("id"))
    parent = ParentTagging.objects.aggregate(n=Count("id"), last=Max("id"))
    return (tags["n"], tags["at"], meta["n"], meta["last"], parent["n"], parent["last"])


def cached_vocabulary() -> Vocabulary:
    """The database vocabulary, rebuilt when tags, metatags or parents changed (three cheap
    aggregate queries decide) or after `invalidate_vocabulary()`."""
    global _cached
    version = _database_version()
    with _lock:
        if _cached is not None and _cached[0] == version:
            return _cached[1]
    vocabulary = vocabulary_from_database()
    with _lock:
        _cached = (version, vocabulary)
    return vocabulary


def invalidate_vocabulary() -> None:
    """Forget the cached vocabulary; the next suggestion rebuilds it."""
    global _cached
    with _lock:
        _cached = None


def tag_usage(name: str) -> dict[int, int]:
    """Fandom id → how many works carry both the tag named `name` and that fandom."""
    from fanarchive.tags.models import Tag, TagType
    from fanarchive.tags.names import tag_key

    WorkTag = _work_tag_model()
    tag = Tag.objects.filter(key=tag_key(name)).first()
    if tag is None:
        return {}
    works = WorkTag.objects.filter(tag=tag).values("work_id")
    rows = (
        WorkTag.objects.filter(work_id__in=works, tag__type=TagType.FANDOM)
        .exclude(tag=tag)
        .values_list("tag_id", "tag__merger_id")
    )
    counts: Counter[int] = Counter()
    for tag_id, merger_id in rows:
        counts[merger_id or tag_id] += 1
    return dict(counts)


# -- CSV ----------------------------------------------------------------------------------


def read_dump_tags(path: str | Path) -> list[dict[str, str]]:
    """Rows of AO3's dump `tags.csv` (id,type,name,canonical,cached_count,merger_id)."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def is_true(value: str) -> bool:
    return value.strip().lower() in ("true", "1", "t", "yes")


def vocabulary_from_dump_rows(
    rows: list[dict[str, str]], *, exclude_ids: frozenset[str] = frozenset()
) -> Vocabulary:
    """Every canonical tag of the dump rows; popularity is the dump's cached_count."""
    tags = []
    for row in rows:
        if not is_true(row["canonical"]) or row["id"] in exclude_ids:
            continue
        if row["name"].strip().lower() == "redacted":
            continue
        tags.append(
            VocabTag(
                id=int(row["id"]),
                name=row["name"],
                type=CSV_TYPES.get(row["type"], row["type"].lower()),
                popularity=int(row["cached_count"] or 0),
            )
        )
    return Vocabulary(tags)


def read_metatag_pairs(path: str | Path) -> list[tuple[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        return [(row[0], row[1]) for row in reader if len(row) >= 2]


def vocabulary_from_metatag_names(names: list[str]) -> Vocabulary:
    """Untyped canonical tags, one per distinct name."""
    seen: dict[str, int] = {}
    for name in names:
        seen.setdefault(name, len(seen) + 1)
    return Vocabulary(VocabTag(id=i, name=n, type=None) for n, i in seen.items())
