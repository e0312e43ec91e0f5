"""Signals the tags app sends. The tags app knows nothing of works; the works app listens and
recomputes what works are filtered under, inside the same transaction."""

from django.dispatch import Signal

# Sent by the wrangling services with `tag_ids`: tags whose filter sets may have changed.
tag_filters_changed = Signal()

# Sent by tag_rename with `tag_ids`: the names written on some works changed.
tags_renamed = Signal()
