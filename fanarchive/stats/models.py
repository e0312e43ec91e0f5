"""Hits and their per-day totals (design: see fanarchive/stats/hits.py).

- `Hit`: one row per work, day and visitor, insert-only from the reading pages. The visitor is
  an HMAC of the client address and the day with the SECRET_KEY, never the address itself (and
  a different key each day, so the table cannot follow one reader from day to day). The work is
  a plain reference without a database foreign key: an insert with a foreign key would lock the
  work row (PostgreSQL's FOR KEY SHARE) and so wait for a writer holding it FOR UPDATE (posting
  a scheduled work); a reader's hit must never wait for anything. Rows of deleted works are
  skipped and later deleted by the roll-up.
- `HitDay`: a work's hits on one day, written only by the roll-up: the chart's data.
- `RollupState`: a single row the roll-ups lock so that two never count the same hits.
"""

from __future__ import annotations

from django.db import models

from fanarchive.works.models import Work


class Hit(models.Model):
    id = models.BigAutoField(primary_key=True)
    work = models.ForeignKey(
        Work, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    day = models.DateField()
    visitor = models.CharField(max_length=32)  # hex HMAC of (day, client address)
    counted = models.BooleanField(default=False)  # added to WorkStats and HitDay by the roll-up

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "day", "visitor"], name="hit_once_a_day"),
        ]
        indexes = [
            # What the roll-up reads: the few rows not yet counted.
            models.Index(fields=["id"], name="hit_uncounted", condition=models.Q(counted=False)),
            models.Index(fields=["day"], name="hit_day"),
        ]

    def __str__(self) -> str:
        return f"hit on work {self.work_id} on {self.day}"


class HitDay(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="hit_days")
    day = models.DateField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["work", "day"], name="hitday_unique")]

    def __str__(self) -> str:
        return f"{self.hits} hits on work {self.work_id} on {self.day}"


class RollupState(models.Model):
    """The one row (pk 1) a roll-up locks while it counts; `last_run` is when one last ran."""

    last_run = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"hits roll-up, last run {self.last_run}"
