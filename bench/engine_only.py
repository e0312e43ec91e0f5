"""The engine's half of `fanarchive bench search` alone: the same query mix, caches off, 30 runs
a query, without the reference (which takes minutes per query at a million works). For
re-measuring the engine on a quiet machine; the equality of the answers is what
`fanarchive bench search` checks.

    FANARCHIVE_DATA_DIR=/path/to/archive .venv/bin/python bench/engine_only.py [--repeat K]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django.setup()

from django.contrib.auth.models import AnonymousUser  # noqa: E402

from fanarchive.search.benchmark import ENGINE, make_backend, percentile, query_mix, timed  # noqa: E402
from fanarchive.search.forms import FACETS_LISTED  # noqa: E402
from fanarchive.search.query import WorkQuery  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument(
        "--facet-limit", type=int, default=FACETS_LISTED, help="facet entries a type; 0: all"
    )
    args = parser.parse_args()
    guest = AnonymousUser()
    start = time.perf_counter()
    engine, _cached = make_backend(ENGINE, cache=False)
    engine.search_works(WorkQuery(), viewer=guest)
    print(f"first answer (index load): {time.perf_counter() - start:.2f} s", flush=True)
    every: list[float] = []
    print("| query | works | p50 ms | p99 ms |\n|---|---:|---:|---:|")
    for item in query_mix(engine):
        limit = args.facet_limit or None
        engine.search_works(item.query, viewer=guest, facet_limit=limit)  # warm-up
        samples, results = timed(engine, item.query, max(1, args.repeat), limit)
        every += samples
        print(
            f"| {item.name} | {results.total:,} | {percentile(samples, 50):.1f} "
            f"| {percentile(samples, 99):.1f} |",
            flush=True,
        )
    print(f"| **all** | | **{percentile(every, 50):.1f}** | **{percentile(every, 99):.1f}** |")
    print(f"facets: {args.facet_limit or 'all'} a type; load average:", os.getloadavg())


if __name__ == "__main__":
    main()
