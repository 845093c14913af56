"""The learner's pages of a track (glossary, key points, review, exercise pack) and the term
tooltips, in real Chromium: mouse, keyboard, touch, a 390 px phone, light and dark, axe's WCAG 2.2
AA rules (every axe rule on the learner's pages), no console error and no request off the site."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from support.axe import axe_in, axe_violations, heading_problems, open_page

pytestmark = pytest.mark.browser

T5L3 = "transformers-and-llms/attention-mechanism/"
NEW_PAGES = [
    f"{t}/{k}/"
    for t in ("deep-learning-survey", "transformers-and-llms")
    for k in ("glossary", "keypoints", "review", "exercises")
]
PHONE, DESKTOP = (390, 844), (1280, 800)
# a touch phone's context, shared with the other tests that ask for one (conftest.py's `site_page`)
TOUCH = {"viewport": {"width": PHONE[0], "height": PHONE[1]}, "has_touch": True, "is_mobile": True}


def _tip_shown(page, link) -> bool:
    tip = page.locator("#" + link.get_attribute("aria-describedby"))
    return tip.is_visible()


@pytest.mark.parametrize("url", NEW_PAGES)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_new_pages_pass_every_axe_rule_in_both_palettes(browser_page, url, scheme):
    """Every axe rule (a superset of WCAG 2.2 AA: its best practices, moderate and minor
    included; in the dark palette the rules that read colours, support/axe.py):
    test_accessibility_all_rules.py leaves these pages to this test, so that each is loaded and
    checked by axe once a palette. On a pack page's 10,700 highlighted code spans `color-contrast`
    measures one span of each rendering (the same colour on the same backgrounds: support/axe.py),
    which halves axe's time there; every token class in every kind of code block is measured in
    test_accessibility.py's `test_every_code_token_colour_in_both_palettes`."""
    page = open_page(browser_page, url, scheme)
    assert axe_in(page, scheme, every_rule=True) == []
    assert heading_problems(page) == []
    assert page.console_errors == [] and page.foreign_requests == []


@pytest.mark.parametrize("url", NEW_PAGES)
def test_new_pages_fit_a_phone(browser_page, url):
    browser_page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page = open_page(browser_page, url)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_term_tooltip_on_hover_focus_and_escape(browser_page, scheme):
    page = open_page(browser_page, T5L3, scheme)
    link = page.locator(".md-content a.ts-term__link").first
    assert not _tip_shown(page, link)
    link.hover()
    assert _tip_shown(page, link)
    tip = page.locator("#" + link.get_attribute("aria-describedby"))
    tip.hover()  # the tip itself can be hovered (WCAG 1.4.13), e.g. to read it at a larger zoom
    assert _tip_shown(page, link)
    # axe with the tip open on this page, in both palettes: test_accessibility.py's TIP_PAGES
    # (every axe rule, a superset of WCAG 2.2 AA), so that the lesson is not run through axe twice
    page.keyboard.press("Escape")  # dismissible without moving the pointer
    assert not _tip_shown(page, link)
    page.mouse.move(0, 0)
    link.focus()  # keyboard focus shows it too
    assert _tip_shown(page, link)
    box = tip.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= DESKTOP[0]
    page.keyboard.press("Escape")
    assert not _tip_shown(page, link)
    page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")
    assert _tip_shown(page, link)  # back on it after leaving: shown again
    assert page.console_errors == []


def test_term_tooltip_on_touch_first_tap_shows_second_follows(site_page, site_url):
    page = site_page(**TOUCH)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + T5L3, wait_until="networkidle")
    link = page.locator(".md-content a.ts-term__link").first
    link.scroll_into_view_if_needed()
    link.tap()
    assert page.url == site_url + T5L3
    assert _tip_shown(page, link)
    box = page.locator("#" + link.get_attribute("aria-describedby")).bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0] and box["y"] + box["height"] <= PHONE[1]
    page.locator("h1").first.tap()  # a tap elsewhere closes it
    assert not _tip_shown(page, link)
    link.tap()
    link.tap()
    page.wait_for_url("**/glossary/#term-*")
    assert page.locator(":target").first.get_attribute("class") == "ts-glossary__entry"
    assert errors == []


