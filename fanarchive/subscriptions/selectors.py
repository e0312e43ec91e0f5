"""Reads: a reader's subscriptions, and whether they are subscribed to something."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from fanarchive.accounts.models import User
from fanarchive.works.models import Series, Work

from .models import Subscription

KINDS = ("all", "works", "series", "users")


def subscriptions_of(*, user: User, kind: str = "all") -> QuerySet[Subscription]:
    """`user`'s subscriptions, newest first; `kind` narrows to "works", "series" or "users"."""
    subscriptions = Subscription.objects.filter(user=user).select_related(
        "work", "series", "creator"
    )
    if kind == "works":
        subscriptions = subscriptions.filter(work__isnull=False)
    elif kind == "series":
        subscriptions = subscriptions.filter(series__isnull=False)
    elif kind == "users":
        subscriptions = subscriptions.filter(creator__isnull=False)
    return subscriptions.order_by("-created_at", "-id")


def subscription_to(
    *,
    user: User,
    work: Work | None = None,
    series: Series | None = None,
    creator: User | None = None,
) -> Subscription | None:
    """`user`'s subscription to the one thing named, or None."""
    if work is not None:
        return Subscription.objects.filter(user=user, work=work).first()
    if series is not None:
        return Subscription.objects.filter(user=user, series=series).first()
    if creator is not None:
        return Subscription.objects.filter(user=user, creator=creator).first()
    return None


def work_and_series_subscriptions(
    *, user: User, work: Work, series_ids: list[int]
) -> tuple[Subscription | None, dict[int, Subscription]]:
    """`user`'s subscription to `work` and to any of `series_ids` (by series id), in one query
    (the work page's Subscribe buttons)."""
    condition = Q(work=work)
    if series_ids:
        condition |= Q(series_id__in=series_ids)
    work_sub = None
    series_subs: dict[int, Subscription] = {}
    for subscription in Subscription.objects.filter(condition, user=user):
        if subscription.work_id == work.pk:
            work_sub = subscription
        elif subscription.series_id is not None:
            series_subs[subscription.series_id] = subscription
    return work_sub, series_subs
