"""Name normalisation for the wrangling assistant: folding, tokens, stems, disambiguators,
relationship halves, abbreviations and fuzzy comparison. Pure functions, no database.

The abbreviation table below is hand-kept and deliberately small: only abbreviations that are
generic across fandoms (AU, PWP, h/c, OC…), never names from a particular fandom.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Generic fandom abbreviations (folded key → expansion). Hand-kept; keep it small and generic.
ABBREVIATIONS: dict[str, str] = {
    "au": "alternate universe",
    "aus": "alternate universe",
    "pwp": "porn without plot",
    "h/c": "hurt/comfort",
    "hc": "hurt/comfort",
    "oc": "original character",
    "ocs": "original characters",
    "ofc": "original female character",
    "omc": "original male character",
    "ooc": "out of character",
    "dubcon": "dubious consent",
    "dub-con": "dubious consent",
    "noncon": "non-con",
    "wip": "work in progress",
    "tbr": "to be read",
    "ep": "episode",
    "eps": "episodes",
    "pov": "point of view",
    "rpf": "real person fiction",
    "abo": "alpha/beta/omega dynamics",
    "bdsm": "bdsm",
    "ua": "alternate universe",
    "angst": "angst",
}

# Words that carry no meaning for matching: "crack fic" is "Crack", "fanpoetry" is "Poetry".
NOISE_WORDS = frozenset({"fic", "fics", "fanfic", "fanfics", "fanfiction", "fan", "story"})
STOPWORDS = frozenset({"the", "a", "an", "of", "and", "to", "be", "in", "on", "for", "with"})

# Labels people add to say what type a tag is: "fandom: NCIS", "Snarry - Relationship".
_TYPE_WORDS = r"(?:fandom|character|characters|relationship|pairing|ship|freeform|tag)"
_TYPE_PREFIX = re.compile(rf"^\s*{_TYPE_WORDS}\s*:\s*", re.IGNORECASE)
_TYPE_SUFFIX = re.compile(rf"\s*(?:-|\u2013|:)\s*{_TYPE_WORDS}\s*$", re.IGNORECASE)
_DISAMBIGUATOR = re.compile(r"^(.*\S)\s*\(([^()]+)\)\s*$")
_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)
_CAMEL = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+")


def fold(text: str) -> str:
    """Case and accents removed, white space collapsed: "Zoë  W" → "zoe w"."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def squash(text: str) -> str:
    """Only the letters and digits, folded: "Co-Written" → "cowritten"."""
    return "".join(_TOKEN.findall(fold(text)))


def tokens(text: str) -> list[str]:
    """Folded words: "Stargate: SG-1" → ["stargate", "sg", "1"]."""
    return _TOKEN.findall(fold(text))


def strip_type_label(name: str) -> str:
    """Remove "fandom:" prefixes and " - Relationship" suffixes."""
    stripped = _TYPE_SUFFIX.sub("", _TYPE_PREFIX.sub("", name))
    return stripped.strip() or name


def split_disambiguator(name: str) -> tuple[str, str | None]:
    """("Javert", "Les Misérables") for "Javert (Les Misérables)"; (name, None) otherwise."""
    match = _DISAMBIGUATOR.match(name)
    if not match:
        return name.strip(), None
    return match.group(1).strip(), match.group(2).strip()


