"""Hits: one per work per visitor per day, never making two readers wait on each other.

What counts. A work's text shown to a reader (the `work_read` signal of the work view, or
`work_read_cached` for a guest page answered from the page cache, which runs no view) is a
hit, except:

- a visit by one of the work's creators (logged in as a creator of the work);
- a known bot: a User-Agent that `crawlerdetect` recognises (a port of JayBizzle's
  Crawler-Detect list, about 1,500 patterns kept up to date upstream), or no User-Agent at
  all (browsers always send one);
- anything but a GET, and works not posted (drafts shown to their creators);
- the same visitor (client address, see core/ratelimit.py `client_ip`) on the same work on the
  same day: once only.

How it is kept. A hit is one INSERT into `Hit` (work, day, visitor key) with a unique
constraint, made with `bulk_create(ignore_conflicts=True)` (INSERT … ON CONFLICT DO NOTHING):
a repeat visit is a no-op, nothing is read first, no counter row is touched, so readers share
no lock (on PostgreSQL concurrent inserts of different keys never wait for each other; on
SQLite the write is one tiny row). The visitor key is an HMAC (SECRET_KEY) of the day and the
address, never the address. Each process remembers the keys it stored lately (`RecentHits`), so
a reader going from chapter to chapter costs one write, not one a page.

The roll-up (`hits_rollup`, fanarchive/stats/rollup.py) adds the new rows to the counters: it
takes the rows not yet counted, adds their number per work with `counts_add_many` (the only
way to change WorkStats; it also tells the search engine) and per work and day to `HitDay`
(the chart's data), and marks them counted, all in one transaction. It runs as a django-tasks
task (`fanarchive.stats.tasks.rollup_hits`) in the worker `fanarchive serve` starts: each
server process, at most once a minute, queues one for a minute later when none is waiting
(`schedule_rollup`), so hits show up on pages within about a minute. `fanarchive stats rollup`
does the same by hand (or from cron). Rows older than two days are deleted by the roll-up.

`record_hit(request, work_id)` is the one entry point, for the view's signal and for the
guest page cache alike.
"""

from __future__ import annotations

import datetime
import logging
import threading
import time
from collections import OrderedDict
from typing import Any

from django.db import DatabaseError, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import salted_hmac

from fanarchive.core.ratelimit import client_ip
from fanarchive.works.models import Creatorship
from fanarchive.works.permissions import is_creator

from .models import Hit

logger = logging.getLogger(__name__)

ROLLUP_EVERY = 60  # seconds between roll-ups while hits come in


def visitor_key(ip: str, day: Any) -> str:
    """The stored stand-in for a client address on `day`: 128 bits of an HMAC with the
    SECRET_KEY, so the table holds no address and no key that links two days."""
    mac = salted_hmac("fanarchive.stats.hit", f"{day.isoformat()}|{ip}", algorithm="sha256")
    return mac.hexdigest()[:32]


def _today() -> datetime.date:
    return timezone.localdate()


_detector: Any = None


def is_bot(user_agent: str) -> bool:
    """Whether `user_agent` is a known crawler's (or missing)."""
    global _detector
    user_agent = (user_agent or "").strip()
    if not user_agent:
        return True
    if _detector is None:
        from crawlerdetect import CrawlerDetect

        _detector = CrawlerDetect()
    return bool(_detector.is_crawler(user_agent))


def _is_creator(request: HttpRequest, work_id: int) -> bool:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    return Creatorship.objects.filter(work_id=work_id, pseud__user_id=user.pk).exists()


def counts_as_hit(request: HttpRequest, work_id: int, *, by_creator: bool | None = None) -> bool:
    """Whether this request is a hit at all (before the once-a-day rule). `by_creator`, when
    the caller knows it, saves the query."""
    if request.method != "GET":
        return False
    if is_bot(request.META.get("HTTP_USER_AGENT", "")):
        return False
    return not (_is_creator(request, work_id) if by_creator is None else by_creator)


