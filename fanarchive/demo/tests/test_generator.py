"""The generator alone, without a database: determinism, shape of the rows, word counts."""

from __future__ import annotations

from collections import Counter

import pytest

from fanarchive.core.text import count_words, text_to_html
from fanarchive.demo.generator import (
    CHAPTER_COLUMNS,
    WORK_COLUMNS,
    WORKTAG_COLUMNS,
    FirstIds,
    WorkGenerator,
    account_rows,
    plan_accounts,
)
from fanarchive.demo.vocabulary import LES_MIS, load_novel, load_vocabulary
from fanarchive.tags.fixed import CATEGORIES, RATINGS, WARNINGS
from fanarchive.tags.models import TagType
from fanarchive.tags.names import tag_key, tag_name_problem

W = {name: i for i, name in enumerate(WORK_COLUMNS)}
C = {name: i for i, name in enumerate(CHAPTER_COLUMNS)}
T = {name: i for i, name in enumerate(WORKTAG_COLUMNS)}


def tag_ids() -> dict[str, int]:
    """Ids as a fresh archive would give them: fixed tags first, then the vocabulary."""
    names = [*RATINGS, *WARNINGS, *CATEGORIES] + [s.name for s in load_vocabulary().tags]
    ids: dict[str, int] = {}
    for name in names:
        ids.setdefault(tag_key(name), len(ids) + 1)
    return ids


def generate(*, seed: int, works: int, first: FirstIds | None = None):
    accounts = plan_accounts(seed=seed, works=works, first=first)
    generator = WorkGenerator(
        vocabulary=load_vocabulary(),
        seed=seed,
        works=works,
        tag_ids=tag_ids(),
        accounts=accounts,
        first=first,
    )
    chunks = list(generator.chunks())
    merged = {
        name: [row for chunk in chunks for row in getattr(chunk, name)]
        for name in (
            "works",
            "chapters",
            "creatorships",
            "worktags",
            "series",
            "serieswork",
            "stats",
        )
    }
    return accounts, merged


def test_same_seed_same_archive():
    first = generate(seed=7, works=120)
    again = generate(seed=7, works=120)
    assert first == again


def test_different_seeds_differ():
    _, one = generate(seed=1, works=120)
    _, two = generate(seed=2, works=120)
    assert [w[W["title"]] for w in one["works"]] != [w[W["title"]] for w in two["works"]]
    assert one["worktags"] != two["worktags"]


def test_ids_are_explicit_consecutive_and_start_where_told():
    first = FirstIds(
        work=1001, chapter=5001, worktag=9, creatorship=3, series=4, serieswork=5, user=11, pseud=21
    )
    accounts, rows = generate(seed=3, works=60, first=first)
    assert [w[0] for w in rows["works"]] == list(range(1001, 1061))
    assert [c[0] for c in rows["chapters"]] == list(range(5001, 5001 + len(rows["chapters"])))
    assert [t[0] for t in rows["worktags"]] == list(range(9, 9 + len(rows["worktags"])))
    assert accounts[0].id == 11 and accounts[0].pseuds[0][0] == 21


def test_every_work_has_one_rating_warnings_and_tags_in_ao3_order():
    ids = tag_ids()
    type_of = {ids[tag_key(n)]: TagType.RATING for n in RATINGS}
    type_of |= {ids[tag_key(n)]: TagType.WARNING for n in WARNINGS}
    type_of |= {ids[tag_key(n)]: TagType.CATEGORY for n in CATEGORIES}
    type_of |= {ids[s.key]: TagType(s.type) for s in load_vocabulary().tags}
    _, rows = generate(seed=5, works=300)
    by_work: dict[int, list[tuple]] = {}
    for row in rows["worktags"]:
        by_work.setdefault(row[T["work_id"]], []).append(row)
    order = {t: i for i, t in enumerate(TagType.work_order())}
    assert len(by_work) == 300
    for work_tags in by_work.values():
        types = [type_of[row[T["tag_id"]]] for row in work_tags]
        assert types.count(TagType.RATING) == 1
        assert TagType.WARNING in types
        assert TagType.FANDOM in types
        assert [row[T["position"]] for row in work_tags] == list(range(len(work_tags)))
        assert [order[t] for t in types] == sorted(order[t] for t in types)
        assert len({row[T["tag_id"]] for row in work_tags}) == len(work_tags)


def test_word_counts_are_those_of_the_stored_text():
    _, rows = generate(seed=9, works=80)
    per_work = Counter()
    chapters = Counter()
    for chapter in rows["chapters"]:
        assert chapter[C["word_count"]] == count_words(chapter[C["text"]]) > 0
        per_work[chapter[C["work_id"]]] += chapter[C["word_count"]]
        chapters[chapter[C["work_id"]]] += 1
    for work in rows["works"]:
        assert work[W["word_count"]] == per_work[work[W["id"]]]
        assert work[W["chapter_count"]] == chapters[work[W["id"]]]
        expected = work[W["expected_chapters"]]
        assert expected is None or expected >= work[W["chapter_count"]]
        if work[W["complete"]]:
            assert expected == work[W["chapter_count"]]
        assert work[W["published"]] <= work[W["updated"]]


