"""Account pages: sign-up and confirmation, logging in (throttled) and out, passwords, email,
the profile, pseuds and preferences. Views are thin: forms check, services write. An account's
works are listed by the works app (`works:user_works`, `works:pseud_works`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from fanarchive.core.ratelimit import client_ip, rate_limit_hit

from . import services, throttle
from .forms import (
    EmailChangeForm,
    LoginForm,
    PreferenceForm,
    PseudForm,
    ResendConfirmationForm,
    SignupForm,
)
from .models import Pseud, User
from .permissions import account_owner
from .selectors import preferences_for, pseud_by_name, user_by_login, user_pseuds

# --- Profile ----------------------------------------------------------------------------------


def profile(request: HttpRequest, login: str) -> HttpResponse:
    user = user_by_login(login)
    if user is None or not (user.is_active or user.is_imported):
        raise Http404("No such user")  # an account waiting for confirmation is not shown yet
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_user": user,
            "pseuds": user_pseuds(user=user),
            "is_owner": request.user.is_authenticated and request.user.pk == user.pk,
        },
    )


def pseud_detail(request: HttpRequest, login: str, pseud: str) -> HttpResponse:
    """`/users/<login>/pseuds/<pseud>`: for now, the pseud's works."""
    user = user_by_login(login)
    found = pseud_by_name(user=user, name=pseud) if user else None
    if user is None or found is None:
        raise Http404("No such pseud")
    return redirect("works:pseud_works", login=user.username, pseud=found.name)


# --- Sign-up and confirmation -------------------------------------------------------------------

# Forms that send mail to an address someone types (password reset, a new confirmation link):
# at most this many per client address per hour, so nobody is flooded with mail.
MAILS_PER_HOUR = 5


def _mail_throttled(request: HttpRequest, scope: str) -> HttpResponse | None:
    decision = rate_limit_hit(
        scope=scope, key=client_ip(request), limit=MAILS_PER_HOUR, window=3600
    )
    if decision.allowed:
        return None
    response = render(
        request,
        "accounts/mail_throttled.html",
        {
            "wait": decision.retry_after,
            "retry_at": timezone.now() + timedelta(seconds=decision.retry_after),
        },
        status=429,
    )
    response["Retry-After"] = str(decision.retry_after)
    return response


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def _send_confirmation(request: HttpRequest, user: User) -> None:
    token = services.confirmation_token(user=user)
    link = _absolute(request, reverse("accounts:confirm", args=[token]))
    services.confirmation_send(user=user, link=link)


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """`/users/signup`: by the operator's FANARCHIVE_SIGNUPS, open, by invitation or closed."""
    if request.user.is_authenticated:
        return redirect("works:home")
    mode = settings.FANARCHIVE_SIGNUPS
    token = (request.POST.get("invitation") or request.GET.get("invitation") or "").strip()
    refused = None
    invitation = None
    if mode == "closed":
        refused = "Sign-ups are closed at the moment."
    elif token:
        try:
            invitation = services.invitation_for_token(token)
        except services.InvitationError as error:
            refused = str(error)
    elif mode != "open":
        refused = (
            "This archive takes new accounts by invitation only. "
            "Ask an administrator for an invitation."
        )
    if refused is not None:
        # Telling why is enough for a GET of the page; a refused form or link is a 403.
        status = 403 if request.method == "POST" or token else 200
        return render(
            request,
            "accounts/signup_refused.html",
            {"reason": refused, "mode": mode},
            status=status,
        )
    if request.method == "POST":
        form = SignupForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.user_signup(
                    username=data["username"],
                    email=data["email"],
                    password=data["password1"],
                    invitation_token=token or None,
                )
            except services.AccountError as error:
                return render(
                    request,
                    "accounts/signup_refused.html",
                    {"reason": str(error), "mode": mode},
                    status=403,
                )
            _send_confirmation(request, user)
            return render(request, "accounts/signup_done.html", {"new_user": user})
    else:
        initial = {"invitation": token}
        if invitation is not None and invitation.email:
            initial["email"] = invitation.email
        form = SignupForm(initial=initial)
    return render(request, "accounts/signup.html", {"form": form, "invitation": invitation})


def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """`/users/confirm/<token>`: activate the account; then log in."""
    try:
        user, activated = services.user_confirm(token=token)
    except services.AccountError as error:
        return render(
            request,
            "accounts/confirm_failed.html",
            {"reason": str(error), "form": ResendConfirmationForm()},
            status=400,
        )
    if activated:
        messages.success(request, "Your account is confirmed. You can log in now.")
    else:
        messages.info(request, "Your account was already confirmed. You can log in.")
    return redirect(f"{reverse('accounts:login')}?{urlencode({'username': user.username})}")


@require_http_methods(["GET", "POST"])
def confirm_resend(request: HttpRequest) -> HttpResponse:
    """`/users/confirm/resend`: mail a fresh confirmation link. Says the same whatever the
    address, so it does not tell who has an account."""
    form = ResendConfirmationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if limited := _mail_throttled(request, "confirm-resend"):
            return limited
        user = services.user_needing_confirmation(email=form.cleaned_data["email"])
        if user is not None:
            _send_confirmation(request, user)
        messages.info(
            request,
            "If an unconfirmed account uses that address, a new confirmation link is on its way.",
        )
        return redirect("accounts:login")
    return render(request, "accounts/confirm_resend.html", {"form": form})


