"""Reads of a reader's inbox."""

from __future__ import annotations

from django.db.models import QuerySet

from fanarchive.accounts.models import User

from .models import InboxItem

FILTERS = ("all", "unread", "read")


def inbox_items(*, user: User, show: str = "all") -> QuerySet[InboxItem]:
    """`user`'s items, newest first; `show` is "unread", "read" or "all"."""
    items = InboxItem.objects.filter(user=user)
    if show == "unread":
        items = items.filter(read=False)
    elif show == "read":
        items = items.filter(read=True)
    return items.order_by("-created_at", "-id")


def unread_count(*, user: User) -> int:
    return InboxItem.objects.filter(user=user, read=False).count()