def test_small_demos_have_real_length_chapters_and_large_ones_short_excerpts():
    _, small = generate(seed=1, works=100)
    words = sorted(c[C["word_count"]] for c in small["chapters"])
    assert words[0] >= 200 and words[len(words) // 2] >= 500
    generator = WorkGenerator(
        vocabulary=load_vocabulary(),
        seed=1,
        works=200_000,
        tag_ids=tag_ids(),
        accounts=plan_accounts(seed=1, works=200_000),
    )
    chunk = next(generator.chunks())
    assert len(chunk.works) == 5000
    large = sorted(c[C["word_count"]] for c in chunk.chapters)
    assert large[-1] <= 300 and large[len(large) // 2] < 100


def test_chapter_text_is_what_text_to_html_makes():
    _, rows = generate(seed=4, works=30)
    for chapter in rows["chapters"][:50]:
        for paragraph in chapter[C["text"]].split("\n"):
            assert paragraph.startswith("<p>") and paragraph.endswith("</p>")
        from fanarchive.core.text import html_to_text

        plain = html_to_text(chapter[C["text"]])
        assert text_to_html(plain) == chapter[C["text"]]


def test_drafts_hidden_restricted_and_creators():
    accounts, rows = generate(seed=11, works=1000)
    works = rows["works"]
    drafts = [w for w in works if not w[W["posted"]]]
    hidden = [w for w in works if w[W["hidden_by_admin"]]]
    assert len(drafts) == 10
    assert 1 <= len(hidden) <= 5
    assert all(w[W["posted"]] for w in hidden)
    per_work = Counter(c[1] for c in rows["creatorships"])
    assert set(per_work.values()) == {1, 2}
    pseud_owner = {p: a.id for a in accounts for p, _ in a.pseuds}
    for work_id, n in per_work.items():
        if n == 2:
            owners = {pseud_owner[c[2]] for c in rows["creatorships"] if c[1] == work_id}
            assert len(owners) == 2
    # A skewed number of works per creator: the busiest writes far more than the median.
    per_account = sorted(Counter(pseud_owner[c[2]] for c in rows["creatorships"]).values())
    assert per_account[-1] > 10 * per_account[len(per_account) // 2]
    assert rows["series"] and {s[2] for s in rows["serieswork"]} <= {w[0] for w in works}


def test_les_miserables_is_the_largest_fandom():
    ids = tag_ids()
    fandom_ids = {ids[s.key]: s.name for s in load_vocabulary().tags if s.type == TagType.FANDOM}
    _, rows = generate(seed=2, works=600)
    counts = Counter(fandom_ids[t[2]] for t in rows["worktags"] if t[2] in fandom_ids)
    assert counts.most_common(1)[0][0] == LES_MIS


def test_accounts_have_unique_logins_default_pseuds_and_unusable_passwords():
    accounts = plan_accounts(seed=1, works=1_000_000, taken=frozenset({"quiet_barricade"}))
    assert 3000 <= len(accounts) <= 5000
    logins = [a.username for a in accounts]
    assert len(set(logins)) == len(logins) and "quiet_barricade" not in logins
    assert any(len(a.pseuds) == 2 for a in accounts)
    assert all(a.pseuds[0][1] == a.username for a in accounts)
    users, pseuds = account_rows(accounts[:50], seed=1)
    assert all(u[1].startswith("!") for u in users)
    assert sum(1 for p in pseuds if p[3]) == 50


def test_vocabulary_tags_are_valid_unique_and_synonyms_point_at_canonicals():
    tags = load_vocabulary().tags
    keys = [t.key for t in tags]
    assert len(keys) == len(set(keys))
    assert all(tag_name_problem(t.name) is None for t in tags)
    assert not any(t.name.casefold() == "redacted" for t in tags)
    by_name = {t.name: t for t in tags}
    synonyms = [t for t in tags if t.merger]
    assert len(synonyms) >= 50
    for synonym in synonyms:
        target = by_name[synonym.merger]
        assert target.canonical and target.type == synonym.type and not synonym.canonical
    assert by_name["Les Miserables"].merger == LES_MIS
    assert by_name["One-Shot"].merger == "One Shot"


@pytest.mark.parametrize("name", ["les-miserables", "pride-and-prejudice"])
def test_novels_lose_their_gutenberg_wrapping(name):
    novel = load_novel(name)
    text = " ".join(p.html for p in novel.passages)
    assert "Gutenberg" not in text and "\ufeff" not in text and "\r" not in text
    assert all(p.words == count_words(p.html) for p in novel.passages[:200])
    assert sum(p.words for p in novel.passages) > 100_000
