import pytest

from fanarchive.works.languages import language_name, resolve_language


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("English", "en"),
        ("Français", "fr"),
        ("french", "fr"),
        ("fr", "fr"),
        ("FR", "fr"),
        ("日本語", "ja"),
        ("Japanese", "ja"),
        ("Deutsch", "de"),
        ("Русский", "ru"),
        ("Português brasileiro", "pt-br"),
    ],
)
def test_display_names_english_names_and_codes_resolve(value, code):
    assert resolve_language(value) == code


def test_unknown_languages_do_not_resolve():
    assert resolve_language("Elvish Pig Latin") is None


def test_display_name_is_the_language_own_name():
    assert language_name("fr") == "Français"
    assert language_name("ja") == "日本語"
    assert language_name("xx-unknown") == "xx-unknown"
