"""A start from the saved interpreter imports nothing (issue 81, the second lesson's speed): the
fresh start imports tracksite's runner before its memory is copied, so the copy holds it, marked
with the text it was imported from; a later start checks that mark against the runner the page
handed over (another tracksite's runner is imported afresh) instead of importing it again, which
took 0.5-1.0 s of a second lesson's start (docs/benchmarks.md). On the old code the runner was
imported after the copy: the restored interpreter's runner carried no mark. The fresh start whose
copy this reads is conftest.py's `ran_once` (it checks that start was fresh and kept a copy)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from support.course import intend
from support.runnable import START

pytestmark = pytest.mark.browser

PROBE = """import sys
m = sys.modules["tracksite_runner"]
print(getattr(m, "_ts_source", None) == open(m.__file__).read())
"""


def test_a_start_from_the_saved_interpreter_finds_the_runner_in_it(learner_page, runnable_url):
    page = learner_page
    page.goto(runnable_url + "alpha/a1/")
    intend(page)
    exercise = page.locator("#ts-run-1")
    exercise.get_by_label("Code (editable)").fill(PROBE)
    exercise.get_by_role("button", name="Run").click()
    expect(exercise.locator(".ts-run__output")).to_have_text("True\n", timeout=START)
    expect(page.locator("html")).to_have_attribute("data-ts-python-start", "saved")
