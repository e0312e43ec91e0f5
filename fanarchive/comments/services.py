"""Writes of the comments app: leave, reply, edit, delete, freeze, approve.

Every change of whether a comment counts (approved and not deleted) moves the work's `comments`
counter through `works.counts.counts_add`, in the same transaction. Notifications go through
`inbox.services.notify`: a new comment tells the work's creators, a reply tells the author of
the comment it answers (an account), never anyone about their own comment.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fanarchive.accounts.models import Pseud, User
from fanarchive.core.ratelimit import RateDecision, rate_limit_hit
from fanarchive.core.text import html_to_text
from fanarchive.inbox.services import notify
from fanarchive.works.counts import counts_add
from fanarchive.works.models import Chapter, Creatorship, Work
from fanarchive.works.permissions import is_creator
from fanarchive.works.signals import work_counts_changed

from .models import Comment

if TYPE_CHECKING:
    from fanarchive.works.permissions import Viewer

# New accounts (and guests) may leave this many comments in this many seconds. AO3's rule for
# new accounts is 3 comments in 15 minutes; "new" is decided here as younger than 7 days.
COMMENT_LIMIT = 3
COMMENT_WINDOW = 15 * 60
NEW_ACCOUNT_DAYS = 7


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def is_new_account(user: User, *, now: datetime | None = None) -> bool:
    days = _setting("FANARCHIVE_COMMENT_NEW_ACCOUNT_DAYS", NEW_ACCOUNT_DAYS)
    now = now or timezone.now()
    return user.date_joined > now - timedelta(days=days)


def comment_rate_check(*, viewer: Viewer, ip: str) -> RateDecision | None:
    """Count one comment of a new account (keyed on the account) or a guest (keyed on the
    client address); the decision, or None when the viewer is not limited (older accounts)."""
    if viewer.is_authenticated:
        if not is_new_account(viewer):  # type: ignore[arg-type]
            return None
        key = f"user-{viewer.pk}"
    else:
        key = "ip-" + hashlib.sha256(ip.encode()).hexdigest()[:32]
    return rate_limit_hit(
        scope="comment",
        key=key,
        limit=_setting("FANARCHIVE_COMMENT_LIMIT", COMMENT_LIMIT),
        window=_setting("FANARCHIVE_COMMENT_WINDOW", COMMENT_WINDOW),
    )


@dataclass(frozen=True)
class Commenter:
    """Who leaves a comment: an account's pseud, or a guest's name and email."""

    pseud: Pseud | None = None
    guest_name: str = ""
    guest_email: str = ""


def excerpt(comment: Comment, length: int = 200) -> str:
    """A short plain-text excerpt of a comment (for notifications)."""
    text = " ".join(html_to_text(comment.content).split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def permalink(comment: Comment) -> str:
    return reverse("comments:detail", args=[comment.pk])


def _creator_users(work: Work) -> list[User]:
    ids = Creatorship.objects.filter(work=work).values("pseud__user_id")
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _where(work: Work) -> str:
    return f'"{work.title}"'


def _notify_new(comment: Comment, work: Work) -> None:
    """Tell the creators of a new comment, and the parent's author of a reply (once each; a
    creator whose comment was answered gets the reply notice)."""
    text = excerpt(comment)
    url = permalink(comment)
    who = comment.byline
    reply_to = _reply_recipient(comment) if not comment.unreviewed else None
    for user in _creator_users(work):
        if user.pk == comment.user_id or (reply_to is not None and user.pk == reply_to.pk):
            continue
        held = " (awaiting your approval)" if comment.unreviewed else ""
        notify(
            user,
            kind="comment",
            subject=f"{who} left a comment on {_where(work)}{held}",
            text=text,
            url=url,
        )
    if reply_to is not None:
        _notify_reply(comment, work, reply_to)


def _reply_recipient(comment: Comment) -> User | None:
    parent = comment.parent
    if parent is None or parent.user_id is None or parent.user_id == comment.user_id:
        return None
    return parent.user


def _notify_reply(comment: Comment, work: Work, user: User) -> None:
    notify(
        user,
        kind="reply",
        subject=f"{comment.byline} replied to your comment on {_where(work)}",
        text=excerpt(comment),
        url=permalink(comment),
    )


@transaction.atomic
def comment_create(
    *,
    work: Work,
    chapter: Chapter,
    author: Viewer,
    commenter: Commenter,
    content: str,
    parent: Comment | None = None,
) -> Comment:
    """Leave a comment (or, with `parent`, a reply). `content` is already sanitized HTML; the
    caller has checked `permissions.comment_refusal`. On a work with moderated comments it is
    held for review unless one of the work's creators wrote it."""
    if chapter.work_id != work.pk or (parent is not None and parent.work_id != work.pk):
        raise ValueError("the chapter and the parent comment must belong to the work")
    user = author if author.is_authenticated else None
    held = work.moderated_comments and not is_creator(author, work)
    comment = Comment.objects.create(
        work=work,
        chapter=chapter if parent is None else parent.chapter,
        parent=parent,
        thread_id=parent.thread_id if parent is not None else None,
        user=user,
        pseud=commenter.pseud if user is not None else None,
        guest_name="" if user is not None else commenter.guest_name.strip(),
        guest_email="" if user is not None else commenter.guest_email.strip(),
        content=content,
        unreviewed=held,
    )
    if parent is None:
        Comment.objects.filter(pk=comment.pk).update(thread=comment)
        comment.thread_id = comment.pk
    if comment.counts:
        counts_add(work.pk, comments=1)
    _notify_new(comment, work)
    return comment


