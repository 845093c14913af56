"""The learning widgets together in real Chromium, on the bundled course as built by `mkdocs build`:
lesson progress, storage full or blocked, the page without script, and axe in both palettes. Each
widget's own browser tests are in its home, tests/core/widgets/<home>/.

Pages are found by the widgets they hold, so the tests follow the content: the heatmap and the
worked example live in transformers-and-llms/attention-mechanism today. Each test gets a fresh
page with empty storage from the `browser_page` fixture in tests/conftest.py.
"""

from __future__ import annotations

import json

import pytest

from support.waits import settled
from support.widget_pages import MULTI_QUIZ, live_text, open_widgets

pytestmark = pytest.mark.browser


# -- progress -----------------------------------------------------------------------------------


def _track_of(lesson_url: str) -> str:
    return lesson_url.strip("/").split("/")[0]


def test_mark_complete_shows_on_track_page_after_reload(browser_page, lesson_url):
    page = open_widgets(browser_page, lesson_url)
    widget = page.locator("[data-widget=progress]")
    toggle = widget.locator(".ts-progress__toggle")
    lesson = widget.get_attribute("data-lesson")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    toggle.focus()
    page.keyboard.press("Enter")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert "Completed" in toggle.inner_text()
    assert live_text(page, widget.locator(".ts-progress__status")) == "Lesson marked complete."
    assert json.loads(page.evaluate("localStorage.getItem(tracksite.key('tracksite:progress'))")) == {lesson: True}

    track = _track_of(lesson_url)
    page.goto(page.base_url + track + "/")
    page.reload()
    item = page.locator(f'.ts-lessons__item[data-lesson="{lesson}"]')
    assert "is-done" in item.get_attribute("class")
    assert "completed" in item.inner_text()
    entries = page.locator(f'.ts-lessons__item[data-lesson^="{track}/"]')
    minutes = int(item.get_attribute("data-minutes"))
    total = sum(int(x.get_attribute("data-minutes")) for x in entries.all())
    summary = page.locator("[data-widget=progress-track] .ts-progress__summary")
    assert summary.inner_text() == f"1 of {entries.count()} lessons \u00b7 {minutes} of {total} minutes"
    bar = page.locator("[data-widget=progress-track] progress")
    assert bar.evaluate("b => [b.value, b.max]") == [1, entries.count()]

    page.goto(page.base_url)
    card = page.locator(f'[data-widget=progress-home][data-track="{track}"]')
    assert card.locator(".ts-progress__summary").inner_text().startswith("1 of ")
    assert card.locator("progress").is_visible()

    # reset needs a second press
    page.goto(page.base_url + track + "/")
    reset = page.locator("[data-progress-reset]")
    reset.click()
    assert "is-done" in item.get_attribute("class")
    assert "again" in live_text(page, page.locator("[data-widget=progress-track] > .ts-sr"))
    reset.click()
    assert "is-done" not in item.get_attribute("class")
    assert page.locator("li.is-done").count() == 0, "the sidebar entry is cleared too"
    assert summary.inner_text().startswith(f"0 of {entries.count()} lessons")
    page.goto(page.base_url + lesson_url)
    assert page.locator(".ts-progress__toggle").get_attribute("aria-pressed") == "false"
    assert not page.console_errors


SCRIPT_ERRORS = """
window.__scriptErrors = [];
window.addEventListener('error', e => window.__scriptErrors.push((e.filename || '') + ': ' + e.message));
window.addEventListener('unhandledrejection', e => window.__scriptErrors.push('promise: ' + e.reason));
"""


def _use_widgets_without_saving(page, lesson_url):
    open_widgets(page, lesson_url)
    toggle = page.locator(".ts-progress__toggle")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    quiz = page.locator(MULTI_QUIZ).first
    quiz.locator(".ts-quiz__input").first.check()
    quiz.get_by_role("button", name="Check answer").first.click()
    assert quiz.locator(".ts-quiz__note").first.is_visible()
    cards = page.locator("[data-widget=flashcards]").first
    cards.get_by_role("button", name="Knew it").click()
    assert "1 known" in cards.locator(".ts-cards__count").inner_text()
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "false"