def _term_at_the_foot(page) -> tuple:
    """The first term link, scrolled to just above the bottom of the window."""
    link = page.locator(".md-content a.ts-term__link").first
    link.evaluate("a => window.scrollBy(0, a.getBoundingClientRect().top - (innerHeight - 30))")
    return link, page.locator("#" + link.get_attribute("aria-describedby"))


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "390"])
def test_a_term_near_the_bottom_opens_its_tip_on_screen_and_off_the_term(site_page, site_url, size):
    """Issue 56: near the bottom of the window a tip opened below the screen's edge (wide) or
    over its own term (a phone, where it sits at the foot): it opens above instead."""
    phone = size == PHONE
    page = site_page(**TOUCH) if phone else site_page()
    page.set_viewport_size({"width": size[0], "height": size[1]})
    page.goto(site_url + T5L3, wait_until="networkidle")
    link, tip = _term_at_the_foot(page)
    for show in ("tap", "focus") if phone else ("hover", "focus"):
        page.mouse.move(0, 0)
        getattr(link, show)()
        assert _tip_shown(page, link), show
        page.wait_for_function("t => t.getBoundingClientRect().bottom <= innerHeight", arg=tip.element_handle())
        box, term = tip.bounding_box(), link.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= size[1], (show, box)
        assert box["x"] >= 0 and box["x"] + box["width"] <= size[0], (show, box)
        assert box["y"] + box["height"] <= term["y"] + 1, f"the tip is above its term, not over it: {box} {term}"
        page.keyboard.press("Escape")
        link.evaluate("a => a.blur()")  # closed, and ready to show again


def test_glossary_links_reach_lessons_and_back(browser_page):
    page = open_page(browser_page, "transformers-and-llms/glossary/")
    entry = page.locator("#term-causal-mask")
    assert "Hides every later position" in entry.inner_text()
    entry.get_by_role("link", name="Lesson 3: Transformers and the attention mechanism").first.click()
    page.wait_for_url("**/attention-mechanism/")
    assert page.console_errors == []


def test_key_points_page_prints_every_lesson(browser_page):
    page = open_page(browser_page, "deep-learning-survey/keypoints/")
    assert page.locator("button[data-print]").is_visible()
    page.emulate_media(media="print")
    assert page.locator("section.ts-keypoints--track").count() == 10
    assert not page.locator(".ts-track-pages").is_visible()
    assert page.console_errors == []


T5L1 = "transformers-and-llms/tokens-and-embeddings/"
REVIEW = "transformers-and-llms/review/"


def test_review_schedules_the_cards_of_completed_lessons(browser_page):
    page = open_page(browser_page, REVIEW)
    status = page.locator(".ts-review__status")
    expect(status).to_contain_text("No cards yet")
    assert not page.locator(".ts-review-due-link").count()
    # complete lesson 1 on its page: "Next up" appears, the header counts its cards
    page = open_page(page, T5L1)
    cards = page.locator(".ts-cards .ts-card").count()
    assert cards >= 3
    assert not page.locator("[data-next-up]").is_visible()
    page.locator(".ts-progress__toggle").click()
    next_up = page.locator("[data-next-up]")
    expect(next_up).to_be_visible()
    expect(next_up).to_have_text("Next up: Lesson 2, Word order and positional encoding")
    expect(page.locator(".ts-review-due-link")).to_have_text(f"Review {cards} cards due")
    # the review session, by keyboard only
    page = open_page(page, REVIEW)
    expect(status).to_have_text(f"{cards} cards to review now.")
    first = page.locator(".ts-review__face").inner_text()
    page.locator(".ts-review__app button", has_text="Show answer").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".ts-review__side")).to_have_text("Answer")
    assert page.evaluate("document.activeElement.textContent") == "Knew it"
    page.keyboard.press("Enter")  # knew it: box 2, back in 2 days
    expect(status).to_have_text(f"{cards - 1} cards to review now.")
    expect(page.locator(".ts-review__side")).to_have_text("Term")
    page.keyboard.press("f")
    page.keyboard.press("a")  # again: box 1, back at the end of this session
    expect(status).to_have_text(f"{cards - 1} cards to review now.")
    state = page.evaluate("JSON.parse(localStorage.getItem(tracksite.key('tracksite:review'))).cards")
    boxes = sorted(v["box"] for v in state.values())
    assert boxes == [1, 2]
    # a reload keeps the boxes: the known card is no longer due
    page = open_page(page, REVIEW)
    expect(status).to_have_text(f"{cards - 1} cards to review now.")
    assert page.locator(".ts-review__face").inner_text() != first
    badge = page.locator(".ts-track-pages .ts-review-due")
    assert badge.inner_text().startswith(str(cards - 1)) and badge.text_content() == f"{cards - 1} cards due"
    assert page.locator(".ts-nav__tool .ts-review-due").text_content() == f"{cards - 1} cards due"
    page.get_by_role("button", name="Show answer").focus()
    for _ in range(cards - 1):
        page.keyboard.press("f")
        page.keyboard.press("k")
    expect(status).to_contain_text("All caught up")
    expect(page.locator(".ts-review-due-link")).to_have_count(0)
    assert page.console_errors == [] and page.foreign_requests == []


