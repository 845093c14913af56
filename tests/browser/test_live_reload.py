"""Live reload in Chromium under `mkdocs serve`, with the site's strict CSP in force.

MkDocs' own reload script is inline and the policy blocks it; these tests open a served page,
save a source file and watch the page change, and check that no script was blocked. A saved
lesson is swapped into the open page in place (no navigation: a mark left on `window` stays, so
do the scroll position and the widgets' working); what the swap cannot carry (another script
or style sheet, the problems page) reloads the page whole.
"""

from __future__ import annotations

import contextlib
import time

from support.course import PRIME_AND_EVEN_QUIZ, lesson_md
from support.serving import serving, wait_for

COLLECT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
}, true);
"""


def open_watched(chromium, url: str):
    """A page at `url` whose CSP violations are collected, once its reload poll is running."""
    context = chromium.new_context()
    page = context.new_page()
    page.add_init_script(COLLECT)
    page.csp_console = []
    page.on("console", lambda m: page.csp_console.append(m.text) if "Content Security Policy" in m.text else None)
    with page.expect_request(lambda r: "/livereload/" in r.url, timeout=10_000):
        page.goto(url)
    return context, page


def save_and_expect_text(page, path, text: str, shown: str, timeout: float = 60) -> None:
    """Write `text` to `path` and wait until the open page shows `shown`, however it got there."""
    path.write_text(text)
    # A save that needs another script reloads the page: between the old document and the new one
    # there is a moment with no body, so the predicate must not read it then.
    page.wait_for_function("s => document.body?.innerText.includes(s)", arg=shown, timeout=timeout * 1000)


def collect_errors(page) -> list[str]:
    """The page's console errors and uncaught exceptions, collected from now on."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


def save_and_expect_reload(page, path, text: str, timeout: float = 60) -> float:
    """Write `text` to `path` and return the seconds until the open page navigated."""
    start = time.monotonic()
    with page.expect_event("framenavigated", timeout=timeout * 1000):
        path.write_text(text)
    page.wait_for_load_state("load")
    return time.monotonic() - start


def violations(page) -> list[str]:
    return page.evaluate("window.__cspViolations || []") + page.csp_console


@contextlib.contextmanager
def lesson_open(chromium, course, shown: str = "First lesson"):
    """`mkdocs serve` of `course`, its first lesson open (once it shows `shown`) in a page whose
    CSP violations, console errors and uncaught exceptions are collected: (base, page, errors)."""
    with serving(course) as (base, _):
        wait_for(base + "alpha/a1/", shown)
        context, page = open_watched(chromium, base + "alpha/a1/")
        errors = collect_errors(page)
        try:
            yield base, page, errors
        finally:
            context.close()


def test_saving_a_lesson_shows_it_on_the_open_page(chromium, course):
    with lesson_open(chromium, course) as (base, page, errors):
        assert violations(page) == []
        lesson = course / "lessons/alpha/a1/lesson.md"
        # How fast a save shows is the benchmark's row (tracksite bench); here: every save does.
        text = lesson.read_text().replace("title: First lesson", "title: First lesson, saved")
        save_and_expect_text(page, lesson, text, "First lesson, saved")
        assert "First lesson, saved" in page.locator("h1").first.inner_text()
        text = text.replace("First lesson, saved", "First lesson, saved twice")
        save_and_expect_text(page, lesson, text, "First lesson, saved twice")
        assert "First lesson, saved twice" in page.locator("h1").first.inner_text()
        assert violations(page) == []


#: a lesson long enough to scroll, with a quiz, for the in-place update after a save
SWAP_BODY = (
    "## Introduction\n\n"
    + "Words to read before the quiz. " * 150
    + "\n\n"
    + PRIME_AND_EVEN_QUIZ
    + "\n## Details\n\n"
    + "More words after the quiz. " * 300
    + "\n"
)


def test_a_saved_lesson_is_updated_in_place(chromium, course):
    """No navigation (a mark on `window` stays), the reader's place kept, the new sentence, the
    new heading in the table of contents and the new title shown, and the quiz still answers."""
    lesson = course / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson_md("First lesson", body=SWAP_BODY))
    with lesson_open(chromium, course, "More words after the quiz") as (base, page, errors):
        page.wait_for_selector("[data-widget=quiz][data-ts-ready]")
        page.evaluate("window.__marker = 1; window.scrollTo(0, 900)")
        page.wait_for_function("() => window.scrollY > 0")
        at = page.evaluate("window.scrollY")
        saved = lesson_md(
            "First lesson, swapped",
            body=SWAP_BODY.replace("## Details", "A sentence the save added.\n\n## Details")
            + "\n## Added by the save\n\nThe end.\n",
        )
        save_and_expect_text(page, lesson, saved, "A sentence the save added.")
        assert page.evaluate("window.__marker") == 1, "the page was reloaded, not updated in place"
        assert page.evaluate("window.scrollY") == at
        assert page.title().startswith("First lesson, swapped")
        assert "First lesson, swapped" in page.locator("h1").first.inner_text()
        toc = page.locator(".md-sidebar--secondary .md-nav__link")
        assert "Added by the save" in toc.all_inner_texts()
        quiz = page.locator("[data-widget=quiz]").first
        question = quiz.locator(".ts-quiz__question").first
        question.locator('.ts-quiz__input[value="0"]').check()
        question.get_by_role("button", name="Check answer").click()
        assert question.locator(".ts-quiz__feedback").inner_text().startswith("Correct")
        assert page.locator("[data-widget=quiz][data-ts-ready]").count() == 1
        assert errors == [] and violations(page) == []


