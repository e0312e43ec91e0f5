"""An import leaves every imported work searchable when it returns, and a refused work nowhere
in the index, whether the index is written in each batch's transaction (SQLite, or inside a
caller's transaction) or beside the import on a second connection (PostgreSQL)."""

from contextlib import ExitStack

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from fanarchive.interchange import importer as importer_module
from fanarchive.interchange.importer import Outcome, WorkTextImporter
from fanarchive.interchange.sources import iter_sources
from fanarchive.search import text as fulltext
from fanarchive.search.query import WorkQuery
from fanarchive.search.selectors import search_works
from fanarchive.tags.models import TagType
from fanarchive.tags.tests.factories import TagFactory


@pytest.fixture
def empty_index():
    """Transactional tests commit, and the flush after each empties the models' tables only:
    start and end with an empty index table."""

    def empty():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {fulltext.INDEX_TABLE}")

    empty()
    yield
    empty()


def run(paths, **options):
    with ExitStack() as stack:
        return WorkTextImporter(**options).run(list(iter_sources([str(p) for p in paths], stack)))


def find(text):
    return search_works(query=WorkQuery(text=text), viewer=AnonymousUser()).ids


def import_and_check(tmp_path, monkeypatch):
    monkeypatch.setattr(importer_module, "BATCH_SIZE", 3)
    TagFactory(name="Bats", type=TagType.FANDOM)
    paths = []
    for i in range(1, 9):
        body = f"An otter number{i} swims."
        extra = "Character: bats\n" if i == 5 else ""  # a fandom's name as a character
        text = f"Title: Otters {i}\nWork ID: {2**40 + i}\nAuthor: rin\n{extra}\n{body}\n"
        path = tmp_path / f"{i}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    report = run(paths)
    imported = [r.work_id for r in report.results if r.outcome == Outcome.IMPORTED]
    assert [r.outcome for r in report.results].count(Outcome.REFUSED) == 1
    assert len(imported) == 7 and 2**40 + 5 not in imported
    assert fulltext.indexed_count() == 7
    assert sorted(find("otter")) == sorted(imported)
    assert find("number5") == [] and find("number8") == [2**40 + 8]
    assert find("title:otters creator:rin") != []
    # --on-conflict update in a later run: the index ends with the new text.
    paths[7].write_text(
        f"Title: Otters 8\nWork ID: {2**40 + 8}\nAuthor: rin\n\nA beaver now.\n", encoding="utf-8"
    )
    again = run([paths[7]], on_conflict="update")
    assert again.results[0].outcome == Outcome.UPDATED
    assert find("beaver") == [2**40 + 8] and find("number8") == []


@pytest.mark.django_db
def test_an_import_in_a_transaction_is_searchable_and_leaves_refused_works_out(
    tmp_path, monkeypatch
):
    import_and_check(tmp_path, monkeypatch)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("empty_index")
def test_an_import_is_searchable_when_it_returns(tmp_path, monkeypatch):
    assert not connection.in_atomic_block  # on PostgreSQL: indexed beside the import
    import_and_check(tmp_path, monkeypatch)
