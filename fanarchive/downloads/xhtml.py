"""The archive's stored HTML → XHTML that EPUBCheck accepts.

Stored HTML has passed `sanitize_html` (AO3's allowed elements, serialized by html5ever), which
still allows what HTML5 made obsolete (`center`, `big`, `align=`…), content-model slips that the
HTML parser keeps (`<em><p>…</p></em>`, `<p>` straight in a `<ul>`), named entities (`&nbsp;`)
and images from anywhere. An EPUB is XML, validated against HTML5's content models, and may not
load images from the network. `to_xhtml` rebuilds each fragment with what is valid there:

- obsolete elements become their HTML5 equivalent or a `span`/`div` with a class
  (`center` → `div class="center"`, `tt` → `span class="tt"`);
- attributes HTML5 dropped are dropped (`align` becomes a class, `align-center`);
- a phrasing element (`em`, `span`, `p`, `h2`…) holding block content becomes a `div` with the
  old name as a class; list, definition-list and figure children are put where they may be;
- images are not fetched: each becomes its alt text, linked to the image when the address is
  a web address;
- links keep web and mail addresses only (fragment and site-relative links have no target).

Plain paragraphs (`<p>` and `<br>` only, what imported text becomes) skip the parser entirely.
"""

from __future__ import annotations

import re
from html import escape

from lxml import etree
from lxml import html as lxml_html

# Characters XML 1.0 does not allow (C0 controls other than tab, LF, CR; lone surrogates; FFFE/F).
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SIMPLE = re.compile(r"<(?!/?p>|br ?/?>)|&(?!(?:amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)")
_BR = re.compile(r"<br ?/?>")

_VOID = {"br", "hr", "img", "col"}
# Elements whose content must be phrasing content only.
_PHRASING_ONLY = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "pre",
    "span",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "s",
    "small",
    "sub",
    "sup",
    "code",
    "kbd",
    "samp",
    "var",
    "cite",
    "dfn",
    "abbr",
    "q",
    "rt",
    "rp",
    "ruby",
}
_TRANSPARENT = {"a", "ins", "del"}
_FLOW = {
    "div",
    "blockquote",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "hr",
    "figure",
    "figcaption",
    "details",
    "summary",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "pre",
    "caption",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
}
# Obsolete element → (element, class).
_RENAMED = {
    "center": ("div", "center"),
    "big": ("span", "big"),
    "tt": ("span", "tt"),
    "strike": ("s", ""),
    "acronym": ("abbr", ""),
    "address": ("div", "address"),
}
_TABLE_PARTS = {"caption", "colgroup", "thead", "tbody", "tfoot", "tr"}
_ROW_PARTS = {"td", "th"}
_LANG = re.compile(r"^[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8})*$")
_DIGITS = re.compile(r"^\d{1,4}$")
_WEB = re.compile(r"^(https?://[^\s]+|mailto:[^\s]+)$", re.IGNORECASE)
_COMMON = ("title", "dir", "lang", "class")
_KEEP = {
    "ol": ("start", "type"),
    "th": ("colspan", "rowspan", "scope", "abbr"),
    "td": ("colspan", "rowspan"),
    "col": ("span",),
    "colgroup": ("span",),
    "details": ("open",),
    "blockquote": ("cite",),
    "q": ("cite",),
    "del": ("cite",),
    "ins": ("cite",),
}


def clean_text(value: str) -> str:
    """`value` without the characters XML cannot hold."""
    return _INVALID_XML.sub("", value)


def to_xhtml(fragment: str) -> str:
    """An HTML fragment of the archive's as XHTML body content valid in an EPUB 3."""
    if not fragment.strip():
        return ""
    fragment = clean_text(fragment)
    if not _SIMPLE.search(fragment):
        return _BR.sub("<br/>", fragment)
    try:
        root = lxml_html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return f"<p>{escape(fragment)}</p>"
    parts, _flow = _children(root, in_link=False)
    return "".join(parts)


def _attrs(el: etree._Element, tag: str, extra_class: str) -> str:
    out: list[str] = []
    classes = [c for c in (el.get("class") or "").split() if c]
    if extra_class:
        classes.insert(0, extra_class)
    align = (el.get("align") or "").strip().lower()
    if align in {"left", "right", "center", "justify"}:
        classes.append(f"align-{align}")
    for name in (*_COMMON, *_KEEP.get(tag, ())):
        if name == "class":
            if classes:
                out.append(f' class="{escape(" ".join(dict.fromkeys(classes)))}"')
            continue
        value = el.get(name)
        if value is None:
            continue
        value = value.strip()
        if name == "lang" and not _LANG.match(value):
            continue
        if name == "dir" and value.lower() not in {"ltr", "rtl", "auto"}:
            continue
        if name in {"start", "colspan", "rowspan", "span"} and not _DIGITS.match(value):
            continue
        if name in {"colspan", "span"} and int(value) < 1:
            continue
        if name == "type" and value not in {"1", "a", "A", "i", "I"}:
            continue
        if name == "scope" and value not in {"row", "col", "rowgroup", "colgroup"}:
            continue
        if name == "cite" and not _WEB.match(value):
            continue
        if name == "open":
            value = "open"
        if name == "dir":
            value = value.lower()
        out.append(f' {name}="{escape(value)}"')
    return "".join(out)


def _text(value: str | None) -> str:
    return escape(value, quote=False) if value else ""


