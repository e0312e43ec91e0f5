"""The full-text index on SQLite: an FTS5 table (created by migration search/0002)."""

from __future__ import annotations

import html
import re
from typing import Any

from django.db import connection

from fanarchive.accounts.models import Pseud, User
from fanarchive.tags.models import Tag
from fanarchive.works.models import Chapter, Creatorship, Work, WorkTag

from . import INDEX_TABLE, MARK_END, MARK_START, usable_terms
from .parser import Term

CREATE_SQL = (
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {INDEX_TABLE} USING fts5("
    "title, creators, tags, summary, body, tokenize = 'unicode61 remove_diacritics 2')"
)
DROP_SQL = f"DROP TABLE IF EXISTS {INDEX_TABLE}"
# bm25 weights, in column order: title, creators, tags, summary, body.
WEIGHTS = "10.0, 4.0, 6.0, 2.0, 1.0"
_TAG = re.compile(r"<[^>]*>")


def html_text(value: str | None) -> str:
    """Plain text of sanitized HTML, for the index (registered as SQL function fa_html_text)."""
    if not value:
        return ""
    return html.unescape(_TAG.sub(" ", value))


def _register() -> None:
    connection.ensure_connection()
    connection.connection.create_function("fa_html_text", 1, html_text, deterministic=True)


def _select_sql(where: str) -> str:
    work, chapter = Work._meta.db_table, Chapter._meta.db_table
    creatorship, pseud, user = (
        Creatorship._meta.db_table,
        Pseud._meta.db_table,
        User._meta.db_table,
    )
    worktag, tag = WorkTag._meta.db_table, Tag._meta.db_table
    # Subqueries with ORDER BY feed group_concat in order (SQLite < 3.44 has no
    # group_concat(… ORDER BY …)); fine in practice and only affects snippets, not matching.
    return f"""
        SELECT w.id, w.title,
          COALESCE((SELECT group_concat(n, ' ') FROM (
              SELECT p.name || ' ' || u.username AS n FROM {creatorship} c
              JOIN {pseud} p ON p.id = c.pseud_id JOIN {user} u ON u.id = p.user_id
              WHERE c.work_id = w.id ORDER BY c.position, c.id)), ''),
          COALESCE((SELECT group_concat(n, ', ') FROM (
              SELECT t.name AS n FROM {worktag} wt JOIN {tag} t ON t.id = wt.tag_id
              WHERE wt.work_id = w.id ORDER BY wt.position, wt.id)), ''),
          fa_html_text(w.summary || ' ' || w.notes || ' ' || w.end_notes),
          COALESCE((SELECT fa_html_text(group_concat(x, ' ')) FROM (
              SELECT ch.title || ' ' || ch.text AS x FROM {chapter} ch
              WHERE ch.work_id = w.id AND ch.posted ORDER BY ch.position)), '')
        FROM {work} w WHERE {where}
    """  # noqa: S608 (table names from models; values are parameters)


def _insert(where: str, params: list[Any]) -> int:
    sql = f"INSERT INTO {INDEX_TABLE} (rowid, title, creators, tags, summary, body) "
    with connection.cursor() as cursor:
        cursor.execute(sql + _select_sql(where), params)
        return cursor.rowcount


def _in(ids: list[int]) -> str:
    return ", ".join(["%s"] * len(ids))


CHUNK = 500


def index_works(ids: list[int]) -> int:
    _register()
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        unindex_works(chunk)
        written += _insert(f"w.id IN ({_in(chunk)})", chunk)
    return written


def unindex_works(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            cursor.execute(
                f"DELETE FROM {INDEX_TABLE} WHERE rowid IN ({_in(chunk)})",  # noqa: S608
                chunk,
            )


def rebuild_index(*, batch_size: int, progress: Any = None) -> int:
    """Refill the index from the works. FTS5's incremental merging is switched off while the
    rows go in and the index is merged once at the end ('optimize'): at a million works that
    is several times faster than merging as it grows."""
    _register()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {INDEX_TABLE}")  # noqa: S608
    bounds = Work.objects.order_by("id").values_list("id", flat=True)
    first, last = bounds.first(), Work.objects.order_by("-id").values_list("id", flat=True).first()
    written = 0
    if first is None or last is None:
        return 0
    control = f"INSERT INTO {INDEX_TABLE}({INDEX_TABLE}, rank) VALUES (%s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(control, ["automerge", 0])
        try:
            for low in range(first, last + 1, batch_size):
                written += _insert("w.id >= %s AND w.id < %s", [low, low + batch_size])
                if progress is not None:
                    progress(written)
            cursor.execute(
                f"INSERT INTO {INDEX_TABLE}({INDEX_TABLE}) VALUES ('optimize')"  # noqa: S608
            )
        finally:
            cursor.execute(control, ["automerge", 4])  # FTS5's default
    return written


def _phrase(term: Term) -> str:
    quoted = '"' + term.text.replace('"', '""') + '"'
    if term.prefix:
        quoted += " *"
    return f"{term.field} : {quoted}" if term.field else quoted


def _expression(terms: list[Term], joiner: str) -> str:
    return f" {joiner} ".join(f"({_phrase(t)})" for t in terms)


def match_subqueries(terms: list[Term]) -> list[tuple[str, str, list[Any]]]:
    positive, negative = usable_terms(terms)
    select = f"SELECT rowid FROM {INDEX_TABLE} WHERE {INDEX_TABLE} MATCH %s"  # noqa: S608
    out: list[tuple[str, str, list[Any]]] = []
    if positive:
        out.append(("in", select, [_expression(positive, "AND")]))
    if negative:
        out.append(("not in", select, [_expression(negative, "OR")]))
    return out


def rank_sql(terms: list[Term], id_column: str) -> tuple[str, list[Any]]:
    positive, _ = usable_terms(terms)
    if not positive:
        return "0", []
    sql = (
        f"(SELECT -bm25({INDEX_TABLE}, {WEIGHTS}) FROM {INDEX_TABLE} "  # noqa: S608
        f"WHERE {INDEX_TABLE} MATCH %s AND rowid = {id_column})"
    )
    return sql, [_expression(positive, "AND")]


def snippets(positive: list[Term], work_ids: list[int]) -> dict[int, str]:
    sql = (
        f"SELECT rowid, snippet({INDEX_TABLE}, -1, %s, %s, '…', 24) FROM {INDEX_TABLE} "  # noqa: S608
        f"WHERE {INDEX_TABLE} MATCH %s AND rowid IN ({_in(work_ids)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [MARK_START, MARK_END, _expression(positive, "AND"), *work_ids])
        return {row[0]: row[1] for row in cursor.fetchall()}
