"""Evaluate the wrangling assistant on real AO3 wrangling decisions.

    .venv/bin/python bench/wrangling_assistant.py [--json] [--metatag-sample N] [--verbose]

1. Synonyms: AO3's 2021 dump sample. The vocabulary is every canonical tag of the sample; each
   synonym (a row with merger_id) is asked for, and the first synonym suggestion compared with
   its merger. Evaluable = the merger row is in the sample. On the others, any suggestion is
   wrong by construction (AO3's answer is not in the vocabulary), so abstaining is right.
2. Metatags: metatags-2023.csv. The vocabulary is every metatag name (untyped canonical tags);
   each tag of a deterministic sample is held out and its first metatag suggestion compared with
   its metatags in the file.
3. Speed: suggestion latency against a synthetic vocabulary of ~100k canonical tags.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def _setup() -> None:
    import django

    django.setup()


def measure_speed(*, size: int = 100_000, queries: int = 300, seed: int = 7) -> dict:
    """Latency of `rank` on a synthetic ~100k-tag vocabulary made from the real names."""
    from fanarchive.tags.assistant.engine import VocabTag, Vocabulary, rank
    from fanarchive.tags.assistant.evaluation import DUMP_TAGS, METATAGS
    from fanarchive.tags.assistant.vocabulary import CSV_TYPES, read_dump_tags, read_metatag_pairs

    rng = random.Random(seed)
    rows = read_dump_tags(DUMP_TAGS)
    real = [(r["name"], CSV_TYPES.get(r["type"], "freeform")) for r in rows]
    pairs = read_metatag_pairs(METATAGS)
    real += [(name, "freeform") for pair in pairs for name in pair]
    words = sorted({w for name, _ in real for w in name.split() if w.isalpha()})
    fandoms = [f"{rng.choice(words)} {rng.choice(words)}" for _ in range(2000)]
    tags: dict[str, VocabTag] = {}
    for name, tag_type in real:
        tags.setdefault(name.lower(), VocabTag(len(tags) + 1, name, tag_type, rng.randint(0, 999)))
    while len(tags) < size:
        kind = rng.random()
        if kind < 0.35:
            name = f"{rng.choice(words).title()} {rng.choice(words).title()}"
            name += f" ({rng.choice(fandoms)})" if rng.random() < 0.3 else ""
            tag_type = "character"
        elif kind < 0.6:
            name = f"{rng.choice(words).title()} {rng.choice(words).title()}/"
            name += f"{rng.choice(words).title()} {rng.choice(words).title()}"
            tag_type = "relationship"
        else:
            name = " ".join(rng.choice(words) for _ in range(rng.randint(1, 4))).title()
            tag_type = "freeform"
        tags.setdefault(name.lower(), VocabTag(len(tags) + 1, name, tag_type, rng.randint(0, 99)))
    started = time.perf_counter()
    vocabulary = Vocabulary(tags.values())
    build = time.perf_counter() - started
    probes = [name for name, _ in rng.sample(real, queries)]
    probes += ["Draco", "Rodney/John", "h/c", "Domesticity", "AU", "McShep", "Javert"]
    times = []
    for probe in probes:
        t0 = time.perf_counter()
        rank(probe, vocabulary=vocabulary)
        times.append(1000 * (time.perf_counter() - t0))
    times.sort()
    return {
        "vocabulary": len(vocabulary),
        "build_s": build,
        "queries": len(times),
        "median_ms": statistics.median(times),
        "p95_ms": times[int(0.95 * (len(times) - 1))],
        "max_ms": times[-1],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--metatag-sample", type=int, default=5000, help="0 = all tags")
    parser.add_argument("--no-speed", action="store_true")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    _setup()
    from fanarchive.tags.assistant.evaluation import evaluate_metatags, evaluate_synonyms

    report = {
        "synonyms": evaluate_synonyms(verbose=args.verbose and not args.json),
        "metatags": evaluate_metatags(sample=args.metatag_sample),
    }
    if not args.no_speed:
        report["speed"] = measure_speed()
    if args.json:
        print(json.dumps(report, indent=2))
        return
    s = report["synonyms"]
    print(
        f"synonyms: {s['correct']}/{s['evaluable']} evaluable right first "
        f"(precision {s['precision']:.3f}, recall {s['recall']:.3f}, suggested {s['suggested']}); "
        f"not evaluable: suggestion made for {s['not_evaluable_with_suggestion']} "
        f"of {s['not_evaluable']} (all wrong by construction)"
    )
    m = report["metatags"]
    print(
        f"metatags: {m['correct']}/{m['sampled']} right first (precision {m['precision']:.3f}, "
        f"recall {m['recall']:.3f}, suggested {m['suggested']}) over a vocabulary of "
        f"{m['vocabulary']} metatags, {m['ms_per_tag']:.1f} ms/tag"
    )
    if "speed" in report:
        p = report["speed"]
        print(
            f"speed: {p['vocabulary']} tags built in {p['build_s']:.1f} s; {p['queries']} "
            f"suggestions median {p['median_ms']:.1f} ms, p95 {p['p95_ms']:.1f} ms, "
            f"max {p['max_ms']:.1f} ms"
        )


if __name__ == "__main__":
    main()
