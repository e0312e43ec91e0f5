"""The comment form: the text (sanitized like work text, at most AO3's 10,000 characters), the
pseud an account comments as, and a guest's name and email."""

from __future__ import annotations

from typing import Any

from django import forms

from fanarchive.accounts.models import Pseud
from fanarchive.core.sanitize import user_html
from fanarchive.core.text import html_to_text

from .models import COMMENT_MAX


def _has_media(html: str) -> bool:
    return "<img" in html or "<iframe" in html


class CommentForm(forms.Form):
    content = forms.CharField(
        label="Comment",
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        required=False,
        strip=False,
        help_text=f"Plain text or HTML; at most {COMMENT_MAX:,} characters.",
    )

    def __init__(self, *args: Any, user: Any = None, guest: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guest = guest
        if guest:
            self.fields["name"] = forms.CharField(label="Guest name", max_length=100)
            self.fields["email"] = forms.EmailField(
                label="Guest email",
                max_length=254,
                help_text="Never shown publicly.",
            )
        elif user is not None and user.is_authenticated:
            pseuds = Pseud.objects.filter(user=user).order_by("-is_default", "name")
            self.fields["pseud"] = forms.ModelChoiceField(
                label="Comment as",
                queryset=pseuds,
                empty_label=None,
                required=False,
                initial=pseuds.filter(is_default=True).first(),
            )
            self._default_pseud = self.fields["pseud"].initial
        # The content field first on the page after who is commenting.
        self.order_fields(["name", "email", "pseud", "content"])

    def clean_name(self) -> str:
        """A guest's name on one line (it is shown in bylines and in the creators' notices)."""
        name = " ".join(str(self.cleaned_data.get("name") or "").split())
        if not name:
            raise forms.ValidationError("Guest name can't be blank.")
        return name

    def clean_pseud(self) -> Pseud | None:
        """The chosen pseud, or the account's default one when none was sent."""
        return self.cleaned_data.get("pseud") or getattr(self, "_default_pseud", None)

    def clean_content(self) -> str:
        raw: str = self.cleaned_data.get("content") or ""
        if not raw.strip():
            raise forms.ValidationError("Comment can't be blank.")
        if len(raw) > COMMENT_MAX:
            raise forms.ValidationError(
                f"Comment must be at most {COMMENT_MAX:,} characters long "
                f"(it is {len(raw):,} characters)."
            )
        html = user_html(raw)
        if not html_to_text(html).strip() and not _has_media(html):
            raise forms.ValidationError("Comment can't be blank.")
        return html


class CommentEditForm(CommentForm):
    """Editing: the text only (who wrote it does not change)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.pop("user", None)
        kwargs.pop("guest", None)
        super().__init__(*args, **kwargs)
