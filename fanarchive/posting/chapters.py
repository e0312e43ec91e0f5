"""Chapter management at AO3's addresses: add, edit, post, delete and reorder a work's
chapters. Creators only: a work the viewer may not see is the gate's 404 (or its log-in page
for a restricted work); a guest is sent to log in; a reader who is not a creator gets 403.

The writes are `fanarchive.works.chapters` services; these views parse a form and call one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from fanarchive.works import chapters as services
from fanarchive.works.models import Chapter, Work
from fanarchive.works.permissions import LoginRequired, access_work, is_creator

from .forms import (
    ACTION_DRAFT,
    ACTION_POST,
    ACTION_SCHEDULE,
    ACTION_UPDATE,
    ChapterForm,
    ReorderForm,
)

# --- Helpers ------------------------------------------------------------------------------------


def _login_redirect(request: HttpRequest) -> HttpResponse:
    return redirect(reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()}))


def _creator_work(request: HttpRequest, work_id: int) -> Work | HttpResponse:
    """The work, if the viewer is one of its creators; otherwise what the gate answers (404,
    or log in for a restricted work), a log-in redirect for guests, 403 for other readers."""
    try:
        work = access_work(request.user, work_id)
    except LoginRequired:
        return _login_redirect(request)
    if not request.user.is_authenticated:
        return _login_redirect(request)
    if not is_creator(request.user, work):
        raise PermissionDenied("Only the work's creators may change its chapters.")
    return work


def _chapter(work: Work, chapter_id: int) -> Chapter:
    chapter = Chapter.objects.filter(work=work, pk=chapter_id).first()
    if chapter is None:
        raise Http404("No such chapter in this work")
    return chapter


def _expected_initial(work: Work, total: int, *, adding: bool) -> str:
    """AO3's prefill of the expected chapters box: adding to a work whose every expected
    chapter exists proposes one more (adding chapter 2 to a 1/1 one-shot keeps it complete
    at 2/2 unless the writer changes it); an impossible total shows "?"."""
    expected = work.expected_chapters
    if expected is None:
        return "?"
    if adding and expected == total:
        return str(expected + 1)
    if expected < total:
        return "?"
    return str(expected)


def _apply_form_errors(form: forms.Form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _form_page(
    request: HttpRequest, template: str, context: dict[str, Any], *, status: int = 200
) -> HttpResponse:
    return render(request, f"posting/{template}", context, status=status)


# --- Views --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def chapter_new(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _creator_work(request, work_id)
    if isinstance(work, HttpResponse):
        return work
    total = work.chapters.count()
    action = request.POST.get("action", ACTION_POST) if request.method == "POST" else ACTION_POST
    if action not in (ACTION_POST, ACTION_DRAFT, ACTION_SCHEDULE):
        action = ACTION_POST
    form = ChapterForm(
        request.POST if request.method == "POST" else None,
        action=action,
        max_position=total + 1,
        initial={
            "position": total + 1,
            "expected_chapters": _expected_initial(work, total, adding=True),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            chapter = services.chapter_add(
                work=work,
                content=form.content(),
                position=form.cleaned_data.get("position"),
                expected_chapters=form.cleaned_data.get("expected_chapters"),
                post=action == ACTION_POST,
                publish_at=form.cleaned_data.get("publish_at")
                if action == ACTION_SCHEDULE
                else None,
            )
        except ValidationError as exc:
            _apply_form_errors(form, exc)
        else:
            messages.success(request, _done_message(work, chapter, action))
            return redirect("works:chapter", work_id=work.pk, chapter_id=chapter.pk)
    context = {"work": work, "form": form, "adding": True, "chapter": None, "total": total}
    status = 400 if request.method == "POST" else 200
    return _form_page(request, "chapter_form.html", context, status=status)


def _done_message(work: Work, chapter: Chapter, action: str) -> str:
    if action == ACTION_SCHEDULE and chapter.publish_at is not None:
        when = timezone.localtime(chapter.publish_at).strftime("%Y-%m-%d %H:%M")
        return f"The chapter is scheduled: it will be posted at {when}."
    if action == ACTION_DRAFT:
        return "This is a draft chapter: only you and your co-creators can see it."
    if action == ACTION_UPDATE:
        return "Chapter was successfully updated."
    if not work.posted:
        return "The chapter is saved. The work is still a draft: readers see it once you post it."
    return "Chapter has been posted!"


@require_http_methods(["GET", "POST"])
def chapter_edit(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    work = _creator_work(request, work_id)
    if isinstance(work, HttpResponse):
        return work
    chapter = _chapter(work, chapter_id)
    total = work.chapters.count()
    default = ACTION_UPDATE if chapter.posted else ACTION_DRAFT
    action = request.POST.get("action", default) if request.method == "POST" else default
    allowed = (ACTION_UPDATE,) if chapter.posted else (ACTION_POST, ACTION_DRAFT, ACTION_SCHEDULE)
    if action not in allowed:
        action = default
    initial = {
        "title": chapter.title,
        "position": chapter.position,
        "expected_chapters": _expected_initial(work, total, adding=False),
        "summary": chapter.summary,
        "notes": chapter.notes,
        "end_notes": chapter.end_notes,
        "text": chapter.text,
        "text_format": "html",
        "publish_at": timezone.localtime(chapter.publish_at) if chapter.publish_at else None,
    }
    form = ChapterForm(
        request.POST if request.method == "POST" else None,
        action=action,
        max_position=total,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            chapter = _save_edit(work, chapter, form, action, total)
        except ValidationError as exc:
            _apply_form_errors(form, exc)
        else:
            messages.success(request, _done_message(work, chapter, action))
            return redirect("works:chapter", work_id=work.pk, chapter_id=chapter.pk)
    context = {"work": work, "form": form, "adding": False, "chapter": chapter, "total": total}
    status = 400 if request.method == "POST" else 200
    return _form_page(request, "chapter_form.html", context, status=status)


def _save_edit(work: Work, chapter: Chapter, form: ChapterForm, action: str, total: int) -> Chapter:
    """The edit form's writes, one service each, in one transaction (a refusal of a later one
    undoes the earlier ones)."""
    with transaction.atomic():
        chapter = services.chapter_update(
            chapter=chapter,
            content=form.content(),
            expected_chapters=form.cleaned_data.get("expected_chapters"),
        )
        position = form.cleaned_data.get("position")
        if position is not None and position != chapter.position:
            order = [c.pk for c in work.chapters.order_by("position") if c.pk != chapter.pk]
            order.insert(position - 1, chapter.pk)
            services.chapters_reorder(
                work=work, positions={cid: i for i, cid in enumerate(order, start=1)}
            )
        if action == ACTION_POST:
            chapter = services.chapter_post(chapter=chapter)
        elif action == ACTION_SCHEDULE:
            chapter = services.chapter_save_draft(
                chapter=chapter, publish_at=form.cleaned_data["publish_at"]
            )
        elif action == ACTION_DRAFT:
            chapter = services.chapter_save_draft(chapter=chapter, publish_at=None)
        chapter.refresh_from_db()
    return chapter


@require_POST
def chapter_post_now(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    """Post a draft (or scheduled) chapter now."""
    work = _creator_work(request, work_id)
    if isinstance(work, HttpResponse):
        return work
    chapter = services.chapter_post(chapter=_chapter(work, chapter_id))
    messages.success(request, _done_message(work, chapter, ACTION_POST))
    return redirect("works:chapter", work_id=work.pk, chapter_id=chapter.pk)


@require_http_methods(["GET", "POST"])
def chapter_delete(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    """AO3's confirm-delete page (GET) and the deletion itself (POST)."""
    work = _creator_work(request, work_id)
    if isinstance(work, HttpResponse):
        return work
    chapter = _chapter(work, chapter_id)
    error = None
    if request.method == "POST":
        try:
            services.chapter_delete(chapter=chapter)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            draft = "" if chapter.posted else "draft "
            messages.success(request, f"The chapter {draft}was successfully deleted.")
            return redirect("works:work", work_id=work.pk)
    only = work.chapters.count() == 1
    context = {"work": work, "chapter": chapter, "error": error, "only": only}
    return _form_page(request, "chapter_confirm_delete.html", context, status=400 if error else 200)


@require_http_methods(["GET", "POST"])
def chapters_manage(request: HttpRequest, work_id: int) -> HttpResponse:
    """Reorder a work's chapters with a number box each."""
    work = _creator_work(request, work_id)
    if isinstance(work, HttpResponse):
        return work
    chapters = list(work.chapters.order_by("position"))
    form = ReorderForm(request.POST if request.method == "POST" else None, chapters=chapters)
    if request.method == "POST" and form.is_valid():
        try:
            services.chapters_reorder(work=work, positions=form.positions())
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(request, "Chapter order has been successfully updated.")
            return redirect("posting:chapters_manage", work_id=work.pk)
    context = {"work": work, "form": form, "chapters": chapters}
    status = 400 if request.method == "POST" else 200
    return _form_page(request, "chapter_manage.html", context, status=status)