PREDICT = '/// predict\ncode: |\n  print(2 * 3)\nlanguage: python\noutput: "6"\nexplain: Two threes make six.\n///\n'


def test_a_save_that_needs_another_script_reloads_the_page(chromium, course):
    """A predict block's own script and style sheet come with the save: the swap could not run
    them, so the page is reloaded whole, and the new widget works."""
    with lesson_open(chromium, course) as (base, page, errors):
        page.evaluate("window.__marker = 1")
        lesson = course / "lessons/alpha/a1/lesson.md"
        saved = lesson_md("First lesson", body="## Predict\n\nWhat does it print?\n\n" + PREDICT)
        save_and_expect_text(page, lesson, saved, "What does it print?")
        page.wait_for_load_state("load")
        assert page.evaluate("window.__marker") is None, "the page was not reloaded"
        assert page.locator("script[src$='assets/tracksite/predict.js']").count() == 1
        page.wait_for_selector(".ts-predict__input")
        page.locator(".ts-predict__input").fill("6")
        page.get_by_role("button", name="Check").click()
        assert page.locator("[data-widget=predict].is-right").count() == 1
        assert errors == [] and violations(page) == []


def test_the_problems_page_reloads_on_save(chromium, course):
    with lesson_open(chromium, course) as (base, page, errors):
        lesson = course / "lessons/alpha/a1/lesson.md"
        good = lesson.read_text()
        save_and_expect_reload(page, lesson, good.replace("difficulty: standard", "difficulty: hard"))
        assert "The course has problems" in page.locator("h1").first.inner_text()
        assert page.url == base + "alpha/a1/", "the problems show at the page being edited"
        save_and_expect_reload(page, lesson, good)
        assert "First lesson" in page.locator("h1").first.inner_text()
        assert violations(page) == []


RUNNABLE = "## Practice\n\nIntro to the exercise.\n\n/// runnable | Hello\ncode: |\n  print('hello')\n///\n"


def test_a_runnable_keeps_the_learners_code_across_an_update_in_place(chromium, course):
    """The exercise's new editor, started on the swapped page, shows the code the learner typed
    (kept in the browser's storage), as after a reload."""
    lesson = course / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson_md("First lesson", body=RUNNABLE))
    with lesson_open(chromium, course, "Intro to the exercise") as (base, page, errors):
        block = page.locator(".ts-run").first
        block.hover()  # intent: runnable.js loads (issue 83)
        block.get_by_role("textbox").click()
        page.keyboard.press("Control+End")
        page.keyboard.type("\nprint('mine')")
        page.wait_for_function("() => Object.values(localStorage).some(v => v.includes(\"print('mine')\"))")
        page.evaluate("window.__marker = 1")
        saved = lesson_md("First lesson", body=RUNNABLE.replace("Intro to the exercise.", "Intro, saved again."))
        save_and_expect_text(page, lesson, saved, "Intro, saved again.")
        assert page.evaluate("window.__marker") == 1, "the page was reloaded, not updated in place"
        block = page.locator(".ts-run").first
        block.hover()  # intent: runnable.js loads (issue 83)
        block.locator(".cm-editor").wait_for()
        assert block.locator(".ts-run__print").text_content() == "print('hello')\nprint('mine')"
        assert page.locator(".ts-run").count() == 1
        assert errors == [] and violations(page) == []


NOSCRIPT = '<noscript><p id="ts-noscript-p">Read without JavaScript.</p><img id="ts-noscript-img" src="x.png" alt=""></noscript>'


def test_a_save_with_a_noscript_reloads_rather_than_make_its_content_live(chromium, course):
    """Issue 81 (LR1): the in-place update parsed the saved page with DOMParser, which reads with
    scripting off, so a `<noscript>`'s content went into the open page as live elements (a
    `<meta http-equiv=refresh>` there sent the reader away, an `<img>` loaded); a reload, with
    scripting on, reads it as text. Now such a page is reloaded: the content stays text."""
    with lesson_open(chromium, course) as (base, page, errors):
        page.evaluate("window.__marker = 1")
        lesson = course / "lessons/alpha/a1/lesson.md"
        saved = lesson_md("First lesson", body=f"## Notes\n\nSaved with a noscript.\n\n{NOSCRIPT}\n\nThe end.\n")
        save_and_expect_text(page, lesson, saved, "Saved with a noscript.")
        page.wait_for_load_state("load")
        held = page.evaluate(
            "() => Array.from(document.querySelectorAll('noscript'), (n) => [n.children.length, n.textContent])"
        )
        assert held and all(children == 0 and "ts-noscript-p" in text for children, text in held), held
        live = "document.getElementById('ts-noscript-p') || document.getElementById('ts-noscript-img')"
        assert page.evaluate(live) is None
        assert page.evaluate("window.__marker") is None, "the page was updated in place, not reloaded"
        assert violations(page) == []
