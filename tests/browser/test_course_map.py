"""Issue 56: the course map's column titles were cut ("From transformers to…") and its lines
were reported crossing boxes. Measured in Chromium on the bundled course's maps (the home page
and each track page, at 1280 px and 390 px): each phase title is drawn whole, within its
column, and no arrow passes through a box or a title on its way."""

from __future__ import annotations

import pytest
import yaml

from support.course import REPO

pytestmark = pytest.mark.browser

MEASURE = r"""svg => {
  const box = (e) => { const r = e.getBoundingClientRect(); return {x: r.left, y: r.top, r: r.right, b: r.bottom}; };
  const nodes = [...svg.querySelectorAll('a.ts-map__node rect')].map((rect) => ({...box(rect), key: rect.parentNode.dataset.lesson}));
  const titles = [...svg.querySelectorAll('.ts-map__phase, .ts-map__track')].map((t) => ({...box(t), key: t.textContent}));
  const phases = [...svg.querySelectorAll('.ts-map__phase')].map((t) => ({
    text: [...t.querySelectorAll('tspan')].map((s) => s.textContent).join(' ') || t.textContent, ...box(t)}));
  const m = svg.getScreenCTM(), through = [];
  for (const path of svg.querySelectorAll('path.ts-map__edge')) {
    const length = path.getTotalLength();
    for (let at = 3; at < length - 3; at += 2) {
      const p = new DOMPoint(path.getPointAtLength(at).x, path.getPointAtLength(at).y).matrixTransform(m);
      const hit = [...nodes, ...titles].find((r) => p.x > r.x + 1 && p.x < r.r - 1 && p.y > r.y + 1 && p.y < r.b - 1);
      if (hit) { through.push([path.getAttribute('d'), hit.key]); break; }
    }
  }
  return {phases, through, columns: nodes.length && [...new Set(nodes.map((n) => Math.round(n.x)))].sort((a, b) => a - b)};
}"""


def _phase_titles() -> set[str]:
    titles = set()
    for track in sorted((REPO / "lessons").glob("*/track.yml")):
        titles |= {p["title"] for p in yaml.safe_load(track.read_text(encoding="utf-8"))["phases"]}
    return titles | {"Other tracks"}


@pytest.mark.parametrize("width", [1280, 390])
@pytest.mark.parametrize("url", ["", "deep-learning-survey/", "transformers-and-llms/"])
def test_map_titles_are_whole_and_no_line_crosses_a_box(browser_page, url, width):
    page = browser_page
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(page.base_url + url, wait_until="networkidle")
    maps = page.locator("svg.ts-map__svg")
    assert maps.count() >= 1
    known = _phase_titles()
    for i in range(maps.count()):
        found = maps.nth(i).evaluate(MEASURE)
        assert found["through"] == [], found["through"]
        columns = found["columns"]
        for phase in found["phases"]:
            assert phase["text"] in known and "\u2026" not in phase["text"], phase["text"]
            # within its column and the gap after it: never into the next column's title
            nxt = [c for c in columns if c > phase["x"] + 2]
            assert not nxt or phase["r"] <= nxt[0] - 2, (phase, nxt[:1])
