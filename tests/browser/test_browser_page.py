"""The `browser_page` fixture (tests/conftest.py) hands a test the last test's page where it can,
since a new page costs Chromium a renderer process: what a test leaves on it (an init script, a
listener, a viewport, emulated media, stored data) must be gone for the next.
The first test leaves all of it, the second finds none of it. (Run alone, or in another xdist
worker than the first, the second gets a new page, and passes as well.)"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

LEFT: dict = {}  # what the first test left, for the second to look for


def test_a_test_leaves_its_page_changed(browser_page):
    page = browser_page
    page.add_init_script("window.__left = 1")
    page.on("console", lambda m: LEFT.setdefault("heard", []).append(m.text))
    page.set_viewport_size({"width": 390, "height": 600})
    page.emulate_media(color_scheme="dark", media="print", reduced_motion="reduce")
    page.goto(page.base_url + "404.html")
    page.evaluate("() => { localStorage.setItem('left', '1'); sessionStorage.setItem('left', '1'); }")
    assert page.evaluate("window.__left") == 1
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    LEFT["page"] = page


def test_the_next_test_finds_none_of_it(browser_page):
    page = browser_page
    if "page" in LEFT and not LEFT["page"].is_closed():  # kept since the first test: brought back
        assert page is LEFT["page"]
    assert page.url == "about:blank" and page.viewport_size == {"width": 1280, "height": 720}
    page.goto(page.base_url + "404.html")
    assert page.evaluate("window.__left") is None
    assert page.evaluate("[localStorage.getItem('left'), sessionStorage.getItem('left')]") == [None, None]
    media = "['(prefers-color-scheme: dark)', 'print', '(prefers-reduced-motion: reduce)']"
    assert page.evaluate(f"{media}.map(m => matchMedia(m).matches)") == [False, False, False]
    with page.expect_console_message() as message:  # delivered to every listener still attached
        page.evaluate("console.log('after')")
    assert message.value.text == "after" and "after" not in LEFT.get("heard", [])
    assert page.console_errors == [] and page.foreign_requests == []
