"""The in-memory index: a tag table, sort-key spaces and segments of works (numpy arrays), and
the evaluation of a query over them. See the package docstring for the design."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .build import (
    CHARACTER,
    COMPLETE,
    FANDOM,
    FREEFORM,
    HIDDEN,
    POSTED,
    RELATIONSHIP,
    RESTRICTED,
    SINGLE,
    TYPE_CODES,
    Columns,
    TagRows,
)
from .kernels import count_masked, first_shown

STATS = ("hits", "kudos", "comments", "bookmarks")
# The columns listings sort by; the base keeps each one's order (rows by key, then work id).
SORTABLE = ("updated", "published", "words", "title_rank", "creator_rank", *STATS)
MAX_NAMES = ("fandoms", "relationships", "characters", "tags")
EMPTY_ROWS = np.zeros(0, dtype=np.int32)
MAX_SPACING = 1024


# --- strings in one blob -----------------------------------------------------------------
def pack_strings(values: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [v.encode("utf-8", "surrogatepass") for v in values]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(e) for e in encoded], out=offsets[1:])
    blob = np.frombuffer(b"".join(encoded), dtype=np.uint8) if encoded else np.zeros(0, np.uint8)
    return blob, offsets


class PackedStrings(Sequence[bytes]):
    """A read-only sequence of UTF-8 byte strings kept as one blob and offsets (mmappable)."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray) -> None:
        self.blob, self.offsets = blob, offsets

    def __len__(self) -> int:
        return len(self.offsets) - 1

    def __getitem__(self, i: Any) -> Any:
        return self.blob[self.offsets[i] : self.offsets[i + 1]].tobytes()

    def text(self, i: int) -> str:
        return self[i].decode("utf-8", "surrogatepass")


# --- sort keys -----------------------------------------------------------------------------
def spacing_for(unique: int) -> int:
    spacing = MAX_SPACING
    while spacing > 1 and (unique + 2) * spacing >= 2**31:
        spacing //= 2
    return spacing


def rank_keys(keys: Sequence[str]) -> tuple[np.ndarray, list[str], int]:
    """Ranks of `keys` in byte order (equal keys equal rank), spaced so that keys added later
    fit between them: the i-th distinct key has rank (i + 1) * spacing."""
    unique = sorted(set(keys))  # str order = code point order = UTF-8 byte order
    spacing = spacing_for(len(unique))
    where = {key: (i + 1) * spacing for i, key in enumerate(unique)}
    return np.fromiter((where[k] for k in keys), dtype=np.int32, count=len(keys)), unique, spacing


@dataclass
class KeySpace:
    """The distinct sort keys of the base, in order, and their rank spacing."""

    keys: PackedStrings
    spacing: int

    def ranks(self, keys: Sequence[str]) -> np.ndarray | None:
        """Ranks for keys of changed works, between the base's ranks; None when too many new
        keys fall between two neighbouring base keys (the caller then sorts by the keys)."""
        out = np.zeros(len(keys), dtype=np.int64)
        gaps: dict[int, set[bytes]] = {}
        found: dict[int, int] = {}
        encoded = [k.encode("utf-8", "surrogatepass") for k in keys]
        n = len(self.keys)
        for i, key in enumerate(encoded):
            pos = bisect_left(self.keys, key)
            if pos < n and self.keys[pos] == key:
                found[i] = (pos + 1) * self.spacing
            else:
                gaps.setdefault(pos, set()).add(key)
        in_gap: dict[bytes, int] = {}
        for pos, members in gaps.items():
            ordered = sorted(members)
            if len(ordered) + 1 > self.spacing:
                return None
            for j, key in enumerate(ordered):
                in_gap[key] = pos * self.spacing + (j + 1) * self.spacing // (len(ordered) + 1)
        for i, key in enumerate(encoded):
            out[i] = found[i] if i in found else in_gap[key]
        return out


