"""The wrangling assistant's rules, on small hand-made vocabularies (no database)."""

from __future__ import annotations

import pytest

from fanarchive.tags.assistant import VocabTag, Vocabulary, suggest
from fanarchive.tags.assistant.normalize import (
    content_stems,
    edit_distance,
    relationship_halves,
    split_disambiguator,
    squash,
    stem,
    strip_type_label,
)

# id, name, type, popularity, parents, metatags
TAGS = [
    (1, "Zoë Washburne", "character", 50, (100,), ()),
    (2, "Stargate SG-1", "fandom", 900, (), ()),
    (3, "Dean Winchester/Sam Winchester", "relationship", 800, (), ()),
    (4, "Aziraphale/Crowley/Gabriel", "relationship", 5, (), ()),
    (5, "Harry Potter & Ron Weasley", "relationship", 300, (), ()),
    (6, "Harry Potter/Ron Weasley", "relationship", 200, (), ()),
    (7, "Javert (Les Misérables)", "character", 400, (101,), ()),
    (8, "Draco Malfoy", "character", 1000, (102,), ()),
    (9, "Rodney McKay/John Sheppard", "relationship", 700, (103, 21, 22), ()),
    (10, "Domestic", "freeform", 300, (), ()),
    (11, "Vignette", "freeform", 200, (), ()),
    (12, "Co-Written", "freeform", 100, (), ()),
    (13, "Humor", "freeform", 5000, (), ()),
    (14, "Alternate Universe", "freeform", 9000, (), ()),
    (15, "Porn Without Plot", "freeform", 4000, (), ()),
    (16, "Hurt/Comfort", "freeform", 8000, (), ()),
    (17, "Harry Potter/Severus Snape", "relationship", 600, (), ()),
    (18, "Angel: the Series", "fandom", 500, (), ()),
    (19, "Fluff and Angst", "freeform", 7000, (), ()),
    (20, "Draco (Dragonheart)", "character", 3, (), ()),
    (21, "Rodney McKay", "character", 600, (103,), ()),
    (22, "John Sheppard", "character", 650, (103,), ()),
    (23, "Harry Hart", "character", 5000, (104,), ()),
    (24, "Harry Potter", "character", 100, (102,), ()),
    (25, "Alternate Universe - Coffee Shops & Cafés", "freeform", 3000, (), (14,)),
    (26, "Protectiveness", "freeform", 3000, (), ()),
    (27, "Draco Malfoy/Harry Potter", "relationship", 900, (102, 8, 24), ()),
    (28, "Apocalypse", "freeform", 100, (), ()),
    (29, "Drabble", "freeform", 100, (), ()),
    (30, "Remus Lupin", "character", 500, (102,), ()),
    (31, "Teddy Lupin", "character", 50, (102,), ()),
    (32, "Malcolm Reynolds", "character", 80, (100,), ()),
    (33, "Teyla Emmagan", "character", 90, (103,), ()),
    (100, "Firefly", "fandom", 300, (), ()),
    (101, "Les Misérables - Victor Hugo", "fandom", 800, (), ()),
    (102, "Harry Potter - J. K. Rowling", "fandom", 9000, (), ()),
    (103, "Stargate Atlantis", "fandom", 700, (), ()),
    (104, "Kingsman (Movies)", "fandom", 600, (), ()),
    (105, "Les Misérables", "fandom", 100, (), ()),
]


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary(VocabTag(*row) for row in TAGS)


def first_synonym(vocab, name, tag_type=None, **kwargs):
    result = suggest(name, tag_type=tag_type, vocabulary=vocab, **kwargs)
    return result.synonyms[0].name if result.synonyms else None


