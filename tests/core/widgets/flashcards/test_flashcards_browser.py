"""`/// flashcards` in real Chromium, on the bundled course as built by `mkdocs build`: flipped and
moved by keyboard, "Again" cards first after a reload, and the card's animation off under reduced
motion. The page is the lesson with every widget (the `lesson_url` fixture of tests/conftest.py).
"""

from __future__ import annotations

import json

import pytest

from support.widget_pages import live_text, open_widgets

pytestmark = pytest.mark.browser


def test_flashcards_flip_and_move_by_keyboard(browser_page, lesson_url):
    page = open_widgets(browser_page, lesson_url)
    root = page.locator("[data-widget=flashcards]").first
    card = root.locator(".ts-cards__card")
    count = root.locator(".ts-cards__count")
    live = root.locator(".ts-cards__app [aria-live]")
    terms = root.locator(".ts-card__term").all_inner_texts()
    answers = root.locator(".ts-card__answer").all_text_contents()
    assert root.locator(".ts-cards__list").is_hidden(), "the static list gives way to one card"
    assert count.inner_text().startswith(f"Card 1 of {len(terms)}")
    assert card.locator(".ts-cards__face").inner_text() == terms[0]

    card.focus()
    page.keyboard.press("Enter")
    assert card.locator(".ts-cards__side").inner_text().lower() == "answer"
    assert card.locator(".ts-cards__face").inner_text() == answers[0].strip()
    assert live_text(page, live) == "Answer: " + answers[0].strip()
    page.keyboard.press("Space")
    assert card.locator(".ts-cards__face").inner_text() == terms[0]

    page.keyboard.press("ArrowRight")
    assert count.inner_text().startswith(f"Card 2 of {len(terms)}")
    assert card.locator(".ts-cards__face").inner_text() == terms[1]
    assert live_text(page, live) == f"Card 2 of {len(terms)}: {terms[1]}"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")  # wraps to the last card
    assert count.inner_text().startswith(f"Card {len(terms)} of {len(terms)}")
    page.keyboard.press("ArrowRight")
    assert card.locator(".ts-cards__face").inner_text() == terms[0]
    assert page.evaluate("document.activeElement.classList.contains('ts-cards__card')")
    assert not page.console_errors


def test_flashcards_again_comes_back_first_after_reload(browser_page, lesson_url):
    page = open_widgets(browser_page, lesson_url)
    root = page.locator("[data-widget=flashcards]").first
    terms = root.locator(".ts-card__term").all_inner_texts()
    knew = root.get_by_role("button", name="Knew it")
    again = root.get_by_role("button", name="Again", exact=True)
    knew.focus()
    page.keyboard.press("Enter")  # card 1: known
    assert root.locator(".ts-cards__face").inner_text() == terms[1]
    again.click()  # card 2: again
    assert "1 known" in root.locator(".ts-cards__count").inner_text()
    assert "1 to see again" in root.locator(".ts-cards__count").inner_text()

    page.reload()
    open_widgets(page, lesson_url)
    root = page.locator("[data-widget=flashcards]").first
    assert root.locator(".ts-cards__face").inner_text() == terms[1], "the Again card leads"
    assert "this card: again" in root.locator(".ts-cards__count").inner_text()
    root.locator(".ts-cards__card").focus()
    for _ in range(len(terms) - 1):
        page.keyboard.press("ArrowRight")
    assert root.locator(".ts-cards__face").inner_text() == terms[0], "the known card comes last"
    key = root.get_attribute("data-key")
    assert key.startswith("tracksite:cards:") and lesson_url.strip("/") in key
    stored = json.loads(page.evaluate("k => localStorage.getItem(tracksite.key(k))", key))
    assert stored == {terms[0]: "known", terms[1]: "again"}
    assert not page.console_errors


def test_reduced_motion_turns_off_the_card_animation(browser_page, lesson_url):
    page = browser_page
    page.emulate_media(reduced_motion="reduce")
    open_widgets(page, lesson_url)
    card = page.locator("[data-widget=flashcards] .ts-cards__card").first
    card.click()
    assert card.evaluate("c => c.classList.contains('is-turning')")
    assert card.evaluate("c => getComputedStyle(c).animationName") == "none"
    page.emulate_media(reduced_motion="no-preference")
    card.click()
    assert card.evaluate("c => getComputedStyle(c).animationName") != "none"
