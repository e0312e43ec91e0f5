"""Bookmarks: a reader's bookmark of a work or of a series, with notes, their own tags, "rec"
and "private" (AO3's Bookmark).

The bookmarker's tags are stored here (BookmarkTag), not as archive Tags: AO3 files them as
"unsorted" tags that wranglers must sort, which would fill the wrangling queues with every
reader's private shorthand. A bookmark tag follows AO3's rules for a tag name (tags/names.py)
and is compared by the same key (case, width and spaces folded), so filtering a reader's
bookmarks by "Fluff" also finds "fluff".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from fanarchive.accounts.models import Pseud
from fanarchive.tags.names import MAX_TAG_NAME_LENGTH
from fanarchive.works.models import Series, Work

NOTES_MAX_LENGTH = 5_000  # AO3's limit on bookmark notes
TAGS_MAX = 75  # AO3's limit on a work's user tags, for a bookmark's tags too


class Bookmark(models.Model):
    """One reader's bookmark of one work or one series (never both): one per reader per item."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    # The pseud shown as the bookmarker; a deleted pseud leaves the account's login shown.
    pseud = models.ForeignKey(
        Pseud, on_delete=models.SET_NULL, null=True, blank=True, related_name="bookmarks"
    )
    work = models.ForeignKey(
        Work, on_delete=models.CASCADE, null=True, blank=True, related_name="bookmarks"
    )
    series = models.ForeignKey(
        Series, on_delete=models.CASCADE, null=True, blank=True, related_name="bookmarks"
    )
    notes = models.TextField(blank=True)  # sanitized HTML
    rec = models.BooleanField(default=False)
    private = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(work__isnull=False) & Q(series__isnull=True))
                | (Q(work__isnull=True) & Q(series__isnull=False)),
                name="bookmark_one_item",
            ),
            models.UniqueConstraint(
                fields=["user", "work"], condition=Q(work__isnull=False), name="bookmark_user_work"
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(series__isnull=False),
                name="bookmark_user_series",
            ),
        ]
        indexes = [
            models.Index(fields=["user", "-created_at", "-id"], name="bookmark_user_newest"),
            models.Index(fields=["work", "private"], name="bookmark_work"),
            models.Index(fields=["series", "private"], name="bookmark_series"),
        ]

    def __str__(self) -> str:
        item = f"work {self.work_id}" if self.work_id else f"series {self.series_id}"
        return f"bookmark of {item} by {self.user_id}"

    @property
    def counted(self) -> bool:
        """Whether it counts in its work's public bookmark count."""
        return self.work_id is not None and not self.private


class BookmarkTag(models.Model):
    """A tag the bookmarker put on a bookmark, in the order written."""

    bookmark = models.ForeignKey(Bookmark, on_delete=models.CASCADE, related_name="tags")
    name = models.CharField(max_length=MAX_TAG_NAME_LENGTH)
    key = models.CharField(max_length=MAX_TAG_NAME_LENGTH * 2)  # tags.names.tag_key(name)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["bookmark", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["bookmark", "key"], name="bookmarktag_unique"),
        ]
        indexes = [models.Index(fields=["key", "bookmark"], name="bookmarktag_key")]

    def __str__(self) -> str:
        return self.name