@pytest.mark.parametrize(
    ("name", "tag_type", "expected", "reason_part"),
    [
        # case, accents, punctuation, spacing
        ("zoe washburne", "character", "Zoë Washburne", "accents"),
        ("Stargate: SG 1", "fandom", "Stargate SG-1", "punctuation"),
        ("stargate sg1", "fandom", "Stargate SG-1", "punctuation"),
        # relationship halves in either order, 3+ names
        ("Sam Winchester/Dean Winchester", "relationship", "Dean Winchester/Sam Winchester", ""),
        ("Gabriel/Crowley/Aziraphale", "relationship", "Aziraphale/Crowley/Gabriel", "order"),
        # & vs and; / vs & kept apart
        ("Ron Weasley and Harry Potter", "relationship", "Harry Potter & Ron Weasley", "platonic"),
        ("Ron Weasley & Harry Potter", "relationship", "Harry Potter & Ron Weasley", "platonic"),
        ("Ron Weasley/Harry Potter", "relationship", "Harry Potter/Ron Weasley", "romantic"),
        # word order
        ("Angst and Fluff", "freeform", "Fluff and Angst", "order"),
        # disambiguators
        ("Javert", "character", "Javert (Les Misérables)", "disambiguator"),
        # first names, surnames, short forms, spelling
        ("Draco", "character", "Draco Malfoy", ""),
        ("Lupin", "character", "Remus Lupin", ""),
        ("Mal Reynolds", "character", "Malcolm Reynolds", "short form"),
        ("Teyla Emmagen", "character", "Teyla Emmagan", "spelling"),
        ("Rodney/John", "relationship", "Rodney McKay/John Sheppard", "each name"),
        ("Sheppard/McKay", "relationship", "Rodney McKay/John Sheppard", "each name"),
        ("Harry/Snape", "relationship", "Harry Potter/Severus Snape", "each name"),
        ("H/D", "relationship", "Draco Malfoy/Harry Potter", "initials"),
        ("McShep", "relationship", "Rodney McKay/John Sheppard", "ship name"),
        ("Snarry - Relationship", "relationship", "Harry Potter/Severus Snape", "ship name"),
        # stems, spelling variants, run-together words, abbreviations
        ("Domesticity", "freeform", "Domestic", "stems"),
        ("Vignettes", "freeform", "Vignette", "stems"),
        ("cowritten", "freeform", "Co-Written", "punctuation"),
        ("Humour", "freeform", "Humor", "spelling"),
        ("Apocalyptic", "freeform", "Apocalypse", "spelling"),
        ("AU", "freeform", "Alternate Universe", "abbreviation"),
        ("PWP", "freeform", "Porn Without Plot", "abbreviation"),
        ("h/c", "freeform", "Hurt/Comfort", "abbreviation"),
        ("hurt-comfort", "freeform", "Hurt/Comfort", "punctuation"),
        ("drabble fic", "freeform", "Drabble", ""),
        ("almost drabble", "freeform", "Drabble", "main words"),
        ("AtS", "fandom", "Angel: the Series", "initials"),
        ("fandom: stargate sg-1", "fandom", "Stargate SG-1", "type label"),
        # type unknown: any type may be the target
        ("drako malfoy", None, "Draco Malfoy", ""),
    ],
)
def test_synonym_rules(vocab, name, tag_type, expected, reason_part):
    result = suggest(name, tag_type=tag_type, vocabulary=vocab)
    assert result.synonyms, f"no suggestion for {name!r}"
    best = result.synonyms[0]
    assert best.name == expected
    assert reason_part in best.reason
    assert 0 < best.score <= 1


def test_romantic_and_platonic_relationships_are_never_each_others_synonyms():
    only_platonic = Vocabulary([VocabTag(1, "Harry Potter & Ron Weasley", "relationship", 5)])
    assert first_synonym(only_platonic, "Ron Weasley/Harry Potter", "relationship") is None
    only_romantic = Vocabulary([VocabTag(1, "Harry Potter/Ron Weasley", "relationship", 5)])
    assert first_synonym(only_romantic, "Ron Weasley & Harry Potter", "relationship") is None
    assert first_synonym(only_romantic, "Ron Weasley and Harry Potter", "relationship") is None


def test_a_known_fandom_prefers_its_characters(vocab):
    # Harry Hart is the more used tag, so without a fandom he comes first.
    assert first_synonym(vocab, "Harry", "character") == "Harry Hart"
    with_fandom = first_synonym(
        vocab, "Harry", "character", fandoms=["Harry Potter - J. K. Rowling"]
    )
    assert with_fandom == "Harry Potter"
    # The disambiguator names the fandom too.
    assert first_synonym(vocab, "Harry (Harry Potter - J. K. Rowling)", "character") == (
        "Harry Potter"
    )


