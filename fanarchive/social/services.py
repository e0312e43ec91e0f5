"""Writes of the social app: kudos, mutes and blocks.

A refused action raises `SocialRefused`, whose text is the friendly notice the reader sees
(AO3's wording where it has one)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fanarchive.search.models import ExcludedCreator
from fanarchive.search.services import excluded_creator_add, excluded_creator_remove
from fanarchive.works.counts import counts_add
from fanarchive.works.models import Work
from fanarchive.works.permissions import is_creator

from .models import Block, Kudos
from .selectors import ip_hash, is_blocked_from_work

if TYPE_CHECKING:
    from fanarchive.accounts.models import User

# AO3's limits (otwarchive config.yml: MAX_BLOCKED_USERS, MAX_MUTED_USERS).
DEFAULT_MAX_BLOCKED_USERS = 2000
DEFAULT_MAX_MUTED_USERS = 2000

KUDOS_ALREADY = "You have already left kudos here. :)"


class SocialRefused(Exception):
    """A social action that is not allowed; the message is the notice to show."""


def max_blocked_users() -> int:
    return int(getattr(settings, "FANARCHIVE_MAX_BLOCKED_USERS", DEFAULT_MAX_BLOCKED_USERS))


def max_muted_users() -> int:
    return int(getattr(settings, "FANARCHIVE_MAX_MUTED_USERS", DEFAULT_MAX_MUTED_USERS))


# --- Kudos -------------------------------------------------------------------------------------


def kudos_refusal(*, work: Work, viewer: Any) -> str | None:
    """Why `viewer` may not leave kudos on `work` at all (None: they may, once). `work` comes
    from the visibility gate (`access_work`), with its creators loaded."""
    if not work.posted:
        return "You can't leave kudos on a draft."
    if work.hidden_by_admin:
        return "You can't leave kudos on a hidden work."
    if is_creator(viewer, work):
        return "You can't leave kudos on your own work."
    if work.restricted and not viewer.is_authenticated:
        return "You can't leave guest kudos on a restricted work."
    if is_blocked_from_work(work=work, user=viewer):
        return "Sorry, you have been blocked by one or more of this work's creators."
    return None


def kudos_leave(*, work: Work, viewer: Any, ip: str) -> Kudos:
    """Leave kudos on `work` as `viewer` (a guest is known by an HMAC of `ip`). Adds one to
    the work's kudos counter in the same transaction. Raises SocialRefused."""
    if refusal := kudos_refusal(work=work, viewer=viewer):
        raise SocialRefused(refusal)
    if viewer.is_authenticated:
        fields: dict[str, Any] = {"user_id": viewer.pk, "ip_hash": None}
    else:
        fields = {"user": None, "ip_hash": ip_hash(ip)}
    if Kudos.objects.filter(work=work, **fields).exists():
        raise SocialRefused(KUDOS_ALREADY)
    try:
        with transaction.atomic():
            kudos = Kudos.objects.create(work=work, **fields)
            counts_add(work.pk, kudos=1)
    except IntegrityError:
        # Two requests at once (a double click): the database's unique constraint decides.
        raise SocialRefused(KUDOS_ALREADY) from None
    return kudos


# --- Mutes -------------------------------------------------------------------------------------


def mute_add(*, user: User, muted: User) -> ExcludedCreator:
    """Mute `muted` for `user`: their works no longer show in `user`'s listings and search
    (the search app's ExcludedCreator). Muting twice changes nothing."""
    if muted.pk == user.pk:
        raise SocialRefused("You can't mute yourself.")
    existing = ExcludedCreator.objects.filter(user=user, creator=muted).first()
    if existing is not None:
        return existing
    limit = max_muted_users()
    if ExcludedCreator.objects.filter(user=user).count() >= limit:
        raise SocialRefused(
            f"You can mute up to {limit:,} users. Unmute someone before muting another user."
        )
    try:
        return excluded_creator_add(user=user, creator=muted)
    except ValidationError as exc:
        raise SocialRefused(" ".join(exc.messages)) from None


def mute_remove(*, user: User, muted: User) -> bool:
    return excluded_creator_remove(user=user, creator_id=muted.pk)


# --- Blocks ------------------------------------------------------------------------------------


def block_add(*, blocker: User, blocked: User) -> Block:
    """`blocker` blocks the account `blocked` (all its pseuds): it can no longer comment on,
    reply to or leave kudos on `blocker`'s works. Blocking twice changes nothing."""
    if blocked.pk == blocker.pk:
        raise SocialRefused("You can't block yourself.")
    existing = Block.objects.filter(blocker=blocker, blocked=blocked).first()
    if existing is not None:
        return existing
    limit = max_blocked_users()
    if Block.objects.filter(blocker=blocker).count() >= limit:
        raise SocialRefused(
            f"You can block up to {limit:,} users. Unblock someone before blocking another user."
        )
    try:
        with transaction.atomic():
            return Block.objects.create(blocker=blocker, blocked=blocked)
    except IntegrityError:
        return Block.objects.get(blocker=blocker, blocked=blocked)


@transaction.atomic
def block_remove(*, blocker: User, blocked: User) -> bool:
    deleted, _ = Block.objects.filter(blocker=blocker, blocked=blocked).delete()
    return bool(deleted)
