"""What the demo generator draws from: AO3's real tag vocabulary and per-work distributions
(`shared/data/ao3/`) and prose from two public-domain novels (`shared/data/texts/`).

Everything here is read once, cleaned (spreadsheet booleans, `Redacted` names, names AO3 would
refuse, duplicate keys) and returned as plain, immutable data; the same files always give the
same vocabulary, in the same order, so that the generator is deterministic for a seed.
"""

from __future__ import annotations

import csv
import html
import json
import re
import zlib
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from fanarchive.core.text import count_words, paragraphs_from_text, text_to_html
from fanarchive.tags.fixed import FIXED_TAGS, resolve_fixed
from fanarchive.tags.models import TagType
from fanarchive.tags.names import clean_tag_name, tag_key, tag_name_problem
from fanarchive.works.languages import resolve_language

LES_MIS = "Les Misérables - Victor Hugo"

# The fandom most test works belong to, written by hand: (name, relative popularity).
LES_MIS_CHARACTERS = (
    ("Enjolras", 100),
    ("Grantaire", 95),
    ("Jean Valjean", 80),
    ("Javert", 75),
    ("Cosette Fauchelevent", 60),
    ("Marius Pontmercy", 58),
    ("Combeferre", 50),
    ("Courfeyrac", 50),
    ("Éponine Thénardier", 45),
    ("Jehan Prouvaire", 40),
    ("Gavroche Thénardier", 36),
    ("Joly", 32),
    ("Bossuet Lesgle", 30),
    ("Bahorel", 26),
    ("Feuilly", 26),
    ("Fantine", 22),
    ("Musichetta", 14),
    ("Bishop Myriel", 12),
    ("Azelma Thénardier", 8),
    ("Madame Thénardier", 8),
    ("Thénardier", 10),
    ("M. Mabeuf", 5),
    ("M. Gillenormand", 6),
    ("Montparnasse", 9),
    ("Toussaint", 3),
)
LES_MIS_RELATIONSHIPS = (
    ("Enjolras/Grantaire", 100),
    ("Javert/Jean Valjean", 70),
    ("Cosette Fauchelevent/Marius Pontmercy", 35),
    ("Combeferre/Courfeyrac/Enjolras", 25),
    ("Courfeyrac/Jehan Prouvaire", 18),
    ("Bossuet Lesgle/Joly/Musichetta", 18),
    ("Cosette Fauchelevent/Éponine Thénardier", 15),
    ("Combeferre/Courfeyrac", 10),
    ("Éponine Thénardier/Marius Pontmercy", 8),
    ("Bahorel/Feuilly", 8),
    ("Cosette Fauchelevent & Jean Valjean", 20),
    ("Enjolras & Grantaire", 12),
    ("Gavroche Thénardier & Enjolras", 6),
    ("Combeferre & Enjolras", 8),
    ("Les Amis de l'ABC & Gavroche Thénardier", 5),
)
# Synonyms as people write them, merged into the canonical tag: (synonym, canonical, type).
LES_MIS_SYNONYMS = (
    ("Les Miserables", LES_MIS, TagType.FANDOM),
    ("Les Mis", LES_MIS, TagType.FANDOM),
    ("Les Misérables (Brick)", LES_MIS, TagType.FANDOM),
    ("E/R", "Enjolras/Grantaire", TagType.RELATIONSHIP),
    ("Grantaire/Enjolras", "Enjolras/Grantaire", TagType.RELATIONSHIP),
    ("Valjean/Javert", "Javert/Jean Valjean", TagType.RELATIONSHIP),
    ("Cosette/Marius", "Cosette Fauchelevent/Marius Pontmercy", TagType.RELATIONSHIP),
    ("Cosette", "Cosette Fauchelevent", TagType.CHARACTER),
    ("Valjean", "Jean Valjean", TagType.CHARACTER),
    ("Eponine Thenardier", "Éponine Thénardier", TagType.CHARACTER),
    ("Gavroche", "Gavroche Thénardier", TagType.CHARACTER),
    ("Jehan", "Jehan Prouvaire", TagType.CHARACTER),
)

