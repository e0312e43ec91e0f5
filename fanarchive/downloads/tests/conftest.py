import pytest


@pytest.fixture(autouse=True)
def _downloads_settings(settings, tmp_path):
    """Tasks run at once; cached files in a temporary folder; rate-limit counters in a
    per-test memory cache (the file cache is shared by every test process)."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.DOWNLOADS_DIR = tmp_path / "downloads"
    settings.CACHES = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"ratelimit-{tmp_path}",
        },
    }
    settings.FANARCHIVE_SITE_URL = "https://archive.example.org"
    settings.SITE_NAME = "Example Archive"
