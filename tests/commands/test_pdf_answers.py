"""A learner's printout is a worksheet: the exercise pack PDF and the browser's print view of a
lesson show the questions, numbered 1., 2., 3., but no answer, solution or explanation; the
instructor's pack shows every one of them. The PDFs are read back with pdftotext (tests/support/pdfs.py)
and their links with pypdf."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

from support.pdfs import (
    EXPLAIN,
    SOLUTION,
    command,
    need_browser,
    pdf_command,
    pdf_text,
    printed_answers,
    published_bundled,
)
from tracksite.commands.pdf import count_pages

pytestmark = pytest.mark.browser
pypdf = pytest.importorskip("pypdf")


@pytest.mark.slow
def test_learner_pack_has_no_answers_and_instructor_pack_has_them_all(tmp_path_factory, chromium):
    """The learner's pack as `tracksite pdf --publish` printed it into the site, the instructor's
    as `tracksite pdf --instructor` printed it (tests/support/pdfs.py: printed once a run)."""
    need_browser()
    printed = printed_answers(tmp_path_factory, chromium)
    text = pdf_text(printed / "course" / "site" / "alpha-exercises.pdf")
    assert "Which is first?" in text and "Which is third?" in text and "Do the task." in text
    for secret in [*EXPLAIN, SOLUTION, "Right:", "Wrong:"]:
        assert secret not in text, f"the learner's pack shows {secret!r}"
    for n, question in enumerate(["Which is first?", "Which is second?", "Which is third?"], 1):
        assert re.search(rf"{n}\.\s*{re.escape(question)}", text), f"question {n} is not numbered {n}.:\n{text}"

    text = pdf_text(printed / "course" / "pdf" / "alpha-exercises.pdf")
    for secret in [*EXPLAIN, SOLUTION]:
        assert secret in text, f"the instructor's pack leaves out {secret!r}"
    assert text.count("Right:") == 3


@pytest.mark.slow
def test_bundled_learner_packs_give_no_answer_away(tmp_path_factory, chromium):
    """The packs `tracksite pdf --publish` printed into the bundled site, which the A4 cheatsheet
    test of tests/commands/test_pdf.py reads too (printed once a run)."""
    need_browser()
    from support.course import REPO
    from tracksite.commands.pdf import exercise_packs
    from tracksite.core.site import trackpages

    packs = exercise_packs(REPO)
    assert packs
    site = published_bundled(tmp_path_factory, chromium)
    for path in [site / trackpages.pdf_url("exercises", pack.track) for pack in packs]:
        text = pdf_text(path)
        assert "Right:" not in text and "Wrong:" not in text, f"{path.name} shows quiz answers"
        assert "Show solution" not in text, f"{path.name} shows a solution"


def test_print_view_of_a_lesson_hides_answers_and_numbers_questions(tmp_path_factory, chromium, serve_site):
    """On the site `tracksite pdf --publish` built (with --strict, as `mkdocs build --strict`)."""
    base = serve_site(printed_answers(tmp_path_factory, chromium) / "course" / "site")
    page = chromium.new_page()
    page.goto(base + "alpha/a1/", wait_until="load")
    page.wait_for_selector(".ts-quiz__actions")
    # a learner who checked an answer, then prints
    page.locator(".ts-quiz__input").first.check()
    page.get_by_role("button", name="Check answer").first.click()
    page.emulate_media(media="print")
    shown = page.evaluate("document.body.innerText")
    assert "Which is second?" in shown
    for secret in [*EXPLAIN, SOLUTION, "Right:", "Right answer", "Wrong answer"]:
        assert secret not in shown, f"the print view shows {secret!r}"
    text = pdf_text(page.pdf())
    for n, question in enumerate(["Which is first?", "Which is second?", "Which is third?"], 1):
        assert re.search(rf"{n}\.\s*{re.escape(question)}", text), f"question {n} is not numbered {n}.:\n{text}"
    page.close()


def published_quiz_course(tmp_path_factory, tmp_path: Path, browser) -> Path:
    """A copy, in `tmp_path`, of the fixture course with QUIZ in its first lesson as `tracksite
    pdf --publish` leaves it (tests/support/pdfs.py `printed_answers`, printed once a run): each test
    gets a copy of its own to build or publish again."""
    shared = printed_answers(tmp_path_factory, browser) / "course"
    return Path(shutil.copytree(shared, tmp_path / "course", symlinks=True))


@pytest.mark.slow
def test_publish_puts_the_pdfs_on_the_site_and_the_track_page_links_them(tmp_path_factory, tmp_path, chromium):
    """Issue 32: the PDFs reach learners. `tracksite pdf --publish` builds the site with a "To
    print" list on each track page and prints every PDF it links into the site; the offline link
    check then finds each link's file. A plain build offers no link to a PDF it did not print."""
    from bs4 import BeautifulSoup

    need_browser()
    root = published_quiz_course(tmp_path_factory, tmp_path, chromium)
    plain = command(root, "build", "--site-dir", str(tmp_path / "plain"))
    assert plain.returncode == 0, plain.stderr
    assert not BeautifulSoup((tmp_path / "plain/alpha/index.html").read_text(), "lxml").select(".ts-downloads a")
    plain_sheet = BeautifulSoup((tmp_path / "plain/alpha/a1/cheatsheet/index.html").read_text(), "lxml")
    assert not plain_sheet.select("a.ts-pdf"), "a plain build prints no PDF, so it links none"

    refused = command(root, "pdf", "--publish", "alpha")
    assert refused.returncode != 0 and "leave out TRACK" in refused.stderr

    track_page = root / "site" / "alpha" / "index.html"
    links = {
        a.get_text(" ", strip=True): (track_page.parent / a["href"]).resolve()
        for a in BeautifulSoup(track_page.read_text(), "lxml").select("section.ts-downloads a[href]")
    }
    assert set(links) == {"Cheatsheets (PDF)", "Exercise pack (PDF)"}, links
    for path in links.values():
        assert path.is_file() and path.read_bytes().startswith(b"%PDF"), path
    # issue 44: each cheatsheet page links its own PDF, which the command printed
    sheets = sorted((root / "site").glob("*/*/cheatsheet/index.html"))
    assert len(sheets) == 5
    for page in sheets:
        anchors = BeautifulSoup(page.read_text(), "lxml").select("a.ts-pdf[href]")
        assert len(anchors) == 1, page
        target = (page.parent / anchors[0]["href"]).resolve()
        assert target == (root / "site" / page.parent.parent.parent.name / f"{page.parent.parent.name}.pdf").resolve()
        assert target.read_bytes().startswith(b"%PDF") and count_pages(target) == 1, target
    pack = pdf_text(links["Exercise pack (PDF)"])
    assert "Which is first?" in pack and not any(secret in pack for secret in [*EXPLAIN, SOLUTION])
    checked = command(root, "linkcheck", "site")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def pdf_links(site: Path) -> dict[str, list[str]]:
    """The address of every link annotation (/Annots, /A /URI) of each PDF in the site."""
    found = {}
    for path in sorted(site.rglob("*.pdf")):
        uris = []
        for page in pypdf.PdfReader(str(path), strict=True).pages:
            for annot in page.get("/Annots") or []:
                action = annot.get_object().get("/A")
                if action is not None and "/URI" in action:
                    uris.append(str(action["/URI"]))
        found[path.relative_to(site).as_posix()] = uris
    return found


