"""Keeping the work's `comments` counter right when a chapter goes with its comments."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.db.models.signals import pre_delete
from django.dispatch import receiver

from fanarchive.works.counts import counts_add
from fanarchive.works.models import Chapter

from .models import Comment


@receiver(pre_delete, sender=Chapter, dispatch_uid="comments_chapter_deleted")
def chapter_deleted(sender: Any, instance: Chapter, origin: Any = None, **kwargs: Any) -> None:
    """A deleted chapter takes its comments along (cascade): take the ones that counted off
    the work's counter, whether the chapter is deleted on its own or with others as a queryset
    (works.services.work_replace). Not when the whole work is being deleted (its counters go
    with it)."""
    by_chapter = isinstance(origin, Chapter) or (
        isinstance(origin, QuerySet) and origin.model is Chapter
    )
    if not by_chapter:
        return
    gone = Comment.objects.filter(chapter=instance, deleted=False, unreviewed=False).count()
    if gone:
        counts_add(instance.work_id, comments=-gone)
