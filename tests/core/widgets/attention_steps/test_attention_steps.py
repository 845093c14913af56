"""The attention stepper's body (small matrices, computed step by step; its problems at file and
line) and its rendered HTML, read back with BeautifulSoup; in Chromium:
tests/browser/test_widgets_browser.py."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from support.widgets import render
from tracksite.core.widgets.attention_steps.body import parse_attention_steps
from tracksite.core.widgets.validate import validate_widgets


def check(text: str, source_dir: Path = Path("."), first_line: int = 1, path: str = "l/lesson.md"):
    return validate_widgets(path, text, first_line, source_dir)


def messages(problems) -> str:
    return "\n".join(p.text() for p in problems)


# == attention-steps ============================================================================

STEPS = """\
tokens: [it, animal]
x: [[1, 0, 1], [0, 2, 0]]
w_q: [[1, 0], [0, 1], [1, 1]]
w_k: [[0, 1], [1, 0], [1, 1]]
w_v: [[1, 0], [0, 1], [0.5, 0.5]]
"""


def test_attention_steps_are_computed():
    d, issues = parse_attention_steps(STEPS)
    assert not issues
    assert d.q == [[2, 1], [0, 2]]
    assert d.k == [[1, 2], [2, 0]]
    assert d.v == [[1.5, 0.5], [0, 2]]
    assert d.scores == [[4, 4], [4, 0]]
    assert d.scaled[1][0] == pytest.approx(4 / math.sqrt(2))
    assert all(sum(r) == pytest.approx(1) for r in d.weights)
    assert d.weights[0] == pytest.approx([0.5, 0.5])
    assert d.output[0] == pytest.approx([0.75, 1.25])


@pytest.mark.parametrize(
    "body, line, words",
    [
        (STEPS.replace("[[1, 0, 1], [0, 2, 0]]", "[[1, 0, 1]]"), 2, "x has 1 rows; expected 2"),
        (STEPS.replace("w_q: [[1, 0], [0, 1], [1, 1]]", "w_q: [[1, 0], [0, 1]]"), 3, "w_q has 2 rows"),
        (STEPS.replace("w_k: [[0, 1], [1, 0], [1, 1]]", "w_k: [[0], [1], [1]]"), 4, "expected 2"),
        (STEPS.replace("[0, 2, 0]", "[0, 2]"), 2, "row 2 has 2 entries"),
        (STEPS.replace("[0, 2, 0]", "[0, two, 0]"), 2, "expected a number"),
        (STEPS.replace("w_v: [[1, 0], [0, 1], [0.5, 0.5]]\n", ""), 1, "missing"),
        (STEPS + "scale: 2\n", 6, "unknown key 'scale'"),
    ],
)
def test_attention_steps_problems(body, line, words):
    d, issues = parse_attention_steps(body)
    assert d is None
    hit = next(i for i in issues if words in i.message)
    assert hit.line == line


# == rendering ==


def test_attention_steps_markup():
    soup = render("/// attention-steps\n" + STEPS + "///\n")
    root = soup.select_one('[data-widget="attention-steps"]')
    steps = root.select(".ts-steps__step")
    names = [s.select_one(".ts-steps__name").get_text() for s in steps]
    assert names[0] == "Step 1 of 8: The inputs" and names[-1] == "Step 8 of 8: Output"
    assert all(s.find("math") is not None for s in steps)
    softmax_step = steps[6]
    cells = [[td.get_text() for td in tr.select("td")] for tr in softmax_step.select("tbody tr")]
    assert cells[0] == ["0.50", "0.50"]
    assert cells[1] == ["0.94", "0.06"]
    assert steps[4].select_one(".ts-steps__example").get_text().endswith("= 4.")
