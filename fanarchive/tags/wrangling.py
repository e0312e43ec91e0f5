"""Tag wrangling: the services that turn free-form tags into a clean vocabulary, as AO3's
wranglers do. Every service is atomic, checks AO3's rules, records a WranglingAction and tells
the works app (tag_filters_changed) which tags' filter sets may have changed, so listings are
right when the transaction commits."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Q

from fanarchive.accounts.models import User

from .graph import dependent_tags, metatag_closure
from .models import MetaTagging, ParentTagging, Tag, TagType, WranglingAction
from .names import clean_tag_name, tag_key, tag_name_problem
from .signals import tag_filters_changed, tags_renamed


class WranglingError(ValueError):
    """A wrangling change AO3's rules do not allow; the message says why."""


# Which types a tag of each type may have as parents (AO3's CommonTagging rules).
PARENT_TYPES: dict[str, frozenset[str]] = {
    TagType.FANDOM: frozenset({TagType.MEDIA}),
    TagType.CHARACTER: frozenset({TagType.FANDOM}),
    TagType.RELATIONSHIP: frozenset({TagType.FANDOM, TagType.CHARACTER}),
    TagType.FREEFORM: frozenset({TagType.FANDOM}),
}
WRANGLEABLE_TYPES = frozenset(
    {TagType.FANDOM, TagType.CHARACTER, TagType.RELATIONSHIP, TagType.FREEFORM, TagType.MEDIA}
)


def tag_state(tag: Tag) -> dict[str, Any]:
    """A tag's wrangling state, as recorded before and after each action."""
    return {
        "name": tag.name,
        "canonical": tag.canonical,
        "merger": tag.merger.name if tag.merger_id and tag.merger else None,
        "unwrangleable": tag.unwrangleable,
        "metatags": sorted(
            MetaTagging.objects.filter(sub=tag).values_list("meta__name", flat=True)
        ),
        "parents": sorted(
            ParentTagging.objects.filter(child=tag).values_list("parent__name", flat=True)
        ),
    }


def _record(tag: Tag, actor: User | None, action: str, before: dict[str, Any]) -> None:
    tag.refresh_from_db()
    WranglingAction.objects.create(
        tag=tag, actor=actor, action=action, before=before, after=tag_state(tag)
    )


def _refilter(tag_ids: Iterable[int]) -> None:
    tag_filters_changed.send(sender=Tag, tag_ids=set(tag_ids))


def _locked(tag: Tag) -> Tag:
    return Tag.objects.select_for_update(of=("self",)).select_related("merger").get(pk=tag.pk)


def _check_wrangleable(tag: Tag) -> None:
    if tag.type not in WRANGLEABLE_TYPES:
        raise WranglingError(
            f"{tag.name} is a {tag.get_type_display()} tag: the archive fixes those."
        )


@transaction.atomic
def tag_make_canonical(*, tag: Tag, wrangler: User | None) -> Tag:
    """Make a tag canonical. A synonym stops being one (its works follow it)."""
    tag = _locked(tag)
    _check_wrangleable(tag)
    if tag.canonical:
        return tag
    before = tag_state(tag)
    affected = dependent_tags([tag.pk])
    tag.canonical = True
    tag.merger = None
    tag.unwrangleable = False
    tag.save(update_fields=["canonical", "merger", "unwrangleable", "updated_at"])
    _refilter(affected)
    _record(tag, wrangler, "make canonical", before)
    return tag


@transaction.atomic
def tag_make_synonym(*, tag: Tag, of: Tag, wrangler: User | None) -> Tag:
    """Make `tag` a synonym of the canonical tag `of`. A canonical `tag` hands its synonyms,
    metatags, subtags, parents and children to `of` first, as AO3 does."""
    tag, of = _locked(tag), _locked(of)
    _check_wrangleable(tag)
    if tag.pk == of.pk:
        raise WranglingError(f"{tag.name} cannot be a synonym of itself.")
    if tag.type != of.type:
        raise WranglingError(
            f"{tag.name} is a {tag.get_type_display()} tag and {of.name} a "
            f"{of.get_type_display()} tag: a synonym must have the type of its canonical."
        )
    if not of.canonical:
        raise WranglingError(f"{of.name} is not canonical: only a canonical tag can have synonyms.")
    before = tag_state(tag)
    affected = dependent_tags([tag.pk, of.pk])
    if tag.canonical:
        _hand_over(tag, of)
    tag.canonical = False
    tag.merger = of
    tag.unwrangleable = False
    tag.save(update_fields=["canonical", "merger", "unwrangleable", "updated_at"])
    _refilter(affected | dependent_tags([of.pk]))
    _record(tag, wrangler, "make synonym", before)
    return tag


