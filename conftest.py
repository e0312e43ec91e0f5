"""Fixtures every app's tests share."""

import pytest


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the archive's hasher; tests only need passwords to work, quickly.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
