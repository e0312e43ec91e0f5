"""A reader's history (AO3's Reading): one row per reader and work with the last visit, the
chapter reached and the number of visits; the same row carries "Marked for Later"."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fanarchive.works.models import Chapter, Work


class Reading(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="readings"
    )
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="readings")
    # None: never opened (only marked for later), or taken out of the history.
    last_visited = models.DateTimeField(null=True, blank=True)
    visits = models.PositiveIntegerField(default=0)
    chapter = models.ForeignKey(
        Chapter, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The chapter reached, counted among the posted chapters (the last one for the entire work).
    chapter_number = models.PositiveIntegerField(default=0)
    # What the work looked like at the last visit, for "Updated since last visit".
    seen_updated = models.DateField(null=True, blank=True)
    seen_chapter_count = models.PositiveIntegerField(default=0)
    to_read = models.BooleanField(default=False)  # Marked for Later
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="reading_user_work"),
        ]
        indexes = [
            models.Index(fields=["user", "-last_visited", "-id"], name="reading_user_recent"),
            models.Index(fields=["user", "to_read", "-marked_at"], name="reading_user_to_read"),
        ]

    def __str__(self) -> str:
        return f"reading of {self.work_id} by {self.user_id}"

    @property
    def in_history(self) -> bool:
        return self.visits > 0

    def updated_since_visit(self, work: Work) -> bool:
        """AO3's "Update available": the work gained chapters or was updated after the visit."""
        if not self.in_history:
            return False
        if work.chapter_count > self.seen_chapter_count:
            return True
        return self.seen_updated is not None and work.updated > self.seen_updated