def _hand_over(tag: Tag, to: Tag) -> None:
    """Move a canonical tag's synonyms and links onto another canonical tag."""
    Tag.objects.filter(merger=tag).update(merger=to)
    to_metas = metatag_closure([to.pk])[to.pk]
    for link in MetaTagging.objects.filter(sub=tag).exclude(meta=to):
        if not _would_cycle(meta=link.meta_id, sub=to.pk):
            MetaTagging.objects.get_or_create(meta_id=link.meta_id, sub=to)
    for link in MetaTagging.objects.filter(meta=tag).exclude(sub=to):
        if link.sub_id not in to_metas and not _would_cycle(meta=to.pk, sub=link.sub_id):
            MetaTagging.objects.get_or_create(meta=to, sub_id=link.sub_id)
    MetaTagging.objects.filter(Q(sub=tag) | Q(meta=tag)).delete()
    for parent_id in ParentTagging.objects.filter(child=tag).values_list("parent_id", flat=True):
        ParentTagging.objects.get_or_create(parent_id=parent_id, child=to)
    for child_id in ParentTagging.objects.filter(parent=tag).values_list("child_id", flat=True):
        if child_id != to.pk:
            ParentTagging.objects.get_or_create(parent=to, child_id=child_id)
    ParentTagging.objects.filter(parent=tag).delete()


@transaction.atomic
def tag_uncanonicalize(*, tag: Tag, wrangler: User | None) -> Tag:
    """Take a tag's canonical status away. As on AO3 its synonyms are detached (they become
    unwrangled), its metatags and subtags are removed, and tags that had it as their parent lose
    that parent; its own parents stay."""
    tag = _locked(tag)
    _check_wrangleable(tag)
    if not tag.canonical:
        return tag
    before = tag_state(tag)
    affected = dependent_tags([tag.pk])
    Tag.objects.filter(merger=tag).update(merger=None)
    MetaTagging.objects.filter(Q(sub=tag) | Q(meta=tag)).delete()
    ParentTagging.objects.filter(parent=tag).delete()
    tag.canonical = False
    tag.save(update_fields=["canonical", "updated_at"])
    _refilter(affected)
    _record(tag, wrangler, "remove canonical", before)
    return tag


@transaction.atomic
def tag_remove_synonym(*, tag: Tag, wrangler: User | None) -> Tag:
    """Detach a synonym from its canonical; it becomes unwrangled."""
    tag = _locked(tag)
    if tag.merger_id is None:
        return tag
    before = tag_state(tag)
    affected = dependent_tags([tag.pk])
    tag.merger = None
    tag.save(update_fields=["merger", "updated_at"])
    _refilter(affected)
    _record(tag, wrangler, "remove synonym", before)
    return tag


def _would_cycle(*, meta: int, sub: int) -> bool:
    """Whether making `meta` a metatag of `sub` closes a loop."""
    return meta == sub or sub in metatag_closure([meta])[meta]


@transaction.atomic
def tag_add_metatag(*, tag: Tag, meta: Tag, wrangler: User | None) -> Tag:
    """Give a canonical tag a canonical metatag of the same type; refuses cycles."""
    tag, meta = _locked(tag), _locked(meta)
    _check_wrangleable(tag)
    if not (tag.canonical and meta.canonical):
        which = tag if not tag.canonical else meta
        raise WranglingError(f"{which.name} is not canonical: metatags link canonical tags.")
    if tag.type != meta.type:
        raise WranglingError(
            f"{meta.name} is a {meta.get_type_display()} tag and {tag.name} a "
            f"{tag.get_type_display()} tag: a metatag must have the type of its subtag."
        )
    if _would_cycle(meta=meta.pk, sub=tag.pk):
        raise WranglingError(
            f"{meta.name} is already {tag.name} itself or one of its subtags: "
            "metatags may not form a cycle."
        )
    before = tag_state(tag)
    _, created = MetaTagging.objects.get_or_create(meta=meta, sub=tag)
    if created:
        _refilter(dependent_tags([tag.pk]))
        _record(tag, wrangler, "add metatag", before)
    return tag


