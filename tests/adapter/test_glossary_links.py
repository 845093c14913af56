"""`glossary:term` links (issue 38: the import points reference.md's term links at the track
glossary): on a lesson and on the exercise pack that copies its exercises, the built link leads
to the track's glossary page and the term's id is there; the strict build passes."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from support.course import lesson_md, make_course, write
from tracksite.commands.cli import main

EXERCISE = """
//// exercise | Do it
Make a [pull request](glossary:pull-request) once by hand.

/// solution
Open it on the forge, then ask for a review.
///
////
"""


def _href_target(site: Path, page: str, text: str) -> tuple[Path, str]:
    soup = BeautifulSoup((site / page / "index.html").read_text(), "lxml")
    link = next(a for a in soup.select(".ts-page a[href], article a[href]") if a.get_text(strip=True) == text)
    path, _, anchor = link["href"].partition("#")
    return (site / page / path).resolve(), anchor


def test_a_glossary_link_leads_to_the_term_on_the_glossary_page(tmp_path):
    root = make_course(tmp_path / "c")
    write(
        root,
        "lessons/alpha/glossary.yml",
        "terms:\n  - term: Pull request\n    definition: A change offered for review.\n    lesson: a1\n",
    )
    body = "## Start\n\nA pull request asks for a review. " + "Words to read here. " * 40 + "\n" + EXERCISE
    write(root, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body=body))
    site = tmp_path / "site"
    assert main(["--root", str(root), "build", "--site-dir", str(site)]) == 0  # strict by default
    glossary = BeautifulSoup((site / "alpha/glossary/index.html").read_text(), "lxml")
    for page in ("alpha/a1", "alpha/exercises"):
        target, anchor = _href_target(site, page, "pull request")
        assert target == (site / "alpha/glossary").resolve(), page
        assert anchor == "term-pull-request" and glossary.find(id=anchor) is not None, page
