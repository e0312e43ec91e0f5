"""The authentication backend: Django's, loading the account's preferences with the account
itself, so every page knows the viewer's preferences without another query."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User


class ArchiveBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:  # type: ignore[override]
        user = User._default_manager.select_related("preference").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