def page_file(site: Path, path: str) -> Path:
    """The built file a URL path (from the site's root) serves."""
    return site / unquote(path).lstrip("/") / ("index.html" if path.endswith("/") or not path else "")


@pytest.mark.slow
def test_links_in_the_published_pdfs_lead_to_the_site(tmp_path_factory, tmp_path, chromium):
    """Issue 56: Chromium prints the site from a local server and wrote every link as its
    address (http://127.0.0.1:<port>/...), dead for a reader. A published PDF links the site
    relative to its own place in it, or on site_url when mkdocs.yml sets one."""
    need_browser()
    root = published_quiz_course(tmp_path_factory, tmp_path, chromium)
    site = root / "site"
    links = pdf_links(site)
    assert {"alpha.pdf", "alpha-exercises.pdf", "alpha/a1.pdf"} <= set(links), links
    # the exercise pack's "From Lesson 1" leads to the lesson
    assert "alpha/a1/" in links["alpha-exercises.pdf"], links["alpha-exercises.pdf"]
    for pdf, uris in links.items():
        assert uris, f"{pdf} has no link"
        for uri in uris:
            assert not urlsplit(uri).scheme and "127.0.0.1" not in uri, f"{pdf}: {uri}"
            target = urlsplit(urljoin(f"https://example.invalid/{pdf}", uri)).path
            assert page_file(site, target).is_file(), f"{pdf}: {uri} leads to no page"

    config = root / "mkdocs.yml"
    config.write_text("site_url: https://example.org/course/\n" + config.read_text())
    again = pdf_command(root, "--publish", browser=chromium)
    assert again.returncode == 0, again.stdout + again.stderr
    for pdf, uris in pdf_links(site).items():
        assert uris, f"{pdf} has no link"
        for uri in uris:
            assert uri.startswith("https://example.org/course/"), f"{pdf}: {uri}"
            assert page_file(site, uri.removeprefix("https://example.org/course/")).is_file(), f"{pdf}: {uri}"
