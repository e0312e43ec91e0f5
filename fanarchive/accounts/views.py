"""Account pages: a simple profile, logging in and out. An account's works are listed by the
works app (`works:user_works`, `works:pseud_works`)."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from .selectors import pseud_by_name, user_by_login, user_pseuds


def profile(request: HttpRequest, login: str) -> HttpResponse:
    user = user_by_login(login)
    if user is None:
        raise Http404("No such user")
    return render(
        request,
        "accounts/profile.html",
        {"profile_user": user, "pseuds": user_pseuds(user=user)},
    )


def pseud_detail(request: HttpRequest, login: str, pseud: str) -> HttpResponse:
    """`/users/<login>/pseuds/<pseud>`: for now, the pseud's works."""
    user = user_by_login(login)
    found = pseud_by_name(user=user, name=pseud) if user else None
    if user is None or found is None:
        raise Http404("No such pseud")
    return redirect("works:pseud_works", login=user.username, pseud=found.name)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    next_page = "works:home"
