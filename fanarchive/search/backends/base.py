"""The search backend interface, its results, and the resolution of a WorkQuery's tag names
into the conditions every backend evaluates (so that all backends resolve names alike)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from fanarchive.tags.fixed import resolve_fixed
from fanarchive.tags.models import Tag, TagType
from fanarchive.tags.names import tag_key

if TYPE_CHECKING:
    from fanarchive.works.permissions import Viewer

    from ..query import WorkQuery

FACET_TYPES: tuple[str, ...] = (
    TagType.RATING.value,
    TagType.WARNING.value,
    TagType.CATEGORY.value,
    TagType.FANDOM.value,
    TagType.RELATIONSHIP.value,
    TagType.CHARACTER.value,
    TagType.FREEFORM.value,
)
# The types `max_tags` counts together: the tags a creator writes (not the fixed ones).
WRITTEN_TYPES: tuple[str, ...] = (
    TagType.FANDOM.value,
    TagType.RELATIONSHIP.value,
    TagType.CHARACTER.value,
    TagType.FREEFORM.value,
)


@dataclass(frozen=True)
class FacetTag:
    id: int
    name: str
    type: str


@dataclass(frozen=True)
class TagMatch:
    """One tag condition: `by_filter` matches works filtered under `tag_id` (WorkFilter),
    otherwise works that carry exactly `tag_id` (WorkTag, for unwrangled tags)."""

    tag_id: int
    by_filter: bool


@dataclass(frozen=True)
class ResolvedQuery:
    """A WorkQuery with its tag names turned into conditions."""

    include: tuple[TagMatch, ...]
    exclude: tuple[TagMatch, ...]
    any_of: tuple[tuple[TagMatch, ...], ...]  # ratings become one more group here
    hide: tuple[TagMatch, ...]  # the viewer's saved tag excludes
    named: dict[str, Tag]  # tag key → the tag a name in the query resolved to
    unknown: tuple[str, ...]  # names no tag has


@dataclass
class WorkResults:
    """What a backend answers: one page of work ids in order, the total, the facets of the
    whole result set, and the matching passage of each work on the page (HTML, escaped, with
    <mark>) when there was text to look for."""

    ids: list[int]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple[FacetTag, int]]] = field(default_factory=dict)
    snippets: dict[int, str] = field(default_factory=dict)
    hidden_by_excludes: int = 0  # works matching that the viewer's saved excludes hide
    unknown_tags: tuple[str, ...] = ()

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.ids else 0

    @property
    def last(self) -> int:
        return self.first + len(self.ids) - 1 if self.ids else 0


class SearchBackend(Protocol):
    def search_works(
        self, query: WorkQuery, *, viewer: Viewer, facet_limit: int | None = None
    ) -> WorkResults:
        """`facet_limit`: at most that many facet entries a type (the first ones in facet
        order, their counts exact); None lists every tag of the result set."""
        ...


def match_for(tag: Tag) -> TagMatch:
    """How a tag is matched: canonical → its filter; synonym → its canonical's filter;
    unwrangled → the tag itself, as written on works."""
    if tag.canonical:
        return TagMatch(tag.id, True)
    if tag.merger_id is not None:
        return TagMatch(tag.merger_id, True)
    return TagMatch(tag.id, False)


def find_tags(names: list[str] | tuple[str, ...]) -> dict[str, Tag]:
    """The tags these names stand for, by key (fixed tags by their other spellings too)."""
    keys = {tag_key(name) for name in names}
    for name in names:
        for tag_type in TagType.fixed():
            if fixed := resolve_fixed(tag_type, name):
                keys.add(tag_key(fixed))
    found = {tag.key: tag for tag in Tag.objects.filter(key__in=keys)}
    out: dict[str, Tag] = {}
    for name in names:
        tag = found.get(tag_key(name))
        if tag is None:
            for tag_type in TagType.fixed():
                if fixed := resolve_fixed(tag_type, name):
                    tag = found.get(tag_key(fixed))
                    break
        if tag is not None:
            out[tag_key(name)] = tag
    return out


def resolve_query(query: WorkQuery) -> ResolvedQuery:
    """Resolve the names in `query` (one query for all of them, one more for saved excludes)."""
    named = find_tags(query.tag_names)
    unknown: list[str] = []

    def matches(names: tuple[str, ...]) -> tuple[TagMatch, ...]:
        out: list[TagMatch] = []
        for name in names:
            tag = named.get(tag_key(name))
            if tag is None:
                if name not in unknown:
                    unknown.append(name)
            elif (m := match_for(tag)) not in out:
                out.append(m)
        return tuple(out)

    include = matches(query.include + query.warnings + query.categories)
    exclude = matches(query.exclude)
    groups = [matches(group) for group in query.any_of]
    if query.ratings:
        groups.append(matches(query.ratings))
    hide: tuple[TagMatch, ...] = ()
    if query.hide_tag_ids and not query.show_excluded:
        hide = tuple(
            dict.fromkeys(match_for(t) for t in Tag.objects.filter(id__in=query.hide_tag_ids))
        )
    return ResolvedQuery(
        include=include,
        exclude=exclude,
        # A group whose names are all unknown is dropped (reported), not "matches nothing".
        any_of=tuple(g for g in groups if g),
        hide=hide,
        named=named,
        unknown=tuple(unknown),
    )
