"""`/// predict` in real Chromium, on the bundled course as built by `mkdocs build`: answered with
the keyboard alone (a wrong answer, then the right one), read without JavaScript, printed, and
checked by axe at 390 px in the light and the dark palette.

The page is found by the widget it holds (transformers-and-llms/tokens-and-embeddings today).
"""

from __future__ import annotations

import pytest
from test_accessibility import AXE, WCAG_22_AA
from test_widgets_browser import _open, _pages_with

pytestmark = pytest.mark.browser

ROOT = "[data-widget=predict]"


@pytest.fixture(scope="module")
def predict_url(built_site) -> str:
    pages = _pages_with(built_site, "predict")
    assert pages, "no page of the built site has a predict block"
    return pages[0]


def _expected(root) -> str:
    return root.locator(".ts-predict__output").text_content()


def test_a_wrong_then_a_right_answer_by_keyboard(browser_page, predict_url):
    page = _open(browser_page, predict_url)
    root = page.locator(ROOT).first
    answer = root.locator("details.ts-predict__answer")
    feedback = root.locator(".ts-predict__feedback")
    box = page.get_by_role("textbox", name="What will this print?").first
    assert answer.get_attribute("open") is None, "the output stays hidden until the learner answers"
    assert feedback.get_attribute("aria-live") == "polite"

    box.focus()
    page.keyboard.type("[6, 3, 4]")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Check"
    page.keyboard.press("Enter")
    page.wait_for_function("el => el.textContent !== ''", arg=feedback.element_handle())
    assert feedback.inner_text() == "Not quite: here is what it prints"
    assert answer.get_attribute("open") is not None and "is-wrong" in root.get_attribute("class")

    box.focus()
    page.keyboard.press("Control+A")
    lines = _expected(root).split("\n")
    page.keyboard.type("\n" + "  \n".join(lines) + "\n")  # surrounding blank lines and trailing spaces
    page.keyboard.press("Control+Enter")
    page.wait_for_function("el => el.textContent === 'Matches'", arg=feedback.element_handle())
    assert "is-right" in root.get_attribute("class")
    assert root.locator(".ts-predict__explain").is_visible()
    assert page.console_errors == []


def test_without_javascript_the_output_waits_in_a_closed_disclosure(chromium, site_url, predict_url):
    context = chromium.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(site_url + predict_url)
        root = page.locator(ROOT).first
        assert root.locator("textarea").count() == 0
        summary = root.locator("details.ts-predict__answer > summary")
        assert summary.inner_text() == "Show the output"
        assert not root.locator(".ts-predict__output").is_visible()
        summary.click()
        assert root.locator(".ts-predict__output").is_visible()
    finally:
        context.close()


def test_a_printout_shows_the_code_but_not_the_answer(browser_page, predict_url):
    page = _open(browser_page, predict_url)
    page.emulate_media(media="print")
    root = page.locator(ROOT).first
    assert root.locator(".ts-predict__code").is_visible()
    assert root.locator(".ts-predict__question").is_visible()
    assert root.locator(".ts-predict__answer").is_hidden()
    assert root.locator(".ts-predict__app").is_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_it_fits_a_phone_and_passes_axe(browser_page, predict_url, scheme):
    browser_page.set_viewport_size({"width": 390, "height": 844})
    page = _open(browser_page, predict_url, scheme="slate" if scheme == "dark" else "default")
    root = page.locator(ROOT).first
    root.scroll_into_view_if_needed()
    box = root.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate(
        "s => { const t = document.querySelector(s + ' textarea'); return t.scrollWidth <= t.clientWidth; }", ROOT
    )
    page.get_by_role("textbox", name="What will this print?").first.fill("no idea")
    root.get_by_role("button", name="Check").click()
    page.wait_for_function("s => document.querySelector(s + ' .ts-predict__feedback').textContent !== ''", arg=ROOT)
    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
    results = AXE.run(page, context=ROOT, options=options)
    violations = [f"{v['id']}: {n['html'][:160]}" for v in results.response["violations"] for n in v["nodes"]]
    assert not violations, f"{predict_url} (390 px, {scheme}):\n" + "\n".join(violations)
