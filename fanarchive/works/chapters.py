"""Chapter writes: add, edit, post, schedule, reorder and delete a work's chapters.

Every write here keeps the work's derived figures consistent, in the same transaction:

- `chapter_count` and `word_count`: the posted chapters (drafts and scheduled chapters count
  once they are posted);
- `updated`: the newest publication date of a posted chapter (never before `published`);
- `expected_chapters` and `complete`, AO3's rule: the writer gives the expected number of
  chapters on the chapter form ("?" or blank for unknown); a number below the number of
  chapters the work has (drafts included) means unknown. The work is complete exactly when
  the number of posted chapters equals the expected number — so posting chapter 3 of 3 marks
  it complete because the writer said there would be 3, and a "?" keeps it a work in progress.
  Deleting a chapter keeps the expected number (3/3 becomes 2/3, a work in progress again).

Each write ends with `works_changed` (search, downloads follow it). Positions run 1..n over
all of a work's chapters, drafts included; readers number the chapters they can see.

Who may call these is decided by the views (the work's creators); the services trust them.
"""

from __future__ import annotations

import datetime
import logging
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Sum
from django.utils import timezone

from fanarchive.core.sanitize import sanitize_html
from fanarchive.core.text import text_to_html

from .models import Chapter, Work
from .services import html_word_count
from .signals import chapter_posted, works_changed

try:  # Django 6 ships the tasks framework
    from django.tasks import task  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Django 5.2: the backport
    from django_tasks import task

logger = logging.getLogger(__name__)


class _Keep:
    """The expected number of chapters is left as it is."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Final = _Keep()

TITLE_MAX = 255


@dataclass(frozen=True)
class ChapterContent:
    """What a writer types for a chapter. `text` is HTML, or plain text when `plain` (blank
    lines separate paragraphs). Everything is sanitized when stored; titles are plain text."""

    text: str
    title: str = ""
    summary: str = ""
    notes: str = ""
    end_notes: str = ""
    plain: bool = False


_BLOCK_TAG = re.compile(r"<\s*(p|div|br|blockquote|h[1-6]|ul|ol|table|pre|hr|center)\b", re.I)
_BLANK_LINES = re.compile(r"\n[ \t\u00a0]*\n")


def chapter_html(text: str, *, plain: bool = False) -> str:
    """The stored HTML of a chapter's text: plain text becomes escaped paragraphs; HTML without
    any block element gets paragraphs from its blank lines and line breaks from its single
    newlines (AO3 does the same for pasted text); then sanitized."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if plain:
        return text_to_html(text)
    if not _BLOCK_TAG.search(text):
        paragraphs = [p.strip() for p in _BLANK_LINES.split(text) if p.strip()]
        text = "\n".join("<p>" + "<br />\n".join(p.split("\n")) + "</p>" for p in paragraphs)
    return sanitize_html(text)


def _check_content(content: ChapterContent) -> None:
    errors: dict[str, str] = {}
    text = content.text if content.plain else re.sub(r"<[^>]*>", "", content.text)
    if not text.strip():
        errors["text"] = "A chapter needs some text."
    if len(content.title.strip()) > TITLE_MAX:
        errors["title"] = f"The chapter title can be at most {TITLE_MAX} characters long."
    if errors:
        raise ValidationError(errors)


def _fill(chapter: Chapter, content: ChapterContent) -> None:
    chapter.title = " ".join(content.title.split())
    chapter.summary = sanitize_html(content.summary) if content.summary.strip() else ""
    chapter.notes = sanitize_html(content.notes) if content.notes.strip() else ""
    chapter.end_notes = sanitize_html(content.end_notes) if content.end_notes.strip() else ""
    chapter.text = chapter_html(content.text, plain=content.plain)
    chapter.word_count = html_word_count(chapter.text)


def _lock(work: Work) -> Work:
    """The work's row, locked for the rest of the transaction (chapter writes to one work
    queue behind each other, so positions and counts never race)."""
    return Work.objects.select_for_update().get(pk=work.pk)


def _expected(value: int | _Keep | None, work: Work, total: int) -> int | None:
    """AO3's `wip_length=`: a number below the number of chapters means unknown."""
    if isinstance(value, _Keep):
        value = work.expected_chapters
    if value is not None and value >= max(total, 1):
        return value
    return None


def _refresh(work: Work, *, expected: int | _Keep | None = KEEP, dates: bool = True) -> None:
    """Recompute and save the work's chapter figures; send `works_changed`."""
    chapters = Chapter.objects.filter(work=work)
    total = chapters.count()
    posted = chapters.filter(posted=True).aggregate(
        words=Sum("word_count"), newest=Max("published")
    )
    work.chapter_count = chapters.filter(posted=True).count()
    work.word_count = posted["words"] or 0
    work.expected_chapters = _expected(expected, work, total)
    work.complete = (
        work.expected_chapters is not None and work.chapter_count == work.expected_chapters
    )
    if dates and posted["newest"] is not None:
        work.updated = max(posted["newest"], work.published)
    work.save(
        update_fields=[
            "chapter_count",
            "word_count",
            "expected_chapters",
            "complete",
            "updated",
            "modified_at",
        ]
    )
    works_changed.send(sender=Work, work_ids=[work.pk])