def test_a_character_is_resolved_to_the_most_used_of_equal_matches(vocab):
    result = suggest("Lupin", tag_type="character", vocabulary=vocab)
    assert [s.name for s in result.synonyms[:2]] == ["Remus Lupin", "Teddy Lupin"]


def test_the_tag_itself_is_never_suggested(vocab):
    for name in ("Draco Malfoy", "draco malfoy", "DRACO  MALFOY"):
        result = suggest(name, tag_type="character", vocabulary=vocab)
        every = result.synonyms + result.metatags + result.parents
        assert "Draco Malfoy" not in {s.name for s in every}


def test_synonyms_are_of_the_same_type(vocab):
    # "Draco" names a character; as an additional tag it has no character synonym.
    assert first_synonym(vocab, "Draco", "freeform") is None
    result = suggest("Stargate: SG 1", tag_type="character", vocabulary=vocab)
    assert all(s.name != "Stargate SG-1" for s in result.synonyms)
    for name, tag_type in [("Draco", "character"), ("h/c", "freeform"), ("Rodney/John", None)]:
        for s in suggest(name, tag_type=tag_type, vocabulary=vocab).synonyms:
            target = next(t for t in TAGS if t[1] == s.name)
            assert tag_type is None or target[2] == tag_type


def test_only_canonical_tags_are_suggested():
    from fanarchive.tags.assistant.vocabulary import vocabulary_from_dump_rows

    rows = [
        {"id": "1", "type": "Freeform", "name": "Hurt/Comfort", "canonical": "TRUE",
         "cached_count": "5", "merger_id": ""},
        {"id": "2", "type": "Freeform", "name": "hurt comfort", "canonical": "FALSE",
         "cached_count": "5", "merger_id": "1"},
        {"id": "3", "type": "Freeform", "name": "Hurt-Comfort!", "canonical": "FALSE",
         "cached_count": "5", "merger_id": ""},
    ]  # fmt: skip
    vocab = vocabulary_from_dump_rows(rows)
    assert len(vocab) == 1
    result = suggest("hurtcomfort", tag_type="freeform", vocabulary=vocab)
    assert [s.name for s in result.synonyms] == ["Hurt/Comfort"]


@pytest.mark.parametrize("name", ["Xyzzqv Plorb", "qqqqq", "Zzyzx/Wwvvu", "!!!"])
def test_nonsense_gets_no_synonym(vocab, name):
    assert suggest(name, vocabulary=vocab).synonyms == []


def test_output_shape_and_bounds(vocab):
    result = suggest("Harry", vocabulary=vocab).as_dict()
    assert set(result) == {"synonyms", "metatags", "parents"}
    for items in result.values():
        assert len(items) <= 5
        scores = [item["score"] for item in items]
        assert scores == sorted(scores, reverse=True)
        for item in items:
            assert set(item) == {"name", "score", "reason"}
            assert 0 <= item["score"] <= 1
            assert item["reason"]


def test_empty_name_gives_nothing(vocab):
    assert suggest("   ", vocabulary=vocab).as_dict() == {
        "synonyms": [],
        "metatags": [],
        "parents": [],
    }


# -- metatags ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "tag_type", "expected"),
    [
        ("Alternate Universe - Soulmates", "freeform", "Alternate Universe"),
        ("Protective Sherlock Holmes", "freeform", "Protectiveness"),
        ("Javert (Les Misérables)", "character", None),
        # a synonym-like tag inherits the metatags of its likely canonical
        ("Alternate Universe - Coffee Shops & Cafes", "freeform", "Alternate Universe"),
    ],
)
def test_metatag_rules(vocab, name, tag_type, expected):
    result = suggest(name, tag_type=tag_type, vocabulary=vocab)
    first = result.metatags[0].name if result.metatags else None
    assert first == expected


def test_metatags_are_of_the_same_type_and_never_the_disambiguator(vocab):
    result = suggest("Harry Potter (Les Misérables)", tag_type="character", vocabulary=vocab)
    names = {s.name for s in result.metatags}
    assert "Les Misérables" not in names  # a fandom, and only the disambiguator
    assert "Harry Potter" in names


# -- parents ----------------------------------------------------------------------------------


def test_parents_from_the_disambiguator(vocab):
    result = suggest("Thénardier (Les Misérables)", tag_type="character", vocabulary=vocab)
    assert result.parents[0].name == "Les Misérables"
    assert "disambiguator" in result.parents[0].reason


