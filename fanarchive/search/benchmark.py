"""`fanarchive bench search`: the search engine timed against the reference SQL backend.

A fixed mix of queries is derived from the archive itself (its largest fandom, that fandom's
top relationship and additional tag, …), each query is run many times by the engine with its
caches switched off and a few times by the reference backend, in the same process on the same
database, and every answer of the engine (ids, total, facets) is compared with the reference's.
Speed is reported, never asserted: the figures go to bench/README.md.
"""

from __future__ import annotations

import inspect
import math
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.utils.module_loading import import_string

from fanarchive.tags.models import TagType
from fanarchive.works.models import Chapter, Work

from .backends.base import SearchBackend, WorkResults
from .backends.reference import ReferenceBackend
from .forms import FACETS_LISTED
from .query import WorkQuery

ENGINE = "fanarchive.search.engine.EngineBackend"
REFERENCE = "fanarchive.search.backends.reference.ReferenceBackend"
# Words too common to make a text query that means anything.
_STOP = {
    "about",
    "after",
    "again",
    "being",
    "could",
    "every",
    "their",
    "there",
    "these",
    "those",
    "which",
    "while",
    "would",
    "should",
    "where",
    "other",
}
_WORD = re.compile(r"[^\W\d_]{5,}")


class BenchError(Exception):
    """The benchmark cannot run (no works, no engine …); the message says why."""


@dataclass(frozen=True)
class BenchQuery:
    name: str
    query: WorkQuery
    broad: bool  # a broad listing (tens of thousands of works and more at 1M)


@dataclass
class QueryFigures:
    name: str
    description: str
    broad: bool
    total: int
    engine_ms: list[float]
    reference_ms: list[float]
    cached_ms: list[float] = field(default_factory=list)
    identical: bool = True
    difference: str = ""

    def as_dict(self) -> dict[str, Any]:
        engine_p50 = percentile(self.engine_ms, 50)
        reference_p50 = percentile(self.reference_ms, 50)
        out: dict[str, Any] = {
            "name": self.name,
            "query": self.description,
            "broad": self.broad,
            "total": self.total,
            "runs": len(self.engine_ms),
            "reference_runs": len(self.reference_ms),
            "p50_ms": _round(engine_p50),
            "p99_ms": _round(percentile(self.engine_ms, 99)),
            "reference_p50_ms": _round(reference_p50),
            "reference_p99_ms": _round(percentile(self.reference_ms, 99)),
            "speedup": _ratio(reference_p50, engine_p50),
            "identical": self.identical,
        }
        if self.cached_ms:
            out["cached_p50_ms"] = _round(percentile(self.cached_ms, 50))
            out["cached_p99_ms"] = _round(percentile(self.cached_ms, 99))
        if self.difference:
            out["difference"] = self.difference
        return out


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p99 of fewer than 100 runs is their maximum)."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def _round(value: float) -> float | None:
    return None if math.isnan(value) else round(value, 2)


def _ratio(slow: float, fast: float) -> float | None:
    if math.isnan(slow) or math.isnan(fast) or fast <= 0:
        return None
    return round(slow / fast, 1)


# --- backends -------------------------------------------------------------------------------


def make_backend(path: str, *, cache: bool) -> tuple[SearchBackend, bool]:
    """An instance of the backend class at `path`, with its caches on or off. Returns the
    backend and whether it has a cache that can be switched (a `cache` keyword argument)."""
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise BenchError(f"--engine: cannot import {path!r} ({exc}).") from exc
    try:
        parameters = inspect.signature(cls).parameters
    except (TypeError, ValueError):
        parameters = {}  # type: ignore[assignment]
    if "cache" in parameters:
        return cls(cache=cache), True
    return cls(), False


# --- the query mix --------------------------------------------------------------------------


def _top(
    results: WorkResults, tag_type: str, n: int = 1, skip: set[str] | None = None
) -> list[str]:
    names = [
        tag.name
        for tag, count in results.facets.get(tag_type, [])
        if count > 0 and tag.name not in (skip or set())
    ]
    return names[:n]


def _text_words(work_ids: list[int]) -> str:
    """Two words of the story text of the first of `work_ids` that has some."""
    for work_id in work_ids:
        for text in Chapter.objects.filter(work_id=work_id, posted=True).values_list(
            "text", flat=True
        ):
            words: list[str] = []
            for match in _WORD.finditer(re.sub(r"<[^>]*>", " ", text)):
                word = match.group().lower()
                if word not in _STOP and word not in words:
                    words.append(word)
                if len(words) == 2:
                    return " ".join(words)
    return ""


