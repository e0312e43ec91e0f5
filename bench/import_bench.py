"""Import speed of work-text files: N single-chapter works of ~2,000 words each.

    FANARCHIVE_DATA_DIR=$(mktemp -d) .venv/bin/python bench/import_bench.py --works 2000
    scripts/with-postgres .venv/bin/python bench/import_bench.py --works 2000
    PG_DURABLE=1 scripts/with-postgres .venv/bin/python bench/import_bench.py --works 2000

Generates the files (once) in --dir, migrates the configured database, imports them with the
importer the `import` command uses, and prints works/s and how many works the text index holds
when the import returns (all of them: on PostgreSQL the index is written beside the import, on
a second connection, and finished before `run` returns). Use an empty database.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

TEXT = (
    "the lamps on rue plumet were lit one by one and marius counted them by ninth lamp he had "
    "decided to speak cosette garden gate evening barricade enjolras red flag paris night rain "
    "javert bridge seine valjean candlesticks bishop bread convent fantine hair teeth"
)
FANDOMS = ["Les Misérables - Victor Hugo", "Les Misérables - Schönberg/Boublil"]
FREEFORMS = ["Fluff", "Angst", "Slow Burn", "Hurt/Comfort", "Alternate Universe - Modern Setting"]


def make_worktext_files(directory: Path, count: int, *, words: int = 2000, seed: int = 1) -> None:
    """Write `count` work-text files (ids 1…count) of about `words` words into `directory`."""
    rng = random.Random(seed)
    words_list = TEXT.split()
    directory.mkdir(parents=True, exist_ok=True)
    for work_id in range(1, count + 1):
        paragraphs = []
        left = words
        while left > 0:
            size = min(left, rng.randint(40, 120))
            paragraphs.append(" ".join(rng.choices(words_list, k=size)).capitalize() + ".")
            left -= size
        login = f"writer{rng.randint(1, count // 5 + 1)}"
        header = [
            f"Title: Work number {work_id}",
            f"Work ID: {work_id}",
            f"Author: {login}",
            f"Rating: {rng.choice(['General Audiences', 'Teen And Up Audiences', 'Mature'])}",
            "Archive Warning: No Archive Warnings Apply",
            f"Fandom: {rng.choice(FANDOMS)}",
            f"Relationship: Character {rng.randint(1, 50)}/Character {rng.randint(51, 99)}",
            f"Additional Tags: {', '.join(rng.sample(FREEFORMS, 2))}, Tag {rng.randint(1, 3000)}",
            "Language: English",
            "Published: 2021-03-14",
            "Status: Completed",
            "Chapters: 1/1",
            "Summary: A work for the benchmark.",
        ]
        text = "\n".join(header) + "\n\n" + "\n\n".join(paragraphs) + "\n"
        (directory / f"{work_id}.txt").write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--works", type=int, default=2000)
    parser.add_argument(
        "--dir", default=str(Path(tempfile.gettempdir()) / "fanarchive-bench-worktext")
    )
    args = parser.parse_args()
    directory = Path(args.dir) / str(args.works)
    if not directory.exists():
        make_worktext_files(directory, args.works)

    import django

    django.setup()
    from contextlib import ExitStack

    from django.core.management import call_command
    from django.db import connection

    from fanarchive.interchange.importer import Outcome, WorkTextImporter
    from fanarchive.interchange.sources import iter_sources

    call_command("migrate", verbosity=0)
    with ExitStack() as stack:
        sources = list(iter_sources([str(directory)], stack))
        start = time.perf_counter()
        report = WorkTextImporter().run(sources)
        elapsed = time.perf_counter() - start
    done = report.count(Outcome.IMPORTED)
    from fanarchive.search.text import indexed_count

    print(
        f"{connection.vendor}: {done} works imported ({report.summary()}) in {elapsed:.2f} s: "
        f"{done / elapsed:.0f} works/s; {indexed_count()} searchable when the import returned"
    )


if __name__ == "__main__":
    main()