@transaction.atomic
def tag_remove_metatag(*, tag: Tag, meta: Tag, wrangler: User | None) -> Tag:
    tag = _locked(tag)
    before = tag_state(tag)
    deleted, _ = MetaTagging.objects.filter(meta=meta, sub=tag).delete()
    if deleted:
        _refilter(dependent_tags([tag.pk]))
        _record(tag, wrangler, "remove metatag", before)
    return tag


@transaction.atomic
def tag_add_parent(*, tag: Tag, parent: Tag, wrangler: User | None) -> Tag:
    """Give a tag a canonical parent of an allowed type (fandom → character, relationship,
    additional tag; character → relationship; media → fandom)."""
    tag = _locked(tag)
    allowed = PARENT_TYPES.get(tag.type, frozenset())
    if parent.type not in allowed:
        names = ", ".join(TagType(t).label for t in sorted(allowed)) or "no"
        raise WranglingError(
            f"{parent.name} is a {parent.get_type_display()} tag; a "
            f"{tag.get_type_display()} tag takes {names} tags as parents."
        )
    if not parent.canonical:
        raise WranglingError(f"{parent.name} is not canonical: only canonical tags are parents.")
    before = tag_state(tag)
    _, created = ParentTagging.objects.get_or_create(parent=parent, child=tag)
    if created:
        _record(tag, wrangler, "add parent", before)
    return tag


@transaction.atomic
def tag_remove_parent(*, tag: Tag, parent: Tag, wrangler: User | None) -> Tag:
    tag = _locked(tag)
    before = tag_state(tag)
    deleted, _ = ParentTagging.objects.filter(parent=parent, child=tag).delete()
    if deleted:
        _record(tag, wrangler, "remove parent", before)
    return tag


@transaction.atomic
def tag_mark_unwrangleable(*, tag: Tag, wrangler: User | None, value: bool = True) -> Tag:
    """Mark a free-form tag that will never be wrangled (AO3: neither canonical nor synonym)."""
    tag = _locked(tag)
    if value and (tag.canonical or tag.merger_id):
        raise WranglingError(
            f"{tag.name} is {'canonical' if tag.canonical else 'a synonym'}: "
            "only unwrangled tags can be marked unwrangleable."
        )
    if tag.unwrangleable == value:
        return tag
    before = tag_state(tag)
    tag.unwrangleable = value
    tag.save(update_fields=["unwrangleable", "updated_at"])
    _record(tag, wrangler, "mark unwrangleable" if value else "unmark unwrangleable", before)
    return tag


def _strip_accents(value: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))


@transaction.atomic
def tag_rename(*, tag: Tag, name: str, wrangler: User | None) -> Tag:
    """Rename a tag. Wranglers may change case and accents only; administrators anything."""
    tag = _locked(tag)
    name = clean_tag_name(name)
    if problem := tag_name_problem(name):
        raise WranglingError(problem)
    is_admin = bool(wrangler and wrangler.is_superuser)
    if not is_admin and _strip_accents(tag_key(name)) != _strip_accents(tag_key(tag.name)):
        raise WranglingError(
            f"Only an administrator can rename {tag.name} to {name}: "
            "wranglers may change case and accents only."
        )
    key = tag_key(name)
    if Tag.objects.filter(key=key).exclude(pk=tag.pk).exists():
        raise WranglingError(f"A tag named {name} exists already: make this tag its synonym.")
    before = tag_state(tag)
    tag.name, tag.key = name, key
    tag.save(update_fields=["name", "key", "updated_at"])
    tags_renamed.send(sender=Tag, tag_ids={tag.pk})
    _record(tag, wrangler, "rename", before)
    return tag
