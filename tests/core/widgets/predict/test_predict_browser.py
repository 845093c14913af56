"""`/// predict` in real Chromium, on the bundled course as built by `mkdocs build`: answered with
the keyboard alone (a wrong answer, then the right one), read without JavaScript, printed, and
checked by axe at 390 px in the light and the dark palette.

The page is found by the widget it holds (transformers-and-llms/tokens-and-embeddings today).
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from support.axe import AXE, WCAG_22_AA
from support.widget_pages import open_widgets, pages_with

pytestmark = pytest.mark.browser

ROOT = "[data-widget=predict]"


@pytest.fixture(scope="module")
def predict_url(built_site) -> str:
    pages = pages_with(built_site, "predict")
    assert pages, "no page of the built site has a predict block"
    return pages[0]


@pytest.fixture(scope="module")
def list_url(built_site) -> str:
    """A page whose predict output prints a list or a tuple (the tokens lesson's today)."""
    for url in pages_with(built_site, "predict"):
        html = (built_site / url / "index.html").read_text(encoding="utf-8")
        outputs = BeautifulSoup(html, "html.parser").select(".ts-predict__output")
        if outputs and any(c in outputs[0].get_text() for c in "[("):
            return url
    raise AssertionError("no predict block of the built site prints a list or a tuple first")


def _expected(root) -> str:
    return root.locator(".ts-predict__output").text_content()


def _widget(browser_page, url):
    """The page and its first predict block's root, disclosure, feedback line and text box."""
    page = open_widgets(browser_page, url)
    root = page.locator(ROOT).first
    box = page.get_by_role("textbox", name="What will this print?").first
    return page, root, root.locator("details.ts-predict__answer"), root.locator(".ts-predict__feedback"), box


def _answer(page, root, text: str) -> str:
    """Type `text`, press Check and return the verdict (the feedback line is emptied first)."""
    feedback = root.locator(".ts-predict__feedback")
    page.get_by_role("textbox", name="What will this print?").first.fill(text)
    page.evaluate("el => { el.textContent = ''; }", feedback.element_handle())
    root.get_by_role("button", name="Check").click()
    page.wait_for_function("el => el.textContent !== ''", arg=feedback.element_handle())
    return feedback.inner_text()


def test_a_wrong_then_a_right_answer_by_keyboard(browser_page, predict_url):
    page, root, answer, feedback, box = _widget(browser_page, predict_url)
    assert answer.get_attribute("open") is None, "the output stays hidden until the learner answers"
    assert feedback.get_attribute("aria-live") == "polite"

    box.focus()
    page.keyboard.type("[6, 3, 4]")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Check"
    page.keyboard.press("Enter")
    page.wait_for_function("el => el.textContent !== ''", arg=feedback.element_handle())
    assert feedback.inner_text().startswith("Not quite: have another try")
    assert answer.get_attribute("open") is None, "one miss leaves a second try before the output shows"
    assert "is-wrong" in root.get_attribute("class")

    box.focus()
    page.keyboard.press("Control+A")
    lines = _expected(root).split("\n")
    page.keyboard.type("\n" + "  \n".join(lines) + "\n")  # surrounding blank lines and trailing spaces
    page.keyboard.press("Control+Enter")
    page.wait_for_function("el => el.textContent === 'Matches'", arg=feedback.element_handle())
    assert "is-right" in root.get_attribute("class")
    assert answer.get_attribute("open") is not None
    assert root.locator(".ts-predict__explain").is_visible()
    assert page.console_errors == []


def test_two_misses_reveal_the_output(browser_page, predict_url):
    page, root, answer, _, _ = _widget(browser_page, predict_url)
    assert _answer(page, root, "[6, 3, 4]").startswith("Not quite: have another try")
    assert answer.get_attribute("open") is None
    assert _answer(page, root, "[6, 3, 4, 7]") == "Not quite: here is what it prints"
    assert answer.get_attribute("open") is not None


def _respaced(expected: str, how: str) -> str:
    if how == "no-spaces":
        return re.sub(r" *([,()\[\]]) *", r"\1", expected)
    if how == "spaces-inside-brackets":
        return re.sub(r" *([,()\[\]]) *", r" \1  ", expected)
    return "  " + expected.replace("\n", "\r\n\r\n") + "  "


@pytest.mark.parametrize("how", ["no-spaces", "spaces-inside-brackets", "crlf-blank-lines"])
def test_spacing_around_brackets_and_commas_is_forgiven(browser_page, list_url, how):
    """`[6,3,4,7]` is the list Python prints as `[6, 3, 4, 7]`: the exercise asks what the code
    prints, not how the learner spaces it (a learner review marked it "Not quite")."""
    page, root, _, _, _ = _widget(browser_page, list_url)
    expected = _expected(root).strip()
    typed = _respaced(expected, how)
    assert typed != expected and any(c in expected for c in ",([")
    assert _answer(page, root, typed) == "Matches", repr(typed)


def test_different_words_or_numbers_still_differ(browser_page, list_url):
    page, root, _, _, _ = _widget(browser_page, list_url)
    assert _answer(page, root, _expected(root).replace("3", "33")) != "Matches"


def test_without_javascript_the_output_waits_in_a_closed_disclosure(site_page, site_url, predict_url):
    page = site_page(java_script_enabled=False)
    page.goto(site_url + predict_url)
    root = page.locator(ROOT).first
    assert root.locator("textarea").count() == 0
    summary = root.locator("details.ts-predict__answer > summary")
    assert summary.inner_text() == "Show the output"
    assert not root.locator(".ts-predict__output").is_visible()
    summary.click()
    assert root.locator(".ts-predict__output").is_visible()


def test_a_printout_shows_the_code_but_not_the_answer(browser_page, predict_url):
    page = open_widgets(browser_page, predict_url)
    page.emulate_media(media="print")
    root = page.locator(ROOT).first
    assert root.locator(".ts-predict__code").is_visible()
    assert root.locator(".ts-predict__question").is_visible()
    assert root.locator(".ts-predict__answer").is_hidden()
    assert root.locator(".ts-predict__app").is_hidden()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_it_fits_a_phone_and_passes_axe(browser_page, predict_url, scheme):
    browser_page.set_viewport_size({"width": 390, "height": 844})
    page = open_widgets(browser_page, predict_url, scheme="slate" if scheme == "dark" else "default")
    root = page.locator(ROOT).first
    root.scroll_into_view_if_needed()
    box = root.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= 390
    assert page.evaluate(
        "s => { const t = document.querySelector(s + ' textarea'); return t.scrollWidth <= t.clientWidth; }", ROOT
    )
    page.get_by_role("textbox", name="What will this print?").first.fill("no idea")
    root.get_by_role("button", name="Check").click()
    page.wait_for_function(
        "s => (document.querySelector(s + ' .ts-predict__feedback')?.textContent || '') !== ''", arg=ROOT
    )
    options = {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": ["violations"]}
    results = AXE.run(page, context=ROOT, options=options)
    violations = [f"{v['id']}: {n['html'][:160]}" for v in results.response["violations"] for n in v["nodes"]]
    assert not violations, f"{predict_url} (390 px, {scheme}):\n" + "\n".join(violations)
