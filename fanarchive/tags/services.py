"""Tag writes."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from .models import Tag, TagType
from .names import clean_tag_name, tag_key, tag_name_problem


class TagTypeConflict(ValueError):
    """A name is wanted as a tag of one type but a tag of another type already has it (AO3
    allows one tag per name, whatever its type)."""

    def __init__(self, *, name: str, wanted: TagType, existing: Tag) -> None:
        self.name = name
        self.wanted = TagType(wanted)
        self.existing = existing
        super().__init__(
            f'the tag "{existing.name}" already exists as a {existing.get_type_display()} tag, '
            f"not a {self.wanted.label} tag"
        )


@transaction.atomic(savepoint=False)
def tags_find_or_create(*, wanted: Sequence[tuple[TagType, str]]) -> list[Tag]:
    """User tags by (type, name), in order: the existing tag with that name (compared by
    `tag_key`, so case and spacing do not matter), else a new non-canonical tag of that type.

    One query to look them all up, one bulk insert for the new ones. A name taken by a tag of
    another type raises `TagTypeConflict`; an invalid name raises ValueError.
    """
    keyed: list[tuple[str, TagType, str]] = []
    for tag_type, name in wanted:
        name = clean_tag_name(name)
        if problem := tag_name_problem(name):
            raise ValueError(f'{problem}: "{name}"')
        keyed.append((tag_key(name), TagType(tag_type), name))
    found = {tag.key: tag for tag in Tag.objects.filter(key__in={key for key, _t, _n in keyed})}
    new: dict[str, Tag] = {}
    for key, tag_type, name in keyed:
        tag = found.get(key) or new.get(key)
        if tag is None:
            new[key] = Tag(name=name, key=key, type=tag_type, canonical=False)
        elif tag.type != tag_type:
            raise TagTypeConflict(name=name, wanted=tag_type, existing=tag)
    if new:
        Tag.objects.bulk_create(new.values())
        found.update(new)
    return [found[key] for key, _tag_type, _name in keyed]
