"""Reads of the social app."""

from __future__ import annotations

from typing import Any

from fanarchive.works.models import Creatorship, Work

from .models import Block


def is_blocked_from_work(*, work: Work, user: Any) -> bool:
    """Whether one of `work`'s creators has blocked `user` (a guest is never blocked)."""
    if not getattr(user, "is_authenticated", False):
        return False
    creators = Creatorship.objects.filter(work=work).values("pseud__user_id")
    return Block.objects.filter(blocker_id__in=creators, blocked_id=user.pk).exists()
