"""Bulk writing of a generated demo archive: executemany on SQLite, COPY on PostgreSQL.

Rows carry explicit ids (MAX(id) + 1 onwards), so nothing is read back. The secondary indexes
(and on PostgreSQL the unique and foreign-key constraints) of the bulk tables are dropped during
the load and rebuilt at the end, faster than keeping them up to date row by row; rebuilding them
checks every row. On PostgreSQL the sequences are then moved past the loaded ids; both vendors
ANALYZE at the end.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field
from queue import Full, Queue

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from fanarchive.accounts.models import Pseud, User
from fanarchive.search.services import search_text_rebuild
from fanarchive.tags.ao3dump import load_metatag_pairs
from fanarchive.tags.graph import filter_sets
from fanarchive.tags.models import ParentTagging, Tag
from fanarchive.tags.names import tag_key
from fanarchive.works.models import (
    Chapter,
    Creatorship,
    Series,
    SeriesWork,
    Work,
    WorkFilter,
    WorkStats,
    WorkTag,
)

from .generator import (
    PSEUD_COLUMNS,
    USER_COLUMNS,
    FirstIds,
    Rows,
    WorkGenerator,
    account_rows,
    full_text,
    plan_accounts,
)
from .vocabulary import data_dir, load_vocabulary

TAG_COLUMNS = (
    "id",
    "name",
    "key",
    "type",
    "canonical",
    "merger_id",
    "unwrangleable",
    "created_at",
    "updated_at",
)
BULK_TABLES = (
    "works_work",
    "works_chapter",
    "works_creatorship",
    "works_worktag",
    "works_series",
    "works_serieswork",
    "works_workstats",
    "works_workfilter",
)
_MODELS = (
    User,
    Pseud,
    Tag,
    Work,
    Chapter,
    Creatorship,
    WorkTag,
    Series,
    SeriesWork,
    WorkStats,
    WorkFilter,
)


@dataclass
class DemoResult:
    works: int
    seed: int
    seconds: float = 0.0
    rows: dict[str, int] = field(default_factory=dict)
    full_text: bool = True
    text_seconds: float | None = None  # building the full-text index, when it was built


Progress = Callable[[int], None]  # called with the number of works written so far


def archive_has_works() -> bool:
    return Work.objects.exists()


def _max_id(model) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT MAX({model._meta.pk.column}) FROM {model._meta.db_table}")  # noqa: S608 - names from models
        return cursor.fetchone()[0] or 0


def _first_ids() -> FirstIds:
    return FirstIds(
        user=_max_id(User) + 1,
        pseud=_max_id(Pseud) + 1,
        work=_max_id(Work) + 1,
        chapter=_max_id(Chapter) + 1,
        creatorship=_max_id(Creatorship) + 1,
        worktag=_max_id(WorkTag) + 1,
        series=_max_id(Series) + 1,
        serieswork=_max_id(SeriesWork) + 1,
    )


class _Writer:
    def write(self, table: str, columns: Iterable[str], rows: list[tuple]) -> None:
        raise NotImplementedError

    def begin(self) -> None:  # before the bulk load
        pass

    def finish(self) -> None:  # after it
        pass


class _SQLiteWriter(_Writer):
    def __init__(self, *, keep_indexes: bool = False) -> None:
        self.keep_indexes = keep_indexes
        self.indexes: list[tuple[str, str]] = []

    def write(self, table, columns, rows):
        if not rows:
            return
        columns = tuple(columns)
        marks = ", ".join("%s" for _ in columns)
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"  # noqa: S608 - fixed names
        with connection.cursor() as cursor:
            cursor.executemany(sql, rows)

    def begin(self):
        with connection.cursor() as cursor:
            if not connection.in_atomic_block:  # SQLite refuses it inside a transaction
                cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-262144")
            if self.keep_indexes:
                return
            cursor.execute(
                "SELECT tbl_name, name, sql FROM sqlite_master "
                "WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
            )
            self.indexes = [(n, sql) for table, n, sql in cursor.fetchall() if table in BULK_TABLES]
            for name, _sql in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')

    def finish(self):
        with connection.cursor() as cursor:
            for _name, sql in self.indexes:
                cursor.execute(sql)
            self.indexes = []
            if not connection.in_atomic_block:
                cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA cache_size=-65536")
            cursor.execute("ANALYZE")


class _PostgresWriter(_Writer):
    """COPY into the tables; their foreign keys, unique constraints and secondary indexes are
    dropped during the load and added back at the end, which checks every row in one pass each
    (instead of a trigger and five index updates per row)."""

    def __init__(self, *, keep_indexes: bool = False) -> None:
        self.keep_indexes = keep_indexes
        self.constraints: list[tuple[str, str, str]] = []  # (table, name, definition)
        self.indexes: list[tuple[str, str]] = []  # (name, definition)

    def begin(self):
        if self.keep_indexes:
            return
        tables = list(BULK_TABLES)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) "
                "FROM pg_constraint WHERE contype IN ('u', 'f') "
                "AND conrelid::regclass::text = ANY(%s) ORDER BY contype DESC, conname",
                [tables],
            )
            self.constraints = list(cursor.fetchall())
            cursor.execute(
                "SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) "
                "FROM pg_index i WHERE i.indrelid::regclass::text = ANY(%s) "
                "AND NOT i.indisprimary AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid) "
                "ORDER BY 1",
                [tables],
            )
            self.indexes = list(cursor.fetchall())
            # ALTER TABLE refuses tables with deferred checks pending in this transaction.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table, name, _definition in self.constraints:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _definition in self.indexes:
                cursor.execute(f'DROP INDEX "{name}"')

    def write(self, table, columns, rows):
        if not rows:
            return
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg 3 cursor under Django's wrapper
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)

    def finish(self):
        sql = connection.ops.sequence_reset_sql(no_style(), list(_MODELS))
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for _name, definition in self.indexes:
                cursor.execute(definition)
            # Unique constraints first (ORDER BY contype DESC), then the foreign keys.
            for table, name, definition in self.constraints:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            self.indexes, self.constraints = [], []
            for statement in sql:
                cursor.execute(statement)
            for model in _MODELS:
                cursor.execute(f"ANALYZE {model._meta.db_table}")


def _writer(*, keep_indexes: bool) -> _Writer:
    if connection.vendor == "sqlite":
        return _SQLiteWriter(keep_indexes=keep_indexes)
    if connection.vendor == "postgresql":
        return _PostgresWriter(keep_indexes=keep_indexes)
    raise NotImplementedError(
        f"fanarchive demo supports SQLite and PostgreSQL, not {connection.vendor}"
    )


def _ensure_tags(writer: _Writer) -> dict[str, int]:
    """Creates the vocabulary's tags that the archive lacks; returns every tag's id by key."""
    ids = dict(Tag.objects.values_list("key", "id"))
    next_id = _max_id(Tag) + 1
    now = timezone.now().strftime("%Y-%m-%d %H:%M:%S")
    rows = []
    for spec in load_vocabulary().tags:
        key = spec.key
        if key in ids:
            continue
        ids[key] = next_id
        merger = ids[tag_key(spec.merger)] if spec.merger else None
        rows.append((next_id, spec.name, key, spec.type, spec.canonical, merger, False, now, now))
        next_id += 1
    writer.write("tags_tag", TAG_COLUMNS, rows)
    return ids


def demo_build(
    *,
    works: int,
    seed: int = 1,
    keep_indexes: bool = False,
    on_progress: Progress | None = None,
    text_index: bool = True,
) -> DemoResult:
    """Adds `works` generated works (with their accounts, tags, chapters, series and stats) to
    the archive. Deterministic for a seed in an empty archive; in a non-empty one the new rows
    take the ids after the existing ones and logins that are taken get a number."""
    started = time.monotonic()
    result = DemoResult(works=works, seed=seed, full_text=full_text(works))
    writer = _writer(keep_indexes=keep_indexes)
    first = _first_ids()
    with transaction.atomic():
        tag_ids = _ensure_tags(writer)
        result.rows.update(_ensure_wrangling())
        taken = frozenset(User.objects.values_list("username", flat=True))
        accounts = plan_accounts(seed=seed, works=works, first=first, taken=taken)
        users, pseuds = account_rows(accounts, seed=seed)
        writer.write("accounts_user", USER_COLUMNS, users)
        writer.write("accounts_pseud", PSEUD_COLUMNS, pseuds)
    result.rows.update({"accounts_user": len(users), "accounts_pseud": len(pseuds)})
    generator = WorkGenerator(
        vocabulary=load_vocabulary(),
        seed=seed,
        works=works,
        tag_ids=tag_ids,
        accounts=accounts,
        first=first,
    )
    # What works are filtered under is derived from their tags and the wrangling: computed
    # per chunk from one tag → filter-tags map and written with the chunk.
    filters = _FilterRows(first_id=_max_id(WorkFilter) + 1)
    # PostgreSQL: one transaction, so a failure leaves neither half a demo nor dropped
    # constraints behind. SQLite: a transaction a chunk, so the write-ahead log stays small.
    whole = transaction.atomic() if connection.vendor == "postgresql" else nullcontext()
    with whole:
        _load(writer, generator, result, on_progress, filters)
    if text_index:
        # The full-text index, likewise derived, likewise set-based.
        text_started = time.monotonic()
        result.rows["search_worktext"] = search_text_rebuild()
        result.text_seconds = time.monotonic() - text_started
    result.seconds = time.monotonic() - started
    return result


def _ensure_wrangling() -> dict[str, int]:
    """Wrangling the demo vocabulary the way AO3's wranglers have: every canonical character
    and relationship of a fandom gets that fandom as its parent, and the real metatag pairs
    (`metatags-2023.csv`) link the canonical tags they name. Done before the works are loaded,
    so no work needs refiltering for it."""
    vocabulary = load_vocabulary()
    canonical = dict(Tag.objects.filter(canonical=True).values_list("key", "id"))
    existing = set(ParentTagging.objects.values_list("parent_id", "child_id"))
    links = []
    for fandom in vocabulary.fandoms:
        parent = canonical.get(tag_key(fandom.name))
        if parent is None:
            continue
        for name in (*fandom.characters.names, *fandom.relationships.names):
            child = canonical.get(tag_key(name))
            if child is not None and (parent, child) not in existing:
                existing.add((parent, child))
                links.append(ParentTagging(parent_id=parent, child_id=child))
    ParentTagging.objects.bulk_create(links, batch_size=2000)
    pairs = data_dir() / "ao3" / "metatags-2023.csv"
    report = load_metatag_pairs(pairs) if pairs.exists() else None
    return {
        "tags_parenttagging": len(links),
        "tags_metatagging": report.links if report else 0,
    }


def _prefetched(chunks: Iterator[Rows], depth: int = 2) -> Iterator[Rows]:
    """The chunks, generated in a thread while the database writes the previous ones (sqlite3
    and psycopg release the GIL while the database works, so the two overlap)."""
    queue: Queue = Queue(maxsize=depth)
    done = object()
    stop = threading.Event()

    def produce() -> None:
        try:
            for chunk in chunks:
                while not stop.is_set():
                    try:
                        queue.put(chunk, timeout=0.2)
                        break
                    except Full:
                        continue
                if stop.is_set():
                    return
            queue.put(done)
        except BaseException as error:  # handed to the consumer, raised there
            queue.put(error)

    thread = threading.Thread(target=produce, name="demo-generator", daemon=True)
    thread.start()
    try:
        while (item := queue.get()) is not done:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


class _FilterRows:
    """WorkFilter rows for generated works: each work is filtered under the filter set of each
    of its tags (works.filters' definition), from a map computed once for the vocabulary."""

    COLUMNS = ("id", "work_id", "tag_id")

    def __init__(self, *, first_id: int) -> None:
        wrangled = Tag.objects.filter(Q(canonical=True) | Q(merger__isnull=False))
        self.sets = filter_sets(wrangled.values_list("id", flat=True))
        self.next_id = first_id

    def rows(self, worktags: list[tuple]) -> list[tuple[int, int, int]]:
        wanted: dict[int, set[int]] = {}
        for _id, work_id, tag_id, _position in worktags:
            wanted.setdefault(work_id, set()).update(self.sets.get(tag_id, ()))
        out = []
        for work_id, tags in wanted.items():
            for tag_id in sorted(tags):
                out.append((self.next_id, work_id, tag_id))
                self.next_id += 1
        return out


def _load(
    writer: _Writer,
    generator: WorkGenerator,
    result: DemoResult,
    on_progress: Progress | None,
    filters: _FilterRows,
) -> None:
    writer.begin()
    try:
        done = 0
        for rows in _prefetched(generator.chunks()):
            with transaction.atomic():
                tables = list(rows.tables())
                tables.append(
                    ("works_workfilter", _FilterRows.COLUMNS, filters.rows(rows.worktags))
                )
                for table, columns, table_rows in tables:
                    writer.write(table, columns, table_rows)
                    result.rows[table] = result.rows.get(table, 0) + len(table_rows)
            done += len(rows.works)
            if on_progress:
                on_progress(done)
    finally:
        writer.finish()
