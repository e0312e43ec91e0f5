"""Kudos, mutes and blocks: thin views over services and selectors. Every change is a POST
(CSRF-checked); refusals come back as a notice on the page the reader came from."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fanarchive.accounts.models import User
from fanarchive.accounts.selectors import user_by_login
from fanarchive.core.ratelimit import client_ip
from fanarchive.core.redirects import safe_next
from fanarchive.works.permissions import access_work

from . import selectors, services
from .services import SocialRefused


def _viewer(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _account(login: str) -> User:
    user = user_by_login(login)
    if user is None or not (user.is_active or user.is_imported):
        raise Http404("No such user")
    return user


def _back_to_profile(request: HttpRequest, other: User) -> HttpResponse:
    """Back to the page the button was on (`next`), else `other`'s profile."""
    return HttpResponseRedirect(
        safe_next(request, reverse("accounts:profile", args=[other.username]))
    )


# --- Kudos -------------------------------------------------------------------------------------


@require_POST
def kudos_create(request: HttpRequest, work_id: int) -> HttpResponse:
    """AO3's "Kudos ♥" button. A work the viewer may not see is a 404 (or, for a guest and a
    restricted work, the gate's 403); every other refusal is a notice on the work's page."""
    work = access_work(request.user, work_id)
    back = safe_next(request, reverse("works:work", args=[work.pk]))
    try:
        services.kudos_leave(work=work, viewer=request.user, ip=client_ip(request))
    except SocialRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, "Thank you for leaving kudos!")
    return HttpResponseRedirect(back)


# --- Mute --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mute(request: HttpRequest, login: str) -> HttpResponse:
    """GET: AO3's confirmation page, explaining what muting does; POST: mute."""
    viewer, other = _viewer(request), _account(login)
    if request.method == "GET":
        if other.pk == viewer.pk:
            messages.error(request, "You can't mute yourself.")
            return redirect("accounts:profile", login=viewer.username)
        context = {"other": other, "already": selectors.is_muted(user=viewer, other=other)}
        return render(request, "social/confirm_mute.html", context)
    try:
        services.mute_add(user=viewer, muted=other)
    except SocialRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request, f"You have muted {other.username}. Their works will no longer be shown to you."
        )
    return _back_to_profile(request, other)


@login_required
@require_POST
def unmute(request: HttpRequest, login: str) -> HttpResponse:
    viewer, other = _viewer(request), _account(login)
    if services.mute_remove(user=viewer, muted=other):
        messages.success(request, f"You have unmuted {other.username}.")
    else:
        messages.error(request, f"You had not muted {other.username}.")
    return _back_to_profile(request, other)


# --- Block -------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def block(request: HttpRequest, login: str) -> HttpResponse:
    """GET: AO3's confirmation page, explaining what blocking does and does not; POST: block."""
    viewer, other = _viewer(request), _account(login)
    if request.method == "GET":
        if other.pk == viewer.pk:
            messages.error(request, "You can't block yourself.")
            return redirect("accounts:profile", login=viewer.username)
        context = {
            "other": other,
            "already": selectors.has_blocked(user=viewer, other=other),
            "limit": f"{services.max_blocked_users():,}",
        }
        return render(request, "social/confirm_block.html", context)
    try:
        services.block_add(blocker=viewer, blocked=other)
    except SocialRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(
            request,
            f"You have blocked {other.username}. They can no longer comment on, reply to or "
            "leave kudos on your works.",
        )
    return _back_to_profile(request, other)


@login_required
@require_POST
def unblock(request: HttpRequest, login: str) -> HttpResponse:
    viewer, other = _viewer(request), _account(login)
    if services.block_remove(blocker=viewer, blocked=other):
        messages.success(request, f"You have unblocked {other.username}.")
    else:
        messages.error(request, f"You had not blocked {other.username}.")
    return _back_to_profile(request, other)


# --- A reader's lists --------------------------------------------------------------------------


def _owner(request: HttpRequest, login: str) -> User:
    viewer, owner = _viewer(request), _account(login)
    if owner.pk != viewer.pk:
        raise PermissionDenied("Only the account's owner can see this page.")
    return owner


def _find(request: HttpRequest, then: str) -> HttpResponse | None:
    """The lists' "Mute a user" / "Block a user" form (GET `user`): on to the confirmation."""
    if "user" not in request.GET:
        return None
    name = request.GET.get("user", "").strip()
    found = User.objects.filter(username__iexact=name).first() if name else None
    if found is None:
        messages.error(
            request,
            f"User: there is no account named {name!r}."
            if name
            else "User: enter an account name.",
        )
        return redirect(request.path)
    return redirect(then, login=found.username)


@login_required
@require_GET
def muted_list(request: HttpRequest, login: str) -> HttpResponse:
    owner = _owner(request, login)
    if found := _find(request, "social:mute"):
        return found
    context = {
        "owner": owner,
        "muted": selectors.muted_users(user=owner),
        "limit": f"{services.max_muted_users():,}",
    }
    return render(request, "social/muted_list.html", context)


@login_required
@require_GET
def blocked_list(request: HttpRequest, login: str) -> HttpResponse:
    owner = _owner(request, login)
    if found := _find(request, "social:block"):
        return found
    context = {
        "owner": owner,
        "blocked": selectors.blocked_users(user=owner),
        "limit": f"{services.max_blocked_users():,}",
    }
    return render(request, "social/blocked_list.html", context)
