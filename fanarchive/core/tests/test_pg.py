"""lz4 TOAST compression of long columns on PostgreSQL (fanarchive/core/pg.py)."""

import pytest
from django.db import connection

from fanarchive.core.pg import has_lz4

pytestmark = pytest.mark.django_db


def _compression(table: str, column: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attcompression FROM pg_attribute"
            " WHERE attrelid = %s::regclass AND attname = %s",
            [table, column],
        )
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_long_text_columns_are_compressed_with_lz4_when_the_server_has_it():
    expected = "l" if has_lz4(connection) else ""
    assert _compression("works_chapter", "text") == expected
    assert _compression("search_worktext", "document") == expected
    assert _compression("works_chapter", "title") == ""  # others keep the default


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_debians_postgresql_has_lz4():
    """The server `make test` starts (Debian's PostgreSQL 15) is built with lz4: without it
    the migrations quietly keep pglz, and imports are slower."""
    assert has_lz4(connection)
