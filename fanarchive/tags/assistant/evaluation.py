"""The assistant's evaluation on real AO3 wrangling decisions (used by
bench/wrangling_assistant.py and by the real-data regression test).

Synonyms: AO3's 2021 dump sample. The vocabulary is every canonical tag of the sample; each
synonym (a row with merger_id) is asked for and the first synonym suggestion compared with its
merger. Evaluable = the merger row is in the sample (and canonical). For the others AO3's answer
is not in the vocabulary, so any suggestion is wrong and abstaining is right.

Metatags: metatags-2023.csv. The vocabulary is every metatag name (untyped canonical tags); each
tag of a deterministic sample is asked for (the engine never suggests a tag as its own metatag)
and its first metatag suggestion compared with that tag's metatags in the file.
"""

from __future__ import annotations

import os
import random
import time
from collections import defaultdict
from pathlib import Path

from .engine import rank
from .vocabulary import (
    CSV_TYPES,
    is_true,
    read_dump_tags,
    read_metatag_pairs,
    vocabulary_from_dump_rows,
    vocabulary_from_metatag_names,
)

DATA = Path(os.environ.get("FANARCHIVE_SHARED_DATA", "/work/shared/data")) / "ao3"
DUMP_TAGS = DATA / "dump-2021-tags-sample.csv"
METATAGS = DATA / "metatags-2023.csv"


def evaluate_synonyms(path: Path = DUMP_TAGS, *, verbose: bool = False) -> dict:
    rows = read_dump_tags(path)
    by_id = {row["id"]: row for row in rows}
    vocabulary = vocabulary_from_dump_rows(rows)
    synonyms = [row for row in rows if row["merger_id"].strip()]
    evaluable = suggested = correct = 0
    other = other_suggested = 0
    misses = []
    for row in synonyms:
        tag_type = CSV_TYPES.get(row["type"], row["type"].lower())
        result = rank(row["name"], vocabulary=vocabulary, tag_type=tag_type)
        first = result.synonyms[0] if result.synonyms else None
        target = by_id.get(row["merger_id"].strip())
        if target is not None and is_true(target["canonical"]):
            evaluable += 1
            if first is not None:
                suggested += 1
                if str(first.id) == target["id"]:
                    correct += 1
                    continue
            misses.append((row["name"], target["name"], first.name if first else None))
        else:
            other += 1
            if first is not None:
                other_suggested += 1
    if verbose:
        for name, want, got in misses:
            print(f"  miss: {name!r} → want {want!r}, got {got!r}")
    return {
        "synonyms": len(synonyms),
        "evaluable": evaluable,
        "suggested": suggested,
        "correct": correct,
        "precision": correct / suggested if suggested else 0.0,
        "recall": correct / evaluable if evaluable else 0.0,
        "not_evaluable": other,
        "not_evaluable_with_suggestion": other_suggested,
        "misses": [{"name": n, "want": w, "got": g} for n, w, g in misses],
    }


def evaluate_metatags(path: Path = METATAGS, *, sample: int = 5000, seed: int = 2023) -> dict:
    pairs = read_metatag_pairs(path)
    metas_of: dict[str, set[str]] = defaultdict(set)
    for tag, meta in pairs:
        metas_of[tag].add(meta)
    names = sorted({meta for _, meta in pairs})
    tags = sorted(metas_of)
    if sample and sample < len(tags):
        tags = random.Random(seed).sample(tags, sample)  # noqa: S311 - a fixed, reproducible sample
    # The held-out tag is left out by the engine itself: it never suggests the tag itself.
    vocabulary = vocabulary_from_metatag_names(names)
    suggested = correct = 0
    started = time.perf_counter()
    for tag in tags:
        result = rank(tag, vocabulary=vocabulary)
        if result.metatags:
            suggested += 1
            if result.metatags[0].name in metas_of[tag]:
                correct += 1
    elapsed = time.perf_counter() - started
    return {
        "pairs": len(pairs),
        "tags": len(metas_of),
        "vocabulary": len(names),
        "sampled": len(tags),
        "suggested": suggested,
        "correct": correct,
        "precision": correct / suggested if suggested else 0.0,
        "recall": correct / len(tags) if tags else 0.0,
        "ms_per_tag": 1000 * elapsed / max(1, len(tags)),
    }
