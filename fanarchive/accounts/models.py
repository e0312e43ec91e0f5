"""Accounts: the User (custom from the first migration), its pseuds and preferences."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone


class User(AbstractUser):
    """An account. `is_imported` marks accounts created by an import for creators of imported
    works: they have no usable password and wait to be handed to their owners."""

    is_imported = models.BooleanField(default=False)

    class Meta:
        db_table = "accounts_user"

    def default_pseud(self) -> Pseud:
        return self.pseuds.get(is_default=True)


class Pseud(models.Model):
    """A name an account writes under. Every account has exactly one default pseud."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="pseuds")
    name = models.CharField(max_length=40)
    is_default = models.BooleanField(default=False)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_default", "name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="pseud_unique_name_per_user"),
            models.UniqueConstraint(
                fields=["user"], condition=Q(is_default=True), name="pseud_one_default_per_user"
            ),
        ]

    def __str__(self) -> str:
        return self.byline

    @property
    def byline(self) -> str:
        """AO3's byline: `pseud (login)`, or just the login when they are the same."""
        login = self.user.username
        return login if self.name == login else f"{self.name} ({login})"


class Preference(models.Model):
    """An account's reading and site preferences (AO3's Preference). Guests and accounts without a
    row get an unsaved default instance from `selectors.preferences_for`."""

    class Theme(models.TextChoices):
        LIGHT = "light", "Light"
        DARK = "dark", "Dark"

    FONT_SIZE_MIN = 80
    FONT_SIZE_MAX = 200
    FONT_SIZES = (80, 90, 100, 110, 120, 130, 140, 150, 160, 170, 180, 190, 200)
    # What the account's owner edits on the preferences page (everything but the user).
    EDITABLE = (
        "view_adult",
        "hide_warnings",
        "hide_freeform",
        "view_full_work",
        "theme",
        "font_size",
        "history_enabled",
        "comment_emails_off",
        "subscription_emails_off",
        "kudos_emails_off",
    )

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="preference")
    view_adult = models.BooleanField(
        default=False, help_text="Show adult works without asking first."
    )
    hide_warnings = models.BooleanField(
        default=False, help_text="Hide archive warnings (they can be revealed)."
    )
    hide_freeform = models.BooleanField(
        default=False, help_text="Hide additional tags (they can be revealed)."
    )
    view_full_work = models.BooleanField(
        default=False, help_text="Show the entire work by default, not one chapter."
    )
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.LIGHT)
    font_size = models.PositiveSmallIntegerField(
        default=100,
        validators=[MinValueValidator(FONT_SIZE_MIN), MaxValueValidator(FONT_SIZE_MAX)],
        help_text="Text size, in percent of the normal size.",
    )
    history_enabled = models.BooleanField(default=True, help_text="Keep a reading history.")
    # Which notifications also come by email (the inbox always has them); AO3's settings.
    comment_emails_off = models.BooleanField(
        "Turn off emails about comments",
        default=False,
        help_text="Comments on your works and replies to your comments stay in your inbox.",
    )
    subscription_emails_off = models.BooleanField(
        "Turn off emails about subscriptions",
        default=False,
        help_text="New chapters and works you subscribed to stay in your inbox.",
    )
    kudos_emails_off = models.BooleanField(
        "Turn off emails about kudos",
        default=True,
        help_text="Kudos on your works stay in your inbox.",
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(font_size__gte=80) & Q(font_size__lte=200),
                name="preference_font_size_range",
            ),
            models.CheckConstraint(
                condition=Q(theme__in=["light", "dark"]), name="preference_theme_known"
            ),
        ]

    def __str__(self) -> str:
        return f"Preferences of {self.user_id}"

    @property
    def font_class(self) -> str:
        """The CSS class for the font size, rounded to the nearest step of 10: `font-110`."""
        step = round(self.font_size / 10.0) * 10
        return f"font-{min(max(step, self.FONT_SIZE_MIN), self.FONT_SIZE_MAX)}"


class Invitation(models.Model):
    """An invitation to create an account, made by an administrator. Only a hash of its token is
    kept: the link is shown (and mailed) once, when it is made or renewed. Single use."""

    email = models.EmailField(blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="invitations_used"
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Invitation for {self.email or 'anyone'}"

    def state(self, now: datetime | None = None) -> str:
        """One of "used", "expired" or "valid"."""
        if self.used_at is not None:
            return "used"
        if self.expires_at <= (now or timezone.now()):
            return "expired"
        return "valid"
