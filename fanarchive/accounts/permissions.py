"""Who may open an account's own pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from .models import User
from .selectors import user_by_login


def account_owner(request: HttpRequest, login: str) -> User:
    """The account of `login` when the viewer is its owner: 404 for no such account, 403 for
    someone else's. (Views using it are behind login_required: guests go to log in.)"""
    user = user_by_login(login)
    if user is None:
        raise Http404("No such user")
    if not request.user.is_authenticated or request.user.pk != user.pk:
        raise PermissionDenied("That is someone else's account.")
    return user
