"""What the social app adds to other apps' pages (see fanarchive/core/extensions.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from fanarchive.core.extensions import Part
from fanarchive.works.models import Work
from fanarchive.works.permissions import is_creator

from . import selectors


def kudos_part(
    request: HttpRequest | None, *, work: Work, reading: Any = None, chapter: Any = None, **_: Any
) -> Part | None:
    """`work:feedback`: the "Kudos ♥" button and who left kudos."""
    if request is None:
        return None
    viewer = request.user
    can_leave = work.posted and not work.hidden_by_admin and not is_creator(viewer, work)
    return Part(
        "social/_kudos.html",
        {
            "kudos": selectors.kudos_summary(work=work),
            "can_leave_kudos": can_leave,
            "back": request.get_full_path(),
        },
    )


def profile_part(request: HttpRequest | None, *, profile_user: Any, **_: Any) -> Part | None:
    """`profile:actions`: Mute/Unmute and Block/Unblock on someone else's profile; links to
    the reader's Muted and Blocked users on their own."""
    if request is None or not request.user.is_authenticated:
        return None
    viewer = request.user
    if viewer.pk == profile_user.pk:
        return Part("social/_profile_own.html")
    return Part(
        "social/_profile_actions.html",
        {
            "is_muted": selectors.is_muted(user=viewer, other=profile_user),
            "has_blocked": selectors.has_blocked(user=viewer, other=profile_user),
            "back": request.get_full_path(),
        },
    )
