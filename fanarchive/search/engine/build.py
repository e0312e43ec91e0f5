"""Reading the database into column arrays: the works of the whole archive (a build) or of a
few works (the overlay of changed works), and the tag table.

Raw SQL, set-based, one query per table: at a million works the ORM's per-row cost would
dominate. The sort keys of title and creator are the database's own LOWER(...) values, so
that they order exactly as the reference's `Collate(Lower(...), "C"/"BINARY")` (both compare
UTF-8 bytes, which is the order of Python's str comparison).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection

from fanarchive.accounts.models import Pseud
from fanarchive.tags.models import MetaTagging, Tag, TagType
from fanarchive.works.models import Creatorship, Work, WorkFilter, WorkStats, WorkTag

POSTED, HIDDEN, RESTRICTED, COMPLETE, SINGLE = 1, 2, 4, 8, 16
# Dates are days since 1970-01-01 plus this, so that every date is a positive int32.
DAY_OFFSET = 1_000_000
# A tag type's code is its place in TagType (stored in the index: append new types at the end).
TYPE_CODES: tuple[str, ...] = tuple(TagType.values)
FANDOM, RELATIONSHIP, CHARACTER, FREEFORM = (
    TYPE_CODES.index(t)
    for t in (TagType.FANDOM, TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM)
)
CHUNK = 500


def type_code(tag_type: str) -> int:
    try:
        return TYPE_CODES.index(tag_type)
    except ValueError:
        return len(TYPE_CODES)  # a type the engine does not know: never a facet


@dataclass
class Columns:
    """The search-relevant data of a set of works, ordered by id. CSR lists (indptr, values)
    hold each work's filter tag ids, written tag ids and creators' user ids (raw ids)."""

    ids: np.ndarray
    flags: np.ndarray
    words: np.ndarray
    published: np.ndarray
    updated: np.ndarray
    languages: list[str]  # per work
    stats: dict[str, np.ndarray]
    title_keys: list[str]
    creator_keys: list[str]
    filters: tuple[np.ndarray, np.ndarray]
    worktags: tuple[np.ndarray, np.ndarray]
    users: tuple[np.ndarray, np.ndarray]


@dataclass
class TagRows:
    ids: np.ndarray  # sorted
    names: list[str]
    types: np.ndarray  # int8 codes
    toplevel: np.ndarray  # bool: a fandom without a metatag


def _days(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"({column} - DATE '1970-01-01')"
    return f"CAST(julianday({column}) - 2440587.5 AS INTEGER)"


def _concat(column: str) -> str:
    if connection.vendor == "postgresql":
        return f"string_agg({column}::text, ',')"
    return f"group_concat({column})"


def _where(column: str, ids: Sequence[int] | None) -> tuple[str, list[Any]]:
    if ids is None:
        return "", []
    return f"WHERE {column} IN ({', '.join(['%s'] * len(ids))})", list(ids)


def _fetch(sql: str, column: str, ids: Sequence[int] | None) -> list[tuple[Any, ...]]:
    """Rows of `sql` (with a `{where}` slot) for all works or for `ids`, chunked."""
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(sql.format(where=""))
            while batch := cursor.fetchmany(50_000):
                rows += batch
            return rows
        for start in range(0, len(ids), CHUNK):
            where, params = _where(column, ids[start : start + CHUNK])
            cursor.execute(sql.format(where=where), params)
            rows += cursor.fetchall()
    return rows


def _csr(texts: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """A CSR (indptr, values) from one comma-separated list of ids (or None) per work."""
    strings = [str(t) if t else "" for t in texts]
    lens = np.fromiter(
        (t.count(",") + 1 if t else 0 for t in strings), dtype=np.int64, count=len(strings)
    )
    indptr = np.zeros(len(strings) + 1, dtype=np.int64)
    np.cumsum(lens, out=indptr[1:])
    joined = ",".join(t for t in strings if t)
    values = np.array(joined.split(","), dtype=np.int64) if joined else np.zeros(0, np.int64)
    return indptr, values


def _works_sql() -> str:
    """One query for everything the index holds of a work (a `{where}` slot for the works,
    `{where_c}` for creatorships, `{where_w}` for rows with a work_id)."""
    work, stats = Work._meta.db_table, WorkStats._meta.db_table
    creatorship, pseud = Creatorship._meta.db_table, Pseud._meta.db_table
    workfilter, worktag = WorkFilter._meta.db_table, WorkTag._meta.db_table
    return (  # model tables only; values are parameters
        "SELECT w.id, w.posted, w.hidden_by_admin, w.restricted, w.complete, "  # noqa: S608
        f"w.expected_chapters, w.word_count, {_days('w.published')}, {_days('w.updated')}, "
        "w.language, LOWER(w.title), s.hits, s.kudos, s.comments, s.bookmarks, "
        "fc.k, cu.users, f.tags, t.tags "
        f"FROM {work} w "
        f"LEFT JOIN {stats} s ON s.work_id = w.id "
        # The first creator in byline order, lowered by the database (the reference's key).
        "LEFT JOIN (SELECT x.work_id, x.k FROM (SELECT c.work_id, LOWER(p.name) AS k, "
        "ROW_NUMBER() OVER (PARTITION BY c.work_id ORDER BY c.position, c.id) AS rn "
        f"FROM {creatorship} c JOIN {pseud} p ON p.id = c.pseud_id {{where_c}}) x "
        "WHERE x.rn = 1) fc ON fc.work_id = w.id "
        f"LEFT JOIN (SELECT c.work_id, {_concat('p.user_id')} AS users FROM {creatorship} c "
        f"JOIN {pseud} p ON p.id = c.pseud_id {{where_c}} GROUP BY c.work_id) cu "
        "ON cu.work_id = w.id "
        f"LEFT JOIN (SELECT work_id, {_concat('tag_id')} AS tags FROM {workfilter} "
        "{where_w} GROUP BY work_id) f ON f.work_id = w.id "
        f"LEFT JOIN (SELECT work_id, {_concat('tag_id')} AS tags FROM {worktag} "
        "{where_w} GROUP BY work_id) t ON t.work_id = w.id "
        "{where}"
    )


def _fetch_works(ids: Sequence[int] | None) -> list[tuple[Any, ...]]:
    sql = _works_sql()
    rows: list[tuple[Any, ...]] = []
    with connection.cursor() as cursor:
        if ids is None:
            cursor.execute(sql.format(where="", where_c="", where_w=""))
            while batch := cursor.fetchmany(50_000):
                rows += batch
            return rows
        for start in range(0, len(ids), 150):
            chunk = list(ids[start : start + 150])
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(
                sql.format(
                    where=f"WHERE w.id IN ({marks})",
                    where_c=f"WHERE c.work_id IN ({marks})",
                    where_w=f"WHERE work_id IN ({marks})",
                ),
                chunk * 5,
            )
            rows += cursor.fetchall()
    return rows


def read_works(ids: Sequence[int] | None = None) -> Columns:
    """The columns of the works `ids` (all works when None); works that do not exist are
    simply absent. One query (per chunk of ids)."""
    if ids is not None:
        ids = sorted({int(i) for i in ids})
    rows = _fetch_works(ids)
    rows.sort(key=lambda r: r[0])
    n = len(rows)
    flags = np.fromiter(
        (
            (POSTED if r[1] else 0)
            | (HIDDEN if r[2] else 0)
            | (RESTRICTED if r[3] else 0)
            | (COMPLETE if r[4] else 0)
            | (SINGLE if r[5] == 1 else 0)
            for r in rows
        ),
        dtype=np.uint8,
        count=n,
    )

    def column(i: int, offset: int = 0) -> np.ndarray:
        return np.fromiter(((r[i] or 0) + offset for r in rows), dtype=np.int64, count=n)

    return Columns(
        ids=column(0),
        flags=flags,
        words=column(6),
        published=column(7, DAY_OFFSET),
        updated=column(8, DAY_OFFSET),
        languages=[r[9] or "" for r in rows],
        # A missing stats row counts as zeros.
        stats={
            name: column(11 + i)
            for i, name in enumerate(("hits", "kudos", "comments", "bookmarks"))
        },
        title_keys=[r[10] or "" for r in rows],
        creator_keys=[r[15] or "" for r in rows],
        users=_csr([r[16] for r in rows]),
        filters=_csr([r[17] for r in rows]),
        worktags=_csr([r[18] for r in rows]),
    )


def _locate(ids: np.ndarray, work_id: int) -> int | None:
    i = int(np.searchsorted(ids, work_id))
    return i if i < len(ids) and ids[i] == work_id else None


def read_tags(ids: Sequence[int] | None = None) -> TagRows:
    """Id, name, type and top-level-ness of all tags (or of `ids`)."""
    rows, _position = read_tags_and_position(ids)
    return rows


def read_tags_and_position(
    ids: Sequence[int] | None = None,
) -> tuple[TagRows, tuple[int, str]]:
    """The tags, and the newest change-log entry (id, created_at as text; (0, "") when the
    log is empty), read in the same query."""
    from ..models import SearchChange

    if ids is not None:
        ids = sorted({int(i) for i in ids})
    log = SearchChange._meta.db_table
    rows = _fetch(
        f"SELECT t.id, t.name, t.type, EXISTS (SELECT 1 FROM {MetaTagging._meta.db_table} m "  # noqa: S608
        f"WHERE m.sub_id = t.id), (SELECT MAX(id) FROM {log}), "
        f"(SELECT created_at FROM {log} ORDER BY id DESC LIMIT 1) "
        f"FROM {Tag._meta.db_table} t {{where}}",
        "t.id",
        ids,
    )
    position = (int(rows[0][4]), str(rows[0][5])) if rows and rows[0][4] else None
    if not rows:
        position = log_position()
    rows.sort(key=lambda r: r[0])
    types = np.array([type_code(r[2]) for r in rows], dtype=np.int8)
    tags = TagRows(
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        names=[r[1] for r in rows],
        types=types,
        toplevel=np.array([r[2] == "fandom" and not r[3] for r in rows], dtype=bool),
    )
    return tags, position or (0, "")


def log_position() -> tuple[int, str]:
    """The newest change-log entry: (id, created_at as the database gives it, as text)."""
    from ..models import SearchChange

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, created_at FROM {SearchChange._meta.db_table} "  # noqa: S608
            "ORDER BY id DESC LIMIT 1"
        )
        row = cursor.fetchone()
    return (int(row[0]), str(row[1])) if row else (0, "")
