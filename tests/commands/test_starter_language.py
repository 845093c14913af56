"""`tracksite new track|lesson` write their starter text in the lesson's language (issue 54): its
track's `language:`, else the course's `theme.language`; English where tracksite's catalogue is
not complete, and English courses get exactly the text they always got."""

from __future__ import annotations

import hashlib
import re
import string
from pathlib import Path

import pytest
import yaml

from support.course import make_course, run_cli
from tracksite.commands import starter
from tracksite.core import messages

# sha256 of what `new lesson alpha gd --title "Gradient descent"` and `new track fresh --title
# "Language processing basics"` wrote into an English course before the texts were translated
# (lesson bodies without their schema-made front-matter): English courses must not change. The
# lessons' digests since issue 85, whose starter lesson shows the code exercise's model.
ENGLISH_BEFORE = {
    "lessons/alpha/gd/lesson.md": "b5b60d77d0fc1ee17af0e31f5c7c5bc7092ef9d9759f937fd11960252e0b3c31",
    "lessons/alpha/gd/overview.md": "be9626617a430c5d55cca31040a73fbcaee2f4d8701c5e5d7ba5a48f616940d4",
    "cheatsheets/alpha/gd.md": "ba69f7562c1d65fbacb0851ae669fe011a7ca37075864c60e32f0b28f3248c98",
    "lessons/fresh/introduction/lesson.md": "7edf742dbb75266148fff8b4b372ec6a6e286ff211bb9acfd6a40d47ca5bb8b4",
    "cheatsheets/fresh/introduction.md": "1d74fa61d1884d9cbaab084aecb62e1ebcc7297422eaec44790f70fd39370496",
}


def _course(tmp_path: Path, lang: str | None) -> Path:
    root = make_course(tmp_path / "course")
    if lang:
        config = root / "mkdocs.yml"
        text = config.read_text(encoding="utf-8")
        config.write_text(text.replace("  name: material\n", f"  name: material\n  language: {lang}\n"), "utf-8")
    return root


def _new(root: Path, *args: str) -> None:
    result = run_cli(root, ["new", *args])
    assert result.returncode == 0, result.stdout + result.stderr


def _body(text: str) -> str:
    """A lesson's text after its front-matter (whose comments are the schema's, in English)."""
    return text.split("\n---\n", 1)[1] if text.startswith("---\n") else text


def _front(text: str, field: str):
    """One field of a lesson's front-matter, as YAML reads it."""
    return yaml.safe_load(text.split("\n---\n", 1)[0].removeprefix("---\n"))[field]


def _prose(text: str) -> str:
    """`text` without its code exercise's syntax (issue 85): the fields, the code and the comment
    listing `show_solution:`'s choices are the same in every language; its title and other
    comments are prose."""
    out, inside = [], False
    for line in text.split("\n"):
        if line.startswith("/// runnable"):
            inside = True
        elif inside and line == "///":
            inside = False
        elif inside and not (line.startswith("# ") and "|" not in line):
            continue
        out.append(line)
    return "\n".join(out)


def _english_sentences() -> set[str]:
    """Every sentence, clause and heading of the English starter texts that is prose, not syntax."""
    found: set[str] = set()
    for text in starter.starter_texts("en").values():
        for part in re.split(r"[.:;!?]\s|\n|\|", _prose(text)):
            part = part.strip(" #-/.")
            if "{" not in part and len(part.split()) >= 2:
                found.add(part.lower())
    assert "two or three sentences are enough" in found and "what you'll learn" in found
    return found


def _english_left(text: str) -> list[str]:
    lowered = text.lower()
    return sorted(s for s in _english_sentences() if s in lowered)


def _read(root: Path, rel: str) -> str:
    return (root / rel).read_text(encoding="utf-8")


def test_a_lesson_is_written_in_its_tracks_language_else_the_courses(tmp_path):
    root = _course(tmp_path, "de")
    track_yml = root / "lessons/alpha/track.yml"
    track_yml.write_text(_read(root, "lessons/alpha/track.yml") + "language: es\n", encoding="utf-8")
    _new(root, "lesson", "alpha", "gd", "--title", "Descenso de gradiente")
    lesson = _read(root, "lessons/alpha/gd/lesson.md")
    overview = _read(root, "lessons/alpha/gd/overview.md")
    cheatsheet = _read(root, "cheatsheets/alpha/gd.md")
    for text in (_body(lesson), overview, cheatsheet):
        assert _english_left(text) == []
    assert _front(lesson, "summary") == "La idea de «Descenso de gradiente»: cómo funciona y dónde se usa."
    assert _front(lesson, "objectives") == ["explicar la idea principal de «Descenso de gradiente» y dar un ejemplo"]
    assert "## Práctica" in lesson and "//// exercise | Explícalo con tus propias palabras" in lesson
    assert "- term: Descenso de gradiente\n" in lesson
    assert overview.startswith("## Qué vas a aprender\n") and "## Ideas clave" in cheatsheet
    assert "| Descenso de gradiente | Una línea fácil de recordar. |" in cheatsheet

    _new(root, "lesson", "beta", "lernrate", "--title", "Lernrate")  # beta has no language: the course's
    german = _read(root, "lessons/beta/lernrate/lesson.md")
    assert _english_left(_body(german)) == []
    assert _front(german, "summary").startswith("Worum es beim Thema Lernrate geht")
    assert _read(root, "lessons/beta/lernrate/overview.md").startswith("## Was Sie lernen\n")


