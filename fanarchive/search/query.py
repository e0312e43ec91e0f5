"""WorkQuery: everything a listing of works can ask, as one frozen value built from GET
parameters and written back to them, so that every listing is a bookmarkable URL.

Semantics (every backend must follow them exactly):

- `include`: every tag must match; `exclude`: no tag may match; each group of `any_of`: at
  least one of its tags must match. Tags are named; a name is resolved through the tag's key:
  a canonical tag matches the works *filtered under* it (WorkFilter: its synonyms and subtags
  included), a synonym stands for its canonical tag, and an unwrangled non-canonical tag matches
  the works that carry exactly that tag (WorkTag). Unknown names are dropped and reported.
- `ratings`: at least one must match (a work has one rating, so "all" would find nothing);
  `warnings` and `categories`: all must match, like `include` (AO3's sidebar). Excluding a
  rating, warning or category goes through `exclude`.
- `complete`: True complete only, False in progress only. `crossover`: True only works with at
  least two *top-level* fandoms (canonical fandoms among the work's filters that have no
  metatag), False only works with fewer. `single_chapter`: works with exactly one chapter.
- ranges (`words`, `kudos`, `hits`, `comments`, `bookmarks`, `posted`, `updated`) are
  inclusive at both ends; a missing stats row counts as zeros.
- `max_fandoms` … `max_tags`: at most that many tags *written on the work* (WorkTag) of the
  type; `max_tags` counts fandoms, relationships, characters and additional tags together.
- `text`: the search box without AO3's settings (those became fields), see text/parser.py.
- `sort`: one of SORTS; ties are broken by work id in the same direction. "relevance" without
  text sorts by date updated.
- `page`: 1-based, PER_PAGE works a page.
- `hide_tag_ids` / `hide_user_ids`: the viewer's saved excludes, set by `selectors.search_works`
  (never read from or written to a URL); `show_excluded` (GET `show_excluded=1`) turns them off.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any
from urllib.parse import urlencode

from fanarchive.tags.names import tag_key
from fanarchive.works.languages import resolve_language

from .text.parser import Setting, parse_text, render_terms

PER_PAGE = 20  # the default of settings.WORKS_PER_PAGE


def works_per_page() -> int:
    """Works a page: the archive's setting, read when a query runs."""
    from django.conf import settings

    return int(getattr(settings, "WORKS_PER_PAGE", PER_PAGE))


MAX_PAGE = 10_000
MAX_NUMBER = 2_000_000_000

SORTS = {
    "relevance": "Best Match",
    "updated": "Date Updated",
    "posted": "Date Posted",
    "words": "Word Count",
    "hits": "Hits",
    "kudos": "Kudos",
    "comments": "Comments",
    "bookmarks": "Bookmarks",
    "title": "Title",
    "creator": "Creator",
}
SORT_ALIASES = {
    "best_match": "relevance",
    "_score": "relevance",
    "score": "relevance",
    "revised_at": "updated",
    "date_updated": "updated",
    "created_at": "posted",
    "published": "posted",
    "date_posted": "posted",
    "word_count": "words",
    "kudos_count": "kudos",
    "comments_count": "comments",
    "bookmarks_count": "bookmarks",
    "title_to_sort_on": "title",
    "authors_to_sort_on": "creator",
    "author": "creator",
    "creators": "creator",
}
# Sorts that read best ascending by default (A→Z); all others start with the largest/newest.
ASCENDING_BY_DEFAULT = {"title", "creator"}
NUMBER_RANGES = ("words", "kudos", "hits", "comments", "bookmarks")
DATE_RANGES = ("posted", "updated")
MAX_COUNTS = ("fandoms", "relationships", "characters", "tags")
TRUE_VALUES = {"1", "yes", "true", "on", "t", "y"}
FALSE_VALUES = {"0", "no", "false", "off", "f", "n"}