def test_review_works_on_a_phone_in_dark(browser_page):
    browser_page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page = open_page(browser_page, T5L1, "dark")
    page.locator(".ts-progress__toggle").click()
    page = open_page(page, REVIEW, "dark")
    page.get_by_role("button", name="Show answer").click()
    page.get_by_role("button", name="Again").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    assert axe_violations(page) == []


# -- course map and "Continue" ------------------------------------------------------------------
def test_course_map_shows_progress_and_home_offers_continue(browser_page):
    page = open_page(browser_page, "")
    nodes = page.locator(".ts-map__svg a.ts-map__node")
    assert nodes.count() == 17
    assert not page.locator("[data-continue-track]").first.is_visible()  # no progress yet
    page.evaluate("""localStorage.setItem(tracksite.key('tracksite:progress'), JSON.stringify({
        'deep-learning-survey/deep-learning-era': true, 'deep-learning-survey/recurrence-and-its-limits': true}))""")
    page = open_page(page, "")
    states = page.evaluate("""Object.fromEntries([...document.querySelectorAll('.ts-map__svg a.ts-map__node')]
        .map(a => [a.dataset.lesson, a.dataset.state]))""")
    assert states["deep-learning-survey/deep-learning-era"] == "done"
    assert states["deep-learning-survey/attention-and-transformers"] == "ready"  # its prerequisite, lesson 2, is done
    assert "not-yet" in states.values()
    done = page.locator(".ts-map__svg a[data-lesson='deep-learning-survey/deep-learning-era']")
    assert done.get_attribute("aria-label") == "1. The deep learning era (done)"  # the box's text, then its state
    assert done.locator(".ts-map__tick").is_visible()
    item = page.locator("li[data-map-lesson='deep-learning-survey/deep-learning-era']")
    assert item.inner_text().endswith("\u2014 done")
    cont = page.locator("[data-continue-track='deep-learning-survey'] a")
    assert cont.is_visible() and cont.inner_text() == "Continue: Lesson 3, Attention and transformers, in brief"
    assert not page.locator("[data-continue-track='transformers-and-llms']").is_visible()
    cont.click()
    page.wait_for_url("**/deep-learning-survey/attention-and-transformers/")
    assert page.console_errors == [] and page.foreign_requests == []


@pytest.mark.parametrize(
    "done,expected",
    [
        # where the learner left off: after the last lesson done, as "Next up" said, not back at Lesson 1
        ([3], "Continue: Lesson 4, Convolutions: how networks see"),
        ([1, 3, 4], "Continue: Lesson 5, Beyond classification: detection, segmentation and vision transformers"),
        # every later lesson done: back to the one skipped
        ([1, 3, 4, 5, 6, 7, 8, 9, 10], "Continue: Lesson 2, Recurrence and its limits"),
        (list(range(1, 11)), "Track complete: review its cards"),
    ],
)
def test_continue_picks_up_after_the_last_lesson_done(browser_page, done, expected):
    slugs = [
        "deep-learning-era",
        "recurrence-and-its-limits",
        "attention-and-transformers",
        "convolutions",
        "beyond-classification",
        "autoencoders-and-vaes",
        "gans-and-diffusion",
        "reinforcement-learning",
        "language-models-at-scale",
        "limits-and-frontiers",
    ]
    page = open_page(browser_page, "")
    progress = {f"deep-learning-survey/{slugs[n - 1]}": True for n in done}
    page.evaluate(f"localStorage.setItem(tracksite.key('tracksite:progress'), JSON.stringify({json.dumps(progress)}))")
    for url in ("", "deep-learning-survey/"):
        page = open_page(page, url)
        cont = page.locator("[data-continue-track='deep-learning-survey'] a")
        assert cont.is_visible() and cont.inner_text() == expected, url
        if expected.startswith("Track complete"):
            assert cont.get_attribute("href").endswith("review/"), url


def test_track_map_by_keyboard_on_a_phone(browser_page):
    browser_page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page = open_page(browser_page, "transformers-and-llms/", "dark")
    svg_nodes = page.locator(".ts-map__svg a.ts-map__node")
    own = page.locator(".ts-map__svg a.ts-map__node:not(.ts-map__node--other)")
    assert own.count() == 7 and svg_nodes.count() > 7  # Track 4 lessons linked to this track sit beside it
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]  # the map scrolls in its box
    # the colour rules on the page as loaded, before the keyboard moves (not a second load for axe):
    # the rest ran on this page at 390 px in light (test_accessibility.py)
    assert axe_in(page, "dark") == []
    page.locator(".ts-map__svg a.ts-map__node").first.focus()
    assert page.evaluate("document.activeElement.dataset.lesson") == "transformers-and-llms/tokens-and-embeddings"
    page.keyboard.press("Enter")
    page.wait_for_url("**/transformers-and-llms/tokens-and-embeddings/")


