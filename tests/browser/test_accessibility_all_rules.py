"""axe-core with every rule it has (WCAG at every level and its best practices, moderate and
minor included) on pages in states test_accessibility.py does not open: the home page with a
lesson done (light), and the track page with its downloads and a lesson done (both palettes).
test_accessibility.py runs every rule on the home, track, lesson, overview, cheatsheet and 404
pages (the 404 page on the load its code-token test uses), and holds the checks axe leaves out;
test_learner_pages.py runs every rule on the learner's pages of both tracks (glossary, key points,
review, exercise pack), so that no page is loaded and checked twice in one palette."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.axe import SCHEMES, axe_violations, open_page
from support.pdfs import published_bundled

pytestmark = pytest.mark.browser

#: a lesson of track 5 marked done, as the lesson's button stores it
DONE_JS = (
    "localStorage.setItem(tracksite.key('tracksite:progress'),"
    " JSON.stringify({'transformers-and-llms/tokens-and-embeddings': true}))"
)


def test_every_axe_rule_with_progress(browser_page):
    """With lessons marked done, the map's nodes carry their state in their names (the track
    page's map is checked so below, with its downloads)."""
    page = browser_page
    page.goto(page.base_url, wait_until="load")
    page.evaluate(DONE_JS)
    page = open_page(page, "")
    violations = axe_violations(page, every_rule=True)
    assert not violations, "home:\n" + "\n".join(violations)


@pytest.fixture(scope="module")
def published_site(tmp_path_factory) -> Path:
    """The bundled course as `tracksite pdf --publish` leaves it: PDFs in the site, and on each
    track page the list that links them (a plain build has no such list). Published once a run
    for this test and the PDF tests that read its PDFs (tests/commands/test_pdf.py)."""
    return published_bundled(tmp_path_factory)


def test_every_axe_rule_on_a_track_page_with_its_downloads(chromium, serve_site, published_site):
    """Both palettes in one test: `tracksite pdf --publish` takes half a minute. The track page with
    its downloads and a lesson done holds all the plain track page holds: test_accessibility.py
    leaves its axe pass to this one."""
    base_url = serve_site(published_site)
    for scheme in SCHEMES:
        context = chromium.new_context()
        try:
            page = context.new_page()
            page.base_url = base_url
            # the scheme before the first load: Material keeps the palette a load shows and shows
            # it again on the next (the dark pass checked the light palette twice)
            page.emulate_media(color_scheme=scheme)
            page.goto(base_url, wait_until="load")
            page.evaluate(DONE_JS)  # a lesson done: the map's nodes say so in their names
            page = open_page(page, "transformers-and-llms/", scheme)
            assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == SCHEMES[scheme]
            assert page.locator("section.ts-downloads a[href$='.pdf']").count() == 2
            assert page.locator(".ts-map__node[data-state=done]").count() >= 1  # the map shows the progress
            violations = axe_violations(page, every_rule=True)
            assert not violations, f"track page with downloads ({scheme}):\n" + "\n".join(violations)
        finally:
            context.close()
