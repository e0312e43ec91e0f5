"""Reads about accounts and pseuds."""

from __future__ import annotations

from .models import Pseud, User


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
