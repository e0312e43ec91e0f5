"""The inbox's part of other apps' pages (see fanarchive/core/extensions.py)."""

from __future__ import annotations

from typing import cast

from django.http import HttpRequest

from fanarchive.accounts.models import User
from fanarchive.core.extensions import Part

from .selectors import unread_count


def nav_inbox(request: HttpRequest | None, **objects: object) -> Part | None:
    """The "Inbox (3)" link in a logged-in reader's site menu."""
    if request is None or not request.user.is_authenticated:
        return None
    user = cast(User, request.user)
    return Part(
        "inbox/_nav.html", {"inbox_login": user.username, "inbox_unread": unread_count(user=user)}
    )
