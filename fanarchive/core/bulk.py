"""Inserting many plain rows fast, on both databases.

`insert_rows(model, fields, rows)` stores tuples of values (no model instances: building them
costs more than storing the rows). On PostgreSQL, from COPY_FROM rows on, the rows are streamed
with COPY (psycopg's C dumpers); otherwise, and on SQLite, they go as multi-row INSERTs of a few
hundred rows. Measured in an import of 2,000-word works on PostgreSQL: the multi-row INSERTs of
the link rows (tags, filters, creators, counters, change log) spent most of their time in
psycopg splitting and quoting statements of hundreds of placeholders in Python.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.models import Model

# From this many rows on, PostgreSQL is given new rows by COPY (a single work's few rows are
# INSERTed, where COPY's own round trips would cost more).
COPY_FROM = 20
MAX_PARAMETERS = 900  # under SQLite's oldest limit of 999 parameters a statement


@contextmanager
def logged_copy(sql: str, rows: int) -> Iterator[None]:
    """Around a COPY on the raw psycopg cursor: logged like every other statement when Django
    logs queries (DEBUG, or a test's CaptureQueriesContext), which a raw cursor is not."""
    start = time.monotonic()
    try:
        yield
    finally:
        if connection.queries_logged:
            connection.queries_log.append(
                {"sql": f"{sql} -- {rows} rows", "time": f"{time.monotonic() - start:.3f}"}
            )


def insert_rows(model: type[Model], fields: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Insert `rows` (values in the order of `fields`, model field names; a foreign key by its
    field name, given the related id) into `model`'s table. Every column without a database
    default must be given."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    concrete = {f.name: f.column for f in meta.concrete_fields}
    columns = ", ".join(quote(concrete[name]) for name in fields)
    table = quote(meta.db_table)
    if connection.vendor == "postgresql" and len(rows) >= COPY_FROM:
        sql = f"COPY {table} ({columns}) FROM STDIN"
        with (
            logged_copy(sql, len(rows)),
            connection.cursor() as cursor,
            connection.wrap_database_errors,
            cursor.cursor.copy(sql) as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    row_marks = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, MAX_PARAMETERS // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 (names from the model)
                + ", ".join([row_marks] * len(chunk)),
                [value for row in chunk for value in row],
            )
