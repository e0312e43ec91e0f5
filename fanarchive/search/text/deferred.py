"""Keeping the text index current during a bulk write (`works_bulk_changes()` in the works app,
used by the importer), without making the writer wait for it.

On PostgreSQL, computing the documents (HTML stripped, tsvectors, GIN entries) costs more than
storing the works themselves. Inside a bulk run, `works_changed` does not index in the writing
transaction: the work ids are handed, when that transaction commits, to a worker thread that
indexes them on its own database connection (Django's connections are per thread) while the
writer goes on with its next batch, so the database's second core does the indexing. When the
bulk run ends, the worker is drained and joined: every committed work is searchable when
`works_bulk_changes()` returns. A transaction that rolls back hands nothing over (so a refused
work leaves nothing behind in the index either); ids reach the worker in commit order and each
indexing reads the committed rows, so a work changed twice ends with its last state.

Should the worker fail, it stops indexing and the ids it did not do are indexed in the
writer's thread when the run ends (so an error there is raised to the writer). Measured
better than one set-based pass at the end of the import, which leaves the second core idle.

Deferral applies only where it can: PostgreSQL, and no transaction open when the run starts
(another connection could not see uncommitted works). Otherwise (SQLite, a single writer; a
run inside a caller's transaction, as in tests) the index is written in the writing
transaction as for every other writer.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import connection, transaction

from . import index_works

_STOP = None


class _Indexer:
    """A worker thread indexing the batches of work ids it is given, in order."""

    def __init__(self) -> None:
        self.batches: queue.Queue[list[int] | None] = queue.Queue()
        self.left_over: list[int] = []  # ids the worker did not index (after an error)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="search-index", daemon=True)
        self.thread.start()

    def add(self, work_ids: Iterable[int]) -> None:
        """Index these works once the current transaction commits (at once outside one)."""
        ids = list(work_ids)
        if ids:
            transaction.on_commit(lambda: self.batches.put(ids))

    def _run(self) -> None:
        try:
            while (ids := self.batches.get()) is not _STOP:
                if self.error is not None:
                    self.left_over += ids
                    continue
                try:
                    with transaction.atomic():
                        index_works(ids)
                except Exception as exc:  # finished in the writer's thread at the end
                    self.error = exc
                    self.left_over += ids
        finally:
            connection.close()  # this thread's own connection

    def finish(self) -> None:
        """Wait for the worker; index in this thread whatever it left."""
        self.batches.put(_STOP)
        self.thread.join()
        if self.left_over:
            with transaction.atomic():
                index_works(self.left_over)


_current: ContextVar[_Indexer | None] = ContextVar("search_text_indexer", default=None)


def deferred_indexer() -> _Indexer | None:
    """The indexer of the bulk run this thread is in, if its changes are being deferred."""
    return _current.get()


@contextmanager
def deferred_indexing() -> Iterator[None]:
    """Defer this thread's index updates to a worker for the time of the block (see the
    module's notes); a no-op where deferral does not apply or inside another such block."""
    if (
        _current.get() is not None
        or connection.vendor != "postgresql"
        or connection.in_atomic_block
    ):
        yield
        return
    indexer = _Indexer()
    token = _current.set(indexer)
    try:
        yield
    finally:
        _current.reset(token)
        indexer.finish()
