from hypothesis import given
from hypothesis import strategies as st

from fanarchive.core.text import (
    count_words,
    count_words_in_text,
    html_to_paragraphs,
    paragraphs_from_text,
    text_to_html,
)


def test_apostrophes_and_hyphens_join_words_double_hyphen_splits():
    assert count_words_in_text("one's one-word one--two") == 4


def test_each_cjk_character_is_a_word():
    assert count_words_in_text("日本語です") == 5
    assert count_words_in_text("Hello 世界 world") == 4


def test_tags_are_not_words_and_text_nodes_are_counted_apart():
    assert count_words("<p>one <em>two</em></p><p>three<br/>four</p>") == 4
    assert count_words('<a href="http://example.org/long/url">link</a>') == 1


def test_blank_lines_with_white_space_and_no_break_spaces_separate_paragraphs():
    assert paragraphs_from_text("a\n \t\nb\n\u00a0\nc\r\n\r\nd") == ["a", "b", "c", "d"]


def test_plain_text_is_escaped_and_line_breaks_kept():
    html = text_to_html("<script>x</script>\nline two\n\n***")
    assert "<script>" not in html
    assert html == "<p>&lt;script&gt;x&lt;/script&gt;<br />\nline two</p>\n<p>***</p>"


line = (
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp", "Zs")), min_size=1)
    .map(str.strip)
    .filter(bool)
)
paragraph = st.lists(
    st.lists(line, min_size=1, max_size=4).map(" ".join), min_size=1, max_size=3
).map("\n".join)


@given(st.lists(paragraph, min_size=1, max_size=5))
def test_paragraphs_survive_text_to_html_and_back(paragraphs):
    assert html_to_paragraphs(text_to_html("\n\n".join(paragraphs))) == paragraphs
