"""Fixtures of the runnable widget's browser tests (beside those of tests/conftest.py): one small
course with code exercises, built once for the package's modules and served, and a learner's
context on it whose Python has started once, for the tests that run code from what that start
kept (the memory is the course's: any lesson of it starts from it)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from support.course import intend
from support.runnable import FORGET_PROGRESS, SAVED_MEMORY, START, runnable_package_course
from support.sites import run_mkdocs
from support.waits import until

#: the page's Cache Storage holds the interpreter's five files (issue 83)
KEPT = "async () => (await (await caches.open('tracksite-interpreter')).keys()).length === 5"


@pytest.fixture(scope="package")
def runnable_site(tmp_path_factory):
    """support/runnable.py's course: the exercises of alpha/a1, issue 85's of beta/b1."""
    root = runnable_package_course(tmp_path_factory.mktemp("runnable") / "course")
    result = run_mkdocs(root)
    assert result.returncode == 0, result.stderr[-3000:]
    return root / "site"


@pytest.fixture(scope="package")
def runnable_url(runnable_site, serve_site) -> str:
    return serve_site(runnable_site)


@pytest.fixture(scope="package")
def ran_once(chromium, runnable_url):
    """A learner's context (its HTTP cache in memory, like a private window's) in which the first
    lesson's Python started afresh and ran, until the page had kept the interpreter's files and
    the memory that start saved. The tests of a start from those (test_runnable_saved_runner.py,
    test_runnable_start_steps.py, test_runnable_interpreter_kept.py) share it: each paid that
    fresh start of its own before (6.4-8.2 processor seconds each, Chromium's included), and
    each reads only what it then checks, a planted file being fetched again before its test ends;
    so do the tests that run code but are not about a fresh start (issue 85's feedback, the two
    that train a model), each in a page of its own with the learner's progress cleared."""
    context = chromium.new_context()
    page = context.new_page()
    page.goto(runnable_url + "alpha/a1/")
    intend(page)
    exercise = page.locator("#ts-run-1")
    exercise.get_by_role("button", name="Run").click()
    expect(exercise.locator(".ts-run__output")).to_have_text("1.0\n", timeout=START)
    expect(page.locator("html")).to_have_attribute("data-ts-python-start", "fresh")
    # (polled: wait_for_function takes an async function's promise for a true value)
    assert until(page, lambda: page.evaluate(KEPT), 60), "the first start kept no interpreter file"
    assert until(page, lambda: page.evaluate(SAVED_MEMORY) > 0, 60), "the first start saved no memory"
    page.close()
    yield context
    context.close()


@pytest.fixture
def learner_page(ran_once, runnable_url):
    """A new page of `ran_once` on the course's home page, with none of the learner's code or
    progress another test left (the exercise starts from its own code again); closed after."""
    page = ran_once.new_page()
    page.goto(runnable_url)
    page.evaluate(FORGET_PROGRESS)
    yield page
    page.close()
