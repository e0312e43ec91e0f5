"""A reader's saved excludes (tags and creators never to be shown) and saved searches.

The full-text index is a derived table of its own per database vendor (see text/), created by
migration 0002 and not a model."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fanarchive.tags.models import Tag


class ExcludedTag(models.Model):
    """`user` never wants to see works with this tag (resolved like a query's exclude)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="excluded_tags"
    )
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "tag__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "tag"], name="excludedtag_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} excludes {self.tag}"


class ExcludedCreator(models.Model):
    """`user` never wants to see works by `creator` (any of their pseuds)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="excluded_creators"
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["user", "creator__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "creator"], name="excludedcreator_unique"),
            models.CheckConstraint(
                condition=~models.Q(user=models.F("creator")), name="excludedcreator_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} excludes works by {self.creator}"


class SavedSearch(models.Model):
    """A named search: the query string of /works/search (WorkQuery.to_querystring())."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_searches"
    )
    name = models.CharField(max_length=100)
    query_string = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user", "name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="savedsearch_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class SearchChange(models.Model):
    """One entry of the search engine's change log (see search/engine/): written in the same
    transaction as the change it records, read by every server process to patch its in-memory
    index. `work_id` names a work to re-read; `tag_id` a tag whose name, type or wrangling
    changed; both empty means "everything changed" (a bulk load): rebuild."""

    id = models.BigAutoField(primary_key=True)
    work_id = models.BigIntegerField(null=True, blank=True)
    tag_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"change {self.id}: work {self.work_id} tag {self.tag_id}"
