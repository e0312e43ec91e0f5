"""Benchmark of `fanarchive demo`: time, rows, database size and peak memory of one build.

    .venv/bin/python bench/demo_bench.py --works 100000             # SQLite in a temp folder
    PG_DURABLE=1 scripts/with-postgres .venv/bin/python bench/demo_bench.py --works 100000

Each run migrates a fresh database (a temporary folder for SQLite, the DATABASE_URL one for
PostgreSQL), times `fanarchive demo` under /usr/bin/time -v and deletes the SQLite folder after.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FANARCHIVE = str(ROOT / ".venv" / "bin" / "fanarchive")


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def postgres_size(env: dict[str, str]) -> int:
    psql = str(Path(env.get("PG_BIN", "/usr/lib/postgresql/15/bin")) / "psql")
    out = subprocess.run(  # noqa: S603 - our own fixed command
        [psql, env["DATABASE_URL"], "-Atc", "SELECT pg_database_size(current_database())"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return int(out.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep-indexes", action="store_true")
    args = parser.parse_args()

    env = dict(os.environ)
    postgres = env.get("DATABASE_URL", "").startswith("postgres")
    data = Path(tempfile.mkdtemp(prefix="fanarchive-demo-bench."))
    env["FANARCHIVE_DATA_DIR"] = str(data)
    try:
        subprocess.run([FANARCHIVE, "migrate", "-v0"], env=env, check=True)  # noqa: S603
        command = [FANARCHIVE, "demo", "--works", str(args.works), "--seed", str(args.seed)]
        if args.keep_indexes:
            command.append("--keep-indexes")
        started = time.monotonic()
        run = subprocess.run(  # noqa: S603 - our own fixed command
            ["/usr/bin/time", "-v", *command], env=env, capture_output=True, text=True
        )
        elapsed = time.monotonic() - started
        print(run.stdout)
        if run.returncode:
            print(run.stderr, file=sys.stderr)
            sys.exit(run.returncode)
        peak = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)[1])
        size = postgres_size(env) if postgres else folder_size(data)
        print(f"database        {'PostgreSQL' if postgres else 'SQLite'}")
        print(f"works           {args.works:,}")
        print(f"wall time       {elapsed:.1f} s")
        print(f"peak memory     {peak / 1024:.0f} MB")
        print(f"database size   {size / 2**20:,.0f} MB")
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
