"""Template context every page gets from the accounts app."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from .models import Preference
from .selectors import preferences_for


def preferences(request: HttpRequest) -> dict[str, Preference | str]:
    """`prefs`: the viewer's preferences (defaults for guests), read once per request;
    `SIGNUPS`: "open", "invitation" or "closed"."""
    cached = getattr(request, "_fanarchive_prefs", None)
    if cached is None:
        cached = preferences_for(getattr(request, "user", None))
        request._fanarchive_prefs = cached  # type: ignore[attr-defined]
    return {"prefs": cached, "SIGNUPS": settings.FANARCHIVE_SIGNUPS}
