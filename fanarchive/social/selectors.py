"""Reads of the social app: kudos on a work, and a reader's mutes and blocks."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import QuerySet
from django.utils.crypto import salted_hmac

from fanarchive.search.models import ExcludedCreator
from fanarchive.works.models import Creatorship, Work

from .models import Block, Kudos

if TYPE_CHECKING:
    from fanarchive.accounts.models import User

# How many accounts a work page names under its kudos (AO3 shows 50 and "N more users").
KUDOS_NAMES_SHOWN = 50

_IP_HASH_SALT = "fanarchive.social.kudos.ip"


def ip_hash(ip: str) -> str:
    """The HMAC-SHA256 (keyed with the SECRET_KEY) of a guest's address: what a guest's kudos
    keeps instead of the address."""
    return salted_hmac(_IP_HASH_SALT, ip, algorithm="sha256").hexdigest()


def is_blocked_from_work(*, work: Work, user: Any) -> bool:
    """Whether one of `work`'s creators has blocked `user` (a guest is never blocked)."""
    if not getattr(user, "is_authenticated", False):
        return False
    creators = Creatorship.objects.filter(work=work).values("pseud__user_id")
    return Block.objects.filter(blocker_id__in=creators, blocked_id=user.pk).exists()


# --- Kudos -------------------------------------------------------------------------------------


@dataclass
class KudosSummary:
    """Who left kudos on a work: the accounts' names (newest first, at most
    KUDOS_NAMES_SHOWN), how many more accounts, and how many guests."""

    names: list[str] = field(default_factory=list)
    more_users: int = 0
    guests: int = 0

    @property
    def total(self) -> int:
        return len(self.names) + self.more_users + self.guests


def kudos_summary(*, work: Work, limit: int = KUDOS_NAMES_SHOWN) -> KudosSummary:
    """The kudos on `work` for its page: one query (two past `limit` accounts). `work` comes
    from the gate, with its stats loaded.

    The work's counter (WorkStats.kudos, kept with the rows by `kudos_leave`) is the total;
    whatever is not an account's is a guest's: guests' kudos, those of deleted accounts, and
    counts brought by an import or the demo archive (no rows), so the page always agrees with
    the work's stats."""
    names = list(
        Kudos.objects.filter(work=work, user__isnull=False)
        .order_by("-created_at", "-id")
        .values_list("user__username", flat=True)[: limit + 1]
    )
    if len(names) > limit:
        names = names[:limit]
        accounts = Kudos.objects.filter(work=work, user__isnull=False).count()
    else:
        accounts = len(names)
    try:
        counted = work.stats.kudos
    except ObjectDoesNotExist:
        counted = 0
    if counted < accounts:  # rows written around the counter: never show fewer than named
        counted = accounts + Kudos.objects.filter(work=work, user__isnull=True).count()
    return KudosSummary(names=names, more_users=accounts - len(names), guests=counted - accounts)


def has_left_kudos(*, work: Work, user: Any, ip: str) -> bool:
    """Whether this account (or, for a guest, this address) has left kudos on `work`."""
    if getattr(user, "is_authenticated", False):
        return Kudos.objects.filter(work=work, user_id=user.pk).exists()
    return Kudos.objects.filter(work=work, ip_hash=ip_hash(ip)).exists()


# --- Mutes (the search app's ExcludedCreator) and blocks --------------------------------------


def muted_users(*, user: User) -> QuerySet[ExcludedCreator]:
    """The accounts `user` muted, by name."""
    return (
        ExcludedCreator.objects.filter(user=user)
        .select_related("creator")
        .order_by("creator__username")
    )


def muted_user_ids(viewer: Any) -> frozenset[int]:
    """The ids of the accounts whose works `viewer` never wants listed (nothing for guests):
    for listings that do not go through the search app's `search_works`."""
    if not getattr(viewer, "is_authenticated", False):
        return frozenset()
    return frozenset(
        ExcludedCreator.objects.filter(user_id=viewer.pk)
        .order_by()
        .values_list("creator_id", flat=True)
    )


def is_muted(*, user: Any, other: User) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return ExcludedCreator.objects.filter(user_id=user.pk, creator=other).exists()


def blocked_users(*, user: User) -> QuerySet[Block]:
    """The accounts `user` blocked, by name."""
    return (
        Block.objects.filter(blocker=user).select_related("blocked").order_by("blocked__username")
    )


def has_blocked(*, user: Any, other: User) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Block.objects.filter(blocker_id=user.pk, blocked=other).exists()
