"""What the PDF tests share: `tracksite pdf` run in the test's own process, on the session's
Chromium when the test has it; PDFs read back with poppler's pdftotext; and the documents
several tests read, printed once a test run (support.sites.build_once).

Each `tracksite pdf` a test ran as a process paid an interpreter with every import, a
Playwright driver and a Chromium of its own before it printed a page, and a cold build of the
site: about as much processor time as the printing. Several tests also printed the same course
again. A print is about what the command writes and says, not about the process boundary, so it
runs here through the command line's entry point (tests/support/harness.py) with the browser the
session already runs; one print a run still starts its own Chromium, as a user's command does
(`pdf_command` without a browser).
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import threading
import unicodedata
from pathlib import Path
from typing import Any

import pytest

from support import harness
from support.course import REPO, lesson_md, make_course, write
from support.sites import IN_CI, build_once
from tracksite.commands import pdf
from tracksite.commands.pdf import find_chromium

EXPLAIN = [
    "Explained-alpha-one",
    "Explained-alpha-two",
    "Explained-beta-one",
    "Explained-beta-two",
    "Explained-gamma-one",
    "Explained-gamma-two",
]
SOLUTION = "Solution-text-zeta"
QUIZ = f"""
/// quiz
- question: Which is first?
  options:
    - text: The first option
      correct: true
      explain: {EXPLAIN[0]}
    - text: The other option
      correct: false
      explain: {EXPLAIN[1]}
- question: Which is second?
  options:
    - text: Second right
      correct: true
      explain: {EXPLAIN[2]}
    - text: Second wrong
      correct: false
      explain: {EXPLAIN[3]}
- question: Which is third?
  options:
    - text: Third right
      correct: true
      explain: {EXPLAIN[4]}
    - text: Third wrong
      correct: false
      explain: {EXPLAIN[5]}
///

//// exercise | Try it
Do the task.

/// solution
{SOLUTION}
///
////
"""
# the second lesson's exercise (tests/adapter/test_glossary.py): its solution is the instructor's only
COUNT_SOLUTION = "THEANSWER"
COUNT_EXERCISE = (
    f"## Practice\n\n//// exercise | Count\nCount the parts.\n\n/// solution\n{COUNT_SOLUTION} is three.\n///\n////\n\n"
    + "Filler words to read. " * 40
)


def need_browser() -> None:
    """Chromium and Playwright, or a skip (a failure in CI, as for the other browser tests)."""
    missing = None
    if find_chromium() is None:
        missing = "chromium is not installed (apt-get install chromium)"
    else:
        try:
            import playwright  # noqa: F401
        except ImportError:
            missing = "playwright is not installed"
    if missing:
        if IN_CI:
            pytest.fail(missing)
        pytest.skip(missing)


def command(root: Path, *args: str, process: bool = False, env: dict | None = None) -> subprocess.CompletedProcess:
    """`tracksite ARGS` in `root` (tests/support/harness.py), with no traceback: in this process, or
    with `process=True` as a process of its own, for the tests about what a process does (its
    exit code before any work, its environment)."""
    result = harness.tracksite(*args, cwd=root, process=process, env=env)
    assert "Traceback" not in result.stderr, result.stderr
    return result


def pdf_command(root: Path, *args: str, browser: Any = None) -> subprocess.CompletedProcess:
    """`tracksite pdf ARGS` in `root`, in this process (tests/support/harness.py). With `browser` (the
    session's `chromium`) it prints with that one, which stays open; without, the command starts
    and closes its own Chromium as a user's does, in a thread of its own: Playwright's sync API
    cannot start again in a thread where it already runs, as in a test session that keeps one."""
    if browser is not None:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(pdf, "_launcher", lambda chromium: lambda: contextlib.nullcontext(browser))
            result = harness.tracksite("pdf", *args, cwd=root)
    else:
        done: list[subprocess.CompletedProcess] = []
        thread = threading.Thread(target=lambda: done.append(harness.tracksite("pdf", *args, cwd=root)))
        thread.start()
        thread.join()
        assert done, "the command's thread ended without a result"
        result = done[0]
    assert "Traceback" not in result.stderr, result.stderr
    return result


def pdf_pages(pdf_file: Path | bytes) -> list[str]:
    """The text of each page, as a reader's search sees it: NFKC-normalised, because fonts that
    set "fi" as one ligature glyph give U+FB01, and "first" would then be missing from the text
    (and an answer with a ligature would slip past the checks for answers). Read by poppler's
    pdftotext (.ci/run installs poppler-utils), a tenth of what pypdf's text extraction costs;
    pypdf where pdftotext is missing."""
    data = pdf_file if isinstance(pdf_file, bytes) else pdf_file.read_bytes()
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
        pages = out.stdout.decode("utf-8").split("\f")[:-1]  # each page ends with a form feed
    else:  # pypdf, of the `pdf` extra, imported only here: importing this module needs no printer
        from pypdf import PdfReader

        pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages]
    return [unicodedata.normalize("NFKC", text) for text in pages]


def pdf_text(pdf_file: Path | bytes) -> str:
    """The whole PDF's text (`pdf_pages`), page after page."""
    return "\n".join(pdf_pages(pdf_file))


def published_bundled(tmp_path_factory, browser: Any = None) -> Path:
    """The bundled course as `tracksite pdf --publish --strict` leaves it: the site built with the
    track pages' lists of PDFs, and every A4 PDF printed into it (no cheatsheet longer than a
    page). Made once a test run (support.sites.build_once), however many xdist workers ask: printing
    the whole course is the costliest thing the PDF tests do, and the A4 cheatsheet test, the
    bundled learner packs test (tests/commands/test_pdf_answers.py) and the axe test of a track page with
    its downloads (tests/browser/test_accessibility_all_rules.py) read the same files. Printed
    with `browser` when the first test to ask gives one (`pdf_command`)."""

    def publish(folder: Path) -> None:
        result = pdf_command(REPO, "--publish", "--strict", "--site-dir", str(folder / "site"), browser=browser)
        assert result.returncode == 0, result.stdout + result.stderr

    return build_once(tmp_path_factory, "published", publish) / "site"


def printed_answers(tmp_path_factory, browser: Any) -> Path:
    """The fixture course with QUIZ in its first lesson and COUNT_EXERCISE in its second, as
    `tracksite pdf --publish` leaves it (site/: the learner's PDFs, and the track pages that link
    them), then printed for the instructor (`pdf alpha --instructor --no-booklet --out pdf`:
    site-instructor/ and pdf/). What each command printed is kept in publish.out and
    instructor.out. Printed once a run for the tests of tests/commands/test_pdf_answers.py and
    tests/adapter/test_glossary.py that read these PDFs; a test that changes the course copies it."""

    def print_both(folder: Path) -> None:
        root = make_course(folder / "course")
        quiz = "## Practice\n\n" + "Words to read here. " * 40 + "\n" + QUIZ
        write(root, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body=quiz))
        write(root, "lessons/alpha/a2/lesson.md", lesson_md("Second lesson", body=COUNT_EXERCISE))
        for name, args in (
            ("publish", ["--publish"]),
            ("instructor", ["alpha", "--instructor", "--no-booklet", "--out", "pdf"]),
        ):
            result = pdf_command(root, *args, browser=browser)
            assert result.returncode == 0, result.stdout + result.stderr
            (folder / f"{name}.out").write_text(result.stdout)

    return build_once(tmp_path_factory, "answers-printed", print_both)
