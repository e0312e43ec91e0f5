"""Languages: a work's language is stored as a code (ISO 639, as AO3 uses them); files name it
by AO3's display name (`Français`), its English name (`French`) or the code itself (`fr`)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from django.conf.locale import LANG_INFO


@dataclass(frozen=True)
class Language:
    code: str
    name: str  # as AO3 shows it: in the language itself
    english: str


# AO3's display names where they differ from Django's local names, and languages Django lacks.
_AO3: dict[str, tuple[str, str]] = {
    "en": ("English", "English"),
    "fr": ("Français", "French"),
    "de": ("Deutsch", "German"),
    "es": ("Español", "Spanish"),
    "it": ("Italiano", "Italian"),
    "pt-br": ("Português brasileiro", "Brazilian Portuguese"),
    "pt-pt": ("Português europeu", "European Portuguese"),
    "ru": ("Русский", "Russian"),
    "ja": ("日本語", "Japanese"),
    "zh": ("中文-普通话 國語", "Chinese"),
    "zh-yue": ("中文-广东话 粵語", "Cantonese"),
    "ko": ("한국어", "Korean"),
    "pl": ("Polski", "Polish"),
    "nl": ("Nederlands", "Dutch"),
    "sv": ("Svenska", "Swedish"),
    "fi": ("Suomi", "Finnish"),
    "da": ("Dansk", "Danish"),
    "nb": ("Norsk", "Norwegian"),
    "cs": ("Čeština", "Czech"),
    "hu": ("Magyar", "Hungarian"),
    "tr": ("Türkçe", "Turkish"),
    "uk": ("Українська", "Ukrainian"),
    "vi": ("Tiếng Việt", "Vietnamese"),
    "id": ("Bahasa Indonesia", "Indonesian"),
    "ms": ("Bahasa Malaysia", "Malay"),
    "tl": ("Filipino", "Filipino"),
    "la": ("Lingua latina", "Latin"),
    "eo": ("Esperanto", "Esperanto"),
    "grc": ("Ἀρχαία ἑλληνικὴ", "Ancient Greek"),
    "el": ("Ελληνικά", "Greek"),
    "he": ("עברית", "Hebrew"),
    "ar": ("العربية", "Arabic"),
    "fa": ("فارسی", "Persian"),
    "hi": ("हिन्दी", "Hindi"),
    "th": ("ไทย", "Thai"),
    "ca": ("Català", "Catalan"),
    "gl": ("Galego", "Galician"),
    "eu": ("Euskara", "Basque"),
    "ga": ("Gaeilge", "Irish"),
    "cy": ("Cymraeg", "Welsh"),
    "gd": ("Gàidhlig", "Scottish Gaelic"),
    "ro": ("Română", "Romanian"),
    "bg": ("Български", "Bulgarian"),
    "hr": ("Hrvatski", "Croatian"),
    "sr": ("Српски", "Serbian"),
    "sk": ("Slovenčina", "Slovak"),
    "sl": ("Slovenščina", "Slovenian"),
    "lt": ("Lietuvių kalba", "Lithuanian"),
    "lv": ("Latviešu valoda", "Latvian"),
    "et": ("Eesti", "Estonian"),
    "is": ("Íslenska", "Icelandic"),
    "sq": ("Shqip", "Albanian"),
    "tlh-Latn": ("tlhIngan-Hol", "Klingon"),
    "qya": ("Quenya", "Quenya"),
    "sjn": ("Sindarin", "Sindarin"),
    "tok": ("Toki Pona", "Toki Pona"),
    "yi": ("יידיש", "Yiddish"),
    "sw": ("Kiswahili", "Swahili"),
    "tpi": ("Tok Pisin", "Tok Pisin"),
}


def _fold(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


@cache
def all_languages() -> dict[str, Language]:
    """Every known language by code, AO3's names first, Django's locale table for the rest."""
    languages = {
        code: Language(
            code=code,
            name=info["name_local"][:1].upper() + info["name_local"][1:],
            english=info["name"],
        )
        for code, info in LANG_INFO.items()
        if "name" in info and "name_local" in info
    }
    for code, (name, english) in _AO3.items():
        languages[code] = Language(code=code, name=name, english=english)
    return languages


@cache
def _index() -> dict[str, str]:
    index: dict[str, str] = {}
    # Later entries win: English names, then AO3 display names, then codes are most specific.
    for language in all_languages().values():
        index.setdefault(_fold(language.english), language.code)
    for language in all_languages().values():
        index[_fold(language.name)] = language.code
    for code in all_languages():
        index[_fold(code)] = code
    aliases = {
        "pt": "pt-br",
        "portuguese": "pt-br",
        "zh-cn": "zh",
        "zh-tw": "zh",
        "no": "nb",
        "norwegian bokmål": "nb",
        "mandarin": "zh",
        "中文": "zh",
    }
    for alias, code in aliases.items():
        index.setdefault(_fold(alias), code)
    return index


def resolve_language(value: str) -> str | None:
    """The code of the language `value` names (display name, English name or ISO code)."""
    return _index().get(_fold(value))


def language_name(code: str) -> str:
    """How AO3 shows a language: its own name (`Français`); the code itself if unknown."""
    language = all_languages().get(code)
    return language.name if language else code
