"""The one place user HTML is cleaned: nh3 (ammonia) with AO3's allowed elements and
attributes. Everything a user writes as HTML passes through `sanitize_html` before it is stored."""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "a", "abbr", "acronym", "address", "b", "big", "blockquote", "br", "caption", "center",
    "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
    "li", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp", "small", "span", "strike",
    "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr",
    "tt", "u", "ul", "var",
}
_COMMON = {"align", "title", "dir", "class", "lang"}
ALLOWED_ATTRIBUTES = {
    "*": _COMMON,
    "a": {"href", "name"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "img": {"src", "alt", "width", "height"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "td": {"colspan", "rowspan", "headers", "abbr", "axis", "width"},
    "th": {"colspan", "rowspan", "headers", "abbr", "axis", "scope", "width"},
    "table": {"summary", "width"},
    "details": {"open"},
}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def sanitize_html(value: str) -> str:
    """Clean user HTML: allowed elements and attributes only, no scripts, no event handlers,
    no `javascript:` URLs; links get rel="nofollow"."""
    return nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow",
        strip_comments=True,
    )
