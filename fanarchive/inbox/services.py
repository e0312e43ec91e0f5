"""Telling an account something: an inbox item, and an email unless they turned that off; and
the owner's changes to their inbox (mark read or unread, delete)."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from fanarchive.accounts.models import User
from fanarchive.accounts.selectors import preferences_for

from .models import InboxItem

# Which preference turns off the emails of each kind (the inbox keeps the items regardless).
# Kinds not named here (notices) are always emailed.
EMAIL_OFF_PREFERENCE: dict[str, str] = {
    InboxItem.Kind.COMMENT: "comment_emails_off",
    InboxItem.Kind.REPLY: "comment_emails_off",
    InboxItem.Kind.SUBSCRIPTION: "subscription_emails_off",
    InboxItem.Kind.KUDOS: "kudos_emails_off",
}


def wants_email(user: User, kind: str) -> bool:
    """Whether `user` gets an email for a notification of `kind`: not when their preferences
    turn that kind off (comments and replies, subscriptions, kudos), nor for an account without
    an email address or inactive."""
    if not (user.email and user.is_active):
        return False
    preference = EMAIL_OFF_PREFERENCE.get(kind)
    if preference is None:
        return True
    return not getattr(preferences_for(user), preference)


def _email_body(user: User, *, subject: str, text: str, url: str) -> str:
    site = getattr(settings, "FANARCHIVE_SITE_URL", "").rstrip("/")
    parts = [subject]
    if text:
        parts.append(text)
    if url:
        parts.append(f"{site}{url}")
    preferences = reverse("accounts:preferences", kwargs={"login": user.username})
    parts.append(f"You can turn these emails off in your preferences: {site}{preferences}")
    return "\n\n".join(parts) + "\n"


def notify(
    user: User, *, kind: str, subject: str, text: str = "", url: str = "", email: bool = True
) -> InboxItem:
    """Put an item in `user`'s inbox and, after the transaction commits, email them (plain
    text: the subject, the text and a link to the item) unless they turned that kind off.
    The subject is made one line: it is built from names and titles people typed, and an email
    header cannot hold a line break (the send after commit would fail the notifying request)."""
    subject = " ".join(subject.split())
    item = InboxItem.objects.create(
        user=user, kind=kind, subject=subject[:300], text=text, url=url[:500]
    )
    if email and wants_email(user, kind):
        body = _email_body(user, subject=subject[:300], text=text, url=url[:500])
        address = user.email
        transaction.on_commit(
            lambda: send_mail(subject[:300], body, None, [address], fail_silently=True)
        )
    return item


def inbox_mark(*, user: User, item_ids: Iterable[int], read: bool) -> int:
    """Mark `user`'s items among `item_ids` read (or unread); others' items are left alone.
    Returns how many were changed."""
    return InboxItem.objects.filter(user=user, pk__in=list(item_ids)).update(read=read)


def inbox_delete(*, user: User, item_ids: Iterable[int]) -> int:
    """Delete `user`'s items among `item_ids`; returns how many were deleted."""
    deleted, _per_model = InboxItem.objects.filter(user=user, pk__in=list(item_ids)).delete()
    return deleted
