"""PostgreSQL-only touches used by migrations of several apps."""

from __future__ import annotations

from typing import Any


def has_lz4(connection: Any) -> bool:
    """Whether this PostgreSQL server was built with lz4 TOAST compression (Debian's is)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
        row = cursor.fetchone()
    return bool(row and row[0])


def compress_with_lz4(schema_editor: Any, table: str, columns: list[str]) -> None:
    """Store long values of these columns compressed with lz4 instead of pglz: a third of the CPU to
    write (a 2,000-word chapter: ~0.1 ms instead of ~0.3 ms) and faster to read, about the same
    size. Values already stored keep their compression until rewritten. No-op elsewhere."""
    connection = schema_editor.connection
    if connection.vendor != "postgresql" or not has_lz4(connection):
        return
    quote = schema_editor.quote_name
    alters = ", ".join(f"ALTER COLUMN {quote(c)} SET COMPRESSION lz4" for c in columns)
    schema_editor.execute(f"ALTER TABLE {quote(table)} {alters}")
