from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def ensure_fixed_tags(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """The ratings, archive warnings and categories always exist: created by migration
    tags/0002, and re-created after anything that empties the tables (`flush`, which the
    transactional tests use) as Django re-creates content types."""
    from .fixed import FIXED_TAGS
    from .models import Tag
    from .names import tag_key

    existing = set(Tag.objects.using(using).values_list("key", flat=True))
    missing = [
        Tag(name=name, key=tag_key(name), type=tag_type, canonical=True)
        for tag_type, names in FIXED_TAGS.items()
        for name in names
        if tag_key(name) not in existing
    ]
    if missing:
        Tag.objects.using(using).bulk_create(missing)


class TagsConfig(AppConfig):
    name = "fanarchive.tags"
    label = "tags"

    def ready(self) -> None:
        post_migrate.connect(ensure_fixed_tags, sender=self, dispatch_uid="tags-fixed")
