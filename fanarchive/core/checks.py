"""System checks: misconfiguration is reported when the archive starts, not at the first request."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register

SUPPORTED_ENGINES = {"django.db.backends.sqlite3", "django.db.backends.postgresql"}


@register(Tags.compatibility)
def check_data_dir(app_configs: Any, **kwargs: Any) -> list[Error]:
    if not os.access(settings.DATA_DIR, os.W_OK):
        return [
            Error(
                f"The data folder {settings.DATA_DIR} is not writable.",
                hint="Set FANARCHIVE_DATA_DIR to a folder the archive may write to.",
                id="fanarchive.E001",
            )
        ]
    return []


@register(Tags.database)
def check_database_engine(app_configs: Any, **kwargs: Any) -> list[Error]:
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine not in SUPPORTED_ENGINES:
        return [
            Error(
                f"DATABASE_URL selects {engine}; fanarchive runs on SQLite and PostgreSQL only.",
                hint="Use sqlite:///path or postgres://user:password@host:port/name.",
                id="fanarchive.E002",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_shared_data(app_configs: Any, **kwargs: Any) -> list[Warning]:
    if settings.DEBUG:
        return [
            Warning("FANARCHIVE_DEBUG is on.", hint="Unset it in production.", id="fanarchive.W001")
        ]
    return []