def _renumber(work: Work, ordered: list[Chapter]) -> None:
    """Give `ordered` (all of the work's chapters) positions 1..n, in two steps so that the
    unique (work, position) constraint never sees two chapters in one place: first every
    chapter moves above every old position, then each to its place."""
    moves = [(c, i) for i, c in enumerate(ordered, start=1) if c.position != i]
    if not moves:
        return
    offset = max(c.position for c in ordered) + len(ordered) + 1
    ids = [c.pk for c, _i in moves]
    Chapter.objects.filter(pk__in=ids).update(position=F("position") + offset)
    for chapter, position in moves:
        Chapter.objects.filter(pk=chapter.pk).update(position=position)
        chapter.position = position


def _now() -> datetime.datetime:
    return timezone.now()


def _check_publish_at(publish_at: datetime.datetime, now: datetime.datetime) -> None:
    if publish_at <= now:
        raise ValidationError({"publish_at": "The time to post it must be in the future."})


def _schedule_task(publish_at: datetime.datetime) -> None:
    """Ask the task worker to post due chapters at `publish_at` (when the task backend can
    defer; otherwise `chapters_post_due()` is left to the `post-due` command). Queued inside
    the writer's transaction: with the database backend the task exists exactly when the
    scheduled chapter does."""
    try:
        from django_tasks import default_task_backend

        if not default_task_backend.supports_defer:
            return
        post_due_chapters.using(run_after=publish_at).enqueue()
    except Exception:  # a queue problem must not lose the writer's chapter: post-due posts it
        logger.exception("could not queue the scheduled chapter; `post-due` will post it")


# --- Writes -------------------------------------------------------------------------------------


@transaction.atomic
def chapter_add(
    *,
    work: Work,
    content: ChapterContent,
    position: int | None = None,
    expected_chapters: int | _Keep | None = KEEP,
    post: bool = True,
    publish_at: datetime.datetime | None = None,
    today: datetime.date | None = None,
) -> Chapter:
    """Add a chapter to `work` at `position` (default: last; the chapters from there on move
    down one). `post`: posted now (dated today); else a draft, or — with `publish_at` —
    scheduled: posted by `chapters_post_due` when that time has come."""
    _check_content(content)
    if publish_at is not None:
        _check_publish_at(publish_at, _now())
        post = False
    work = _lock(work)
    chapters = list(Chapter.objects.filter(work=work).order_by("position"))
    last = len(chapters) + 1
    if position is None:
        position = last
    if not 1 <= position <= last:
        raise ValidationError({"position": f"The chapter number must be between 1 and {last}."})
    chapter = Chapter(
        work=work,
        position=last + len(chapters) + 1,  # out of the way until the chapters are renumbered
        posted=post,
        publish_at=publish_at,
        published=today or timezone.localdate(),
    )
    if publish_at is not None:
        chapter.published = timezone.localdate(publish_at)
    _fill(chapter, content)
    chapter.save()
    chapters.insert(position - 1, chapter)
    _renumber(work, chapters)
    _refresh(work, expected=expected_chapters)
    if publish_at is not None:
        _schedule_task(publish_at)
    if chapter.posted:
        chapter_posted.send(sender=Chapter, work=work, chapter=chapter)
    return chapter


@transaction.atomic
def chapter_update(
    *,
    chapter: Chapter,
    content: ChapterContent,
    expected_chapters: int | _Keep | None = KEEP,
) -> Chapter:
    """Change a chapter's title, summary, notes and text (its posting state stays)."""
    _check_content(content)
    work = _lock(chapter.work)
    chapter = Chapter.objects.get(pk=chapter.pk, work=work)
    _fill(chapter, content)
    chapter.save()
    _refresh(work, expected=expected_chapters, dates=False)
    return chapter


@transaction.atomic
def chapter_post(*, chapter: Chapter, today: datetime.date | None = None) -> Chapter:
    """Post a draft or scheduled chapter now, dated today; a posted chapter stays as it is."""
    work = _lock(chapter.work)
    chapter = Chapter.objects.get(pk=chapter.pk, work=work)
    if chapter.posted:
        return chapter
    chapter.posted = True
    chapter.publish_at = None
    chapter.published = today or timezone.localdate()
    chapter.save(update_fields=["posted", "publish_at", "published", "modified_at"])
    _refresh(work)
    chapter_posted.send(sender=Chapter, work=work, chapter=chapter)
    return chapter


