"""The one place user HTML is cleaned: nh3 (ammonia) with AO3's allowed elements and
attributes. Everything a user writes as HTML passes through `sanitize_html` before it is stored.

The allow-list is AO3's (otwarchive's sanitizer config: its elements, its attributes per
element, `class` with AO3's rule for class names, links get rel="nofollow"), plus `ruby`/`rt`/`rp`
and a few harmless structural elements the archive already accepted (`details`/`summary`,
`figure`/`figcaption`, `lang`). Decisions:

- no `style` attribute at all (AO3 keeps styling in work skins, not in the text; the
  Content-Security-Policy has no 'unsafe-inline' for styles either);
- URLs (href, src, cite) are http, https, mailto or relative; never `javascript:`, `data:`,
  `vbscript:` or anything else;
- `<iframe>` only for the players of `EMBED_HOSTS` (YouTube, Vimeo, SoundCloud, Spotify, the
  Internet Archive, bilibili): the src must be https on exactly that host and path (http and
  protocol-relative sources of those hosts are upgraded to https, as AO3 does); any other iframe is
  removed whole. Kept iframes are sandboxed and lazily loaded, and their content is dropped.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import nh3

from fanarchive.core.security import EMBED_HOSTS
from fanarchive.core.text import text_to_html

ALLOWED_TAGS = {
    "a",
    "abbr",
    "acronym",
    "address",
    "b",
    "big",
    "blockquote",
    "br",
    "caption",
    "center",
    "cite",
    "code",
    "col",
    "colgroup",
    "dd",
    "del",
    "details",
    "dfn",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "i",
    "iframe",
    "img",
    "ins",
    "kbd",
    "li",
    "ol",
    "p",
    "pre",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "small",
    "span",
    "strike",
    "strong",
    "sub",
    "summary",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "tt",
    "u",
    "ul",
    "var",
}
_COMMON = {"align", "title", "dir", "class", "lang"}
ALLOWED_ATTRIBUTES = {
    "*": _COMMON,
    "a": {"href", "name"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "hr": {"width"},
    "img": {"src", "alt", "width", "height", "border"},
    "col": {"span", "width"},
    "colgroup": {"span", "width"},
    "ol": {"start", "type"},
    "ul": {"type"},
    "td": {"colspan", "rowspan", "headers", "abbr", "axis", "width", "height"},
    "th": {"colspan", "rowspan", "headers", "abbr", "axis", "scope", "width", "height"},
    "table": {"summary", "width", "border"},
    "details": {"open"},
    "iframe": {"src", "width", "height", "allowfullscreen", "frameborder"},
}
# Attributes whose value is a URL (their scheme is checked by nh3, and by the tests).
URL_ATTRIBUTES = {"href", "src", "cite"}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# What a kept iframe always carries, whatever the writer wrote: a sandbox (the player runs in its
# own origin, may not navigate the archive's page), lazy loading, and the referrer the players
# need (the archive's own Referrer-Policy, same-origin, would send none).
IFRAME_ATTRIBUTES = {
    "sandbox": "allow-scripts allow-same-origin allow-presentation allow-popups",
    "loading": "lazy",
    "referrerpolicy": "strict-origin-when-cross-origin",
}
# Elements removed together with everything inside them (not just the tags).
_DROPPED_WITH_CONTENT = {
    "script",
    "style",
    "template",
    "noscript",
    "noembed",
    "noframes",
    "xmp",
    "plaintext",
    "title",
    "textarea",
    "select",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
}
# AO3's rule for class names: a letter, then letters, digits, '-' or '_'.
_CLASS_NAME = re.compile(r"[A-Za-z][\w-]+\Z", re.ASCII)


def embed_src(value: str) -> str | None:
    """The https address of an allowed video/audio player, or None: the host must be one of
    `EMBED_HOSTS` exactly (no user, no port) and the path start with that host's prefix."""
    value = value.strip()
    if not value or any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in value):
        return None
    if value.startswith("//"):
        value = "https:" + value
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"}:
        return None
    host = parts.netloc.lower()
    prefix = EMBED_HOSTS.get(host)
    if prefix is None or not parts.path.startswith(prefix):
        return None
    return "https://" + host + value[len(parts.scheme) + 3 + len(parts.netloc) :]


