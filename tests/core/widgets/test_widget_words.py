"""Issue 87: a widget's words live in its home (core/widgets/<home>/words.yml), every language of a
key side by side, and core/messages.py merges them into each language's catalogue. A key is one
string: written twice (two homes, or a home and a shared catalogue) it is an error naming both
places, never one text silently winning."""

from __future__ import annotations

import pytest
import yaml

from support import harness
from support.course import REPO, make_course
from tracksite.core import messages
from tracksite.core import widgetregistry as W

PACKAGE = REPO / "scripts" / "tracksite"


def _homes_words() -> dict[str, dict]:
    """Each home's words file as written, by home."""
    found = {}
    for home in dict.fromkeys(w.home for w in W.WIDGETS):
        path = PACKAGE / "core/widgets" / home / messages.WORDS
        if path.is_file():
            found[home] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return found


def test_each_widgets_words_are_in_its_home_in_every_language_and_nowhere_else():
    homes = _homes_words()
    assert {"quiz", "flashcards", "predict", "runnable", "attention", "attention_steps"} <= set(homes)
    shared = {code: yaml.safe_load((PACKAGE / f"theme/messages/{code}.yml").read_text()) for code in messages.COMPLETE}
    for home, words in homes.items():
        assert set(words) <= {"page", "script"}, home
        widgets = [w for w in W.WIDGETS if w.home == home]
        pieces = "\n".join((PACKAGE / p).read_text(encoding="utf-8") for w in widgets for p in w.pieces())
        for section, keys in words.items():
            for key, texts in keys.items():
                assert list(texts) == list(messages.COMPLETE), (home, key)  # all five, English first
                # the key is its widget's: one of its files says it (a stepper's role: `{key}Role`)
                assert key.removesuffix("Role") in pieces, f"{home}: {key} is used by none of its files"
                for code, text in texts.items():
                    assert key not in (shared[code].get("page") or {}) and key not in (shared[code].get("script") or {})
                    catalogue = messages.catalogue(code)
                    assert getattr(catalogue, section)[key] == text, (code, key)
    assert messages.catalogue("fr").text("wQuiz") == "Quiz" and messages.catalogue("es").text("wQuiz") == "Cuestionario"
    assert "qCheck" in messages.catalogue("de").script and "qCheck" not in messages.catalogue("de").page
    assert f"core/widgets/quiz/{messages.WORDS}" in W.QUIZ.pieces()


def test_a_language_a_widget_lacks_falls_back_to_english_and_is_named_missing():
    words = [("core/widgets/a/words.yml", "page:\n  aHello:\n    en: Hello\n    fr: Bonjour\n")]
    merged = messages.merge_words(words, {})
    assert merged == {"en": {"page": {"aHello": "Hello"}}, "fr": {"page": {"aHello": "Bonjour"}}}


def test_a_key_written_twice_is_an_error_naming_both_places():
    a = ("core/widgets/a/words.yml", "page:\n  wHello:\n    en: Hello\nscript:\n  wBye:\n    en: Bye\n")
    b = ("core/widgets/b/words.yml", "# b's words\nscript:\n  wHello:\n    en: Hi\n")
    with pytest.raises(messages.WordsError) as e:
        messages.merge_words([a, b], {})
    assert str(e.value) == (
        "core/widgets/b/words.yml, line 3: `wHello` is also in core/widgets/a/words.yml, line 2: "
        "a key names one string, rename one"
    )
    shared = {"de": {"page": {"wBye": "Tschüss"}, "script": {}}}
    with pytest.raises(messages.WordsError, match=r"words.yml, line 5: `wBye` is also in theme/messages/de.yml"):
        messages.merge_words([a], shared)
    # a section written twice in one file: both read, the key in each seen
    sections = ("core/widgets/d/words.yml", "page:\n  dX:\n    en: x\npage:\n  wHello:\n    en: y\n")
    with pytest.raises(messages.WordsError, match=r"d/words.yml, line 5: `wHello` is also in core/widgets/a/words.yml"):
        messages.merge_words([a, sections], {})
    twice = ("core/widgets/c/words.yml", "page:\n  cX:\n    en: x\n  cX:\n    en: y\n")
    with pytest.raises(
        messages.WordsError, match=r"c/words.yml, line 4: `cX` is also in core/widgets/c/words.yml, line 2"
    ):
        messages.merge_words([twice], {})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("page:\n  aHi:\n    fr: Salut\n", "line 2: `aHi` needs its text in each language, English first"),
        ("page:\n  aHi: Hello\n", "line 2: `aHi` needs its text in each language"),
        ("words:\n  aHi:\n    en: Hi\n", "line 1: `words` is no section of a widget's words"),
        ("- page\n", "line 1: expected `page:` and `script:`"),
    ],
)
def test_a_words_file_of_another_shape_is_an_error_with_its_line(text, expected):
    with pytest.raises(messages.WordsError, match="core/widgets/a/words.yml, " + expected.replace("`", ".")):
        messages.merge_words([("core/widgets/a/words.yml", text)], {})


def test_a_build_stops_at_a_key_written_twice_with_one_line_and_no_traceback(monkeypatch, tmp_path):
    """The strict build of any course says which two files hold the key, as `tracksite check` does."""
    twice = [*messages.words_files(), ("core/widgets/x/words.yml", "page:\n  wQuiz:\n    en: Quiz\n")]
    caches = (messages._homes, messages._read, messages.catalogue)
    for cache in caches:
        cache.cache_clear()
    monkeypatch.setattr(messages, "words_files", lambda: twice)
    try:
        result = harness.mkdocs(make_course(tmp_path / "course"))
    finally:
        monkeypatch.undo()
        for cache in caches:
            cache.cache_clear()
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr[-2000:]
    assert "core/widgets/x/words.yml, line 2: `wQuiz` is also in core/widgets/quiz/words.yml, line 5" in result.stderr


def test_the_catalogue_is_read_by_libyaml_with_the_pure_python_readers_values(monkeypatch):
    """Issue 88: every build read the package's catalogues (170 KB) with PyYAML's pure-Python
    scanner, a seventh of a warm build's processor time. libyaml reads them to the same values."""
    if not getattr(yaml, "__with_libyaml__", False):
        pytest.skip("PyYAML without libyaml reads them in Python")
    caches = (messages._shared, messages._homes, messages._read)

    def fresh() -> dict:
        for cached in caches:
            cached.cache_clear()
        return {code: messages._read(code) for code in messages.COMPLETE}

    def refused(*args, **kwargs):
        raise AssertionError("the catalogue went through PyYAML's pure-Python scanner")

    with monkeypatch.context() as patched:
        patched.setattr(yaml.scanner.Scanner, "check_token", refused)
        by_libyaml = fresh()
    monkeypatch.setattr(messages, "_LOADER", yaml.SafeLoader)
    assert fresh() == by_libyaml and by_libyaml["en"]["page"]
    monkeypatch.undo()
    fresh()
