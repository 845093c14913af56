"""The built fixture course, read back with a real HTML parser."""

from __future__ import annotations

import re

import pytest

from support.course import lesson_md, write
from support.harness import page as soup
from support.sites import run_mkdocs


def text(node) -> str:
    return " ".join(node.get_text(" ", strip=True).split())


@pytest.mark.parametrize(
    "url",
    [
        "",
        "alpha",
        "beta",
        "alpha/a1",
        "alpha/a1/overview",
        "alpha/a1/cheatsheet",
        "alpha/a2",
        "alpha/a3",
        "beta/b1",
        "beta/b2",
        "beta/b2/overview",
        "beta/b2/cheatsheet",
    ],
)
def test_every_page_is_at_its_contract_url(fixture_site, url):
    assert (fixture_site / url / "index.html").is_file()


def test_lesson_header(fixture_site):
    page = soup(fixture_site, "alpha/a2")
    header = text(page.select_one(".ts-lesson-header__where"))
    assert header == "Track 1 · Phase 1: Phase A · Lesson 2 of 3"
    facts = [text(li) for li in page.select(".ts-lesson-header .ts-facts li")]
    assert facts == ["Read 1 min", "Practice 5 min", "Difficulty Standard", "Math No math"]
    assert page.select_one("h1").get_text(strip=True) == "Second lesson"


def test_phase_numbering_crosses_phases(fixture_site):
    assert (
        text(soup(fixture_site, "alpha/a3").select_one(".ts-lesson-header__where"))
        == "Track 1 · Phase 2: Phase B · Lesson 3 of 3"
    )


def test_tabs(fixture_site):
    for kind, url in (("Overview", "alpha/a2/overview"), ("Lesson", "alpha/a2"), ("Cheatsheet", "alpha/a2/cheatsheet")):
        page = soup(fixture_site, url)
        tabs = page.select(".ts-tabs__link")
        assert [t.get_text(strip=True) for t in tabs] == ["Overview", "Lesson", "Cheatsheet"]
        current = page.select('.ts-tabs__link[aria-current="page"]')
        assert [c.get_text(strip=True) for c in current] == [kind]


def test_objectives_on_overview(fixture_site):
    page = soup(fixture_site, "alpha/a2/overview")
    assert [text(li) for li in page.select(".ts-objectives li")] == ["do the thing"]


def pager(page):
    return {a["rel"][0]: (a["href"], text(a)) for a in page.select(".ts-pager a")}


def test_previous_next_with_rel(fixture_site):
    links = pager(soup(fixture_site, "alpha/a2"))
    assert links["prev"] == ("../a1/", "Previous: Lesson 1 of 3 First lesson")
    assert links["next"] == ("../a3/", "Next: Lesson 3 of 3 Third lesson")


def test_ends_of_the_track_lead_to_the_track_page(fixture_site):
    assert pager(soup(fixture_site, "alpha/a1"))["prev"][0] == "../"
    assert pager(soup(fixture_site, "alpha/a3"))["next"][0] == "../"


def test_pager_on_overview_and_cheatsheet(fixture_site):
    assert pager(soup(fixture_site, "alpha/a2/overview"))["next"][0] == "../../a3/"
    assert pager(soup(fixture_site, "alpha/a2/cheatsheet"))["prev"][0] == "../../a1/"


def test_inline_references_resolved(fixture_site):
    page = soup(fixture_site, "alpha/a2")
    hrefs = {text(a): a["href"] for a in page.select(".ts-page a") if not a.get("class")}
    assert hrefs["the deep one"] == "../../beta/b2/#deep-section"
    assert hrefs["its overview"] == "../../beta/b2/overview/"
    assert hrefs["the track"] == "../../beta/"
    assert hrefs["the cheatsheet"] == "../a1/cheatsheet/"
    assert page.select_one('img[alt="A diagram"]')["src"] == "diagram.svg"
    assert (fixture_site / "alpha/a2/diagram.svg").is_file()


def test_prerequisites_are_links(fixture_site):
    items = soup(fixture_site, "alpha/a2").select(".ts-prereqs li")
    assert items[0].a["href"] == "../a1/" and "Track 1, Lesson 1" in text(items[0])
    assert text(items[1]) == "Some patience" and items[1].a is None


