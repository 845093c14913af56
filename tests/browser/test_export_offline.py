"""`tracksite export offline` opened from file:// in Chromium (issue 43): styles applied, a link
to another page works, the search finds a page, a quiz answers, progress is kept, no console
error and no request leaves the copy; served over http, a code exercise runs and checks (issue
82)."""

from __future__ import annotations

import zipfile

import pytest
from playwright.sync_api import expect

from support.course import intend
from support.runnable import runnable_course
from tracksite.commands.cli import main
from tracksite.localserver import QuietHandler, serve_folder

pytestmark = pytest.mark.browser

LESSON = "deep-learning-survey/convolutions/"
START = 90_000  # ms: Python's first start in a loaded machine's Chromium


@pytest.fixture(scope="module")
def offline_copy(built_site, tmp_path_factory):
    folder = tmp_path_factory.mktemp("offline")
    out = folder / "course-offline.zip"
    assert main(["export", "offline", "--site", str(built_site), "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        z.extractall(folder / "copy")
    assert "index.html" in names and not any(n.startswith("search-index/") for n in names)
    return folder / "copy"


def test_offline_copy_works_from_file_urls(chromium, offline_copy):
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    outside: list[str] = []
    root = offline_copy.as_uri() + "/"
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((root, "data:", "blob:")) else None)

    page.goto(root + "index.html")
    # the theme's stylesheet applies: Material's header is fixed at the top, tracksite's cards are a grid
    assert page.eval_on_selector(".md-header", "e => getComputedStyle(e).position") in ("sticky", "fixed")
    assert page.eval_on_selector(".ts-tracks", "e => getComputedStyle(e).display") == "grid"

    # a link of the built page leads to the lesson's file
    page.locator(f"a[href='{LESSON}index.html']").first.click()
    page.wait_for_url(root + LESSON + "index.html")

    # search: the index comes from search-files.js, the dialog's scripts through <script>
    page.wait_for_selector("[data-ts-search]:not([hidden])", state="attached")
    page.keyboard.press("/")
    page.wait_for_selector(".ts-search__dialog[open]")
    page.keyboard.type("convolution", delay=20)
    page.wait_for_function(  # the results for the whole word are drawn (earlier ones are replaced)
        "() => document.querySelector('.ts-search__status')?.textContent.includes('convolution') && "
        "document.querySelector('.ts-search__results')?.hasAttribute('aria-busy') === false",
        timeout=30_000,
    )
    titles = page.locator(".ts-search__hit-title").all_inner_texts()
    assert any("Convolutions" in t for t in titles), titles
    # a result leads to the page's file (portable.js names index.html in the link the search drew)
    page.locator(".ts-search__hit a").first.click()
    page.wait_for_url(lambda url: url.startswith(root) and ".html" in url)
    page.goto(root + LESSON + "index.html")

    # a quiz works, and the lesson's progress is kept across a reload
    quiz = page.locator(".ts-quiz").first
    quiz.get_by_label("It needs an enormous number of weights and ignores which pixels are neighbours.").check()
    quiz.get_by_role("button", name="Check answer").first.click()
    assert quiz.locator(".ts-quiz__feedback").first.inner_text().strip()
    page.locator(".ts-progress__toggle").click()
    page.reload()
    assert page.locator(".ts-progress__toggle").get_attribute("aria-pressed") == "true"

    # the home page's "Continue" link, which learner.js writes with a folder's address, opens a file
    page.goto(root + "index.html")
    resume = page.locator("[data-continue-track='deep-learning-survey'] a")
    assert resume.inner_text().startswith("Continue")
    resume.click()
    page.wait_for_url(lambda url: url.startswith(root + "deep-learning-survey/") and url.endswith("/index.html"))
    assert page.locator("article h1").count() == 1

    assert not errors, errors
    assert not outside, outside
    context.close()


@pytest.fixture(scope="module")
def runnable_copy(tmp_path_factory):
    """The offline copy of a course with a code exercise (tests/core/widgets/runnable/test_runnable.py's)."""
    root = runnable_course(tmp_path_factory.mktemp("runnable-offline") / "course")
    folder = tmp_path_factory.mktemp("runnable-copy")
    out = folder / "course-offline.zip"
    assert main(["--root", str(root), "export", "offline", "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        z.extractall(folder / "copy")
    return folder / "copy"


def play_exercise(page, url: str) -> None:
    """Open the copy's lesson, show intent, Run, then Check a wrong and a right answer."""
    page.goto(url)
    intend(page)  # the editor loads on a learner's intent (issue 83)
    exercise = page.locator("#ts-run-1")
    exercise.get_by_role("button", name="Run").click()
    expect(exercise.locator(".ts-run__output")).to_have_text("1.0\n", timeout=START)
    exercise.get_by_role("button", name="Check").click()  # the starting code is wrong
    expect(exercise.locator(".ts-run__status")).to_contain_text("Not yet", timeout=START)
    exercise.get_by_label("Code (editable)").fill("def step(w, grad, lr):\n    return w - lr * grad\n")
    exercise.get_by_role("button", name="Check").click()
    expect(exercise.locator(".ts-run__status")).to_have_text("Passed: every check holds.", timeout=START)


def test_the_offline_copy_served_over_http_runs_and_checks_code(chromium, runnable_copy):
    """Issue 82 (H2): served as its note says (`python3 -m http.server`), the copy's code exercise
    runs and checks, as on the site; the export once rewrote runnable.js's `import(`, and no
    exercise could be edited or run."""
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    with serve_folder(runnable_copy, QuietHandler) as base:
        play_exercise(page, base + "alpha/a1/index.html")
    assert errors == []
    context.close()


def test_the_offline_copy_opened_from_a_file_runs_and_checks_code(chromium, runnable_copy):
    """Issue 82: opened from file://, where the page can fetch nothing and its sandboxed frame can
    load no file, the exercise runs and checks from the classic scripts carrying Python's bytes;
    the old copy only said to serve the folder. No request leaves the copy, and none is a fetch."""
    context = chromium.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    root = runnable_copy.as_uri() + "/"
    outside: list[str] = []
    page.on(
        "request", lambda r: outside.append(r.url) if not r.url.startswith((root, "blob:", "data:", "about:")) else None
    )
    play_exercise(page, root + "alpha/a1/index.html")
    assert errors == [] and outside == []
    context.close()
