"""Chapter text compressed with lz4 on PostgreSQL (fanarchive/core/pg.py): an import of
2,000-word works spent ~0.2 ms a work compressing chapters with the default pglz."""

from django.db import migrations

from fanarchive.core.pg import compress_with_lz4


def forward(apps, schema_editor):
    compress_with_lz4(schema_editor, apps.get_model("works", "Chapter")._meta.db_table, ["text"])


class Migration(migrations.Migration):
    dependencies = [("works", "0003_posting")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