def test_widgets_work_when_storage_is_full(browser_page, lesson_url):
    """Safari's private mode: setItem throws a QuotaExceededError."""
    page = browser_page
    page.add_init_script(
        "Storage.prototype.setItem = function () {"
        " throw new DOMException('The quota has been exceeded.', 'QuotaExceededError'); };"
    )
    _use_widgets_without_saving(page, lesson_url)
    assert not page.console_errors


def test_widgets_work_when_storage_is_blocked(browser_page, lesson_url):
    """Blocked site data: even reading window.localStorage throws. (Material's own inline
    scripts then fail too; only errors from our script count here.)"""
    page = browser_page
    page.add_init_script(
        SCRIPT_ERRORS
        + (
            "Object.defineProperty(window, 'localStorage', {configurable: true, get() {"
            " throw new DOMException('The operation is insecure.', 'SecurityError'); }});"
        )
    )
    _use_widgets_without_saving(page, lesson_url)
    errors = page.evaluate("window.__scriptErrors")
    assert not [e for e in errors if "widgets.js" in e or e.startswith("promise")], errors


# -- no script: everything readable, answers behind disclosures ---------------------------------


def test_without_javascript_content_is_readable(site_page, site_url, lesson_url):
    page = site_page(java_script_enabled=False)
    page.goto(site_url + lesson_url)
    cards = page.locator("[data-widget=flashcards]").first
    assert cards.locator(".ts-card__term").first.is_visible()
    assert not cards.locator(".ts-card__answer").first.is_visible()
    cards.locator(".ts-card__more summary").first.click()
    assert cards.locator(".ts-card__answer").first.is_visible()
    quiz = page.locator(MULTI_QUIZ).first
    assert quiz.locator(".ts-quiz__legend").first.is_visible()
    assert not quiz.locator(".ts-quiz__explain").first.is_visible()
    quiz.locator(".ts-quiz__answers summary").first.click()
    assert quiz.locator(".ts-quiz__explain").first.is_visible()
    steps = page.locator("[data-widget=attention-steps] .ts-steps__step")
    assert all(s.is_visible() for s in steps.all())
    attention = page.locator("[data-widget=attention]").first
    assert attention.locator("figcaption").is_visible()
    assert attention.locator(".ts-attn__table tbody tr").count() > 1
    solution = page.locator("[data-widget=exercise] .ts-solution").first
    assert solution.evaluate("d => d.tagName") == "DETAILS" and not solution.get_attribute("open")
    assert page.locator(".ts-progress__toggle").is_hidden()


# -- accessibility ----------------------------------------------------------------------------------


def _axe(page, *include: str) -> list[str]:
    """axe's rules on the elements each selector finds (one run checks them all)."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        context={"include": [[selector] for selector in include]},
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
            "resultTypes": ["violations"],
        },
    )
    return [
        f"{v['id']}: {v['help']} at " + ", ".join(str(n["target"]) for n in v["nodes"][:3])
        for v in results.response["violations"]
    ]


@pytest.mark.parametrize("scheme", ["default", "slate"])
def test_widgets_pass_axe_in_both_palettes(browser_page, lesson_url, scheme):
    page = open_widgets(browser_page, lesson_url, scheme=scheme)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme
    page.locator("[data-widget=attention]").first.scroll_into_view_if_needed()
    page.wait_for_selector("[data-widget=attention] .ts-tok")
    # interactive states too: a flipped card, an answered question, a later step
    page.locator("[data-widget=flashcards] .ts-cards__card").first.click()
    quiz = page.locator(MULTI_QUIZ).first
    quiz.locator(".ts-quiz__input").first.check()
    quiz.get_by_role("button", name="Check answer").first.click()
    quiz.locator(".ts-quiz__question").nth(1).locator(".ts-quiz__input").last.check()
    quiz.locator(".ts-quiz__question").nth(1).get_by_role("button", name="Check answer").click()
    page.locator("[data-widget=attention-steps]").get_by_role("button", name="Next").click()
    page.locator(".ts-progress__toggle").click()
    settled(page)  # let transitions settle before colours are measured
    violations = _axe(page, "[data-widget]")
    assert not violations, "\n".join(violations)
    page.goto(page.base_url + _track_of(lesson_url) + "/")
    violations = _axe(page, "[data-widget=progress-track]", "li[data-lesson]")
    assert not violations, "\n".join(violations)
    assert not page.console_errors
