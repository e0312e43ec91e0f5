"""Pure, deterministic generation of a demo archive: rows as tuples, with explicit ids.

Nothing here touches the database. The same seed, number of works, vocabulary and first ids
always give the same rows. Works come in chunks of CHUNK_SIZE, each drawn from its own random
stream (seeded by the seed and the chunk's number), so memory stays bounded at any size.
"""

from __future__ import annotations

import datetime
import html
import math
import random
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from fanarchive.tags.names import tag_key

from .vocabulary import LES_MIS, NOVELS, Fandom, Novel, Passage, Vocabulary, Weighted, load_novel

CHUNK_SIZE = 5000
# Up to this many works, chapters are real length (hundreds to a few thousand words); above it
# they are short excerpts (one passage of a few sentences) so a million works stay fast and small.
FULL_TEXT_LIMIT = 10_000
FULL_MAX_CHAPTERS = 12
SHORT_MAX_CHAPTERS = 5
FULL_MIN_WORDS, FULL_MAX_WORDS = 300, 2500

DRAFT_SHARE = 0.01
HIDDEN_SHARE = 0.002
SERIES_SHARE = 0.04
COCREATOR_SHARE = 0.03
SECOND_PSEUD_SHARE = 0.12
SYNONYM_SHARE = 0.08  # how often a creator writes a synonym instead of the canonical name

FIRST_YEAR, LAST_YEAR = 2009, 2025
LAST_DAY = datetime.date(LAST_YEAR, 12, 31)
_FIRST_ORDINAL = datetime.date(FIRST_YEAR, 1, 1).toordinal()
_LAST_ORDINAL = LAST_DAY.toordinal()
# AO3 grew every year: later years get more works.
_YEAR_WEIGHTS = [1 + 0.35 * (y - FIRST_YEAR) ** 1.3 for y in range(FIRST_YEAR, LAST_YEAR + 1)]

USER_COLUMNS = (
    "id",
    "password",
    "last_login",
    "is_superuser",
    "username",
    "first_name",
    "last_name",
    "email",
    "is_staff",
    "is_active",
    "date_joined",
    "is_imported",
)
PSEUD_COLUMNS = ("id", "user_id", "name", "is_default", "description", "created_at")
WORK_COLUMNS = (
    "id",
    "title",
    "summary",
    "notes",
    "end_notes",
    "language",
    "complete",
    "expected_chapters",
    "chapter_count",
    "word_count",
    "published",
    "updated",
    "restricted",
    "posted",
    "hidden_by_admin",
    "source_header",
    "created_at",
    "modified_at",
    # Given, not left to the database's defaults (an archive migrated from before they had
    # database defaults has none).
    "comment_permission",
    "moderated_comments",
)
CHAPTER_COLUMNS = (
    "id",
    "work_id",
    "position",
    "title",
    "summary",
    "notes",
    "end_notes",
    "text",
    "word_count",
    "published",
    "posted",
    "created_at",
    "modified_at",
)
CREATORSHIP_COLUMNS = ("id", "work_id", "pseud_id", "position")
WORKTAG_COLUMNS = ("id", "work_id", "tag_id", "position")
SERIES_COLUMNS = ("id", "title", "summary", "notes", "complete", "created_at", "modified_at")
SERIESWORK_COLUMNS = ("id", "series_id", "work_id", "position")
STATS_COLUMNS = ("work_id", "hits", "kudos", "comments", "bookmarks", "subscriptions")