_DUMP_TYPES = {
    "Rating": TagType.RATING,
    "ArchiveWarning": TagType.WARNING,
    "Category": TagType.CATEGORY,
    "Fandom": TagType.FANDOM,
    "Relationship": TagType.RELATIONSHIP,
    "Character": TagType.CHARACTER,
    "Freeform": TagType.FREEFORM,
    "Media": TagType.MEDIA,
}
# Fixed tags the dump sample's works use but its tag sample lacks (AO3's own ids).
_KNOWN_FIXED_IDS = {"116": (TagType.CATEGORY, "F/F"), "2246": (TagType.CATEGORY, "Multi")}


@dataclass(frozen=True)
class TagSpec:
    name: str
    type: str
    canonical: bool
    merger: str | None = None  # the name of the canonical tag this is a synonym of

    @property
    def key(self) -> str:
        return tag_key(self.name)


@dataclass(frozen=True)
class Weighted:
    """Names with cumulative weights, ready for random.choices(names, cum_weights=…)."""

    names: tuple[str, ...]
    cum_weights: tuple[float, ...]

    @classmethod
    def of(cls, pairs: list[tuple[str, float]]) -> Weighted:
        names, cum, total = [], [], 0.0
        for name, weight in pairs:
            total += max(float(weight), 1.0)
            names.append(name)
            cum.append(total)
        return cls(tuple(names), tuple(cum))

    def __bool__(self) -> bool:
        return bool(self.names)


@dataclass(frozen=True)
class Fandom:
    name: str
    relationships: Weighted
    characters: Weighted
    # Synonyms of this fandom's relationships and characters, by canonical name.
    synonyms: dict[str, tuple[str, ...]]


@dataclass(frozen=True)
class FixedTemplate:
    """The fixed tags and tag count of one real work of the dump sample."""

    rating: str
    warnings: tuple[str, ...]
    categories: tuple[str, ...]
    other_tags: int


@dataclass(frozen=True)
class StatsRow:
    """One real work's statistics (work-stats-2023.csv)."""

    hits: int
    kudos: int
    comments: int
    bookmarks: int
    words: int
    chapters: int
    language: str
    complete: bool
    crossover: bool


@dataclass(frozen=True)
class Vocabulary:
    tags: tuple[TagSpec, ...]  # every tag to create, canonical tags before their synonyms
    fandoms: tuple[Fandom, ...]
    fandom_weights: tuple[float, ...]  # cumulative, parallel to fandoms
    characters: Weighted  # all characters, for fandoms without their own
    relationships: Weighted
    freeforms: Weighted
    freeform_synonyms: dict[str, tuple[str, ...]]
    templates: tuple[FixedTemplate, ...]
    stats: tuple[StatsRow, ...]
    restricted_share: float


@dataclass(frozen=True)
class Passage:
    """A paragraph of a novel as the archive stores it, with its word count."""

    html: str
    words: int


@dataclass(frozen=True)
class Novel:
    name: str
    passages: tuple[Passage, ...]  # whole paragraphs, in reading order
    snippets: tuple[Passage, ...]  # short passages (a few sentences) for large demos
    sentences: tuple[str, ...]  # plain sentences, for titles and summaries


def data_dir() -> Path:
    return Path(settings.FANARCHIVE_SHARED_DATA)


def _truthy(value: str) -> bool:
    return value.strip().lower() in {"true", "1", "yes", "t"}


def _as_int(value: str) -> int:
    try:
        return max(int(float(value or 0)), 0)
    except ValueError:
        return 0


def _usable(name: str) -> str | None:
    name = clean_tag_name(html.unescape(name))
    if name.casefold() == "redacted" or tag_name_problem(name):
        return None
    return name


def _crc(name: str) -> int:
    return zlib.crc32(name.encode())


