"""The load-shedding middleware: past its in-flight limit a process answers 503 at once."""

import threading
import time

import pytest
from django.http import HttpResponse
from django.test import Client, RequestFactory

from fanarchive.core.loadshed import LoadSheddingMiddleware, mark_queued, queue_wait_ms


class Blocking:
    """A view that holds its request until released (a slow page)."""

    def __init__(self):
        self.entered = threading.Semaphore(0)
        self.release = threading.Event()

    def __call__(self, request):
        self.entered.release()
        assert self.release.wait(timeout=10)
        return HttpResponse("slow page")


def start(middleware, path="/tags/Fluff/works"):
    box = {}

    def run():
        box["response"] = middleware(RequestFactory().get(path))

    thread = threading.Thread(target=run)
    thread.start()
    return thread, box


def test_past_the_limit_answers_503_with_retry_after_at_once(settings):
    settings.FANARCHIVE_MAX_IN_FLIGHT = 2
    settings.FANARCHIVE_RETRY_AFTER = 5
    view = Blocking()
    middleware = LoadSheddingMiddleware(view)
    running = [start(middleware) for _ in range(2)]
    for _ in running:
        assert view.entered.acquire(timeout=10)  # both slots are taken

    # The third request does not wait for a slot: it is answered here, in this thread.
    response = middleware(RequestFactory().get("/works/1"))
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response["Cache-Control"] == "no-store"
    assert b"The archive is busy" in response.content
    assert middleware.shed == 1

    view.release.set()
    for thread, box in running:
        thread.join(timeout=10)
        assert box["response"].status_code == 200
    # The slots are free again.
    assert middleware(RequestFactory().get("/works/1")).status_code == 200
    assert middleware.shed == 1


def test_a_failing_view_gives_its_slot_back(settings):
    settings.FANARCHIVE_MAX_IN_FLIGHT = 1

    def broken(request):
        raise RuntimeError("boom")

    middleware = LoadSheddingMiddleware(broken)
    for _ in range(3):
        with pytest.raises(RuntimeError):
            middleware(RequestFactory().get("/"))
    assert middleware.shed == 0


def test_no_limit_by_default(settings):
    settings.FANARCHIVE_MAX_IN_FLIGHT = 0
    view = Blocking()
    middleware = LoadSheddingMiddleware(view)
    running = [start(middleware) for _ in range(5)]
    for _ in running:
        assert view.entered.acquire(timeout=10)  # all five run at once
    view.release.set()
    for thread, box in running:
        thread.join(timeout=10)
        assert box["response"].status_code == 200
    assert middleware.shed == 0


@pytest.mark.django_db
def test_installed_and_passes_requests_under_the_limit(settings):
    settings.FANARCHIVE_MAX_IN_FLIGHT = 1
    client = Client()
    for _ in range(3):  # one at a time: never past the limit
        assert client.get("/").status_code == 200
    assert "fanarchive.core.loadshed.LoadSheddingMiddleware" in settings.MIDDLEWARE


def test_a_request_that_waited_too_long_for_a_thread_is_shed(settings):
    settings.FANARCHIVE_MAX_QUEUE_MS = 1000
    settings.FANARCHIVE_RETRY_AFTER = 3
    middleware = LoadSheddingMiddleware(lambda request: HttpResponse("page"))
    try:
        mark_queued(time.monotonic() - 2.5)  # queued 2.5 s ago
        response = middleware(RequestFactory().get("/tags/Fluff/works"))
        assert response.status_code == 503 and response["Retry-After"] == "3"
        mark_queued(time.monotonic() - 0.2)  # 200 ms: under the limit
        assert middleware(RequestFactory().get("/tags/Fluff/works")).status_code == 200
        mark_queued(None)  # not served by our worker class: nothing known, never shed
        assert middleware(RequestFactory().get("/")).status_code == 200
    finally:
        mark_queued(None)
    assert middleware.shed == 1


def test_queue_limit_off_by_default(settings):
    settings.FANARCHIVE_MAX_QUEUE_MS = 0
    middleware = LoadSheddingMiddleware(lambda request: HttpResponse("page"))
    try:
        mark_queued(time.monotonic() - 60)
        assert middleware(RequestFactory().get("/")).status_code == 200
    finally:
        mark_queued(None)


def test_the_worker_class_records_when_a_connection_was_queued(monkeypatch):
    from gunicorn.workers.gthread import ThreadWorker

    from fanarchive.core.server import QueueTimedWorker

    seen = []
    monkeypatch.setattr(ThreadWorker, "enqueue_req", lambda self, conn: None)
    monkeypatch.setattr(ThreadWorker, "handle", lambda self, conn: seen.append(queue_wait_ms()))
    worker = QueueTimedWorker.__new__(QueueTimedWorker)  # no gunicorn arbiter needed here

    class Conn:
        pass

    conn = Conn()
    worker.enqueue_req(conn)
    conn.fanarchive_queued_at -= 1.5  # as if it had waited 1.5 s in the thread pool's queue
    worker.handle(conn)
    assert seen and 1400 < seen[0] < 60_000
    assert queue_wait_ms() == 0.0  # cleared after the request
