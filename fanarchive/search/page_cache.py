"""Whole work pages for guests, kept per server process and dropped when the search change log
names the work (or a tag, or "everything"): the same freshness rule as the blurb cache
(blurb_cache.py), read before each use, so a change shows on the next page a process serves.

A guest's work page is the same for every guest without a session: it is rendered once and then
answered from memory. A request is served from (or stored in) the cache only when:

- it is a GET of a work page (`works:work`, `works:chapter`, `works:navigate`) by a guest
  without a session or messages cookie (a session may hold "view adult content");
- the answer is a 200 that set no cookie, wrote no session and used no CSP nonce.

A page with forms (the kudos button, a guest comment form) carries CSRF tokens, which are per
reader: the page is kept with every token replaced by a placeholder, and each guest it is served
to gets their own token put in (`get_token`, so the CSRF middleware sets their cookie as it
would for a rendered page). A page served from memory runs no view, so the `work_read_cached`
signal (works/signals.py) is sent for it when its view sent `work_read` (the work's text, not
the chapter index or the adult notice): hits are counted as for a rendered page.

On in `fanarchive serve` (setting FANARCHIVE_GUEST_CACHE, like the blurb cache), off elsewhere
(runserver, tests); FANARCHIVE_PAGE_CACHE_MB is its size per process (64).
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers

from fanarchive.works.signals import work_read_cached

from .blurb_cache import ChangeWatcher

VIEWS = frozenset({"works:work", "works:chapter", "works:navigate"})
# Headers set by the view (middleware outside this one sets its own on every answer).
_KEEP = ("Content-Type", "Content-Language")
# A rendered CSRF token in a form, and what stands for it in a kept page (a token is 64
# letters and digits, so the placeholder can never be one).
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
_PLACEHOLDER = b"\x00csrf\x00"


@dataclass(frozen=True)
class Page:
    work_id: int
    content: bytes
    headers: tuple[tuple[str, str], ...]
    read: bool = False  # the page shows the work's text (the view sent `work_read`)

    def response(self, request: HttpRequest) -> HttpResponse:
        content = self.content
        if _PLACEHOLDER in content:
            content = content.replace(_PLACEHOLDER, get_token(request).encode())
        response = HttpResponse(content)
        for name, value in self.headers:
            response[name] = value
        patch_vary_headers(response, ("Cookie",))
        response["X-Page-Cache"] = "hit"
        return response


class PageStore:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.size = 0
        self._pages: OrderedDict[str, Page] = OrderedDict()
        self._lock = threading.Lock()
        self.watcher = ChangeWatcher()
        self.hits = 0
        self.stored = 0

    def sync(self) -> None:
        changed = self.watcher.changed()
        with self._lock:
            if changed is None:
                self._pages.clear()
                self.size = 0
            elif changed:
                for key in [k for k, p in self._pages.items() if p.work_id in changed]:
                    self.size -= len(self._pages.pop(key).content)

    def get(self, key: str) -> Page | None:
        with self._lock:
            page = self._pages.get(key)
            if page is not None:
                self._pages.move_to_end(key)
                self.hits += 1
            return page

    def put(self, key: str, page: Page) -> None:
        if len(page.content) > self.max_bytes // 10:
            return  # one huge work does not push everything else out
        with self._lock:
            old = self._pages.pop(key, None)
            if old is not None:
                self.size -= len(old.content)
            self._pages[key] = page
            self.size += len(page.content)
            self.stored += 1
            while self.size > self.max_bytes and self._pages:
                self.size -= len(self._pages.popitem(last=False)[1].content)


_store: PageStore | None = None
_store_lock = threading.Lock()


def page_store() -> PageStore:
    global _store
    with _store_lock:
        if _store is None:
            megabytes = int(getattr(settings, "FANARCHIVE_PAGE_CACHE_MB", 64))
            _store = PageStore(max_bytes=megabytes * 1024 * 1024)
        return _store


def _guest_without_session(request: HttpRequest) -> bool:
    if request.method != "GET":
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return not request.user.is_authenticated


class GuestPageCacheMiddleware:
    """Put after AuthenticationMiddleware and MessageMiddleware (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        pending = getattr(request, "_guest_page", None)
        if pending is not None and _storable(request, response):
            key, work_id = pending
            headers = tuple((h, response[h]) for h in _KEEP if h in response)
            content = _TOKEN.sub(rb"\1" + _PLACEHOLDER + rb"\2", response.content)
            read = bool(getattr(request, "work_read", False))
            page_store().put(key, Page(work_id, content, headers, read))
        return response

    def process_view(
        self, request: HttpRequest, view: Any, args: Any, kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        if not getattr(settings, "FANARCHIVE_GUEST_CACHE", False):
            return None
        match = request.resolver_match
        if match is None or match.view_name not in VIEWS or not _guest_without_session(request):
            return None
        store = page_store()
        store.sync()
        key = request.get_full_path()
        page = store.get(key)
        if page is not None:
            if page.read:  # not the chapter index, not the adult notice
                work_read_cached.send(sender=Page, request=request, work_id=page.work_id)
            return page.response(request)
        request._guest_page = (key, int(kwargs["work_id"]))  # type: ignore[attr-defined]
        return None


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and getattr(request, "_csp_nonce", None) is None
        and not (session is not None and session.modified)
    )
