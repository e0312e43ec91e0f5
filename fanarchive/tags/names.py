"""Tag names: AO3's rules for what a name may hold, the comparison key, and URL escaping."""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from django.core.exceptions import ValidationError

MAX_TAG_NAME_LENGTH = 150
FORBIDDEN_CHARACTERS = ",^*<>{}=`\\%"

# AO3 escapes these characters in tag URLs before percent-encoding: `/` → `*s*` and so on.
_URL_ESCAPES = (("/", "*s*"), ("&", "*a*"), (".", "*d*"), ("?", "*q*"), ("#", "*h*"))


def tag_key(name: str) -> str:
    """The form two names are compared in: NFKC-normalised, case-folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


def clean_tag_name(name: str) -> str:
    """Collapse white space the way AO3 stores names."""
    return " ".join(name.split())


def tag_name_problem(name: str) -> str | None:
    """What is wrong with a tag name, or None when it follows AO3's rules."""
    if not name.strip():
        return "a tag name cannot be empty"
    if len(name) > MAX_TAG_NAME_LENGTH:
        return f"a tag name has at most {MAX_TAG_NAME_LENGTH} characters, this has {len(name)}"
    bad = sorted({c for c in name if c in FORBIDDEN_CHARACTERS})
    if bad:
        shown = " ".join(bad)
        return f"a tag name cannot contain {shown} (forbidden: {' '.join(FORBIDDEN_CHARACTERS)})"
    return None


def validate_tag_name(name: str) -> None:
    if problem := tag_name_problem(name):
        raise ValidationError(problem)


def tag_to_url(name: str) -> str:
    """The URL form of a tag name: AO3's `*s*` escapes, then percent-encoding."""
    for char, escape in _URL_ESCAPES:
        name = name.replace(char, escape)
    return quote(name, safe="*")


def tag_from_url(value: str) -> str:
    """The tag name a URL segment stands for (Django has already percent-decoded it)."""
    for char, escape in _URL_ESCAPES:
        value = value.replace(escape, char)
    return value
