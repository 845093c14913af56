"""An imported Carpentries lesson read in Chromium, as a learner reads it (issue 18).

One fresh `tracksite init` project imports an excerpt of Software Carpentry's git-novice
(vendored under tests/data/carpentries/, CC BY 4.0) and the synthetic
variants lesson (R Markdown, error blocks, hints, spoilers), is built with `--strict`, and is
served. The pages are checked for what a learner needs: challenges whose solutions stay hidden
until asked for, output and error blocks that look unlike the commands typed, figures with alt
text and captions, the key points, and no CSP violation or script error.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import harness
from support.sites import build_once
from tracksite.commands.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "carpentries" / "git-novice"
VARIANTS = Path(__file__).resolve().parents[1] / "data" / "carpentries-variants"

COLLECT = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
}, true);
"""


@pytest.fixture(scope="module")
def imported_url(tmp_path_factory, serve_site) -> str:
    """The imported course's site, built once a run (build_once) and served in each worker."""
    return serve_site(build_once(tmp_path_factory, "imported", _import_and_build) / "site")


def _import_and_build(root: Path) -> None:
    course = root / "course"
    assert main(["init", str(course), "--site-name", "Imported course"]) == 0
    assert main(["--root", str(course), "import", "carpentries", str(EXAMPLE), "--track", "version-control"]) == 0
    assert main(["--root", str(course), "import", "carpentries", str(VARIANTS), "--track", "r-tests"]) == 0
    # in this process (support/harness.py), as the suite builds: a new interpreter importing
    # MkDocs and tracksite again is not what these tests are about
    harness.build(course, site=root / "site")


@pytest.fixture(scope="module")
def imported_context(chromium):
    """One browser context for the module's tests, each in a page of its own: a context for each
    test compiled the site's scripts and styles again and started a renderer, about a processor
    second a test. The tests only read their pages (a solution opened, a term hovered: nothing
    is stored)."""
    context = chromium.new_context()
    yield context
    context.close()


@pytest.fixture
def page(imported_context, imported_url):
    page = imported_context.new_page()
    page.add_init_script(COLLECT)
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.base = imported_url
    yield page
    try:
        assert page.evaluate("window.__cspViolations || []") == []
        assert page.errors == []
    finally:
        page.close()


def test_challenges_hide_their_solutions_until_asked(page):
    page.goto(page.base + "version-control/create/")
    exercises = page.locator(".ts-exercise")
    assert exercises.count() >= 2
    first = exercises.first
    solution = first.locator("details.ts-solution")
    body = solution.locator(":scope > :not(summary)").first
    assert not body.is_visible(), "the solution shows before it is asked for"
    solution.locator("summary").click()
    assert body.is_visible()


def test_output_and_error_blocks_look_unlike_the_commands(page):
    page.goto(page.base + "version-control/create/")
    labels = page.evaluate("""() => Array.from(document.querySelectorAll('article .highlight > pre'))
        .map(pre => [pre.parentElement.className.split(' ')[0],
                     getComputedStyle(pre, '::before').content,
                     getComputedStyle(pre).borderLeftColor])""")
    by_kind = {kind: (label, edge) for kind, label, edge in labels}
    assert by_kind["language-output"][0] == '"Output"'
    assert by_kind["language-bash"][0] in ("none", "normal", '""')
    assert by_kind["language-output"][1] != by_kind["language-bash"][1]
    page.goto(page.base + "r-tests/loops/")
    error = page.locator(".language-error > pre").first
    assert error.evaluate("pre => getComputedStyle(pre, '::before').content") == '"Error"'


def test_figures_keep_alt_text_and_captions(page):
    page.goto(page.base + "version-control/basics/")
    figure = page.locator("article figure").first
    assert figure.locator("figcaption").inner_text().strip()
    images = page.locator("article img")
    assert images.count() >= 3
    for i in range(images.count()):
        image = images.nth(i)
        assert (image.get_attribute("alt") or "").strip(), image.get_attribute("src")
        assert image.evaluate("img => img.complete && img.naturalWidth > 0"), image.get_attribute("src")


def test_key_points_and_credits_show(page):
    page.goto(page.base + "version-control/create/")
    keypoints = page.locator(".ts-keypoints")
    assert keypoints.is_visible() and keypoints.locator("li").count() >= 1
    assert "CC-BY 4.0" in page.locator("body").inner_text()


def test_glossary_terms_get_their_tooltip(page):
    """The reference page's glossary became the track's: a term's first use shows its definition."""
    page.goto(page.base + "version-control/create/")
    link = page.locator(".md-content a.ts-term__link").first
    assert link.count() == 1, "no glossary term is marked on the page"
    tip = page.locator("#" + link.get_attribute("aria-describedby"))
    link.hover()
    assert tip.is_visible()
    assert ":" in tip.inner_text() and len(tip.inner_text()) > 20
