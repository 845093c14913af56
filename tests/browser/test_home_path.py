"""Issue 83: the home page's main button goes on from the learner's progress in every track of the
path it offers (it read Track 4's alone: a learner in Track 5 was sent back to Track 4's Lesson 1,
one who finished Track 4 was told to review its cards), and the first lesson's pointer to the
basics is a link."""

from __future__ import annotations

import json

import pytest

from support.axe import open_page

pytestmark = pytest.mark.browser

T4 = "deep-learning-survey/"
T5 = "transformers-and-llms/"


@pytest.mark.parametrize(
    "done,expected,href",
    [
        ([T5 + "tokens-and-embeddings"], "Continue: Track 5, Lesson 2, ", T5 + "positional-encoding/"),
        (
            [T4 + "deep-learning-era", T5 + "tokens-and-embeddings"],
            "Continue: Track 5, Lesson 2, ",
            T5 + "positional-encoding/",
        ),
        ([T4 + "limits-and-frontiers"], "Continue: Track 5, Lesson 1, ", T5 + "tokens-and-embeddings/"),
        (
            [T4 + "deep-learning-era"],
            "Continue: Lesson 2, Recurrence and its limits",
            T4 + "recurrence-and-its-limits/",
        ),
    ],
)
def test_the_home_button_goes_on_from_every_track_of_the_path(browser_page, done, expected, href):
    page = open_page(browser_page, "")
    progress = dict.fromkeys(done, True)
    page.evaluate(f"localStorage.setItem(tracksite.key('tracksite:progress'), JSON.stringify({json.dumps(progress)}))")
    page = open_page(page, "")
    main = page.locator("section.ts-start a.md-button--primary")
    assert main.inner_text().startswith(expected), main.inner_text()
    assert main.get_attribute("href").endswith(href), main.get_attribute("href")
    assert page.console_errors == []


def test_the_pointer_to_the_basics_is_a_link(built_site):
    from bs4 import BeautifulSoup

    home = BeautifulSoup((built_site / "index.html").read_text(encoding="utf-8"), "html.parser")
    needs = home.select("section.ts-start ul.ts-start__needs > li")
    basics = [li for li in needs if "basics of neural networks" in li.get_text()]
    assert basics, [li.get_text() for li in needs]
    link = basics[0].find("a", href=True)
    assert link is not None and link["href"].startswith("https://"), basics[0]
    assert "basics of neural networks" in link.get_text()
