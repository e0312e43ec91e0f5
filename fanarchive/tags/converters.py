"""The `<tag:name>` path converter: tag names in URLs use AO3's escapes (`/` → `*s*` …).

Importing this module registers the converter once, for every urls module that uses it.
"""

from __future__ import annotations

from urllib.parse import unquote

from django.urls import register_converter

from .names import tag_from_url, tag_to_url


class TagNameConverter:
    # One path segment; Django has percent-decoded it already, `*s*` and friends remain.
    regex = r"[^/]+"

    def to_python(self, value: str) -> str:
        return tag_from_url(value)

    def to_url(self, value: str) -> str:
        # Django's reverse() percent-encodes what this returns, so give the escaped, unencoded
        # form (tag names cannot contain `%`, so unquoting gives back exactly that).
        return unquote(tag_to_url(value))


register_converter(TagNameConverter, "tag")
