"""Read-only admin lists of kudos and blocks (for moderation). Kudos are never added or
deleted here: that would bypass the work's counter (works/counts.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import Block, Kudos


class _ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Kudos)
class KudosAdmin(_ReadOnly):
    list_display = ("work", "user", "created_at")
    list_select_related = ("work", "user")
    raw_id_fields = ("work", "user")
    search_fields = ("user__username", "work__title")
    exclude = ("ip_hash",)


@admin.register(Block)
class BlockAdmin(_ReadOnly):
    list_display = ("blocker", "blocked", "created_at")
    list_select_related = ("blocker", "blocked")
    raw_id_fields = ("blocker", "blocked")
    search_fields = ("blocker__username", "blocked__username")
