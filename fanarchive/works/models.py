"""Works, their chapters, creators, series and tags."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fanarchive.accounts.models import Pseud
from fanarchive.tags.models import Tag

COMMENTS_EVERYONE = "everyone"
COMMENTS_REGISTERED = "registered"
COMMENTS_NOBODY = "nobody"
COMMENT_PERMISSIONS = [
    (COMMENTS_EVERYONE, "Registered users and guests can comment"),
    (COMMENTS_REGISTERED, "Only registered users can comment"),
    (COMMENTS_NOBODY, "No one can comment"),
]


class Work(models.Model):
    """A fan work. Imported works keep their Work ID as `id`.

    `source_header` holds the header lines of the file a work was imported from, as written
    (label, value), so that exporting it gives back every line of the original.
    """

    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)  # sanitized HTML
    notes = models.TextField(blank=True)  # sanitized HTML
    end_notes = models.TextField(blank=True)  # sanitized HTML
    language = models.CharField(max_length=16, blank=True, db_index=True)  # ISO 639 code
    complete = models.BooleanField(default=False)
    # None: the number of chapters is not yet known ("2/?").
    expected_chapters = models.PositiveIntegerField(null=True, blank=True)
    # Posted chapters and their words, kept by the works services (they are listed everywhere).
    chapter_count = models.PositiveIntegerField(default=0)
    word_count = models.PositiveIntegerField(default=0)
    published = models.DateField()
    updated = models.DateField()  # the date of the latest chapter
    restricted = models.BooleanField(default=False)  # only logged-in readers see it
    posted = models.BooleanField(default=False)  # False: a draft, seen by its creators only
    hidden_by_admin = models.BooleanField(default=False)
    # Scheduled posting (AO3 lacks it): a draft with publish_at is posted when that time comes.
    publish_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Database defaults too: bulk loaders (demo, import) insert rows naming only the columns
    # they know.
    comment_permission = models.CharField(
        max_length=16,
        choices=COMMENT_PERMISSIONS,
        default=COMMENTS_EVERYONE,
        db_default=COMMENTS_EVERYONE,
    )
    moderated_comments = models.BooleanField(default=False, db_default=False)
    source_header = models.JSONField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    creators: models.ManyToManyField[Pseud, Creatorship] = models.ManyToManyField(
        Pseud, through="Creatorship", related_name="works"
    )
    tags: models.ManyToManyField[Tag, WorkTag] = models.ManyToManyField(
        Tag, through="WorkTag", related_name="works"
    )

    class Meta:
        ordering = ["-updated", "-id"]
        indexes = [
            models.Index(
                fields=["posted", "hidden_by_admin", "restricted", "-updated", "-id"],
                name="work_listing",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expected_chapters__isnull=True) | Q(expected_chapters__gte=1),
                name="work_expected_chapters_positive",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def chapters_display(self) -> str:
        """AO3's `x/y`, with `?` when the length is not yet known."""
        expected = "?" if self.expected_chapters is None else str(self.expected_chapters)
        return f"{self.chapter_count}/{expected}"


class Chapter(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="chapters")
    position = models.PositiveIntegerField()
    title = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    end_notes = models.TextField(blank=True)
    text = models.TextField()  # sanitized HTML
    word_count = models.PositiveIntegerField(default=0)
    published = models.DateField()
    posted = models.BooleanField(default=True)
    # Scheduled posting of a chapter: an unposted chapter with publish_at is posted then.
    publish_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["work", "position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "position"], name="chapter_unique_position"),
        ]

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        return (
            f"Chapter {self.position}: {self.title}" if self.title else f"Chapter {self.position}"
        )


class Creatorship(models.Model):
    """A pseud credited on a work, in byline order."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creatorships")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="creatorships")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["work", "position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="creatorship_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.pseud} on {self.work}"


class CreatorInvitation(models.Model):
    """A co-creator invitation: the invited pseud is credited on the work (a Creatorship) only
    once its account accepts (AO3's creatorship invitations)."""

    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    STATES = [(PENDING, "Pending"), (ACCEPTED, "Accepted"), (DECLINED, "Declined")]

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="creator_invitations")
    pseud = models.ForeignKey(Pseud, on_delete=models.CASCADE, related_name="creator_invitations")
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="creator_invitations_sent",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=16, choices=STATES, default=PENDING)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["work", "pseud"], name="creatorinvitation_unique"),
        ]
        indexes = [models.Index(fields=["pseud", "state"], name="creatorinvitation_pseud")]

    def __str__(self) -> str:
        return f"{self.pseud} invited to {self.work} ({self.state})"


class WorkTag(models.Model):
    """A tag a work's creators put on it, in the order they wrote them."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="work_tags")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="work_tags")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["work", "position"]
        constraints = [
            models.UniqueConstraint(fields=["work", "tag"], name="worktag_unique"),
        ]
        indexes = [models.Index(fields=["tag", "work"], name="worktag_tag_work")]

    def __str__(self) -> str:
        return f"{self.tag} on {self.work}"


class WorkFilter(models.Model):
    """What a work is filtered under (AO3's FilterTagging): the canonical form of each of its
    tags plus all their metatags, transitively. Derived from WorkTag and the wrangling tables,
    stored so that every listing is a lookup, and recomputed only by the works and tags
    services."""

    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="filters")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="work_filters")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["work", "tag"], name="workfilter_unique"),
        ]
        indexes = [models.Index(fields=["tag", "work"], name="workfilter_tag_work")]

    def __str__(self) -> str:
        return f"{self.work} under {self.tag}"


class Series(models.Model):
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    complete = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    works: models.ManyToManyField[Work, SeriesWork] = models.ManyToManyField(
        Work, through="SeriesWork", related_name="series"
    )

    class Meta:
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title


class SeriesWork(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="series_works")
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="series_works")
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["series", "position"]
        constraints = [
            models.UniqueConstraint(fields=["series", "work"], name="serieswork_unique"),
        ]

    def __str__(self) -> str:
        return f"Part {self.position} of {self.series}"


class WorkStats(models.Model):
    """A work's counters, in a row of their own so that counting a hit or a kudos never locks
    the work itself (nor anything shared, such as a tag)."""

    work = models.OneToOneField(
        Work, on_delete=models.CASCADE, primary_key=True, related_name="stats"
    )
    hits = models.PositiveIntegerField(default=0)
    kudos = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    bookmarks = models.PositiveIntegerField(default=0)
    subscriptions = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "work stats"

    def __str__(self) -> str:
        return f"stats of {self.work}"