@dataclass(frozen=True)
class WorkQuery:
    include: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    any_of: tuple[tuple[str, ...], ...] = ()
    ratings: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    complete: bool | None = None
    crossover: bool | None = None
    single_chapter: bool = False
    words_from: int | None = None
    words_to: int | None = None
    kudos_from: int | None = None
    kudos_to: int | None = None
    hits_from: int | None = None
    hits_to: int | None = None
    comments_from: int | None = None
    comments_to: int | None = None
    bookmarks_from: int | None = None
    bookmarks_to: int | None = None
    posted_from: datetime.date | None = None
    posted_to: datetime.date | None = None
    updated_from: datetime.date | None = None
    updated_to: datetime.date | None = None
    language: str = ""
    max_fandoms: int | None = None
    max_relationships: int | None = None
    max_characters: int | None = None
    max_tags: int | None = None
    text: str = ""
    sort: str = "relevance"
    descending: bool = True
    page: int = 1
    show_excluded: bool = False
    hide_tag_ids: tuple[int, ...] = field(default=(), repr=False)
    hide_user_ids: tuple[int, ...] = field(default=(), repr=False)

    # --- derived -------------------------------------------------------------------------
    @property
    def effective_sort(self) -> str:
        return "updated" if self.sort == "relevance" and not self.has_text else self.sort

    @property
    def has_text(self) -> bool:
        """Whether there is a word to look for (only those rank; exclusions alone do not)."""
        return any(term.words and not term.negated for term in parse_text(self.text).terms)

    @property
    def tag_names(self) -> tuple[str, ...]:
        """Every tag name the query mentions."""
        grouped = tuple(name for group in self.any_of for name in group)
        return (
            self.include + self.exclude + grouped + self.ratings + self.warnings + self.categories
        )

    def with_page(self, page: int) -> WorkQuery:
        return replace(self, page=max(1, min(page, MAX_PAGE)))

    # --- GET parameters ------------------------------------------------------------------
    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> tuple[WorkQuery, list[str]]:
        """Build a query from GET parameters (a QueryDict or a plain dict of str / lists).

        Forgiving: a bad value is ignored or clamped and reported in the returned problems.
        """
        return _Parser(params).parse()

    def to_params(self) -> list[tuple[str, str]]:
        """The GET parameters that build this query back (defaults are left out)."""
        out: list[tuple[str, str]] = []
        out += [("tag", name) for name in self.include]
        out += [("exclude", name) for name in self.exclude]
        out += [("any", ",".join(group)) for group in self.any_of]
        out += [("rating", name) for name in self.ratings]
        out += [("warning", name) for name in self.warnings]
        out += [("category", name) for name in self.categories]
        if self.complete is not None:
            out.append(("complete", "yes" if self.complete else "no"))
        if self.crossover is not None:
            out.append(("crossover", "yes" if self.crossover else "no"))
        if self.single_chapter:
            out.append(("single_chapter", "1"))
        for name in NUMBER_RANGES + DATE_RANGES:
            for end in ("from", "to"):
                value = getattr(self, f"{name}_{end}")
                if value is not None:
                    out.append((f"{name}_{end}", str(value)))
        if self.language:
            out.append(("language", self.language))
        for name in MAX_COUNTS:
            value = getattr(self, f"max_{name}")
            if value is not None:
                out.append((f"max_{name}", str(value)))
        if self.text:
            out.append(("q", self.text))
        if self.sort != "relevance":
            out.append(("sort", self.sort))
        if self.descending != (self.sort not in ASCENDING_BY_DEFAULT):
            out.append(("order", "desc" if self.descending else "asc"))
        if self.page != 1:
            out.append(("page", str(self.page)))
        if self.show_excluded:
            out.append(("show_excluded", "1"))
        return out

    def to_querystring(self, **changes: Any) -> str:
        query = replace(self, **changes) if changes else self
        return urlencode(query.to_params())

    def is_empty(self) -> bool:
        """True when nothing narrows the listing (sort and page aside)."""
        blank = WorkQuery(sort=self.sort, descending=self.descending, page=self.page)
        return replace(self, hide_tag_ids=(), hide_user_ids=(), show_excluded=False) == blank


def split_names(value: str) -> list[str]:
    """Tag names from a comma-separated text input (commas cannot occur in tag names)."""
    return [" ".join(part.split()) for part in value.split(",") if part.strip()]


