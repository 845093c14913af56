"""A printed exercise pack keeps every title with what it names (issue 83): the bundled packs
printed a code exercise's title at the foot of a page with one line of its code (or none), and a
quiz's title, or a lesson's heading and its "From Lesson N." line, last on a page with the
questions on the next. The PDFs are the ones `tracksite pdf --publish` prints once a run
(support.pdfs.published_bundled); what belongs together is read from the built pack pages."""

from __future__ import annotations

import re
import unicodedata

import pytest
from bs4 import BeautifulSoup

from support.course import REPO
from support.pdfs import need_browser, pdf_pages, published_bundled
from tracksite.commands.pdf import exercise_packs
from tracksite.core.site import trackpages

pytestmark = [pytest.mark.browser, pytest.mark.slow]

FIRST_LINES = 3  # a code exercise's title prints with at least this many lines of its code


def flat(text: str) -> str:
    """Text as compared with a page's: NFKC (as pdf_pages reads it) and single spaces."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def code_exercises(soup: BeautifulSoup) -> list[tuple[str, list[str]]]:
    """Each code exercise's title and the first lines of its code (each line's start: a long one
    wraps in print)."""
    found = []
    for run in soup.select("div.ts-run"):
        title = run.select_one(".ts-widget__title")
        code = run.select_one(".ts-run__code pre, .ts-predict__code pre")
        assert title is not None and code is not None, run
        lines = [flat(line)[:25] for line in code.get_text().splitlines() if line.strip()]
        found.append((flat(title.get_text()), lines[:FIRST_LINES]))
    return found


def titles(soup: BeautifulSoup) -> set[str]:
    """Every text that names what follows it: headings, widget and exercise titles, a question's
    "Choose one answer.", and the line that leads in under a lesson's heading."""
    article = soup.select_one("article")
    assert article is not None
    marks = article.select("h1, h2, h3, .ts-widget__title, .ts-exercise__title, .ts-quiz__hint, h2 + p")
    return {flat(mark.get_text()) for mark in marks if mark.get_text().strip()}


def test_every_pack_title_prints_with_what_it_names(tmp_path_factory, chromium):
    need_browser()
    site = published_bundled(tmp_path_factory, chromium)
    packs = exercise_packs(REPO)
    assert {pack.track for pack in packs} == {"deep-learning-survey", "transformers-and-llms"}
    apart, last, checked = [], [], 0
    for pack in packs:
        soup = BeautifulSoup((site / pack.url / "index.html").read_text(encoding="utf-8"), "lxml")
        pages = [flat(page) for page in pdf_pages(site / trackpages.pdf_url("exercises", pack.track))]
        where = 0  # titles repeat ("Quiz"): each exercise is looked for from the page of the one before
        for title, first in code_exercises(soup):
            where = next((n for n in range(where, len(pages)) if title in pages[n]), -1)
            assert where >= 0, f"{pack.track}: {title!r} is not printed"
            after = pages[where][pages[where].index(title) + len(title) :]
            if not all(line in after for line in first):
                apart.append(f"{pack.track} page {where + 1}: {title!r}")
            checked += 1
        names = titles(soup)
        for n, page in enumerate(pages[:-1]):
            ends = [name for name in names if page.endswith(name)]
            if ends:
                last.append(f"{pack.track} page {n + 1} ends with {ends[0]!r}")
    assert checked == 35, checked  # the two packs' code exercises and predictions, all found in print
    assert apart == [], f"titles printed without the first {FIRST_LINES} lines of their code: {apart}"
    assert last == [], last
