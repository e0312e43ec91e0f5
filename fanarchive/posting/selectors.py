"""Reads for the posting pages: a writer's pseuds and series, a work's form values, invitations."""

from __future__ import annotations

from django.db.models import QuerySet

from fanarchive.accounts.models import Pseud, User
from fanarchive.tags.models import TagType
from fanarchive.works.models import Chapter, CreatorInvitation, Series, SeriesWork, Work, WorkTag


def pseuds_of(user: User) -> list[Pseud]:
    """`user`'s pseuds, the default first."""
    return list(
        Pseud.objects.filter(user=user).select_related("user").order_by("-is_default", "name")
    )


def series_of(user: User) -> QuerySet[Series]:
    """The series `user` may add works to: those holding a work `user` is a creator of."""
    return (
        Series.objects.filter(series_works__work__creatorships__pseud__user=user)
        .distinct()
        .order_by("title", "id")
    )


def is_work_creator(user: User, work: Work) -> bool:
    return work.creatorships.filter(pseud__user=user).exists()


def work_initial(work: Work, *, user: User) -> dict[str, object]:
    """The work form's values for `work` as `user` (a creator) edits it."""
    tags: dict[str, list[str]] = {}
    for work_tag in WorkTag.objects.filter(work=work).select_related("tag").order_by("position"):
        tags.setdefault(work_tag.tag.type, []).append(work_tag.tag.name)
    chapters = list(Chapter.objects.filter(work=work).order_by("position")[:2])
    part = SeriesWork.objects.filter(work=work).select_related("series").order_by("id").first()
    pending = CreatorInvitation.objects.filter(
        work=work, state=CreatorInvitation.PENDING
    ).select_related("pseud__user")
    initial: dict[str, object] = {
        "title": work.title,
        "summary": work.summary,
        "notes": work.notes,
        "end_notes": work.end_notes,
        "language": work.language,
        "rating": (tags.get(TagType.RATING) or [""])[0],
        "warnings": tags.get(TagType.WARNING, []),
        "categories": tags.get(TagType.CATEGORY, []),
        "fandoms": ", ".join(tags.get(TagType.FANDOM, [])),
        "relationships": ", ".join(tags.get(TagType.RELATIONSHIP, [])),
        "characters": ", ".join(tags.get(TagType.CHARACTER, [])),
        "freeforms": ", ".join(tags.get(TagType.FREEFORM, [])),
        "pseuds": [
            str(pk)
            for pk in work.creatorships.filter(pseud__user=user).values_list("pseud_id", flat=True)
        ],
        "co_creators": ", ".join(sorted({i.pseud.user.username for i in pending})),
        "restricted": work.restricted,
        "comment_permission": work.comment_permission,
        "moderated_comments": work.moderated_comments,
        "expected_chapters": "" if work.expected_chapters is None else str(work.expected_chapters),
        "series_existing": str(part.series_id) if part else "",
        "series_position": str(part.position) if part else "",
        "text_format": "html",
        "publish_at": work.publish_at,
    }
    if len(chapters) == 1:
        initial["chapter_title"] = chapters[0].title
        initial["chapter_text"] = chapters[0].text
    return initial


def invitations_for(user: User) -> QuerySet[CreatorInvitation]:
    """`user`'s co-creator invitations, pending ones first, newest first."""
    return (
        CreatorInvitation.objects.filter(pseud__user=user)
        .select_related("work", "pseud", "invited_by")
        .order_by("-state", "-created_at", "-id")
    )


def drafts_of(user: User) -> list[Work]:
    """`user`'s unposted works, newest first (scheduled ones included)."""
    return list(
        Work.objects.filter(posted=False, creatorships__pseud__user=user)
        .distinct()
        .order_by("-created_at", "-id")
    )
