"""Subscribing and unsubscribing (writes). Refusals raise SubscriptionRefused with a reader's
message; subscribing twice is not an error (`created` is False)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from fanarchive.accounts.models import User
from fanarchive.works.counts import counts_add, counts_add_many
from fanarchive.works.models import Creatorship, Series, Work
from fanarchive.works.permissions import can_view_work

from .models import Subscription


class SubscriptionRefused(Exception):
    """A subscription the archive does not make (your own work, yourself …)."""


@dataclass(frozen=True)
class Subscribed:
    subscription: Subscription
    created: bool  # False: the reader was already subscribed


def _series_creators(series: Series) -> set[int]:
    return set(
        Creatorship.objects.filter(work__series_works__series=series).values_list(
            "pseud__user_id", flat=True
        )
    )


@transaction.atomic
def subscription_to_work(*, user: User, work: Work) -> Subscribed:
    """Subscribe `user` to `work`'s new chapters. `work` must be one `user` may read (the
    caller fetched it through the gate); never your own work. Counts in the work's stats."""
    if not can_view_work(user, work):
        raise SubscriptionRefused("You can't subscribe to a work you can't read.")
    if Creatorship.objects.filter(work=work, pseud__user=user).exists():
        raise SubscriptionRefused("You can't subscribe to your own work.")
    subscription, created = Subscription.objects.get_or_create(user=user, work=work)
    if created:
        counts_add(work.pk, subscriptions=1)
    return Subscribed(subscription, created)


@transaction.atomic
def subscription_to_series(*, user: User, series: Series) -> Subscribed:
    """Subscribe `user` to `series`' new works and chapters; never to a series of your own."""
    if user.pk in _series_creators(series):
        raise SubscriptionRefused("You can't subscribe to your own series.")
    subscription, created = Subscription.objects.get_or_create(user=user, series=series)
    return Subscribed(subscription, created)


@transaction.atomic
def subscription_to_creator(*, user: User, creator: User) -> Subscribed:
    """Subscribe `user` to `creator`'s new works and chapters; never to yourself."""
    if creator.pk == user.pk:
        raise SubscriptionRefused("You can't subscribe to yourself.")
    if not creator.is_active:
        raise SubscriptionRefused("You can't subscribe to this account.")
    subscription, created = Subscription.objects.get_or_create(user=user, creator=creator)
    return Subscribed(subscription, created)


@transaction.atomic
def subscription_delete(*, user: User, subscription_id: int) -> Subscription | None:
    """Unsubscribe: delete `user`'s subscription `subscription_id` (None if they have no such
    subscription: someone else's is never touched). A work's count goes down."""
    subscription = (
        Subscription.objects.filter(pk=subscription_id, user=user)
        .select_related("work", "series", "creator")
        .first()
    )
    if subscription is None:
        return None
    work_id = subscription.work_id
    # Only the request that really deleted the row takes it off the count (two clicks at once).
    deleted, _per_model = Subscription.objects.filter(pk=subscription.pk).delete()
    if deleted and work_id is not None:
        counts_add(work_id, subscriptions=-1)
    return subscription


def on_account_deleted(sender: Any, *, instance: User, **kwargs: Any) -> None:
    """`pre_delete` of an account: its subscriptions to works (deleted with it) leave the works'
    counts. Connected for the User model only."""
    work_ids = Subscription.objects.filter(user_id=instance.pk, work__isnull=False).values_list(
        "work_id", flat=True
    )
    counts_add_many({work_id: {"subscriptions": -1} for work_id in work_ids if work_id})
