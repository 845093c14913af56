"""The learning widgets in real Chromium, on the bundled course as built by `mkdocs build`.

Pages are found by the widgets they hold, so the tests follow the content: the heatmap and the
worked example live in transformers-and-llms/attention-mechanism today. Each test gets a fresh
page with empty storage from the `browser_page` fixture in tests/conftest.py.
"""

from __future__ import annotations

import html
import json
import re

import pytest

from support.waits import settled
from support.widget_pages import MULTI_QUIZ, explanations, open_widgets
from tracksite.core import messages
from tracksite.core import widgetregistry as W

pytestmark = pytest.mark.browser


def _live_text(page, locator) -> str:
    """The text of a live region once its (deliberately delayed) update has landed."""
    page.wait_for_timeout(80)
    return locator.inner_text()


# -- flashcards -------------------------------------------------------------------------------


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
    assert _live_text(page, live) == "Answer: " + answers[0].strip()
    page.keyboard.press("Space")
    assert card.locator(".ts-cards__face").inner_text() == terms[0]

    page.keyboard.press("ArrowRight")
    assert count.inner_text().startswith(f"Card 2 of {len(terms)}")
    assert card.locator(".ts-cards__face").inner_text() == terms[1]
    assert _live_text(page, live) == f"Card 2 of {len(terms)}: {terms[1]}"
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


# -- quiz ---------------------------------------------------------------------------------------


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
    assert _live_text(page, root.locator(".ts-quiz__footer + [aria-live]")).startswith("Quiz reset")
    assert not page.console_errors


# -- attention heatmap ---------------------------------------------------------------------------


def _weights(root) -> dict[str, str]:
    out = {}
    for b in root.locator(".ts-tok").all():
        out.setdefault(b.locator(".ts-tok__text").inner_text(), b.locator(".ts-tok__w").inner_text())
    return out


def test_attention_click_it_changes_the_weights(browser_page, lesson_url):
    page = open_widgets(browser_page, lesson_url)
    root = page.locator("[data-widget=attention]").first
    root.scroll_into_view_if_needed()  # the data loads when the widget comes near the viewport
    page.wait_for_selector("[data-widget=attention] .ts-tok")
    config = json.loads(root.get_attribute("data-config"))
    tokens = root.locator(".ts-tok")
    pressed = root.locator('.ts-tok[aria-pressed="true"]')
    assert pressed.count() == 1
    assert pressed.locator(".ts-tok__text").inner_text() == config["focus"]
    # the opening view agrees with the caption the build wrote
    caption = root.locator("figcaption").inner_text()
    assert f"Layer {config['layer'] + 1}, head {config['head'] + 1}" in caption
    assert root.locator(".ts-attn__select").first.input_value() == str(config["layer"])

    other = next(
        b for b in tokens.all() if b.locator(".ts-tok__text").inner_text() not in (config["focus"], "[CLS]", "[SEP]")
    )
    other.click()
    assert other.get_attribute("aria-pressed") == "true"
    before = _weights(root)
    it = root.locator(".ts-tok", has=page.locator(".ts-tok__text", has_text=re.compile(r"^it$")))
    it.first.click()
    assert it.first.get_attribute("aria-pressed") == "true"
    assert root.locator('.ts-tok[aria-pressed="true"]').count() == 1
    after = _weights(root)
    assert after != before, "the numbers follow the chosen token"
    readout = _live_text(page, root.locator(".ts-attn__readout"))
    assert "\u201cit\u201d attends most to" in readout
    total = sum(float(v) for v in after.values())
    assert abs(total - 1) < 0.05
    # the screen-reader table follows too
    table = root.locator(".ts-attn__table")
    assert "\u201cit\u201d" in table.locator("caption").inner_text()
    assert table.locator("tbody tr").count() == tokens.count()

    # keyboard: arrows move along the tokens, focus selects
    page.keyboard.press("ArrowRight")
    focused = page.evaluate("document.activeElement.querySelector('.ts-tok__text').textContent")
    assert root.locator('.ts-tok[aria-pressed="true"] .ts-tok__text').inner_text() == focused
    page.keyboard.press("ArrowLeft")
    assert it.first.get_attribute("aria-pressed") == "true"

    # another head changes the numbers; the average of heads is there
    head = root.locator(".ts-attn__select").nth(1)
    head.select_option("avg")
    assert _weights(root) != after
    assert "average of heads" in _live_text(page, root.locator(".ts-attn__readout"))

    # the minimal pair keeps the layer, head and token
    if len(config["sets"]) > 1:
        root.locator(".ts-attn__sets input").nth(1).check()
        assert root.locator('.ts-tok[aria-pressed="true"] .ts-tok__text').inner_text() == "it"
        assert head.input_value() == "avg"
    assert not page.console_errors
    assert not [u for u in page.foreign_requests if not u.startswith(page.base_url)]


