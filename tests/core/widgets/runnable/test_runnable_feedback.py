"""Issue 85: feedback that names what failed, from the runner the page and the check share
(theme/assets/tracksite/runner.py): the failing test, the author's message for it, the values an
assert compared, the learner's own line when the error came from their code, a message written
from the assert when the author wrote none, and the tests' printing kept apart from the learner's.
N19's two bundled cases run against the exercises as the course ships them. The page's side is
tests/core/widgets/runnable/test_runnable_feedback_browser.py."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import sys
from pathlib import Path

import pytest

from support.course import lesson_md, make_course, run_cli, write
from support.runnable import EXERCISE, KV_ATTENDS_FIRST, MASK_OVERFLOWS, render
from tracksite import theme
from tracksite.core.widgets.runnable.body import Runnable, parse_runnable

REPO = Path(__file__).resolve().parents[4]
RUNNER = theme.ASSETS / "tracksite" / "runner.py"


def bundled(lesson: str, title: str) -> Runnable:
    """A runnable exercise of the bundled course, by its lesson and title."""
    text = (REPO / "lessons" / lesson / "lesson.md").read_text(encoding="utf-8")
    found = re.search(rf"^/// runnable \| {re.escape(title)}\n(.*?)^///$", text, re.M | re.S)
    assert found, title
    value, findings = parse_runnable(found.group(1))
    assert value is not None and not [f for f in findings if f.severity == "error"]
    return value


@pytest.fixture(scope="module")
def runner():
    spec = importlib.util.spec_from_file_location("tracksite_runner", RUNNER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def judge(runner, code: str, tests: str | None, expected: str | None = None) -> tuple[dict, str, str]:
    """The verdict, what the page's output shows (stdout) and its red part (stderr)."""
    out, err = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = io.StringIO(), io.StringIO()
    try:
        verdict = runner.run(code, tests, expected)
        return verdict, sys.stdout.getvalue(), sys.stderr.getvalue()
    finally:
        sys.stdout, sys.stderr = out, err


def test_an_overflow_in_the_learners_code_names_their_line_and_the_authors_message(runner):
    ex = bundled("transformers-and-llms/next-token-prediction", "Mask the future, then count the lessons")
    v, _, _ = judge(runner, MASK_OVERFLOWS, ex.tests)
    assert v["status"] == "failed" and v["kind"] == "error"
    assert v["detail"] == "OverflowError: math range error"
    assert v["code"]["line"] == 6 and v["code"]["codeSource"] == "e = [exp(s) for s in row[: i + 1]]"
    assert v["code"]["function"] == "masked_weights"
    assert "exp(800) must not overflow" in v["prepares"]["message"]
    assert v["missing"] is False  # an OverflowError is no missing name
    assert "exp(800) must not overflow" in runner.said(v)


def test_an_error_in_the_authors_function_leads_to_the_authors_message(runner):
    ex = bundled("transformers-and-llms/scaling-and-context", "A KV cache, one token at a time")
    v, shown, red = judge(runner, KV_ATTENDS_FIRST, ex.tests)
    assert v["status"] == "failed" and v["kind"] == "assert"
    assert "store the new token's key and value before attending" in v["message"]
    stopped = v["codeError"]
    assert (
        stopped["line"] == 5
        and stopped["function"] == "attend"
        and stopped["calls"] == [[17, "<module>"], [10, "decode_step"]]
    )
    assert stopped["detail"].startswith("ValueError")
    assert 'File "<code>", line 5, in attend' in red  # the learner's traceback, as before
    assert "<tests>" not in red + shown  # the hidden tests' traceback is kept apart
    assert "<tests>" in v["checksPrinted"]


