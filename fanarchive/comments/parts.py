"""The comments' part of the work page (the `work:feedback` place, fanarchive/core/extensions):
for one chapter its comments, for the entire work all of them, threaded, with the form for a
new comment (or why there is none)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from fanarchive.core.extensions import Part
from fanarchive.works.models import Chapter, Work

from . import permissions, selectors
from .forms import CommentForm


def _target(reading: Any, chapter: Chapter | None) -> Chapter | None:
    """The chapter a new comment from this page goes on: the one shown, or on the entire
    work the last posted chapter."""
    if chapter is not None:
        return chapter
    posted = [c for c in getattr(reading, "chapters", []) if c.posted]
    return posted[-1] if posted else None


def feedback_part(
    request: HttpRequest | None, *, work: Work, reading: Any = None, chapter: Chapter | None = None
) -> Part | None:
    if request is None:
        return None
    viewer = request.user
    nodes = selectors.work_threads(viewer, work, chapter)
    target = _target(reading, chapter)
    refusal = permissions.comment_refusal(viewer, work, target)
    form = None
    action = ""
    if refusal is None and target is not None:
        form = CommentForm(user=viewer, guest=not viewer.is_authenticated)
        action = reverse("comments:new", args=[work.pk, target.pk])
    review = permissions.can_review(viewer, work)
    context = {
        "nodes": nodes,
        "shown": selectors.shown_count(nodes),
        "comment_form": form,
        "comment_action": action,
        "comment_refusal": refusal,
        "comment_target": target,
        "multichapter": work.chapter_count > 1,
        "held": selectors.unreviewed_count(work) if review else 0,
        "can_review": review,
    }
    return Part("comments/_feedback.html", context)