def query_mix(backend: SearchBackend) -> list[BenchQuery]:
    """The fixed mix, derived from what the archive holds (the same archive gives the same
    mix). `backend` answers the few queries that find the tags (facets of broad queries)."""
    guest = AnonymousUser()
    everything = backend.search_works(WorkQuery(), viewer=guest)
    if everything.total == 0:
        raise BenchError(
            "The archive has no works a guest can see: build one first with "
            "`fanarchive demo --works N` (or pass --works N to build it here)."
        )
    fandoms = _top(everything, TagType.FANDOM)
    if not fandoms:
        raise BenchError("The archive has no fandom with works: the query mix needs one.")
    fandom = fandoms[0]
    in_fandom = backend.search_works(WorkQuery(include=(fandom,)), viewer=guest)
    relationship = _top(in_fandom, TagType.RELATIONSHIP)
    with_relationship = (
        backend.search_works(WorkQuery(include=(fandom, relationship[0])), viewer=guest)
        if relationship
        else in_fandom
    )
    freeform = _top(with_relationship, TagType.FREEFORM)
    rating = _top(everything, TagType.RATING)
    largest_freeform = _top(everything, TagType.FREEFORM)
    relationships = _top(everything, TagType.RELATIONSHIP, 3)
    words = _text_words(in_fandom.ids)

    mix = [BenchQuery("fandom", WorkQuery(include=(fandom,)), True)]
    if relationship:
        mix.append(
            BenchQuery("fandom+relationship", WorkQuery(include=(fandom, relationship[0])), False)
        )
        if freeform:
            mix.append(
                BenchQuery(
                    "fandom+relationship-freeform",
                    WorkQuery(include=(fandom, relationship[0]), exclude=(freeform[0],)),
                    False,
                )
            )
    if rating:
        mix.append(BenchQuery("rating", WorkQuery(ratings=(rating[0],)), True))
    if largest_freeform:
        mix.append(
            BenchQuery(
                "freeform by kudos", WorkQuery(include=(largest_freeform[0],), sort="kudos"), True
            )
        )
    mix.append(BenchQuery("fandom page 50", WorkQuery(include=(fandom,), page=50), True))
    if words:
        mix.append(BenchQuery("text+fandom", WorkQuery(include=(fandom,), text=words), False))
    if len(relationships) >= 2:
        mix.append(
            BenchQuery("any of 3 relationships", WorkQuery(any_of=(tuple(relationships),)), False)
        )
    mix.append(
        BenchQuery(
            "fandom, count limits",
            WorkQuery(include=(fandom,), max_fandoms=1, max_tags=12),
            True,
        )
    )
    return mix


def describe(query: WorkQuery) -> str:
    """The query as the URL parameters of a listing (what a reader would bookmark)."""
    return query.to_querystring(page=query.page)


# --- comparing and timing -------------------------------------------------------------------


def _facet_rows(results: WorkResults) -> dict[str, list[tuple[int, str, int]]]:
    return {
        tag_type: [(tag.id, tag.name, count) for tag, count in entries]
        for tag_type, entries in results.facets.items()
        if entries
    }


def difference(engine: WorkResults, reference: WorkResults) -> str:
    """'' when the answers are the same (ids in order, total, facets), else what differs."""
    if engine.total != reference.total:
        return f"total {engine.total} != reference {reference.total}"
    if engine.ids != reference.ids:
        return f"ids {engine.ids[:5]}… != reference {reference.ids[:5]}…"
    mine, theirs = _facet_rows(engine), _facet_rows(reference)
    for tag_type in sorted(set(mine) | set(theirs)):
        if mine.get(tag_type, []) != theirs.get(tag_type, []):
            a, b = mine.get(tag_type, []), theirs.get(tag_type, [])
            first = next(
                (i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y),
                min(len(a), len(b)),
            )
            return (
                f"facets {tag_type}: {len(a)} entries != reference {len(b)}; first difference "
                f"at {first}: {a[first : first + 1]} != {b[first : first + 1]}"
            )
    return ""


def timed(
    backend: SearchBackend, query: WorkQuery, runs: int, facet_limit: int | None = None
) -> tuple[list[float], WorkResults]:
    """`runs` answers of `query` (as a guest), each timed in milliseconds; the last answer."""
    guest = AnonymousUser()
    samples: list[float] = []
    results: WorkResults | None = None
    for _ in range(runs):
        start = time.perf_counter()
        results = backend.search_works(query, viewer=guest, facet_limit=facet_limit)
        samples.append((time.perf_counter() - start) * 1000)
    assert results is not None
    return samples, results


