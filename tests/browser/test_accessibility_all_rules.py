"""axe-core with every rule it has (WCAG at every level and its best practices, moderate and
minor included) on the kinds of page test_accessibility.py does not open, in the light and the
dark palette. test_accessibility.py runs every rule on the home, track, lesson, overview and
cheatsheet pages, and holds the checks axe leaves out."""

from __future__ import annotations

import pytest
from test_accessibility import SCHEMES, axe_violations, open_page

pytestmark = pytest.mark.browser

PAGES = {
    "glossary": "deep-learning-survey/glossary/",
    "keypoints": "deep-learning-survey/keypoints/",
    "review": "deep-learning-survey/review/",
    "exercises": "transformers-and-llms/exercises/",
    "404": "404.html",
}


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("name", PAGES)
def test_every_axe_rule(browser_page, name, scheme):
    page = open_page(browser_page, PAGES[name], scheme)
    violations = axe_violations(page, every_rule=True)
    assert not violations, f"{PAGES[name] or '/'} ({scheme}):\n" + "\n".join(violations)


@pytest.mark.parametrize("name", ["home", "track"])
def test_every_axe_rule_with_progress(browser_page, name):
    """With lessons marked done, the map's nodes carry their state in their names."""
    page = browser_page
    page.goto(page.base_url, wait_until="load")
    page.evaluate(
        "localStorage.setItem('tracksite:progress', JSON.stringify({'transformers-and-llms/tokens-and-embeddings': true}))"
    )
    page = open_page(page, {"home": "", "track": "transformers-and-llms/"}[name])
    violations = axe_violations(page, every_rule=True)
    assert not violations, f"{name}:\n" + "\n".join(violations)
