"""Readers and creators towards each other: kudos, and blocks (a blocked account cannot comment
on, reply to or leave kudos on the blocker's works). Muting is the search app's
ExcludedCreator (a muted creator's works never show in that reader's listings)."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fanarchive.works.models import Work


class Block(models.Model):
    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocked_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["blocker", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
            models.CheckConstraint(
                condition=~models.Q(blocker=models.F("blocked")), name="block_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"


class Kudos(models.Model):
    """One reader's kudos on a work: an account's (`user`), or a guest's, known only by
    `ip_hash`, an HMAC of the guest's address keyed with the SECRET_KEY (the address itself
    is never kept). The database allows one per account and one per guest address a work.

    When an account is deleted its kudos stay as anonymous ones (`user` and `ip_hash` both
    empty), so the work's count does not change; they are then counted with the guests'."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="kudos",
    )
    # NULL, not "", for accounts: NULLs never collide in the unique (work, ip_hash).
    ip_hash = models.CharField(max_length=64, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "kudos"
        ordering = ["work", "-created_at", "-id"]
        constraints = [
            # NULLs never collide: an account's kudos has no ip_hash, a guest's no user.
            models.UniqueConstraint(fields=["work", "user"], name="kudos_one_per_account"),
            models.UniqueConstraint(fields=["work", "ip_hash"], name="kudos_one_per_guest_ip"),
            models.CheckConstraint(
                condition=models.Q(user__isnull=True) | models.Q(ip_hash__isnull=True),
                name="kudos_account_or_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"kudos on {self.work_id} by {self.user_id or 'a guest'}"