_URL_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")
_URL_IGNORED = re.compile(r"[\t\n\r]")
_C0_AND_SPACE = "".join(chr(code) for code in range(33))


def url_is_safe(value: str) -> bool:
    """Whether a URL is relative or of an allowed scheme, as a browser reads it: tabs and line
    breaks anywhere are ignored, control characters and spaces around it too. (nh3 checks href
    and src itself, not every URL attribute, e.g. `cite`: this one does all.)"""
    value = _URL_IGNORED.sub("", value).strip(_C0_AND_SPACE)
    match = _URL_SCHEME.match(value)
    return match is None or match.group(1).lower() in ALLOWED_URL_SCHEMES


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "class":
        names = [name for name in value.split() if _CLASS_NAME.match(name)]
        return " ".join(names) or None
    if tag == "iframe" and attribute == "src":
        return embed_src(value)
    if attribute in URL_ATTRIBUTES and not url_is_safe(value):
        return None
    return value


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=_DROPPED_WITH_CONTENT,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_attribute_filter,
    url_schemes=ALLOWED_URL_SCHEMES,
    link_rel="nofollow",
    strip_comments=True,
    set_tag_attribute_values={"iframe": IFRAME_ATTRIBUTES},
)

# An iframe as html5ever serializes it: attribute values always double-quoted with `"` escaped,
# its content raw text that cannot contain `</iframe`.
_IFRAME = re.compile(r'<iframe((?:\s+[^\s"\'>/=]+(?:="[^"]*")?)*)\s*>(.*?)</iframe>', re.S)
_ATTRIBUTE = re.compile(r'([^\s"\'>/=]+)(?:="([^"]*)")?')


def _tidy_iframe(match: re.Match[str]) -> str:
    attributes = dict(_ATTRIBUTE.findall(match.group(1)))
    src = attributes.pop("src", "")
    if not src:
        return ""  # not an allowed player: the whole element goes
    # One order (nh3 adds the fixed attributes in no set order), so the stored HTML is stable.
    rest = "".join(
        f' {name}="{value}"' if value else f" {name}" for name, value in sorted(attributes.items())
    )
    return f'<iframe src="{src}"{rest}></iframe>'


def sanitize_html(value: str) -> str:
    """Clean user HTML: allowed elements and attributes only, no scripts, no event handlers,
    no `javascript:` URLs; links get rel="nofollow"; iframes only for allowed players."""
    clean = _CLEANER.clean(value)
    if "<iframe" in clean:
        clean = _IFRAME.sub(_tidy_iframe, clean)
    return clean


# Elements that make their own block: HTML without any of them gets paragraphs from blank lines.
_BLOCK_TAG = re.compile(
    r"<(p|div|br|blockquote|h[1-6]|ul|ol|dl|table|pre|hr|center|address|details|figure)\b",
    re.I,
)
_TAG = re.compile(r"<[A-Za-z!/?]")


def user_html(value: str) -> str:
    """What a writer typed or pasted into a text box (chapter text, summary, notes), as the
    archive's clean HTML: plain text becomes paragraphs (a blank line between paragraphs, a line
    break kept as <br />); HTML is sanitized, and if it has no block elements of its own its blank
    lines become paragraphs too (AO3 does the same), so `<em>Hi</em>\\n\\nThere` is two."""
    if not _TAG.search(value):
        return text_to_html(value)
    if not _BLOCK_TAG.search(value):
        value = re.sub(r"\r\n?", "\n", value)
        blocks = [block.strip() for block in re.split(r"\n[ \t\u00a0]*\n", value)]
        value = "".join(
            "<p>" + block.replace("\n", "<br />\n") + "</p>" for block in blocks if block
        )
    return sanitize_html(value)
