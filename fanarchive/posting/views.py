"""Posting views: the work form (new, edit), draft preview and posting, deleting a work, and a
writer's co-creator invitations. Thin: the form checks, the works services write, the gate
(`access_work`) decides who may see a work; only its creators may change it."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from fanarchive.accounts.models import User
from fanarchive.tags.services import TagTypeConflict
from fanarchive.works.models import Chapter, CreatorInvitation, Work
from fanarchive.works.permissions import access_work, is_creator
from fanarchive.works.selectors import work_reading
from fanarchive.works.services import (
    ChapterDraft,
    SeriesPlacement,
    WorkDraft,
    creator_invitation_respond,
    work_post,
    work_publish,
    work_update,
    works_delete,
)

from .forms import ACTION_DRAFT, ACTION_POST, Submission, WorkForm
from .selectors import drafts_of, invitations_for, work_initial


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # the views are behind login_required
    return user


def _own_work(request: HttpRequest, work_id: int) -> Work:
    """The work, if the viewer is one of its creators: others get the gate's 404 (a draft or
    hidden work they may not know of) or 403 (a work they may read but not change)."""
    work = access_work(request.user, work_id)
    if not is_creator(request.user, work):
        raise PermissionDenied("Only the work's creators can change it.")
    return work


def _own_page(request: HttpRequest, login: str) -> User:
    user = _user(request)
    if user.username != login:
        raise Http404("No such page")  # another account's drafts and invitations are private
    return user


def _draft_of(sub: Submission, *, posted: bool, today: Any) -> WorkDraft:
    chapters = [ChapterDraft(text=sub.chapter_text, title=sub.chapter_title)]
    return WorkDraft(
        title=sub.title,
        creators=sub.pseuds,
        chapters=chapters if sub.chapter_text else [],
        published=today,
        language=sub.language,
        summary=sub.summary,
        notes=sub.notes,
        end_notes=sub.end_notes,
        complete=sub.expected_chapters == 1,
        expected_chapters=sub.expected_chapters,
        restricted=sub.restricted,
        posted=posted,
        publish_at=None if posted else sub.publish_at,
        comment_permission=sub.comment_permission,
        moderated_comments=sub.moderated_comments,
    )


def _placement(sub: Submission) -> SeriesPlacement | None:
    if sub.series is None and not sub.series_title:
        return None
    return SeriesPlacement(series=sub.series, title=sub.series_title, position=sub.series_position)


def _render_form(
    request: HttpRequest, form: WorkForm, *, work: Work | None = None, status: int = 200
) -> HttpResponse:
    if form.is_bound:
        form.mark_errors()
    context = {
        "form": form,
        "work": work,
        "errors": form.error_list() if form.is_bound else [],
        "editing": work is not None,
        "is_draft": work is None or not work.posted,
    }
    return render(request, "posting/work_form.html", context, status=status)


def _after_save(request: HttpRequest, work: Work, action: str) -> HttpResponse:
    if work.posted:
        messages.success(request, "Work was successfully posted.")
        return redirect("works:work", work_id=work.pk)
    if work.publish_at is not None:
        when = timezone.localtime(work.publish_at).strftime("%Y-%m-%d %H:%M %Z")
        messages.success(request, f"Your work is scheduled: it will be posted at {when}.")
    elif action == ACTION_DRAFT:
        messages.success(request, "Draft saved. Only you (and its creators) can see it.")
    return redirect("posting:preview", work_id=work.pk)


@login_required
@require_http_methods(["GET", "POST"])
def work_new(request: HttpRequest) -> HttpResponse:
    """AO3's Post New Work form."""
    user = _user(request)
    if request.method != "POST":
        return _render_form(request, WorkForm(user=user))
    form = WorkForm(request.POST, user=user)
    if not form.is_valid():
        return _render_form(request, form, status=400)
    sub = form.submission()
    posted = sub.action == ACTION_POST and sub.publish_at is None
    try:
        work = work_post(
            draft=_draft_of(sub, posted=posted, today=timezone.localdate()),
            tag_names=[*sub.fixed_tags, *sub.user_tags],
            series=_placement(sub),
            invite=sub.co_creators,
            invited_by=user,
        )
    except (TagTypeConflict, ValueError, ValidationError) as exc:
        form.add_error(None, str(exc.messages[0]) if isinstance(exc, ValidationError) else str(exc))
        return _render_form(request, form, status=400)
    return _after_save(request, work, sub.action)