# --- Logging in and out -------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if username := self.request.GET.get("username"):
            initial["username"] = username[:150]
        return initial

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        login = str(request.POST.get("username", ""))[:254]
        wait = throttle.login_blocked(request, login)
        if wait:
            response = render(
                request,
                "accounts/login_throttled.html",
                {
                    "wait": wait,
                    "retry_at": timezone.now() + timedelta(seconds=wait),
                },
                status=429,
            )
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: LoginForm) -> HttpResponse:  # type: ignore[override]
        if form.credentials_failed:
            throttle.login_failed(self.request, str(self.request.POST.get("username", ""))[:254])
        return super().form_invalid(form)


class LogoutView(auth_views.LogoutView):
    next_page = "works:home"


# --- Passwords (Django's views, our templates) ----------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {"SITE_NAME": settings.SITE_NAME}

    def form_valid(self, form: Any) -> HttpResponse:
        if limited := _mail_throttled(self.request, "password-reset"):
            return limited
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


# --- Email --------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def email_change(request: HttpRequest, login: str) -> HttpResponse:
    """`/users/<login>/email`: ask for a new address; it is set when the link mailed to it is
    opened."""
    user = account_owner(request, login)
    form = EmailChangeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        new_email = form.cleaned_data["new_email"]
        token = services.email_change_token(user=user, new_email=new_email)
        link = _absolute(request, reverse("accounts:email_confirm", args=[token]))
        services.email_change_request(user=user, new_email=new_email, link=link)
        messages.info(
            request,
            f"We sent a link to {new_email}. Your email address changes when you open it.",
        )
        return redirect("accounts:profile", login=user.username)
    return render(request, "accounts/email_change.html", {"form": form, "profile_user": user})


def email_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """`/users/email/confirm/<token>`: set the new address."""
    try:
        user = services.email_change_confirm(token=token)
    except services.AccountError as error:
        return render(
            request, "accounts/email_confirm_failed.html", {"reason": str(error)}, status=400
        )
    messages.success(request, f"Your email address is now {user.email}.")
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("accounts:profile", login=user.username)
    return redirect("accounts:login")


# --- Pseuds ------------------------------------------------------------------------------------


def _owned_pseud(request: HttpRequest, login: str, name: str) -> tuple[User, Pseud]:
    user = account_owner(request, login)
    pseud = pseud_by_name(user=user, name=name)
    if pseud is None:
        raise Http404("No such pseud")
    return user, pseud


@login_required
@require_http_methods(["GET", "POST"])
def pseud_new(request: HttpRequest, login: str) -> HttpResponse:
    user = account_owner(request, login)
    form = PseudForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            pseud = services.pseud_create(
                user=user,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except services.AccountError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Pseud {pseud.name} was created.")
            return redirect("accounts:profile", login=user.username)
    return render(
        request, "accounts/pseud_form.html", {"form": form, "profile_user": user, "pseud": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def pseud_edit(request: HttpRequest, login: str, pseud: str) -> HttpResponse:
    user, found = _owned_pseud(request, login, pseud)
    form = PseudForm(request.POST) if request.method == "POST" else PseudForm.for_pseud(found)
    if request.method == "POST" and form.is_valid():
        try:
            services.pseud_update(
                pseud=found,
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except services.AccountError as error:
            form.add_error("name", str(error))
        else:
            messages.success(request, f"Pseud {found.name} was updated.")
            return redirect("accounts:profile", login=user.username)
    return render(
        request,
        "accounts/pseud_form.html",
        {"form": form, "profile_user": user, "pseud": found},
    )


@login_required
@require_POST
def pseud_default(request: HttpRequest, login: str, pseud: str) -> HttpResponse:
    user, found = _owned_pseud(request, login, pseud)
    services.pseud_make_default(pseud=found)
    messages.success(request, f"{found.name} is now your default pseud.")
    return redirect("accounts:profile", login=user.username)


@login_required
@require_http_methods(["GET", "POST"])
def pseud_delete(request: HttpRequest, login: str, pseud: str) -> HttpResponse:
    user, found = _owned_pseud(request, login, pseud)
    error = None
    if request.method == "POST":
        try:
            default = services.pseud_delete(pseud=found)
        except services.AccountError as refused:
            error = str(refused)
        else:
            messages.success(
                request,
                f"Pseud {found.name} was deleted; its works are now credited to {default.name}.",
            )
            return redirect("accounts:profile", login=user.username)
    works = getattr(found, "works", None)  # the works app's reverse relation, when installed
    return render(
        request,
        "accounts/pseud_delete.html",
        {
            "profile_user": user,
            "pseud": found,
            "work_count": works.count() if works is not None else 0,
            "default": next(p for p in user_pseuds(user=user) if p.is_default),
            "error": error,
        },
        status=400 if error else 200,
    )


# --- Preferences ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, login: str) -> HttpResponse:
    """`/users/<login>/preferences`: the owner's reading and site preferences."""
    user = account_owner(request, login)
    current = preferences_for(user)
    form = PreferenceForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        services.preferences_save(user=user, values=form.cleaned_data)
        messages.success(request, "Your preferences were saved.")
        return redirect("accounts:preferences", login=user.username)
    return render(request, "accounts/preferences.html", {"form": form, "profile_user": user})
