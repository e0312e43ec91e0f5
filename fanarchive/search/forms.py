"""What the search sidebar shows: the current values of a WorkQuery and the facets as tick
boxes. The query itself is parsed by WorkQuery.from_params (forgiving, never a 500)."""

from __future__ import annotations

from dataclasses import dataclass

from fanarchive.tags.models import TagType
from fanarchive.tags.names import tag_key

from .backends.base import FACET_TYPES, WorkResults
from .query import SORTS, WorkQuery

TOP = 10
# Entries under "More …" per type. AO3 lists only its top 10; every entry would make the page of
# a broad tag megabytes at a million works (tens of thousands of additional tags), and most of its
# time. A ticked tag beyond the cut stays in the "Other tags" box (views.unlisted_include).
MORE = 40
FACETS_LISTED = TOP + MORE  # what the page asks the backend for (facet_limit)


@dataclass(frozen=True)
class FacetEntry:
    name: str
    count: int
    included: bool
    excluded: bool


@dataclass(frozen=True)
class FacetGroup:
    type: str
    label: str
    top: list[FacetEntry]
    more: list[FacetEntry]


def facet_groups(query: WorkQuery, results: WorkResults) -> list[FacetGroup]:
    included = {tag_key(n) for n in query.include + query.ratings + query.warnings}
    included |= {tag_key(n) for n in query.categories}
    excluded = {tag_key(n) for n in query.exclude}
    groups = []
    for tag_type in FACET_TYPES:
        entries = [
            FacetEntry(
                tag.name, count, tag_key(tag.name) in included, tag_key(tag.name) in excluded
            )
            # Only what the sidebar lists (a broad result has tens of thousands at 1M).
            for tag, count in results.facets.get(tag_type, [])[:FACETS_LISTED]
        ]
        if entries:
            label = FACET_LABELS.get(tag_type, TagType(tag_type).label)
            groups.append(FacetGroup(tag_type, label, entries[:TOP], entries[TOP:]))
    return groups


# AO3's sidebar headings.
FACET_LABELS = {
    "rating": "Ratings",
    "warning": "Archive Warnings",
    "category": "Categories",
    "fandom": "Fandoms",
    "relationship": "Relationships",
    "character": "Characters",
    "freeform": "Additional Tags",
}


class SidebarForm:
    """The sidebar's values (a GET form: nothing to validate beyond WorkQuery's parsing)."""

    sorts = list(SORTS.items())

    def __init__(self, query: WorkQuery) -> None:
        self.query = query
        listed = query.include
        self.other_tags = ", ".join(listed)
        self.other_exclude = ", ".join(query.exclude)
        self.any_groups = [", ".join(g) for g in query.any_of]
        self.number_ranges = [
            (name, label, getattr(query, f"{name}_from"), getattr(query, f"{name}_to"))
            for name, label in (
                ("words", "Word count"),
                ("kudos", "Kudos"),
                ("hits", "Hits"),
                ("comments", "Comments"),
                ("bookmarks", "Bookmarks"),
            )
        ]
        self.date_ranges = [
            (name, label, getattr(query, f"{name}_from"), getattr(query, f"{name}_to"))
            for name, label in (("posted", "Date posted"), ("updated", "Date updated"))
        ]
        self.limits = [
            (f"max_{name}", name, getattr(query, f"max_{name}"))
            for name in ("fandoms", "relationships", "characters", "tags")
        ]
