"""Progress that travels (issue 43): on the home page a learner saves their progress to a file in
one browser and loads it in another (a fresh context: no shared storage), where the lesson shows
as done and the quiz answer is back; a file that is not a progress file changes nothing; the
reset clears it all after a second press."""

from __future__ import annotations

import json

import pytest

pytestmark = pytest.mark.browser

LESSON = "deep-learning-survey/convolutions/"


def home(page):
    page.goto(page.base_url, wait_until="load")
    page.wait_for_selector("[data-ts-travel]:not([hidden])")


def summary(page) -> str:
    return page.locator("[data-track='deep-learning-survey'] .ts-progress__summary").inner_text()


def test_progress_saved_in_one_browser_loads_in_another(chromium, browser_page, tmp_path):
    page = browser_page
    page.goto(page.base_url + LESSON, wait_until="load")
    page.locator(".ts-progress__toggle").click()
    quiz = page.locator(".ts-quiz").first
    quiz.get_by_label("It needs an enormous number of weights and ignores which pixels are neighbours.").check()
    quiz.get_by_role("button", name="Check answer").first.click()
    home(page)
    assert summary(page).startswith("1 of 10 lessons")
    with page.expect_download() as got:
        page.get_by_role("button", name="Save progress to a file").click()
    saved = tmp_path / "progress.json"
    got.value.save_as(saved)
    doc = json.loads(saved.read_text(encoding="utf-8"))
    assert doc["format"] == "tracksite-progress"
    assert doc["state"]["tracksite:progress"] == {"deep-learning-survey/convolutions": True}
    assert page.console_errors == []

    # another browser: nothing done until the file is loaded
    other = chromium.new_context()
    second = other.new_page()
    second.base_url = page.base_url
    errors: list[str] = []
    second.on("pageerror", lambda e: errors.append(str(e)))
    home(second)
    assert summary(second).startswith("0 of 10 lessons")
    bad = tmp_path / "other.json"
    bad.write_text(json.dumps({"format": "tracksite-progress", "state": {"evil": {"x": 1}}}), encoding="utf-8")
    second.locator("[data-ts-travel-load]").set_input_files(str(bad))
    second.wait_for_function("() => document.querySelector('.ts-travel__status')?.textContent.includes('Nothing')")
    assert summary(second).startswith("0 of 10 lessons")
    second.locator("[data-ts-travel-load]").set_input_files(str(saved))
    second.wait_for_function("() => document.querySelector('.ts-travel__status')?.textContent.includes('loaded')")
    assert summary(second).startswith("1 of 10 lessons")  # shown at once, without a reload
    second.goto(second.base_url + LESSON, wait_until="load")
    assert second.locator(".ts-progress__toggle").get_attribute("aria-pressed") == "true"
    assert second.locator(".ts-quiz").first.locator(".ts-quiz__feedback").first.inner_text().strip()

    # the reset asks for a second press, then clears everything
    home(second)
    reset = second.get_by_role("button", name="Reset all progress")
    reset.click()
    assert summary(second).startswith("1 of 10 lessons")
    second.get_by_role("button", name="Press again to reset all progress").click()
    assert summary(second).startswith("0 of 10 lessons")
    assert second.evaluate("() => Object.keys(localStorage).filter((k) => k.includes(':quiz:'))") == []
    assert errors == []
    other.close()
