"""Reads about accounts and pseuds."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser

from .models import Preference, Pseud, User


def user_by_login(login: str) -> User | None:
    """The account whose login is `login` (exactly), or None."""
    return User.objects.filter(username=login).first()


def pseud_by_name(*, user: User, name: str) -> Pseud | None:
    """`user`'s pseud called `name`: exact first, then ignoring case as AO3 does."""
    pseuds = Pseud.objects.filter(user=user).select_related("user")
    return pseuds.filter(name=name).first() or pseuds.filter(name__iexact=name).first()


def user_pseuds(*, user: User) -> list[Pseud]:
    """`user`'s pseuds, the default first."""
    return list(
        Pseud.objects.filter(user=user).select_related("user").order_by("-is_default", "name")
    )


def preferences_for(user: AbstractBaseUser | AnonymousUser | None) -> Preference:
    """The viewer's preferences: their saved row, or an unsaved default instance for guests and
    accounts that never saved any (saving that instance creates the row). No query for the
    request's user: the authentication backend loads the preferences with the account."""
    if user is None or not user.is_authenticated:
        return Preference()
    relation = User.preference.related  # type: ignore[attr-defined]
    found: Preference | None
    if relation.is_cached(user):
        found = cast("Preference | None", relation.get_cached_value(user))
    else:
        found = Preference.objects.filter(user_id=user.pk).first()
    return found if found is not None else Preference(user_id=user.pk)
