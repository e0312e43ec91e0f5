"""Signals the works app sends, so that higher apps (search, social) can follow changes
without the works app knowing them. Sent inside the writing transaction.

Bulk writers (the importer) may wrap a long run of writes in `works_bulk_changes()`. A
receiver that can do its part of many changes more cheaply than change by change registers a
deferral with `register_bulk_deferral`: a factory of context managers, entered when the bulk
run starts and exited when it ends, in the thread that writes. While it is entered, that
receiver may put off its work on `works_changed` (search indexes committed batches on a second
connection, for instance) but it must have finished it when its context manager exits, so the
writer's caller finds everything up to date when `works_bulk_changes()` returns. Every other
writer (posting, editing, wrangling) just sends `works_changed` and is served at once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from typing import Any

from django.dispatch import Signal

# Sent with `work_ids` after works were created or changed (metadata, tags, chapters, text,
# visibility) by a works service, the importer or the demo loader.
works_changed = Signal()
# Sent with `work_ids` just before works are deleted.
works_deleted = Signal()
# Sent with `request`, `work` and `chapter` (the Chapter read, or None for the entire work)
# each time a reader is shown a work's text (after the adult notice, never for the notice
# itself), so that hits and reading history can be counted by the apps that keep them.
work_read = Signal()
# Sent with `request` and `work_id` when a guest is given a work page kept in memory
# (search/page_cache.py) instead of running the view: the same read, for hit counting.
work_read_cached = Signal()
# Sent with `work_ids` when only works' counters (WorkStats: hits, kudos, comments, bookmarks,
# subscriptions) changed, by works/counts.py, or what a work page shows around the work (a
# comment edited or frozen): cheaper to follow than works_changed (no text to index). The
# search change log names the works, so listings re-sort and kept guest pages are dropped.
work_counts_changed = Signal()
# Sent with `work` when a work becomes posted for readers: posted at once from the posting form
# (`work_post`), a draft posted (`work_publish`, also by scheduled posting), inside the posting
# transaction, once per work. Bulk loaders (import, demo) do not send it. Receivers that tell
# people (subscriptions) should act on commit.
work_posted = Signal()
# Sent with `work` and `chapter` when one chapter is posted (added as posted, a draft chapter
# posted, a scheduled chapter posted), inside the transaction. Not sent for the chapters posted
# together with their work by `work_publish` (`work_posted` covers them); the work itself may
# still be a draft (receivers check).
chapter_posted = Signal()

_bulk_deferrals: dict[str, Callable[[], AbstractContextManager[Any]]] = {}


def register_bulk_deferral(uid: str, factory: Callable[[], AbstractContextManager[Any]]) -> None:
    """Have `factory()` entered around every `works_bulk_changes()` run (once per `uid`)."""
    _bulk_deferrals[uid] = factory


@contextmanager
def works_bulk_changes() -> Iterator[None]:
    """Around many writes by one writer: lets registered receivers defer their work on
    `works_changed` until the end (or do it beside the writer); done when this returns."""
    with ExitStack() as stack:
        for factory in list(_bulk_deferrals.values()):
            stack.enter_context(factory())
        yield
