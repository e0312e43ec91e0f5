"""Reads for the wranglers' pages: which tags wait in which fandom's bin, a page of them, the
assistant's suggestions for that page, and the works that still need a fandom.

A tag belongs to a canonical fandom F (is in F's bin) when
  - F is one of its parents (ParentTagging), or
  - a work tagged with F or with a synonym of F also carries the tag.
The second rule is what puts a freshly used tag in front of the fandom's wranglers before anyone
has given it a parent (AO3 creates that link when the work is posted; here it is derived).
Works filtered under F only through a *subtag* of F do not count: a metatag fandom such as
"Marvel" would otherwise collect every tag of every Marvel film.

A tag is *unwrangled* when it is neither canonical, nor a synonym, nor marked unwrangleable.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce

from fanarchive.tags.models import ParentTagging, Tag, TagType
from fanarchive.works.models import Work, WorkTag
from fanarchive.works.permissions import visible_works

if TYPE_CHECKING:
    from fanarchive.works.permissions import Viewer

log = logging.getLogger(__name__)

# The tag types a fandom's bins hold, in AO3's order.
BIN_TYPES: tuple[str, ...] = (TagType.RELATIONSHIP, TagType.CHARACTER, TagType.FREEFORM)
# The "unassigned" bins (tags with no fandom parent) also hold unwrangled fandom tags.
UNASSIGNED_TYPES: tuple[str, ...] = (TagType.FANDOM, *BIN_TYPES)
STATUSES = ("unwrangled", "canonical", "synonym", "unwrangleable")
SORTS = {"name": ("name", "id"), "count": ("-uses", "name", "id")}
TAGS_PER_PAGE = 50
WORKS_PER_PAGE = 25


def unwrangled_q(prefix: str = "") -> Q:
    """Tags neither canonical, nor synonyms, nor unwrangleable (`prefix` for related lookups)."""
    return Q(
        **{
            f"{prefix}canonical": False,
            f"{prefix}merger__isnull": True,
            f"{prefix}unwrangleable": False,
        }
    )


def status_q(status: str) -> Q:
    if status == "canonical":
        return Q(canonical=True)
    if status == "synonym":
        return Q(merger__isnull=False)
    if status == "unwrangleable":
        return Q(unwrangleable=True)
    return unwrangled_q()


# --- The wrangling home ---------------------------------------------------------------------


@dataclass
class FandomBin:
    fandom: Tag
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count_list(self) -> list[tuple[str, str, int]]:
        """(type value, type label, count) for each bin type, for templates."""
        return [(t, TagType(t).label, self.counts.get(t, 0)) for t in BIN_TYPES]


def fandom_bins() -> list[FandomBin]:
    """Every canonical fandom with unwrangled tags in its bins, with counts per type, fandoms
    with most waiting first. Three queries, whatever the number of fandoms."""
    pairs: set[tuple[int, int, str]] = set()
    pairs.update(
        ParentTagging.objects.filter(
            unwrangled_q("child__"),
            parent__type=TagType.FANDOM,
            parent__canonical=True,
            child__type__in=BIN_TYPES,
        ).values_list("parent_id", "child_id", "child__type")
    )
    # Work tags of unwrangled tags, joined to the fandom tags of the same work. One filter()
    # call so that both conditions and the annotation use the same join.
    co_used = (
        WorkTag.objects.filter(
            unwrangled_q("tag__"),
            Q(work__work_tags__tag__canonical=True) | Q(work__work_tags__tag__merger__isnull=False),
            tag__type__in=BIN_TYPES,
            work__work_tags__tag__type=TagType.FANDOM,
        )
        .annotate(fandom=Coalesce("work__work_tags__tag__merger_id", "work__work_tags__tag_id"))
        .values_list("fandom", "tag_id", "tag__type")
        .distinct()
    )
    pairs.update(co_used)
    counts: dict[int, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for fandom_id, tag_id, tag_type in pairs:
        counts[fandom_id][tag_type].add(tag_id)
    fandoms = Tag.objects.filter(id__in=counts.keys(), canonical=True).order_by("name")
    bins = [
        FandomBin(fandom=f, counts={t: len(ids) for t, ids in counts[f.id].items()})
        for f in fandoms
    ]
    bins.sort(key=lambda b: -b.total)
    return bins


def unassigned_counts() -> dict[str, int]:
    """Unwrangled tags with no fandom parent, per type. One query."""
    rows = (
        _unassigned(Tag.objects.filter(unwrangled_q(), type__in=UNASSIGNED_TYPES))
        .values("type")
        .annotate(n=Count("id"))
        .values_list("type", "n")
    )
    found = dict(rows)
    return {t: found.get(t, 0) for t in UNASSIGNED_TYPES}


def _unassigned(tags: QuerySet[Tag]) -> QuerySet[Tag]:
    with_fandom = ParentTagging.objects.filter(parent__type=TagType.FANDOM).values("child_id")
    return tags.exclude(id__in=with_fandom)


# --- A bin ------------------------------------------------------------------------------------


def in_fandom_q(fandom: Tag) -> Q:
    """Tags that belong to the canonical fandom `fandom` (see the module's docstring)."""
    fandom_works = WorkTag.objects.filter(Q(tag=fandom) | Q(tag__merger=fandom)).values("work_id")
    return Q(id__in=ParentTagging.objects.filter(parent=fandom).values("child_id")) | Q(
        id__in=WorkTag.objects.filter(work_id__in=fandom_works).values("tag_id")
    )


def bin_tags(
    *,
    fandom: Tag | None,
    tag_type: str,
    status: str = "unwrangled",
    sort: str = "name",
    page: int | str = 1,
    per_page: int = TAGS_PER_PAGE,
) -> Page:
    """One page of the tags of `tag_type` in `fandom`'s bin (or, with no fandom, of the tags
    with no fandom parent), with the given wrangling status, each annotated with `uses` (the
    number of works carrying it, drafts and restricted works included) and its merger loaded.
    Two queries. Raises django.core.paginator.InvalidPage for a page out of range."""
    tags = Tag.objects.filter(status_q(status), type=tag_type)
    tags = tags.filter(in_fandom_q(fandom)) if fandom is not None else _unassigned(tags)
    tags = tags.select_related("merger").annotate(uses=Count("work_tags"))
    order = SORTS.get(sort, SORTS["name"])
    return Paginator(tags.order_by(*order), per_page).page(page)


def parents_of(tags: Sequence[Tag]) -> dict[int, list[Tag]]:
    """The parents of each tag, in one query."""
    out: dict[int, list[Tag]] = {t.pk: [] for t in tags}
    links = ParentTagging.objects.filter(child__in=[t.pk for t in tags]).select_related("parent")
    for link in links.order_by("parent__name"):
        out[link.child_id].append(link.parent)
    return out


# --- The assistant ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Advice:
    """The assistant's first synonym and parent suggestion for one tag (each may be None)."""

    synonym: object | None = None  # fanarchive.tags.assistant.Suggestion
    parent: object | None = None


def assistant_advice(
    tags: Iterable[Tag], *, fandom: Tag | None = None, parents: dict[int, list[Tag]] | None = None
) -> dict[int, Advice]:
    """For each tag, the assistant's top synonym and top parent it does not have yet, computed
    in memory against the cached vocabulary (no query per tag). An empty dict if the assistant
    is missing or fails: the pages work without it."""
    tags = list(tags)
    if not tags:
        return {}
    try:
        from fanarchive.tags.assistant import suggest
        from fanarchive.tags.assistant.vocabulary import cached_vocabulary

        vocabulary = cached_vocabulary()
        fandoms = [fandom.name] if fandom is not None else []
        advice: dict[int, Advice] = {}
        for tag in tags:
            found = suggest(tag.name, tag_type=tag.type, vocabulary=vocabulary, fandoms=fandoms)
            has = {p.name for p in (parents or {}).get(tag.pk, [])}
            synonym = next((s for s in found.synonyms if s.name != tag.name), None)
            parent = next((s for s in found.parents if s.name not in has), None)
            advice[tag.pk] = Advice(synonym=synonym, parent=parent)
        return advice
    except Exception:  # the assistant is optional: never let it break a wrangling page
        log.exception("wrangling assistant failed")
        return {}


# --- Autocomplete ----------------------------------------------------------------------------


def autocomplete(*, term: str, tag_type: str = "", limit: int = 15) -> list[dict[str, object]]:
    """Tags whose name contains every word of `term`: canonical tags first, then names that
    start with the term, then by name. One query."""
    words = term.split()
    if not words:
        return []
    tags = Tag.objects.all()
    for word in words:
        tags = tags.filter(name__icontains=word)
    if tag_type in TagType.values:
        tags = tags.filter(type=tag_type)
    prefix = Q(name__istartswith=term.strip())
    starts = Case(When(prefix, then=Value(1)), default=Value(0), output_field=IntegerField())
    rows = list(tags.annotate(starts=starts).order_by("-canonical", "-starts", "name")[:limit])
    return [{"name": t.name, "type": t.type, "canonical": t.canonical} for t in rows]


# --- Works that need a fandom ----------------------------------------------------------------


def works_without_fandom(works: QuerySet[Work]) -> QuerySet[Work]:
    return works.exclude(id__in=WorkTag.objects.filter(tag__type=TagType.FANDOM).values("work_id"))


def fandom_candidates(work_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each work, the fandom parents of its relationship and character tags and of those
    tags' canonical tags (for synonyms). Two queries per 500 works."""
    ids = list(work_ids)
    out: dict[int, set[int]] = {w: set() for w in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = WorkTag.objects.filter(
            work_id__in=chunk, tag__type__in=(TagType.RELATIONSHIP, TagType.CHARACTER)
        ).values_list("work_id", "tag_id", "tag__merger_id")
        tags_of: dict[int, set[int]] = defaultdict(set)
        for work_id, tag_id, merger_id in rows:
            tags_of[work_id].add(tag_id)
            if merger_id:
                tags_of[work_id].add(merger_id)
        all_tags = {t for tags in tags_of.values() for t in tags}
        fandoms_of: dict[int, set[int]] = defaultdict(set)
        for child_id, parent_id in ParentTagging.objects.filter(
            child_id__in=all_tags, parent__type=TagType.FANDOM
        ).values_list("child_id", "parent_id"):
            fandoms_of[child_id].add(parent_id)
        for work_id, tags in tags_of.items():
            for tag in tags:
                out[work_id] |= fandoms_of.get(tag, set())
    return out


@dataclass
class WorkNeedingFandom:
    work: Work
    relationships: list[Tag]
    characters: list[Tag]
    candidates: list[Tag]


def works_needing_fandom(*, viewer: Viewer, page: int | str = 1) -> Page:
    """A page of the posted works `viewer` may see that carry no fandom tag, newest first, each
    with its relationship and character tags and the fandoms its tags point to (two or more:
    a single one would have been set by `works_infer_fandom`). Five queries."""
    works = works_without_fandom(visible_works(viewer)).order_by("-updated", "-id")
    # Page[Any]: its Work rows are replaced by WorkNeedingFandom rows below.
    current: Page[Any] = Paginator(works, WORKS_PER_PAGE).page(page)
    items: list[Work] = list(current.object_list)
    ids = [w.pk for w in items]
    tags: dict[int, dict[str, list[Tag]]] = {w: defaultdict(list) for w in ids}
    work_tags = (
        WorkTag.objects.filter(
            work_id__in=ids, tag__type__in=(TagType.RELATIONSHIP, TagType.CHARACTER)
        )
        .select_related("tag")
        .order_by("position", "id")
    )
    for wt in work_tags:
        tags[wt.work_id][wt.tag.type].append(wt.tag)
    candidates = fandom_candidates(ids)
    fandoms = Tag.objects.in_bulk({f for fs in candidates.values() for f in fs})
    current.object_list = [
        WorkNeedingFandom(
            work=w,
            relationships=tags[w.pk][TagType.RELATIONSHIP],
            characters=tags[w.pk][TagType.CHARACTER],
            candidates=sorted((fandoms[f] for f in candidates[w.pk]), key=lambda t: t.name),
        )
        for w in items
    ]
    return current
