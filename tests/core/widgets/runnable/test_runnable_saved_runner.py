"""A start from the saved interpreter imports nothing (issue 81, the second lesson's speed): the
fresh start imports tracksite's runner before its memory is copied, so the copy holds it, marked
with the text it was imported from; a later start checks that mark against the runner the page
handed over (another tracksite's runner is imported afresh) instead of importing it again, which
took 0.5-1.0 s of a second lesson's start (docs/benchmarks.md). On the old code the runner was
imported after the copy: the restored interpreter's runner carried no mark."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from support.course import intend
from support.waits import until

pytestmark = pytest.mark.browser

START = 90_000
MEMORY = "async () => (await (await caches.open('tracksite-python-memory')).keys()).length > 0"
PROBE = """import sys
m = sys.modules["tracksite_runner"]
print(getattr(m, "_ts_source", None) == open(m.__file__).read())
"""


def test_a_start_from_the_saved_interpreter_finds_the_runner_in_it(chromium, runnable_url):  # noqa: F811
    context = chromium.new_context()
    page = context.new_page()
    page.goto(runnable_url + "alpha/a1/")
    intend(page)
    exercise = page.locator("#ts-run-1")
    exercise.get_by_role("button", name="Run").click()
    expect(exercise.locator(".ts-run__output")).to_have_text("1.0\n", timeout=START)
    expect(page.locator("html")).to_have_attribute("data-ts-python-start", "fresh")
    # the copy is kept once the page has checked and stored it
    # (polled: wait_for_function takes an async function's promise for a true value, and went on at once)
    assert until(page, lambda: page.evaluate(MEMORY), 60)
    page.reload()
    intend(page)
    exercise = page.locator("#ts-run-1")
    exercise.get_by_label("Code (editable)").fill(PROBE)
    exercise.get_by_role("button", name="Run").click()
    expect(exercise.locator(".ts-run__output")).to_have_text("True\n", timeout=START)
    expect(page.locator("html")).to_have_attribute("data-ts-python-start", "saved")
    context.close()
