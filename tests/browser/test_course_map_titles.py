"""Issue 83: every box of a course map shows its lesson's whole title, clear of the box's badge and
tick and inside the box (measured in Chromium). Two lines of 24 characters cut three of Track 5's
boxes: "4. Training language / models by next-token…", "6. Using LLMs: / prompting, evaluation…",
"T4.5 Beyond / classification:…"."""

from __future__ import annotations

import pytest

from support.axe import open_page

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("url", ["", "transformers-and-llms/", "deep-learning-survey/"])
def test_no_box_title_is_cut_or_covered(browser_page, url):
    page = open_page(browser_page, url)
    page.set_viewport_size({"width": 1280, "height": 900})
    # every box as done: its tick and filled badge drawn, as a learner who finished sees them
    page.evaluate("() => { for (const n of document.querySelectorAll('.ts-map__node')) n.dataset.state = 'done'; }")
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('.ts-map__node')].map((n) => {
          const box = n.querySelector('rect').getBoundingClientRect();
          const marks = [n.querySelector('.ts-map__tick'), n.querySelector('.ts-map__badge')].map((m) => m.getBoundingClientRect());
          const lines = [...n.querySelectorAll('.ts-map__label tspan')];
          const meets = (a, b) => a.right > b.left && a.left < b.right && a.top < b.bottom && a.bottom > b.top;
          return {
            name: n.dataset.label,
            shown: lines.map((t) => t.textContent).join(' '),
            cut: lines.some((t) => t.textContent.endsWith('…')),
            covered: lines.some((t) => marks.some((m) => meets(t.getBoundingClientRect(), m))),
            outside: lines.some((t) => { const b = t.getBoundingClientRect();
              return b.left < box.left || b.right > box.right || b.top < box.top || b.bottom > box.bottom; }),
          };
        })"""
    )
    assert boxes, "the page should draw a course map"
    wrong = [b for b in boxes if b["cut"] or b["covered"] or b["outside"]]
    assert wrong == [], wrong
    # the box shows the name's start, the title whole (learner.js and WCAG 2.5.3 rely on it)
    assert all(b["name"].startswith(b["shown"]) for b in boxes if "Track " not in b["shown"]), boxes
