"""Signals the works app sends, so that higher apps (search, social) can follow changes
without the works app knowing them. Sent inside the writing transaction."""

from django.dispatch import Signal

# Sent with `work_ids` after works were created or changed (metadata, tags, chapters, text,
# visibility) by a works service, the importer or the demo loader.
works_changed = Signal()
# Sent with `work_ids` just before works are deleted.
works_deleted = Signal()