def record_hit(request: HttpRequest, work_id: int, *, by_creator: bool | None = None) -> bool:
    """Count `request` as a hit on `work_id` unless it is not one (bot, creator, not a GET) or
    this visitor already hit the work today. Returns whether a row was written (False for a
    repeat too on PostgreSQL, which does not say; see `Hit`). Never raises: a hit is not worth
    a reader's page."""
    try:
        if not counts_as_hit(request, work_id, by_creator=by_creator):
            return False
        today = _today()
        row = Hit(work_id=work_id, day=today, visitor=visitor_key(client_ip(request), today))
        key = (row.work_id, today, row.visitor)
        if recent.seen(key):
            return False  # this process stored it already today: no write at all
        with transaction.atomic():  # a savepoint when the request runs in a transaction
            Hit.objects.bulk_create([row], ignore_conflicts=True)
        transaction.on_commit(lambda: recent.add(key))
    except DatabaseError:
        logger.warning("could not record a hit on work %s", work_id, exc_info=True)
        return False
    schedule_rollup()
    return True


# --- Hits this process stored lately ------------------------------------------------------------


class RecentHits:
    """The (work, day, visitor) keys this process stored lately, newest last, at most
    `size` of them: a reader paging through a work's chapters, or reloading it, is one hit
    and needs no database write after the first (a write on SQLite takes the one write lock
    every server process shares). Only a memory of writes made: a key it has forgotten, or
    another process stored, is simply inserted again and ignored by the database."""

    def __init__(self, size: int = 100_000) -> None:
        self.size = size
        self._keys: OrderedDict[tuple[int, datetime.date, str], None] = OrderedDict()
        self._lock = threading.Lock()

    def seen(self, key: tuple[int, datetime.date, str]) -> bool:
        with self._lock:
            if key in self._keys:
                self._keys.move_to_end(key)
                return True
            return False

    def add(self, key: tuple[int, datetime.date, str]) -> None:
        with self._lock:
            self._keys[key] = None
            self._keys.move_to_end(key)
            while len(self._keys) > self.size:
                self._keys.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._keys.clear()


recent = RecentHits()


# --- The roll-up's schedule ---------------------------------------------------------------------

_schedule_lock = threading.Lock()
_next_check = 0.0


def reset_schedule() -> None:
    """Forget when this process last queued a roll-up (tests)."""
    global _next_check
    with _schedule_lock:
        _next_check = 0.0


def schedule_rollup() -> bool:
    """Queue a roll-up a minute from now, at most once a minute per process, and only when none
    is already waiting (with the database task backend). Returns whether one was queued."""
    global _next_check
    now = time.monotonic()
    with _schedule_lock:
        if now < _next_check:
            return False
        _next_check = now + ROLLUP_EVERY
    try:
        from .tasks import rollup_hits

        backend = rollup_hits.get_backend()
        if not backend.supports_defer:
            return False  # e.g. the immediate backend: `fanarchive stats rollup` does it
        if _rollup_waiting(backend):
            return False
        when = timezone.now() + datetime.timedelta(seconds=ROLLUP_EVERY)
        rollup_hits.using(run_after=when).enqueue()
        return True
    except Exception:  # the queue's trouble must not cost a reader the page
        logger.exception("could not queue the hits roll-up; `fanarchive stats rollup` does it")
        return False


def _rollup_waiting(backend: Any) -> bool:
    if not type(backend).__module__.startswith("django_tasks_db"):
        return False
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(
        task_path="fanarchive.stats.tasks.rollup_hits", status="READY"
    ).exists()


# --- Signal receivers -----------------------------------------------------------------------------


def on_work_read(sender: Any, *, request: HttpRequest, work: Any, **kwargs: Any) -> None:
    if request is None or not work.posted:
        return
    record_hit(request, work.pk, by_creator=is_creator(request.user, work))


def on_work_read_cached(sender: Any, *, request: HttpRequest, work_id: int, **kwargs: Any) -> None:
    if request is not None:
        record_hit(request, int(work_id))
