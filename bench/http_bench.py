"""HTTP benchmark: `fanarchive serve` on the configured archive, measured from outside.

    FANARCHIVE_DATA_DIR=/path/to/1m-archive .venv/bin/python bench/http_bench.py
    scripts/with-postgres .venv/bin/python bench/http_bench.py      # (after demo + rebuild)

1. cold start: from starting `fanarchive serve` to the first answered tag listing page;
2. one reader at a time: p50/p99 of tag listing pages and work pages (keep-alive, N requests
   over a rotating set of URLs);
3. `wrk` (Debian package, `FANARCHIVE_INSTALL_BENCH=1 scripts/install-system-packages`),
   20 connections for 30 s on loopback: requests/s, latency percentiles, errors and non-2xx
   answers, for tag listing pages and for work pages (twice: the second run finds most pages
   in the server processes' guest page caches, as on a site in use); every request carries a
   browser's User-Agent, so work pages record their hits;
4. the memory of every server process (RSS and PSS, summed over gunicorn's master, its
   workers and the background-task worker);
5. overload: wrk with many connections; the server should answer 503 + Retry-After quickly.

The URLs come from the archive: tag listing pages (pages 1-3) of its largest fandoms,
relationships and additional tags, and work pages of random General/Teen works a guest can
open (no adult gate). Prints a summary table and, with --json, the figures as JSON.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FANARCHIVE = str(ROOT / ".venv" / "bin" / "fanarchive")

# A browser's User-Agent, so that every work page is a reader's visit and records its hit (the
# stats app counts no request without one, nor bots'); wrk sends none of its own.
BROWSER = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"

WRK_SCRIPT = """
wrk.headers["User-Agent"] = "BROWSER"
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local n = math.random(#paths)
request = function()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
""".replace("BROWSER", BROWSER)


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def tag_path(name: str) -> str:
    from fanarchive.tags.names import tag_to_url

    return "/tags/" + tag_to_url(name) + "/works"  # tag_to_url escapes and percent-encodes


def listing_paths(per_type: int = 8) -> list[str]:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.search.query import WorkQuery
    from fanarchive.search.selectors import search_works

    everything = search_works(query=WorkQuery(), viewer=AnonymousUser())
    paths = []
    for tag_type in ("fandom", "relationship", "freeform"):
        for tag, _count in everything.facets.get(tag_type, [])[:per_type]:
            for page in (1, 2, 3):
                paths.append(tag_path(tag.name) + (f"?page={page}" if page > 1 else ""))
    return paths


def work_paths(count: int = 2000, seed: int = 1) -> list[str]:
    from django.contrib.auth.models import AnonymousUser

    from fanarchive.works.models import Work, WorkTag
    from fanarchive.works.permissions import visible_works

    last = Work.objects.order_by("-id").values_list("id", flat=True).first() or 0
    sample = random.Random(seed).sample(range(1, last + 1), min(last, count * 3))
    gentle = WorkTag.objects.filter(
        tag__name__in=["General Audiences", "Teen And Up Audiences"], work_id__in=sample
    ).values("work_id")
    ids = list(
        visible_works(AnonymousUser())
        .filter(id__in=sample)
        .filter(id__in=gentle)
        .values_list("id", flat=True)[:count]
    )
    random.Random(seed).shuffle(ids)
    return [f"/works/{i}" for i in ids]


def process_tree(root: int) -> list[int]:
    pids, todo = [], [root]
    while todo:
        pid = todo.pop()
        pids.append(pid)
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            children = []
        todo.extend(int(c) for c in children)
    return pids


def memory(root: int) -> dict[str, float]:
    rss = pss = 0
    processes = 0
    for pid in process_tree(root):
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        processes += 1
        rss += int(re.search(r"^Rss:\s+(\d+)", text, re.M).group(1))  # type: ignore[union-attr]
        pss += int(re.search(r"^Pss:\s+(\d+)", text, re.M).group(1))  # type: ignore[union-attr]
    return {"processes": processes, "rss_mb": round(rss / 1024, 1), "pss_mb": round(pss / 1024, 1)}


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, float]:
    start = time.perf_counter()
    conn.request("GET", path, headers={"User-Agent": BROWSER})
    response = conn.getresponse()
    response.read()
    return response.status, (time.perf_counter() - start) * 1000


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, -(-len(ordered) * p // 100) - 1)] if ordered else float("nan")


def sequential(port: int, paths: list[str], requests: int) -> dict[str, object]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times, statuses = [], {}
    for i in range(requests):
        status, ms = get(conn, paths[i % len(paths)])
        times.append(ms)
        statuses[status] = statuses.get(status, 0) + 1
    conn.close()
    return {
        "requests": requests,
        "p50_ms": round(percentile(times, 50), 1),
        "p99_ms": round(percentile(times, 99), 1),
        "max_ms": round(max(times), 1),
        "statuses": statuses,
    }


def wrk(port: int, paths: list[str], connections: int, seconds: int) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        script, listed = Path(folder) / "rotate.lua", Path(folder) / "paths.txt"
        script.write_text(WRK_SCRIPT)
        listed.write_text("\n".join(paths) + "\n")
        command = [
            "wrk",
            f"-t{min(2, connections)}",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "--latency",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ]
        out = subprocess.run(  # noqa: S603 (wrk, our arguments)
            command, env={**os.environ, "WRK_PATHS": str(listed)}, capture_output=True, text=True
        ).stdout
    figures: dict[str, object] = {"connections": connections, "seconds": seconds}
    if m := re.search(r"Requests/sec:\s+([\d.]+)", out):
        figures["requests_per_s"] = float(m.group(1))
    if m := re.search(r"(\d+) requests in", out):
        figures["requests"] = int(m.group(1))
    for label in ("50%", "90%", "99%"):
        if m := re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M):
            value = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
            figures[f"p{label[:-1]}_ms"] = round(value, 1)
    m = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    figures["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    figures["socket_errors"] = sum(int(x) for x in m.groups()) if m else 0
    figures["raw"] = out
    return figures


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--overload-connections", type=int, default=200)
    parser.add_argument("--sequential", type=int, default=300, help="requests one at a time")
    parser.add_argument("--skip-overload", action="store_true")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is missing: FANARCHIVE_INSTALL_BENCH=1 scripts/install-system-packages")
        return 2

    setup_django()
    listings, works = listing_paths(), work_paths()
    say(f"{len(listings)} listing URLs, {len(works)} work URLs")
    if not listings or not works:
        print("The archive has no listings or works: build one with `fanarchive demo`.")
        return 2
    from django.db import connection

    connection.close()

    command = [FANARCHIVE, "serve", "--port", str(args.port), "--no-worker"]
    if args.workers:
        command += ["--workers", str(args.workers)]
    if args.threads:
        command += ["--threads", str(args.threads)]
    report: dict[str, object] = {"load_average_before": os.getloadavg()}
    start = time.perf_counter()
    # The server's own output goes to stderr: stdout is for the figures (--json).
    server = subprocess.Popen(command, start_new_session=True, stdout=sys.stderr)  # noqa: S603
    try:
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", args.port, timeout=60)
                status, _ = get(conn, listings[0])
                conn.close()
                if status == 200:
                    break
                if status != 503:
                    say(f"{listings[0]}: status {status}")
                    return 1
            except OSError:
                pass
            if server.poll() is not None or time.perf_counter() - start > 300:
                print("the server did not answer")
                return 1
            time.sleep(0.05)
        report["cold_start_s"] = round(time.perf_counter() - start, 2)
        say(f"first listing answered {report['cold_start_s']} s after start")
        report["memory_after_start"] = memory(server.pid)
        report["listing_one_reader"] = sequential(args.port, listings, args.sequential)
        say(f"listings, one reader: {report['listing_one_reader']}")
        report["work_one_reader"] = sequential(args.port, works, args.sequential)
        say(f"works, one reader: {report['work_one_reader']}")
        report["listing_wrk"] = wrk(args.port, listings, args.connections, args.seconds)
        say("listings, wrk: done")
        report["memory_after_listings"] = memory(server.pid)
        report["work_wrk"] = wrk(args.port, works, args.connections, args.seconds)
        # Again: most of the 2,000 pages were first seen (rendered) in the run above; now
        # each process has most of them in its guest page cache, as for a site in use.
        report["work_wrk_again"] = wrk(args.port, works, args.connections, args.seconds)
        if not args.skip_overload:
            report["overload_wrk"] = wrk(args.port, listings, args.overload_connections, 15)
        report["memory_end"] = memory(server.pid)
        report["load_average_after"] = os.getloadavg()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    if args.json:
        print(json.dumps(report, indent=2, default=str))
    else:
        for key, value in report.items():
            if isinstance(value, dict):
                value = {k: v for k, v in value.items() if k != "raw"}
            print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
