"""The text index's storage: big work ids, entities in HTML, and indexing deferred to a worker
during a bulk write (`works_bulk_changes()`)."""

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction

from fanarchive.search import text as fulltext
from fanarchive.search.query import WorkQuery
from fanarchive.search.selectors import search_works
from fanarchive.search.text import deferred
from fanarchive.works.signals import works_bulk_changes, works_changed
from fanarchive.works.tests.factories import WorkFactory


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


def find(text):
    return search_works(query=WorkQuery(text=text), viewer=AnonymousUser()).ids


@pytest.mark.django_db
def test_a_work_id_of_two_to_the_forty_is_indexed():
    work = WorkFactory(id=2**40, title="Enormous", text="a lighthouse keeper")
    works_changed.send(sender=None, work_ids=[work.id])
    assert fulltext.indexed_count() == 1
    assert find("lighthouse") == [2**40]
    assert find("title:enormous") == [2**40]
    assert (
        "<mark>lighthouse</mark>"
        in search_works(query=WorkQuery(text="lighthouse"), viewer=AnonymousUser()).snippets[2**40]
    )


@pytest.mark.django_db
def test_entities_are_words_once_unescaped():
    work = WorkFactory(title="Cafe", text='fish & chips < tea > "quoted" don\'t')
    works_changed.send(sender=None, work_ids=[work.id])
    assert find('"fish chips"') == [work.id]
    assert find("amp") == [] and find("lt") == [] and find("quot") == []
    snippet = search_works(query=WorkQuery(text="chips"), viewer=AnonymousUser()).snippets
    assert "fish &amp; <mark>chips</mark> &lt; tea" in snippet[work.id]


@pytest.mark.django_db
def test_inside_a_transaction_a_bulk_run_indexes_at_once():
    with transaction.atomic(), works_bulk_changes():
        assert deferred.deferred_indexer() is None
        work = WorkFactory(text="an albatross")
        works_changed.send(sender=None, work_ids=[work.id])
        assert find("albatross") == [work.id]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deferral is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("empty_index")
def test_a_bulk_run_indexes_committed_works_beside_the_writer_and_waits_for_it():
    threads = []
    with works_bulk_changes():
        indexer = deferred.deferred_indexer()
        assert indexer is not None and indexer.thread.is_alive()
        threads.append(indexer.thread)
        with transaction.atomic():
            kept = WorkFactory(text="a marmot")
            works_changed.send(sender=None, work_ids=[kept.id])
            assert fulltext.indexed_count() == 0  # not in the writing transaction
        with pytest.raises(RuntimeError), transaction.atomic():
            lost = WorkFactory(text="a marmot too")
            works_changed.send(sender=None, work_ids=[lost.id])
            raise RuntimeError("refused")
        seen_elsewhere = []
        other = threading.Thread(target=lambda: seen_elsewhere.append(deferred.deferred_indexer()))
        other.start()
        other.join()
        assert seen_elsewhere == [None]  # other threads' writers are served at once
    assert not threads[0].is_alive()
    assert deferred.deferred_indexer() is None
    assert find("marmot") == [kept.id]
    assert fulltext.indexed_count() == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="deferral is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("empty_index")
def test_what_the_worker_fails_to_index_is_indexed_at_the_end(monkeypatch):
    real = deferred.index_works
    calls = []

    def failing_in_the_worker(ids):
        calls.append((threading.current_thread().name, list(ids)))
        if threading.current_thread().name == "search-index":
            raise RuntimeError("worker lost its connection")
        return real(ids)

    monkeypatch.setattr(deferred, "index_works", failing_in_the_worker)
    with works_bulk_changes():
        first = WorkFactory(text="a heron")
        works_changed.send(sender=None, work_ids=[first.id])
        second = WorkFactory(text="a heron again")
        works_changed.send(sender=None, work_ids=[second.id])
    assert calls[0] == ("search-index", [first.id])
    assert calls[-1] == (threading.current_thread().name, [first.id, second.id])
    assert sorted(find("heron")) == sorted([first.id, second.id])


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite indexes in place")
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("empty_index")
def test_on_sqlite_a_bulk_run_indexes_in_the_writing_transaction():
    with works_bulk_changes():
        assert deferred.deferred_indexer() is None
        with transaction.atomic():
            work = WorkFactory(text="a pelican")
            works_changed.send(sender=None, work_ids=[work.id])
            assert find("pelican") == [work.id]
