"""Issues 71 and 86: the lessons that train a model in the page do it in the learners' interpreter.

The backpropagation exercise of Track 4's first lesson and the one-layer transformer of Track 5's
next-token lesson are copied, as the lessons write them, into conftest.py's course, built and
served, and run in the context of its `ran_once` (Python starts from the memory saved there, not
afresh: a context of the module's own cost the first test 11.0 processor seconds, 5.7 so). In
Chromium each starting code's Check fails, the author's solution typed into the editor prints a
falling loss, passes its Check, and the whole run stays well inside the block's time limit (20 s
and 30 s) in Pyodide, the runtime a learner has.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from support.course import intend
from support.runnable import NEXT_TOKEN, START, TRANSFORMER, lesson_block

pytestmark = pytest.mark.browser

#: where conftest.py's course holds the two exercises (support/runnable.py's runnable_package_course)
NETWORK_LESSON, TRANSFORMER_LESSON = "alpha/a3/", "beta/b2/"


def _starting_code_fails_then_the_solution_trains(page, url: str, solution: str, limit: float) -> str:
    """The learner's path through a training exercise, shared by both lessons: Check on the
    starting code says "Not yet"; the author's solution, typed into the editor, passes its Check
    within the block's time limit. Returns what the run printed."""
    page.goto(url)
    intend(page)
    block = page.locator("#ts-run-1")
    block.get_by_role("button", name="Check").click()
    expect(block.locator(".ts-run__status")).to_contain_text("Not yet", timeout=START)
    block.get_by_label("Code (editable)").fill(solution)
    started = time.monotonic()
    block.get_by_role("button", name="Check").click()
    expect(block.locator(".ts-run__status")).to_have_text("Passed: every check holds.", timeout=START)
    elapsed = time.monotonic() - started
    print(f"training and its checks: {elapsed:.1f} s in Chromium")
    assert elapsed < limit, f"training took {elapsed:.1f} s in the page"
    return block.locator(".ts-run__output").inner_text()


def test_the_network_trains_in_the_page_within_its_limit(learner_page, runnable_url):
    _, solution = lesson_block()
    output = _starting_code_fails_then_the_solution_trains(learner_page, runnable_url + NETWORK_LESSON, solution, 20)
    losses = [float(x) for x in re.findall(r"loss (\d+\.\d+)", output)]
    assert len(losses) == 9 and losses == sorted(losses, reverse=True) and losses[-1] < 0.1 < 0.6 < losses[0]


def test_the_transformer_trains_in_the_page_within_its_limit(learner_page, runnable_url):
    _, solution = lesson_block(NEXT_TOKEN, TRANSFORMER)
    output = _starting_code_fails_then_the_solution_trains(
        learner_page, runnable_url + TRANSFORMER_LESSON, solution, 30
    )
    losses = [float(x) for x in re.findall(r"loss (\d+\.\d+)", output)]
    assert len(losses) == 6 and losses == sorted(losses, reverse=True) and losses[-1] < 0.01 < 1.5 < losses[0]
    assert "'abc|cba'" in output.split("after:", 1)[1] and "'abc|cba'" not in output.split("after:", 1)[0]
