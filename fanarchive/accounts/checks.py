"""System checks for the account settings."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register

SIGNUP_MODES = ("open", "invitation", "closed")


@register(Tags.compatibility)
def check_signups(app_configs: Any, **kwargs: Any) -> list[Error]:
    mode = getattr(settings, "FANARCHIVE_SIGNUPS", "open")
    if mode not in SIGNUP_MODES:
        return [
            Error(
                f"FANARCHIVE_SIGNUPS is {mode!r}.",
                hint="Set it to open, invitation or closed.",
                id="fanarchive.E101",
            )
        ]
    return []
