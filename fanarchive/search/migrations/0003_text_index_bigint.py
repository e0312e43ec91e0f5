"""The PostgreSQL text index, corrected and slimmed (text/postgres.py's CREATE_SQL creates the
same table from scratch):

- `work_id` is bigint, as work ids are (an imported Work ID of 2**40 failed with integer);
- the plain-text columns (title, creators, tags, summary, body) are dropped: nothing matched
  on them, and the snippets now read the works' own rows for the 20 works of a page instead
  of a stored copy of every body;
- the `document` vector is computed from the field vectors, once per field.

Existing documents are kept (the vectors do not change). SQLite (FTS5) is unchanged.
"""

from django.db import migrations

POSTGRES = [
    "ALTER TABLE search_worktext ALTER COLUMN work_id TYPE bigint",
    "ALTER TABLE search_worktext DROP COLUMN IF EXISTS title, DROP COLUMN IF EXISTS creators, "
    "DROP COLUMN IF EXISTS tags, DROP COLUMN IF EXISTS summary, DROP COLUMN IF EXISTS body",
]


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for sql in POSTGRES:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_text_index")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