# --- tags ----------------------------------------------------------------------------------
class TagTable:
    """All tags at build time (dense index = position among sorted ids), plus what this
    process learnt since: tags changed (renamed, re-wrangled) and tags new since the build
    (extra dense indexes after the base's)."""

    def __init__(
        self,
        ids: np.ndarray,
        types: np.ndarray,
        toplevel: np.ndarray,
        name_rank: np.ndarray,
        names: PackedStrings,
    ) -> None:
        self.ids, self.types, self.toplevel = ids, types, toplevel
        self.name_rank, self.names = name_rank, names
        self.base_count = len(ids)
        self.extra_ids: list[int] = []
        self.extra_index: dict[int, int] = {}
        self.changed: dict[int, tuple[str, int, bool]] = {}  # id → (name, type, toplevel)
        self._types_all: np.ndarray | None = None
        self._facet_cache: list[Any] = [None] * len(ids)
        self._names: list[str] | None = None

    @classmethod
    def from_rows(cls, rows: TagRows) -> TagTable:
        order = sorted(range(len(rows.names)), key=lambda i: rows.names[i].casefold())
        rank = np.zeros(len(order), dtype=np.int32)
        previous, r = None, -1
        for i in order:
            folded = rows.names[i].casefold()
            if folded != previous:
                r += 1
                previous = folded
            rank[i] = r
        blob, offsets = pack_strings(rows.names)
        return cls(rows.ids, rows.types, rows.toplevel, rank, PackedStrings(blob, offsets))

    @property
    def size(self) -> int:
        return self.base_count + len(self.extra_ids)

    @property
    def dirty(self) -> bool:
        """Whether names or tags changed since the build (facets then sort in Python)."""
        return bool(self.changed or self.extra_ids)

    def dense(self, tag_id: int) -> int | None:
        i = int(np.searchsorted(self.ids, tag_id))
        if i < self.base_count and self.ids[i] == tag_id:
            return i
        return self.extra_index.get(tag_id)

    def dense_many(self, tag_ids: np.ndarray, *, add: bool) -> np.ndarray:
        """Dense indexes of raw tag ids; unknown ids become extras (`add`) or -1."""
        if not len(tag_ids):
            return np.zeros(0, dtype=np.int32)
        pos = np.searchsorted(self.ids, tag_ids)
        clipped = np.minimum(pos, max(self.base_count - 1, 0))
        ok = (
            (pos < self.base_count) & (self.ids[clipped] == tag_ids)
            if self.base_count
            else (np.zeros(len(tag_ids), dtype=bool))
        )
        out = np.where(ok, pos, -1).astype(np.int64)
        for i in np.flatnonzero(~ok):
            tag_id = int(tag_ids[i])
            d = self.extra_index.get(tag_id)
            if d is None and add:
                d = self.base_count + len(self.extra_ids)
                self.extra_ids.append(tag_id)
                self.extra_index[tag_id] = d
                self._types_all = None
            out[i] = -1 if d is None else d
        return out.astype(np.int32)

    def tag_id(self, d: int) -> int:
        return int(self.ids[d]) if d < self.base_count else self.extra_ids[d - self.base_count]

    def info(self, d: int) -> tuple[str, int, bool]:
        tag_id = self.tag_id(d)
        if tag_id in self.changed:
            return self.changed[tag_id]
        if d < self.base_count:
            return self.name_list()[d], int(self.types[d]), bool(self.toplevel[d])
        return "", len(TYPE_CODES), False  # an extra never described: not a facet

    def learn(self, rows: TagRows) -> bool:
        """Take in fresh rows of some tags; True when a base tag changed type (the per-work
        counts by type are then stale and the index must be rebuilt)."""
        retype = False
        for tag_id, name, code, top in zip(
            rows.ids.tolist(), rows.names, rows.types.tolist(), rows.toplevel.tolist(), strict=True
        ):
            d = self.dense(tag_id)
            if d is not None and d < self.base_count and int(self.types[d]) != code:
                retype = True
            self.changed[tag_id] = (name, code, bool(top))
            if d is not None and d < len(self._facet_cache):
                self._facet_cache[d] = None
        self._types_all = None
        return retype

    def types_all(self) -> np.ndarray:
        """Type code per dense index, with changes applied."""
        if self._types_all is None:
            types = np.concatenate(
                [np.asarray(self.types), np.full(len(self.extra_ids), len(TYPE_CODES), np.int8)]
            )
            for tag_id, (_name, code, _top) in self.changed.items():
                d = self.dense(tag_id)
                if d is not None:
                    types[d] = code
            self._types_all = types
        return self._types_all

    def name_list(self) -> list[str]:
        """The base's names decoded at once (the first facet needs many of them)."""
        if self._names is None:
            data = self.names.blob.tobytes()
            offsets = self.names.offsets.tolist()
            self._names = [
                data[offsets[i] : offsets[i + 1]].decode("utf-8", "surrogatepass")
                for i in range(len(offsets) - 1)
            ]
        return self._names

    def facet_tag(self, d: int) -> Any:
        from ..backends.base import FacetTag

        cached = self._facet_cache[d] if d < len(self._facet_cache) else None
        if cached is None:
            tag_id = self.tag_id(d)
            name, code, _top = self.info(d)
            cached = FacetTag(tag_id, name, TYPE_CODES[code] if code < len(TYPE_CODES) else "")
            if d >= len(self._facet_cache):
                self._facet_cache += [None] * (d + 1 - len(self._facet_cache))
            self._facet_cache[d] = cached
        return cached

    def facet_tags(self, dense: list[int]) -> list[Any]:
        cache = self._facet_cache
        return [(cache[d] if d < len(cache) else None) or self.facet_tag(d) for d in dense]


