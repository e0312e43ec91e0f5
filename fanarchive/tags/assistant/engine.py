"""The ranking itself: the rules that turn a tag name into ranked synonym, metatag and parent
suggestions against a `Vocabulary` (index.py).

No database here: `vocabulary.py` builds a `Vocabulary` from the database or from CSV files.
Every rule looks candidates up in an index (exact keys, word → tags, spelling neighbours,
acronyms, initials, word prefixes); edit distance only ever runs on those candidates.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import permutations

from fanarchive.tags.names import tag_key

from .index import VocabTag, Vocabulary, _content, _Entry
from .normalize import (
    NOISE_WORDS,
    camel_parts,
    content_stems,
    expand_abbreviations,
    fold,
    relationship_halves,
    split_disambiguator,
    squash,
    stem,
    strip_type_label,
    tokens,
    word_match,
)

__all__ = ["Suggestion", "Suggestions", "VocabTag", "Vocabulary", "rank"]

MAX_SUGGESTIONS = 5
# Below this a synonym guess is noise: the assistant says nothing rather than guess.
MIN_SYNONYM_SCORE = 0.3
MIN_OTHER_SCORE = 0.2
NAME_TYPES = frozenset({"character", "relationship"})
PARENT_TYPES: dict[str, tuple[str, ...]] = {
    "character": ("fandom",),
    "relationship": ("fandom", "character"),
    "freeform": ("fandom",),
    "fandom": ("media",),
}


@dataclass(frozen=True)
class Suggestion:
    name: str
    score: float
    reason: str
    id: int | None = None

    def as_dict(self) -> dict[str, object]:
        return {"name": self.name, "score": round(self.score, 3), "reason": self.reason}


@dataclass(frozen=True)
class Suggestions:
    synonyms: list[Suggestion] = field(default_factory=list)
    metatags: list[Suggestion] = field(default_factory=list)
    parents: list[Suggestion] = field(default_factory=list)

    def as_dict(self) -> dict[str, list[dict[str, object]]]:
        return {
            "synonyms": [s.as_dict() for s in self.synonyms],
            "metatags": [s.as_dict() for s in self.metatags],
            "parents": [s.as_dict() for s in self.parents],
        }


class _Ranking:
    """Best score and reason per candidate."""

    def __init__(self) -> None:
        self.best: dict[int, tuple[float, str]] = {}
        self.ambiguous: set[int] = set()

    def add(self, idx: int, score: float, reason: str, *, ambiguous: bool = False) -> None:
        """`ambiguous`: the rule found a name that several tags share (a first name, initials,
        a name without its disambiguator); how much each is used then decides between them."""
        score = max(0.0, min(1.0, score))
        current = self.best.get(idx)
        if current is None or score > current[0] + 1e-9:
            self.best[idx] = (score, reason)
            if ambiguous:
                self.ambiguous.add(idx)
            else:
                self.ambiguous.discard(idx)

    def top(self, vocab: Vocabulary, limit: int, minimum: float) -> list[Suggestion]:
        best = dict(self.best)
        if self.ambiguous:
            most = max(vocab.entries[i].tag.popularity for i in self.ambiguous)
            for idx in self.ambiguous:
                share = math.log1p(vocab.entries[idx].tag.popularity) / math.log1p(most or 1)
                score, reason = best[idx]
                best[idx] = (score * (0.75 + 0.25 * share), reason)
        ranked = sorted(
            best.items(),
            key=lambda item: (-round(item[1][0], 3), -vocab.entries[item[0]].tag.popularity),
        )
        out = []
        for idx, (score, reason) in ranked:
            if score < minimum:
                break
            tag = vocab.entries[idx].tag
            out.append(Suggestion(name=tag.name, score=score, reason=reason, id=tag.id))
            if len(out) >= limit:
                break
        return out


# -- word alignment -------------------------------------------------------------------------


def _align(
    query: list[str], candidate: tuple[str, ...], *, short: bool = True
) -> tuple[list[float], int, set[str]]:
    """Greedy best match of each query word to a distinct candidate word. `short`: allow
    short forms and initials (names), not only same words, stems and spelling variants.

    Returns the quality of each query word's match (0 = unmatched), how many candidate words
    were used, and the kinds of matches made."""
    used: set[int] = set()
    qualities = []
    kinds: set[str] = set()
    for q in query:
        best: tuple[float, int, str] | None = None
        for j, c in enumerate(candidate):
            if j in used:
                continue
            m = word_match(q, c) if len(q) > 1 else None
            if len(q) == 1 and short and c.startswith(q):
                m = (0.6, "initial")
            if m and not short and m[1] == "short":
                m = None
            if m and (best is None or m[0] > best[0]):
                best = (m[0], j, m[1])
        if best:
            used.add(best[1])
            qualities.append(best[0])
            kinds.add(best[2])
        else:
            qualities.append(0.0)
    return qualities, len(used), kinds


def _name_score(
    query_words: list[str], entry_words: tuple[str, ...], *, strict: bool = True
) -> tuple[float, str] | None:
    """How well a character-like name matches. `strict`: a one-word name must match a word
    well (same, stem or spelling), not only as a short form."""
    if not query_words or not entry_words:
        return None
    qualities, used, kinds = _align(query_words, entry_words)
    matched = sum(1 for q in qualities if q > 0)
    if matched == 0:
        return None
    avg = sum(qualities) / len(query_words)
    strong = any(q >= 0.85 for q in qualities)
    if strict and not strong and len(query_words) == 1:
        return None
    cover = used / len(entry_words)
    score = avg * (0.75 + 0.25 * cover)
    if matched < len(query_words):
        # "Zoe Alleyne" / "Zoë Washburne": too weak to say anything.
        return None
    if "short" in kinds or "initial" in kinds:
        reason = "short form of the name"
    elif "spelling" in kinds:
        reason = "spelling variant of the name"
    elif used < len(entry_words):
        reason = "part of the full name"
    else:
        reason = "same name"
    return score, reason


# -- the rules ------------------------------------------------------------------------------


def _variants(name: str, vocab: Vocabulary) -> list[tuple[str, float, str]]:
    """Readings of the name to try: as written, without a type label, with abbreviations
    written out, with run-together words split."""
    out = [(name, 1.0, "")]
    stripped = strip_type_label(name)
    if stripped != name:
        out.append((stripped, 0.98, " (type label removed)"))
    base = stripped
    expanded = expand_abbreviations(base)
    if expanded:
        out.append((expanded, 0.95, f" (abbreviation: {expanded})"))
    words = tokens(base)
    if len(words) == 1 and words[0] not in vocab.word_index:
        split = _split_compound(words[0], vocab)
        if split:
            out.append((split, 0.95, f" (read as '{split}')"))
    return out


def _split_compound(word: str, vocab: Vocabulary) -> str | None:
    """ "warfic" → "war fic", "fanpoetry" → "fan poetry": two known words run together."""
    known = vocab.word_index
    for i in range(2, len(word) - 1):
        left, right = word[:i], word[i:]
        left_known = left in NOISE_WORDS or (left in known and len(left) >= 3)
        right_known = right in NOISE_WORDS or (right in known and len(right) >= 3)
        if left_known and right_known:
            return f"{left} {right}"
    return None


def _allowed(entry: _Entry, tag_type: str | None, self_key: str) -> bool:
    if tag_type is not None and entry.tag.type is not None and entry.tag.type != tag_type:
        return False
    return entry.key != self_key


def _synonym_rules(
    text: str,
    weight: float,
    note: str,
    vocab: Vocabulary,
    tag_type: str | None,
    self_key: str,
    ranking: _Ranking,
    fandom_ids: set[int],
) -> None:
    base, disamb = split_disambiguator(text)
    halves = relationship_halves(base) if tag_type in (None, "relationship") else None

    def add(idx: int, score: float, reason: str, *, ambiguous: bool = False) -> None:
        entry = vocab.entries[idx]
        if not _allowed(entry, tag_type, self_key):
            return
        if (
            halves
            and entry.halves
            and (halves[0] != entry.halves[0] or len(halves[1]) != len(entry.halves[1]))
        ):
            # Romantic (/) and platonic (&) relationships are different tags.
            return
        if fandom_ids and set(entry.tag.parents) & fandom_ids:
            score = score + (1 - score) * 0.3
            reason += ", in the same fandom"
            ambiguous = False  # the fandom has decided between names that others share
        ranking.add(idx, score * weight, reason + note, ambiguous=ambiguous)

    folded = fold(text)
    for idx in vocab.by_fold.get(folded, []):
        add(idx, 0.99, "same name up to case and accents")
    for idx in vocab.by_squash.get(squash(text), []):
        add(idx, 0.96, "same name up to punctuation and spacing")
    stems = content_stems(base)
    if stems:
        same_words = tuple(sorted(tokens(base)))
        for idx in vocab.by_stems.get(stems, []):
            entry = vocab.entries[idx]
            if squash(disamb or "") != squash(entry.disambiguator or ""):
                continue
            if tuple(sorted(entry.words)) == same_words:
                add(idx, 0.93, "same words in another order")
            else:
                add(idx, 0.9, "same words up to stems, spelling and filler words")
    # Disambiguator: "Javert" → "Javert (Les Misérables)".
    for idx in vocab.by_base.get(squash(base), []):
        entry = vocab.entries[idx]
        if disamb is None and entry.disambiguator:
            fandom_hint = entry.disambiguator
            add(idx, 0.82, f"same name with the disambiguator ({fandom_hint})", ambiguous=True)
        elif disamb and entry.disambiguator and squash(disamb) != squash(entry.disambiguator):
            add(idx, 0.5, "same name with another disambiguator", ambiguous=True)
    if halves:
        _relationship_rules(halves, vocab, add)
    words = tokens(base)
    if tag_type in (None, "relationship") and not halves and len(words) == 1:
        _portmanteau_rule(words[0], vocab, add)
    if len(words) == 1 and len(words[0]) >= 2:
        for idx in vocab.by_acronym.get(words[0], []):
            add(idx, 0.8, "the initials of this name")
    if not halves:
        _word_rules(words, vocab, tag_type, add)


def _relationship_rules(halves: tuple[str, list[str]], vocab: Vocabulary, add) -> None:
    sep, parts = halves
    bases = [split_disambiguator(p)[0] for p in parts]
    keys = tuple(sorted(squash(b) for b in bases))
    kind = "romantic" if sep == "/" else "platonic"
    for idx in vocab.by_halves.get((sep, keys), []):
        add(idx, 0.97, f"same {kind} relationship with the names in another order")
    half_words = [tokens(b) for b in bases]
    if any(not w for w in half_words):
        return
    # Names run together with a surname initial: "RayK" → "ray k".
    readings = []
    for b, words in zip(bases, half_words, strict=True):
        raw = b.split()
        camel = camel_parts(raw[0]) if len(raw) == 1 else []
        readings.append([words, camel] if len(camel) > 1 else [words])
    if all(len(w) == 1 and len(w[0]) == 1 for w in half_words):
        initials = tuple(sorted(w[0] for w in half_words))
        for idx in vocab.by_initials.get((sep, initials), []):
            add(idx, 0.55, f"the initials of the {kind} relationship's names", ambiguous=True)
        return
    # Candidates: relationships with a word matching some word of the rarest half.
    candidate_sets = []
    for words in half_words:
        found: set[int] = set()
        for w in words:
            if len(w) > 1:
                found |= vocab.candidates_for_word(w, names=True)
        candidate_sets.append(found)
    candidates = set.intersection(*candidate_sets) if candidate_sets else set()
    for idx in candidates:
        entry = vocab.entries[idx]
        if not entry.halves or entry.halves[0] != sep or len(entry.halves[1]) != len(parts):
            continue
        their = entry.half_words
        if len(parts) > 4:
            continue
        best = 0.0
        for order in permutations(range(len(their))):
            scores = []
            for qi, ti in enumerate(order):
                named = [_name_score(r, their[ti], strict=False) for r in readings[qi]]
                scores.append(max((f[0] for f in named if f), default=0.0))
            # Every name must resolve, one of them well.
            if min(scores) > 0 and max(scores) >= 0.6:
                best = max(best, sum(scores) / len(scores))
        if best > 0:
            add(
                idx,
                0.9 * best,
                f"each name resolves to a name in this {kind} relationship",
                ambiguous=True,
            )


def _portmanteau_rule(word: str, vocab: Vocabulary, add) -> None:
    """Ship names: "McShep" = McKay + Sheppard, "Snarry" = Snape + Harry."""
    if len(word) < 5:
        return
    candidates: set[int] = set()
    heads = vocab.ship_prefix2.get(word[:2], set())
    for i in range(2, len(word) - 2):
        tail = word[i:]
        tails = vocab.ship_prefix3.get(tail[:3], set()) | vocab.ship_suffix3.get(tail[-3:], set())
        candidates |= heads & tails
    for idx in candidates:
        a, b = vocab.entries[idx].half_words
        if _is_portmanteau(word, a, b) or _is_portmanteau(word, b, a):
            add(idx, 0.6, "a ship name made of the two names", ambiguous=True)


def _is_portmanteau(word: str, first: Sequence[str], second: Sequence[str]) -> bool:
    for i in range(2, len(word) - 1):
        head, tail = word[:i], word[i:]
        if len(tail) < 2:
            continue
        if any(w.startswith(head) and w != head for w in first) or head in first:
            for w in second:
                if w.startswith(tail) or (w.endswith(tail) and len(tail) >= 3):
                    return True
    return False


def _word_rules(words: list[str], vocab: Vocabulary, tag_type: str | None, add) -> None:
    """Word-level matching: name forms, spelling variants, more or fewer words."""
    if not words:
        return
    names = tag_type in (None, *NAME_TYPES)
    content = _content(words)
    hits: dict[int, int] = defaultdict(int)
    for w in content:
        for idx in vocab.candidates_for_word(w, names=names and len(content) <= 3):
            hits[idx] += 1
    last = stem(content[-1])
    for idx, n in hits.items():
        entry = vocab.entries[idx]
        # Every rule below needs all the query's words or all the candidate's words matched.
        if n < len(content) and n < len(entry.content):
            continue
        if entry.disambiguator and squash(entry.base) == squash(" ".join(words)):
            continue  # the disambiguator rule's case: "Javert" / "Javert (Les Misérables)"
        if names and entry.tag.type in (None, *NAME_TYPES):
            scored = _name_score(content, entry.words)
            if scored:
                add(idx, 0.85 * scored[0], scored[1], ambiguous=True)
                continue
        theirs = entry.content
        qualities, used, _kinds = _align(content, theirs, short=False)
        matched = sum(1 for q in qualities if q > 0)
        if matched == 0:
            continue
        avg_matched = sum(qualities) / matched
        if matched == len(content) and used == len(theirs):
            add(idx, 0.85 * avg_matched, "same words up to spelling")
        elif matched == len(content):
            # The tag is a shorter form: "House" → "House M.D.". Right for fandom names; for
            # additional tags a longer tag is usually a narrower one ("Fusion Challenge").
            if tag_type in (None, "fandom") and entry.tag.type in (None, "fandom"):
                weight = 1.0 if tag_type == "fandom" else 0.8
                score = (0.4 + 0.3 * matched / len(theirs)) * avg_matched * weight
                add(idx, score, "a shorter form of it")
        elif used == len(theirs) and tag_type not in NAME_TYPES:
            # (Not for names: "Rose Granger-Weasley" is not "Rose".)
            # The tag adds words to a general tag: "almost drabble" → "Drabble". When the
            # added words are a tag of their own, it combines two tags ("crossover crack").
            left = [w for w, q in zip(content, qualities, strict=True) if q == 0]
            combined = any(
                vocab.entries[other].tag.type in (tag_type, None)
                for other in vocab.by_stems.get(content_stems(" ".join(left)), [])
            )
            head = 0.08 if any(stem(t) == last for t in theirs) else 0.0
            score = (0.35 + 0.25 * used / len(content) + head) * avg_matched
            if combined:
                score *= 0.5
            add(idx, score, "the tag's main words")


def _metatag_rules(
    name: str,
    vocab: Vocabulary,
    tag_type: str | None,
    self_key: str,
    ranking: _Ranking,
    synonyms: list[Suggestion],
) -> None:
    def add(idx: int, score: float, reason: str) -> None:
        if _allowed(vocab.entries[idx], tag_type, self_key):
            ranking.add(idx, score, reason)

    text = strip_type_label(name)
    base, disamb = split_disambiguator(text)
    words = _content(tokens(base))
    if not words:
        return
    hits: dict[int, int] = defaultdict(int)
    for w in words:
        for idx in vocab.candidates_for_word(w, names=False):
            hits[idx] += 1
    for idx, n in hits.items():
        entry = vocab.entries[idx]
        if n < len(entry.content):
            continue
        # A disambiguator is matched whole, never word by word ("Tyler (Total Drama)" is not
        # under "Drama").
        if entry.disambiguator and (not disamb or squash(disamb) != squash(entry.disambiguator)):
            continue
        theirs = entry.content
        if len(theirs) >= len(words) and not (disamb and not entry.disambiguator):
            continue
        qualities, used, _kinds = _align(words, theirs)
        if used < len(theirs):
            continue
        matched = [q for q in qualities if q > 0]
        avg = sum(matched) / len(matched)
        # AO3 names a narrower tag by putting a qualifier first: "Protective Sherlock Holmes",
        # "Medical School"; the qualifier's own tag is the likeliest metatag.
        head = 0.1 if qualities[0] > 0 else 0.0
        # Only words from the middle matched: usually part of a name ("Drunk Remus Lupin").
        inner = 0.9 if len(words) > 2 and qualities[0] == 0 and qualities[-1] == 0 else 1.0
        cover = used / len(words)
        score = (0.45 + 0.35 * cover + head) * avg * inner
        add(idx, score, "a more general tag made of its words")
    if disamb:
        for idx in vocab.by_base.get(squash(base), []):
            entry = vocab.entries[idx]
            if entry.disambiguator and squash(entry.disambiguator) != squash(disamb):
                add(idx, 0.5, f"the same name in {entry.disambiguator}")
    for syn in synonyms[:2]:
        syn_entry = vocab.entry_for(syn.id) if syn.id is not None else None
        if not syn_entry:
            continue
        for meta_id in syn_entry.tag.metatags:
            meta = vocab.by_id.get(meta_id)
            if meta is not None:
                add(meta, 0.8 * syn.score, f"a metatag of {syn_entry.tag.name}")


def _parent_rules(
    name: str,
    vocab: Vocabulary,
    tag_type: str | None,
    self_key: str,
    ranking: _Ranking,
    synonyms: list[Suggestion],
    fandom_ids: set[int],
    usage: Mapping[int, int],
) -> None:
    allowed = PARENT_TYPES.get(tag_type, ("fandom", "character", "media")) if tag_type else None

    def add(idx: int, score: float, reason: str) -> None:
        entry = vocab.entries[idx]
        if allowed is not None and entry.tag.type not in allowed:
            return
        if entry.key == self_key:
            return
        ranking.add(idx, score, reason)

    base, disamb = split_disambiguator(strip_type_label(name))
    if disamb:
        for idx in vocab.by_fold.get(fold(disamb), []) + vocab.by_squash.get(squash(disamb), []):
            add(idx, 0.9, f"named in the disambiguator ({disamb})")
    for syn in synonyms[:3]:
        entry = vocab.entry_for(syn.id) if syn.id is not None else None
        if not entry:
            continue
        for parent_id in entry.tag.parents:
            parent_idx = vocab.by_id.get(parent_id)
            if parent_idx is not None:
                add(parent_idx, 0.85 * syn.score, f"a parent of {entry.tag.name}")
    # Characters named in a relationship, and their fandoms.
    halves = relationship_halves(base)
    if halves and tag_type in (None, "relationship"):
        for half in halves[1]:
            half_base = split_disambiguator(half)[0]
            words = tokens(half_base)
            char_ranking = _Ranking()
            for w in words:
                for idx in vocab.candidates_for_word(w, names=True):
                    entry = vocab.entries[idx]
                    if entry.tag.type not in (None, "character"):
                        continue
                    scored = _name_score(words, entry.words)
                    if scored:
                        bonus = 0.1 if set(entry.tag.parents) & fandom_ids else 0.0
                        char_ranking.add(idx, scored[0] * 0.9 + bonus, scored[1])
            for found in char_ranking.top(vocab, 1, 0.3):
                assert found.id is not None  # _Ranking.top always sets the tag's id
                idx = vocab.by_id[found.id]
                add(idx, found.score, f"the character named '{half_base}'")
                for parent_id in vocab.entries[idx].tag.parents:
                    pidx = vocab.by_id.get(parent_id)
                    if pidx is not None:
                        add(pidx, 0.8 * found.score, f"the fandom of {found.name}")
    # Where the tag's works are.
    total = sum(usage.values())
    for fandom_id, n in usage.items():
        fandom_idx = vocab.by_id.get(fandom_id)
        if fandom_idx is not None and total:
            share = n / total
            add(fandom_idx, 0.4 + 0.55 * share, f"{n} of the tag's {total} works are in it")
    for fandom_id in fandom_ids:
        fandom_idx = vocab.by_id.get(fandom_id)
        if fandom_idx is not None:
            add(fandom_idx, 0.5, "the fandom it was used in")


def rank(
    name: str,
    *,
    vocabulary: Vocabulary,
    tag_type: str | None = None,
    fandoms: Iterable[str] = (),
    usage: Mapping[int, int] | None = None,
    limit: int = MAX_SUGGESTIONS,
) -> Suggestions:
    """Suggestions for `name` (existing or proposed) against `vocabulary`. `usage` maps
    fandom tag ids to how many of the tag's works carry them."""
    name = " ".join(name.split())
    if not name:
        return Suggestions()
    self_key = tag_key(name)
    fandom_ids = vocabulary.fandom_ids(fandoms)
    disamb = split_disambiguator(name)[1]
    if disamb:
        fandom_ids |= vocabulary.fandom_ids([disamb])
    synonyms = _Ranking()
    if tag_type not in ("rating", "warning", "category"):
        for text, weight, note in _variants(name, vocabulary):
            _synonym_rules(text, weight, note, vocabulary, tag_type, self_key, synonyms, fandom_ids)
    else:
        for text, weight, note in _variants(name, vocabulary)[:1]:
            _synonym_rules(text, weight, note, vocabulary, tag_type, self_key, synonyms, fandom_ids)
    top_synonyms = synonyms.top(vocabulary, limit, MIN_SYNONYM_SCORE)
    metas = _Ranking()
    _metatag_rules(name, vocabulary, tag_type, self_key, metas, top_synonyms)
    parents = _Ranking()
    _parent_rules(
        name, vocabulary, tag_type, self_key, parents, top_synonyms, fandom_ids, usage or {}
    )
    return Suggestions(
        synonyms=top_synonyms,
        metatags=metas.top(vocabulary, limit, MIN_OTHER_SCORE),
        parents=parents.top(vocabulary, limit, MIN_OTHER_SCORE),
    )
