"""The archive's fixed tags: AO3's ratings, archive warnings and categories, with the other
spellings found in exports and AO3's data dump."""

from __future__ import annotations

from .models import TagType

RATINGS = ("Not Rated", "General Audiences", "Teen And Up Audiences", "Mature", "Explicit")
WARNINGS = (
    "Creator Chose Not To Use Archive Warnings",
    "No Archive Warnings Apply",
    "Graphic Depictions Of Violence",
    "Major Character Death",
    "Rape/Non-Con",
    "Underage Sex",
)
CATEGORIES = ("Gen", "F/M", "M/M", "F/F", "Multi", "Other")

FIXED_TAGS: dict[TagType, tuple[str, ...]] = {
    TagType.RATING: RATINGS,
    TagType.WARNING: WARNINGS,
    TagType.CATEGORY: CATEGORIES,
}

# Other spellings of fixed tags, as keys (casefolded) → the archive's name.
ALIASES: dict[TagType, dict[str, str]] = {
    TagType.RATING: {
        "teen and up": "Teen And Up Audiences",
        "general": "General Audiences",
    },
    TagType.WARNING: {
        "choose not to use archive warnings": "Creator Chose Not To Use Archive Warnings",
        "creator chose not to use warnings": "Creator Chose Not To Use Archive Warnings",
        "underage": "Underage Sex",
        "no warnings apply": "No Archive Warnings Apply",
        "rape/non-con": "Rape/Non-Con",
    },
    TagType.CATEGORY: {},
}

# Ratings that put a work behind the adult gate (AO3: Mature, Explicit and Not Rated).
ADULT_RATINGS = frozenset({"Not Rated", "Mature", "Explicit"})


def resolve_fixed(tag_type: TagType, value: str) -> str | None:
    """The archive's name of a fixed tag written as `value`, or None if it is not one."""
    folded = " ".join(value.split()).casefold()
    for name in FIXED_TAGS[tag_type]:
        if name.casefold() == folded:
            return name
    return ALIASES[tag_type].get(folded)
