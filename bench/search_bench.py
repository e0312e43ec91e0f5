"""`make bench` entry for the search engine: migrate the configured (empty) database, build a
demo archive of N works with its full-text index, build the engine's index, then run
`fanarchive bench search` (engine with caches off against the reference, identical answers).

    FANARCHIVE_DATA_DIR=$(mktemp -d) .venv/bin/python bench/search_bench.py --works 20000

The 1,000,000-work figures and commands are in bench/README.md ("Search engine").
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("demo", works=args.works, seed=1, text_index="yes", if_empty=True, verbosity=0)
    call_command("search", "rebuild")
    options = ["--repeat", str(args.repeat)] + (["--json"] if args.json else [])
    call_command("bench", "search", *options)
    return 0


if __name__ == "__main__":
    sys.exit(main())
