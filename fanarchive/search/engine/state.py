"""An index in a process: the base (built from the database, mmapped when loaded from disk),
the overlay of works changed since (re-read from the database), and the change-log position
it includes. `catch_up()` reads the log past that position and patches the overlay."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection

from ..models import SearchChange
from .build import Columns, read_tags, read_tags_and_position, read_works
from .index import KeySpace, PackedStrings, Segment, TagTable, segment_arrays

log = logging.getLogger(__name__)

FORMAT = 1
TAG_ARRAYS = ("tag_ids", "tag_types", "tag_toplevel", "tag_name_rank", "tag_names_blob")
# A log id not seen while later ones are (a transaction still open on PostgreSQL, whose
# sequence hands out ids before commit) is looked for again this long.
GAP_SECONDS = 60.0
# More changed works than this (or than a fifth of the archive) at once: reload instead.
OVERLAY_LIMIT = 50_000


class Reload(Exception):
    """The index cannot be patched (the log was reset or pruned past it, a bulk change, a
    tag changed type): load or build a new one."""


def database_identity() -> str:
    return f"{connection.vendor}:{connection.settings_dict.get('NAME')}"


def build_arrays() -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """Build the base from the database (the log position is read first: changes committed
    later are replayed from the log, and replaying is idempotent)."""
    started = time.monotonic()
    tag_rows, (position, token) = read_tags_and_position()
    tags = TagTable.from_rows(tag_rows)
    cols = read_works()
    arrays, meta = segment_arrays(cols, tags, base=True)
    arrays |= {
        "tag_ids": tags.ids,
        "tag_types": tags.types,
        "tag_toplevel": tags.toplevel,
        "tag_name_rank": tags.name_rank,
        "tag_names_blob": tags.names.blob,
        "tag_names_off": tags.names.offsets,
    }
    meta |= {
        "format": FORMAT,
        "position": position,
        "token": token,
        "database": database_identity(),
        "works": len(cols.ids),
        "max_work_id": int(cols.ids.max()) if len(cols.ids) else 0,
        "built_seconds": round(time.monotonic() - started, 3),
    }
    return arrays, meta


def merge_columns(old: Columns | None, new: Columns, replaced: set[int]) -> Columns:
    """`old` without the works in `replaced`, plus `new` (all ordered by id)."""
    rows: dict[int, tuple[Any, ...]] = {}
    for cols in (old, new):
        if cols is None:
            continue
        for i, work_id in enumerate(cols.ids.tolist()):
            if cols is old and work_id in replaced:
                continue
            rows[work_id] = _row(cols, i)
    order = sorted(rows)
    return _columns([rows[w] for w in order])


def _row(c: Columns, i: int) -> tuple[Any, ...]:
    def csr(pair: tuple[np.ndarray, np.ndarray]) -> list[int]:
        indptr, values = pair
        return values[indptr[i] : indptr[i + 1]].tolist()

    return (
        int(c.ids[i]),
        int(c.flags[i]),
        int(c.words[i]),
        int(c.published[i]),
        int(c.updated[i]),
        c.languages[i],
        {k: int(v[i]) for k, v in c.stats.items()},
        c.title_keys[i],
        c.creator_keys[i],
        csr(c.filters),
        csr(c.worktags),
        csr(c.users),
    )


def _csr(lists: list[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    indptr = np.zeros(len(lists) + 1, dtype=np.int64)
    np.cumsum([len(x) for x in lists], out=indptr[1:])
    values = np.array([v for x in lists for v in x], dtype=np.int64)
    return indptr, values


def _columns(rows: list[tuple[Any, ...]]) -> Columns:
    def col(i: int) -> np.ndarray:
        return np.array([r[i] for r in rows], dtype=np.int64)

    return Columns(
        ids=col(0),
        flags=col(1).astype(np.uint8),
        words=col(2),
        published=col(3),
        updated=col(4),
        languages=[r[5] for r in rows],
        stats={
            k: np.array([r[6][k] for r in rows], dtype=np.int64)
            for k in ("hits", "kudos", "comments", "bookmarks")
        },
        title_keys=[r[7] for r in rows],
        creator_keys=[r[8] for r in rows],
        filters=_csr([r[9] for r in rows]),
        worktags=_csr([r[10] for r in rows]),
        users=_csr([r[11] for r in rows]),
    )


@dataclass
class View:
    """What one query reads: immutable once made (a catch-up makes a new one)."""

    base: Segment
    alive: np.ndarray
    overlay: Segment | None
    overlay_meta: dict[str, Any]
    languages: list[str]
    version: int
    title_space: KeySpace
    creator_space: KeySpace


class EngineIndex:
    def __init__(self, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
        self.meta = meta
        self.tags = TagTable(
            arrays["tag_ids"],
            arrays["tag_types"],
            arrays["tag_toplevel"],
            arrays["tag_name_rank"],
            PackedStrings(arrays["tag_names_blob"], arrays["tag_names_off"]),
        )
        self.base = Segment(arrays, self.tags)
        self.title_space = KeySpace(
            PackedStrings(arrays["title_keys_blob"], arrays["title_keys_off"]),
            meta["title_spacing"],
        )
        self.creator_space = KeySpace(
            PackedStrings(arrays["creator_keys_blob"], arrays["creator_keys_off"]),
            meta["creator_spacing"],
        )
        self.position: int = meta["position"]
        self.token: str = meta["token"]
        self.gaps: dict[int, float] = {}
        self.changed: set[int] = set()  # works re-read since the base
        self.overlay_cols: Columns | None = None
        self.view = View(
            self.base,
            np.ones(self.base.n, dtype=bool),
            None,
            {},
            list(meta["languages"]),
            0,
            self.title_space,
            self.creator_space,
        )

    # --- the change log ----------------------------------------------------------------
    def catch_up(self) -> bool:
        """Apply the log entries past our position; True when something changed. Raises
        Reload when this index cannot be patched."""
        low = min([self.position, *self.gaps]) if self.gaps else self.position
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, work_id, tag_id, created_at FROM {SearchChange._meta.db_table} "  # noqa: S608
                "WHERE id >= %s ORDER BY id",
                [max(low, 1)],
            )
            rows = cursor.fetchall()
        if self.position:
            mine = next((r for r in rows if r[0] == self.position), None)
            if mine is None or str(mine[3]) != self.token:
                raise Reload("the change log no longer holds this index's position")
        fresh = [r for r in rows if r[0] > self.position or r[0] in self.gaps]
        now = time.monotonic()
        self.gaps = {g: t for g, t in self.gaps.items() if now - t < GAP_SECONDS}
        if not fresh:
            return False
        seen = {r[0] for r in rows}
        newest = rows[-1]
        for missing in range(max(self.position + 1, newest[0] - 10_000), newest[0]):
            if missing not in seen and missing not in self.gaps:
                self.gaps[missing] = now
        for r in fresh:
            self.gaps.pop(r[0], None)
        if any(r[1] is None and r[2] is None for r in fresh):
            raise Reload("a bulk change")
        work_ids = {r[1] for r in fresh if r[1] is not None}
        tag_ids = {r[2] for r in fresh if r[2] is not None}
        if len(work_ids | self.changed) > min(OVERLAY_LIMIT, max(1000, self.base.n // 5)):
            raise Reload("too many changed works")
        if tag_ids and self.tags.learn(read_tags(sorted(tag_ids))):
            raise Reload("a tag changed type")
        if work_ids:
            self.apply_works(work_ids)
        self.position, self.token = newest[0], str(newest[3])
        return True

    def apply_works(self, work_ids: set[int]) -> None:
        new = read_works(sorted(work_ids))
        self.changed |= work_ids
        self.overlay_cols = merge_columns(self.overlay_cols, new, work_ids)
        cols = self.overlay_cols
        filter_tags = sorted(set(cols.filters[1].tolist()))
        fresh_tags = read_tags(filter_tags)
        toplevel = {
            int(t) for t, top in zip(fresh_tags.ids, fresh_tags.toplevel, strict=True) if top
        }
        # Names and types of tags the overlay's works carry that this process has not seen.
        unknown = sorted(
            {t for t in cols.worktags[1].tolist() + filter_tags if self.tags.dense(t) is None}
            - self.tags.changed.keys()
        )
        if unknown:
            self.tags.learn(read_tags(unknown))
        languages = list(self.view.languages)
        arrays, meta = segment_arrays(
            cols,
            self.tags,
            base=False,
            title_space=self.title_space,
            creator_space=self.creator_space,
            languages=languages,
            toplevel_ids=toplevel,
        )
        alive = np.ones(self.base.n, dtype=bool)
        alive[self.base.rows_of_ids(np.array(sorted(self.changed), dtype=np.int64))] = False
        self.view = View(
            self.base,
            alive,
            Segment(arrays, self.tags) if len(cols.ids) else None,
            meta,
            languages,
            self.view.version + 1,
            self.title_space,
            self.creator_space,
        )
