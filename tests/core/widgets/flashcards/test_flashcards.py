"""The flashcards' body (YAML or a definition list, its problems at file and line) and its
rendered HTML, read back with BeautifulSoup; in Chromium: tests/browser/test_widgets_browser.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.widgets import render
from tracksite.adapter.blocks import WidgetContext
from tracksite.core.widgets.flashcards.body import parse_flashcards
from tracksite.core.widgets.validate import validate_widgets


def check(text: str, source_dir: Path = Path("."), first_line: int = 1, path: str = "l/lesson.md"):
    return validate_widgets(path, text, first_line, source_dir)


def messages(problems) -> str:
    return "\n".join(p.text() for p in problems)


# == flashcards ==================================================================================


def test_flashcards_yaml():
    cards, issues = parse_flashcards("- term: Query\n  answer: What a token looks for.\n- term: Key\n  answer: no\n")
    assert not issues
    assert [(c.term, c.answer) for c in cards] == [("Query", "What a token looks for."), ("Key", "no")]


def test_flashcards_keep_what_the_author_wrote_for_yaml_non_strings():
    cards, issues = parse_flashcards("- term: 3.10\n  answer: yes\n- term: 2017-06-12\n  answer: 0x10")
    assert not issues
    assert [(c.term, c.answer) for c in cards] == [("3.10", "yes"), ("2017-06-12", "0x10")]


def test_flashcards_definition_list():
    cards, issues = parse_flashcards(
        "Attention weight\n: How much one token draws\n  on another.\n\nKey\n: A vector.\n"
    )
    assert not issues
    assert [(c.term, c.answer) for c in cards] == [
        ("Attention weight", "How much one token draws on another."),
        ("Key", "A vector."),
    ]
    cards, issues = parse_flashcards("Term without answer\n\nKey\n: A vector.\n")
    assert issues and issues[0].line == 1 and "no answer" in issues[0].message


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("", 1, "no cards"),
        ("just text", 1, "expected a list"),
        ("- term: A\n- term: B\n  answer: b", 1, "missing"),
        ("- term: A\n  answer: a\n- term: A\n  answer: b", 3, "already on card 1"),
        ("- term: A\n  answer: a\n  hint: h", 3, "unknown key 'hint'"),
        ("- term: A\n  answer: [a, b]", 2, "expected text"),
        ("- term: a: b\n  answer: c", 1, "YAML"),
        ("- term: &x A\n  answer: *x", 1, "anchors"),
    ],
)
def test_flashcards_problems(body, line, words):
    cards, issues = parse_flashcards(body)
    assert issues, body
    assert words in issues[0].message
    assert issues[0].line == line


# == rendering ==


def test_flashcards_markup_and_escaping():
    soup = render(
        "/// flashcards\n- term: <script>alert(1)</script>\n  answer: a & <b>b</b>\n"
        "- term: Key\n  answer: '*not emphasis*'\n///\n",
        WidgetContext("track/lesson", Path.cwd()),
    )
    root = soup.select_one('[data-widget="flashcards"]')
    assert root["data-key"] == "tracksite:cards:track/lesson:1"
    terms = [t.get_text() for t in root.select(".ts-card__term")]
    assert terms == ["<script>alert(1)</script>", "Key"]
    assert root.select_one(".ts-card__answer").get_text() == "a & <b>b</b>"
    second = root.select(".ts-card__answer")[1]  # widget texts are inline Markdown (issue 18)
    assert second.get_text() == "not emphasis" and second.find("em").get_text() == "not emphasis"
    assert not soup.find("script") and not soup.find("b")
    assert root.select_one("details summary").get_text() == "Show answer"
