"""The quiz's body (YAML questions with options, their problems at file and line) and its
rendered HTML, read back with BeautifulSoup; in Chromium: tests/browser/test_widgets_browser.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.widgets import render
from tracksite.core.widgets.quiz.body import parse_quiz
from tracksite.core.widgets.validate import validate_widgets


def check(text: str, source_dir: Path = Path("."), first_line: int = 1, path: str = "l/lesson.md"):
    return validate_widgets(path, text, first_line, source_dir)


def messages(problems) -> str:
    return "\n".join(p.text() for p in problems)


# == quiz =======================================================================================

QUIZ = """\
- question: Why is a transformer fast to train?
  options:
    - text: It processes all positions at once.
      correct: true
      explain: No step-by-step loop.
    - text: It has fewer parameters.
      explain: It often has more.
- question: Which are parts of an encoder block?
  options:
    - text: Self-attention
      correct: true
      explain: Yes.
    - text: A feed-forward network
      correct: true
      explain: Yes, applied per token.
    - text: A recurrent cell
      explain: No recurrence.
"""


def test_quiz_single_and_multiple():
    questions, issues = parse_quiz(QUIZ)
    assert not issues
    assert [q.multiple for q in questions] == [False, True]
    assert [o.correct for o in questions[1].options] == [True, True, False]
    assert questions[0].options[1].explain == "It often has more."


def test_quiz_choose_all_with_one_right_option_shows_checkboxes():
    """Issue 56: when every "choose all" question has two right options and every single-answer
    question round buttons, the control says how many are right; `choose_all: true` asks for all
    even where one is right."""
    body = (
        "- question: Which of these are activation functions?\n  choose_all: true\n  options:\n"
        "    - text: ReLU\n      correct: true\n      explain: It is one.\n"
        "    - text: Adam\n      explain: An optimiser.\n    - text: Dropout\n      explain: A regulariser.\n"
    )
    questions, issues = parse_quiz(body)
    assert not issues and questions[0].multiple and questions[0].choose_all
    soup = render(f"/// quiz\n{body}///\n")
    question = soup.select_one(".ts-quiz__question")
    assert question is not None and question["data-multiple"] == "true"
    assert {i["type"] for i in soup.select(".ts-quiz__input")} == {"checkbox"}
    assert [q.choose_all for q in parse_quiz(QUIZ)[0]] == [False, False]


@pytest.mark.parametrize(
    "body, line, words",
    [
        ("- question: Q\n  options:\n    - text: a\n      correct: true\n      explain: e\n", 2, "at least 2 options"),
        (
            "- question: Q\n  options:\n    - text: a\n      correct: true\n      explain: e\n    - text: b\n",
            6,
            "missing required key 'explain'",
        ),
        (
            "- question: Q\n  options:\n    - text: a\n      explain: e\n    - text: b\n      explain: f\n",
            2,
            "no correct option",
        ),
        (
            "- question: Q\n  options:\n    - a\n    - b\n",
            3,
            "expected a mapping of `key: value` lines (option: `text:`, `explain:`), found string 'a'",
        ),
        (
            "- question: Q\n  options:\n    - text: a\n      correct: 'yes'\n      explain: e\n"
            "    - text: b\n      explain: f\n",
            4,
            "true or false",
        ),
        (
            "- question: Q\n  options:\n    - text: a\n      correct: true\n      explain: e\n"
            "    - text: b\n      explain: f\n      why: g\n",
            8,
            "unknown key 'why'",
        ),
        ("- question: Q\n  answers: []\n", 2, "unknown key 'answers'"),
        ("question: Q", 1, "expected a list of questions"),
        ("- question: Q\n  options:\n    - text: !!python/name:os.system a\n", 3, "tag"),
    ],
)
def test_quiz_problems(body, line, words):
    questions, issues = parse_quiz(body)
    assert issues, body
    assert any(words in i.message for i in issues), [i.message for i in issues]
    hit = next(i for i in issues if words in i.message)
    assert hit.line == line


# == rendering ==


def test_quiz_markup():
    hostile = QUIZ.replace("Self-attention", "<script>alert(1)</script>")
    soup = render("/// quiz\n" + hostile + "///\n\n/// quiz\n" + QUIZ + "///\n")
    quizzes = soup.select('[data-widget="quiz"]')
    assert [q["id"] for q in quizzes] == ["ts-quiz-1", "ts-quiz-2"]
    assert quizzes[0]["data-key"].startswith("tracksite:quiz:track/lesson:1:")
    assert quizzes[0]["data-key"].split(":")[-1] != quizzes[1]["data-key"].split(":")[-1]
    q1, q2 = quizzes[0].select(".ts-quiz__question")
    assert (
        q1.find("legend").get_text() == "1. Why is a transformer fast to train?"
    )  # numbered in the text: print keeps it
    assert q2.find("legend").get_text().startswith("2. ")
    assert {i["type"] for i in q1.select("input")} == {"radio"}
    assert {i["type"] for i in q2.select("input")} == {"checkbox"}
    assert len({i["name"] for i in q1.select("input")}) == 1
    for inp in q2.select("input"):
        assert q2.find("label", attrs={"for": inp["id"]}) is not None
    first = q2.find("label", attrs={"for": q2.find("input", attrs={"value": "0"})["id"]})
    assert first.get_text() == "<script>alert(1)</script>"
    assert not soup.find("script")
    # the page shows a fixed shuffle; values and data-option keep the source's order
    shown = [int(i["value"]) for i in q2.select("input")]
    assert sorted(shown) == [0, 1, 2]
    explained = q2.select(".ts-quiz__explanation")
    assert [int(e["data-option"]) for e in explained] == shown, "answers listed as the options are"
    by_source = sorted(explained, key=lambda e: int(e["data-option"]))
    assert [e["data-correct"] for e in by_source] == ["true", "true", "false"]
    assert by_source[1].select_one(".ts-quiz__explain").get_text() == "Yes, applied per token."
    assert by_source[1].select_one(".ts-quiz__option-text").get_text() == "A feed-forward network"
    ids = [i["id"] for i in soup.select("input")]
    assert len(ids) == len(set(ids))


def test_titled_quiz_keeps_the_space_after_its_label():
    soup = render("/// quiz | Quick check\n" + QUIZ + "///\n\n/// quiz\n" + QUIZ + "///\n")
    titled, plain = [q.select_one(".ts-widget__title") for q in soup.select('[data-widget="quiz"]')]
    assert titled.get_text() == "Quiz: Quick check"
    assert titled.strong.get_text() == "Quiz:"
    assert plain.get_text() == "Quiz"
