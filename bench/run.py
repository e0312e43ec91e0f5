"""`make bench`: every benchmark of bench/README.md at a size that takes a few minutes.

    .venv/bin/python bench/run.py

Each benchmark runs as its own process on SQLite in a fresh temporary data folder. For
PostgreSQL run each one under its own `scripts/with-postgres …` (each wants an empty
database); the commands, and the full-size runs (1,000,000 demo works), are in
bench/README.md.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PYTHON = sys.executable

BENCHMARKS = [
    ("import of work-text files", ["import_bench.py", "--works", "2000"]),
    ("demo generator", ["demo_bench.py", "--works", "100000"]),
    ("wrangling assistant", ["wrangling_assistant.py", "--metatag-sample", "5000"]),
    ("search engine against the reference", ["search_bench.py", "--works", "20000"]),
]


def main() -> int:
    failed = 0
    for title, args in BENCHMARKS:
        print(f"\n=== {title}: {' '.join(args)}", flush=True)
        with tempfile.TemporaryDirectory(prefix="fanarchive-bench-") as data:
            env = {**os.environ, "FANARCHIVE_DATA_DIR": data}
            env.pop("DATABASE_URL", None)
            command = [PYTHON, str(HERE / args[0]), *args[1:]]
            result = subprocess.run(command, env=env, check=False)  # noqa: S603 (our scripts)
            failed += result.returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
