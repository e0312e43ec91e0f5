"""The bookmark form: pseud, notes, the bookmarker's tags, rec, private (AO3's fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from fanarchive.accounts.models import Pseud, User

from .models import NOTES_MAX_LENGTH
from .services import BookmarkData, clean_notes, parse_bookmark_tags


class BookmarkForm(forms.Form):
    pseud = forms.ModelChoiceField(
        queryset=Pseud.objects.none(),
        label="Bookmarker's pseud",
        empty_label=None,
    )
    notes = forms.CharField(
        label="Notes",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 6, "cols": 60}),
        help_text=f"At most {NOTES_MAX_LENGTH:,} characters. Plain text or HTML.",
    )
    tags = forms.CharField(
        label="Your tags",
        required=False,
        max_length=20_000,
        help_text="Comma separated, e.g. “to reread, comfort fic”.",
    )
    rec = forms.BooleanField(label="Rec", required=False, help_text="Recommend this to others.")
    private = forms.BooleanField(
        label="Private bookmark",
        required=False,
        help_text="Only you can see it, and it is not counted on the work.",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["pseud"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = (
            Pseud.objects.filter(user=user).select_related("user").order_by("-is_default", "name")
        )
        field.label_from_instance = _pseud_name  # type: ignore[method-assign,assignment]
        if not self.is_bound and "pseud" not in self.initial:
            self.initial["pseud"] = field.queryset.filter(is_default=True).first()

    def clean_notes(self) -> str:
        value: str = self.cleaned_data.get("notes", "")
        clean_notes(value)  # raises with the limit and the length
        return value

    def clean_tags(self) -> str:
        value: str = self.cleaned_data.get("tags", "")
        try:
            parse_bookmark_tags(value)
        except ValidationError as exc:
            raise ValidationError([f"Your tags: {m}" for m in exc.messages]) from exc
        return value

    def data_for_service(self) -> BookmarkData:
        return BookmarkData(
            pseud=self.cleaned_data["pseud"],
            notes=self.cleaned_data["notes"],
            tags=self.cleaned_data["tags"],
            rec=self.cleaned_data["rec"],
            private=self.cleaned_data["private"],
        )


def _pseud_name(pseud: Pseud) -> str:
    return pseud.name


def initial_from(bookmark: Any) -> dict[str, Any]:
    """The form's values for editing `bookmark` (the notes as stored, sanitized HTML)."""
    return {
        "pseud": bookmark.pseud,
        "notes": bookmark.notes,
        "tags": ", ".join(t.name for t in bookmark.tags.all()),
        "rec": bookmark.rec,
        "private": bookmark.private,
    }
