"""insert_rows: plain rows stored in bulk (COPY on PostgreSQL from COPY_FROM rows, multi-row
INSERTs otherwise), seen by query logging either way, and all-or-nothing in a transaction."""

import pytest
from django.contrib.auth.models import Group
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from fanarchive.core.bulk import COPY_FROM, MAX_PARAMETERS, insert_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_groups():
    Group.objects.all().delete()  # (the wranglers' group comes with the migrations)


@pytest.mark.parametrize("count", [1, COPY_FROM - 1, COPY_FROM, MAX_PARAMETERS + 7])
def test_rows_are_stored_and_logged(count):
    rows = [(f"group {i}",) for i in range(count)]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(Group, ("name",), rows)
    assert sorted(Group.objects.values_list("name", flat=True)) == sorted(r[0] for r in rows)
    copied = connection.vendor == "postgresql" and count >= COPY_FROM
    statements = 1 if copied else -(-count // MAX_PARAMETERS)
    assert len(queries) == statements
    assert all(q["sql"].startswith("COPY" if copied else "INSERT") for q in queries)


def test_nothing_is_left_of_a_failed_insert():
    Group.objects.create(name="taken")
    rows = [(f"g{i}",) for i in range(COPY_FROM + 5)] + [("taken",)]
    with pytest.raises(DatabaseError), transaction.atomic():
        insert_rows(Group, ("name",), rows)
    assert list(Group.objects.values_list("name", flat=True)) == ["taken"]


def test_no_rows_no_statement():
    with CaptureQueriesContext(connection) as queries:
        insert_rows(Group, ("name",), [])
    assert len(queries) == 0
