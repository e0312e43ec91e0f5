"""Rendered work blurbs for guests, kept per server process and dropped when the search change
log (SearchChange, written in the same transaction as every change to a work, its stats, tags,
creators, or to a tag) names the work — or a tag, or "everything".

A listing page shows 20 blurbs; building one costs a few milliseconds (creators, tags and stats
loaded, then the template), which is most of a listing page once the search itself is fast.
With the cache a page loads and renders only the blurbs it has not seen since their work last
changed. Before each use the cache reads the log's new entries (one small indexed query), so a
change shows on the next page a process serves, exactly as without the cache.

PostgreSQL hands out ids before commit, so an entry can become visible after one with a higher
id: entries within the last WINDOW ids are read again (by count) until they are WINDOW ids old.
Only guests' blurbs are cached (a reader's preferences may fold tags away). The cache is on in
`fanarchive serve` (setting FANARCHIVE_GUEST_CACHE) and off elsewhere.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import SearchChange

WINDOW = 1000  # change-log ids read again in case an older transaction commits late
TEMPLATE = "includes/work_blurb.html"


class ChangeWatcher:
    """Reads the search change log's new entries: `changed()` gives the ids of the works named
    since the last call, or None when a tag or everything changed (or the log went back)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._floor: int | None = None  # entries with id > floor are re-checked
        # (max id, count, latest time) of the entries above the floor, and those entries.
        self._state: tuple[int, int, Any] | None = None
        self._applied: set[tuple[int, Any]] = set()  # (id, created_at)

    def changed(self) -> set[int] | None:
        with self._lock:
            return self._changed()

    def _changed(self) -> set[int] | None:
        floor = self._floor if self._floor is not None else -1
        above = SearchChange.objects.filter(id__gt=floor).aggregate(
            m=Max("id"), n=Count("id"), t=Max("created_at")
        )
        state = (above["m"] or 0, above["n"], above["t"])
        if state == self._state:
            return set()
        if self._state is None or state[0] < self._state[0]:
            # First use, or the log went back (a restore, a rolled-back test): start again.
            last = SearchChange.objects.aggregate(m=Max("id"))["m"] or 0
            window = SearchChange.objects.filter(id__gt=max(0, last - WINDOW))
            self._set_floor(last, set(window.values_list("id", "created_at")))
            return None
        rows = list(
            SearchChange.objects.filter(id__gt=floor).values_list(
                "id", "created_at", "work_id", "tag_id"
            )
        )
        fresh = [r for r in rows if (r[0], r[1]) not in self._applied]
        self._set_floor(max((r[0] for r in rows), default=floor), {(r[0], r[1]) for r in rows})
        if any(work_id is None for _id, _at, work_id, _tag in fresh):
            return None  # a tag changed (its name is on many pages) or everything did
        return {work_id for _id, _at, work_id, _tag in fresh if work_id is not None}

    def _set_floor(self, last: int, rows: set[tuple[int, Any]]) -> None:
        """Remember the entries above the new floor (applied) and their summary."""
        self._floor = max(0, last - WINDOW)
        self._applied = {r for r in rows if r[0] > self._floor}
        self._state = (
            max((r[0] for r in self._applied), default=0),
            len(self._applied),
            max((r[1] for r in self._applied), default=None),
        )


class BlurbCache:
    def __init__(self, max_entries: int = 10_000) -> None:
        self.max_entries = max_entries
        self._html: OrderedDict[int, SafeString] = OrderedDict()
        self._lock = threading.Lock()
        self.watcher = ChangeWatcher()
        self.hits = 0
        self.misses = 0

    def sync(self) -> None:
        """Drop what the change log says changed since the last call."""
        changed = self.watcher.changed()
        with self._lock:
            if changed is None:
                self._html.clear()
            else:
                for work_id in changed:
                    self._html.pop(work_id, None)

    # --- blurbs -----------------------------------------------------------------------------
    def blurbs(
        self, ids: Iterable[int], load: Callable[[list[int]], list[Any]]
    ) -> dict[int, SafeString]:
        """The guest blurb HTML of each work in `ids`; `load(missing_ids)` gives the WorkMeta
        of the works not cached (see views._blurbs). Works `load` does not return are left out."""
        self.sync()
        ids = list(ids)
        out: dict[int, SafeString] = {}
        with self._lock:
            for work_id in ids:
                html = self._html.get(work_id)
                if html is not None:
                    self._html.move_to_end(work_id)
                    out[work_id] = html
        missing = [i for i in ids if i not in out]
        self.hits += len(out)
        self.misses += len(missing)
        if missing:
            guest = AnonymousUser()
            rendered = {
                # The template's output is already safe (escaped where it must be).
                meta.work.id: SafeString(render_to_string(TEMPLATE, {"meta": meta, "user": guest}))
                for meta in load(missing)
            }
            with self._lock:
                for work_id, html in rendered.items():
                    self._html[work_id] = html
                while len(self._html) > self.max_entries:
                    self._html.popitem(last=False)
            out.update(rendered)
        return out


_cache = BlurbCache()


def enabled() -> bool:
    """On in `fanarchive serve` (FANARCHIVE_GUEST_CACHE), off elsewhere (runserver, tests)."""
    return bool(getattr(settings, "FANARCHIVE_GUEST_CACHE", False))


def blurb_cache() -> BlurbCache:
    return _cache
