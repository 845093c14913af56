"""Issue 44, on a 390 px touch phone (Chromium emulating one: touch, no hover): wide code blocks
stay reachable by keyboard (a learner with a keyboard on a tablet, or switch access, scrolls them
with the arrow keys), and the course map either fits or says that it scrolls."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from support.axe import AXE
from support.waits import settled

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
CODE_PAGES = ["transformers-and-llms/attention-mechanism/", "transformers-and-llms/tokens-and-embeddings/"]


@pytest.fixture
def phone(site_page):
    """A page of the touch phone's context, which the module's tests share (conftest.py's
    `site_page`): a context of its own for each parsed and compiled the site's scripts and styles
    again. The storage its pages left is wiped after each test."""
    return site_page(**PHONE)


def _settle(page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => !document.querySelector('[data-widget]:not([data-ts-ready]):not([data-widget=exercise])"
        ":not([data-widget=runnable])')"  # (a runnable starts on a learner's intent: issue 83)
    )
    settled(page)  # Material's size observers and our resize pass


@pytest.mark.parametrize("url", CODE_PAGES)
def test_wide_code_blocks_are_keyboard_reachable_on_a_touch_phone(phone, url):
    page = phone
    page.goto(page.base_url + url)
    _settle(page)
    assert page.evaluate("() => matchMedia('(hover: none)').matches"), "the context should emulate a touch phone"
    blocks = page.evaluate(
        """() => [...document.querySelectorAll('.md-content pre > code')]
          .filter(c => c.scrollWidth > c.clientWidth + 1)
          .map(c => ({tabindex: c.getAttribute('tabindex'), id: c.parentElement.id}))"""
    )
    assert blocks, f"{url} has no code block wider than a phone: the test needs one"
    assert all(b["tabindex"] == "0" for b in blocks), blocks
    results = AXE.run(page, options={"runOnly": {"type": "rule", "values": ["scrollable-region-focusable"]}})
    assert results.response["violations"] == [], results.response["violations"]
    # and the keyboard really scrolls one: focus it, press the right arrow
    page.locator(".md-content pre > code[tabindex='0']").first.focus()
    before = page.evaluate("() => document.activeElement.scrollLeft")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(before) => document.activeElement?.scrollLeft > before", arg=before)
    assert page.console_errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("url", ["", "transformers-and-llms/"])
def test_the_course_map_says_it_scrolls_on_a_phone(phone, url, scheme):
    """A 640 px map in a 358 px box was cut off with no sign that it scrolls: now a visible line
    says so, the edge shows a shadow, and the box is a named region the keyboard scrolls."""
    page = phone
    page.emulate_media(color_scheme=scheme)
    page.goto(page.base_url + url)
    _settle(page)
    box = page.locator(".ts-map__scroll")
    box.scroll_into_view_if_needed()
    assert box.evaluate("b => b.scrollWidth > b.clientWidth"), "the map should be wider than a phone"
    hint = page.locator(".ts-map__hint")
    assert hint.is_visible() and "sideways" in hint.inner_text()
    hint_box, map_box = hint.bounding_box(), box.bounding_box()
    assert hint_box["y"] < map_box["y"], "the cue comes before the map"
    assert box.get_attribute("role") == "region" and box.get_attribute("tabindex") == "0"
    assert box.get_attribute("aria-label") == "Map 1 (scrolls sideways)"
    assert "gradient" in box.evaluate("b => getComputedStyle(b).backgroundImage"), "an edge shadow"
    # a screenshot to look at (compared with nothing), taken when $TRACKSITE_SHOTS names where:
    # encoding it into a folder nobody reads cost Chromium processor time in each run
    if shots := os.environ.get("TRACKSITE_SHOTS"):
        page.screenshot(path=str(Path(shots) / f"course-map-390-{scheme}-{url.strip('/') or 'home'}.png"))
    box.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("b => b.scrollLeft > 0", arg=box.element_handle())
    options = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa"]}}
    results = AXE.run(page, context=".ts-map", options=options)
    assert results.response["violations"] == [], [v["id"] for v in results.response["violations"]]


def test_the_course_map_is_a_plain_picture_on_a_desktop(browser_page):
    page = browser_page
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(page.base_url)
    _settle(page)
    assert not page.locator(".ts-map__hint").is_visible()
    assert page.locator(".ts-map__scroll").get_attribute("role") is None
