"""The reference backend: a WorkQuery answered with plain ORM/SQL, one condition per field.

Obviously correct first; faster engines must return exactly what this returns. Everything is
computed by the database: the matching works as one filtered queryset starting from
`visible_works(viewer)`, the facets as one GROUP BY over WorkFilter restricted to the matching
ids (a subquery), the page with LIMIT/OFFSET.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Collate, Lower

from fanarchive.tags.models import MetaTagging, Tag, TagType
from fanarchive.works.models import Creatorship, Work, WorkFilter, WorkTag
from fanarchive.works.permissions import visible_works

from .. import text as fulltext
from ..query import WorkQuery, works_per_page
from ..text.parser import parse_text
from .base import (
    FACET_TYPES,
    WRITTEN_TYPES,
    FacetTag,
    ResolvedQuery,
    TagMatch,
    WorkResults,
    resolve_query,
)

if TYPE_CHECKING:
    from fanarchive.works.permissions import Viewer

STATS = ("hits", "kudos", "comments", "bookmarks")
MAX_TYPES = {
    "fandoms": (TagType.FANDOM,),
    "relationships": (TagType.RELATIONSHIP,),
    "characters": (TagType.CHARACTER,),
    "tags": WRITTEN_TYPES,
}


def works_with(match: TagMatch) -> QuerySet[Any]:
    """The ids of the works a tag condition matches (a subquery)."""
    if match.by_filter:
        return WorkFilter.objects.filter(tag_id=match.tag_id).values("work_id")
    return WorkTag.objects.filter(tag_id=match.tag_id).values("work_id")


def without(match: TagMatch) -> Any:
    """A condition on works: none of them may match `match`. Written as NOT EXISTS, which
    both databases plan as an anti-join: PostgreSQL cannot turn `id NOT IN (subquery)` into one
    (NULL semantics) and, when the subquery's rows do not fit in work_mem, rescans them for
    every work — minutes at a million works for a broad excluded tag."""
    model = WorkFilter if match.by_filter else WorkTag
    return ~Exists(model.objects.filter(tag_id=match.tag_id, work_id=OuterRef("pk")))


def works_with_any(matches: tuple[TagMatch, ...]) -> Q:
    by_filter = [m.tag_id for m in matches if m.by_filter]
    by_tag = [m.tag_id for m in matches if not m.by_filter]
    condition = Q(pk__in=[])
    if by_filter:
        condition |= Q(pk__in=WorkFilter.objects.filter(tag_id__in=by_filter).values("work_id"))
    if by_tag:
        condition |= Q(pk__in=WorkTag.objects.filter(tag_id__in=by_tag).values("work_id"))
    return condition


def crossover_ids() -> QuerySet[Any]:
    """Works filtered under at least two top-level fandoms (canonical fandoms without a
    metatag). The filter set is closed under metatags, so a fandom with a metatag always has
    that metatag beside it and never counts on its own."""
    return (
        WorkFilter.objects.filter(tag__type=TagType.FANDOM)
        .filter(~Exists(MetaTagging.objects.filter(sub_id=OuterRef("tag_id"))))
        .values("work_id")
        .annotate(n=Count("tag_id"))
        .filter(n__gte=2)
        .values("work_id")
    )


def _stat(name: str) -> Coalesce:
    return Coalesce(F(f"stats__{name}"), Value(0), output_field=IntegerField())


def _sortable(expression: Any) -> Any:
    """Case-folded (ASCII) and compared byte by byte on every database."""
    collation = "C" if connection.vendor == "postgresql" else "BINARY"
    return Collate(Lower(expression), collation)


class ReferenceBackend:
    def search_works(
        self, query: WorkQuery, *, viewer: Viewer, facet_limit: int | None = None
    ) -> WorkResults:
        resolved = resolve_query(query)
        terms = parse_text(query.text).terms
        matching = self.matching(query, resolved, viewer)
        shown = self.hide(matching, query, resolved)
        total = shown.count()
        hidden = matching.count() - total if shown is not matching else 0
        per_page = works_per_page()
        offset = (query.page - 1) * per_page
        ids = list(
            self.ordered(shown, query).values_list("id", flat=True)[offset : offset + per_page]
        )
        return WorkResults(
            ids=ids,
            total=total,
            page=query.page,
            per_page=per_page,
            facets=self.facets(shown, resolved, total, facet_limit),
            snippets=fulltext.snippets(terms, ids),
            hidden_by_excludes=hidden,
            unknown_tags=resolved.unknown,
        )

    # --- the result set ----------------------------------------------------------------
    def matching(self, query: WorkQuery, resolved: ResolvedQuery, viewer: Viewer) -> QuerySet[Work]:
        works = visible_works(viewer)
        for match in resolved.include:
            works = works.filter(pk__in=works_with(match))
        for match in resolved.exclude:
            works = works.filter(without(match))
        for group in resolved.any_of:
            works = works.filter(works_with_any(group))
        if query.complete is not None:
            works = works.filter(complete=query.complete)
        if query.crossover is True:
            works = works.filter(pk__in=crossover_ids())
        elif query.crossover is False:
            works = works.exclude(pk__in=crossover_ids())
        if query.single_chapter:
            works = works.filter(expected_chapters=1)
        if query.words_from is not None:
            works = works.filter(word_count__gte=query.words_from)
        if query.words_to is not None:
            works = works.filter(word_count__lte=query.words_to)
        for name in STATS:
            low, high = getattr(query, f"{name}_from"), getattr(query, f"{name}_to")
            if low is not None or high is not None:
                works = works.alias(**{f"_{name}": _stat(name)})
            if low is not None:
                works = works.filter(**{f"_{name}__gte": low})
            if high is not None:
                works = works.filter(**{f"_{name}__lte": high})
        for name, field in (("posted", "published"), ("updated", "updated")):
            low, high = getattr(query, f"{name}_from"), getattr(query, f"{name}_to")
            if low is not None:
                works = works.filter(**{f"{field}__gte": low})
            if high is not None:
                works = works.filter(**{f"{field}__lte": high})
        if query.language:
            works = works.filter(language=query.language)
        for name, types in MAX_TYPES.items():
            limit = getattr(query, f"max_{name}")
            if limit is not None:
                too_many = (
                    WorkTag.objects.filter(tag__type__in=types)
                    .values("work_id")
                    .annotate(n=Count("id"))
                    .filter(n__gt=limit)
                    .values("work_id")
                )
                works = works.exclude(pk__in=too_many)
        for operator, sql, params in fulltext.match_subqueries(parse_text(query.text).terms):
            raw = RawSQL(sql, params)  # noqa: S611 (the SQL is built from constants)
            condition = Q(pk__in=raw)
            works = works.filter(condition if operator == "in" else ~condition)
        return works

    def hide(
        self, works: QuerySet[Work], query: WorkQuery, resolved: ResolvedQuery
    ) -> QuerySet[Work]:
        """The viewer's saved excludes (unless the query shows them anyway)."""
        if query.show_excluded or not (resolved.hide or query.hide_user_ids):
            return works
        shown = works
        for match in resolved.hide:
            shown = shown.filter(without(match))
        if query.hide_user_ids:
            by_them = Creatorship.objects.filter(pseud__user_id__in=query.hide_user_ids)
            shown = shown.exclude(pk__in=by_them.values("work_id"))
        return shown

    def ordered(self, works: QuerySet[Work], query: WorkQuery) -> QuerySet[Work]:
        sort = query.effective_sort
        if sort == "relevance":
            sql, params = fulltext.rank_sql(
                parse_text(query.text).terms, f'"{Work._meta.db_table}"."id"'
            )
            rank = RawSQL(sql, params, output_field=FloatField())  # noqa: S611 (constants)
            works = works.annotate(_key=rank)
        elif sort in STATS:
            works = works.annotate(_key=_stat(sort))
        elif sort == "title":
            works = works.annotate(_key=_sortable("title"))
        elif sort == "creator":
            first = (
                Creatorship.objects.filter(work_id=OuterRef("pk"))
                .order_by("position", "id")
                .values("pseud__name")[:1]
            )
            works = works.annotate(_key=_sortable(Coalesce(Subquery(first), Value(""))))
        else:
            field = {"updated": "updated", "posted": "published", "words": "word_count"}[sort]
            works = works.annotate(_key=F(field))
        if query.descending:
            return works.order_by(F("_key").desc(), "-id")
        return works.order_by(F("_key").asc(), "id")

    # --- facets ------------------------------------------------------------------------
    def facets(
        self, works: QuerySet[Work], resolved: ResolvedQuery, total: int, limit: int | None = None
    ) -> dict[str, list[tuple[FacetTag, int]]]:
        rows = (
            WorkFilter.objects.filter(work_id__in=works.values("id"), tag__type__in=FACET_TYPES)
            .values("tag_id", "tag__name", "tag__type")
            .annotate(n=Count("id"))
            .order_by()
        )
        counts = {
            r["tag_id"]: (FacetTag(r["tag_id"], r["tag__name"], r["tag__type"]), r["n"])
            for r in rows
        }
        # Tags the query excludes stay listed with 0 (so they can be unticked); unwrangled
        # tags it includes are listed with the total (every result carries them).
        pinned = {m.tag_id: 0 for m in resolved.exclude}
        pinned |= {m.tag_id: total for m in resolved.include if not m.by_filter}
        missing = [tag_id for tag_id in pinned if tag_id not in counts]
        if missing:
            for tag in Tag.objects.filter(id__in=missing, type__in=FACET_TYPES).only(
                "id", "name", "type"
            ):
                counts[tag.id] = (FacetTag(tag.id, tag.name, tag.type), pinned[tag.id])
        return sort_facets(counts.values(), limit)


def sort_facets(entries: Any, limit: int | None = None) -> dict[str, list[tuple[FacetTag, int]]]:
    """Facets per type, largest count first, then by name and id; the first `limit` a type."""
    facets: dict[str, list[tuple[FacetTag, int]]] = {t: [] for t in FACET_TYPES}
    for tag, count in entries:
        facets[tag.type].append((tag, count))
    for entries_ in facets.values():
        entries_.sort(key=lambda e: (-e[1], e[0].name.casefold(), e[0].id))
        if limit is not None:
            del entries_[limit:]
    return facets
