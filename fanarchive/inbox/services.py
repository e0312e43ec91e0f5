"""Telling an account something: an inbox item, and an email unless they turned that off."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction

from fanarchive.accounts.models import User

from .models import InboxItem


def wants_email(user: User, kind: str) -> bool:
    """Whether `user` gets an email for a notification of `kind` (preferences may turn
    kinds off; an account without an email address or inactive gets none)."""
    return bool(user.email) and user.is_active


def notify(
    user: User, *, kind: str, subject: str, text: str = "", url: str = "", email: bool = True
) -> InboxItem:
    """Put an item in `user`'s inbox and, after the transaction commits, email them."""
    item = InboxItem.objects.create(
        user=user, kind=kind, subject=subject[:300], text=text, url=url[:500]
    )
    if email and wants_email(user, kind):
        site = getattr(settings, "FANARCHIVE_SITE_URL", "")
        body = f"{text}\n\n{site}{url}\n" if url else f"{text}\n"
        transaction.on_commit(
            lambda: send_mail(subject[:300], body, None, [user.email], fail_silently=True)
        )
    return item