def _page_changed(work_id: int) -> None:
    """A change readers see on the work page that moves no counter (an edit, a freeze): named
    in the search change log like a counter change, so kept guest pages of the work
    (search/page_cache.py) are dropped."""
    work_counts_changed.send(sender=Comment, work_ids=[work_id])


@transaction.atomic
def comment_edit(*, comment: Comment, content: str) -> Comment:
    """Change a comment's text (its author's edit: AO3 shows "Last Edited")."""
    comment.content = content
    comment.edited_at = timezone.now()
    comment.save(update_fields=["content", "edited_at"])
    if not comment.unreviewed:
        _page_changed(comment.work_id)
    return comment


@transaction.atomic
def comment_delete(*, comment: Comment) -> bool:
    """Delete a comment. With replies it stays as a placeholder ("(Previous comment
    deleted.)", its text gone) under which the replies remain; without, it is removed, and so
    is any placeholder above it left with no replies. Returns whether a placeholder remains."""
    current = Comment.objects.select_for_update().filter(pk=comment.pk).first()
    if current is None or current.deleted:
        return bool(current)
    counted = current.counts
    placeholder = current.replies.exists()
    if placeholder:
        current.deleted = True
        current.content = ""
        current.save(update_fields=["deleted", "content"])
    else:
        parent = current.parent
        current.delete()
        while parent is not None and parent.deleted and not parent.replies.exists():
            above = parent.parent
            parent.delete()
            parent = above
    if counted:
        counts_add(current.work_id, comments=-1)
    return placeholder


def _subtree_ids(comment: Comment) -> list[int]:
    """The ids of `comment` and every comment below it (one query over its thread)."""
    children: dict[int, list[int]] = {}
    rows = Comment.objects.filter(thread_id=comment.thread_id).values_list("pk", "parent_id")
    for pk, parent_id in rows:
        if parent_id is not None:
            children.setdefault(parent_id, []).append(pk)
    ids, todo = [], [comment.pk]
    while todo:
        pk = todo.pop()
        ids.append(pk)
        todo.extend(children.get(pk, []))
    return ids


@transaction.atomic
def comment_freeze(*, comment: Comment, frozen: bool = True) -> int:
    """Freeze (or unfreeze) a comment and everything below it: no new replies there. Returns
    how many comments changed."""
    changed = Comment.objects.filter(pk__in=_subtree_ids(comment)).update(frozen=frozen)
    _page_changed(comment.work_id)
    return changed


@transaction.atomic
def comment_approve(*, comment: Comment) -> bool:
    """Approve a held comment: it becomes public and counts. Returns False if it was not held."""
    changed = Comment.objects.filter(pk=comment.pk, unreviewed=True).update(unreviewed=False)
    if not changed:
        return False
    comment.unreviewed = False
    if comment.counts:
        counts_add(comment.work_id, comments=1)
    # The parent's author hears of a held reply once it is public; a creator was already told
    # of it when it came in.
    reply_to = _reply_recipient(comment)
    if reply_to is not None and reply_to not in _creator_users(comment.work):
        _notify_reply(comment, comment.work, reply_to)
    return True
