"""Build the full-text index for the works of the archive's largest fandom only.

`fanarchive bench search` has one text query, and it is combined with the largest fandom: the
works outside that fandom can never match it, so indexing that fandom's works gives exactly the
answers a full index would (for the engine and the reference alike). At 1,000,000 works on
SQLite the full `fanarchive search reindex` takes over 20 minutes; this takes a few.

    FANARCHIVE_DATA_DIR=/path/to/archive .venv/bin/python bench/text_index_for_mix.py

Run `fanarchive search reindex` instead for an archive whose text search readers use.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.models import Count

    from fanarchive.search import text as fulltext
    from fanarchive.tags.models import TagType
    from fanarchive.works.models import WorkFilter

    start = time.perf_counter()
    top = (
        WorkFilter.objects.filter(tag__type=TagType.FANDOM)
        .values("tag_id", "tag__name")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if top is None:
        print("No fandom has works: nothing to index.")
        return 1
    ids = list(WorkFilter.objects.filter(tag_id=top["tag_id"]).values_list("work_id", flat=True))
    print(f"{top['tag__name']}: {len(ids):,} works ({time.perf_counter() - start:.1f} s)")
    start = time.perf_counter()
    batch = 20_000
    written = 0
    for i in range(0, len(ids), batch):
        with connection.cursor():
            written += fulltext.index_works(ids[i : i + batch])
        print(f"  {written:,} indexed", flush=True)
    print(f"Indexed {written:,} works in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
