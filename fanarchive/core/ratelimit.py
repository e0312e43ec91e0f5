"""A small rate limiter: fixed-window counters in a Django cache.

`rate_limit_hit(scope=…, key=…, limit=…, window=…)` counts one event for `key` (a client
address, a login) in the current window of `window` seconds and says whether it is allowed and,
when not, how many seconds until the window ends (the Retry-After). The counters live in the
cache named by `RATELIMIT_CACHE` ("ratelimit" when configured, else "default"): it must be shared
by every server process, so the settings give it a FileBasedCache in the data folder (gunicorn
runs a process per core; LocMemCache is per process). A file cache's increment is not atomic
across processes, so under a burst a few extra events may pass: fine for a friendly limit, not
for security on its own.

`client_ip(request)` is the address to key on: REMOTE_ADDR, or, behind
FANARCHIVE_TRUSTED_PROXIES reverse proxies, the address the outermost trusted one saw.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
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


def rate_limit_hit(
    *, scope: str, key: str, limit: int, window: int, now: float | None = None
) -> RateDecision:
    """Count one event of `scope` for `key`; allowed while at most `limit` per window."""
    now = time.time() if now is None else now
    start = int(now // window) * window
    cache_key = f"rl:{scope}:{key}:{start}"
    cache = _cache()
    cache.add(cache_key, 0, timeout=window + 1)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window + 1)
        count = 1
    if count <= limit:
        return RateDecision(allowed=True, count=count, limit=limit, retry_after=0)
    retry_after = max(1, int(start + window - now + 0.999))
    return RateDecision(allowed=False, count=count, limit=limit, retry_after=retry_after)


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
