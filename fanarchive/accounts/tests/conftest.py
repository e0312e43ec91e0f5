"""Account tests run with the default account settings (their own rate-limit counters come
from the root conftest's `_private_rate_limits`)."""

import pytest


@pytest.fixture(autouse=True)
def _account_settings(settings):
    settings.DEBUG = False
    settings.FANARCHIVE_SIGNUPS = "open"
    settings.FANARCHIVE_LOGIN_ATTEMPTS = 5
    settings.FANARCHIVE_LOGIN_WINDOW = 20
    settings.FANARCHIVE_CONFIRMATION_DAYS = 3
    settings.FANARCHIVE_SITE_URL = "https://archive.example.org"
