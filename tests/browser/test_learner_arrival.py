"""The learner's second pass, in real Chromium on the bundled course: a course map that agrees
with itself, a home page that says where to start, footers without the tool's own guides, and a
404 page that keeps its style at any address. (Its formulas that can be read on a phone are
tests/browser/test_learner_review.py's, which reads every lesson on a phone once for them and
for the figures and tables.)"""

from __future__ import annotations

import json
import re

import pytest

pytestmark = pytest.mark.browser


# -- the course map -------------------------------------------------------------------------
STATES_JS = """() => {
  const nodes = {}, items = {};
  for (const n of document.querySelectorAll('.ts-map__node[data-lesson]')) nodes[n.dataset.lesson] = n.dataset.state;
  for (const li of document.querySelectorAll('li[data-map-lesson]'))
    items[li.dataset.mapLesson] = li.querySelector('.ts-map__state').textContent;
  return [nodes, items];
}"""
WORDS = {"done": "done", "ready": "ready to start", "not-yet": "not yet"}


def map_states(page) -> tuple[dict, dict]:
    page.wait_for_function("() => document.querySelector('.ts-map__node[data-state]')")
    return page.evaluate(STATES_JS)


@pytest.mark.parametrize("url", ["", "deep-learning-survey/", "transformers-and-llms/"])
@pytest.mark.parametrize(
    "done", [[], ["deep-learning-survey/deep-learning-era", "transformers-and-llms/tokens-and-embeddings"]]
)
def test_map_boxes_and_list_agree(browser_page, url, done):
    page = browser_page
    page.goto(page.base_url, wait_until="load")
    page.evaluate(
        "(keys) => localStorage.setItem(tracksite.key('tracksite:progress'), JSON.stringify(Object.fromEntries(keys.map(k => [k, true]))))",
        done,
    )
    page.goto(page.base_url + url, wait_until="load")
    nodes, items = map_states(page)
    assert nodes and set(nodes) == set(items), (sorted(nodes), sorted(items))
    for key, state in nodes.items():
        assert WORDS[state] in items[key], f"{key}: box {state!r}, list {items[key]!r}"


def test_a_track_with_no_prerequisites_is_never_drawn_locked(browser_page):
    """Track 5 builds on Track 4's lesson 3 as a recommendation: a learner who starts there
    sees its first lesson ready, and the cross-track arrow drawn as such."""
    page = browser_page
    page.goto(page.base_url + "transformers-and-llms/", wait_until="load")
    nodes, items = map_states(page)
    assert nodes["transformers-and-llms/tokens-and-embeddings"] == "ready"
    assert page.locator(".ts-map__edge--cross-prerequisite").count() >= 1
    first = page.locator('li[data-map-lesson="transformers-and-llms/tokens-and-embeddings"]').inner_text()
    assert "recommended first, in another track: Track 4, Lesson 3" in first


EDGES_JS = """() => {
  const rects = [...document.querySelectorAll('.ts-map__svg rect')].map(r => r.getBBox());
  const out = [];
  for (const p of document.querySelectorAll('.ts-map__svg .ts-map__edge')) {
    const len = p.getTotalLength();
    for (let d = 6; d < len - 6; d += 3) {
      const pt = p.getPointAtLength(d);
      const hit = rects.find(b => pt.x > b.x + 1 && pt.x < b.x + b.width - 1 && pt.y > b.y + 1 && pt.y < b.y + b.height - 1);
      if (hit) { out.push(`${p.getAttribute('d')} passes behind the box at ${hit.x},${hit.y}`); break; }
    }
  }
  return out;
}"""


@pytest.mark.parametrize("url", ["", "deep-learning-survey/", "transformers-and-llms/"])
def test_map_arrows_never_pass_behind_a_box(browser_page, url):
    page = browser_page
    page.goto(page.base_url + url, wait_until="load")
    problems = page.evaluate(EDGES_JS)
    assert not problems, "\n".join(problems)


# -- home, footer ---------------------------------------------------------------------------
def test_home_says_where_to_start(browser_page):
    page = browser_page
    page.goto(page.base_url, wait_until="load")
    start = page.locator("section.ts-start")
    assert start.get_by_role("heading", name="Start here").is_visible()
    text = start.inner_text()
    assert "Track 4: Deep learning, a survey" in text and re.search(r"10 lessons, about \d+ minutes", text)
    assert "What you need" in text
    start.get_by_role("link", name=re.compile("^Start with Track 4, Lesson 1")).click()
    page.wait_for_url(re.compile("deep-learning-survey/deep-learning-era/"))


@pytest.mark.parametrize(
    "url",
    ["", "deep-learning-survey/", "transformers-and-llms/attention-mechanism/", "transformers-and-llms/glossary/"],
)
def test_learner_pages_do_not_link_the_tools_guides(browser_page, url):
    page = browser_page
    page.goto(page.base_url + url, wait_until="load")
    # the course map's links are SVG <a>, whose `href` is an SVGAnimatedString, not the address
    hrefs = page.evaluate(
        "() => [...document.querySelectorAll('a[href]')].map(a => new URL(a.getAttribute('href'), document.baseURI).href)"
    )
    guides = [h for h in hrefs if re.search(r"/(architecture|benchmarks|security|authoring)/", h)]
    # the home page's footer keeps the guides reachable through one link; no other learner page links them
    assert guides == ([page.base_url + "architecture/"] if url == "" else []), guides


# -- 404 ------------------------------------------------------------------------------------
@pytest.mark.parametrize("address", ["no-such-page/", "deep-learning-survey/no-such-lesson/", "a/b/c/d.html"])
def test_404_page_is_styled_at_any_address(browser_page, built_site, address):
    """A static host answers a missing address with 404.html, at that address."""
    page = browser_page
    body = (built_site / "404.html").read_bytes()

    def missing(route):
        if route.request.url == page.base_url + address:
            route.fulfill(status=404, body=body, content_type="text/html")
        else:
            route.continue_()

    page.route("**/*", missing)
    failed = []
    page.on(
        "response", lambda r: failed.append(r.url) if r.status >= 400 and r.url != page.base_url + address else None
    )
    page.goto(page.base_url + address, wait_until="load")
    assert not failed, failed
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") in ("sticky", "fixed")
    home = page.locator(".md-header__button.md-logo").get_attribute("href")
    assert home == "/", home
    assert json.loads(page.evaluate("JSON.stringify(document.styleSheets.length)")) >= 2