def test_go_deeper_names_track(fixture_site):
    box = soup(fixture_site, "alpha/a2").select_one(".ts-crosslinks--deeper")
    assert box.a["href"] == "../../beta/b2/"
    assert "Track 2: Beta track, Lesson 2 of 2" in text(box)


def test_backlinks_on_deep_dive_target(fixture_site):
    box = soup(fixture_site, "beta/b2").select_one(".ts-crosslinks--brief")
    assert text(box.h2) == "The brief version"
    assert box.a["href"] == "../../alpha/a2/" and "Second lesson" in text(box)
    assert soup(fixture_site, "beta/b1").select_one(".ts-crosslinks--brief") is None


def test_credits(fixture_site):
    assert text(soup(fixture_site, "alpha/a2").select_one(".ts-credits")) == "Credits: Written for the tests."


def test_home_lists_tracks_in_order(fixture_site):
    page = soup(fixture_site, "")
    cards = page.select(".ts-track-card")
    assert [text(c.h2) for c in cards] == ["Alpha track", "Beta track"]
    assert "3 lessons · about 18 minutes" in text(cards[0])
    assert cards[0].h2.a["href"] == "alpha/"


def test_track_page(fixture_site):
    page = soup(fixture_site, "alpha")
    assert [text(h) for h in page.select(".ts-phase h2")] == ["Phase 1: Phase A", "Phase 2: Phase B"]
    items = page.select(".ts-lessons__item")
    assert [i["data-lesson"] for i in items] == ["alpha/a1", "alpha/a2", "alpha/a3"]
    first = text(items[0])
    for part in (
        "Lesson 1",
        "First lesson",
        "A lesson for the tests.",
        "Read 1 min",
        "Practice 5 min",
        "Difficulty Standard",
    ):
        assert part in first


def test_nav_is_scoped_to_the_track(fixture_site):
    nav = soup(fixture_site, "alpha/a2").select_one(".ts-nav")
    links = [text(a) for a in nav.select("a")]
    assert "1. First lesson" in links and "3. Third lesson" in links
    assert not any("Beta" in l for l in links)
    current = nav.select('a[aria-current="page"]')
    assert [text(a) for a in current] == ["2. Second lesson"]


def test_meta_description_and_title(fixture_site):
    page = soup(fixture_site, "alpha/a2")
    assert page.select_one('meta[name="description"]')["content"] == "A lesson for the tests."
    assert page.title.get_text() == "Second lesson - Fixture course"


def test_no_third_party_urls_in_html(fixture_site):
    for html in fixture_site.rglob("*.html"):
        content = html.read_text(encoding="utf-8")
        for url in re.findall(r'(?:src|href)="(https?://[^"]+)"', content):
            pytest.fail(f"{html.relative_to(fixture_site)} loads {url}")
        assert "fonts.googleapis" not in content and "fonts.gstatic" not in content


EVIL = '<script>alert(1)</script>"onmouseover="x'


def test_front_matter_is_escaped_everywhere(course, tmp_path):
    write(
        course,
        "lessons/alpha/a1/lesson.md",
        lesson_md(f"'{EVIL}'", summary=f"'{EVIL} summary'", extra=f"credits: '{EVIL} credit'\n"),
    )
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr
    site = course / "site"
    for url in ("alpha/a1", "alpha/a1/overview", "alpha/a2", "alpha", ""):
        raw = (site / url / "index.html").read_text(encoding="utf-8")
        assert "<script>alert(1)</script>" not in raw, url
        assert '"onmouseover="x' not in raw, url
    page = soup(site, "alpha/a1")
    assert text(page.select_one("h1")) == EVIL
    assert EVIL in page.title.get_text()
    assert page.select_one('meta[name="description"]')["content"] == f"{EVIL} summary"
    assert text(soup(site, "alpha/a2").select_one(".ts-pager__link--prev .ts-pager__title")) == EVIL


