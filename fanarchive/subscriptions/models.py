"""A reader's subscriptions (AO3's): to a work (its new chapters), a series (its new works and
chapters) or a creator (their new works and chapters). Notifications go to the inbox and by
email (the inbox app); see `notifications.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fanarchive.works.models import Series, Work


class Subscription(models.Model):
    class Kind(models.TextChoices):
        WORK = "work", "Work"
        SERIES = "series", "Series"
        USER = "user", "Creator"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    # Exactly one of these is set.
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, null=True, blank=True, related_name="subscriptions"
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="subscribers",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(work__isnull=False, series__isnull=True, creator__isnull=True)
                    | Q(work__isnull=True, series__isnull=False, creator__isnull=True)
                    | Q(work__isnull=True, series__isnull=True, creator__isnull=False)
                ),
                name="subscription_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "work"],
                condition=Q(work__isnull=False),
                name="subscription_unique_work",
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(series__isnull=False),
                name="subscription_unique_series",
            ),
            models.UniqueConstraint(
                fields=["user", "creator"],
                condition=Q(creator__isnull=False),
                name="subscription_unique_creator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} subscribed to {self.kind} {self.target_id}"

    @property
    def kind(self) -> str:
        if self.work_id is not None:
            return self.Kind.WORK
        if self.series_id is not None:
            return self.Kind.SERIES
        return self.Kind.USER

    @property
    def target_id(self) -> int | None:
        return self.work_id or self.series_id or self.creator_id
