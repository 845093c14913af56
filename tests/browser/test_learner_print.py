"""Issue 44, the exercise pack on paper: code prints without Material's copy button (a button on
paper is noise), and each "What will this print?" leaves ruled space to write the prediction."""

from __future__ import annotations

import pytest

from support.pdfs import pdf_pages
from support.widget_pages import open_widgets, pages_with

pytestmark = pytest.mark.browser

CONTROLS = ".md-code__nav, .md-code__button, .md-clipboard"


@pytest.fixture(scope="module")
def pack_url(built_site) -> str:
    """The exercise pack that holds a predict block (Track 5's today)."""
    packs = [url for url in pages_with(built_site, "predict") if url.endswith("/exercises/")]
    assert packs, "no exercise pack of the built site has a predict block"
    return packs[0]


def test_code_prints_without_its_copy_button(browser_page, pack_url):
    page = open_widgets(browser_page, pack_url)
    assert page.locator(f".md-content :is({CONTROLS})").count() > 0, "Material adds the buttons on screen"
    page.emulate_media(media="print")
    visible = page.evaluate(
        """s => [...document.querySelectorAll('.md-content ' + s.split(', ').join(', .md-content '))]
          .filter(e => e.getClientRects().length > 0).map(e => e.outerHTML.slice(0, 80))""",
        CONTROLS,
    )
    assert visible == [], visible


def test_a_prediction_has_room_to_be_written(browser_page, pack_url):
    page = open_widgets(browser_page, pack_url)
    page.emulate_media(media="print")
    question = page.locator("[data-widget=predict] .ts-predict__question").first
    room = question.evaluate(
        """q => { const s = getComputedStyle(q, '::after');
                 return {content: s.content, display: s.display, height: parseFloat(s.height)}; }"""
    )
    line = question.evaluate("q => parseFloat(getComputedStyle(q).fontSize)")
    assert room["content"] != "none" and room["display"] == "block", room
    assert room["height"] >= 4 * line, f"room for about four lines of writing: {room}, font {line}px"
    page.emulate_media(media="screen")
    assert question.evaluate("q => getComputedStyle(q, '::after').content") in ("none", "normal"), "on paper only"


@pytest.mark.parametrize("where", ["lesson", "review"])
def test_flashcards_print_whole_without_show_answer(browser_page, built_site, where):
    """Issue 56: printed flashcards showed a "Show answer" heading on every card, no answer, and
    a card could split across two pages. On paper a card is its term and answer, kept together."""
    lessons = [u for u in pages_with(built_site, "flashcards") if u.count("/") == 2]  # track/lesson/, not a guide
    url = "transformers-and-llms/review/" if where == "review" else lessons[0]
    page = open_widgets(browser_page, url)
    page.emulate_media(media="print")
    cards = page.evaluate(
        """() => [...document.querySelectorAll('li.ts-card')].map(c => ({
          brk: getComputedStyle(c).breakInside,
          summary: c.querySelector('summary').getClientRects().length,
          answer: c.querySelector('.ts-card__answer').getClientRects().length,
          term: c.querySelector('.ts-card__term').textContent.trim(),
          text: c.querySelector('.ts-card__answer').textContent.trim(),
          math: c.querySelector('math') !== null}))"""
    )
    assert len(cards) >= 2
    assert {(c["brk"], c["summary"], c["answer"] > 0) for c in cards} == {("avoid", 0, True)}, cards[:3]
    pages = [" ".join(text.split()) for text in pdf_pages(page.pdf(format="A4"))]
    assert not any("Show answer" in text for text in pages)
    for card in cards:  # a card's term and the start and end of its answer on one page
        term, answer = " ".join(card["term"].split())[:25], " ".join(card["text"].split())
        if card["math"]:
            continue  # (a formula's letters come out of the PDF as mathematical italics)
        assert any(term in t and answer[:20] in t and answer[-15:] in t for t in pages), card