_ADJECTIVES = (
    "quiet",
    "silver",
    "crimson",
    "velvet",
    "hollow",
    "little",
    "wandering",
    "starlit",
    "gilded",
    "midnight",
    "paper",
    "restless",
    "amber",
    "winter",
    "summer",
    "golden",
    "broken",
    "gentle",
    "wild",
    "salt",
    "lantern",
    "ink",
    "ember",
    "tidal",
    "lunar",
    "saint",
    "distant",
    "sleepy",
    "second",
    "blue",
    "green",
    "scarlet",
    "ashen",
    "bright",
    "small",
    "brave",
    "cloudy",
    "rainy",
    "secret",
    "strange",
    "lost",
    "last",
    "early",
    "late",
    "burning",
    "frozen",
    "soft",
    "sharp",
)
_NOUNS = (
    "barricade",
    "lantern",
    "sparrow",
    "garden",
    "letter",
    "candle",
    "river",
    "harbor",
    "meadow",
    "archive",
    "library",
    "quill",
    "teacup",
    "comet",
    "orchard",
    "violin",
    "cathedral",
    "ribbon",
    "lighthouse",
    "fox",
    "raven",
    "magpie",
    "willow",
    "thistle",
    "hearth",
    "window",
    "street",
    "bridge",
    "moth",
    "rose",
    "storm",
    "tide",
    "echo",
    "feather",
    "compass",
    "anchor",
    "bell",
    "chorus",
    "ember",
    "fable",
    "galaxy",
    "honey",
    "inkwell",
    "juniper",
    "kettle",
    "marigold",
)
_TITLE_NOUNS = (
    "Light",
    "Barricade",
    "Silence",
    "Letters",
    "Candles",
    "Promise",
    "Winter",
    "Return",
    "Distance",
    "Rain",
    "Heart",
    "Stars",
    "Revolution",
    "Morning",
    "Ashes",
    "Bread",
    "Roses",
    "Ghosts",
    "Oath",
    "Harbor",
    "River",
    "Garden",
    "Dawn",
    "Homecoming",
    "Names",
    "Songs",
)
_TITLE_ADJECTIVES = (
    "Quiet",
    "Long",
    "Last",
    "Small",
    "Bright",
    "Unfinished",
    "Borrowed",
    "Gentle",
    "Impossible",
    "Second",
    "Other",
    "Secret",
    "Careful",
    "Golden",
    "Broken",
    "Wild",
    "Endless",
    "Ordinary",
)
_THEMES = (
    "a coffee shop",
    "a snowstorm",
    "a fake relationship",
    "a barricade",
    "a masquerade",
    "the end of the world",
    "a library",
    "a long train journey",
    "a broken umbrella",
    "a bet gone wrong",
    "an arranged marriage",
    "a missing letter",
    "a road trip",
)
_NOTES = (
    "Thanks to my wonderful beta for everything.",
    "This got away from me. Enjoy!",
    "Written for a prompt on tumblr. Comments and kudos make my day.",
    "Title from a song I had on repeat while writing this.",
    "Unbeta'd, all mistakes are my own.",
    "Please mind the tags.",
    "I have no idea where this is going, but here we are.",
    "Happy birthday to my best friend, who made me write this!",
)
_END_NOTES = (
    "Thank you for reading!",
    "Come say hi on tumblr.",
    "More soon, I promise.",
    "Let me know what you think!",
)
_STOPWORDS = frozenset(
    (
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "but",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "was",
        "his",
        "her",
        "their",
        "its",
        "he",
        "she",
        "they",
        "it",
        "this",
        "that",
        "not",
        "no",
        "be",
        "had",
        "have",
        "has",
        "were",
        "are",
        "which",
        "who",
        "whom",
    )
)
_WORD = re.compile("[A-Za-zÀ-ÿ'\u2019]+")


@dataclass(frozen=True)
class Account:
    id: int
    username: str
    pseuds: tuple[tuple[int, str], ...]  # (pseud id, name); the first is the default
    joined: str


@dataclass
class FirstIds:
    """The first id of each table, so that rows carry explicit ids (MAX(id) + 1 of each table)."""

    user: int = 1
    pseud: int = 1
    work: int = 1
    chapter: int = 1
    creatorship: int = 1
    worktag: int = 1
    series: int = 1
    serieswork: int = 1


