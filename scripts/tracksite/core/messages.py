"""tracksite's interface strings: one catalogue (`theme/messages/<language>.yml`) for the templates,
the Markdown blocks and the JavaScript alike, so a course in Spanish reads "Mostrar la solución"
wherever tracksite writes words of its own.

A widget's own words live in its home, `core/widgets/<home>/words.yml`, every language of a key
side by side, so adding a widget touches one file for its words, not five catalogues; each
language's catalogue is the shared file with every widget's words merged in (`_read`). A key is
one string: the same key in two homes, or in a home and a shared catalogue, is an error
(`WordsError`), never one text silently winning over the other.

English is complete by definition; any other language's missing string falls back to English,
and `Catalogue.missing` lists them for the build's warning (a course is never left with a key
shown where a word should be).

Nothing here holds a page's language: whoever writes words asks for a language's `catalogue`. A
page's blocks take theirs from the page's state (core/widgets/common.py `WidgetContext.words`,
made where the page's context is made), the templates from the page's `ts.lang`, and what is
far from any page (an export, the importer) names the course's language or English. Two pages of
different languages rendered interleaved, or in two threads, each get their own words.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

import babel
import babel.numbers
import yaml

from tracksite.core import widgetregistry
from tracksite.errors import UserError

#: The languages the catalogue ships complete (tests/adapter/test_interface_strings_js.py checks every key).
COMPLETE = ("en", "es", "fr", "de", "pt")
#: Languages written right to left: their pages carry dir="rtl".
RIGHT_TO_LEFT = frozenset({"ar", "arc", "dv", "fa", "ha", "he", "iw", "ks", "ku", "ps", "sd", "ug", "ur", "yi"})


def language_code(lang: str | None) -> str:
    """The primary subtag of a language tag ("pt-BR" -> "pt", "es_ES" -> "es"); English if none."""
    return (lang or "en").replace("_", "-").split("-")[0].lower() or "en"


def direction(lang: str | None) -> str:
    return "rtl" if language_code(lang) in RIGHT_TO_LEFT else "ltr"


#: The sections of a catalogue; a widget's words file holds the first two.
SECTIONS = ("page", "script", "starter")
#: A widget's words, in its home (core/widgets/<home>/): `page:` and `script:`, each key mapping
#: every language it is written in to its text (`wQuiz: {en: Quiz, es: Cuestionario, ...}`).
WORDS = "words.yml"


class WordsError(UserError):
    """A widget's words file that cannot be merged: a key twice, a key without English, a shape
    other than `section: {key: {language: text}}`. The message names the file and line; whoever
    adds a widget reads it as one line, as any other mistake they can fix (no traceback)."""


#: The package's own catalogues are read by libyaml where PyYAML has it: the same values and lines
#: as the pure-Python reader, a tenth of its time (issue 88: every build, cold or warm, read about
#: 170 KB of them, a seventh of a warm build). They are tracksite's files, never a course's.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@functools.cache
def _shared(code: str) -> dict[str, dict[str, str]]:
    """One language's shared file (theme/messages/<code>.yml) as `{section: {key: text}}`."""
    found = resources.files("tracksite").joinpath("theme", "messages", f"{code}.yml")
    if not found.is_file():
        return {}
    data = yaml.load(found.read_text(encoding="utf-8"), Loader=_LOADER) or {}
    return {section: {str(k): str(v) for k, v in (data.get(section) or {}).items()} for section in SECTIONS}


def words_files() -> list[tuple[str, str]]:
    """(path in the package, text) of each widget's words file, in the registry's order: the
    homes the entries name (two entries may share one), never a folder listing."""
    found = []
    for home in dict.fromkeys(w.home for w in widgetregistry.WIDGETS):
        path = resources.files("tracksite").joinpath("core", "widgets", home, WORDS)
        if path.is_file():
            found.append((f"core/widgets/{home}/{WORDS}", path.read_text(encoding="utf-8")))
    return found


@functools.cache
def _homes() -> dict[str, dict[str, dict[str, str]]]:
    """Every widget's words by language: `{code: {section: {key: text}}}` (checked once)."""
    return merge_words(words_files(), {code: _shared(code) for code in COMPLETE})


def merge_words(
    files: list[tuple[str, str]], shared: dict[str, dict[str, dict[str, str]]]
) -> dict[str, dict[str, dict[str, str]]]:
    """The words of `files` ((path, text) each) by language, `{code: {section: {key: text}}}`;
    `WordsError` for every key that is in two files, or in one and a shared catalogue of
    `shared` (`{code: sections}`), for one without English, and for a file of another shape."""
    seen: dict[str, str] = {}  # key -> where it was first written
    for code, sections in shared.items():
        for section in ("page", "script"):
            for key in sections.get(section, {}):
                seen.setdefault(key, f"theme/messages/{code}.yml")
    out: dict[str, dict[str, dict[str, str]]] = {}
    problems = []
    for path, text in files:
        for key, line, section, texts in _entries(path, text):
            where = f"{path}, line {line}"
            if key in seen:
                problems.append(f"{where}: `{key}` is also in {seen[key]}: a key names one string, rename one")
                continue
            seen[key] = where
            if not isinstance(texts, dict) or not isinstance(texts.get("en"), str):
                problems.append(f"{where}: `{key}` needs its text in each language, English first (`en: ...`)")
                continue
            for code, value in texts.items():
                out.setdefault(str(code), {}).setdefault(section, {})[key] = str(value)
    if problems:
        raise WordsError("\n".join(problems))
    return out


def _entries(path: str, text: str) -> Iterator[tuple[str, int, str, Any]]:
    """(key, line, section, {language: text}) of each key of a words file, in its order."""
    node = yaml.compose(text, Loader=_LOADER)
    if node is None:
        return
    if not isinstance(node, yaml.MappingNode):
        raise WordsError(f"{path}, line 1: expected `page:` and `script:`, each key with its languages")
    for section_node, keys in node.value:
        section = section_node.value
        if section not in ("page", "script") or not isinstance(keys, yaml.MappingNode):
            raise WordsError(
                f"{path}, line {section_node.start_mark.line + 1}: `{section}` is no section of a widget's "
                "words: expected `page:` (the build's words) or `script:` (its script's), each a mapping of keys"
            )
        for key_node, value_node in keys.value:
            yield str(key_node.value), key_node.start_mark.line + 1, section, _value(value_node)


def _value(node: yaml.Node) -> Any:
    """A node's value as yaml.safe_load reads it: each node read on its own, so a section or a key
    written twice in one file is each seen (and a key twice an error) instead of the last winning."""
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_object(node, deep=True)
    finally:
        loader.dispose()


@functools.cache
def _read(code: str) -> dict[str, dict[str, str]]:
    """One language's catalogue as `{section: {key: text}}`: its shared file with every widget's
    words in that language merged in; empty when tracksite has no word of it."""
    shared, own = _shared(code), _homes().get(code, {})
    if not shared and not own:
        return {}
    return {s: {**shared.get(s, {}), **own.get(s, {})} for s in SECTIONS}


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
