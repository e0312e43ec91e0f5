"""Reads of the comments app: a work's (or a chapter's) comments as threads, a comment's own
thread, a work's held comments. Works come through the works gate (`access_work`) first."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from fanarchive.search.models import ExcludedCreator
from fanarchive.works.models import Chapter, Work
from fanarchive.works.permissions import is_creator

from . import permissions
from .models import Comment

if TYPE_CHECKING:
    from fanarchive.works.permissions import Viewer


@dataclass
class CommentNode:
    """A comment as shown, with what the viewer may do to it and the replies below it."""

    comment: Comment
    replies: list[CommentNode] = field(default_factory=list)
    can_reply: bool = False
    can_edit: bool = False
    can_delete: bool = False
    can_freeze: bool = False
    can_approve: bool = False


def _comments(work: Work) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(work=work)
        .select_related("pseud__user", "user", "chapter")
        .order_by("created_at", "id")
    )


def muted_user_ids(viewer: Viewer) -> set[int]:
    """The accounts `viewer` muted (the search app's ExcludedCreator): their comments are
    hidden from this reader, with the replies under them."""
    if not viewer.is_authenticated:
        return set()
    return set(ExcludedCreator.objects.filter(user=viewer).values_list("creator_id", flat=True))


def build_threads(
    viewer: Viewer, work: Work, comments: Iterable[Comment], *, root_id: int | None = None
) -> list[CommentNode]:
    """Nest `comments` (in date order) into threads, leaving out what `viewer` may not see
    (held comments of others, comments of muted accounts and everything under them). With
    `root_id`, the list holds that comment only, with its replies."""
    creator = is_creator(viewer, work)
    moderator = permissions.can_moderate(viewer, work)
    muted = muted_user_ids(viewer)
    may_reply = permissions.comment_refusal(viewer, work) is None
    nodes: dict[int, CommentNode] = {}
    tops: list[CommentNode] = []
    for comment in comments:
        if comment.user_id in muted or not permissions.can_see(viewer, comment, work):
            continue
        above = nodes.get(comment.parent_id) if comment.parent_id is not None else None
        if comment.parent_id is not None and above is None and comment.pk != root_id:
            continue  # under a comment left out (muted, or not in this view)
        node = CommentNode(
            comment=comment,
            can_reply=may_reply
            and comment.chapter.posted
            and permissions.reply_refusal(comment) is None,
            can_edit=permissions.can_edit(viewer, comment),
            can_delete=permissions.can_delete(viewer, comment, work),
            can_freeze=moderator,
            can_approve=creator and comment.unreviewed,
        )
        nodes[comment.pk] = node
        if root_id is not None:
            if comment.pk == root_id:
                tops.append(node)
            elif above is not None:
                above.replies.append(node)
        elif above is None:
            tops.append(node)
        else:
            above.replies.append(node)
    return tops


def work_threads(viewer: Viewer, work: Work, chapter: Chapter | None = None) -> list[CommentNode]:
    """The comments on one chapter, or (chapter None) on the whole work, as threads."""
    comments = _comments(work)
    if chapter is not None:
        comments = comments.filter(chapter=chapter)
    return build_threads(viewer, work, comments)


def comment_thread(viewer: Viewer, comment: Comment) -> list[CommentNode]:
    """A comment with every reply below it (its permalink page)."""
    work = comment.work
    rows = _comments(work).filter(thread_id=comment.thread_id)
    return build_threads(viewer, work, rows, root_id=comment.pk)


def shown_count(nodes: list[CommentNode]) -> int:
    """How many comments (placeholders of deleted ones left out) the threads show."""
    return sum((0 if n.comment.deleted else 1) + shown_count(n.replies) for n in nodes)


def unreviewed_comments(work: Work) -> QuerySet[Comment]:
    """A work's held comments, oldest first (the creators' review page)."""
    return _comments(work).filter(unreviewed=True, deleted=False)


def unreviewed_count(work: Work) -> int:
    return Comment.objects.filter(work=work, unreviewed=True, deleted=False).count()


def comment_by_id(comment_id: int) -> Comment | None:
    return (
        Comment.objects.select_related("work", "chapter", "pseud__user", "user", "parent")
        .filter(pk=comment_id)
        .first()
    )
