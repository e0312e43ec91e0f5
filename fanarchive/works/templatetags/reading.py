"""Reading-preference helpers for work pages and blurbs: `{% load reading %}`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template

from fanarchive.accounts.selectors import preferences_for
from fanarchive.works.views import reading_preferences

register = template.Library()


@dataclass(frozen=True)
class TagHiding:
    """Which tag groups of one work are folded away behind a "Show …" toggle."""

    warnings: bool = False
    freeforms: bool = False


_SHOW_ALL = TagHiding()


def _viewer(context: template.Context) -> Any:
    user = context.get("user")
    if user is None:
        request = context.get("request")
        user = getattr(request, "user", None)
    return user


@register.simple_tag(takes_context=True)
def tag_hiding(context: template.Context, meta: Any) -> TagHiding:
    """`{% tag_hiding meta as hiding %}`: the viewer's "hide warnings" and "hide additional
    tags" preferences for the work of `meta` (a WorkMeta). As on AO3, creators always see the
    tags of their own works. Guests have the defaults (nothing hidden)."""
    user = _viewer(context)
    if user is None or not user.is_authenticated:
        return _SHOW_ALL
    prefs = context.get("prefs")
    if prefs is None:
        request = context.get("request")
        prefs = reading_preferences(request) if request is not None else preferences_for(user)
    if not (prefs.hide_warnings or prefs.hide_freeform):
        return _SHOW_ALL
    if any(pseud.user_id == user.pk for pseud in meta.creators):
        return _SHOW_ALL
    return TagHiding(warnings=prefs.hide_warnings, freeforms=prefs.hide_freeform)
