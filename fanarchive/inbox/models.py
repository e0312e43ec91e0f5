"""A reader's inbox: what the archive tells an account (a comment on their work, a reply, a new
chapter of a subscribed work …). Written by `services.notify`, read on the inbox page."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class InboxItem(models.Model):
    class Kind(models.TextChoices):
        COMMENT = "comment", "Comment"
        REPLY = "reply", "Reply to your comment"
        SUBSCRIPTION = "subscription", "Subscription update"
        KUDOS = "kudos", "Kudos"
        NOTICE = "notice", "Notice"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox_items"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    subject = models.CharField(max_length=300)
    # Plain text (escaped when shown): a short excerpt, never user HTML.
    text = models.TextField(blank=True)
    # A path inside the archive ("/works/12/chapters/40#comment_7").
    url = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read", "-created_at"], name="inbox_user_unread")]

    def __str__(self) -> str:
        return f"{self.user}: {self.subject}"
