"""The full-text index: an FTS5 table on SQLite, a table with tsvectors and GIN indexes on
PostgreSQL (frozen copies of text/sqlite.py and text/postgres.py's CREATE_SQL). Derived data:
`fanarchive search reindex` fills it."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_worktext USING fts5("
    "title, creators, tags, summary, body, tokenize = 'unicode61 remove_diacritics 2')"
]
POSTGRES = [
    """CREATE TABLE IF NOT EXISTS search_worktext (
        work_id integer PRIMARY KEY,
        title text NOT NULL DEFAULT '',
        creators text NOT NULL DEFAULT '',
        tags text NOT NULL DEFAULT '',
        summary text NOT NULL DEFAULT '',
        body text NOT NULL DEFAULT '',
        title_v tsvector NOT NULL,
        creators_v tsvector NOT NULL,
        tags_v tsvector NOT NULL,
        summary_v tsvector NOT NULL,
        document tsvector NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS search_worktext_document ON search_worktext USING gin (document)",
    "CREATE INDEX IF NOT EXISTS search_worktext_title ON search_worktext USING gin (title_v)",
    "CREATE INDEX IF NOT EXISTS search_worktext_creators ON search_worktext USING gin (creators_v)",
    "CREATE INDEX IF NOT EXISTS search_worktext_tags ON search_worktext USING gin (tags_v)",
    "CREATE INDEX IF NOT EXISTS search_worktext_summary ON search_worktext USING gin (summary_v)",
]


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for sql in POSTGRES if vendor == "postgresql" else SQLITE:
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    schema_editor.execute("DROP TABLE IF EXISTS search_worktext")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_excludes")]

    operations = [migrations.RunPython(create, drop)]
