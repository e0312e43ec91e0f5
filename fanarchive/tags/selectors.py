"""Reads about tags."""

from __future__ import annotations

from .models import Tag
from .names import tag_key


def tag_by_name(name: str) -> Tag | None:
    """The tag called `name`, compared as AO3 does (case and spacing do not matter)."""
    return Tag.objects.filter(key=tag_key(name)).first()
