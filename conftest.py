"""Fixtures every app's tests share."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the archive's hasher; tests only need passwords to work, quickly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    # With DEBUG off the manifest storage needs `collectstatic` to have run; pages in tests
    # only need `{% static %}` to give a URL.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _private_rate_limits(settings, tmp_path):
    # The settings keep rate-limit counters (failed logins, downloads) in a file cache in the
    # data folder, shared by every process: parallel tests, all from 127.0.0.1, would throttle
    # each other. Each test counts in its own memory.
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"ratelimit-{tmp_path}",
        },
    }


@pytest.fixture(autouse=True)
def _fresh_search_engine():
    # Each test has its own database: the search engine (fanarchive/search/engine/) starts
    # from it rather than finding out from the change log that the last test's index is gone.
    from fanarchive.search.selectors import _backend

    _backend.cache_clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_recent_hits():
    # The stats app remembers the hits its process stored (no second write for a repeat
    # visit); each test has its own database, so each starts with nothing remembered.
    from fanarchive.stats.hits import recent

    recent.clear()
    yield
