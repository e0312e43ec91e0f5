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

SUMMARY_MAX = 1250
NOTES_MAX = 5000
TEXT_MAX = 510000  # AO3's limit for one chapter's text

POST = "post"
DRAFT = "draft"
SCHEDULE = "schedule"
UPDATE = "update"


# --- Forms --------------------------------------------------------------------------------------


class ExpectedChaptersField(forms.CharField):
    """AO3's "Chapters: x / y" box: a whole number, or "?" (or nothing) when not yet known."""

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        text = (super().to_python(value) or "").strip()
        if text in ("", "?"):
            return None
        if len(text) > 6:
            raise ValidationError(
                "The expected number of chapters can have at most 6 digits.", code="invalid"
            )
        try:
            number = int(text)
        except ValueError:
            raise ValidationError(
                "Enter the expected number of chapters as a whole number, or ? if you don't "
                "know yet.",
                code="invalid",
            ) from None
        if number < 1:
            raise ValidationError(
                "The expected number of chapters must be at least 1 (or ?).", code="invalid"
            )
        return number


class ChapterForm(forms.Form):
    title = forms.CharField(label="Chapter title", max_length=services.TITLE_MAX, required=False)
    position = forms.IntegerField(
        label="Chapter number",
        min_value=1,
        required=False,
        error_messages={"invalid": "The chapter number must be a whole number."},
    )
    expected_chapters = ExpectedChaptersField(
        label="Expected number of chapters",
        required=False,
        help_text="The total you plan; ? when you don't know yet. The work is marked complete "
        "when that many chapters are posted.",
    )
    summary = forms.CharField(
        label="Chapter summary",
        max_length=SUMMARY_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    notes = forms.CharField(
        label="Beginning notes",
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    end_notes = forms.CharField(
        label="End notes",
        max_length=NOTES_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    text_format = forms.ChoiceField(
        label="The text is",
        choices=[("html", "HTML (or pasted rich text)"), ("plain", "Plain text")],
        initial="html",
        widget=forms.RadioSelect,
    )
    text = forms.CharField(
        label="Chapter text",
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 20}),
        error_messages={"required": "Chapter text: a chapter needs some text."},
    )
    publish_at = forms.DateTimeField(
        label="Post at",
        required=False,
        help_text="Date and time (your archive's time zone) for “Post at the chosen time”.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"],
        error_messages={"invalid": "Post at: enter a date and time such as 2030-01-31 18:00."},
    )

    def __init__(self, *args: Any, action: str = POST, max_position: int = 1, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.action = action
        self.max_position = max_position
        self.fields["position"].widget.attrs.update({"min": 1, "max": max_position})

    def clean_position(self) -> int | None:
        position = self.cleaned_data.get("position")
        if position is not None and position > self.max_position:
            raise ValidationError(f"The chapter number must be between 1 and {self.max_position}.")
        return position

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        when = data.get("publish_at")
        if self.action == SCHEDULE:
            if when is None and "publish_at" not in self.errors:
                self.add_error("publish_at", "Post at: choose when to post the chapter.")
            elif when is not None and when <= timezone.now():
                self.add_error("publish_at", "Post at: the time must be in the future.")
        return data

    def content(self) -> services.ChapterContent:
        data = self.cleaned_data
        return services.ChapterContent(
            text=data["text"],
            title=data.get("title") or "",
            summary=data.get("summary") or "",
            notes=data.get("notes") or "",
            end_notes=data.get("end_notes") or "",
            plain=data.get("text_format") == "plain",
        )


class ReorderForm(forms.Form):
    """One number box per chapter (`position_<chapter id>`), keyboard friendly, no script."""

    def __init__(self, *args: Any, chapters: list[Chapter], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.chapters = chapters
        n = len(chapters)
        for chapter in chapters:
            self.fields[f"position_{chapter.pk}"] = forms.IntegerField(
                label=f"Position of {chapter.heading}",
                initial=chapter.position,
                error_messages={
                    "required": f"{chapter.heading}: give it a position from 1 to {n}.",
                    "invalid": f"{chapter.heading}: the position must be a whole number.",
                },
                widget=forms.NumberInput(attrs={"min": 1, "max": n, "class": "position-input"}),
            )

    def rows(self) -> list[tuple[Chapter, forms.BoundField]]:
        return [(c, self[f"position_{c.pk}"]) for c in self.chapters]

    def positions(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"position_{c.pk}"] for c in self.chapters}


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
    action = request.POST.get("action", POST) if request.method == "POST" else POST
    if action not in (POST, DRAFT, SCHEDULE):
        action = POST
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
                post=action == POST,
                publish_at=form.cleaned_data.get("publish_at") if action == SCHEDULE else None,
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
    if action == SCHEDULE and chapter.publish_at is not None:
        when = timezone.localtime(chapter.publish_at).strftime("%Y-%m-%d %H:%M")
        return f"The chapter is scheduled: it will be posted at {when}."
    if action == DRAFT:
        return "This is a draft chapter: only you and your co-creators can see it."
    if action == UPDATE:
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
    default = UPDATE if chapter.posted else DRAFT
    action = request.POST.get("action", default) if request.method == "POST" else default
    allowed = (UPDATE,) if chapter.posted else (POST, DRAFT, SCHEDULE)
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
        if action == POST:
            chapter = services.chapter_post(chapter=chapter)
        elif action == SCHEDULE:
            chapter = services.chapter_save_draft(
                chapter=chapter, publish_at=form.cleaned_data["publish_at"]
            )
        elif action == DRAFT:
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
    messages.success(request, _done_message(work, chapter, POST))
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
