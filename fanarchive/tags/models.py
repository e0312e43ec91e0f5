"""Tags: every piece of AO3 metadata a work carries is a tag of one type.

Ratings, archive warnings and categories are fixed tags created by the first migration; fandoms,
relationships, characters and additional tags are written by users and wrangled later.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from .names import validate_tag_name


class TagType(models.TextChoices):
    RATING = "rating", "Rating"
    WARNING = "warning", "Archive Warning"
    CATEGORY = "category", "Category"
    FANDOM = "fandom", "Fandom"
    RELATIONSHIP = "relationship", "Relationship"
    CHARACTER = "character", "Character"
    FREEFORM = "freeform", "Additional Tags"
    MEDIA = "media", "Media"

    @classmethod
    def fixed(cls) -> tuple[TagType, ...]:
        """Types whose tags the archive defines; users pick from them."""
        return (cls.RATING, cls.WARNING, cls.CATEGORY)

    @classmethod
    def work_order(cls) -> tuple[TagType, ...]:
        """The order in which AO3 shows a work's tags."""
        return (
            cls.RATING,
            cls.WARNING,
            cls.CATEGORY,
            cls.FANDOM,
            cls.RELATIONSHIP,
            cls.CHARACTER,
            cls.FREEFORM,
        )


class Tag(models.Model):
    name = models.CharField(max_length=150, validators=[validate_tag_name])
    # The name folded for comparison (NFKC, casefold): two tags never differ only by case.
    key = models.CharField(max_length=300, unique=True, editable=False)
    type = models.CharField(max_length=16, choices=TagType.choices, db_index=True)
    canonical = models.BooleanField(default=False)
    # A non-canonical tag may be a synonym of one canonical tag of the same type (AO3's merger).
    merger = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="synonyms",
        limit_choices_to={"canonical": True},
    )
    unwrangleable = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["type", "canonical"], name="tag_type_canonical")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(canonical=True, merger__isnull=False),
                name="tag_canonical_has_no_merger",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class MetaTagging(models.Model):
    """`meta` is a metatag of `sub` (AO3's MetaTagging): works filtered under the subtag are
    filtered under the metatag too, transitively. Only direct links are stored; both tags are
    canonical and of the same type, and the links never form a cycle (the services check)."""

    meta = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="sub_links")
    sub = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="meta_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meta", "sub"], name="metatagging_unique"),
            models.CheckConstraint(
                condition=~models.Q(meta=models.F("sub")), name="metatagging_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sub} ⊂ {self.meta}"


class ParentTagging(models.Model):
    """`parent` is a parent of `child` (AO3's CommonTagging): fandom → character, relationship,
    additional tag; character → relationship; media → fandom."""

    parent = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="child_links")
    child = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="parent_links")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="parenttagging_unique"),
        ]
        indexes = [models.Index(fields=["child", "parent"], name="parenttagging_child")]

    def __str__(self) -> str:
        return f"{self.parent} → {self.child}"


class WranglingAction(models.Model):
    """What a wrangler did to a tag: who, when, what it was before and after."""

    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="wrangling_actions")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="wrangling_actions",
    )
    action = models.CharField(max_length=40)
    before = models.JSONField(default=dict)
    after = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        permissions = [("wrangle_tags", "Can wrangle tags")]

    def __str__(self) -> str:
        return f"{self.action} {self.tag}"