def test_an_assert_without_a_message_is_told_from_its_own_line_with_both_values(runner):
    code = "def double(x):\n    return x + 2\n"
    v, _, _ = judge(runner, code, "assert double(3) == 6\n")
    assert v["message"] == "" and v["test"] == "double(3) == 6"
    assert v["sides"] == [["double(3)", "5", False], ["6", "6", True]] and v["op"] == "=="
    # asserts that call a function keep its arguments' values; a loop's values are the failing ones
    tests = "from math import isclose\nfor n in range(3):\n    assert isclose(double(n), 2 * n)\n"
    v, _, _ = judge(runner, code, tests)
    assert v["line"] == 3 and v["sides"] == [["double(n)", "2", False], ["2 * n", "0", False]]
    # each part is evaluated once, as the assert would: a call with effects is not repeated
    tests = "calls = []\ndef f():\n    calls.append(1)\n    return 1\nassert f() == 2, f'{len(calls)} call'\n"
    v, _, _ = judge(runner, "", tests)
    assert v["message"] == "1 call"
    # a test that catches the assert still catches it; an assert that holds stays silent
    v, _, _ = judge(
        runner, code, "try:\n    assert double(1) == 0\nexcept AssertionError:\n    pass\nassert double(0) == 2\n"
    )
    assert v == {"status": "passed"}


def test_the_learners_print_is_kept_apart_from_the_tests(runner):
    code = "def f():\n    print('inside f')\n    return 1\nprint('mine')\n"
    v, shown, _ = judge(runner, code, "print('from the tests')\nassert f() == 1\n", expected="mine")
    assert shown == "mine\n"  # the output compared is the learner's
    assert v == {"status": "passed", "checksPrinted": "from the tests\ninside f\n"}  # shown apart
    v, shown, _ = judge(runner, code, "print('from the tests')\nassert f() == 2\n")
    assert shown == "mine\n" and v["checksPrinted"].startswith("from the tests\ninside f\n")


def test_only_a_name_error_raised_by_the_tests_is_a_missing_name(runner):
    v, _, _ = judge(runner, "x = 1", "assert total == 1")
    assert v["kind"] == "error" and v["missing"] is True
    v, _, _ = judge(runner, "def f():\n    return y\n", "assert f() == 1")
    assert v["missing"] is False and v["code"]["line"] == 2  # the learner's name, at their line


# -- known mistakes as data: `mistakes:` proved caught with their feedback ----------------------

MISTAKES = """/// runnable | Gradient step
code: |
  def step(w, grad, lr):
      return w
tests: |
  assert abs(step(1.0, 0.5, 0.1) - 0.95) < 1e-9, "move against the gradient, by lr times its size"
  assert step(2.0, 0.0, 0.3) == 2.0
solution: |
  def step(w, grad, lr):
      return w - lr * grad
mistakes:
  - code: |
      def step(w, grad, lr):
          return w + lr * grad
    feedback: Move against   the GRADIENT
  - code: |
      def step(w, grad, lr):
          return w - lr * grad
    feedback: anything
  - code: |
      def step(w, grad, lr):
          return w - grad
    feedback: the learning rate is missing
  - code: |
      def step(w, grad, lr):
          return 2.0 if grad == 0 else w - grad * learning_rate
    feedback: name 'learning_rate' is not defined
///
"""


@pytest.mark.usefixtures("needs_sandbox")
def test_check_proves_each_listed_mistake_is_caught_with_its_feedback(tmp_path):
    root = make_course(tmp_path / "course")
    text = lesson_md("First lesson", body="## Practice\n\n" + MISTAKES + "Words here. " * 40)
    write(root, "lessons/alpha/a1/lesson.md", text)
    lines = text.split("\n")
    starts = [i + 1 for i, line in enumerate(lines) if line.startswith("  - code: |")]
    result = run_cli(root, ["check", "--run-code", "--format", "json"])
    found = [p for p in json.loads(result.stdout) if p["code"].startswith("TS43")]
    assert {(p["code"], p["line"]) for p in found} == {("TS436", starts[1]), ("TS436", starts[2])}, found
    passes, other = sorted(found, key=lambda p: p["line"])
    assert "mistake 2 passes the checks in CPython" in passes["message"]
    assert "mistake 3 is caught in CPython, but the learner is told" in other["message"]
    assert "move against the gradient" in other["message"]  # what the learner is told instead


def test_mistakes_need_checks_and_never_reach_the_page():
    _, findings = parse_runnable("code: x = 1\nmistakes:\n  - code: x = 2\n    feedback: two\n")
    assert [(f.code, f.line) for f in findings] == [("TS437", 2)]
    _, findings = parse_runnable("code: x = 1\ntests: assert x == 1\nsolution: x = 1\nmistakes:\n  - code: x = 2\n")
    assert [f.code for f in findings] == ["TS102"]  # a mistake says what the learner must be told
    page = render(MISTAKES)
    assert "learning_rate" not in str(page) and "w + lr * grad" not in str(page)