def test_failed_build_keeps_last_good_site(course):
    assert run_mkdocs(course).returncode == 0
    site = course / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    (course / "lessons/alpha/a1/lesson.md").write_text("---\ntitle: [broken\n---\n")
    result = run_mkdocs(course)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr + result.stdout
    assert "lessons/alpha/a1/lesson.md:2:15: [TS010] YAML syntax error" in result.stderr
    after = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert not [p for p in course.iterdir() if "staging" in p.name]


def test_page_size_does_not_grow_with_the_course(course):
    """A lesson page of a 2-track course and of a 22-track course are the same size."""
    assert run_mkdocs(course).returncode == 0
    small = {u: len((course / "site" / u / "index.html").read_bytes()) for u in ("alpha/a2", "alpha")}
    for n in range(3, 23):
        write(
            course,
            f"lessons/extra{n}/track.yml",
            f"number: {n}\ntitle: Extra {n}\nsummary: More.\nphases:\n  - title: P\n    lessons: [x1, x2, x3, x4]\n",
        )
        for slug in ("x1", "x2", "x3", "x4"):
            write(course, f"lessons/extra{n}/{slug}/lesson.md", lesson_md(f"Extra {n} {slug}"))
            write(course, f"lessons/extra{n}/{slug}/overview.md", "## What you'll learn\n\nMore.\n")
            write(course, f"cheatsheets/extra{n}/{slug}.md", "## Key ideas\n\nMore.\n")
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr
    large = {u: len((course / "site" / u / "index.html").read_bytes()) for u in ("alpha/a2", "alpha")}
    assert large == small


def test_strict_warning_keeps_last_good_site(course):
    """A build that MkDocs aborts for a warning (in strict mode, after every page was written)
    must not replace the last good site either."""
    assert run_mkdocs(course).returncode == 0
    site = course / "site"
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    # A warning of MkDocs' own, from the engine's configuration: tracksite check models the
    # course's files (a missing page linked from a page is its error, before anything is built).
    config = course / "mkdocs.yml"
    config.write_text(config.read_text() + "nav:\n  - Missing: missing.md\n")
    result = run_mkdocs(course)
    assert result.returncode != 0 and "Aborted with 1 warnings in strict mode" in result.stdout + result.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before
    assert not [p for p in course.iterdir() if "staging" in p.name]


def test_track_stage_on_its_page_and_card(course):
    """`stage:` in track.yml: a track still in the making warns on its page (in the track's own
    language) and on its home card (in the home page's); a stable one says so; a word outside the
    stages is refused."""
    track = course / "lessons/alpha/track.yml"
    track.write_text(track.read_text() + "stage: beta\n")
    beta = course / "lessons/beta/track.yml"
    beta.write_text(beta.read_text() + "stage: pre-alpha\nlanguage: es\n")
    assert run_mkdocs(course).returncode == 0
    site = course / "site"
    stage = soup(site, "alpha").select_one(".ts-track-header .ts-stage")
    assert stage is not None and "ts-stage--beta" in stage["class"]
    assert (
        text(stage) == "Beta This track is in its Beta stage: its authors are still working on it, so expect changes."
    )
    spanish = soup(site, "beta").select_one(".ts-track-header .ts-stage")
    assert text(spanish) == (
        "Prealfa Este itinerario está en fase Prealfa: sus autores siguen trabajando en él, así que puede cambiar."
    )
    cards = soup(site, "").select(".ts-track-card__label .ts-badge--stage")
    assert [(text(c), c["title"].split(":")[0]) for c in cards] == [
        ("Stage: Beta", "This track is in its Beta stage"),
        ("Stage: Pre-alpha", "This track is in its Pre-alpha stage"),  # the home page's language
    ]
    assert soup(site, "alpha/a1").select(".ts-stage") == []  # the track's pages, not its lessons

    track.write_text(track.read_text().replace("stage: beta", "stage: stable"))
    assert run_mkdocs(course).returncode == 0
    assert text(soup(site, "alpha").select_one(".ts-stage")).startswith("Stable This track is stable")

    track.write_text(track.read_text().replace("stage: stable", "stage: betta"))
    result = run_mkdocs(course)
    assert result.returncode != 0
    assert "lessons/alpha/track.yml" in result.stderr and "'betta' is not allowed" in result.stderr
    assert "did you mean 'beta'?" in result.stderr
