"""Who may wrangle: accounts holding the permission tags.wrangle_tags (the "Tag Wranglers" group
has it) and superusers. Every wrangling page and action goes through `wrangler_required`."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

PERMISSION = "tags.wrangle_tags"


def can_wrangle(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(PERMISSION))


def wrangler_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Guests are sent to log in; logged-in readers without the role get 403."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not can_wrangle(request.user):
            raise PermissionDenied("Only tag wranglers can use the wrangling pages.")
        return view(request, *args, **kwargs)

    return wrapped
