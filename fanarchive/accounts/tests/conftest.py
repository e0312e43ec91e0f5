"""Account tests get their own rate-limit counters and the default settings."""

import pytest
from django.core.cache import caches


@pytest.fixture(autouse=True)
def _memory_ratelimit(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"accounts-rl-{tmp_path}",
        },
    }
    yield
    caches["ratelimit"].clear()


@pytest.fixture(autouse=True)
def _account_settings(settings):
    settings.DEBUG = False
    settings.FANARCHIVE_SIGNUPS = "open"
    settings.FANARCHIVE_LOGIN_ATTEMPTS = 5
    settings.FANARCHIVE_LOGIN_WINDOW = 20
    settings.FANARCHIVE_CONFIRMATION_DAYS = 3
    settings.FANARCHIVE_SITE_URL = "https://archive.example.org"
