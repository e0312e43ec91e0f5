"""EngineBackend: the SearchBackend answered from the in-memory index."""

from __future__ import annotations

import datetime
import logging
import threading
from collections import OrderedDict
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from django.conf import settings
from django.db import connection

from fanarchive.tags.models import Tag

from .. import text as fulltext
from ..backends.base import FACET_TYPES, ResolvedQuery, WorkResults, resolve_query
from ..backends.reference import sort_facets
from ..query import WorkQuery, works_per_page
from ..text.parser import parse_text
from . import store
from .build import DAY_OFFSET, TYPE_CODES
from .index import STATS, Plan, Segment
from .state import EngineIndex, Reload, View, build_arrays, database_identity

if TYPE_CHECKING:
    from fanarchive.works.permissions import Viewer

log = logging.getLogger(__name__)
EPOCH = datetime.date(1970, 1, 1)
FACET_CODES = np.array([TYPE_CODES.index(t) for t in FACET_TYPES], dtype=np.int8)
CACHE_SIZE = 512
# SQLite: rank this many works or more in one pass over the matches (see _ranked).
RANK_ONE_PASS_OVER = 50
# Changed works past which a process publishes a new build in the background.
COMPACT_AFTER = 5_000
SORT_COLUMNS = {
    "updated": "updated",
    "posted": "published",
    "words": "words",
    "title": "title_rank",
    "creator": "creator_rank",
    **{s: s for s in STATS},
}


def _testing_database() -> bool:
    name = str(connection.settings_dict.get("NAME") or "")
    return name.startswith("test_") or "memorydb" in name or name == ":memory:"


