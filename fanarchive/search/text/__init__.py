"""Full-text search of works: the index (a derived table per database vendor) and the
conditions, ranking and snippets the backends use.

One document per work, rowid/work_id = the work's id, with five columns:
title, creators (pseud names and logins), tags (the names written on the work), summary
(summary, notes and end notes) and body (the text of all its posted chapters, in order).
Ranking weighs them title 10 > tags 6 > creators 4 > summary 2 > body 1 (FTS5 bm25), or
A/B/B/C/D (PostgreSQL setweight + ts_rank). Neither side stems words (FTS5 unicode61 without
porter, PostgreSQL's `simple` configuration): a word finds exactly that word on both, and
`word*` finds words starting with it.

The index is derived: `index_works(work_ids)` rewrites the documents of some works (the
handlers of works_changed / works_deleted call it; during a bulk import on PostgreSQL a worker
thread does, beside the import: see deferred.py), `rebuild_index()` the whole archive in
batches, set-based (INSERT … SELECT). Documents are kept for every work, drafts included:
visibility is decided by the one gate, not by the index.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from django.db import connection

from .parser import Term

INDEX_TABLE = "search_worktext"
MARK_START = "\x02"
MARK_END = "\x03"


def _vendor_module() -> Any:
    if connection.vendor == "postgresql":
        from . import postgres

        return postgres
    from . import sqlite

    return sqlite


def index_works(work_ids: Iterable[int]) -> int:
    """Rewrite the index documents of these works (removing those of works that are gone)."""
    ids = sorted(set(work_ids))
    if not ids:
        return 0
    return _vendor_module().index_works(ids)


def unindex_works(work_ids: Iterable[int]) -> None:
    ids = sorted(set(work_ids))
    if ids:
        _vendor_module().unindex_works(ids)


def rebuild_index(*, batch_size: int = 20_000, progress: Any = None) -> int:
    """Rebuild the documents of every work; returns how many were written."""
    return _vendor_module().rebuild_index(batch_size=batch_size, progress=progress)


def indexed_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {INDEX_TABLE}")  # noqa: S608 (a constant)
        return int(cursor.fetchone()[0])


def usable_terms(terms: Iterable[Term]) -> tuple[list[Term], list[Term]]:
    """The positive and negative terms that have at least one word (others are ignored)."""
    positive = [t for t in terms if t.words and not t.negated]
    negative = [t for t in terms if t.words and t.negated]
    return positive, negative


def match_subqueries(terms: Iterable[Term]) -> list[tuple[str, str, list[Any]]]:
    """The text conditions as (operator, subquery, params): a work's id must be "in" the
    subquery of the positive terms (all must match) and "not in" that of the negative ones
    (none may). The subqueries stand alone (no reference to an outer table)."""
    return _vendor_module().match_subqueries(list(terms))


def rank_sql(terms: Iterable[Term], id_column: str) -> tuple[str, list[Any]]:
    """A SQL expression for the relevance of the work `id_column` (higher is better)."""
    return _vendor_module().rank_sql(list(terms), id_column)


def snippets(terms: Iterable[Term], work_ids: list[int]) -> dict[int, str]:
    """The passage of each work that matched, as safe HTML with the words in <mark>."""
    positive, _ = usable_terms(terms)
    if not positive or not work_ids:
        return {}
    raw = _vendor_module().snippets(positive, work_ids)
    return {work_id: mark_up(text) for work_id, text in raw.items() if text and text.strip()}


def mark_up(text: str) -> str:
    return (
        html.escape(" ".join(text.split()))
        .replace(MARK_START, "<mark>")
        .replace(MARK_END, "</mark>")
    )