def _children(el: etree._Element, *, in_link: bool) -> tuple[list[str], bool]:
    """The XHTML of `el`'s content and whether it holds block (flow-only) content."""
    parts = [_text(el.text)]
    flow = False
    for child in el:
        if isinstance(child.tag, str):
            markup, child_flow = _element(child, in_link=in_link)
            parts.append(markup)
            flow = flow or child_flow
        parts.append(_text(child.tail))
    return parts, flow


def _image(el: etree._Element) -> str:
    alt = (el.get("alt") or "").strip()
    label = f"[Image: {alt}]" if alt else "[Image]"
    src = (el.get("src") or "").strip()
    if _WEB.match(src) and src.lower().startswith("http"):
        return f'<a class="image-link" href="{escape(src)}">{escape(label)}</a>'
    return f'<span class="image-alt">{escape(label)}</span>'


def _element(el: etree._Element, *, in_link: bool) -> tuple[str, bool]:
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    extra = ""
    if tag in _RENAMED:
        tag, extra = _RENAMED[tag]
    if tag == "img":
        return (_image(el) if not in_link else escape(f"[Image: {el.get('alt') or ''}]")), False
    if tag == "br":
        return "<br/>", False
    if tag == "hr":
        return f"<hr{_attrs(el, 'hr', '')}/>", True
    if tag == "col":
        return f"<col{_attrs(el, 'col', '')}/>", True
    known = tag in _PHRASING_ONLY or tag in _TRANSPARENT or tag in _FLOW
    if not known:  # anything else the sanitizer let through: keep the text
        tag, extra = "span", tag
    if tag == "a":
        if in_link:
            tag, extra = "span", "a"
        else:
            href = (el.get("href") or "").strip()
            parts, flow = _children(el, in_link=True)
            link = f' href="{escape(href)}"' if _WEB.match(href) else ""
            rel = ' rel="nofollow"' if link else ""
            return f"<a{link}{rel}{_attrs(el, 'a', '')}>{''.join(parts)}</a>", flow
    parts, flow = _children(el, in_link=in_link)
    if tag in {"ul", "ol"}:
        parts = _wrap_loose(el, parts, "li")
    elif tag == "dl":
        parts = _wrap_loose(el, parts, "dd", allowed={"dt", "dd"})
    parent = el.getparent()
    parent_tag = parent.tag.lower() if parent is not None and isinstance(parent.tag, str) else ""
    if tag == "li" and parent_tag not in {"ul", "ol"}:
        tag, extra = "div", "li"
    elif tag in {"dt", "dd"} and parent_tag != "dl":
        tag, extra = "div", tag
    elif tag == "figcaption" and (parent_tag != "figure" or not _first_or_last(el)):
        tag, extra = "div", "figcaption"
    elif tag == "summary" and (parent_tag != "details" or not _first(el)):
        tag, extra = "div", "summary"
    elif tag in {"rt", "rp"} and parent_tag != "ruby":
        tag, extra = "span", tag
    elif tag in _TABLE_PARTS and parent_tag != "table":
        if not (tag == "tr" and parent_tag in {"thead", "tbody", "tfoot"}):
            tag, extra = "div", tag
    elif tag in _ROW_PARTS and parent_tag != "tr":
        tag, extra = "div", tag
    elif tag == "table":
        parts = _table_content(el, parts)
    if tag in _PHRASING_ONLY and flow:
        extra = extra or tag
        tag = "div"
    is_flow = tag in _FLOW or (tag in _TRANSPARENT and flow)
    return f"<{tag}{_attrs(el, tag, extra)}>{''.join(parts)}</{tag}>", is_flow


def _first(el: etree._Element) -> bool:
    parent = el.getparent()
    return parent is not None and parent.index(el) == 0 and not (parent.text or "").strip()


def _first_or_last(el: etree._Element) -> bool:
    parent = el.getparent()
    if parent is None:
        return False
    i = parent.index(el)
    return i == 0 or i == len(parent) - 1


def _wrap_loose(
    el: etree._Element, parts: list[str], wrapper: str, allowed: set[str] | None = None
) -> list[str]:
    """Inside a list, put text and elements other than the allowed items into `wrapper`s.

    `parts` alternate: el.text, (child markup, child tail) for each child."""
    allowed = allowed or {wrapper}
    out: list[str] = []
    loose: list[str] = []

    def flush() -> None:
        content = "".join(loose)
        if content.strip():
            out.append(f"<{wrapper}>{content}</{wrapper}>")
        loose.clear()

    loose.append(parts[0])
    index = 1
    for child in el:
        if not isinstance(child.tag, str):
            loose.append(parts[index])
            index += 1
            continue
        markup, tail = parts[index], parts[index + 1]
        index += 2
        if child.tag.lower() in allowed:
            flush()
            out.append(markup)
        else:
            loose.append(markup)
        loose.append(tail)
    flush()
    return out


def _table_content(el: etree._Element, parts: list[str]) -> list[str]:
    """A table's parts, in the order the HTML parser left them; text straight in a table is
    dropped (HTML's parser moves it out, so it is only white space) and any other element is
    put in a row of its own."""
    out: list[str] = []
    index = 1
    for child in el:
        if not isinstance(child.tag, str):
            index += 1
            continue
        markup = parts[index]
        index += 2
        if child.tag.lower() in _TABLE_PARTS:
            out.append(markup)
        else:
            out.append(f"<tr><td>{markup}</td></tr>")
    return out
