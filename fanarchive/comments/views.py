"""Comment pages: leave a comment on a chapter, reply, edit, delete, freeze, approve, a
comment's permalink (the comment and its thread), a work's held comments. Every work comes
through the works gate (`access_work`); the rules are in `permissions`, the writes in
`services`. Every change is a POST with its CSRF token; everything works without script."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from fanarchive.core.ratelimit import client_ip
from fanarchive.works.models import Chapter, Work
from fanarchive.works.permissions import LoginRequired, access_work, is_creator

from . import permissions, selectors, services
from .forms import CommentEditForm, CommentForm
from .models import Comment


def _restricted(request: HttpRequest) -> HttpResponse:
    login = reverse("accounts:login") + "?" + urlencode({"next": request.get_full_path()})
    return render(request, "works/restricted.html", {"login_url": login}, status=403)


def _work(request: HttpRequest, work_id: int) -> Work | HttpResponse:
    try:
        return access_work(request.user, work_id)
    except LoginRequired:
        return _restricted(request)


def _chapter(request: HttpRequest, work: Work, chapter_id: int) -> Chapter:
    """A chapter of `work` the viewer may read (drafts only for the work's creators)."""
    chapter = Chapter.objects.filter(pk=chapter_id, work=work).first()
    if chapter is None or (not chapter.posted and not is_creator(request.user, work)):
        raise Http404("No such chapter in this work")
    return chapter


def _comment(request: HttpRequest, comment_id: int) -> tuple[Comment, Work] | HttpResponse:
    """A comment the viewer may see, with its work (through the gate): 404 for one on a work
    or chapter they cannot see, or one held for review that is not theirs."""
    comment = selectors.comment_by_id(comment_id)
    if comment is None:
        raise Http404("No such comment")
    work = _work(request, comment.work_id)
    if isinstance(work, HttpResponse):
        return work
    _chapter(request, work, comment.chapter_id)
    if not permissions.can_see(request.user, comment, work):
        raise Http404("No such comment")
    comment.work = work
    return comment, work


def location(comment: Comment, work: Work) -> str:
    """Where a comment is shown on the work's pages."""
    if work.chapter_count > 1:
        url = reverse("works:chapter", args=[work.pk, comment.chapter_id])
    else:
        url = reverse("works:work", args=[work.pk])
    return f"{url}#comment_{comment.pk}"


def _refused(request: HttpRequest, work: Work, reason: str, *, status: int = 403) -> HttpResponse:
    return render(request, "comments/refused.html", {"work": work, "reason": reason}, status=status)


def _form_page(request: HttpRequest, status: int = 200, **context: Any) -> HttpResponse:
    return render(request, "comments/form_page.html", context, status=status)


def _rate_limited(request: HttpRequest, **context: Any) -> HttpResponse | None:
    decision = services.comment_rate_check(viewer=request.user, ip=client_ip(request))
    if decision is None or decision.allowed:
        return None
    minutes = max(1, (decision.retry_after + 59) // 60)
    error = (
        f"You've left {decision.limit} comments in a short time, the most a new account (or a "
        f"guest) may. Please wait {minutes} minute{'s' if minutes != 1 else ''} before "
        "commenting again."
    )
    response = _form_page(request, status=429, error=error, **context)
    response["Retry-After"] = str(decision.retry_after)
    return response


def _leave(
    request: HttpRequest,
    *,
    work: Work,
    chapter: Chapter,
    parent: Comment | None,
    context: dict[str, Any],
) -> HttpResponse:
    """Shared by a new comment and a reply: the form, its checks, the rate limit, the write."""
    guest = not request.user.is_authenticated
    form = CommentForm(request.POST or None, user=request.user, guest=guest)
    context = {**context, "form": form, "work": work, "chapter": chapter, "parent": parent}
    if request.method != "POST":
        return _form_page(request, **context)
    if not form.is_valid():
        return _form_page(request, status=400, **context)
    if limited := _rate_limited(request, **context):
        return limited
    data = form.cleaned_data
    commenter = services.Commenter(
        pseud=data.get("pseud"), guest_name=data.get("name", ""), guest_email=data.get("email", "")
    )
    comment = services.comment_create(
        work=work,
        chapter=chapter,
        author=request.user,
        commenter=commenter,
        content=data["content"],
        parent=parent,
    )
    if comment.unreviewed:
        messages.success(
            request,
            "Your comment was received. It will appear publicly after the work's creator has "
            "approved it.",
        )
        if guest:
            return redirect(
                location(parent, work) if parent else reverse("works:work", args=[work.pk])
            )
    else:
        messages.success(request, "Comment created!")
    return redirect(location(comment, work))


@require_http_methods(["GET", "POST"])
def comment_new(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    """`/works/<id>/chapters/<id>/comments`: leave a comment on a chapter (the work page's form
    posts here; GET shows the form on a page of its own)."""
    work = _work(request, work_id)
    if isinstance(work, HttpResponse):
        return work
    chapter = _chapter(request, work, chapter_id)
    if reason := permissions.comment_refusal(request.user, work, chapter):
        return _refused(request, work, reason)
    context = {
        "heading": "Leave a comment",
        "action": reverse("comments:new", args=[work.pk, chapter.pk]),
    }
    return _leave(request, work=work, chapter=chapter, parent=None, context=context)


@require_http_methods(["GET", "POST"])
def comment_reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    """`/comments/<id>/reply`: reply to a comment."""
    found = _comment(request, comment_id)
    if isinstance(found, HttpResponse):
        return found
    parent, work = found
    if reason := permissions.comment_refusal(request.user, work, parent.chapter, parent):
        return _refused(request, work, reason)
    context = {
        "heading": f"Reply to {parent.byline}",
        "action": reverse("comments:reply", args=[parent.pk]),
        "nodes": selectors.build_threads(request.user, work, [parent], root_id=parent.pk),
    }
    return _leave(request, work=work, chapter=parent.chapter, parent=parent, context=context)


def comment_detail(request: HttpRequest, comment_id: int) -> HttpResponse:
    """`/comments/<id>`: the comment and the thread below it (AO3's permalink)."""
    found = _comment(request, comment_id)
    if isinstance(found, HttpResponse):
        return found
    comment, work = found
    nodes = selectors.comment_thread(request.user, comment)
    if not nodes:  # the reader muted its author
        raise Http404("No such comment")
    context = {
        "comment": comment,
        "work": work,
        "nodes": nodes,
        "multichapter": work.chapter_count > 1,
        "on_page": location(comment, work),
    }
    return render(request, "comments/detail.html", context)


@require_http_methods(["GET", "POST"])
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    """`/comments/<id>/edit`: its author changes the text."""
    found = _comment(request, comment_id)
    if isinstance(found, HttpResponse):
        return found
    comment, work = found
    if not permissions.can_edit(request.user, comment):
        reason = (
            "Frozen comments can't be edited."
            if comment.frozen and permissions.is_author(request.user, comment)
            else "Only the author of a comment can edit it."
        )
        return _refused(request, work, reason)
    form = CommentEditForm(request.POST or None, initial={"content": comment.content})
    context: dict[str, Any] = {
        "heading": "Edit your comment",
        "action": reverse("comments:edit", args=[comment.pk]),
        "form": form,
        "work": work,
        "chapter": comment.chapter,
        "editing": comment,
    }
    if request.method != "POST":
        return _form_page(request, **context)
    if not form.is_valid():
        return _form_page(request, status=400, **context)
    services.comment_edit(comment=comment, content=form.cleaned_data["content"])
    messages.success(request, "Comment was successfully updated.")
    return redirect(location(comment, work))


@require_http_methods(["GET", "POST"])
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """`/comments/<id>/delete`: asks first; its author, the work's creators or staff."""
    found = _comment(request, comment_id)
    if isinstance(found, HttpResponse):
        return found
    comment, work = found
    if not permissions.can_delete(request.user, comment, work):
        return _refused(request, work, "Sorry, you don't have permission to delete that comment.")
    if request.method != "POST":
        nodes = selectors.build_threads(request.user, work, [comment], root_id=comment.pk)
        return render(
            request,
            "comments/confirm_delete.html",
            {"comment": comment, "work": work, "nodes": nodes, "cancel": location(comment, work)},
        )
    services.comment_delete(comment=comment)
    messages.success(request, "Comment deleted.")
    if comment.parent_id is not None and Comment.objects.filter(pk=comment.parent_id).exists():
        return redirect(location(comment.parent, work))  # type: ignore[arg-type]
    target = (
        reverse("works:chapter", args=[work.pk, comment.chapter_id])
        if work.chapter_count > 1
        else reverse("works:work", args=[work.pk])
    )
    return redirect(target + "#comments")


def _moderate(request: HttpRequest, comment_id: int, *, frozen: bool) -> HttpResponse:
    found = _comment(request, comment_id)
    if isinstance(found, HttpResponse):
        return found
    comment, work = found
    if not permissions.can_moderate(request.user, work):
        return _refused(
            request, work, "Only the work's creators can freeze or unfreeze its comments."
        )
    services.comment_freeze(comment=comment, frozen=frozen)
    messages.success(
        request, "Comment thread successfully frozen!" if frozen else "Comment thread unfrozen."
    )
    return redirect(location(comment, work))


@require_POST
def comment_freeze(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _moderate(request, comment_id, frozen=True)


@require_POST
def comment_unfreeze(request: HttpRequest, comment_id: int) -> HttpResponse:
    return _moderate(request, comment_id, frozen=False)


@require_POST
def comment_approve(request: HttpRequest, comment_id: int) -> HttpResponse:
    found = _comment(request, comment_id)
    if isinstance(found, HttpResponse):
        return found
    comment, work = found
    if not permissions.can_review(request.user, work):
        return _refused(request, work, "Only the work's creators can approve its comments.")
    services.comment_approve(comment=comment)
    messages.success(request, "Comment approved.")
    if request.POST.get("next") == "review":
        return redirect("comments:unreviewed", work_id=work.pk)
    return redirect(location(comment, work))


def unreviewed(request: HttpRequest, work_id: int) -> HttpResponse:
    """`/works/<id>/comments/unreviewed`: the comments held for review, for the creators."""
    work = _work(request, work_id)
    if isinstance(work, HttpResponse):
        return work
    if not permissions.can_review(request.user, work):
        return _refused(request, work, "Only the work's creators can review its comments.")
    # Each held comment on its own (a held reply's parent is public already).
    nodes = [
        selectors.CommentNode(comment=c, can_delete=True, can_approve=True)
        for c in selectors.unreviewed_comments(work)
    ]
    context = {"work": work, "nodes": nodes, "review": True, "multichapter": work.chapter_count > 1}
    return render(request, "comments/unreviewed.html", context)