def test_the_exercise_key_is_the_same_as_before_issue_85():
    """The key (what keeps a learner's code and pass) is made of what it was made of before the
    body had `mistakes:` and `show_solution:`: adding either, or the fields themselves, drops
    nothing a learner kept. 90560410 is the key the code before issue 85 gave this exercise."""
    key = render(EXERCISE).select_one(".ts-run")["data-key"]
    assert key.endswith(":90560410")
    listed = EXERCISE.replace(
        "timeout: 5", "timeout: 5\nshow_solution: after 2 checks\nmistakes:\n  - code: x = 1\n    feedback: x"
    )
    assert render(listed).select_one(".ts-run")["data-key"] == key


@pytest.mark.parametrize(
    "policy,shown,data",
    [
        (None, True, None),
        ("from the start", True, None),
        ("after 3 checks", False, "3"),
        ("on pass", False, "pass"),
        ("never", None, None),
    ],
)
def test_the_solution_is_drawn_by_the_authors_policy(policy, shown, data):
    text = EXERCISE if policy is None else EXERCISE.replace("timeout: 5", f"timeout: 5\nshow_solution: {policy}")
    page = render(text)
    block, answer = page.select_one(".ts-run"), page.select_one(".ts-run__solution")
    assert block.get("data-solution") == data
    if shown is None:
        assert answer is None and "w - lr * grad" not in str(page)  # never: not in the page at all
    else:
        assert answer is not None and answer.has_attr("hidden") != shown


@pytest.mark.parametrize(
    "text,code",
    [
        ("code: x = 1\nsolution: x = 2\nshow_solution: on pass\n", "TS438"),  # no Check: never reached
        ("code: x = 1\nsolution: x = 2\nshow_solution: after 2 checks\n", "TS438"),
        ("code: x = 1\ntests: assert x == 2\nsolution: x = 2\nshow_solution: after 30 checks\n", "TS104"),
        ("code: x = 1\ntests: assert x == 2\nsolution: x = 2\nshow_solution: sometimes\n", "TS104"),
    ],
)
def test_a_solution_no_learner_can_reach_is_an_error(text, code):
    _, findings = parse_runnable(text)
    assert [f.code for f in findings] == [code], findings
    _, fine = parse_runnable("code: x = 1\ntests: assert x == 2\nsolution: x = 2\nshow_solution: after 1 check\n")
    assert fine == []


def test_a_generator_is_told_by_its_source_not_its_value(runner):
    v, _, _ = judge(runner, "xs = [1, 2]", "assert all(x > 1 for x in xs)")
    assert v["test"] == "all(x > 1 for x in xs)" and "sides" not in v


# -- proof in the learner's runtime: `check --run-code --in-page-python` -----------------------

PAGE_ONLY = """/// runnable | Not in the page
code: |
  def where():
      return ""
tests: |
  assert where() == "here"
solution: |
  import sys
  def where():
      assert sys.platform != "emscripten", "this line fails only in the page's Python"
      return "here"
///
"""


@pytest.mark.usefixtures("needs_sandbox")
def test_a_solution_failing_only_in_the_pages_python_is_reported(tmp_path):
    from tracksite.core.widgets.runnable.check import page_unavailable

    if page_unavailable():
        pytest.skip(page_unavailable())
    root = make_course(tmp_path / "course")
    text = lesson_md("First lesson", body="## Practice\n\n" + EXERCISE + "\n" + PAGE_ONLY + "Words here. " * 40)
    write(root, "lessons/alpha/a1/lesson.md", text)
    cpython = run_cli(root, ["check", "--run-code", "--format", "json"])
    assert not [p for p in json.loads(cpython.stdout) if p["code"].startswith("TS43")]  # CPython: it passes
    page = run_cli(root, ["check", "--run-code", "--in-page-python", "--format", "json"])
    found = [p for p in json.loads(page.stdout) if p["code"].startswith("TS43")]
    solution = text.split("\n").index("solution: |", text.split("\n").index("/// runnable | Not in the page")) + 1
    assert [(p["code"], p["line"]) for p in found] == [("TS431", solution)], found
    assert "in the page's Python (Pyodide)" in found[0]["message"]
    assert "this line fails only in the page's Python" in found[0]["message"]
