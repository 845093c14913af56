"""Drafts stay out of the published site; instructor notes stay out of the learner site."""

from __future__ import annotations

import json

from support import harness
from support.course import lesson_md, run_cli, write
from support.harness import soup as html
from support.sites import run_mkdocs

NOTE = "Ask the class to predict the weights before revealing them."


def where(site, url):
    return " ".join(
        html(site / url / "index.html").select_one(".ts-lesson-header__where").get_text(" ", strip=True).split()
    )


def test_draft_left_out_of_build_numbering_and_nav(course):
    write(course, "lessons/alpha/a2/lesson.md", lesson_md("Second lesson", status="draft"))
    result = run_mkdocs(course)
    assert result.returncode == 0, result.stderr
    site = course / "site"
    assert not (site / "alpha/a2").exists()
    assert where(site, "alpha/a3") == "Track 1 · Phase 2: Phase B · Lesson 2 of 2"
    nav = html(site / "alpha/a1/index.html").select_one(".ts-nav").get_text(" ", strip=True)
    assert "Second lesson" not in nav
    pager = html(site / "alpha/a1/index.html").select_one('.ts-pager a[rel="next"]')
    assert pager["href"] == "../a3/"
    assert "Second lesson" not in (site / "alpha/index.html").read_text()
    # issue 75: the outline the exports read (published) lists no draft, and numbers as the pages do
    outline = json.loads((site / "course.json").read_text(encoding="utf-8"))
    alpha = next(t for t in outline["tracks"] if t["slug"] == "alpha")
    assert [(l["id"], l["number"], l["phase"]) for l in alpha["lessons"]] == [
        ("alpha/a1", 1, {"number": 1, "title": "Phase A"}),
        ("alpha/a3", 2, {"number": 2, "title": "Phase B"}),
    ]
    assert "Second lesson" not in (site / "course.json").read_text(encoding="utf-8")


def test_drafts_built_on_request_with_banner(course, tmp_path):
    write(course, "lessons/alpha/a2/lesson.md", lesson_md("Second lesson", status="draft"))
    out = tmp_path / "drafts-site"
    result = harness.tracksite("build", "--drafts", "--site-dir", str(out), cwd=course)
    assert result.returncode == 0, result.stderr
    page = html(out / "alpha/a2/index.html")
    assert "Draft" in page.select_one(".ts-banner--draft").get_text()
    assert where(out, "alpha/a3") == "Track 1 · Phase 2: Phase B · Lesson 3 of 3"


def test_link_to_a_draft_is_an_error_in_the_published_build(course):
    write(
        course, "lessons/beta/b2/lesson.md", lesson_md("Beta two", status="draft", body="## Deep section\n\nText. " * 3)
    )
    result = run_mkdocs(course)
    assert result.returncode != 0
    assert "is a draft, left out of the learner site" in result.stderr


def test_instructor_notes_only_in_instructor_build(course, tmp_path):
    body = f"## Teaching\n\nLearner text.\n\n/// instructor\n{NOTE}\n///\n\n" + "Words to read. " * 60
    write(course, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body=body))
    assert run_mkdocs(course).returncode == 0
    for page in (course / "site").rglob("*"):
        if page.is_file():
            assert NOTE.encode() not in page.read_bytes(), page
    out = tmp_path / "instructor"
    result = harness.tracksite("build", "--instructor", "--site-dir", str(out), cwd=course)
    assert result.returncode == 0, result.stderr
    assert NOTE in (out / "alpha/a1/index.html").read_text()
    schedule = html(out / "alpha/schedule/index.html")
    rows = [[c.get_text(strip=True) for c in tr.select("td")] for tr in schedule.select("tbody tr")]
    assert rows == [
        ["1", "First lesson", "1 min", "5 min", "6 min"],
        ["2", "Second lesson", "1 min", "5 min", "12 min"],
        ["3", "Third lesson", "1 min", "5 min", "18 min"],
    ]
    assert NOTE in schedule.get_text()
    assert html(out / "alpha/index.html").find("a", string=lambda s: s and "Instructor schedule" in s)


def test_check_covers_the_docs_pages_only_serve_shows(course):
    """mkdocs.yml's `draft_docs` leaves a page out of the build, but `mkdocs serve` shows it:
    `tracksite check` finds its problems too (issue 30, check = build = serve), and still
    refuses a published page's link to it, as the build does."""
    text = (course / "mkdocs.yml").read_text()
    (course / "mkdocs.yml").write_text(text.replace("docs_dir: docs\n", "docs_dir: docs\ndraft_docs: |\n  wip/\n"))
    (course / "docs/wip").mkdir(parents=True)
    (course / "docs/wip/notes.md").write_text("# Notes\n\nSee [the missing page](nowhere.md) and $\\frac{a}{b$.\n")
    (course / "docs/guide.md").write_text("# Guide\n\nRead [the notes](wip/notes.md).\n")
    result = run_cli(course, ["check", "--format", "json"])
    assert result.returncode == 1, result.stderr[-2000:]
    found = {(p["path"], p["line"], p["code"]) for p in json.loads(result.stdout)}
    assert ("docs/wip/notes.md", 3, "TS513") in found  # the bad formula of the page serve shows
    assert any(path == "docs/wip/notes.md" and code == "TS301" for path, _, code in found), found
    assert any(path == "docs/guide.md" for path, _, _ in found), found  # its link to a draft doc
    lone = [p for p in json.loads(result.stdout) if p["path"] == "docs/wip/notes.md"]
    assert len(lone) == len({(p["line"], p["message"]) for p in lone})  # each once
