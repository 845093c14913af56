"""The built site's pages that hold a widget, and a page opened on one (in a colour scheme): the widget and LMS
browser tests."""

from __future__ import annotations

from pathlib import Path

# The lesson has short checks of one question after its sections; tests that walk through
# several questions use the first quiz that has at least three.
MULTI_QUIZ = "[data-widget=quiz]:has(.ts-quiz__question ~ .ts-quiz__question ~ .ts-quiz__question)"


def pages_with(site: Path, widget: str) -> list[str]:
    marker = f'data-widget="{widget}"'
    return [
        p.parent.relative_to(site).as_posix() + "/"
        for p in sorted(site.rglob("index.html"))
        if marker in p.read_text(encoding="utf-8")
    ]


def open_widgets(page, url: str, *, scheme: str | None = None):
    if scheme:
        page.emulate_media(color_scheme="dark" if scheme == "slate" else "light")
    page.goto(page.base_url + url)
    page.wait_for_load_state("load")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-widget]:not([data-ts-ready])').length"
        " === document.querySelectorAll('[data-widget=exercise], [data-widget=runnable]:not([data-ts-ready])').length"
    )
    return page


def explanations(question) -> tuple[list[bool], list[str]]:
    """Whether each option is right, and its explanation, in source order (data-option)."""
    rows = sorted(
        question.locator(".ts-quiz__explanation").evaluate_all(
            "xs => xs.map(x => [Number(x.dataset.option), x.dataset.correct === 'true',"
            " x.querySelector('.ts-quiz__explain').textContent])"
        )
    )
    return [r[1] for r in rows], [r[2] for r in rows]


WIDGETS = ("exercise", "flashcards", "quiz", "attention", "attention-steps")


def live_text(page, locator) -> str:
    """The text of a live region once its (deliberately delayed) update has landed."""
    page.wait_for_timeout(80)
    return locator.inner_text()
