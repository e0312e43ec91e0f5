"""Load shedding: past capacity, answer 503 with Retry-After at once instead of queueing.

Two limits, each checked before any other work is done for a request:

- `FANARCHIVE_MAX_QUEUE_MS`: a request that waited longer than this for a free server thread
  (the time since gunicorn queued its connection, recorded by `fanarchive.core.server`'s
  worker class) is answered 503 — when the server is past capacity, the queue is where the
  time goes, and a 503 costs a fraction of a millisecond, so the queue drains quickly.
- `FANARCHIVE_MAX_IN_FLIGHT`: at most that many requests run at once in one server process.
  Spare server threads beyond it answer 503 at once (useful to protect the database with more
  threads than allowed queries).

0 switches a limit off (both are off outside `fanarchive serve`, which sets them from its
options). The 503 carries `Retry-After: FANARCHIVE_RETRY_AFTER` seconds, a short page, no
cookie and no database work, so that a reverse proxy or the reader's browser can retry.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

BUSY_PAGE = (
    '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
    "<title>Busy — please retry</title></head><body>"
    "<h1>The archive is busy</h1>"
    "<p>Too many readers at once. Please try again in a few seconds.</p>"
    "</body></html>\n"
)

_local = threading.local()


def mark_queued(at: float | None) -> None:
    """Record (for this thread's next request) when its connection was queued, in
    `time.monotonic()` seconds; None when unknown. Called by the server's worker threads."""
    _local.queued_at = at


def queue_wait_ms() -> float:
    """How long this thread's current request waited for the thread, in ms (0 if unknown)."""
    at = getattr(_local, "queued_at", None)
    return 0.0 if at is None else max(0.0, (time.monotonic() - at) * 1000)


class LoadSheddingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.limit = max(0, int(getattr(settings, "FANARCHIVE_MAX_IN_FLIGHT", 0) or 0))
        self.max_queue_ms = max(0, int(getattr(settings, "FANARCHIVE_MAX_QUEUE_MS", 0) or 0))
        self.retry_after = max(1, int(getattr(settings, "FANARCHIVE_RETRY_AFTER", 2) or 2))
        self.slots = threading.BoundedSemaphore(self.limit) if self.limit else None
        self.shed = 0  # 503s answered by this process (for tests and debugging)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.max_queue_ms and queue_wait_ms() > self.max_queue_ms:
            self.shed += 1
            return busy_response(self.retry_after)
        if self.slots is None:
            return self.get_response(request)
        if not self.slots.acquire(blocking=False):
            self.shed += 1
            return busy_response(self.retry_after)
        try:
            return self.get_response(request)
        finally:
            self.slots.release()


def busy_response(retry_after: int) -> HttpResponse:
    response = HttpResponse(BUSY_PAGE, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    # Not logged as a server error one by one: under overload that would be thousands a second.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