class EngineBackend:
    """`cache=False` (or setting FANARCHIVE_SEARCH_CACHE = False) answers every query from the
    index, for benchmarks; `persist=False` never reads or writes the index folder."""

    def __init__(
        self,
        *,
        cache: bool | None = None,
        persist: bool | None = None,
        index_dir: str | Path | None = None,
    ) -> None:
        self.cache_enabled = (
            bool(getattr(settings, "FANARCHIVE_SEARCH_CACHE", True)) if cache is None else cache
        )
        self._persist = persist
        self._dir = Path(index_dir) if index_dir else None
        self.index: EngineIndex | None = None
        self._stamp = 0
        self._lock = threading.RLock()
        self._cache: OrderedDict[Any, WorkResults] = OrderedDict()
        self._compacting: threading.Thread | None = None

    # --- the index in this process -------------------------------------------------------
    @property
    def root(self) -> Path:
        return self._dir or store.index_dir()

    @property
    def persist(self) -> bool:
        if self._persist is not None:
            return self._persist
        return bool(getattr(settings, "FANARCHIVE_SEARCH_PERSIST", True)) and (
            not _testing_database()
        )

    def rebuild(self) -> EngineIndex:
        """Build from the database (and publish it to the index folder when persisting)."""
        with self._lock:
            arrays, meta = build_arrays()
            if self.persist:
                with store.build_lock(self.root):
                    store.save(self.root, arrays, meta)
                    self._stamp = store.stamp(self.root)
                loaded = store.load(self.root)
                if loaded is not None:
                    arrays, meta = loaded
            self.index = EngineIndex(arrays, meta)
            self._cache.clear()
            return self.index

    def _load_from_disk(self) -> EngineIndex | None:
        loaded = store.load(self.root)
        if loaded is None:
            return None
        arrays, meta = loaded
        if meta.get("database") != database_identity() or meta.get("format") != 1:
            return None
        if not _same_works(meta):
            return None
        self._stamp = store.stamp(self.root)
        return EngineIndex(arrays, meta)

    def _fresh_index(self) -> EngineIndex:
        """Load the published index (when it can catch up) or build one."""
        if self.persist:
            index = self._load_from_disk()
            if index is not None:
                try:
                    index.catch_up()
                    return index
                except Reload as why:
                    log.info("search index on disk is stale (%s): rebuilding", why)
            with store.build_lock(self.root):
                # Another process may have built it while we waited for the lock.
                index = self._load_from_disk()
                if index is not None:
                    try:
                        index.catch_up()
                        return index
                    except Reload:
                        pass
                arrays, meta = build_arrays()
                store.save(self.root, arrays, meta)
            index = self._load_from_disk()
            if index is None:  # pragma: no cover (the folder vanished meanwhile)
                index = EngineIndex(arrays, meta)
        else:
            # The log position is read before the rows: later changes come with the next
            # catch-up (replaying one the rows already hold changes nothing).
            index = EngineIndex(*build_arrays())
        return index

    def warm_up(self) -> None:
        """Load the index, compile the kernels and decode the tag names now (a server
        process calls this as it starts, so that its first listing is as fast as the rest)."""
        from .kernels import warm_up

        self.current()
        warm_up()
        if self.index is not None:
            self.index.tags.name_list()

    def current(self) -> View:
        """The view to answer from, caught up with the change log."""
        with self._lock:
            if self.index is None:
                self.index = self._fresh_index()
                return self.index.view
            if self.persist and store.stamp(self.root) != self._stamp:
                newer = self._load_from_disk()
                if newer is not None and newer.position >= self.index.position:
                    try:
                        newer.catch_up()
                        self.index = newer
                    except Reload:
                        pass
            try:
                self.index.catch_up()
            except Reload as why:
                log.info("search index reloads: %s", why)
                self.index = self._fresh_index()
                self._cache.clear()
            if len(self.index.changed) > COMPACT_AFTER and self.persist:
                self._compact_in_background()
            return self.index.view

    def _compact_in_background(self) -> None:
        """Many changed works: publish a new build from a thread (one process at a time)
        while this one keeps answering from base + overlay; every process then loads it."""
        if self._compacting is not None and self._compacting.is_alive():
            return

        def run() -> None:
            from django.db import connection as thread_connection

            try:
                with store.try_build_lock(self.root) as locked:
                    if locked:
                        store.save(self.root, *build_arrays())
            except Exception:  # pragma: no cover (logged; the overlay keeps serving)
                log.exception("search index compaction failed")
            finally:
                thread_connection.close()

        self._compacting = threading.Thread(target=run, name="search-compact", daemon=True)
        self._compacting.start()

    # --- answering -----------------------------------------------------------------------
    def search_works(
        self, query: WorkQuery, *, viewer: Viewer, facet_limit: int | None = None
    ) -> WorkResults:
        view = self.current()
        authenticated = bool(viewer.is_authenticated)
        key = (query, authenticated, facet_limit, id(self.index), view.version)
        if self.cache_enabled:
            with self._lock:
                hit = self._cache.get(key)
                if hit is not None:
                    self._cache.move_to_end(key)
                    return replace(hit, ids=list(hit.ids))
        results = self.answer(view, query, authenticated, facet_limit)
        if self.cache_enabled:
            with self._lock:
                self._cache[key] = results
                while len(self._cache) > CACHE_SIZE:
                    self._cache.popitem(last=False)
            return replace(results, ids=list(results.ids))
        return results

    def answer(
        self, view: View, query: WorkQuery, authenticated: bool, facet_limit: int | None = None
    ) -> WorkResults:
        # The tag table grows in place when changes bring new tags: one query at a time.
        with self._lock:
            return self._answer(view, query, authenticated, facet_limit)

    def _answer(
        self, view: View, query: WorkQuery, authenticated: bool, facet_limit: int | None
    ) -> WorkResults:
        resolved = resolve_query(query)
        terms = parse_text(query.text).terms
        sort = query.effective_sort
        plan = make_plan(query, resolved)
        for operator, sql, params in fulltext.match_subqueries(terms):
            if operator == "in":
                plan.text_in = _ids(sql, params)
            else:
                plan.text_out = _ids(sql, params)
        segments: list[tuple[Segment, np.ndarray | None]] = [(view.base, view.alive)]
        if view.overlay is not None:
            segments.append((view.overlay, None))
        parts = []
        matching_total = total = 0
        for segment, alive in segments:
            matching, shown = segment.evaluate(plan, authenticated, alive, view.languages)
            count = int(np.count_nonzero(shown))
            matching_total += int(np.count_nonzero(matching)) if plan.hiding else count
            total += count
            parts.append((segment, shown, count))
        per_page = works_per_page()
        offset = (query.page - 1) * per_page
        relevance = None
        if sort == "relevance" and total > offset:
            shown_ids = np.concatenate([seg.ids[np.flatnonzero(m)] for seg, m, _c in parts])
            relevance = _ranked(terms, np.sort(shown_ids))
        ids = self.page(view, parts, sort, query.descending, offset, per_page, relevance)
        return WorkResults(
            ids=ids,
            total=total,
            page=query.page,
            per_page=per_page,
            facets=self.facets(view, parts, resolved, total, facet_limit),
            snippets=fulltext.snippets(terms, ids),
            hidden_by_excludes=matching_total - total if plan.hiding else 0,
            unknown_tags=resolved.unknown,
        )

    def page(
        self,
        view: View,
        parts: list[tuple[Segment, np.ndarray, int]],
        sort: str,
        descending: bool,
        offset: int,
        per_page: int,
        relevance: tuple[np.ndarray, np.ndarray] | None,
    ) -> list[int]:
        total = sum(count for _s, _m, count in parts)
        if offset >= total:
            return []
        id_parts, key_parts = [], []
        exact = True
        want = offset + per_page
        for segment, shown, count in parts:
            if not count:
                continue
            if segment is view.base and sort != "relevance" and count > want:
                # Only the first `want` of the base can be on the page: walk its kept order.
                rows = segment.first_rows(SORT_COLUMNS[sort], shown, want, descending)
            else:
                rows = np.flatnonzero(shown)
            ids = segment.ids[rows]
            id_parts.append(ids)
            if sort == "relevance":
                assert relevance is not None
                ranked_ids, ranks = relevance
                key_parts.append(ranks[np.searchsorted(ranked_ids, ids)])
            else:
                key_parts.append(segment.a[SORT_COLUMNS[sort]][rows].astype(np.int64))
                if segment is view.overlay and sort in ("title", "creator"):
                    exact = exact and view.overlay_meta.get(f"{sort}_exact", True)
        ids = np.concatenate(id_parts)
        keys = np.concatenate(key_parts)
        if not exact:
            return _sort_by_strings(view, parts, sort, descending, offset, per_page)
        need = min(offset + per_page, len(ids))
        if (
            sort != "relevance"
            and len(ids)
            and ids.max() < 2**32
            and ids.min() >= 0
            and keys.min() >= 0
            and keys.max() < 2**31
        ):
            composite = (keys << 32) | ids
            if descending:
                composite = -composite
            if need < len(composite) // 2:
                top = np.argpartition(composite, need - 1)[:need]
                order = top[np.argsort(composite[top], kind="stable")]
            else:
                order = np.argsort(composite, kind="stable")
        else:
            order = np.lexsort((ids, keys))
            if descending:
                order = order[::-1]
        return [int(i) for i in ids[order[offset:need]]]

    def facets(
        self,
        view: View,
        parts: list[tuple[Segment, np.ndarray, int]],
        resolved: ResolvedQuery,
        total: int,
        limit: int | None = None,
    ) -> dict[str, list[tuple[Any, int]]]:
        tags = view.base.tags
        counts = np.zeros(tags.size, dtype=np.int64)
        for segment, shown, count in parts:
            part = segment.facet_counts(shown, count)
            counts[: len(part)] += part
        dense = np.flatnonzero(counts)
        types = tags.types_all()[dense]
        dense = dense[np.isin(types, FACET_CODES)]
        values = counts[dense]
        pinned = {m.tag_id: 0 for m in resolved.exclude}
        pinned |= {m.tag_id: total for m in resolved.include if not m.by_filter}
        types_all = tags.types_all()
        missing = []
        for tag_id in pinned:
            d = tags.dense(tag_id)
            if d is None or not counts[d] or types_all[d] not in FACET_CODES:
                missing.append(tag_id)
        extra: list[tuple[Any, int]] = []
        unknown = []
        pinned_dense: list[int] = []
        for tag_id in missing:  # described by the tag table when it knows them
            d = tags.dense(tag_id)
            if d is None or (d >= tags.base_count and tag_id not in tags.changed):
                unknown.append(tag_id)
            elif types_all[d] in FACET_CODES:
                pinned_dense.append(d)
                extra.append((tags.facet_tag(d), pinned[tag_id]))
        if unknown:
            from ..backends.base import FacetTag

            for tag in Tag.objects.filter(id__in=unknown, type__in=FACET_TYPES).only(
                "id", "name", "type"
            ):
                extra.append((FacetTag(tag.id, tag.name, tag.type), pinned[tag.id]))
        if tags.dirty or unknown:
            entries = list(zip(tags.facet_tags(dense.tolist()), values.tolist(), strict=True))
            return sort_facets(entries + extra, limit)
        if pinned_dense:  # base tags: their name ranks order them with the rest
            dense = np.concatenate([dense, np.array(pinned_dense, dtype=dense.dtype)])
            values = np.concatenate([values, np.array([e[1] for e in extra], dtype=np.int64)])
        types = types_all[dense]
        out: dict[str, list[tuple[Any, int]]] = {}
        for tag_type, code in zip(FACET_TYPES, FACET_CODES.tolist(), strict=True):
            of_type = types == code
            chosen, counted = dense[of_type], values[of_type]
            if limit is not None and len(chosen) > limit:
                # Only entries that can be among the first `limit`: a count at least the
                # limit-th largest (ties at that count are ordered by name and id below).
                if limit <= 0:
                    chosen, counted = chosen[:0], counted[:0]
                else:
                    kth = np.partition(counted, len(counted) - limit)[len(counted) - limit]
                    keep = counted >= kth
                    chosen, counted = chosen[keep], counted[keep]
            order = np.lexsort((tags.ids[chosen], tags.name_rank[chosen], -counted))
            if limit is not None:
                order = order[:limit]
            out[tag_type] = list(
                zip(
                    tags.facet_tags(chosen[order].tolist()),
                    counted[order].tolist(),
                    strict=True,
                )
            )
        return out


