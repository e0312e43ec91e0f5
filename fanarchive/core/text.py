"""Text helpers every app shares: counting words as AO3 does, and moving between plain text
paragraphs and the archive's HTML."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

# Scripts written without spaces between words: each character counts as one word.
_CJK = (
    "\u3040-\u309f"  # Hiragana
    "\u30a0-\u30ff"  # Katakana
    "\u3400-\u4dbf"  # CJK Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uac00-\ud7af"  # Hangul syllables
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\U00020000-\U0002ebef"  # CJK Extensions B-F
)
_CJK_CHAR = re.compile(f"[{_CJK}]")
_JOINERS = re.compile("['\u2019\u2018-]")
_WORD = re.compile(r"\w+")


# Common non-word characters: replaced by spaces before splitting (any other non-word
# character is still handled, by the regular expression).
_PUNCTUATION = '.,;:!?"()[]*/&\u201c\u201d\u2014\u2013\u2026'
_JOINER_CHARS = "'\u2019\u2018-"  # what _JOINERS matches


def count_words_in_text(text: str) -> int:
    """Words in plain text, as AO3 counts them: apostrophes and hyphens join (one's, one-word),
    `--` separates, and each CJK character is a word of its own.

    The definition is `_count_words_by_regex`; this is the same count, faster: once joiners
    are dropped and common punctuation made a space, `str.split` finds the words whenever
    every character left between the spaces is a word character (`str.isalnum` or `_`, just
    as `\\w`), which one `isalnum` over the joined words tells."""
    text = text.replace("--", " ")
    if not text.isascii() and _CJK_CHAR.search(text):
        return _count_words_by_regex(text)
    for char in _JOINER_CHARS:
        if char in text:
            text = text.replace(char, "")
    for char in _PUNCTUATION:
        if char in text:
            text = text.replace(char, " ")
    words = text.split()
    if "".join(words).replace("_", "a").isalnum():
        return len(words)
    return len(_WORD.findall(text))


def _count_words_by_regex(text: str) -> int:
    """The straightforward definition of `count_words_in_text`."""
    text = text.replace("--", "\u2014")
    cjk = len(_CJK_CHAR.findall(text))
    if cjk:
        text = _CJK_CHAR.sub(" ", text)
    return cjk + len(_WORD.findall(_JOINERS.sub("", text)))


class _TextNodes(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.count = 0

    def handle_data(self, data: str) -> None:
        self.count += count_words_in_text(data)


def count_words(html_text: str) -> int:
    """Words in an HTML fragment: the words of each text node, tags never counted."""
    if "<" not in html_text:
        return count_words_in_text(html.unescape(html_text))
    parser = _TextNodes()
    parser.feed(html_text)
    parser.close()
    return parser.count


_BLANK_LINE = re.compile(r"\n[ \t\u00a0]*\n")


def paragraphs_from_text(text: str) -> list[str]:
    """Plain text → paragraphs: blank lines (white space and no-break spaces count as blank)
    separate them; line breaks inside a paragraph are kept; lines are never rewrapped."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    paragraphs = []
    for block in _BLANK_LINE.split(text):
        lines = [line.rstrip() for line in block.split("\n")]
        while lines and not lines[0].strip():
            lines.pop(0)
        while lines and not lines[-1].strip():
            lines.pop()
        if lines:
            paragraphs.append("\n".join(lines))
    return paragraphs


def text_to_html(text: str) -> str:
    """Plain text → the archive's HTML: one <p> a paragraph, <br /> for a line break inside it,
    everything escaped (plain text never carries markup)."""
    return "\n".join(
        "<p>"
        + "<br />\n".join(html.escape(line, quote=False) for line in para.split("\n"))
        + "</p>"
        for para in paragraphs_from_text(text)
    )


_BLOCKS = {
    "p",
    "div",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "pre",
    "hr",
    "table",
    "tr",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "center",
    "figure",
    "details",
    "address",
}


class _Paragraphs(HTMLParser):
    """Collects the text of an HTML fragment as paragraphs: block elements end a paragraph,
    <br> is a line break, every other tag is dropped and its text kept."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[str] = []
        self.current: list[str] = []

    def _end_paragraph(self) -> None:
        text = "".join(self.current)
        lines = [" ".join(line.split()) if line.strip() else "" for line in text.split("\n")]
        # Within a paragraph only <br> makes a line break; source line breaks are white space.
        joined = "\n".join(line for line in lines if line)
        if joined.strip():
            self.paragraphs.append(joined)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.current.append("\x00")
        elif tag in _BLOCKS:
            self._end_paragraph()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self._end_paragraph()

    def handle_data(self, data: str) -> None:
        self.current.append(data.replace("\n", " "))

    def close(self) -> None:
        super().close()
        self._end_paragraph()


def html_to_paragraphs(html_text: str) -> list[str]:
    """The archive's HTML → plain-text paragraphs (line breaks from <br> kept as "\\n")."""
    parser = _Paragraphs()
    parser.feed(html_text)
    parser.close()
    result = []
    for para in parser.paragraphs:
        lines = [" ".join(line.split()) for line in para.split("\x00")]
        text = "\n".join(lines).strip("\n")
        if text.strip():
            result.append(text)
    return result


def html_to_text(html_text: str) -> str:
    """The archive's HTML → plain text: paragraphs separated by one blank line."""
    return "\n\n".join(html_to_paragraphs(html_text))
