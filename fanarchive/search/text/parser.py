"""The search box's language: words, "quoted phrases", -word, field terms and AO3's own syntax.

    dragons "found family" -angst title:winter creator:rin tag:"Hurt/Comfort"
    words>1000 kudos>=10 hits<500 complete:true crossover:false sort:kudos

`parse_text(box)` never raises: it splits the box into text terms (searched in the full-text
index) and `settings` (AO3's `field>value` syntax) that WorkQuery turns into its own fields.
Anything that does not read as a setting stays a plain word. `render_terms` writes terms back
so that `parse_text(render_terms(terms)).terms == terms` (the query round-trips through URLs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Field names a reader may put before a term, and the index column each searches.
FIELDS = {
    "title": "title",
    "creator": "creators",
    "creators": "creators",
    "author": "creators",
    "by": "creators",
    "tag": "tags",
    "tags": "tags",
    "summary": "summary",
}
# AO3's numeric settings → the WorkQuery range they set.
NUMERIC_SETTINGS = {
    "words": "words",
    "word_count": "words",
    "kudos": "kudos",
    "kudos_count": "kudos",
    "hits": "hits",
    "comments": "comments",
    "comments_count": "comments",
    "bookmarks": "bookmarks",
    "bookmarks_count": "bookmarks",
}
BOOLEAN_SETTINGS = {"complete", "crossover", "single_chapter"}
TRUE_WORDS = {"true", "yes", "1", "t", "y", "on"}
FALSE_WORDS = {"false", "no", "0", "f", "n", "off"}

_TOKEN = re.compile(r'(-?)(?:([A-Za-z_]+):)?"([^"]*)"?|(\S+)')
_SETTING = re.compile(r"^([A-Za-z_]+)\s*(>=|<=|>|<|=|:)\s*(.+)$")
_NUMBER = re.compile(r"^\d{1,12}$")
_RANGE = re.compile(r"^(\d{1,12})-(\d{1,12})$")
WORD_CHARS = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Term:
    """One thing to look for: a word (`phrase=False`) or a phrase, maybe in one column, maybe
    negated, maybe a prefix (`word*`)."""

    text: str
    phrase: bool = False
    negated: bool = False
    field: str | None = None  # an index column: title, creators, tags, summary
    prefix: bool = False

    @property
    def words(self) -> list[str]:
        """The words of the term as the index sees them (a term without any is ignored)."""
        return WORD_CHARS.findall(self.text.casefold())

    def render(self) -> str:
        label = next((k for k, v in FIELDS.items() if v == self.field), None)
        out = "-" if self.negated else ""
        if label:
            out += f"{label}:"
        if self.phrase:
            return f'{out}"{self.text}"'
        return out + self.text + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Setting:
    """AO3's `name op value` syntax: `words>1000`, `complete:true`, `sort:kudos`."""

    name: str  # words, kudos, hits, comments, bookmarks, complete, crossover, single_chapter, sort
    op: str  # >, >=, <, <=, =, or "range" / "bool" / "sort"
    value: int | bool | str | tuple[int, int]


@dataclass(frozen=True)
class ParsedText:
    terms: tuple[Term, ...]
    settings: tuple[Setting, ...]


def _setting(token: str) -> Setting | None:
    match = _SETTING.match(token)
    if not match:
        return None
    name, op, value = match.group(1).lower(), match.group(2), match.group(3).strip()
    if name in NUMERIC_SETTINGS:
        name = NUMERIC_SETTINGS[name]
        if _NUMBER.match(value):
            return Setting(name, "=" if op == ":" else op, int(value))
        if (m := _RANGE.match(value)) and op in (":", "="):
            lo, hi = int(m.group(1)), int(m.group(2))
            return Setting(name, "range", (min(lo, hi), max(lo, hi)))
        return None
    if name in BOOLEAN_SETTINGS and op in (":", "="):
        if value.lower() in TRUE_WORDS:
            return Setting(name, "bool", True)
        if value.lower() in FALSE_WORDS:
            return Setting(name, "bool", False)
        return None
    if name == "sort" and op in (":", "="):
        return Setting("sort", "sort", value.lower())
    return None


def parse_text(box: str) -> ParsedText:
    """Split a search box into terms and settings; never raises."""
    terms: list[Term] = []
    settings: list[Setting] = []
    for match in _TOKEN.finditer(box or ""):
        negated, label, quoted, bare = match.groups()
        if bare is None:  # a quoted phrase, maybe with a field and a minus
            field = FIELDS.get(label.lower()) if label else None
            text = " ".join(quoted.split())
            if label and field is None:  # `foo:"bar"` with an unknown field: two words
                terms.append(Term(text=label, negated=bool(negated)))
            if text:
                terms.append(Term(text=text, phrase=True, negated=bool(negated), field=field))
            continue
        if (setting := _setting(bare)) is not None:
            settings.append(setting)
            continue
        term = _bare_term(bare)
        if term is not None:
            terms.append(term)
    return ParsedText(terms=tuple(terms), settings=tuple(settings))


def _bare_term(token: str) -> Term | None:
    negated = False
    if token.startswith("-") and len(token) > 1:
        negated, token = True, token[1:]
    field = None
    label, sep, rest = token.partition(":")
    if sep and label.lower() in FIELDS:
        if not rest:  # `title:` with nothing after it
            return None
        field, token = FIELDS[label.lower()], rest
    prefix = False
    if token.endswith("*") and len(token) > 1 and "*" not in token[:-1]:
        prefix, token = True, token[:-1]
    if token in ("", "-"):
        return None
    return Term(text=token, negated=negated, field=field, prefix=prefix)


def render_terms(terms: tuple[Term, ...]) -> str:
    return " ".join(term.render() for term in terms)
