"""The hits roll-up and the recount of the other counters (writes of the stats app).

`hits_rollup()` adds the hits recorded since the last roll-up (see hits.py) to the works'
counters and to the per-day totals; `counts_recount()` recomputes kudos, comments, bookmarks
and subscriptions from the rows they count, for repairs (`fanarchive stats recount`).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.apps import apps
from django.db import transaction
from django.db.models import Count, Model
from django.utils import timezone

from fanarchive.works.counts import counts_add_many
from fanarchive.works.models import Work, WorkStats

from .models import Hit, HitDay, RollupState

KEEP_DAYS = 2  # visitor rows older than this many days are deleted (a hit is per day)
BATCH = 20_000


@dataclass(frozen=True)
class RollupResult:
    hits: int  # rows counted
    works: int  # works whose counters changed
    deleted: int  # old rows deleted


def hits_rollup(*, batch_size: int = BATCH, today: datetime.date | None = None) -> RollupResult:
    """Count every hit not yet counted: per work into WorkStats.hits (`counts_add_many`), per
    work and day into HitDay, and mark the rows counted, a batch per transaction. Roll-ups lock
    one row of their own (RollupState), so two never count a row twice; readers adding hits
    meanwhile are not held up (they insert new rows, the roll-up updates old ones).
    Idempotent: a second run finds nothing to count."""
    hits = 0
    works: set[int] = set()
    while True:
        counted, touched = _rollup_batch(batch_size)
        hits += counted
        works |= touched
        if counted < batch_size:
            break
    deleted = _delete_old(today or timezone.localdate())
    return RollupResult(hits=hits, works=len(works), deleted=deleted)


def _lock() -> None:
    RollupState.objects.get_or_create(pk=1)
    RollupState.objects.select_for_update().filter(pk=1).update(last_run=timezone.now())


@transaction.atomic
def _rollup_batch(batch_size: int) -> tuple[int, set[int]]:
    _lock()
    rows = list(
        Hit.objects.filter(counted=False)
        .order_by("id")
        .values_list("id", "work_id", "day")[:batch_size]
    )
    if not rows:
        return 0, set()
    existing = set(
        Work.objects.filter(pk__in={row[1] for row in rows}).values_list("pk", flat=True)
    )
    per_day = Counter((work_id, day) for _, work_id, day in rows if work_id in existing)
    per_work: Counter[int] = Counter()
    for (work_id, _day), n in per_day.items():
        per_work[work_id] += n
    _add_days(per_day)
    counts_add_many({work_id: {"hits": n} for work_id, n in per_work.items()})
    # Marked last, just before the commit: a reader repeating a visit counted here waits on
    # its row's update only for that moment (a new visitor's row never waits).
    ids = [row[0] for row in rows]
    for start in range(0, len(ids), 900):  # SQLite's limit on query parameters
        Hit.objects.filter(id__in=ids[start : start + 900]).update(counted=True)
    return len(rows), set(per_work)


def _add_days(per_day: Counter[tuple[int, datetime.date]]) -> None:
    """Add to HitDay (written by roll-ups only, under their lock: read, add, write)."""
    by_day: dict[datetime.date, list[int]] = defaultdict(list)
    for work_id, day in per_day:
        by_day[day].append(work_id)
    for day, work_ids in by_day.items():
        found = {h.work_id: h for h in HitDay.objects.filter(day=day, work_id__in=work_ids)}
        changed, new = [], []
        for work_id in work_ids:
            n = per_day[(work_id, day)]
            if work_id in found:
                found[work_id].hits += n
                changed.append(found[work_id])
            else:
                new.append(HitDay(work_id=work_id, day=day, hits=n))
        HitDay.objects.bulk_update(changed, ["hits"], batch_size=500)
        HitDay.objects.bulk_create(new, batch_size=500)


def _delete_old(today: datetime.date) -> int:
    """Delete visitor rows older than KEEP_DAYS (counted ones; and rows of deleted works)."""
    cutoff = today - datetime.timedelta(days=KEEP_DAYS)
    deleted, _ = Hit.objects.filter(day__lt=cutoff, counted=True).delete()
    return deleted


# --- Recount ------------------------------------------------------------------------------------

# counter -> (app label, model name, which of its rows count: the rule its app counts by)
SOURCES: dict[str, tuple[str, str, dict[str, object]]] = {
    "kudos": ("social", "Kudos", {}),
    # Comments count while approved (not held for moderation) and not deleted.
    "comments": ("comments", "Comment", {"deleted": False, "unreviewed": False}),
    # Bookmarks of the work (not of a series) that are public.
    "bookmarks": ("bookmarks", "Bookmark", {"work__isnull": False, "private": False}),
    # Subscriptions to the work (not to a series or a creator).
    "subscriptions": ("subscriptions", "Subscription", {"work__isnull": False}),
}


def _source_counts(
    model: type[Model], rules: dict[str, object], work_ids: list[int] | None
) -> dict[int, int]:
    """How many counted rows of `model` each work has (rules on fields it lacks are skipped)."""
    fields = {f.name for f in model._meta.get_fields()}
    rows = model._default_manager.filter(
        **{k: v for k, v in rules.items() if k.split("__")[0] in fields}
    )
    if work_ids is not None:
        rows = rows.filter(work_id__in=work_ids)
    counted = rows.order_by().values("work_id").annotate(n=Count("pk"))
    return {r["work_id"]: r["n"] for r in counted}


def counts_recount(
    *, work_ids: Iterable[int] | None = None, say: Callable[[str], None] = lambda _: None
) -> dict[str, int]:
    """Recompute kudos, comments, bookmarks and subscriptions of `work_ids` (default: every
    work) from the rows they count, by adding the difference with `counts_add_many`. A counter
    whose model does not exist (yet) is skipped with a message. Returns the works changed per
    counter. A repair: a kudos left while it counts may be counted twice or not at all, so run
    it again when the archive is quiet if that matters."""
    ids = list(work_ids) if work_ids is not None else None
    stats = WorkStats.objects.all()
    if ids is not None:
        stats = stats.filter(work_id__in=ids)
    changed: dict[str, int] = {}
    for counter, (app_label, model_name, rules) in SOURCES.items():
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            say(f"{counter}: skipped, there is no {app_label}.{model_name} model yet.")
            continue
        if "work" not in {f.name for f in model._meta.get_fields()}:
            say(f"{counter}: skipped, {app_label}.{model_name} has no work.")
            continue
        actual = _source_counts(model, rules, ids)
        deltas: dict[int, dict[str, int]] = {}
        with transaction.atomic():
            current = dict(stats.values_list("work_id", counter))
            for work_id in current.keys() | actual.keys():
                delta = actual.get(work_id, 0) - current.get(work_id, 0)
                if delta:
                    deltas[work_id] = {counter: delta}
            counts_add_many(deltas)
        changed[counter] = len(deltas)
        say(f"{counter}: {len(deltas)} work(s) corrected.")
    return changed
