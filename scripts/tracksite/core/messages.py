"""tracksite's interface strings: one catalogue (`theme/messages/<language>.yml`) for the templates,
the Markdown blocks and the JavaScript alike, so a course in Spanish reads "Mostrar la solución"
wherever tracksite writes words of its own.

English is complete by definition; any other language's missing string falls back to English,
and `Catalogue.missing` lists them for the build's warning (a course is never left with a key
shown where a word should be).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources
from typing import Any

import babel
import babel.numbers
import yaml

#: The languages the catalogue ships complete (tests/adapter/test_interface_strings_js.py checks every key).
COMPLETE = ("en", "es", "fr", "de", "pt")
#: Languages written right to left: their pages carry dir="rtl".
RIGHT_TO_LEFT = frozenset({"ar", "arc", "dv", "fa", "ha", "he", "iw", "ks", "ku", "ps", "sd", "ug", "ur", "yi"})


def language_code(lang: str | None) -> str:
    """The primary subtag of a language tag ("pt-BR" -> "pt", "es_ES" -> "es"); English if none."""
    return (lang or "en").replace("_", "-").split("-")[0].lower() or "en"


def direction(lang: str | None) -> str:
    return "rtl" if language_code(lang) in RIGHT_TO_LEFT else "ltr"


@functools.cache
def _read(code: str) -> dict[str, dict[str, str]]:
    """One language's file as `{section: {key: text}}`; empty when the catalogue has none."""
    found = resources.files("tracksite").joinpath("theme", "messages", f"{code}.yml")
    if not found.is_file():
        return {}
    data = yaml.safe_load(found.read_text(encoding="utf-8")) or {}
    return {
        section: {str(k): str(v) for k, v in (data.get(section) or {}).items()}
        for section in ("page", "script", "starter")
    }


def section(code: str, name: str) -> dict[str, str]:
    """One section of a language's file as written, no English filled in: `starter`, the texts
    `tracksite new` writes (commands/starter.py), which pick a whole language or English."""
    return _read(code).get(name, {})


@dataclass(frozen=True)
class Catalogue:
    """The strings of one language, English where it has none; `missing` names those."""

    lang: str
    page: dict[str, str]
    script: dict[str, str]
    missing: tuple[str, ...]

    def text(self, key: str, **values: Any) -> str:
        """The string for `key` with its `{name}` parts filled in (numbers in the language's way)."""
        template = self.page.get(key) or self.script.get(key) or key
        if "{" not in template and "}" not in template:  # most strings: nothing to fill (templates ask ~50 a page)
            return template
        filled = {name: number(v, self.lang) if isinstance(v, int) else v for name, v in values.items()}
        return template.format_map(_Defaults(filled))


class _Defaults(dict):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


#: Languages whose CLDR data leaves a four-digit number ungrouped (minimumGroupingDigits 2: "1234",
#: but "12.345"), as the browser's Intl writes them; Babel does not apply that rule.
_MIN_GROUPING_2 = frozenset({"es", "pl", "bg"})


@functools.cache  # parsed once per language: templates write about 40 numbers a page
def _locale(lang: str | None) -> babel.Locale:
    """Babel's locale for a language tag ("pt-BR" -> pt_BR), its primary subtag's when Babel has
    no such region, English when it has neither."""
    tag = (lang or "en").replace("_", "-")
    for candidate in (tag, language_code(tag)):
        try:
            return babel.Locale.parse(candidate, sep="-")
        except (babel.UnknownLocaleError, ValueError):
            continue
    return babel.Locale("en")


@functools.lru_cache(maxsize=4096)  # the same few numbers on every page: Babel's formatting is slow
def number(value: int, lang: str) -> str:
    """An integer as the language writes it (12,345 / 12.345 / 12 345), by Babel's CLDR data."""
    if language_code(lang) in _MIN_GROUPING_2 and abs(value) < 10000:
        return str(value)
    return babel.numbers.format_decimal(value, locale=_locale(lang))


def decimal(value: float, lang: str, places: int = 2) -> str:
    """A fraction with `places` decimals in the language's decimal sign (0.25 / 0,25)."""
    return babel.numbers.format_decimal(value, format="0." + "0" * places, locale=_locale(lang))


@functools.cache
def catalogue(lang: str | None) -> Catalogue:
    """The catalogue for a page in `lang`."""
    code = language_code(lang)
    english, own = _read("en"), _read(code)
    missing: list[str] = []
    merged: dict[str, dict[str, str]] = {}
    for section in ("page", "script"):  # in key order: where a key is written (which file) changes nothing
        merged[section] = {key: english[section][key] for key in sorted(english.get(section, {}))}
        for key in merged[section]:
            if key in own.get(section, {}):
                merged[section][key] = own[section][key]
            elif code != "en":
                missing.append(key)
    return Catalogue(code, merged["page"], merged["script"], tuple(dict.fromkeys(missing)))


#: The language of the page being rendered: the Markdown blocks ("Show solution", "Exercise 1")
#: render inside the engine's Markdown call, which passes them nothing of the page. The adapter
#: sets it before each page (adapter/pages/language.py, `begin_page`); the widgets' blocks
#: (core/widgets/) read it here, below the adapter.
_current = ["en"]


def use(lang: str) -> None:
    """Make `lang` the language of the page about to render."""
    _current[0] = lang


def current() -> str:
    """The language of the page being rendered (for a block that writes words of its own)."""
    return _current[0]


def text(key: str, **values: Any) -> str:
    """An interface string in the language of the page being rendered."""
    return catalogue(_current[0]).text(key, **values)
