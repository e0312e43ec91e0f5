"""Subscribe buttons on other apps' pages (see fanarchive/core/extensions.py): the work page's
action bar (the work and each of its series) and a user's profile. Logged-in readers only,
never on your own work or profile (guests' pages stay free of forms, so they can be cached)."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest

from fanarchive.accounts.models import User
from fanarchive.core.extensions import Part
from fanarchive.works.models import Work
from fanarchive.works.permissions import is_creator

from .selectors import subscription_to, work_and_series_subscriptions


def _reader(request: HttpRequest | None) -> User | None:
    if request is None or not request.user.is_authenticated:
        return None
    return cast(User, request.user)


def work_actions(
    request: HttpRequest | None, *, work: Work, reading: Any = None, **objects: Any
) -> Part | None:
    user = _reader(request)
    if user is None or request is None or is_creator(user, work):
        return None
    series = list(getattr(reading, "series", []) or [])
    work_sub, series_subs = work_and_series_subscriptions(
        user=user, work=work, series_ids=[s.series_id for s in series]
    )
    return Part(
        "subscriptions/_work_actions.html",
        {
            "sub_login": user.username,
            "sub_work": work_sub,
            "sub_series": [(s, series_subs.get(s.series_id)) for s in series],
            "sub_next": request.get_full_path(),
        },
    )


def profile_actions(
    request: HttpRequest | None, *, profile_user: User, **objects: Any
) -> Part | None:
    user = _reader(request)
    if user is None or request is None or user.pk == profile_user.pk:
        return None
    if not profile_user.is_active:
        return None
    return Part(
        "subscriptions/_profile_actions.html",
        {
            "sub_login": user.username,
            "sub_creator": subscription_to(user=user, creator=profile_user),
            "sub_next": request.get_full_path(),
        },
    )
