"""The wrangling assistant: for any tag name, existing or proposed, the canonical tag it is most
likely a synonym of, its likely metatags and its likely parents, ranked, each with a reason.

    from fanarchive.tags.assistant import suggest
    suggest("Rodney/John", tag_type="relationship").as_dict()
    # {"synonyms": [{"name": "Rodney McKay/John Sheppard", "score": …, "reason": …}], …}

Without `vocabulary` the database's canonical tags are used (built once, cached, rebuilt when
tags change; `invalidate_vocabulary()` forces it).
"""

from __future__ import annotations

from collections.abc import Iterable

from .engine import Suggestion, Suggestions, VocabTag, Vocabulary, rank
from .vocabulary import invalidate_vocabulary

__all__ = [
    "Suggestion",
    "Suggestions",
    "VocabTag",
    "Vocabulary",
    "invalidate_vocabulary",
    "suggest",
]


def suggest(
    name: str,
    *,
    tag_type: str | None = None,
    vocabulary: Vocabulary | None = None,
    fandoms: Iterable[str] = (),
) -> Suggestions:
    """Ranked synonym, metatag and parent suggestions for the tag `name`.

    `tag_type` is a TagType value ("character", …) or None when unknown: synonym targets are
    then of any type. `fandoms` names fandoms the tag was used with, to prefer their
    characters. With no `vocabulary`, the database is read (and the fandoms of the tag's works
    are used for parent suggestions)."""
    usage = None
    if vocabulary is None:
        from .vocabulary import cached_vocabulary, tag_usage

        vocabulary = cached_vocabulary()
        usage = tag_usage(name)
    return rank(
        name,
        vocabulary=vocabulary,
        tag_type=str(tag_type) if tag_type is not None else None,
        fandoms=fandoms,
        usage=usage,
    )
