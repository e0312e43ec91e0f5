"""A work's counters (hits, kudos, comments, bookmarks, subscriptions in WorkStats), changed
only here and only by relative, set-based UPDATEs.

`counts_add(work_id, kudos=1)` is one `UPDATE … SET kudos = kudos + 1` of that work's own
stats row: no read-modify-write, nothing shared (never a tag, never the work row) locked, so a
reader's kudos never waits for a writer posting in the same fandom, and two counters of
different works never wait for each other. Hits, the busiest counter, are not added one by one
at all but summed in batches (see the stats app). Each change is announced with
`work_counts_changed`, which the search engine follows (its change log) so that sorted
listings and blurbs stay current.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import F
from django.db.models.functions import Greatest

from .models import WorkStats
from .signals import work_counts_changed

COUNTERS = ("hits", "kudos", "comments", "bookmarks", "subscriptions")


def _updates(deltas: Mapping[str, int]) -> dict[str, object]:
    unknown = set(deltas) - set(COUNTERS)
    if unknown:
        raise ValueError(f"not a work counter: {', '.join(sorted(unknown))}")
    return {
        name: (F(name) + delta) if delta >= 0 else Greatest(F(name) + delta, 0)
        for name, delta in deltas.items()
        if delta
    }


def counts_add(work_id: int, **deltas: int) -> None:
    """Add `deltas` (negative to take away, never below 0) to one work's counters."""
    counts_add_many({work_id: deltas})


def counts_add_many(changes: Mapping[int, Mapping[str, int]]) -> None:
    """Add to many works' counters: `{work_id: {"hits": 3}, …}`. A work without a stats row
    gets one. Call inside the writing transaction (the change log is written with it)."""
    changed = []
    for work_id, deltas in sorted(changes.items()):
        updates = _updates(deltas)
        if not updates:
            continue
        if not WorkStats.objects.filter(work_id=work_id).update(**updates):
            WorkStats.objects.get_or_create(work_id=work_id)
            WorkStats.objects.filter(work_id=work_id).update(**updates)
        changed.append(work_id)
    if changed:
        work_counts_changed.send(sender=WorkStats, work_ids=changed)