def _same_works(meta: dict[str, Any]) -> bool:
    """When the log has nothing past a build, the works must be the build's: catches a
    database replaced under the same name, or loaded without a change log (the demo)."""
    from fanarchive.works.models import Work

    from .build import log_position

    if log_position()[0] != meta["position"]:
        return True  # the log moved on: catching up checks the position's entry instead
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*), MAX(id) FROM {Work._meta.db_table}")  # noqa: S608
        count, top = cursor.fetchone()
    return (count, top or 0) == (meta["works"], meta.get("max_work_id", -1))


def _sort_by_strings(
    view: View,
    parts: list[tuple[Segment, np.ndarray, int]],
    sort: str,
    descending: bool,
    offset: int,
    per_page: int,
) -> list[int]:
    """Title/creator order by the keys themselves (when the overlay holds more new keys
    between two base keys than the ranks have room for)."""
    index_space = {"title": "title_space", "creator": "creator_space"}[sort]
    entries: list[tuple[bytes, int]] = []
    for segment, shown, count in parts:
        if not count:
            continue
        rows = np.flatnonzero(shown)
        if segment is view.overlay:
            keys = view.overlay_meta[f"{sort}_keys"]
            for r in rows.tolist():
                entries.append((keys[r].encode("utf-8", "surrogatepass"), int(segment.ids[r])))
        else:
            space = getattr(view, index_space)
            ranks = segment.a[f"{sort}_rank"][rows]
            for rank, work_id in zip(ranks.tolist(), segment.ids[rows].tolist(), strict=True):
                entries.append((space.keys[rank // space.spacing - 1], int(work_id)))
    entries.sort(reverse=descending)
    return [w for _k, w in entries[offset : offset + per_page]]


def _ids(sql: str, params: list[Any]) -> np.ndarray:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = np.array([row[0] for row in cursor.fetchall()], dtype=np.int64)
    ids.sort()
    return ids


def _ranked(terms: Any, ids: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The reference's rank (text.rank_sql) of each of these works (sorted ids)."""
    from fanarchive.works.models import Work

    table = Work._meta.db_table
    rank, rank_params = fulltext.rank_sql(terms, f'"{table}"."id"')
    ranks = np.zeros(len(ids), dtype=np.float64)
    if connection.vendor == "sqlite" and len(ids) > RANK_ONE_PASS_OVER:
        # rank_sql's correlated FTS5 subquery costs milliseconds a row; the same bm25 of the
        # same MATCH (its own parameter) in one pass over the matches gives the same values.
        from ..text import sqlite as fts

        sql = (
            f"SELECT rowid, -bm25({fts.INDEX_TABLE}, {fts.WEIGHTS}) "  # noqa: S608 (constants)
            f"FROM {fts.INDEX_TABLE} WHERE {fts.INDEX_TABLE} MATCH %s"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, rank_params)
            rows = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, 2)
        found = rows[:, 0].astype(np.int64)
        order = np.argsort(found)
        found, values = found[order], rows[order, 1]
        pos = np.searchsorted(found, ids)
        ok = pos < len(found)
        ok[ok] = found[pos[ok]] == ids[ok]
        ranks[ok] = values[pos[ok]]
        return ids, ranks
    select = f'SELECT "{table}"."id", {rank} FROM "{table}" '  # noqa: S608 (constants)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # one query, the ids as one array
            cursor.execute(select + f'WHERE "{table}"."id" = ANY(%s)', [*rank_params, ids.tolist()])
            fetched: list[Any] = cursor.fetchall()
        else:
            fetched = []
            for start in range(0, len(ids), 500):
                chunk = ids[start : start + 500].tolist()
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    select + f'WHERE "{table}"."id" IN ({marks})', [*rank_params, *chunk]
                )
                fetched += cursor.fetchall()
    for work_id, value in fetched:
        ranks[np.searchsorted(ids, work_id)] = float(value)
    return ids, ranks


def _day(value: datetime.date | None) -> int | None:
    return None if value is None else (value - EPOCH).days + DAY_OFFSET


def make_plan(query: WorkQuery, resolved: ResolvedQuery) -> Plan:
    def pairs(matches: Any) -> list[tuple[bool, int]]:
        return [(m.by_filter, m.tag_id) for m in matches]

    hiding = not query.show_excluded and bool(resolved.hide or query.hide_user_ids)
    plan = Plan(
        include=pairs(resolved.include),
        exclude=pairs(resolved.exclude),
        any_of=[pairs(group) for group in resolved.any_of],
        hide=pairs(resolved.hide),
        hide_users=tuple(query.hide_user_ids) if hiding else (),
        hiding=hiding,
        complete=query.complete,
        crossover=query.crossover,
        single_chapter=query.single_chapter,
        language=query.language,
    )
    plan.ranges.append(("words", query.words_from, query.words_to))
    for name in STATS:
        plan.ranges.append((name, getattr(query, f"{name}_from"), getattr(query, f"{name}_to")))
    plan.ranges.append(("published", _day(query.posted_from), _day(query.posted_to)))
    plan.ranges.append(("updated", _day(query.updated_from), _day(query.updated_to)))
    plan.ranges = [r for r in plan.ranges if r[1] is not None or r[2] is not None]
    for name in ("fandoms", "relationships", "characters", "tags"):
        limit = getattr(query, f"max_{name}")
        if limit is not None:
            plan.max_counts.append((name, limit))
    return plan