def test_parents_from_the_likely_synonym_and_the_characters_named(vocab):
    result = suggest("Rodney/John", tag_type="relationship", vocabulary=vocab)
    names = [s.name for s in result.parents]
    assert "Stargate Atlantis" in names
    assert {"Rodney McKay", "John Sheppard"} <= set(names)
    assert all(s.name not in ("Firefly", "Kingsman (Movies)") for s in result.parents)


def test_parents_of_a_character_are_fandoms(vocab):
    result = suggest("Draco", tag_type="character", vocabulary=vocab)
    assert [s.name for s in result.parents][:1] == ["Harry Potter - J. K. Rowling"]
    assert all(s.name != "Draco Malfoy" for s in result.parents)


def test_parents_from_where_the_tags_works_are(vocab):
    from fanarchive.tags.assistant.engine import rank

    result = rank("Space Husbands", vocabulary=vocab, tag_type="freeform", usage={103: 8, 100: 2})
    assert [s.name for s in result.parents] == ["Stargate Atlantis", "Firefly"]
    assert "8 of the tag's 10 works" in result.parents[0].reason


# -- normalisation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Domesticity", "domestic"),
        ("vignettes", "vignette"),
        ("Humour", "humor"),
        ("colours", "color"),
        ("organisation", "organization"),
        ("prisons", "prison"),
        ("stories", "story"),
    ],
)
def test_stem_joins_forms(a, b):
    assert stem(a.casefold()) == stem(b)


def test_stem_keeps_different_words_apart():
    assert stem("music") != stem("musical")
    assert stem("boss") != stem("bos")


def test_normalisation_helpers():
    assert squash("Co-Written!") == "cowritten"
    assert split_disambiguator("Javert (Les Misérables)") == ("Javert", "Les Misérables")
    assert split_disambiguator("Javert") == ("Javert", None)
    assert relationship_halves("A/B/C") == ("/", ["A", "B", "C"])
    assert relationship_halves("A & B") == ("&", ["A", "B"])
    assert relationship_halves("A and B") == ("&", ["A", "B"])
    assert relationship_halves("A/") is None
    assert relationship_halves("Fluff") is None
    assert strip_type_label("fandom: NCIS") == "NCIS"
    assert strip_type_label("Snarry - Relationship") == "Snarry"
    assert strip_type_label("Relationship") == "Relationship"
    assert content_stems("Crack Fic") == content_stems("crack")
    assert edit_distance("emmagen", "emmagan") == 1
    assert edit_distance("abc", "xyzabc", limit=2) == 3


@pytest.mark.parametrize(
    ("name", "tag_type", "wrong"),
    [
        # a name with more words is another person, not the shorter name
        ("Rose Granger-Weasley", "character", "Rose"),
        # run-together words split only into real words of three letters or more
        ("Musical", "freeform", "Music"),
        # a spelling variant keeps its first letter
        ("others", "freeform", "Mother"),
        # a tag that combines two tags is neither of them
        ("crossover crack", "freeform", "Crack"),
    ],
)
def test_rules_that_must_not_fire(name, tag_type, wrong):
    vocab = Vocabulary(
        VocabTag(i, n, t, 10)
        for i, (n, t) in enumerate(
            [
                ("Rose", "character"),
                ("Music", "freeform"),
                ("Al", "freeform"),
                ("Mother", "freeform"),
                ("Crack", "freeform"),
                ("Crossover", "freeform"),
            ],
            start=1,
        )
    )
    assert wrong not in {
        s.name for s in suggest(name, tag_type=tag_type, vocabulary=vocab).synonyms
    }


def test_metatag_prefers_the_leading_qualifier():
    vocab = Vocabulary(
        [
            VocabTag(1, "Protectiveness", "freeform", 10),
            VocabTag(2, "Remus", "freeform", 10),
            VocabTag(3, "Lupin", "freeform", 10),
        ]
    )
    result = suggest("Protective Remus Lupin", tag_type="freeform", vocabulary=vocab)
    assert result.metatags[0].name == "Protectiveness"
    # Without the qualifier's tag, a word of the name is the best there is.
    result = suggest("Hungry Remus Lupin", tag_type="freeform", vocabulary=vocab)
    assert result.metatags[0].name == "Lupin"
