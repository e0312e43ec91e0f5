"""What the bookmarks app adds to other apps' pages (core/extensions.py places)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fanarchive.core.extensions import Part
from fanarchive.works.models import Work

from .selectors import bookmark_of


def work_actions(request: HttpRequest | None, *, work: Work, **objects: Any) -> Part | None:
    """ "Bookmark" (or "Edit bookmark") in the work's action bar, for logged-in readers."""
    if request is None or not request.user.is_authenticated or not work.posted:
        return None
    return Part(
        "bookmarks/_work_actions.html", {"bookmark": bookmark_of(user=request.user, work=work)}
    )


def nav_link(request: HttpRequest | None, **objects: Any) -> Part | None:
    if request is None or not request.user.is_authenticated:
        return None
    return Part("bookmarks/_nav.html")
