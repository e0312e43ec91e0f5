"""The PostgreSQL text index's vectors compressed with lz4 (fanarchive/core/pg.py): a
2,000-word body's vector is TOASTed, and pglz compressing it was a good part of indexing."""

from django.db import migrations

from fanarchive.core.pg import compress_with_lz4


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        compress_with_lz4(
            schema_editor,
            "search_worktext",
            ["title_v", "creators_v", "tags_v", "summary_v", "document"],
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0004_search_change")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
