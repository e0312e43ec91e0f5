"""The work form: AO3's "Post New Work" page, its fields and its refusals.

Every refusal names its field ("Rating: …") so a writer always knows what to fix.

Counting the summary (and notes): AO3 limits a summary to 1,250 characters. We count what the
reader sees: the text of the summary *after* sanitizing (plain text made into paragraphs, HTML
cleaned), with its tags removed and entities decoded. Markup therefore never eats into the
limit, and markup the sanitizer throws away (scripts, attributes) never counts either; the raw
input is separately capped (SUMMARY_INPUT_MAX) so nobody can post megabytes of empty tags.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from fanarchive.accounts.models import Pseud, User
from fanarchive.core.sanitize import sanitize_html
from fanarchive.core.text import html_to_text, text_to_html
from fanarchive.tags.fixed import CATEGORIES, RATINGS, WARNINGS
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.names import clean_tag_name, tag_key, tag_name_problem
from fanarchive.works.chapters import TITLE_MAX as CHAPTER_TITLE_MAX
from fanarchive.works.chapters import ChapterContent
from fanarchive.works.languages import all_languages
from fanarchive.works.models import COMMENT_PERMISSIONS, COMMENTS_EVERYONE, Chapter, Series

from .selectors import pseuds_of, series_of

TITLE_MAX = 255
SUMMARY_MAX = 1250
NOTES_MAX = 5000
SUMMARY_INPUT_MAX = 10 * SUMMARY_MAX
NOTES_INPUT_MAX = 10 * NOTES_MAX
CHAPTER_TEXT_MAX = 500_000  # AO3's limit for one chapter
# The chapter form's own cap on a chapter's text (the work form's first chapter: CHAPTER_TEXT_MAX).
CHAPTER_FORM_TEXT_MAX = 510_000
USER_TAGS_MAX = 75  # fandoms + relationships + characters + additional tags (AO3)

TAG_FIELDS: tuple[tuple[str, TagType, str], ...] = (
    ("fandoms", TagType.FANDOM, "Fandoms"),
    ("relationships", TagType.RELATIONSHIP, "Relationships"),
    ("characters", TagType.CHARACTER, "Characters"),
    ("freeforms", TagType.FREEFORM, "Additional Tags"),
)

ACTION_POST = "post"
ACTION_DRAFT = "draft"
ACTION_PREVIEW = "preview"
# The chapter form's further buttons (it shares Post and Save as draft).
ACTION_SCHEDULE = "schedule"
ACTION_UPDATE = "update"
ACTIONS = (ACTION_POST, ACTION_DRAFT, ACTION_PREVIEW)


def formatted_html(value: str, *, plain: bool) -> str:
    """What a text field becomes when stored: plain text made into paragraphs (escaped), HTML
    sanitized; HTML without paragraphs gets them from its blank lines as AO3 does."""
    value = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not value:
        return ""
    if plain:
        return text_to_html(value)
    if "<p" not in value.lower() and "\n" in value:
        value = "\n".join(
            "<p>" + "<br />\n".join(para.split("\n")) + "</p>"
            for para in value.split("\n\n")
            if para.strip()
        )
    return sanitize_html(value)


def visible_length(stored_html: str) -> int:
    """The characters a reader sees in stored HTML (paragraph breaks count as one)."""
    return len(html_to_text(stored_html).replace("\n\n", "\n"))


def split_tags(value: str) -> list[str]:
    """A comma-separated tag list → names, white space collapsed, repeats (by key) dropped."""
    seen: dict[str, str] = {}
    for part in value.split(","):
        name = clean_tag_name(part)
        if name and tag_key(name) not in seen:
            seen[tag_key(name)] = name
    return list(seen.values())


@dataclass(frozen=True)
class Submission:
    """The cleaned form, ready for the works services."""

    title: str
    summary: str  # stored HTML
    notes: str
    end_notes: str
    language: str
    fixed_tags: list[tuple[TagType, str]]  # rating, warnings, categories
    user_tags: list[tuple[TagType, str]]  # fandoms, relationships, characters, additional
    pseuds: list[Pseud]
    co_creators: list[Pseud]  # default pseuds of the invited accounts
    restricted: bool
    comment_permission: str
    moderated_comments: bool
    expected_chapters: int | None
    series: Series | None
    series_title: str
    series_position: int | None
    chapter_title: str
    chapter_text: str  # stored HTML ("" when the form has no chapter fields)
    publish_at: datetime.datetime | None
    action: str


class WorkForm(forms.Form):
    """AO3's work form. `user` is the writer; `work_posted` is True when editing a posted work
    (no scheduling then); `with_chapter` is False when editing a work of several chapters
    (their text is edited on the chapter pages); `chapter_total`: the chapters it has."""

    # Tags
    rating = forms.ChoiceField(
        label="Rating",
        choices=[("", "Choose a rating")] + [(r, r) for r in RATINGS],
        error_messages={"required": "Choose a rating.", "invalid_choice": "Choose a rating."},
    )
    warnings = forms.MultipleChoiceField(
        label="Archive Warnings",
        choices=[(w, w) for w in WARNINGS],
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one warning (or that you choose not to warn).",
            "invalid_choice": "%(value)s is not an archive warning.",
        },
    )
    categories = forms.MultipleChoiceField(
        label="Categories",
        choices=[(c, c) for c in CATEGORIES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        error_messages={"invalid_choice": "%(value)s is not a category."},
    )
    fandoms = forms.CharField(
        label="Fandoms",
        max_length=10_000,
        error_messages={"required": "Name at least one fandom."},
    )
    relationships = forms.CharField(label="Relationships", max_length=10_000, required=False)
    characters = forms.CharField(label="Characters", max_length=10_000, required=False)
    freeforms = forms.CharField(label="Additional Tags", max_length=10_000, required=False)
    # Preface
    title = forms.CharField(
        label="Work Title",
        max_length=2 * TITLE_MAX,
        error_messages={"required": "A work needs a title."},
    )
    pseuds = forms.MultipleChoiceField(
        label="Creator/Pseud(s)",
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one of your pseuds.",
            "invalid_choice": "That pseud (%(value)s) is not one of yours.",
        },
    )
    co_creators = forms.CharField(
        label="Add co-creators",
        required=False,
        max_length=2000,
        help_text="Their account names (logins), separated by commas. Each is invited and is "
        "credited once they accept.",
    )
    summary = forms.CharField(
        label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    notes = forms.CharField(
        label="Notes at the beginning", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    end_notes = forms.CharField(
        label="Notes at the end", required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    # Associations
    language = forms.ChoiceField(
        label="Choose a language",
        required=False,
        error_messages={"invalid_choice": "%(value)s is not a language the archive knows."},
    )
    series_existing = forms.ChoiceField(
        label="Add to one of your series",
        required=False,
        error_messages={"invalid_choice": "That series is not one of yours."},
    )
    series_title = forms.CharField(
        label="Or create a new series", required=False, max_length=2 * TITLE_MAX
    )
    series_position = forms.CharField(
        label="Part number in the series",
        required=False,
        max_length=20,
        help_text="Leave empty to add it as the last part.",
    )
    expected_chapters = forms.CharField(
        label="Expected number of chapters",
        required=False,
        max_length=20,
        initial="1",
        help_text="A number, or ? (or empty) if you don't know yet.",
    )
    # Privacy
    restricted = forms.BooleanField(label="Only show your work to registered users", required=False)
    comment_permission = forms.ChoiceField(
        label="Who can comment on this work",
        choices=COMMENT_PERMISSIONS,
        initial=COMMENTS_EVERYONE,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose who can comment."},
    )
    moderated_comments = forms.BooleanField(label="Enable comment moderation", required=False)
    # Scheduling
    publish_at = forms.DateTimeField(
        label="Post at",
        required=False,
        input_formats=[
            "%Y-%m-%dT%H:%M",
            "%Y-%m-%dT%H:%M:%S",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%d %H:%M:%S",
        ],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="Leave empty to post now. A work with a time stays a draft until then.",
        error_messages={"invalid": "Enter a date and time, like 2030-05-01 18:30."},
    )
    # The first chapter
    chapter_title = forms.CharField(label="Chapter title", required=False, max_length=2 * TITLE_MAX)
    text_format = forms.ChoiceField(
        label="Text format",
        choices=[("html", "HTML"), ("plain", "Plain text (blank lines separate paragraphs)")],
        initial="html",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the text format.",
            "invalid_choice": "Choose HTML or plain text.",
        },
    )
    chapter_text = forms.CharField(
        label="Work Text",
        widget=forms.Textarea(attrs={"rows": 18}),
        error_messages={"required": "Your work needs some text."},
    )

    def __init__(
        self,
        *args: Any,
        user: User,
        work_posted: bool = False,
        with_chapter: bool = True,
        chapter_total: int = 1,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.chapter_total = chapter_total
        self.work_posted = work_posted
        self.with_chapter = with_chapter
        self.user_pseuds = {str(p.pk): p for p in pseuds_of(user)}
        pseuds_field = self.fields["pseuds"]
        assert isinstance(pseuds_field, forms.ChoiceField)
        pseuds_field.choices = [(pk, p.name) for pk, p in self.user_pseuds.items()]
        if not self.is_bound and "pseuds" not in self.initial:
            default = next((pk for pk, p in self.user_pseuds.items() if p.is_default), None)
            self.initial["pseuds"] = [default] if default else []
        self.user_series = {str(s.pk): s for s in series_of(user)}
        series_field = self.fields["series_existing"]
        assert isinstance(series_field, forms.ChoiceField)
        series_field.choices = [("", "None")] + [
            (pk, s.title) for pk, s in self.user_series.items()
        ]
        language_field = self.fields["language"]
        assert isinstance(language_field, forms.ChoiceField)
        languages = sorted(
            ((code, lang.name) for code, lang in all_languages().items()),
            key=lambda item: item[1].casefold(),
        )
        language_field.choices = [("", "Choose a language"), *languages]
        if not self.is_bound and "language" not in self.initial:
            self.initial["language"] = "en"
        if work_posted:
            del self.fields["publish_at"]
        if not with_chapter:
            for name in ("chapter_title", "chapter_text", "text_format"):
                del self.fields[name]
        autocomplete = reverse("search:tag_autocomplete")
        for name, tag_type, _label in TAG_FIELDS:
            self.fields[name].widget.attrs.update(
                {
                    "autocomplete": "off",
                    "data-tag-autocomplete": autocomplete,
                    "data-tag-type": tag_type.value,
                }
            )
        limits = {"summary": SUMMARY_MAX, "notes": NOTES_MAX, "end_notes": NOTES_MAX}
        for name, limit in limits.items():
            self.fields[name].widget.attrs["data-visible-max"] = str(limit)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"id_{name}-help"

    def mark_errors(self) -> None:
        """Point each refused input at its error message (for screen readers)."""
        for name in self.errors:
            if name not in self.fields:
                continue
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            described = [f"id_{name}-error", attrs.get("aria-describedby", "")]
            attrs["aria-describedby"] = " ".join(d for d in described if d)

    # --- Field checks -------------------------------------------------------------------------

    def clean_title(self) -> str:
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise forms.ValidationError("A work needs a title.")
        if len(title) > TITLE_MAX:
            raise forms.ValidationError(
                f"A title has at most {TITLE_MAX} characters; this one has {len(title)}."
            )
        return title

    def _tag_names(self, field: str) -> list[str]:
        names = split_tags(self.cleaned_data.get(field, ""))
        problems = [f'"{name}": {problem}' for name in names if (problem := tag_name_problem(name))]
        if problems:
            raise forms.ValidationError(problems)
        return names

    def clean_fandoms(self) -> list[str]:
        names = self._tag_names("fandoms")
        if not names:
            raise forms.ValidationError("Name at least one fandom.")
        return names

    def clean_relationships(self) -> list[str]:
        return self._tag_names("relationships")

    def clean_characters(self) -> list[str]:
        return self._tag_names("characters")

    def clean_freeforms(self) -> list[str]:
        return self._tag_names("freeforms")

    def _plain(self) -> bool:
        return self.data.get(self.add_prefix("text_format")) == "plain"

    def _formatted(self, field: str, *, limit: int, input_limit: int, label: str) -> str:
        raw = self.cleaned_data.get(field, "")
        if len(raw) > input_limit:
            raise forms.ValidationError(
                f"{label} can have at most {limit:,} characters; this has {len(raw):,} "
                "characters of text and markup."
            )
        stored = formatted_html(raw, plain=self._plain())
        length = visible_length(stored)
        if length > limit:
            raise forms.ValidationError(
                f"{label} can have at most {limit:,} characters (formatting not counted); "
                f"this one has {length:,}."
            )
        return stored

    def clean_summary(self) -> str:
        return self._formatted(
            "summary", limit=SUMMARY_MAX, input_limit=SUMMARY_INPUT_MAX, label="A summary"
        )

    def clean_notes(self) -> str:
        return self._formatted("notes", limit=NOTES_MAX, input_limit=NOTES_INPUT_MAX, label="Notes")

    def clean_end_notes(self) -> str:
        return self._formatted(
            "end_notes", limit=NOTES_MAX, input_limit=NOTES_INPUT_MAX, label="End notes"
        )

    def clean_chapter_title(self) -> str:
        title = " ".join(self.cleaned_data["chapter_title"].split())
        if len(title) > TITLE_MAX:
            raise forms.ValidationError(
                f"A chapter title has at most {TITLE_MAX} characters; this one has {len(title)}."
            )
        return title

    def clean_chapter_text(self) -> str:
        raw = self.cleaned_data["chapter_text"]
        if len(raw) > CHAPTER_TEXT_MAX:
            raise forms.ValidationError(
                f"A chapter has at most {CHAPTER_TEXT_MAX:,} characters; this has {len(raw):,}."
            )
        stored = formatted_html(raw, plain=self._plain())
        if not html_to_text(stored).strip():
            raise forms.ValidationError(
                "Your work needs some text (what you wrote had none left after cleaning the HTML)."
            )
        return stored

    def clean_co_creators(self) -> list[Pseud]:
        logins = [login.strip() for login in self.cleaned_data["co_creators"].split(",")]
        logins = [login for login in dict.fromkeys(logins) if login]
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=logins, is_active=True)
        }
        unknown = [login for login in logins if login not in users]
        if unknown:
            raise forms.ValidationError(
                "There is no account called " + ", ".join(f'"{login}"' for login in unknown) + "."
            )
        invited = []
        for login in logins:
            user = users[login]
            if user.pk == self.user.pk:
                continue  # one's own pseuds are chosen above
            pseud = Pseud.objects.filter(user=user, is_default=True).first()
            if pseud is None:
                raise forms.ValidationError(f'The account "{login}" has no pseud to credit.')
            invited.append(pseud)
        return invited

    def clean_series_existing(self) -> Series | None:
        value = self.cleaned_data["series_existing"]
        return self.user_series[value] if value else None

    def clean_series_position(self) -> int | None:
        value = self.cleaned_data["series_position"].strip()
        if not value:
            return None
        if not value.isdigit() or int(value) < 1:
            raise forms.ValidationError(
                f'The part number must be a whole number of 1 or more, not "{value}".'
            )
        if int(value) > 10_000:
            raise forms.ValidationError("The part number can be at most 10,000.")
        return int(value)

    def clean_expected_chapters(self) -> int | None:
        value = self.cleaned_data["expected_chapters"].strip()
        if value in ("", "?"):
            return None
        if not value.isdigit() or int(value) < 1:
            raise forms.ValidationError(
                f'Give a whole number of 1 or more, or ? if you don\'t know yet, not "{value}".'
            )
        if int(value) > 10_000:
            raise forms.ValidationError("A work can have at most 10,000 chapters.")
        if int(value) < self.chapter_total:
            raise forms.ValidationError(
                f"This work already has {self.chapter_total} chapters: expect at least that "
                "many, or ? if you don't know."
            )
        return int(value)

    def clean_publish_at(self) -> datetime.datetime | None:
        value: datetime.datetime | None = self.cleaned_data["publish_at"]
        if value is not None and value <= timezone.now():
            shown = timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
            raise forms.ValidationError(
                f"{shown} has already passed. Choose a time in the future, or leave it empty "
                "to post now."
            )
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        user_tags = [
            (tag_type, name)
            for field, tag_type, _label in TAG_FIELDS
            for name in (data.get(field) or [])
        ]
        if len(user_tags) > USER_TAGS_MAX:
            self.add_error(
                "freeforms",
                f"A work can have at most {USER_TAGS_MAX} fandoms, relationships, characters and "
                f"additional tags together; this one has {len(user_tags)}.",
            )
        self._check_tag_types(data)
        if data.get("series_existing") and (data.get("series_title") or "").strip():
            self.add_error(
                "series_title",
                "Choose one of your series or name a new one, not both.",
            )
        if data.get("series_position") and not (
            data.get("series_existing") or (data.get("series_title") or "").strip()
        ):
            self.add_error("series_position", "A part number needs a series.")
        return data

    def _check_tag_types(self, data: dict[str, Any]) -> None:
        """A name already used by a tag of another type (AO3 has one tag per name)."""
        wanted = {
            tag_key(name): (field, tag_type)
            for field, tag_type, _label in TAG_FIELDS
            for name in (data.get(field) or [])
        }
        if not wanted:
            return
        for tag in Tag.objects.filter(key__in=list(wanted)):
            field, tag_type = wanted[tag.key]
            if tag.type != tag_type:
                self.add_error(
                    field,
                    f'"{tag.name}" is already a {tag.get_type_display()} tag, so it cannot be '
                    f"used here; put it in that field or choose another name.",
                )

    def action(self) -> str:
        value = self.data.get("action", ACTION_POST)
        return value if value in ACTIONS else ACTION_POST

    def submission(self) -> Submission:
        """The cleaned form as a Submission (call after is_valid())."""
        data = self.cleaned_data
        fixed: list[tuple[TagType, str]] = [(TagType.RATING, data["rating"])]
        fixed += [(TagType.WARNING, w) for w in data["warnings"]]
        fixed += [(TagType.CATEGORY, c) for c in data["categories"]]
        user_tags = [
            (tag_type, name) for field, tag_type, _label in TAG_FIELDS for name in data[field]
        ]
        pseuds = [self.user_pseuds[pk] for pk in data["pseuds"]]
        return Submission(
            title=data["title"],
            summary=data["summary"],
            notes=data["notes"],
            end_notes=data["end_notes"],
            language=data.get("language") or "",
            fixed_tags=fixed,
            user_tags=user_tags,
            pseuds=pseuds,
            co_creators=data["co_creators"],
            restricted=data["restricted"],
            comment_permission=data["comment_permission"],
            moderated_comments=data["moderated_comments"],
            expected_chapters=data["expected_chapters"],
            series=data["series_existing"],
            series_title=" ".join(data["series_title"].split()),
            series_position=data["series_position"],
            chapter_title=data.get("chapter_title", ""),
            chapter_text=data.get("chapter_text", ""),
            publish_at=data.get("publish_at"),
            action=self.action(),
        )

    def error_list(self) -> Sequence[tuple[str, str, str]]:
        """Every error as (field id, field label, message), in the form's order, for the
        summary at the top of the page."""
        found = []
        for name, errors in self.errors.items():
            if name == "__all__":
                found += [("", "", str(e)) for e in errors]
                continue
            field = self[name]
            anchor = field.id_for_label or field.auto_id  # a group of boxes: its fieldset
            found += [(anchor, str(field.label), str(e)) for e in errors]
        return found


# --- Chapters -------------------------------------------------------------------------------


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
    title = forms.CharField(label="Chapter title", max_length=CHAPTER_TITLE_MAX, required=False)
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
        max_length=CHAPTER_FORM_TEXT_MAX,
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

    def __init__(self, *args: Any, action: str = ACTION_POST, max_position: int = 1, **kwargs: Any):
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
        if self.action == ACTION_SCHEDULE:
            if when is None and "publish_at" not in self.errors:
                self.add_error("publish_at", "Post at: choose when to post the chapter.")
            elif when is not None and when <= timezone.now():
                self.add_error("publish_at", "Post at: the time must be in the future.")
        return data

    def content(self) -> ChapterContent:
        data = self.cleaned_data
        return ChapterContent(
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