def relationship_halves(name: str) -> tuple[str, list[str]] | None:
    """("/", halves) for a romantic relationship, ("&", halves) for a platonic one, else None.

    A disambiguator on the last half that applies to the whole relationship stays on that half.
    "A and B" is read as platonic "A & B" only when there is no "/" or "&".
    """
    for separator in ("/", "&"):
        if separator in name:
            halves = [h.strip() for h in name.split(separator)]
            if len(halves) >= 2 and all(halves):
                return separator, halves
            return None
    parts = re.split(r"\s+and\s+", name, flags=re.IGNORECASE)
    if len(parts) == 2 and all(p.strip() for p in parts):
        return "&", [p.strip() for p in parts]
    return None


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A light English stemmer, the same on both sides of every comparison: plurals, -ing,
    -ed, then -ity, -ness, -ic, and British -our/-ise spellings."""
    w = word
    if len(w) <= 3 or w.isdigit():
        return w
    for suffix in ("isation", "isations", "ise", "ised", "ises", "ising"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            w = w[: -len(suffix)] + "iz" + suffix[2:]
            break
    for suffix, repl in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if w.endswith(suffix) and len(w) - len(suffix) >= 3:
            if suffix == "s" and w.endswith(("ss", "us", "is")):
                continue
            w = w[: -len(suffix)] + repl
            break
    if w.endswith("our") and len(w) > 5:
        w = w[:-3] + "or"
    for suffix in ("ity", "ness"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            break
    if w.endswith("ic") and len(w) >= 6:
        w = w[:-2]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]
    if len(w) > 3 and w[-1] == w[-2] and w[-1] not in "aeiouls":
        w = w[:-1]
    return w


def content_stems(text: str) -> tuple[str, ...]:
    """Stems of the words that carry meaning, sorted: word order, stopwords and noise words
    ("fic") ignored. Falls back to all words when nothing else is left."""
    words = tokens(text)
    kept = [w for w in words if w not in STOPWORDS and w not in NOISE_WORDS]
    if not kept:
        kept = [w for w in words if w not in NOISE_WORDS] or words
    return tuple(sorted(stem(w) for w in kept))


def expand_abbreviations(text: str) -> str | None:
    """The name with generic abbreviations written out, or None when nothing changed."""
    whole = fold(text)
    if whole in ABBREVIATIONS and ABBREVIATIONS[whole] != whole:
        return ABBREVIATIONS[whole]
    words = re.split(r"([\s\-]+)", text)
    changed = False
    out = []
    for word in words:
        key = fold(word)
        if key in ABBREVIATIONS and ABBREVIATIONS[key] != key:
            out.append(ABBREVIATIONS[key])
            changed = True
        else:
            out.append(word)
    return "".join(out) if changed else None


def camel_parts(word: str) -> list[str]:
    """ "RayK" → ["ray", "k"], "McShep" → ["mc", "shep"]; a plain word stays whole."""
    parts = _CAMEL.findall(word)
    if len(parts) <= 1:
        return [fold(word)]
    return [fold(p) for p in parts]


def acronym(text: str) -> str:
    """Initials of the words: "Angel: the Series" → "ats"."""
    return "".join(w[0] for w in tokens(text))


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Levenshtein distance, giving up (returning limit + 1) once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j, cb in enumerate(b, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb))
            best = min(best, current[j])
        if best > limit:
            return limit + 1
        previous = current
    return previous[-1]


def fuzzy_limit(word: str) -> int:
    """How many edits two words may differ by and still be spelling variants."""
    if len(word) >= 8:
        return 2
    if len(word) >= 5:
        return 1
    return 0


@lru_cache(maxsize=500_000)
def word_match(query: str, candidate: str) -> tuple[float, str] | None:
    """How well one query word stands for one word of a candidate name (both folded):
    (quality in (0, 1], kind) or None."""
    if query == candidate:
        return 1.0, "same"
    if stem(query) == stem(candidate):
        return 0.95, "stem"
    if len(query) >= 3 and candidate.startswith(query):
        return 0.8, "short"
    if len(candidate) >= 3 and query.startswith(candidate):
        return 0.75, "short"
    # Spelling variants keep their first letter ("others" is not "mother").
    if query[0] == candidate[0]:
        limit = fuzzy_limit(min(query, candidate, key=len))
        if limit and edit_distance(query, candidate, limit) <= limit:
            return 0.85, "spelling"
        sq, sc = stem(query), stem(candidate)
        limit = fuzzy_limit(min(sq, sc, key=len))
        if limit and edit_distance(sq, sc, limit) <= limit:
            return 0.8, "spelling"
    common = 0
    for x, y in zip(query, candidate, strict=False):
        if x != y:
            break
        common += 1
    if common >= 4 and common * 2 >= min(len(query), len(candidate)):
        # Nickname sharing the start of the name: "Frannie" / "Francesca".
        return 0.6, "short"
    return None