@transaction.atomic
def chapter_save_draft(*, chapter: Chapter, publish_at: datetime.datetime | None = None) -> Chapter:
    """Keep an unposted chapter a draft, scheduled for `publish_at` or (None) not scheduled.
    A posted chapter cannot go back to being a draft."""
    work = _lock(chapter.work)
    chapter = Chapter.objects.get(pk=chapter.pk, work=work)
    if chapter.posted:
        raise ValidationError("A posted chapter cannot be made a draft again.")
    if publish_at is not None:
        _check_publish_at(publish_at, _now())
        chapter.published = timezone.localdate(publish_at)
    chapter.publish_at = publish_at
    chapter.save(update_fields=["publish_at", "published", "modified_at"])
    if publish_at is not None:
        _schedule_task(publish_at)
    return chapter


class PositionsError(ValidationError):
    """The positions given for a reorder do not number the chapters 1..n."""


def _label(chapter: Chapter) -> str:
    return f"Chapter {chapter.position} “{chapter.title}”" if chapter.title else str(chapter)


@transaction.atomic
def chapters_reorder(*, work: Work, positions: Mapping[int, int]) -> list[Chapter]:
    """Put the work's chapters in a new order: `positions` maps every chapter id to its new
    position, 1..n with each number once. Raises PositionsError naming what is wrong."""
    work = _lock(work)
    chapters = list(Chapter.objects.filter(work=work).order_by("position"))
    by_id = {c.pk: c for c in chapters}
    n = len(chapters)
    problems = []
    unknown = sorted(set(positions) - set(by_id))
    if unknown:
        problems.append("Some chapters are not chapters of this work; reload the page.")
    left_out = [c for c in chapters if c.pk not in positions]
    if left_out:
        problems.append(
            "Every chapter needs a position; none was given for "
            + ", ".join(_label(c) for c in left_out)
            + "."
        )
    holders: dict[int, list[Chapter]] = {}
    for chapter_id, position in positions.items():
        if chapter_id not in by_id:
            continue
        if not 1 <= position <= n:
            problems.append(
                f"{_label(by_id[chapter_id])}: position {position} is out of range; use 1 to {n}."
            )
            continue
        holders.setdefault(position, []).append(by_id[chapter_id])
    for position, same in sorted(holders.items()):
        if len(same) > 1:
            problems.append(
                f"Position {position} is given to more than one chapter: "
                + " and ".join(_label(c) for c in same)
                + "."
            )
    missing = [p for p in range(1, n + 1) if p not in holders]
    if missing and not problems:
        problems.append("Positions must run from 1 to " + f"{n}; missing: {missing}.")
    elif missing:
        problems.append("No chapter was given position " + ", ".join(str(p) for p in missing) + ".")
    if problems:
        raise PositionsError(problems)
    ordered = sorted(chapters, key=lambda c: positions[c.pk])
    _renumber(work, ordered)
    _refresh(work, dates=False)
    return ordered


@transaction.atomic
def chapter_delete(*, chapter: Chapter) -> None:
    """Delete a chapter; the later ones move up. The only chapter of a work cannot be deleted
    (delete the work instead), nor the only posted chapter of a posted work (a posted work
    always has something to read)."""
    work = _lock(chapter.work)
    chapter = Chapter.objects.get(pk=chapter.pk, work=work)
    chapters = list(Chapter.objects.filter(work=work).order_by("position"))
    if len(chapters) == 1:
        raise ValidationError(
            "You can't delete the only chapter of a work. To remove it, delete the work."
        )
    if work.posted and chapter.posted and sum(c.posted for c in chapters) == 1:
        raise ValidationError(
            "You can't delete the only posted chapter of a posted work: post another one first."
        )
    gone = chapter.pk
    chapter.delete()
    _renumber(work, [c for c in chapters if c.pk != gone])
    _refresh(work)


def chapters_post_due(*, now: datetime.datetime | None = None) -> list[int]:
    """Post every scheduled chapter whose time has come (each dated the day it was due);
    returns their ids. Run by the task the scheduling queued and by `fanarchive works
    post-due`; safe to run any number of times."""
    now = now or _now()
    due = list(
        Chapter.objects.filter(posted=False, publish_at__isnull=False, publish_at__lte=now)
        .order_by("publish_at", "id")
        .values_list("pk", "publish_at")
    )
    posted = []
    for chapter_id, publish_at in due:
        with transaction.atomic():
            chapter = Chapter.objects.filter(pk=chapter_id, posted=False).first()
            if chapter is None or chapter.publish_at is None or chapter.publish_at > now:
                continue  # posted (or moved) by someone else meanwhile
            chapter_post(chapter=chapter, today=timezone.localdate(publish_at))
            posted.append(chapter_id)
    return posted


@task()
def post_due_chapters() -> int:
    """The background task queued for a scheduled chapter's time: post what is due."""
    return len(chapters_post_due())