@dataclass
class Rows:
    """One chunk's rows, as tuples in the order of the *_COLUMNS above."""

    works: list[tuple] = field(default_factory=list)
    chapters: list[tuple] = field(default_factory=list)
    creatorships: list[tuple] = field(default_factory=list)
    worktags: list[tuple] = field(default_factory=list)
    series: list[tuple] = field(default_factory=list)
    serieswork: list[tuple] = field(default_factory=list)
    stats: list[tuple] = field(default_factory=list)

    def tables(self) -> tuple[tuple[str, tuple[str, ...], list[tuple]], ...]:
        """(table, columns, rows) in an order that satisfies foreign keys."""
        return (
            ("works_work", WORK_COLUMNS, self.works),
            ("works_chapter", CHAPTER_COLUMNS, self.chapters),
            ("works_creatorship", CREATORSHIP_COLUMNS, self.creatorships),
            ("works_worktag", WORKTAG_COLUMNS, self.worktags),
            ("works_series", SERIES_COLUMNS, self.series),
            ("works_serieswork", SERIESWORK_COLUMNS, self.serieswork),
            ("works_workstats", STATS_COLUMNS, self.stats),
        )


def account_count(works: int) -> int:
    """How many creators an archive of `works` works has: ~3,500 at a million."""
    return max(5, min(5000, round(3.5 * math.sqrt(works))))


def full_text(works: int) -> bool:
    return works <= FULL_TEXT_LIMIT


def _stamp(day: str) -> str:
    return f"{day} 12:00:00"


def plan_accounts(
    *, seed: int, works: int, first: FirstIds | None = None, taken: frozenset[str] = frozenset()
) -> list[Account]:
    """The demo's accounts: a default pseud named as the login, some with a second pseud.
    Logins in `taken` (already in the archive) get a number so they stay unique."""
    first = first or FirstIds()
    rng = random.Random(f"{seed}:accounts")
    accounts: list[Account] = []
    used = set(taken)
    pseud_id = first.pseud
    for index in range(account_count(works)):
        adjective, noun = rng.choice(_ADJECTIVES), rng.choice(_NOUNS)
        style = rng.random()
        if style < 0.4:
            login = f"{adjective}_{noun}"
        elif style < 0.7:
            login = f"{adjective}{noun}{rng.randint(1, 99)}"
        else:
            login = f"{noun}-{adjective}"
        base, n = login, 2
        while login in used:
            login, n = f"{base}{n}", n + 1
        used.add(login)
        pseuds = [(pseud_id, login)]
        pseud_id += 1
        if rng.random() < SECOND_PSEUD_SHARE:
            pseuds.append((pseud_id, f"{rng.choice(_TITLE_ADJECTIVES)} {noun.title()}"))
            pseud_id += 1
        joined = datetime.date.fromordinal(rng.randint(_FIRST_ORDINAL, _LAST_ORDINAL - 400))
        accounts.append(Account(first.user + index, login, tuple(pseuds), joined.isoformat()))
    return accounts


def account_rows(accounts: list[Account], *, seed: int) -> tuple[list[tuple], list[tuple]]:
    """User and Pseud rows. Passwords start with "!": Django's mark for an unusable password."""
    rng = random.Random(f"{seed}:passwords")
    users, pseuds = [], []
    for account in accounts:
        password = "!" + "".join(rng.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=40))
        joined = _stamp(account.joined)
        users.append(
            (
                account.id,
                password,
                None,
                False,
                account.username,
                "",
                "",
                f"{account.username}@demo.invalid",
                False,
                True,
                joined,
                False,
            )
        )
        for position, (pseud_id, name) in enumerate(account.pseuds):
            pseuds.append((pseud_id, account.id, name, position == 0, "", joined))
    return users, pseuds