# --- segments ------------------------------------------------------------------------------
def _csc(indptr: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows per dense value: (ptr of length size + 1, rows ordered by value then row)."""
    n = len(indptr) - 1
    rows = np.repeat(np.arange(n, dtype=np.int32), np.diff(indptr))
    order = np.argsort(values, kind="stable")
    ptr = np.zeros(size + 1, dtype=np.int64)
    if len(values):
        np.cumsum(np.bincount(values, minlength=size), out=ptr[1:])
    return ptr, rows[order]


def _dense_csr(
    indptr: np.ndarray, raw: np.ndarray, tags: TagTable, *, add: bool
) -> tuple[np.ndarray, np.ndarray]:
    """A CSR of raw tag ids as dense indexes (entries of unknown tags dropped)."""
    dense = tags.dense_many(raw, add=add)
    keep = dense >= 0
    if keep.all():
        return indptr, dense
    rows = np.repeat(np.arange(len(indptr) - 1), np.diff(indptr))[keep]
    lens = np.bincount(rows, minlength=len(indptr) - 1)
    new = np.zeros(len(indptr), dtype=np.int64)
    np.cumsum(lens, out=new[1:])
    return new, dense[keep]


def segment_arrays(
    cols: Columns,
    tags: TagTable,
    *,
    base: bool,
    title_space: KeySpace | None = None,
    creator_space: KeySpace | None = None,
    languages: list[str] | None = None,
    toplevel_ids: set[int] | None = None,
) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
    """The arrays of a segment from columns. For the base, sort-key ranks and the language
    table are made here (returned in the meta); for an overlay they are placed in the base's
    spaces (`title_space`, ...), and `toplevel_ids` are the top-level fandoms right now."""
    n = len(cols.ids)
    a: dict[str, np.ndarray] = {"ids": cols.ids.astype(np.int64), "flags": cols.flags}
    a["words"] = cols.words.astype(np.int64)
    a["published"] = cols.published.astype(np.int32)
    a["updated"] = cols.updated.astype(np.int32)
    for name in STATS:
        a[name] = cols.stats[name].astype(np.int64)
    meta: dict[str, Any] = {}
    if base:
        langs = sorted(set(cols.languages))
        meta["languages"] = langs
        code = {lang: i for i, lang in enumerate(langs)}
        a["lang"] = np.fromiter((code[x] for x in cols.languages), dtype=np.int16, count=n)
        a["title_rank"], title_unique, meta["title_spacing"] = rank_keys(cols.title_keys)
        a["creator_rank"], creator_unique, meta["creator_spacing"] = rank_keys(cols.creator_keys)
        a["title_keys_blob"], a["title_keys_off"] = pack_strings(title_unique)
        a["creator_keys_blob"], a["creator_keys_off"] = pack_strings(creator_unique)
    else:
        assert languages is not None and title_space is not None and creator_space is not None
        code = {lang: i for i, lang in enumerate(languages)}
        for lang in cols.languages:
            if lang not in code:
                code[lang] = len(languages)
                languages.append(lang)
        a["lang"] = np.fromiter((code[x] for x in cols.languages), dtype=np.int16, count=n)
        for name, keys, space in (
            ("title", cols.title_keys, title_space),
            ("creator", cols.creator_keys, creator_space),
        ):
            ranks = space.ranks(keys)
            a[f"{name}_rank"] = ranks if ranks is not None else np.zeros(n, dtype=np.int64)
            meta[f"{name}_exact"] = ranks is not None
            meta[f"{name}_keys"] = list(keys)

    f_indptr, f_tags = _dense_csr(*cols.filters, tags, add=not base)
    t_indptr, t_tags = _dense_csr(*cols.worktags, tags, add=not base)
    size = tags.size
    a["f_indptr"], a["f_tags"] = f_indptr, f_tags.astype(np.uint16 if size < 2**16 else np.int32)
    a["f_ptr"], a["f_rows"] = _csc(f_indptr, a["f_tags"], size)
    a["t_indptr"], a["t_tags"] = t_indptr, t_tags.astype(np.int32)
    a["t_ptr"], a["t_rows"] = _csc(t_indptr, a["t_tags"], size)

    # Per-work counts: top-level fandoms among the filters; written tags per type.
    f_rows_of = np.repeat(np.arange(n), np.diff(f_indptr))
    if base:
        top = np.asarray(tags.toplevel, dtype=bool)
    else:
        top = np.zeros(size, dtype=bool)
        for tag_id in toplevel_ids or ():
            d = tags.dense(tag_id)
            if d is not None:
                top[d] = True
    a["toplevel"] = np.bincount(
        f_rows_of, weights=top[a["f_tags"]] if len(a["f_tags"]) else None, minlength=n
    ).astype(np.int32)
    t_rows_of = np.repeat(np.arange(n), np.diff(t_indptr))
    types = tags.types_all()[a["t_tags"]] if len(a["t_tags"]) else np.zeros(0, np.int8)
    for name, codes in (
        ("fandoms", (FANDOM,)),
        ("relationships", (RELATIONSHIP,)),
        ("characters", (CHARACTER,)),
        ("tags", (FANDOM, RELATIONSHIP, CHARACTER, FREEFORM)),
    ):
        hit = np.isin(types, codes)
        a[f"max_{name}"] = np.bincount(t_rows_of[hit], minlength=n).astype(np.int32)

    u_indptr, users = cols.users
    u_rows = np.repeat(np.arange(n, dtype=np.int32), np.diff(u_indptr))
    order = np.argsort(users, kind="stable")
    a["u_users"], a["u_rows"] = users[order].astype(np.int64), u_rows[order]
    if base:
        for column in SORTABLE:
            a[f"order_{column}"] = sort_order(a[column], a["ids"])
    return a, meta


def sort_order(keys: np.ndarray, ids: np.ndarray) -> np.ndarray:
    """Row numbers by (key, id) ascending; walked backwards, the descending order."""
    return np.lexsort((ids, keys)).astype(np.int32)


@dataclass
class Plan:
    """A resolved query in the engine's terms (raw tag ids; the segment maps them)."""

    include: list[tuple[bool, int]] = field(default_factory=list)  # (by_filter, tag id)
    exclude: list[tuple[bool, int]] = field(default_factory=list)
    any_of: list[list[tuple[bool, int]]] = field(default_factory=list)
    hide: list[tuple[bool, int]] = field(default_factory=list)
    hide_users: tuple[int, ...] = ()
    hiding: bool = False
    complete: bool | None = None
    crossover: bool | None = None
    single_chapter: bool = False
    ranges: list[tuple[str, int | None, int | None]] = field(default_factory=list)
    language: str = ""
    max_counts: list[tuple[str, int]] = field(default_factory=list)
    text_in: np.ndarray | None = None  # sorted work ids the positive text terms match
    text_out: np.ndarray | None = None  # sorted work ids a negative term matches


class Segment:
    """A set of works as arrays (the base: mmapped from disk; the overlay: changed works)."""

    def __init__(self, arrays: dict[str, np.ndarray], tags: TagTable) -> None:
        self.a = arrays
        self.tags = tags
        self.ids: np.ndarray = arrays["ids"]
        self.n = len(self.ids)
        self.entries = len(arrays["f_tags"])
        self._visible: dict[bool, np.ndarray] = {}
        self._orders: dict[str, np.ndarray] = {}

    def visible(self, authenticated: bool) -> np.ndarray:
        if authenticated not in self._visible:
            flags = self.a["flags"]
            ok = (flags & (POSTED | HIDDEN)) == POSTED
            if not authenticated:
                ok &= (flags & RESTRICTED) == 0
            self._visible[authenticated] = ok
        return self._visible[authenticated]

    def postings(self, by_filter: bool, tag_id: int) -> np.ndarray:
        d = self.tags.dense(tag_id)
        ptr = self.a["f_ptr" if by_filter else "t_ptr"]
        if d is None or d + 1 >= len(ptr):
            return EMPTY_ROWS
        return self.a["f_rows" if by_filter else "t_rows"][ptr[d] : ptr[d + 1]]

    def rows_of_ids(self, ids: np.ndarray) -> np.ndarray:
        if not self.n or not len(ids):
            return EMPTY_ROWS
        pos = np.searchsorted(self.ids, ids)
        ok = pos < self.n
        ok[ok] = self.ids[pos[ok]] == ids[ok]
        return pos[ok]

    def _mark(self, rows: np.ndarray) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        mask[rows] = True
        return mask

    def evaluate(
        self, plan: Plan, authenticated: bool, alive: np.ndarray | None, languages: list[str]
    ) -> tuple[np.ndarray, np.ndarray]:
        """(matching, shown) masks: the works the query matches, and those of them the
        viewer's saved excludes leave."""
        a = self.a
        mask = self.visible(authenticated).copy()
        if alive is not None:
            mask &= alive
        # The narrowest include first: everything after only clears bits.
        includes = sorted(
            (self.postings(by_filter, tag_id) for by_filter, tag_id in plan.include), key=len
        )
        for rows in includes:
            if not len(rows):
                mask[:] = False
                break
            mask &= self._mark(rows)
        for by_filter, tag_id in plan.exclude:
            mask[self.postings(by_filter, tag_id)] = False
        for group in plan.any_of:
            union = np.zeros(self.n, dtype=bool)
            for by_filter, tag_id in group:
                union[self.postings(by_filter, tag_id)] = True
            mask &= union
        flags = a["flags"]
        if plan.complete is not None:
            mask &= ((flags & COMPLETE) != 0) == plan.complete
        if plan.single_chapter:
            mask &= (flags & SINGLE) != 0
        if plan.crossover is True:
            mask &= a["toplevel"] >= 2
        elif plan.crossover is False:
            mask &= a["toplevel"] < 2
        for name, low, high in plan.ranges:
            column = a[name]
            if low is not None:
                mask &= column >= low
            if high is not None:
                mask &= column <= high
        if plan.language:
            try:
                code = languages.index(plan.language)
            except ValueError:
                code = -1
            mask &= a["lang"] == code
        for name, limit in plan.max_counts:
            mask &= a[f"max_{name}"] <= limit
        if plan.text_in is not None:
            mask &= self._mark(self.rows_of_ids(plan.text_in))
        if plan.text_out is not None:
            mask[self.rows_of_ids(plan.text_out)] = False
        if not plan.hiding:
            return mask, mask
        shown = mask.copy()
        for by_filter, tag_id in plan.hide:
            shown[self.postings(by_filter, tag_id)] = False
        if plan.hide_users:
            users = a["u_users"]
            for user_id in plan.hide_users:
                lo, hi = np.searchsorted(users, [user_id, user_id + 1])
                shown[a["u_rows"][lo:hi]] = False
        return mask, shown

    def order(self, column: str) -> np.ndarray:
        """The rows sorted by `column` then id (kept in the index; made here for an index built
        before orders were kept)."""
        stored = self.a.get(f"order_{column}")
        if stored is not None:
            return stored
        if column not in self._orders:
            self._orders[column] = sort_order(self.a[column], self.ids)
        return self._orders[column]

    def first_rows(self, column: str, shown: np.ndarray, need: int, descending: bool) -> np.ndarray:
        """The first `need` rows of `shown` in the order of `column` (then id)."""
        out = np.empty(need, dtype=np.int32)
        found = first_shown(self.order(column), shown, need, descending, out)
        return out[:found]

    def facet_counts(self, shown: np.ndarray, count: int) -> np.ndarray:
        """Filter-tag counts (per dense tag, length tags.size) of the works in `shown`."""
        counts = np.zeros(self.tags.size, dtype=np.int64)
        if count and self.entries:
            count_masked(self.a["f_indptr"], self.a["f_tags"], shown, counts)
        return counts
