"""The rate limiter over the file cache the settings give it: counts taken by several processes
at once all count, and `rate_limit_peek` reads without counting."""

import multiprocessing

import pytest
from django.core.cache import caches

from fanarchive.core.ratelimit import rate_limit_hit, rate_limit_peek

NOW = 1_000_000.0
PROCESSES = 4
HITS = 40


@pytest.fixture
def file_cache(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "rl"),
        },
    }
    yield
    caches["ratelimit"].clear()


def _hammer(_index: int) -> int:
    counts = [
        rate_limit_hit(scope="burst", key="1.2.3.4", limit=10_000, window=600, now=NOW).count
        for _ in range(HITS)
    ]
    return max(counts)


def test_concurrent_processes_lose_no_count(file_cache):
    context = multiprocessing.get_context("fork")
    with context.Pool(PROCESSES) as pool:
        pool.map(_hammer, range(PROCESSES))
    final = rate_limit_hit(scope="burst", key="1.2.3.4", limit=10_000, window=600, now=NOW)
    assert final.count == PROCESSES * HITS + 1


def test_peek_does_not_count(file_cache):
    for _ in range(3):
        assert rate_limit_peek(scope="p", key="k", limit=3, window=20, now=NOW).allowed
    for _ in range(3):
        rate_limit_hit(scope="p", key="k", limit=3, window=20, now=NOW + 1)
    peeked = rate_limit_peek(scope="p", key="k", limit=3, window=20, now=NOW + 5)
    assert not peeked.allowed and peeked.retry_after == 15
    assert rate_limit_peek(scope="p", key="k", limit=3, window=20, now=NOW + 20).allowed