def test_a_german_course_gets_a_german_track(tmp_path):
    root = _course(tmp_path, "de")
    _new(root, "track", "fresh", "--number", "7", "--title", "Sprachverarbeitung mit Transformern")
    track_yml = _read(root, "lessons/fresh/track.yml")
    assert "summary: Ein Lernpfad zum Thema Sprachverarbeitung mit Transformern.\n" in track_yml
    assert "  - title: Erste Schritte\n" in track_yml
    lesson = _read(root, "lessons/fresh/introduction/lesson.md")
    # German writes nouns with a capital: the title is not lower-cased inside a sentence
    assert _front(lesson, "title") == "Einführung in Sprachverarbeitung mit Transformern"
    for text in (
        _body(lesson),
        _read(root, "lessons/fresh/introduction/overview.md"),
        _read(root, "cheatsheets/fresh/introduction.md"),
    ):
        assert _english_left(text) == []
    assert "## Die Idee, Schritt für Schritt" in lesson and "Erklären Sie das Thema Einführung in" in lesson


@pytest.mark.parametrize("lang", [None, "it"])  # "it": no complete catalogue, so English throughout
def test_english_starter_text_is_unchanged(tmp_path, lang):
    root = _course(tmp_path, lang)
    _new(root, "lesson", "alpha", "gd", "--title", "Gradient descent")
    _new(root, "track", "fresh", "--number", "7", "--title", "Language processing basics")
    for rel, digest in ENGLISH_BEFORE.items():
        assert hashlib.sha256(_body(_read(root, rel)).encode()).hexdigest() == digest, rel
    lesson = _read(root, "lessons/alpha/gd/lesson.md")
    assert _front(lesson, "summary") == "The idea behind gradient descent, how it works and where it is used."
    assert _front(lesson, "objectives") == ["explain the main idea of gradient descent and give an example of it"]
    track_yml = _read(root, "lessons/fresh/track.yml")
    assert "summary: A track on language processing basics.\n" in track_yml
    assert "  - title: Getting started\n" in track_yml
    first = _read(root, "lessons/fresh/introduction/lesson.md")
    assert _front(first, "title") == "Introduction to language processing basics"


@pytest.mark.parametrize("lang", messages.COMPLETE)
def test_each_languages_starter_passes_check(tmp_path, lang):
    root = _course(tmp_path, lang)
    before = run_cli(root, ["check"])
    _new(root, "track", "fresh", "--number", "7", "--title", "Pipes | filters")
    _new(root, "lesson", "fresh", "second", "--title", "Gradient descent")
    after = run_cli(root, ["check"])
    assert after.returncode == 0 and " 0 errors" in after.stderr, after.stdout + after.stderr
    assert set(after.stdout.splitlines()) <= set(before.stdout.splitlines())  # no new warning either
    cells = [l for l in _read(root, "cheatsheets/fresh/introduction.md").splitlines() if "filters" in l]
    assert any(l.startswith("| ") and "\\| filters" in l for l in cells)  # escaped in the table's cell
    if lang != "en":
        assert _english_left(_body(_read(root, "lessons/fresh/second/lesson.md"))) == []


@pytest.mark.parametrize("lang", messages.COMPLETE)
def test_each_shipped_language_has_every_starter_text(lang):
    english, own = starter._section("en"), starter._section(lang)
    assert set(own) == set(english)
    for key, text in english.items():
        assert own[key].strip(), (lang, key)
        assert sorted(set(_names(own[key]))) == sorted(set(_names(text))), (lang, key)
        assert _syntax(own[key]) == _syntax(text), (lang, key)  # widget blocks and tables keep their shape


def _names(template: str) -> list[str]:
    """The {names} a text fills in; {t} and {title} are the same title, as a sentence needs it."""
    return [("title" if name == "t" else name) for _, name, _, _ in string.Formatter().parse(template) if name]


def _syntax(text: str) -> list[str]:
    """The lines that are Markdown or block syntax rather than prose, reduced to their syntax."""
    shape = []
    for line in text.splitlines():
        if line.startswith(("//", "- term:", "  answer:", "|---")):
            shape.append(line.split("|")[0].rstrip())
        elif line.startswith(("#", "|", "- ")):
            shape.append(line.split(" ")[0])
    return shape


def test_in_sentence_keeps_german_capitals():
    assert starter.in_sentence("Gradient descent") == "gradient descent"
    assert starter.in_sentence("Descenso de gradiente", "es") == "descenso de gradiente"
    assert starter.in_sentence("LSTMs", "en") == "LSTMs"
    assert starter.in_sentence("Gradientenverfahren", "de") == "Gradientenverfahren"
    assert starter.in_sentence("Gradientenverfahren", "de-AT") == "Gradientenverfahren"


def test_a_language_without_a_complete_catalogue_gets_english():
    assert starter.starter_texts("it") == starter.starter_texts("en") == starter.starter_texts(None)
    assert starter.starter_texts("pt-BR")["phase"] == "Primeiros passos"
