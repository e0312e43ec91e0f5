"""Comments on chapters (a work's comments are its chapters' comments), threaded.

A comment is left by an account (under one of its pseuds) or by a guest (a name and an email
address, the address never shown publicly). Its text is sanitized HTML (the rules of work text).
`thread` is the top comment of its thread (itself for a top comment), so a whole thread is one
indexed lookup; `parent` is the comment it answers.

- `deleted`: a comment that had replies when it was deleted stays as a placeholder
  ("(Previous comment deleted.)") under which the replies remain; its text is blanked. A comment
  without replies is removed outright.
- `unreviewed`: held on a work with moderated comments until one of its creators approves it;
  seen only by the creators and its author until then.
- `frozen`: no new replies under this comment (AO3 freezes a comment and everything below it).

Only approved, not deleted comments count in the work's `comments` counter (WorkStats).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from fanarchive.accounts.models import Pseud
from fanarchive.works.models import Chapter, Work

# AO3's comment limit (characters of what the commenter typed).
COMMENT_MAX = 10_000


class Comment(models.Model):
    work = models.ForeignKey(Work, on_delete=models.CASCADE, related_name="comments")
    chapter = models.ForeignKey(Chapter, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    # The top comment of the thread (itself for a top comment; set right after it is created).
    thread = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    pseud = models.ForeignKey(
        Pseud, on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    guest_name = models.CharField(max_length=100, blank=True)
    guest_email = models.EmailField(blank=True)  # never shown publicly
    content = models.TextField(blank=True)  # sanitized HTML
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    deleted = models.BooleanField(default=False)
    unreviewed = models.BooleanField(default=False)
    frozen = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["work", "created_at"], name="comment_work_created"),
            models.Index(fields=["chapter", "created_at"], name="comment_chapter_created"),
            models.Index(fields=["thread"], name="comment_thread"),
            models.Index(
                fields=["work"], condition=Q(unreviewed=True), name="comment_work_unreviewed"
            ),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.chapter_id}"

    @property
    def is_guest(self) -> bool:
        return self.user_id is None and bool(self.guest_name)

    @property
    def byline(self) -> str:
        """Who wrote it, as shown: the pseud's byline, a guest's name with "(Guest)", or a
        placeholder when the account is gone."""
        if self.pseud_id is not None:
            return self.pseud.byline  # type: ignore[union-attr]
        if self.user_id is not None:
            return self.user.username  # type: ignore[union-attr]
        if self.guest_name:
            return f"{self.guest_name} (Guest)"
        return "(Account deleted)"

    @property
    def counts(self) -> bool:
        """Whether this comment counts in the work's `comments` counter."""
        return not self.deleted and not self.unreviewed
