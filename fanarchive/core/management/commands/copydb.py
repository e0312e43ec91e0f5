"""`fanarchive copydb --to URL`: copy the whole archive into another database.

The way a laptop archive grows onto PostgreSQL: the target is migrated, emptied, and every
table is copied row for row (ids kept) in one transaction, then its sequences are reset. On
PostgreSQL rows go in with COPY and foreign keys are checked at commit (Django declares them
DEFERRABLE INITIALLY DEFERRED), so table order does not matter and a failure leaves the
target as it was."""

from __future__ import annotations

import json
import time
from typing import Any

import dj_database_url
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.management.color import no_style
from django.db import connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend

from fanarchive.core.progress import progress_bar

TARGET = "copydb_target"


def open_database(url: str) -> BaseDatabaseWrapper:
    """A connection to the database at `url`, outside the archive's own connection registry."""
    try:
        settings_dict = dj_database_url.parse(url)
    except Exception as exc:  # dj_database_url raises several kinds for a bad URL
        raise CommandError(f"--to: not a database URL ({exc})") from exc
    base = connections["default"].settings_dict
    merged = {**base, **settings_dict, "TEST": {}, "OPTIONS": settings_dict.get("OPTIONS", {})}
    for key in ("ATOMIC_REQUESTS", "AUTOCOMMIT", "CONN_MAX_AGE", "CONN_HEALTH_CHECKS", "TIME_ZONE"):
        merged.setdefault(key, base.get(key))
    try:
        load_backend(merged["ENGINE"])
    except Exception as exc:
        raise CommandError(f"--to: no database backend {merged['ENGINE']} ({exc})") from exc
    connections.databases[TARGET] = merged  # migrations look their connection up by alias
    return connections[TARGET]


def copyable_models() -> list[type[models.Model]]:
    """Every concrete table Django manages, auto-created many-to-many tables included."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


class Command(BaseCommand):
    help = "Copy every table of this archive's database into another one (e.g. PostgreSQL)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--to",
            required=True,
            metavar="DATABASE_URL",
            help="the target database, e.g. postgres://user:pass@host/name",
        )
        parser.add_argument("--batch", type=int, default=5000)
        parser.add_argument(
            "--force", action="store_true", help="empty a target that already holds works"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        target = open_database(options["to"])
        source = connections["default"].settings_dict
        if all(
            target.settings_dict.get(k) == source.get(k) for k in ("ENGINE", "NAME", "HOST", "PORT")
        ):
            raise CommandError("--to names the database the archive runs on.")
        try:
            self._copy(target, options)
        finally:
            target.close()
            del connections[TARGET]
            del connections.databases[TARGET]

    def _copy(self, target: BaseDatabaseWrapper, options: dict[str, Any]) -> None:
        started = time.monotonic()
        executor = MigrationExecutor(target)
        executor.migrate(executor.loader.graph.leaf_nodes())
        Work = apps.get_model("works", "Work")
        with target.cursor() as cursor:
            cursor.execute(f"SELECT 1 FROM {target.ops.quote_name(Work._meta.db_table)} LIMIT 1")  # noqa: S608
            has_works = cursor.fetchone() is not None
        if has_works and not options["force"]:
            raise CommandError(
                "The target database already holds works; use --force to empty it first."
            )
        tables = copyable_models()
        total = 0
        target.set_autocommit(False)
        try:
            self._empty(target, tables)
            for model in tables:
                total += self._copy_table(target, model, options["batch"])
            with target.cursor() as cursor:
                for sql in target.ops.sequence_reset_sql(no_style(), tables):
                    cursor.execute(sql)
            target.commit()
        except BaseException:
            target.rollback()
            raise
        finally:
            target.set_autocommit(True)
        self.stdout.write(
            self.style.SUCCESS(
                f"Copied {total:,} rows in {len(tables)} tables in "
                f"{time.monotonic() - started:.1f} s."
            )
        )
        self.stdout.write(
            "Derived indexes are not copied: run `fanarchive search reindex` on the new "
            "database (DATABASE_URL set to it) before serving from it."
        )

    def _empty(self, target: BaseDatabaseWrapper, tables: list[type[models.Model]]) -> None:
        names = [target.ops.quote_name(m._meta.db_table) for m in tables]
        with target.cursor() as cursor:
            if target.vendor == "postgresql":
                cursor.execute(f"TRUNCATE {', '.join(names)} CASCADE")
            else:
                cursor.execute("PRAGMA defer_foreign_keys = ON")
                for name in names:
                    cursor.execute(f"DELETE FROM {name}")  # noqa: S608 (table names from models)

    def _copy_table(
        self, target: BaseDatabaseWrapper, model: type[models.Model], batch: int
    ) -> int:
        fields = [f for f in model._meta.concrete_fields]
        columns = [f.column for f in fields]
        json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        rows = (
            model._base_manager.using("default")
            .order_by("pk")
            .values_list(*[f.attname for f in fields])
        )
        count = rows.count()
        if not count:
            return 0
        table = target.ops.quote_name(model._meta.db_table)
        column_list = ", ".join(target.ops.quote_name(c) for c in columns)
        bar = progress_bar(model._meta.db_table, total=count, stream=self.stdout)
        with bar as advance, target.cursor() as cursor:
            if target.vendor == "postgresql":
                raw = cursor.cursor  # the psycopg cursor behind Django's wrapper
                with raw.copy(f"COPY {table} ({column_list}) FROM STDIN") as copy:
                    for n, row in enumerate(rows.iterator(chunk_size=batch), 1):
                        copy.write_row(_adapt(row, json_at))
                        if n % batch == 0:
                            advance(batch)
            else:
                marks = ", ".join(["%s"] * len(columns))
                sql = f"INSERT INTO {table} ({column_list}) VALUES ({marks})"  # noqa: S608
                chunk: list[tuple[Any, ...]] = []
                for row in rows.iterator(chunk_size=batch):
                    chunk.append(_adapt(row, json_at))
                    if len(chunk) == batch:
                        cursor.executemany(sql, chunk)
                        advance(len(chunk))
                        chunk = []
                cursor.executemany(sql, chunk)
            advance(count)
        return count


def _adapt(row: tuple[Any, ...], json_at: list[int]) -> tuple[Any, ...]:
    """JSON values as text: both COPY and SQLite take them so."""
    if not json_at:
        return row
    values = list(row)
    for i in json_at:
        if values[i] is not None:
            values[i] = json.dumps(values[i])
    return tuple(values)