# -- attention, step by step ---------------------------------------------------------------------


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
    assert _live_text(page, status).startswith(f"Step 2 of {n}")
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
    assert _live_text(page, widget.locator(".ts-progress__status")) == "Lesson marked complete."
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
    assert "again" in _live_text(page, page.locator("[data-widget=progress-track] > .ts-sr"))
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


# -- motion, accessibility ------------------------------------------------------------------------


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


# -- word pieces: a page of our own, since the bundled data has none ---------------------------

PIECES = ["[CLS]", "the", "kids", "were", "play", "##ing", "because", "it", "was", "sun", "##ny", "[SEP]"]
WORDS = [[0], [1], [2], [3], [4, 5], [6], [7], [8], [9, 10], [11]]


@pytest.fixture(scope="module")
def pieces_url(tmp_path_factory, serve_site):
    """A bare page with one attention widget over word-piece data, plus our assets."""
    import math
    import shutil

    import markdown

    from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext

    root = tmp_path_factory.mktemp("pieces")
    n = len(PIECES)
    weights = []
    for layer in range(2):
        heads = []
        for head in range(2):
            rows = []
            for q in range(n):
                logits = [math.sin(q * 1.3 + k * 0.7 + layer + head * 2) for k in range(n)]
                e = [math.exp(v) for v in logits]
                rows.append([v / sum(e) for v in e])
            heads.append(rows)
        weights.append(heads)
    data = {
        "sentence": "the kids were playing because it was sunny",
        "tokens": PIECES,
        "words": WORDS,
        "weights": weights,
        "source": "synthetic test data",
    }
    (root / "lesson").mkdir()
    (root / "lesson" / "pieces.json").write_text(json.dumps(data))
    md = markdown.Markdown(extensions=[TracksiteBlocksExtension(context=lambda: WidgetContext("t/l", root / "lesson"))])
    body = md.convert("/// attention\ndata: pieces.json\nfocus: it\n///\n")
    for asset in ("widgets.js", "attention.js", "widgets.css"):
        shutil.copy(W.asset_file(f"tracksite/{asset}"), root)
    (root / "lesson" / "index.html").write_text(
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pieces</title>'
        '<link rel="stylesheet" href="../widgets.css"><script src="../widgets.js" defer></script>'
        '<script src="../attention.js" defer></script>'
        f'</head><body><div data-messages="{html.escape(json.dumps(messages.catalogue("en").script))}"></div>'
        f'<main class="md-typeset">{body}</main></body></html>'
    )  # data-messages: the interface strings a built page carries (the search box's, core/messages.py)
    return serve_site(root) + "lesson/", data


def test_attention_merges_word_pieces(chromium, pieces_url):
    url, data = pieces_url
    page = chromium.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(url)
    root = page.locator("[data-widget=attention]")
    page.wait_for_selector(".ts-tok")
    assert root.locator(".ts-tok").count() == len(PIECES)
    merge = root.get_by_label("Merge word pieces into words")
    merge.check()
    labels = root.locator(".ts-tok__text").all_inner_texts()
    assert labels == ["[CLS]", "the", "kids", "were", "playing", "because", "it", "was", "sunny", "[SEP]"]
    assert root.locator('.ts-tok[aria-pressed="true"] .ts-tok__text').inner_text() == "it"
    # "it" is one piece: its weight on "playing" is the sum over the pieces play + ##ing
    row = data["weights"][0][0][PIECES.index("it")]
    shown = dict(zip(labels, (float(x) for x in root.locator(".ts-tok__w").all_inner_texts())))
    assert shown["playing"] == pytest.approx(row[4] + row[5], abs=0.006)
    # a two-piece query averages over its pieces
    root.locator(".ts-tok", has_text="sunny").click()
    shown = [float(x) for x in root.locator(".ts-tok__w").all_inner_texts()]
    head = data["weights"][0][0]
    expected_kids = (head[9][2] + head[10][2]) / 2
    assert shown[2] == pytest.approx(expected_kids, abs=0.006)
    assert sum(shown) == pytest.approx(1, abs=0.03)
    merge.uncheck()
    assert root.locator('.ts-tok[aria-pressed="true"] .ts-tok__text').inner_text() == "sun"
    assert not errors
    page.close()