def run_bench(
    *,
    engine_path: str = ENGINE,
    repeat: int = 30,
    reference_repeat: int = 3,
    facet_limit: int | None = FACETS_LISTED,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Run the mix; return the figures (what `--json` prints). `facet_limit`: facet entries a
    type each answer makes (exact counts; by default what a listing page shows; None: all)."""
    say = progress or (lambda _message: None)
    works = Work.objects.count()
    if works == 0:
        raise BenchError(
            "The archive has no works: build one first with `fanarchive demo --works N` "
            "(or pass --works N to build it here)."
        )
    repeat, reference_repeat = max(1, repeat), max(1, reference_repeat)
    reference = ReferenceBackend()
    start = time.perf_counter()
    engine, has_cache = make_backend(engine_path, cache=False)
    # The first answer loads (or builds) the engine's index: timed apart from the queries.
    engine.search_works(WorkQuery(), viewer=AnonymousUser())
    first_answer_s = time.perf_counter() - start
    say(f"engine {engine_path}: first answer (index load) {first_answer_s:.2f} s")
    cached = make_backend(engine_path, cache=True)[0] if has_cache else None

    mix = query_mix(engine)
    figures: list[QueryFigures] = []
    for item in mix:
        engine.search_works(item.query, viewer=AnonymousUser())  # warm-up, not timed
        engine_ms, answer = timed(engine, item.query, repeat, facet_limit)
        reference_ms, expected = timed(reference, item.query, reference_repeat, facet_limit)
        why = difference(answer, expected)
        row = QueryFigures(
            name=item.name,
            description=describe(item.query),
            broad=item.broad,
            total=expected.total,
            engine_ms=engine_ms,
            reference_ms=reference_ms,
            identical=not why,
            difference=why,
        )
        if cached is not None:
            # fills the cache
            cached.search_works(item.query, viewer=AnonymousUser(), facet_limit=facet_limit)
            row.cached_ms = timed(cached, item.query, repeat, facet_limit)[0]
        figures.append(row)
        say(
            f"{item.name}: engine p50 {percentile(engine_ms, 50):.1f} ms, reference p50 "
            f"{percentile(reference_ms, 50):.1f} ms, {why or 'identical'}"
        )

    every_engine = [ms for f in figures for ms in f.engine_ms]
    every_reference = [ms for f in figures for ms in f.reference_ms]
    broad = [f for f in figures if f.broad]
    engine_p50, reference_p50 = percentile(every_engine, 50), percentile(every_reference, 50)
    out: dict[str, Any] = {
        "works": works,
        "database": connection.vendor,
        "engine": engine_path,
        "repeat": repeat,
        "reference_repeat": reference_repeat,
        "facet_limit": facet_limit,
        "p50_ms": _round(engine_p50),
        "p99_ms": _round(percentile(every_engine, 99)),
        "reference_p50_ms": _round(reference_p50),
        "reference_p99_ms": _round(percentile(every_reference, 99)),
        "speedup": _ratio(reference_p50, engine_p50),
        "broad_speedup_min": min(
            (s for f in broad if (s := f.as_dict()["speedup"]) is not None), default=None
        ),
        "identical": all(f.identical for f in figures),
        "first_answer_s": round(first_answer_s, 3),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "queries": [f.as_dict() for f in figures],
    }
    if cached is not None:
        every_cached = [ms for f in figures for ms in f.cached_ms]
        out["cached_p50_ms"] = _round(percentile(every_cached, 50))
        out["cached_p99_ms"] = _round(percentile(every_cached, 99))
    return out


def format_table(report: dict[str, Any]) -> str:
    """The figures as a Markdown table (pasted into bench/README.md as they are)."""
    cached = "cached_p50_ms" in report
    head = (
        "| query | works | engine p50 | engine p99 | reference p50 | reference p99 "
        "| speedup | same |"
    )
    rule = "|---|---:|---:|---:|---:|---:|---:|:-:|"
    if cached:
        head += " cached p50 |"
        rule += "---:|"
    lines = [head, rule]

    def ms(value: Any) -> str:
        return "-" if value is None else f"{value:.1f}"

    for q in report["queries"]:
        line = (
            f"| {q['name']} | {q['total']:,} | {ms(q['p50_ms'])} | {ms(q['p99_ms'])} | "
            f"{ms(q['reference_p50_ms'])} | {ms(q['reference_p99_ms'])} | "
            f"{q['speedup'] if q['speedup'] is not None else '-'} | "
            f"{'✔' if q['identical'] else '✘'} |"
        )
        if cached:
            line += f" {ms(q.get('cached_p50_ms'))} |"
        lines.append(line)
    line = (
        f"| **all** | | **{ms(report['p50_ms'])}** | **{ms(report['p99_ms'])}** | "
        f"{ms(report['reference_p50_ms'])} | {ms(report['reference_p99_ms'])} | "
        f"**{report['speedup'] if report['speedup'] is not None else '-'}** | "
        f"{'✔' if report['identical'] else '✘'} |"
    )
    if cached:
        line += f" {ms(report.get('cached_p50_ms'))} |"
    lines.append(line)
    summary = (
        f"{report['works']:,} works on {report['database']}; engine {report['engine']} "
        f"({report['repeat']} runs a query, caches off, facets: "
        f"{report.get('facet_limit') or 'all'} a type), reference {report['reference_repeat']} "
        f"runs a query; first engine answer {report['first_answer_s']} s; load average "
        f"{' '.join(str(x) for x in report['load_average'])}"
    )
    differences = [
        f"  {q['name']}: {q['difference']}" for q in report["queries"] if q.get("difference")
    ]
    return "\n".join(
        [summary, "", *lines, *(["", "Differences:", *differences] if differences else [])]
    )