def _dedupe(names: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    out: list[str] = []
    for name in names:
        name = " ".join(name.split())
        key = tag_key(name)
        if key and key not in seen:
            seen.add(key)
            out.append(name)
    return tuple(out)


class _Parser:
    def __init__(self, params: Mapping[str, Any]) -> None:
        self.params = params
        self.problems: list[str] = []

    def all(self, key: str) -> list[str]:
        if hasattr(self.params, "getlist"):
            values = self.params.getlist(key)
        else:
            value = self.params.get(key)
            values = [] if value is None else value if isinstance(value, list | tuple) else [value]
        return [str(v) for v in values]

    def one(self, key: str) -> str:
        values = [v.strip() for v in self.all(key) if v.strip()]
        return values[-1] if values else ""

    def boolean(self, key: str) -> bool | None:
        value = self.one(key).lower()
        if not value or value in {"any", "all", "either"}:
            return None
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return False
        self.problems.append(f"{key}: {value!r} is not yes or no; ignored")
        return None

    def number(self, key: str) -> int | None:
        value = self.one(key).replace(",", "").replace("_", "")
        if not value:
            return None
        try:
            number = int(value)
        except ValueError:
            self.problems.append(f"{key}: {value!r} is not a number; ignored")
            return None
        clamped = max(0, min(number, MAX_NUMBER))
        if clamped != number:
            self.problems.append(f"{key}: {number} is out of range; {clamped} used")
        return clamped

    def date(self, key: str) -> datetime.date | None:
        value = self.one(key)
        if not value:
            return None
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            self.problems.append(f"{key}: {value!r} is not a date (YYYY-MM-DD); ignored")
            return None

    def names(self, *keys: str) -> list[str]:
        out: list[str] = []
        for key in keys:
            for value in self.all(key):
                out += split_names(value)
        return out

    def parse(self) -> tuple[WorkQuery, list[str]]:
        values: dict[str, Any] = {
            "include": _dedupe(self.names("tag", "include", "other_tags")),
            "exclude": _dedupe(self.names("exclude", "other_exclude")),
            "ratings": _dedupe(self.names("rating")),
            "warnings": _dedupe(self.names("warning")),
            "categories": _dedupe(self.names("category")),
            "complete": self.boolean("complete"),
            "crossover": self.boolean("crossover"),
            "single_chapter": bool(self.boolean("single_chapter")),
        }
        groups = [_dedupe(split_names(v)) for v in self.all("any")]
        values["any_of"] = tuple(g for g in groups if g)
        for name in NUMBER_RANGES:
            for end in ("from", "to"):
                values[f"{name}_{end}"] = self.number(f"{name}_{end}")
        for name in DATE_RANGES:
            for end in ("from", "to"):
                values[f"{name}_{end}"] = self.date(f"{name}_{end}")
        for name in MAX_COUNTS:
            values[f"max_{name}"] = self.number(f"max_{name}")
        language = self.one("language")
        if language:
            code = resolve_language(language)
            if code is None:
                self.problems.append(f"language: {language!r} is not a language we know; ignored")
            values["language"] = code or ""
        sort, descending = self.sort_order(self.one("sort"), self.one("order"))
        parsed = parse_text(" ".join(self.all("q")))
        values["text"] = render_terms(parsed.terms)
        for setting in parsed.settings:
            if setting.name == "sort":
                sort_value = str(setting.value)
                new_sort, new_desc = self.sort_order(*[*sort_value.split(",", 1), ""][:2])
                if new_sort != "relevance" or sort_value in SORT_ALIASES or sort_value in SORTS:
                    sort, descending = new_sort, new_desc
            else:
                _apply_setting(values, setting)
        values["sort"], values["descending"] = sort, descending
        page = self.number("page")
        values["page"] = max(1, min(page or 1, MAX_PAGE))
        values["show_excluded"] = bool(self.boolean("show_excluded"))
        return WorkQuery(**values), self.problems

    def sort_order(self, sort: str, order: str) -> tuple[str, bool]:
        sort = sort.strip().lower()
        order = order.strip().lower()
        if sort.endswith((" asc", " desc")):
            sort, order = sort.rsplit(" ", 1)
        sort = SORT_ALIASES.get(sort, sort)
        if sort and sort not in SORTS:
            self.problems.append(f"sort: {sort!r} is not a way to sort; best match used")
            sort = ""
        sort = sort or "relevance"
        if order in {"asc", "ascending", "up"}:
            return sort, False
        if order in {"desc", "descending", "down"}:
            return sort, True
        if order:
            self.problems.append(f"order: {order!r} is neither asc nor desc; ignored")
        return sort, sort not in ASCENDING_BY_DEFAULT


def _apply_setting(values: dict[str, Any], setting: Setting) -> None:
    """Turn one of AO3's `words>1000` settings from the search box into WorkQuery fields."""
    if setting.op == "bool":
        values[setting.name] = setting.value
        return
    name, value = setting.name, setting.value
    if setting.op == "range":
        assert isinstance(value, tuple)
        values[f"{name}_from"], values[f"{name}_to"] = (min(v, MAX_NUMBER) for v in value)
        return
    assert isinstance(value, int)
    value = min(value, MAX_NUMBER)
    if setting.op == ">":
        values[f"{name}_from"] = min(value + 1, MAX_NUMBER)
    elif setting.op == ">=":
        values[f"{name}_from"] = value
    elif setting.op == "<":
        values[f"{name}_to"] = max(value - 1, 0)
    elif setting.op == "<=":
        values[f"{name}_to"] = value
    else:
        values[f"{name}_from"] = values[f"{name}_to"] = value


def query_fields() -> list[str]:
    return [f.name for f in fields(WorkQuery)]
