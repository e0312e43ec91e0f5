"""The full-text index on PostgreSQL: one row per work with a tsvector per field a reader can
search alone (title, creators, tags, summary) and one weighted `document` (title A, tags and
creators B, summary C, body D) for plain terms and ranking, each with a GIN index (the table is
created by migrations search/0002 and 0003).

Each field's vector is computed once and the document is assembled from them. The table holds
vectors only: snippets are made from the works' own rows, for the few works of a page.

Why five GIN indexes and not one weighted document: a field term could be asked of the
document as `'word':A` (title) or `'word':C` (summary) exactly, since only that field carries
that weight, but tags and creators share B (their ranking weights are equal, and ts_rank has
only four), so `tag:` and `creator:` need vectors of their own. Nor would it save much: the
small vectors' indexes cost little to keep, while a weighted lookup in the document has to
recheck (and detoast) the whole document of every work holding the word anywhere, so
`title:the` would read every body.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from fanarchive.accounts.models import Pseud, User
from fanarchive.tags.models import Tag
from fanarchive.works.models import Chapter, Creatorship, Work, WorkTag

from . import INDEX_TABLE, MARK_END, MARK_START, usable_terms
from .parser import Term

# The table as migrations 0002, 0003 and 0005 leave it (vectors compressed with lz4 where
# the server has it).
CREATE_SQL = [
    f"""CREATE TABLE IF NOT EXISTS {INDEX_TABLE} (
        work_id bigint PRIMARY KEY,
        title_v tsvector NOT NULL,
        creators_v tsvector NOT NULL,
        tags_v tsvector NOT NULL,
        summary_v tsvector NOT NULL,
        document tsvector NOT NULL
    )""",
    f"CREATE INDEX IF NOT EXISTS {INDEX_TABLE}_document ON {INDEX_TABLE} USING gin (document)",
    f"CREATE INDEX IF NOT EXISTS {INDEX_TABLE}_title ON {INDEX_TABLE} USING gin (title_v)",
    f"CREATE INDEX IF NOT EXISTS {INDEX_TABLE}_creators ON {INDEX_TABLE} USING gin (creators_v)",
    f"CREATE INDEX IF NOT EXISTS {INDEX_TABLE}_tags ON {INDEX_TABLE} USING gin (tags_v)",
    f"CREATE INDEX IF NOT EXISTS {INDEX_TABLE}_summary ON {INDEX_TABLE} USING gin (summary_v)",
]
DROP_SQL = [f"DROP TABLE IF EXISTS {INDEX_TABLE}"]
CONFIG = "simple"
# ts_rank weights {D, C, B, A}.
WEIGHTS = "'{0.1, 0.2, 0.5, 1.0}'"
# A tsvector holds at most 1 MB: index the first million characters of a work's body.
BODY_LIMIT = 1_000_000


def _text(sql: str) -> str:
    """SQL for the plain text of sanitized HTML: tags become spaces, then the five entities
    the sanitizer writes are unescaped (only looked for when there is an `&` at all)."""
    tagless = f"regexp_replace({sql}, '<[^>]*>', ' ', 'g')"
    unescaped = "t.s"
    for entity, char in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&#39;", "''")):
        unescaped = f"replace({unescaped}, '{entity}', '{char}')"
    unescaped = f"replace({unescaped}, '&amp;', '&')"
    case = f"CASE WHEN strpos(t.s, '&') > 0 THEN {unescaped} ELSE t.s END"
    return f"(SELECT {case} FROM (SELECT {tagless} AS s OFFSET 0) t)"  # noqa: S608 (no values)


_CHAPTERS = "string_agg(ch.title || ' ' || ch.text, ' ' ORDER BY ch.position)"


def _documents(where: str, *, fields: bool) -> str:
    """The plain text of each work: (work_id, summary, body), and with `fields` also
    title, creators and tags."""
    work, chapter = Work._meta.db_table, Chapter._meta.db_table
    creatorship, pseud, user = (
        Creatorship._meta.db_table,
        Pseud._meta.db_table,
        User._meta.db_table,
    )
    worktag, tag = WorkTag._meta.db_table, Tag._meta.db_table
    named = (
        f"""w.title AS title,
          COALESCE((SELECT string_agg(p.name || ' ' || u.username, ' ' ORDER BY c.position, c.id)
              FROM {creatorship} c JOIN {pseud} p ON p.id = c.pseud_id
              JOIN {user} u ON u.id = p.user_id WHERE c.work_id = w.id), '') AS creators,
          COALESCE((SELECT string_agg(t.name, ', ' ORDER BY wt.position, wt.id)
              FROM {worktag} wt JOIN {tag} t ON t.id = wt.tag_id WHERE wt.work_id = w.id), '')
              AS tags,"""  # noqa: S608 (table names from models)
        if fields
        else ""
    )
    return f"""
        SELECT w.id AS work_id, {named}
          {_text("w.summary || ' ' || w.notes || ' ' || w.end_notes")} AS summary,
          left(COALESCE((SELECT {_text(_CHAPTERS)}
              FROM {chapter} ch WHERE ch.work_id = w.id AND ch.posted), ''), {BODY_LIMIT})
              AS body
        FROM {work} w WHERE {where}
    """  # noqa: S608 (table names from models; values are parameters)


def _select_sql(where: str) -> str:
    c = CONFIG
    # OFFSET 0 keeps the planner from inlining `v` (which would compute each vector twice).
    return f"""
        SELECT v.work_id, v.title_v, v.creators_v, v.tags_v, v.summary_v,
          setweight(v.title_v, 'A') || setweight(v.tags_v, 'B')
            || setweight(v.creators_v, 'B') || setweight(v.summary_v, 'C')
            || setweight(v.body_v, 'D')
        FROM (
          SELECT d.work_id, to_tsvector('{c}', d.title) AS title_v,
            to_tsvector('{c}', d.creators) AS creators_v, to_tsvector('{c}', d.tags) AS tags_v,
            to_tsvector('{c}', d.summary) AS summary_v, to_tsvector('{c}', d.body) AS body_v
          FROM ({_documents(where, fields=True)}) d OFFSET 0
        ) v
    """  # noqa: S608


COLUMNS = "work_id, title_v, creators_v, tags_v, summary_v, document"


def _insert(where: str, params: list[Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {INDEX_TABLE} ({COLUMNS}) " + _select_sql(where), params)
        return cursor.rowcount


def index_works(ids: list[int]) -> int:
    unindex_works(ids)
    return _insert("w.id = ANY(%s)", [ids])


def unindex_works(ids: list[int]) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {INDEX_TABLE} WHERE work_id = ANY(%s)", [ids])  # noqa: S608


def rebuild_index(*, batch_size: int, progress: Any = None) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {INDEX_TABLE}")
        cursor.execute(f"SELECT MIN(id), MAX(id) FROM {Work._meta.db_table}")  # noqa: S608
        first, last = cursor.fetchone()
    if first is None:
        return 0
    written = 0
    for low in range(first, last + 1, batch_size):
        written += _insert("w.id >= %s AND w.id < %s", [low, low + batch_size])
        if progress is not None:
            progress(written)
    return written


def _tsquery(term: Term) -> tuple[str, list[Any]]:
    if term.prefix:
        words = term.words
        lexemes = [f"'{w}'" for w in words[:-1]] + [f"'{words[-1]}':*"]
        return f"to_tsquery('{CONFIG}', %s)", [" <-> ".join(lexemes)]
    return f"phraseto_tsquery('{CONFIG}', %s)", [term.text]


def _condition(term: Term) -> tuple[str, list[Any]]:
    column = f"{term.field}_v" if term.field else "document"
    sql, params = _tsquery(term)
    return f"{column} @@ {sql}", params


def match_subqueries(terms: list[Term]) -> list[tuple[str, str, list[Any]]]:
    positive, negative = usable_terms(terms)
    out: list[tuple[str, str, list[Any]]] = []
    for terms_, joiner, op in ((positive, " AND ", "in"), (negative, " OR ", "not in")):
        if not terms_:
            continue
        parts = [_condition(t) for t in terms_]
        condition = joiner.join(f"({sql})" for sql, _ in parts)
        select = f"SELECT work_id FROM {INDEX_TABLE} WHERE {condition}"  # noqa: S608
        out.append((op, select, [p for _, ps in parts for p in ps]))
    return out


def _combined(positive: list[Term]) -> tuple[str, list[Any]]:
    parts = [_tsquery(t) for t in positive]
    return " && ".join(sql for sql, _ in parts), [p for _, ps in parts for p in ps]


def rank_sql(terms: list[Term], id_column: str) -> tuple[str, list[Any]]:
    positive, _ = usable_terms(terms)
    if not positive:
        return "0", []
    query, params = _combined(positive)
    sql = (
        f"(SELECT ts_rank({WEIGHTS}, s.document, {query}) FROM {INDEX_TABLE} s "  # noqa: S608
        f"WHERE s.work_id = {id_column})"
    )
    return sql, params


def snippets(positive: list[Term], work_ids: list[int]) -> dict[int, str]:
    query, params = _combined(positive)
    options = (
        f'StartSel="{MARK_START}", StopSel="{MARK_END}", MaxWords=30, MinWords=12, '
        'MaxFragments=2, FragmentDelimiter=" … "'
    )
    sql = (
        f"SELECT d.work_id, ts_headline('{CONFIG}', "  # noqa: S608
        f"d.summary || ' ' || d.body, {query}, %s) "
        f"FROM ({_documents('w.id = ANY(%s)', fields=False)}) d"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, options, work_ids])
        return {row[0]: row[1] for row in cursor.fetchall()}