class WorkGenerator:
    """Works and everything that hangs off them, chunk by chunk."""

    def __init__(
        self,
        *,
        vocabulary: Vocabulary,
        seed: int,
        works: int,
        tag_ids: Mapping[str, int],
        accounts: list[Account],
        first: FirstIds | None = None,
    ) -> None:
        self.vocabulary = vocabulary
        self.seed = seed
        self.works = works
        self.first = first or FirstIds()
        self.full = full_text(works)
        self.novels: dict[str, Novel] = {name: load_novel(name) for name in NOVELS}
        self.accounts = accounts
        # A skewed number of works per creator (Zipf, s = 1.1), in a seed-shuffled order.
        order = list(range(len(accounts)))
        random.Random(f"{seed}:creators").shuffle(order)
        self.account_order = order
        self.account_cum: list[float] = []
        total = 0.0
        for rank in range(len(order)):
            total += 1 / (rank + 1) ** 1.1
            self.account_cum.append(total)
        self.tag_id = tag_ids
        self._ids: dict[str, int] = {}
        self._dates = {
            o: datetime.date.fromordinal(o).isoformat()
            for o in range(_FIRST_ORDINAL, _LAST_ORDINAL + 1)
        }

    def _id(self, name: str) -> int:
        try:
            return self._ids[name]
        except KeyError:
            self._ids[name] = tag_id = self.tag_id[tag_key(name)]
            return tag_id

    # --- the stream -----------------------------------------------------------------------
    def chunks(self) -> Iterator[Rows]:
        chapter_id, creatorship_id = self.first.chapter, self.first.creatorship
        worktag_id, series_id, serieswork_id = (
            self.first.worktag,
            self.first.series,
            self.first.serieswork,
        )
        for number, start in enumerate(range(0, self.works, CHUNK_SIZE)):
            size = min(CHUNK_SIZE, self.works - start)
            rng = random.Random(f"{self.seed}:works:{number}")
            rows = Rows()
            drafts = set(rng.sample(range(size), max(1, round(size * DRAFT_SHARE))))
            hidden_count = round(size * HIDDEN_SHARE) or (1 if size >= 50 else 0)
            hidden = set(rng.sample(range(size), hidden_count)) - drafts
            series_members: dict[int, list[int]] = {}
            for offset in range(size):
                work_id = self.first.work + start + offset
                ids = (chapter_id, creatorship_id, worktag_id)
                first_pseud, ids = self._work(
                    rng, rows, work_id, ids, draft=offset in drafts, hidden=offset in hidden
                )
                chapter_id, creatorship_id, worktag_id = ids
                if rng.random() < SERIES_SHARE:
                    series_members.setdefault(first_pseud, []).append(work_id)
            series_id, serieswork_id = self._series(
                rng, rows, series_members, series_id, serieswork_id
            )
            yield rows

    # --- one work -------------------------------------------------------------------------
    def _work(self, rng, rows, work_id, ids, *, draft, hidden):
        vocab = self.vocabulary
        chapter_id, creatorship_id, worktag_id = ids
        stats = rng.choice(vocab.stats)
        template = rng.choice(vocab.templates)

        fandoms = [self._fandom(rng)]
        if stats.crossover or rng.random() < 0.03:
            other = self._fandom(rng)
            if other.name != fandoms[0].name:
                fandoms.append(other)
        main = fandoms[0]
        budget = max(min(template.other_tags, 24) - len(fandoms), 1)
        n_rel = min(round(budget * rng.uniform(0.05, 0.35)), 6)
        if template.categories == ("Gen",):
            n_rel = 0
        n_char = min(max(1, round(budget * rng.uniform(0.2, 0.45))), 10)
        n_free = max(budget - n_rel - n_char, 0)
        # A fandom's own relationships and characters only (a fandom without any gets none).
        relationships = self._pick(rng, main.relationships, n_rel, main)
        characters = self._pick(rng, main.characters, n_char, main)
        for extra in fandoms[1:]:
            characters += self._pick(rng, extra.characters, 1, extra)
        freeforms = self._pick(rng, vocab.freeforms, n_free, None)

        names = [template.rating, *template.warnings, *template.categories]
        names += [self._maybe_synonym(rng, f.name, f) for f in fandoms]
        names += relationships + characters + freeforms
        position, tag_ids = 0, set()
        for name in names:
            tag_id = self._id(name)
            if tag_id in tag_ids:
                continue
            tag_ids.add(tag_id)
            rows.worktags.append((worktag_id, work_id, tag_id, position))
            worktag_id += 1
            position += 1

        # Creators: a skewed choice of accounts; now and then a second pseud or a co-creator.
        account = self._account(rng)
        pseud_id = (
            account.pseuds[1][0]
            if len(account.pseuds) > 1 and rng.random() < 0.3
            else account.pseuds[0][0]
        )
        rows.creatorships.append((creatorship_id, work_id, pseud_id, 0))
        creatorship_id += 1
        if rng.random() < COCREATOR_SHARE:
            other_account = self._account(rng)
            if other_account.id != account.id:
                rows.creatorships.append((creatorship_id, work_id, other_account.pseuds[0][0], 1))
                creatorship_id += 1

        # Chapters, dates and words.
        max_chapters = FULL_MAX_CHAPTERS if self.full else SHORT_MAX_CHAPTERS
        count = min(stats.chapters, max_chapters)
        complete = stats.complete or (count == 1 and rng.random() < 0.85)
        if complete:
            expected = count
        elif rng.random() < 0.45:
            expected = None
        else:
            expected = count + rng.randint(1, 10)
        year = rng.choices(range(FIRST_YEAR, LAST_YEAR + 1), weights=_YEAR_WEIGHTS)[0]
        published = datetime.date(year, 1, 1).toordinal() + rng.randint(0, 364)
        published = min(published, _LAST_ORDINAL)
        novel = (
            self.novels[NOVELS[0]]
            if main.name == LES_MIS or rng.random() < 0.7
            else self.novels[NOVELS[1]]
        )
        day, total_words = published, 0
        per_chapter = stats.words / stats.chapters
        for position in range(1, count + 1):
            if position > 1:
                day = min(day + rng.choice((1, 3, 7, 7, 14, 30, 60, 180)), _LAST_ORDINAL)
            text, words = self._text(rng, novel, per_chapter)
            total_words += words
            title = self._title(rng, novel, characters) if rng.random() < 0.35 else ""
            stamp = _stamp(self._dates[day])
            rows.chapters.append(
                (
                    chapter_id,
                    work_id,
                    position,
                    title,
                    "",
                    "",
                    "",
                    text,
                    words,
                    self._dates[day],
                    True,
                    stamp,
                    stamp,
                )
            )
            chapter_id += 1

        title = self._title(rng, novel, characters)
        summary = self._summary(rng, novel, characters)
        notes = f"<p>{html.escape(rng.choice(_NOTES))}</p>" if rng.random() < 0.25 else ""
        end_notes = f"<p>{html.escape(rng.choice(_END_NOTES))}</p>" if rng.random() < 0.12 else ""
        restricted = rng.random() < vocab.restricted_share
        created, modified = _stamp(self._dates[published]), _stamp(self._dates[day])
        rows.works.append(
            (
                work_id,
                title,
                summary,
                notes,
                end_notes,
                stats.language,
                complete,
                expected,
                count,
                total_words,
                self._dates[published],
                self._dates[day],
                restricted,
                not draft,
                hidden,
                None,
                created,
                modified,
                "everyone",
                False,
            )
        )
        if draft:
            rows.stats.append((work_id, 0, 0, 0, 0, 0))
        else:
            subscriptions = int(stats.bookmarks * rng.uniform(0.05, 0.2 if complete else 0.6))
            rows.stats.append(
                (work_id, stats.hits, stats.kudos, stats.comments, stats.bookmarks, subscriptions)
            )
        return pseud_id, (chapter_id, creatorship_id, worktag_id)

    def _series(self, rng, rows, members, series_id, serieswork_id):
        for _pseud, work_ids in sorted(members.items()):
            while work_ids:
                size = min(len(work_ids), rng.randint(2, 6))
                group, work_ids = work_ids[:size], work_ids[size:]
                title = f"{rng.choice(_TITLE_ADJECTIVES)} {rng.choice(_TITLE_NOUNS)}"
                title = title if rng.random() < 0.5 else f"The {title} Verse"
                stamp = _stamp(self._dates[rng.randint(_FIRST_ORDINAL, _LAST_ORDINAL)])
                summary = f"<p>A series of stories about {html.escape(rng.choice(_THEMES))}.</p>"
                rows.series.append(
                    (series_id, title, summary, "", rng.random() < 0.5, stamp, stamp)
                )
                for position, work_id in enumerate(group, start=1):
                    rows.serieswork.append((serieswork_id, series_id, work_id, position))
                    serieswork_id += 1
                series_id += 1
        return series_id, serieswork_id

    # --- pieces ---------------------------------------------------------------------------
    def _fandom(self, rng: random.Random) -> Fandom:
        vocab = self.vocabulary
        return rng.choices(vocab.fandoms, cum_weights=vocab.fandom_weights)[0]

    def _account(self, rng: random.Random) -> Account:
        rank = rng.choices(self.account_order, cum_weights=self.account_cum)[0]
        return self.accounts[rank]

    def _maybe_synonym(self, rng: random.Random, name: str, fandom: Fandom | None) -> str:
        synonyms = (fandom.synonyms if fandom else self.vocabulary.freeform_synonyms).get(name)
        if synonyms and rng.random() < SYNONYM_SHARE:
            return rng.choice(synonyms)
        return name

    def _pick(self, rng, pool: Weighted, n: int, fandom: Fandom | None) -> list[str]:
        if n <= 0 or not pool:
            return []
        picked = dict.fromkeys(rng.choices(pool.names, cum_weights=pool.cum_weights, k=n))
        return [self._maybe_synonym(rng, name, fandom) for name in picked]

    def _text(self, rng: random.Random, novel: Novel, per_chapter: float) -> tuple[str, int]:
        if not self.full:
            first = rng.choice(novel.snippets)
            if rng.random() < 0.3:
                second = rng.choice(novel.snippets)
                return f"{first.html}\n{second.html}", first.words + second.words
            return first.html, first.words
        target = min(max(per_chapter, FULL_MIN_WORDS), FULL_MAX_WORDS) * rng.uniform(0.7, 1.3)
        passages: list[Passage] = []
        words = 0
        index = rng.randrange(len(novel.passages))
        while words < target:
            passage = novel.passages[index % len(novel.passages)]
            passages.append(passage)
            words += passage.words
            index += 1
        return "\n".join(p.html for p in passages), words

    def _title(self, rng: random.Random, novel: Novel, characters: list[str]) -> str:
        style = rng.random()
        if style < 0.45:
            sentence = rng.choice(novel.sentences)
            clause = max(re.split(r"[,;:—]", sentence), key=len)
            words = _WORD.findall(clause)[: rng.randint(2, 7)]
            while words and words[-1].lower() in _STOPWORDS:
                words.pop()
            if len(words) >= 2:
                fragment = " ".join(words)
                return fragment[:1].upper() + fragment[1:]
        if style < 0.6 and characters:
            who = characters[0].split("/")[0].split(" & ")[0].split(" ")[0]
            return f"Five Times {who} Said Nothing (And One Time They Did)"
        if style < 0.8:
            return f"The {rng.choice(_TITLE_ADJECTIVES)} {rng.choice(_TITLE_NOUNS)}"
        return f"{rng.choice(_TITLE_NOUNS)} and {rng.choice(_TITLE_NOUNS)}"

    def _summary(self, rng: random.Random, novel: Novel, characters: list[str]) -> str:
        if characters and rng.random() < 0.4:
            who = html.escape(characters[0])
            return (
                f"<p>{who} did not plan on {html.escape(rng.choice(_THEMES))}. "
                f"Then again, nobody plans for what comes next.</p>"
            )
        count = rng.randint(1, 2)
        sentences = " ".join(
            html.escape(rng.choice(novel.sentences), quote=False) for _ in range(count)
        )
        return f"<p>{sentences}</p>"
