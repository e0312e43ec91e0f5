"""Accounts: the User (custom from the first migration) and its pseuds."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q


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