@login_required
@require_http_methods(["GET", "POST"])
def work_edit(request: HttpRequest, work_id: int) -> HttpResponse:
    """The same form over an existing work, for its creators."""
    user = _user(request)
    work = _own_work(request, work_id)
    total = Chapter.objects.filter(work=work).count()
    options: dict[str, Any] = {
        "user": user,
        "work_posted": work.posted,
        "with_chapter": total == 1,
        "chapter_total": total,
    }
    if request.method != "POST":
        form = WorkForm(initial=work_initial(work, user=user), **options)
        return _render_form(request, form, work=work)
    form = WorkForm(request.POST, **options)
    if not form.is_valid():
        return _render_form(request, form, work=work, status=400)
    sub = form.submission()
    posted = work.posted or (sub.action == ACTION_POST and sub.publish_at is None)
    draft = _draft_of(sub, posted=posted, today=work.published)
    try:
        work = work_update(
            work=work,
            editor=user,
            draft=draft,
            tag_names=[*sub.fixed_tags, *sub.user_tags],
            series=_placement(sub),
            invite=sub.co_creators,
        )
    except (TagTypeConflict, ValueError, ValidationError) as exc:
        form.add_error(None, str(exc.messages[0]) if isinstance(exc, ValidationError) else str(exc))
        return _render_form(request, form, work=work, status=400)
    if work.posted:
        messages.success(request, "Work was successfully updated.")
        return redirect("works:work", work_id=work.pk)
    return _after_save(request, work, sub.action)


@login_required
@require_http_methods(["GET"])
def work_preview(request: HttpRequest, work_id: int) -> HttpResponse:
    """A draft as it will look (and any work of one's own), with Post, Edit and Delete."""
    work = _own_work(request, work_id)
    reading = work_reading(viewer=request.user, work=work)
    context = {
        "reading": reading,
        "meta": reading.meta,
        "work": work,
        "full": True,
        "chapters": reading.chapters,
    }
    return render(request, "posting/preview.html", context)


@login_required
@require_POST
def work_post_draft(request: HttpRequest, work_id: int) -> HttpResponse:
    """Post a draft now (a scheduled one too: now instead of later)."""
    work = _own_work(request, work_id)
    if work.posted:
        messages.info(request, "This work is already posted.")
    else:
        work_publish(work=work)
        messages.success(request, "Work was successfully posted.")
    return redirect("works:work", work_id=work.pk)


@login_required
@require_http_methods(["GET", "POST"])
def work_delete(request: HttpRequest, work_id: int) -> HttpResponse:
    """AO3's "Are you sure you want to delete …?" page; POST deletes."""
    work = _own_work(request, work_id)
    if request.method != "POST":
        return render(request, "posting/work_delete.html", {"work": work})
    title = work.title
    works_delete(work_ids=[work.pk])
    messages.success(request, f"Your work {title} was deleted.")
    return redirect("works:user_works", login=_user(request).username)


@login_required
@require_http_methods(["GET"])
def drafts(request: HttpRequest, login: str) -> HttpResponse:
    """AO3's Drafts page: the account's unposted works, scheduled ones with their time."""
    user = _own_page(request, login)
    return render(request, "posting/drafts.html", {"drafts": drafts_of(user), "profile_user": user})


# --- Co-creator invitations ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def creator_invitations(request: HttpRequest, login: str) -> HttpResponse:
    user = _own_page(request, login)
    invitations = list(invitations_for(user))
    # A link to the work only where the invited account may open it.
    visible = {
        i.work_id
        for i in invitations
        if (i.work.posted and not i.work.hidden_by_admin) or i.state == CreatorInvitation.ACCEPTED
    }
    return render(
        request,
        "posting/creator_invitations.html",
        {"invitations": invitations, "linkable": visible, "profile_user": user},
    )


@login_required
@require_POST
def creator_invitation_answer(request: HttpRequest, login: str, invitation_id: int) -> HttpResponse:
    user = _own_page(request, login)
    invitation = get_object_or_404(invitations_for(user), pk=invitation_id)
    answer = request.POST.get("answer")
    if answer not in ("accept", "decline"):
        messages.error(request, "Answer: choose Accept or Decline.")
        return redirect("posting:creator_invitations", login=login)
    try:
        creator_invitation_respond(invitation=invitation, user=user, accept=answer == "accept")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("posting:creator_invitations", login=login)
    if answer == "accept":
        messages.success(request, f"You are now listed as a creator of {invitation.work.title}.")
    else:
        messages.success(request, f"You declined to be a creator of {invitation.work.title}.")
    return redirect(reverse("posting:creator_invitations", kwargs={"login": login}))
