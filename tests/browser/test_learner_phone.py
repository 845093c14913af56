"""Issue 44, on a 390 px touch phone (Chromium emulating one: touch, no hover): wide code blocks
stay reachable by keyboard (a learner with a keyboard on a tablet, or switch access, scrolls them
with the arrow keys), and the course map either fits or says that it scrolls."""

from __future__ import annotations

import pytest
from test_accessibility import AXE

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 390, "height": 844}, "has_touch": True, "is_mobile": True, "device_scale_factor": 2}
CODE_PAGES = ["transformers-and-llms/attention-mechanism/", "transformers-and-llms/tokens-and-embeddings/"]


@pytest.fixture
def phone(chromium, site_url):
    context = chromium.new_context(**PHONE, color_scheme="light")
    page = context.new_page()
    page.base_url = site_url
    page.console_errors = []
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    yield page
    context.close()


def _settle(page) -> None:
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => !document.querySelector('[data-widget]:not([data-ts-ready]):not([data-widget=exercise])')"
    )
    page.wait_for_timeout(400)  # Material's size observers and our resize pass


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
    page.wait_for_timeout(200)
    assert page.evaluate("() => document.activeElement.scrollLeft") > before
    assert page.console_errors == []
