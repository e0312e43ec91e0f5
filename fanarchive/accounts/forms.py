"""Account forms: sign-up, log-in, email change, pseuds, preferences."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.contrib.auth import authenticate, password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.html import format_html

from .models import Preference, Pseud, User

LOGIN_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9_]*[A-Za-z0-9])?$")
PSEUD_RE = re.compile(r"^[\w \-]+$")
# Logins that would shadow the archive's own addresses under /users/.
RESERVED_LOGINS = frozenset(
    {"login", "logout", "signup", "confirm", "password", "email", "invitations", "new"}
)


def validate_login(value: str) -> None:
    """AO3's rules: 3 to 40 characters, letters, digits and underscores, not starting or ending
    with an underscore."""
    if not 3 <= len(value) <= 40:
        raise ValidationError("User name must be 3 to 40 characters long.", code="length")
    if not LOGIN_RE.match(value):
        raise ValidationError(
            "User name may contain only letters, numbers and underscores, and must begin and "
            "end with a letter or number.",
            code="invalid",
        )
    if value.lower() in RESERVED_LOGINS:
        raise ValidationError("That user name is reserved.", code="reserved")


class SignupForm(forms.Form):
    username = forms.CharField(
        label="User name",
        max_length=40,
        help_text="3 to 40 characters: letters, numbers and underscores.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label="Confirm password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    accept_terms = forms.BooleanField(
        label="I have read and accept the Terms of Service",
        error_messages={"required": "You must accept the Terms of Service to sign up."},
    )
    invitation = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        validate_login(username)
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError("That user name is already taken.", code="taken")
        return username

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("An account with that email address already exists.")
        return email

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("password1"), data.get("password2")
        if one and two and one != two:
            self.add_error("password2", "The two passwords do not match.")
        elif one:
            candidate = User(username=data.get("username", ""), email=data.get("email", ""))
            try:
                password_validation.validate_password(one, candidate)
            except ValidationError as error:
                self.add_error("password1", error)
        return data


class LoginForm(AuthenticationForm):
    """Django's log-in form that also takes the login in any case or the email address, and
    tells an unconfirmed account (with the right password) to confirm it first."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "The user name or password you entered doesn't match our records.",
        "unconfirmed": "This account has not been confirmed yet.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "User name or email"
        self.credentials_failed = False

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password")
        if not username or not password:
            self.credentials_failed = True
            return self.cleaned_data
        account = (
            User.objects.filter(Q(username__iexact=username) | Q(email__iexact=username))
            .order_by("pk")
            .first()
        )
        login = account.username if account is not None else username
        self.user_cache = authenticate(self.request, username=login, password=password)
        if self.user_cache is None:
            if (
                account is not None
                and not account.is_active
                and not account.is_imported
                and account.check_password(password)
            ):
                raise ValidationError(
                    format_html(
                        "This account has not been confirmed yet: open the link we sent to "
                        'its email address, or <a href="{}">send a new link</a>.',
                        reverse("accounts:confirm_resend"),
                    ),
                    code="unconfirmed",
                )
            self.credentials_failed = True
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return self.cleaned_data


class ResendConfirmationForm(forms.Form):
    email = forms.EmailField(widget=forms.EmailInput(attrs={"autocomplete": "email"}))


class EmailChangeForm(forms.Form):
    new_email = forms.EmailField(
        label="New email", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )
    new_email2 = forms.EmailField(label="Confirm new email")
    password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_new_email(self) -> str:
        email = self.cleaned_data["new_email"].strip()
        if email.lower() == (self.user.email or "").lower():
            raise ValidationError("That is already your email address.")
        if User.objects.filter(email__iexact=email).exclude(pk=self.user.pk).exists():
            raise ValidationError("An account with that email address already exists.")
        return email

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("Your current password is not correct.")
        return password

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        one, two = data.get("new_email"), data.get("new_email2")
        if one and two and one.lower() != two.strip().lower():
            self.add_error("new_email2", "The two email addresses do not match.")
        return data


class PseudForm(forms.Form):
    name = forms.CharField(
        max_length=40,
        help_text="Up to 40 characters: letters, numbers, spaces, underscores and hyphens.",
    )
    description = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Plain text, up to 500 characters.",
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError("A pseud needs a name.")
        if not PSEUD_RE.match(name) or not any(char.isalnum() for char in name):
            raise ValidationError(
                "Pseuds may contain only letters, numbers, spaces, underscores and hyphens, "
                "and at least one letter or number."
            )
        return name

    @classmethod
    def for_pseud(cls, pseud: Pseud, data: Any = None) -> PseudForm:
        return cls(data, initial={"name": pseud.name, "description": pseud.description})


class PreferenceForm(forms.ModelForm):
    font_size = forms.TypedChoiceField(
        label="Text size",
        coerce=int,
        choices=[(size, f"{size}%") for size in Preference.FONT_SIZES],
        help_text="The size of text on every page, in percent of the normal size.",
    )

    class Meta:
        model = Preference
        fields = list(Preference.EDITABLE)
        labels = {
            "view_adult": "Show me adult content without checking",
            "hide_warnings": "Hide warnings (you can still choose to show them)",
            "hide_freeform": "Hide additional tags (you can still choose to show them)",
            "view_full_work": "Show the whole work by default",
            "theme": "Site skin",
            "history_enabled": "Turn on History",
        }
        widgets = {"theme": forms.RadioSelect}