def test_due_cards_show_on_home_and_in_the_header_everywhere(browser_page):
    page = open_page(browser_page, T5L1)
    cards = page.locator(".ts-cards .ts-card").count()
    page.locator(".ts-progress__toggle").click()
    for url in ("", "deep-learning-survey/", T5L1):
        page = open_page(page, url)
        header = page.locator(".ts-review-due-link")
        assert header.text_content() == f"Review {cards} cards due", url
    page = open_page(page, "")
    card = page.locator("[data-widget=progress-home][data-track='transformers-and-llms']")
    assert card.locator(".ts-review-due").text_content() == f"{cards} cards due"
    assert card.locator(".ts-review-due").is_visible()
    assert not page.locator(
        "[data-widget=progress-home][data-track='deep-learning-survey'] .ts-review-due"
    ).is_visible()
    page.locator(".ts-review-due-link").click()
    page.wait_for_url("**/transformers-and-llms/review/")
    assert axe_violations(page) == []
    assert page.console_errors == []


def test_without_storage_a_completed_lesson_still_says_next_up(browser_page, site_url):
    """A browser that refuses to store (a private window's quota of zero) keeps progress in memory:
    the mark the lesson's button stores (progress.js) is the one "Next up" and the review badge
    read (learner.js)."""
    page = browser_page
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    page.add_init_script(
        "Storage.prototype.setItem = function () { throw new DOMException('full', 'QuotaExceededError'); };"
    )
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(site_url + "deep-learning-survey/attention-and-transformers/", wait_until="networkidle")
    page.get_by_role("button", name="Mark lesson complete").click()
    expect(page.locator("[data-next-up]")).to_be_visible()
    expect(page.locator("[data-next-up]")).to_contain_text("Next up: Lesson 4")
    expect(page.locator(".md-header .ts-review-due-link")).to_be_visible()  # its cards are due now
    assert errors == []


def _display(page, selector: str) -> list[str]:
    return page.eval_on_selector_all(selector, "els => els.map(e => getComputedStyle(e).display)")


def test_review_shows_again_and_knew_it_only_with_the_answer(browser_page):
    """Issue 56: "Again" and "Knew it" carry `hidden` before the answer shows, and a button's
    display rule (.ts-btn) drew them anyway, as buttons that did nothing."""
    page = open_page(browser_page, T5L1)
    page.locator(".ts-progress__toggle").click()
    page = open_page(page, REVIEW)
    again = ".ts-review__buttons button:text-is('Again')"
    knew = ".ts-review__buttons button:text-is('Knew it')"
    expect(page.locator(".ts-review__buttons button", has_text="Show answer")).to_be_visible()
    assert page.eval_on_selector_all(f"{again}, {knew}", "els => els.map(e => e.hidden)") == [True, True]
    assert _display(page, f"{again}, {knew}") == ["none", "none"]
    expect(page.locator(again)).to_be_hidden()
    page.get_by_role("button", name="Show answer").click()
    assert "none" not in _display(page, f"{again}, {knew}")
    assert _display(page, ".ts-review__buttons button:text-is('Show answer')") == ["none"]


def test_home_main_button_continues_where_the_track_card_does(browser_page):
    """Issue 56: the home page's main button said "Start with Track 4, Lesson 1" whatever the
    progress, while the track's card said "Continue"; both now read the same progress."""
    page = open_page(browser_page, "")
    main = page.locator("section.ts-start a.md-button--primary")
    assert main.inner_text() == "Start with Track 4, Lesson 1: The deep learning era"
    page.evaluate(
        "localStorage.setItem(tracksite.key('tracksite:progress'),"
        " JSON.stringify({'deep-learning-survey/deep-learning-era': true}))"
    )
    page = open_page(page, "")
    card = page.locator("[data-continue-track='deep-learning-survey'] a")
    assert main.inner_text() == "Continue: Lesson 2, Recurrence and its limits" == card.inner_text()
    assert main.get_attribute("href") == card.get_attribute("href")
    main.click()
    page.wait_for_url("**/deep-learning-survey/recurrence-and-its-limits/")
    assert page.console_errors == [] and page.foreign_requests == []
