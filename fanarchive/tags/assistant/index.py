"""The assistant's in-memory vocabulary: canonical tags with the indexes every rule looks
candidates up in (exact keys, words and stems, spelling neighbours, acronyms, relationship
halves and initials, ship-name letters, word prefixes). Pure Python, no database."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from fanarchive.tags.names import tag_key

from .normalize import (
    NOISE_WORDS,
    STOPWORDS,
    acronym,
    content_stems,
    fold,
    relationship_halves,
    split_disambiguator,
    squash,
    stem,
    tokens,
)

# Words found in more tags than this are not used to find candidates (they still score).
MAX_POSTING = 20_000


@dataclass(frozen=True)
class VocabTag:
    """One canonical tag as the assistant sees it."""

    id: int
    name: str
    type: str | None
    popularity: int = 0
    parents: tuple[int, ...] = ()
    metatags: tuple[int, ...] = ()


def _content(words: Iterable[str]) -> list[str]:
    kept = [w for w in words if w not in STOPWORDS and w not in NOISE_WORDS]
    return kept or list(words)


@dataclass
class _Entry:
    tag: VocabTag
    key: str  # tag_key of the name: the tag's identity
    base: str  # name without its disambiguator
    disambiguator: str | None
    words: tuple[str, ...]  # folded words of the base name
    all_words: tuple[str, ...]  # folded words of the whole name
    stems: tuple[str, ...]  # content stems of the base name, sorted
    content: tuple[str, ...]  # folded words of the base name without stop and noise words
    halves: tuple[str, list[str]] | None  # relationship separator and halves
    half_words: tuple[tuple[str, ...], ...] = ()  # folded words of each half's base name


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class Vocabulary:
    """Canonical tags with the indexes the rules need. Build once, query many times."""

    def __init__(self, tags: Iterable[VocabTag]) -> None:
        self.entries: list[_Entry] = []
        self.by_id: dict[int, int] = {}
        self.by_key: dict[str, int] = {}
        self.by_fold: dict[str, list[int]] = defaultdict(list)
        self.by_squash: dict[str, list[int]] = defaultdict(list)
        self.by_stems: dict[tuple[str, ...], list[int]] = defaultdict(list)
        self.by_base: dict[str, list[int]] = defaultdict(list)
        self.by_acronym: dict[str, list[int]] = defaultdict(list)
        self.by_halves: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
        self.by_initials: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
        self.word_index: dict[str, set[int]] = defaultdict(set)  # folded word → entries
        self.stem_index: dict[str, set[int]] = defaultdict(set)  # stem → entries
        self.neighbours: dict[str, set[str]] = defaultdict(set)  # deletion → stems
        self.sorted_words: list[str] = []
        # Two-name relationships by the first two/three and last three letters of their words.
        self.ship_prefix2: dict[str, set[int]] = defaultdict(set)
        self.ship_prefix3: dict[str, set[int]] = defaultdict(set)
        self.ship_suffix3: dict[str, set[int]] = defaultdict(set)
        for tag in tags:
            self._add(tag)
        self.sorted_words = sorted(self.word_index)
        for s in self.stem_index:
            if len(s) >= 5:
                for d in _deletions(s):
                    self.neighbours[d].add(s)

    def __len__(self) -> int:
        return len(self.entries)

    def _add(self, tag: VocabTag) -> None:
        idx = len(self.entries)
        base, disamb = split_disambiguator(tag.name)
        halves = relationship_halves(base) if tag.type in (None, "relationship") else None
        if halves is None and tag.type in (None, "relationship") and disamb:
            halves = relationship_halves(tag.name)
        entry = _Entry(
            tag=tag,
            key=tag_key(tag.name),
            base=base,
            disambiguator=disamb,
            words=tuple(tokens(base)),
            all_words=tuple(tokens(tag.name)),
            stems=content_stems(base),
            content=tuple(_content(tokens(base))),
            half_words=tuple(tuple(tokens(split_disambiguator(h)[0])) for h in halves[1])
            if halves
            else (),
            halves=halves,
        )
        self.entries.append(entry)
        self.by_id[tag.id] = idx
        self.by_key[tag_key(tag.name)] = idx
        self.by_fold[fold(tag.name)].append(idx)
        self.by_squash[squash(tag.name)].append(idx)
        self.by_stems[entry.stems].append(idx)
        self.by_base[squash(base)].append(idx)
        if len(entry.words) >= 2:
            self.by_acronym[acronym(base)].append(idx)
        for w in set(entry.words):
            self.word_index[w].add(idx)
            self.stem_index[stem(w)].add(idx)
        if halves:
            sep, parts = halves
            keys = tuple(sorted(squash(split_disambiguator(p)[0]) for p in parts))
            self.by_halves[(sep, keys)].append(idx)
            initials = []
            for part in parts:
                words = tokens(split_disambiguator(part)[0])
                if words:
                    initials.append(words[0][0])
            self.by_initials[(sep, tuple(sorted(initials)))].append(idx)
            if len(parts) == 2:
                for half_words in entry.half_words:
                    for w in half_words:
                        self.ship_prefix2[w[:2]].add(idx)
                        if len(w) >= 3:
                            self.ship_prefix3[w[:3]].add(idx)
                            self.ship_suffix3[w[-3:]].add(idx)

    # -- lookups -------------------------------------------------------------------------

    def entry_for(self, tag_id: int) -> _Entry | None:
        idx = self.by_id.get(tag_id)
        return None if idx is None else self.entries[idx]

    def words_with_prefix(self, prefix: str, limit: int = 200) -> list[str]:
        start = bisect.bisect_left(self.sorted_words, prefix)
        out = []
        for word in self.sorted_words[start : start + limit]:
            if not word.startswith(prefix):
                break
            out.append(word)
        return out

    def spelling_neighbours(self, s: str) -> set[str]:
        """Stems within one edit of `s` (deletion-neighbourhood lookup)."""
        if len(s) < 5:
            return set()
        found = set(self.neighbours.get(s, ()))
        for d in _deletions(s):
            if d in self.stem_index:
                found.add(d)
            found |= self.neighbours.get(d, set())
        found.discard(s)
        return found

    def candidates_for_word(self, word: str, *, names: bool) -> set[int]:
        """Entries with a word that may stand for `word`: same stem, spelling neighbour, and
        for names also longer/shorter forms ("Greg" / "Gregory")."""
        out: set[int] = set()
        s = stem(word)
        for posting in (self.stem_index.get(s), self.word_index.get(word)):
            if posting and len(posting) <= MAX_POSTING:
                out |= posting
        for n in self.spelling_neighbours(s):
            posting = self.stem_index[n]
            if len(posting) <= MAX_POSTING:
                out |= posting
        if names and len(word) >= 3:
            for longer in self.words_with_prefix(word, limit=60):
                out |= self.word_index[longer]
            for k in range(3, len(word)):
                posting = self.word_index.get(word[:k])
                if posting and len(posting) <= MAX_POSTING:
                    out |= posting
            if len(word) >= 5:
                for similar in self.words_with_prefix(word[:4], limit=60):
                    out |= self.word_index[similar]
        return out

    def fandom_ids(self, names: Iterable[str]) -> set[int]:
        out = set()
        for name in names:
            for idx in self.by_fold.get(fold(name), []):
                if self.entries[idx].tag.type in (None, "fandom"):
                    out.add(self.entries[idx].tag.id)
        return out
