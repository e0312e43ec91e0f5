"""`fanarchive copydb`, run as an operator runs it: a real archive database in a file, copied
into an empty database (SQLite, or PostgreSQL when the suite runs on PostgreSQL)."""

import json
import os
import sqlite3
import subprocess
import sys
import uuid

import pytest

pytestmark = pytest.mark.slow

POPULATE = """
from fanarchive.tags.models import TagType
from fanarchive.tags.tests.factories import TagFactory
from fanarchive.works.models import Work
from fanarchive.works.tests.factories import WorkFactory
fandom = TagFactory(name="Les Misérables - Victor Hugo", type=TagType.FANDOM, canonical=True)
works = [WorkFactory(tags=[fandom]) for _ in range(3)]
Work.objects.filter(pk=works[0].pk).update(source_header=[["Title", "x"]])
"""


def fanarchive(*args, database_url, check=True):
    env = {**os.environ, "DATABASE_URL": database_url}
    return subprocess.run(
        [sys.executable, "-m", "fanarchive.core.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=check,
        timeout=120,
    )


@pytest.fixture
def source_url(tmp_path):
    url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    fanarchive("migrate", "-v0", database_url=url)
    fanarchive("shell", "-c", POPULATE, database_url=url)
    return url


@pytest.fixture
def target(tmp_path):
    """(url, query) for an empty database: PostgreSQL when the suite runs on it, else SQLite."""
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        path = tmp_path / "target.sqlite3"

        def query(sql):
            with sqlite3.connect(path) as db:
                return db.execute(sql).fetchall()

        yield f"sqlite:///{path}", query
        return
    import psycopg

    name = f"copytest_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    url = server.rsplit("/", 1)[0] + "/" + name

    def query(sql):
        with psycopg.connect(url) as db:
            return db.execute(sql).fetchall()

    yield url, query
    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_copydb_copies_every_table_keeping_ids(source_url, target):
    url, query = target
    result = fanarchive("copydb", "--to", url, database_url=source_url)
    assert "Copied" in result.stdout

    source = sqlite3.connect(source_url.removeprefix("sqlite:///"))
    tables = [
        r[0]
        for r in source.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' "
            # The full-text index (an FTS5 table and its shadow tables) is derived, not copied.
            "AND name != 'django_migrations' AND name NOT LIKE 'search_worktext%'"
        )
    ]
    assert "works_work" in tables
    for table in tables:
        [(expected,)] = source.execute(f'SELECT COUNT(*) FROM "{table}"').fetchall()
        assert query(f'SELECT COUNT(*) FROM "{table}"') == [(expected,)], table
    ids = [r[0] for r in source.execute("SELECT id FROM works_work ORDER BY id")]
    assert len(ids) == 3
    [(title, header)] = query(f"SELECT title, source_header FROM works_work WHERE id = {ids[0]}")
    assert (
        title == source.execute(f"SELECT title FROM works_work WHERE id = {ids[0]}").fetchone()[0]
    )
    assert (json.loads(header) if isinstance(header, str) else header) == [["Title", "x"]]
    tagged = query(
        "SELECT w.work_id FROM works_worktag w JOIN tags_tag t ON t.id = w.tag_id "
        "WHERE t.name = 'Les Misérables - Victor Hugo' ORDER BY w.work_id"
    )
    assert [r[0] for r in tagged] == ids
    # New rows continue after the copied ids.
    [(next_id,)] = query(
        "INSERT INTO works_work (title, summary, notes, end_notes, language, complete, "
        "chapter_count, word_count, published, updated, restricted, posted, hidden_by_admin, "
        "created_at, modified_at) VALUES ('After', '', '', '', 'en', true, 0, 0, '2025-01-01', "
        "'2025-01-01', false, true, false, '2025-01-01', '2025-01-01') RETURNING id"
    )
    assert next_id > ids[-1]


def test_copydb_refuses_a_target_with_works_unless_forced(source_url, target):
    url, query = target
    fanarchive("copydb", "--to", url, database_url=source_url)
    again = fanarchive("copydb", "--to", url, database_url=source_url, check=False)
    assert again.returncode != 0
    assert "already holds works" in again.stderr
    forced = fanarchive("copydb", "--to", url, "--force", database_url=source_url)
    assert "Copied" in forced.stdout
    assert query("SELECT COUNT(*) FROM works_work") == [(3,)]


def test_copydb_refuses_bad_urls_and_its_own_database(source_url):
    bad = fanarchive("copydb", "--to", "nonsense://x", database_url=source_url, check=False)
    assert bad.returncode != 0
    assert "--to" in bad.stderr
    same = fanarchive("copydb", "--to", source_url, database_url=source_url, check=False)
    assert same.returncode != 0
    assert "the database the archive runs on" in same.stderr