@cache
def load_vocabulary(root: Path | None = None) -> Vocabulary:
    """The demo's vocabulary from `root` (default: settings.FANARCHIVE_SHARED_DATA)."""
    ao3 = (root or data_dir()) / "ao3"
    with open(ao3 / "dump-2021-tags-sample.csv", newline="", encoding="utf-8") as handle:
        dump = list(csv.DictReader(handle))

    # The fixed tags exist from the first migration: nothing else may take their names.
    seen: set[str] = {tag_key(n) for names in FIXED_TAGS.values() for n in names}
    specs: list[TagSpec] = []

    def add(name: str, tag_type: str, canonical: bool, merger: str | None = None) -> bool:
        key = tag_key(name)
        if key in seen:
            return False
        seen.add(key)
        specs.append(TagSpec(name, tag_type, canonical, merger))
        return True

    by_id: dict[str, tuple[TagType, str]] = {}  # dump id → (type, name)
    for fixed_id, (fixed_type, fixed_name) in _KNOWN_FIXED_IDS.items():
        by_id[fixed_id] = (fixed_type, fixed_name)
    weight: dict[str, float] = {}
    canonical_names: dict[str, str] = {}  # dump id → name, canonical tags only
    for row in dump:
        tag_type = _DUMP_TYPES.get(row["type"])
        if tag_type is None:
            continue
        if tag_type in TagType.fixed():
            fixed = resolve_fixed(TagType(tag_type), row["name"])
            if fixed:
                by_id[row["id"]] = (tag_type, fixed)
            continue
        name = _usable(row["name"])
        if name is None:
            continue
        by_id[row["id"]] = (tag_type, name)
        weight[name] = _as_int(row["cached_count"])
        if _truthy(row["canonical"]) and not row["merger_id"]:
            canonical_names[row["id"]] = name

    # Canonical tags first (media, fandoms with Les Misérables, relationships, characters).
    for row in dump:
        if row["id"] in canonical_names and row["type"] == "Media":
            add(canonical_names[row["id"]], TagType.MEDIA, True)
    add(LES_MIS, TagType.FANDOM, True)
    for name, _ in LES_MIS_RELATIONSHIPS:
        add(name, TagType.RELATIONSHIP, True)
    for name, _ in LES_MIS_CHARACTERS:
        add(name, TagType.CHARACTER, True)
    for dump_type in ("Fandom", "Relationship", "Character", "Freeform"):
        for row in dump:
            if row["type"] == dump_type and row["id"] in canonical_names:
                add(canonical_names[row["id"]], _DUMP_TYPES[dump_type], True)

    freeform_pairs: list[tuple[str, float]] = []
    with open(ao3 / "freeform-tag-counts-2015-08.json", encoding="utf-8") as handle:
        counts = json.load(handle)
    for raw, count in counts.items():
        name = _usable(raw)
        if name and add(name, TagType.FREEFORM, True):
            freeform_pairs.append((name, count))
    for row in dump:
        if row["type"] == "Freeform" and row["id"] in canonical_names:
            freeform_pairs.append((canonical_names[row["id"]], weight[canonical_names[row["id"]]]))

    # Synonyms: hand-written ones, then the dump's merger_id pairs (same type, canonical target).
    synonyms: dict[str, list[str]] = defaultdict(list)
    for name, target, tag_type in LES_MIS_SYNONYMS:
        if add(name, tag_type, False, target):
            synonyms[target].append(name)
    unwrangled: list[tuple[str, str]] = []
    for row in dump:
        tag_type = _DUMP_TYPES.get(row["type"])
        if tag_type is None or tag_type in TagType.fixed() or row["id"] in canonical_names:
            continue
        if row["id"] not in by_id:
            continue
        name = by_id[row["id"]][1]
        merger = canonical_names.get(row["merger_id"]) if row["merger_id"] else None
        if merger and by_id[row["merger_id"]][0] == tag_type:
            if add(name, tag_type, False, merger):
                synonyms[merger].append(name)
        elif add(name, tag_type, False):  # not yet wrangled: material for the wranglers
            unwrangled.append((tag_type, name))

    # Which fandom a relationship or character belongs to: co-occurrence on the dump's works,
    # then the characters a relationship names, then a stable spread by popularity.
    with open(ao3 / "dump-2021-works-sample.csv", newline="", encoding="utf-8") as handle:
        dump_works = list(csv.DictReader(handle))
    co: dict[str, Counter[str]] = defaultdict(Counter)
    templates: list[FixedTemplate] = []
    restricted = 0
    for row in dump_works:
        restricted += _truthy(row["restricted"])
        ids = row["tags"].split("+")
        known = [by_id[i] for i in ids if i in by_id]
        work_fandoms = [name for tag_type, name in known if tag_type == TagType.FANDOM]
        for tag_type, name in known:
            if tag_type in (TagType.RELATIONSHIP, TagType.CHARACTER):
                for fandom in work_fandoms:
                    co[name][fandom] += 1
        ratings = [name for tag_type, name in known if tag_type == TagType.RATING]
        warnings = tuple(dict.fromkeys(n for t, n in known if t == TagType.WARNING))
        categories = tuple(dict.fromkeys(n for t, n in known if t == TagType.CATEGORY))
        fixed_count = len(ratings) + len(warnings) + len(categories)
        templates.append(
            FixedTemplate(
                rating=ratings[0] if ratings else "Not Rated",
                warnings=warnings or ("Creator Chose Not To Use Archive Warnings",),
                categories=categories,
                other_tags=max(len(ids) - fixed_count, 1),
            )
        )

    fandom_names = [s.name for s in specs if s.type == TagType.FANDOM and s.canonical]
    fandom_weight = {n: float(max(weight.get(n, 1), 1)) for n in fandom_names}
    fandom_weight[LES_MIS] = max(fandom_weight.values()) * 1.3  # the largest fandom
    spread = Weighted.of([(n, fandom_weight[n]) for n in fandom_names if n != LES_MIS])

    def spread_pick(name: str) -> str:
        point = (_crc(name) % 1_000_003) / 1_000_003 * spread.cum_weights[-1]
        for fandom, cum in zip(spread.names, spread.cum_weights, strict=True):
            if point < cum:
                return fandom
        return spread.names[-1]

    home: dict[str, str] = {}
    canon_of_type = {
        t: [s.name for s in specs if s.type == t and s.canonical and s.name not in home]
        for t in (TagType.RELATIONSHIP, TagType.CHARACTER)
    }
    les_mis_names = {n for n, _ in LES_MIS_CHARACTERS} | {n for n, _ in LES_MIS_RELATIONSHIPS}
    for name in les_mis_names:
        home[name] = LES_MIS
    for tag_type in (TagType.RELATIONSHIP, TagType.CHARACTER):
        for name in canon_of_type[tag_type]:
            if name in home:
                continue
            if co.get(name):
                home[name] = sorted(co[name].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
            else:
                home[name] = spread_pick(name)
            if tag_type == TagType.RELATIONSHIP:
                for person in re.split(r"/| & ", name):
                    home.setdefault(person.strip(), home[name])

    def pool(fandom: str, tag_type: TagType) -> Weighted:
        pairs = [
            (n, weight.get(n, 1))
            for n in canon_of_type[tag_type]
            if home.get(n) == fandom and n not in les_mis_names
        ]
        if fandom == LES_MIS:
            relationships = tag_type == TagType.RELATIONSHIP
            source = LES_MIS_RELATIONSHIPS if relationships else LES_MIS_CHARACTERS
            pairs = [(n, w * 100) for n, w in source]
        return Weighted.of(pairs)

    shared_synonyms = {k: tuple(v) for k, v in synonyms.items()}
    fandoms = []
    for name in fandom_names:
        fandoms.append(
            Fandom(
                name=name,
                relationships=pool(name, TagType.RELATIONSHIP),
                characters=pool(name, TagType.CHARACTER),
                synonyms=shared_synonyms,
            )
        )
    cum, total = [], 0.0
    for name in fandom_names:
        total += fandom_weight[name]
        cum.append(total)

    stats = []
    with open(ao3 / "work-stats-2023.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            stats.append(
                StatsRow(
                    hits=_as_int(row["hits"]),
                    kudos=_as_int(row["kudos"]),
                    comments=_as_int(row["comments"]),
                    bookmarks=_as_int(row["bookmarks"]),
                    words=max(_as_int(row["words"]), 1),
                    chapters=max(_as_int(row["chapters"]), 1),
                    language=resolve_language(row["language"] or "") or "en",
                    complete=_truthy(row["complete"]),
                    crossover=_truthy(row["crossover"]),
                )
            )

    every = {t: [s.name for s in specs if s.type == t and s.canonical] for t in TagType.values}
    freeform_weights = dict(freeform_pairs)
    freeform_list = [(n, freeform_weights.get(n, 1)) for n in every[TagType.FREEFORM]]
    freeform_list += [(n, weight.get(n, 1) / 4) for t, n in unwrangled if t == TagType.FREEFORM]
    return Vocabulary(
        tags=tuple(specs),
        fandoms=tuple(fandoms),
        fandom_weights=tuple(cum),
        characters=Weighted.of([(n, weight.get(n, 1)) for n in every[TagType.CHARACTER]]),
        relationships=Weighted.of([(n, weight.get(n, 1)) for n in every[TagType.RELATIONSHIP]]),
        freeforms=Weighted.of(freeform_list),
        freeform_synonyms=shared_synonyms,
        templates=tuple(templates),
        stats=tuple(stats),
        restricted_share=restricted / max(len(dump_works), 1),
    )


_GUTENBERG_START = re.compile(r"^\*\*\* ?START OF (THE|THIS) PROJECT GUTENBERG.*$", re.M)
_GUTENBERG_END = re.compile(r"^\*\*\* ?END OF (THE|THIS) PROJECT GUTENBERG.*$", re.M)
_HEADING = re.compile(r"^(CHAPTER|BOOK|VOLUME|PART|\[|Chapter|\d+$)")
_SENTENCE = re.compile('(?<=[.!?])\\s+(?=[A-Z\u201c\u2018"])')


def _novel_body(path: Path) -> str:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    if start := _GUTENBERG_START.search(text):
        text = text[start.end() :]
    if end := _GUTENBERG_END.search(text):
        text = text[: end.start()]
    return text


@cache
def load_novel(name: str, root: Path | None = None) -> Novel:
    """A novel from shared/data/texts/, cut into paragraphs the way the archive would store them.

    Lines of a paragraph are unwrapped (Gutenberg wraps at 70 columns; a fan work does not), so
    each paragraph becomes one `<p>` made by text_to_html and counted by count_words.
    """
    body = _novel_body((root or data_dir()) / "texts" / f"{name}.txt")
    passages: list[Passage] = []
    snippets: list[Passage] = []
    sentences: list[str] = []
    for paragraph in paragraphs_from_text(body):
        flat = " ".join(paragraph.split())
        if _HEADING.match(flat) or flat.isupper() or len(flat.split()) < 12:
            continue
        markup = text_to_html(flat)
        passages.append(Passage(markup, count_words(markup)))
        parts = _SENTENCE.split(flat)
        snippet: list[str] = []
        for part in parts:
            snippet.append(part)
            if len(" ".join(snippet).split()) >= 25:
                break
        short = " ".join(snippet)
        if len(short.split()) <= 120:
            markup = text_to_html(short)
            snippets.append(Passage(markup, count_words(markup)))
        sentences.extend(p for p in parts if 4 <= len(p.split()) <= 30 and "_" not in p)
    return Novel(name, tuple(passages), tuple(snippets), tuple(sentences))


NOVELS = ("les-miserables", "pride-and-prejudice")
