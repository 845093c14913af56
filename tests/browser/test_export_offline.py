"""`tracksite export offline` opened from file:// in Chromium (issue 43): styles applied, a link
to another page works, the search finds a page, a quiz answers, progress is kept, no console
error and no request leaves the copy. The copy's code exercise, served over http and opened from
file://, is two channels of tests/browser/test_code_channels.py (issue 82)."""

from __future__ import annotations

import zipfile

import pytest

from tracksite.commands.cli import main

pytestmark = pytest.mark.browser

LESSON = "deep-learning-survey/convolutions/"


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
