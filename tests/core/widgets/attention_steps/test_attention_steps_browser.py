"""`/// attention-steps` in real Chromium, on the bundled course as built by `mkdocs build`: Back and
Next through the steps. The page is the lesson with every widget (the `lesson_url` fixture of
tests/conftest.py).
"""

from __future__ import annotations

import pytest

from support.widget_pages import live_text, open_widgets

pytestmark = pytest.mark.browser


def test_attention_steps_back_and_next(browser_page, lesson_url):
    page = open_widgets(browser_page, lesson_url)
    root = page.locator("[data-widget=attention-steps]").first
    steps = root.locator(".ts-steps__step")
    n = steps.count()
    status = root.locator(".ts-steps__status")
    back = root.get_by_role("button", name="Back")
    nxt = root.get_by_role("button", name="Next")
    assert steps.nth(0).is_visible() and steps.nth(1).is_hidden()
    assert status.inner_text().startswith(f"Step 1 of {n}")
    assert back.get_attribute("aria-disabled") == "true"
    nxt.click()
    assert steps.nth(1).is_visible() and steps.nth(0).is_hidden()
    assert live_text(page, status).startswith(f"Step 2 of {n}")
    nxt.focus()
    for _ in range(n + 2):  # past the end: stays on the last step, focus stays put
        page.keyboard.press("Enter")
    assert steps.nth(n - 1).is_visible()
    assert nxt.get_attribute("aria-disabled") == "true"
    assert page.evaluate("document.activeElement.textContent") == "Next"
    back.click()
    assert steps.nth(n - 2).is_visible()
    # every number shown was computed: the softmax rows sum to 1
    softmax = next(s for s in steps.all() if "Softmax" in s.locator(".ts-steps__name").inner_text())
    for row in softmax.locator("tbody tr").all():
        assert abs(sum(float(x) for x in row.locator("td").all_inner_texts()) - 1) <= 0.011
    assert not page.console_errors
