"""`/// quiz` in real Chromium, on the bundled course as built by `mkdocs build`: a wrong pick
explains that option only, then the score and the reset. The page is the lesson with every widget
(the `lesson_url` fixture of tests/conftest.py).
"""

from __future__ import annotations

import pytest

from support.widget_pages import MULTI_QUIZ, explanations, live_text, open_widgets

pytestmark = pytest.mark.browser


def _option(question, i: int):
    """Option i in the instructor's (source) order: the page shows them shuffled per learner."""
    return question.locator(f'.ts-quiz__input[value="{i}"]')


def test_quiz_wrong_pick_explains_that_option_only_score_and_reset(browser_page, lesson_url):
    """Issue 56: one wrong pick showed every option's explanation, the right one's included,
    before a retry; now only the pick's, and a right answer shows them all."""
    page = open_widgets(browser_page, lesson_url)
    root = page.locator(MULTI_QUIZ).first
    questions = root.locator(".ts-quiz__question")
    total = questions.count()
    first = questions.first
    assert first.locator(".ts-quiz__answers").is_hidden()
    correct, explains = explanations(first)
    wrong = correct.index(False)

    first.get_by_role("button", name="Check answer").click()
    assert first.locator(".ts-quiz__feedback").inner_text() == "Choose an answer first."

    _option(first, wrong).check()
    first.get_by_role("button", name="Check answer").click()
    feedback = first.locator(".ts-quiz__feedback")
    assert feedback.inner_text().startswith("Not quite")
    assert page.evaluate("document.activeElement.classList.contains('ts-quiz__feedback')")
    assert first.locator(".ts-quiz__note").count() == len(explains)
    notes = [first.locator(f"#{_option(first, i).get_attribute('id')}-note") for i in range(len(explains))]
    assert [note.is_visible() for note in notes] == [i == wrong for i in range(len(explains))]
    text = notes[wrong].inner_text()
    assert explains[wrong].strip() in text and text.startswith("\u2717 Wrong answer (your choice)")
    assert first.locator(".is-correct").count() == 0, "the right option is not given away"
    assert "why your choice is wrong" in feedback.inner_text()
    assert _option(first, wrong).is_disabled()
    score = root.locator(".ts-quiz__score")
    assert score.inner_text() == f"Score: 0 of {total} (1 of {total} answered)"
    # a retry answered right shows why each option is right or wrong; the score keeps the first try
    first.get_by_role("button", name="Try this question again").click()
    for i in (i for i, right in enumerate(correct) if right):
        _option(first, i).check()
    first.get_by_role("button", name="Check answer").click()
    assert feedback.inner_text().startswith("Correct")
    for i, note in enumerate(notes):
        assert note.is_visible() and explains[i].strip() in note.inner_text()
        assert note.inner_text().startswith("\u2713 Right answer" if correct[i] else "\u2717 Wrong answer")
    first.get_by_role("button", name="Try this question again").click()
    _option(first, wrong).check()
    first.get_by_role("button", name="Check answer").click()

    # the second question, answered right by keyboard
    second = questions.nth(1)
    right, _ = explanations(second)
    if second.get_attribute("data-multiple") == "false":
        _option(second, right.index(True)).focus()
        page.keyboard.press("Space")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert second.locator(".ts-quiz__feedback").inner_text().startswith("Correct")
        assert score.inner_text() == f"Score: 1 of {total} (2 of {total} answered)"

    page.reload()
    open_widgets(page, lesson_url)
    root = page.locator(MULTI_QUIZ).first
    assert root.locator(".ts-quiz__question").first.locator(".ts-quiz__note:visible").count() == 1
    assert _option(root.locator(".ts-quiz__question").first, wrong).is_checked()
    root.get_by_role("button", name="Reset quiz").click()
    assert root.locator(".ts-quiz__score").inner_text() == f"Score: 0 of {total} (0 of {total} answered)"
    assert root.locator(".ts-quiz__note:visible").count() == 0
    assert not _option(root.locator(".ts-quiz__question").first, wrong).is_checked()
    assert live_text(page, root.locator(".ts-quiz__footer + [aria-live]")).startswith("Quiz reset")
    assert not page.console_errors
