"""What the history app adds to other apps' pages (core/extensions.py places)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fanarchive.core.extensions import Part
from fanarchive.works.models import Work

from .selectors import reading_of


def work_actions(request: HttpRequest | None, *, work: Work, **objects: Any) -> Part | None:
    """ "Mark for Later" or "Mark as Read" for logged-in readers."""
    if request is None or not request.user.is_authenticated or not work.posted:
        return None
    reading = reading_of(user=request.user, work=work)
    return Part(
        "history/_work_actions.html",
        {"marked": bool(reading and reading.to_read), "next": request.get_full_path()},
    )


def nav_link(request: HttpRequest | None, **objects: Any) -> Part | None:
    if request is None or not request.user.is_authenticated:
        return None
    return Part("history/_nav.html")
