"""The home page of a course too large to draw lesson by lesson (more than
`coursemap.LESSON_MAP_LIMIT` lessons): its map has a box per track, so the home page does not
grow with every lesson, and still shows progress, a text alternative and "Continue". Built from
the benchmark's synthetic course (tracks of 10 to 20 lessons, deep dives across tracks)."""

from __future__ import annotations

import json

import pytest
from bs4 import BeautifulSoup
from playwright.sync_api import expect

from support.axe import axe_violations
from support.sites import build_once, run_mkdocs
from tracksite.core.learning import coursemap
from tracksite.tools.bench import course as bench

pytestmark = pytest.mark.browser
LESSONS = coursemap.LESSON_MAP_LIMIT + 20


@pytest.fixture(scope="module")
def large(tmp_path_factory):
    """The course's plan (the same in every worker) and its site, built once a run."""
    tracks = bench.plan_course(LESSONS)

    def build(folder):
        root = bench.write_tracksite_project(folder / "course", tracks)
        result = run_mkdocs(root, site=folder / "site")
        assert result.returncode == 0, result.stderr[-3000:]

    return tracks, build_once(tmp_path_factory, "large-course", build) / "site"


def test_home_map_draws_tracks_not_lessons(large):
    tracks, site = large
    home = BeautifulSoup((site / "index.html").read_text(encoding="utf-8"), "lxml")
    svg = home.select_one(".ts-map .ts-map__svg")
    nodes = svg.select("a.ts-map__node")
    assert [n["data-track"] for n in nodes] == [t.slug for t in tracks]
    assert not svg.select("[data-lesson]") and not home.select("li[data-map-lesson]")
    assert [n["href"] for n in nodes] == [f"{t.slug}/" for t in tracks]
    # its name is its text: "Track 1, 19 lessons" above the title (WCAG 2.5.3)
    assert nodes[0]["data-label"] == f"Track 1, {len(tracks[0].lessons)} lessons: {tracks[0].title}"
    # a deep dive from one track to another is one dashed arrow between their boxes
    assert svg.select("path.ts-map__edge--deep-dive")
    items = home.select(".ts-map__text li[data-map-track]")
    assert [li["data-map-track"] for li in items] == [t.slug for t in tracks]
    assert f"({len(tracks[0].lessons)} lessons" in items[0].get_text()
    assert "Each box is a track" in home.select_one(".ts-map__legend").get_text()
    # each track page still draws its own lessons
    track_page = BeautifulSoup((site / tracks[0].slug / "index.html").read_text(encoding="utf-8"), "lxml")
    assert len(track_page.select(".ts-map__svg a.ts-map__node[data-lesson]")) >= len(tracks[0].lessons)


def test_home_map_shows_track_progress_and_continue(large, chromium, serve_site):
    tracks, site = large
    first, second = tracks[0], tracks[1]
    progress = {f"{first.slug}/{l.slug}": True for l in first.lessons}
    progress[f"{second.slug}/{second.lessons[0].slug}"] = True
    context = chromium.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    url = serve_site(site)
    page.goto(url)
    page.evaluate(f"localStorage.setItem(tracksite.key('tracksite:progress'), JSON.stringify({json.dumps(progress)}))")
    page.goto(url, wait_until="networkidle")
    node = page.locator(f".ts-map__svg a[data-track='{first.slug}']")
    expect(node).to_have_attribute("data-state", "done")
    assert node.get_attribute("aria-label") == f"Track 1, {len(first.lessons)} lessons: {first.title} (done)"
    expect(page.locator(f".ts-map__svg a[data-track='{second.slug}']")).to_have_attribute("data-state", "ready")
    expect(page.locator(f".ts-map__svg a[data-track='{tracks[2].slug}']")).to_have_attribute("data-state", "not-yet")
    expect(page.locator(f"li[data-map-track='{second.slug}'] .ts-map__state")).to_have_text(" \u2014 started")
    cont = page.locator(f"[data-continue-track='{second.slug}'] a")
    expect(cont).to_have_text(f"Continue: Lesson 2, {second.lessons[1].title}")
    cont.click()
    page.wait_for_url(f"**/{second.slug}/{second.lessons[1].slug}/")
    page.go_back()
    assert axe_violations(page) == []
    assert errors == []
    context.close()
