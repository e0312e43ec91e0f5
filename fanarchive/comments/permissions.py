"""Who may comment where, and who may edit, delete, freeze or approve a comment.

Which works a viewer may see at all is decided by the works gate (`access_work`); these rules
come after it. The refusals are AO3's, in its words where it has them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fanarchive.social.selectors import is_blocked_from_work
from fanarchive.works.models import COMMENTS_NOBODY, COMMENTS_REGISTERED, Chapter, Work
from fanarchive.works.permissions import is_creator, is_staff

from .models import Comment

if TYPE_CHECKING:
    from fanarchive.works.permissions import Viewer

REFUSED_DRAFT = "Comments can't be left on a draft. Post the work first."
REFUSED_DRAFT_CHAPTER = "Comments can't be left on a draft chapter."
REFUSED_HIDDEN = (
    "This work has been hidden by the archive's administrators; it can't be commented on."
)
REFUSED_NOBODY = "Sorry, this work doesn't allow comments."
REFUSED_GUESTS = "Sorry, this work doesn't allow non-Archive users to comment. Please log in."
REFUSED_BLOCKED = "Sorry, you have been blocked by one or more of this work's creators."
REFUSED_PARENT_DELETED = "You can't reply to a deleted comment."
REFUSED_PARENT_FROZEN = "Sorry, you can't reply to a frozen comment."
REFUSED_PARENT_UNREVIEWED = "You can't reply to a comment that hasn't been approved yet."


def comment_refusal(
    viewer: Viewer, work: Work, chapter: Chapter | None = None, parent: Comment | None = None
) -> str | None:
    """Why `viewer` may not comment on `work` (on `chapter`, in reply to `parent`), or None
    when they may. `work` must come from `access_work` (the viewer can see it)."""
    if not work.posted:
        return REFUSED_DRAFT
    if work.hidden_by_admin:
        return REFUSED_HIDDEN
    if chapter is not None and not chapter.posted:
        return REFUSED_DRAFT_CHAPTER
    if work.comment_permission == COMMENTS_NOBODY:
        return REFUSED_NOBODY
    if work.comment_permission == COMMENTS_REGISTERED and not viewer.is_authenticated:
        return REFUSED_GUESTS
    if is_blocked_from_work(work=work, user=viewer):
        return REFUSED_BLOCKED
    if parent is not None:
        return reply_refusal(parent)
    return None


def reply_refusal(parent: Comment) -> str | None:
    """Why nobody may reply to `parent` now (deleted, frozen, held), or None."""
    if parent.deleted:
        return REFUSED_PARENT_DELETED
    if parent.frozen:
        return REFUSED_PARENT_FROZEN
    if parent.unreviewed:
        return REFUSED_PARENT_UNREVIEWED
    return None


def is_author(viewer: Viewer, comment: Comment) -> bool:
    return bool(viewer.is_authenticated and comment.user_id == viewer.pk)


def can_edit(viewer: Viewer, comment: Comment) -> bool:
    """Its author only, while it is not deleted or frozen (AO3)."""
    return is_author(viewer, comment) and not comment.deleted and not comment.frozen


def can_delete(viewer: Viewer, comment: Comment, work: Work) -> bool:
    """Its author, the work's creators (AO3 lets creators delete comments on their works) and
    staff."""
    if comment.deleted:
        return False
    return is_author(viewer, comment) or is_creator(viewer, work) or is_staff(viewer)


def can_moderate(viewer: Viewer, work: Work) -> bool:
    """Freeze and unfreeze threads: the work's creators and staff."""
    return is_creator(viewer, work) or is_staff(viewer)


def can_review(viewer: Viewer, work: Work) -> bool:
    """Approve held comments: the work's creators."""
    return is_creator(viewer, work)


def can_see(viewer: Viewer, comment: Comment, work: Work) -> bool:
    """A held (unreviewed) comment is seen only by the work's creators and its author."""
    if not comment.unreviewed:
        return True
    return is_author(viewer, comment) or is_creator(viewer, work)
