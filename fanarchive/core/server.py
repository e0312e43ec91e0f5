"""The gunicorn worker class `fanarchive serve` runs: gunicorn's threaded worker (gthread),
which also records when each request's connection was queued for a thread, so that the
load-shedding middleware (fanarchive/core/loadshed.py) can answer 503 at once to requests
that waited too long instead of letting the queue grow until clients time out."""

from __future__ import annotations

import time
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

from .loadshed import mark_queued


class QueueTimedWorker(ThreadWorker):  # type: ignore[misc]
    def enqueue_req(self, conn: Any) -> None:
        conn.fanarchive_queued_at = time.monotonic()
        super().enqueue_req(conn)

    def handle(self, conn: Any) -> Any:
        mark_queued(getattr(conn, "fanarchive_queued_at", None))
        try:
            return super().handle(conn)
        finally:
            mark_queued(None)
