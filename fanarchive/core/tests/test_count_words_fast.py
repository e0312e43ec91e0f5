"""`count_words_in_text` (split-based) against its definition (regular expressions)."""

import string

from hypothesis import example, given, settings
from hypothesis import strategies as st

from fanarchive.core.text import (
    _JOINER_CHARS,
    _JOINERS,
    _PUNCTUATION,
    _WORD,
    _count_words_by_regex,
    count_words_in_text,
)

# Characters that exercise every branch: ASCII, joiners, the punctuation made spaces, others
# (underscore, symbols, accents, CJK, white space of all kinds, combining marks, digits).
INTERESTING = (
    string.printable
    + _JOINER_CHARS
    + _PUNCTUATION
    + "_éß\u00a0\u2009\u3000\u0301\u0663²½日本語ひらカナ한글\U00020000«»•§©€"
)


def test_the_shortcut_characters_are_what_the_definition_says():
    assert not any(_WORD.match(char) for char in _PUNCTUATION + _JOINER_CHARS)
    assert all(_JOINERS.fullmatch(char) for char in _JOINER_CHARS)
    assert not any(char in _JOINER_CHARS for char in _PUNCTUATION)


def test_str_isalnum_and_underscore_are_the_word_characters():
    # The shortcut relies on \w being exactly str.isalnum() plus "_" (checked on the BMP).
    for code in range(0x10000):
        char = chr(code)
        assert bool(_WORD.fullmatch(char)) == (char.isalnum() or char == "_"), hex(code)


@settings(max_examples=500)
@given(st.text(alphabet=st.sampled_from(INTERESTING), max_size=200))
@example("one's one-word one--two a---b __ _x_ snake_case")
@example("Hello 世界 world")
@example("")
@example("café\u2014naïve\u2026\u201cquoted\u201d \u2018single\u2019 it\u2019s")
@example("*** / & 3.14 x²")
def test_equals_the_regex_definition_on_chosen_characters(text):
    assert count_words_in_text(text) == _count_words_by_regex(text)


@settings(max_examples=300)
@given(st.text(max_size=100))
def test_equals_the_regex_definition_on_any_text(text):
    assert count_words_in_text(text) == _count_words_by_regex(text)
