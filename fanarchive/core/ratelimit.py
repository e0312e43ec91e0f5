"""A small rate limiter: fixed-window counters in a Django cache.

`rate_limit_hit(scope=…, key=…, limit=…, window=…)` counts one event for `key` (a client
address, a login) in the current window of `window` seconds and says whether it is allowed and,
when not, how many seconds until the window ends (the Retry-After). The counters live in the
cache named by `RATELIMIT_CACHE` ("ratelimit" when configured, else "default"): it must be shared
by every server process, so the settings give it a FileBasedCache in the data folder (gunicorn
runs a process per core; LocMemCache is per process). A file cache's add-then-increment is not
atomic across processes by itself, so for a FileBasedCache every count is taken under an
exclusive `flock` on a lock file in the cache folder (POSIX; elsewhere the count may let a few
extra events through under a burst). Other caches (local memory, Redis, Memcached) have their
own atomic increment.

`rate_limit_peek(…)` reads the current count without counting: the login throttle counts only
failed attempts, and asks before each attempt whether the limit is already reached.

`client_ip(request)` is the address to key on: REMOTE_ADDR, or, behind
FANARCHIVE_TRUSTED_PROXIES reverse proxies, the address the outermost trusted one saw.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.filebased import FileBasedCache
from django.http import HttpRequest


@dataclass(frozen=True)
class RateDecision:
    allowed: bool
    count: int  # events in the current window, this one included
    limit: int
    retry_after: int  # seconds until the window ends (0 when allowed)


def _cache() -> BaseCache:
    name = getattr(settings, "RATELIMIT_CACHE", None)
    if name is None:
        name = "ratelimit" if "ratelimit" in settings.CACHES else "default"
    return caches[name]


@contextmanager
def _counting_lock(cache: BaseCache) -> Iterator[None]:
    """Serialise read-modify-write of counters in a FileBasedCache across processes."""
    directory = getattr(cache, "_dir", None)
    if not isinstance(cache, FileBasedCache) or directory is None:
        yield
        return
    try:
        import fcntl
    except ImportError:  # not POSIX: best effort
        yield
        return
    os.makedirs(directory, 0o700, exist_ok=True)
    fd = os.open(os.path.join(directory, ".ratelimit.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _window(*, scope: str, key: str, window: int, now: float | None) -> tuple[str, float, int]:
    now = time.time() if now is None else now
    start = int(now // window) * window
    return f"rl:{scope}:{key}:{start}", now, start


def _decision(*, count: int, limit: int, now: float, start: int, window: int) -> RateDecision:
    if count <= limit:
        return RateDecision(allowed=True, count=count, limit=limit, retry_after=0)
    retry_after = max(1, int(start + window - now + 0.999))
    return RateDecision(allowed=False, count=count, limit=limit, retry_after=retry_after)


def rate_limit_hit(
    *, scope: str, key: str, limit: int, window: int, now: float | None = None
) -> RateDecision:
    """Count one event of `scope` for `key`; allowed while at most `limit` per window."""
    cache_key, now, start = _window(scope=scope, key=key, window=window, now=now)
    cache = _cache()
    with _counting_lock(cache):
        cache.add(cache_key, 0, timeout=window + 1)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=window + 1)
            count = 1
    return _decision(count=count, limit=limit, now=now, start=start, window=window)


def rate_limit_peek(
    *, scope: str, key: str, limit: int, window: int, now: float | None = None
) -> RateDecision:
    """Whether one more event of `scope` for `key` would be allowed, without counting it:
    `allowed` is False once `limit` events were counted in the current window."""
    cache_key, now, start = _window(scope=scope, key=key, window=window, now=now)
    count = int(_cache().get(cache_key) or 0)
    return _decision(count=count + 1, limit=limit, now=now, start=start, window=window)


def client_ip(request: HttpRequest) -> str:
    proxies = getattr(settings, "FANARCHIVE_TRUSTED_PROXIES", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
