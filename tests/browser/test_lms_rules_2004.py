"""The SCORM 2004 package under Moodle's own Terminate rule (issue 82), played in Chromium on
scorm-again with Moodle's SCORM 2004 player emulated over it (moodle_rules.MOODLE_2004_JS quotes
scorm_13.js's StoreData): at Terminate, Moodle sets cmi.completion_status from
cmi.progress_measure against the manifest's completion threshold, when both are there, comparing
them as text.

- The package's manifest gives Moodle no threshold and the package sends no progress_measure,
  so the rule leaves the package's own status: a learner who has not finished is stored
  incomplete and neither passed nor failed ("Require status" completes no one), a finished one
  completed, and passed or failed by the mark; success_status stays unknown until the course is
  completed (the score, sent meanwhile, is kept apart from it), and is never sent as the other.
- The rule is live in the emulation: a finished learner whose progress_measure "1" meets a
  threshold "1.0" is stored *incomplete* by Moodle's text comparison, which is why the package
  sends no progress_measure and its manifest carries no threshold.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from support.course import make_course
from support.lms import QUIZZES, answer, browser_as_new, finish_course
from support.moodle_rules import (
    COMPLETED,
    MOODLE_2004_JS,
    MOODLE_PAGE,
    PASSED,
    manifest_threshold,
    require_status,
    settings,
)
from support.scorm import course_frame, scorm_again
from tracksite.commands.cli import main

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def moodle(tmp_path_factory, serve_site) -> tuple[str, Path]:
    """One origin: m2004/ (SCORM 2004, --mastery 80) and Moodle's 2004 player emulated."""
    folder = tmp_path_factory.mktemp("moodle-2004")
    root = make_course(tmp_path_factory.mktemp("rules-2004") / "course")
    lesson = root / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + QUIZZES, encoding="utf-8")
    out = folder / "m2004.zip"
    assert (
        main(["--root", str(root), "export", "scorm", "--version", "2004", "--mastery", "80", "--out", str(out)]) == 0
    )
    with zipfile.ZipFile(out) as z:
        z.extractall(folder / "m2004")
    shutil.copyfile(scorm_again().with_name("scorm2004.min.js"), folder / "scorm2004.min.js")
    (folder / "moodle.html").write_text(MOODLE_PAGE.format(runtime="scorm2004.min.js", harness="moodle2004.js"))
    (folder / "moodle2004.js").write_text(MOODLE_2004_JS, encoding="utf-8")
    return serve_site(folder), folder / "m2004"


@pytest.fixture(scope="module")
def browser(chromium, moodle):
    """The browser each learner launches the activity in, as new (support/lms.py)."""
    with browser_as_new(chromium, moodle[0]) as new:
        yield new


def play(browser, base: str, threshold: str):
    """A launch in a browser as new: what the LMS stored is all it has."""
    page = browser().new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.add_init_script(settings("m2004", threshold=threshold))
    page.goto(base + "moodle.html")
    course_frame(page)
    return page


def leave(page) -> dict:
    """The learner closes the activity: Terminate, and what Moodle stored."""
    page.evaluate("() => window.frames[0].tracksiteScorm.report()")
    page.evaluate("document.getElementById('sco').remove()")
    page.wait_for_function("() => API_1484_11.isTerminated()", timeout=10_000)
    tracks = page.evaluate("() => moodle.tracks()")
    sent = [c["args"][0] for c in page.evaluate("calls") if c["name"] == "SetValue"]
    assert not page.errors, page.errors
    page.close()
    return {"tracks": tracks, "stored": dict(tracks), "sent": sent}


def test_the_package_gives_moodle_no_threshold(moodle):
    assert manifest_threshold(moodle[1]) == ""


def test_an_unfinished_learner_is_stored_incomplete_and_neither_passed_nor_failed(browser, moodle):
    page = play(browser, moodle[0], manifest_threshold(moodle[1]))
    answer(page)  # lesson a1 done of five, 2 of 3 right: 67
    got = leave(page)
    assert got["stored"]["cmi.completion_status"] == "incomplete", got["stored"]
    assert got["stored"].get("cmi.success_status", "unknown") == "unknown", got["stored"]
    assert not require_status(got["tracks"], PASSED) and not require_status(got["tracks"], COMPLETED)
    assert "cmi.progress_measure" not in got["sent"]


@pytest.mark.parametrize("right,success", [(True, "passed"), (False, "failed")])
def test_a_finished_learner_is_completed_and_passed_or_failed_by_the_mark(browser, moodle, right, success):
    page = play(browser, moodle[0], manifest_threshold(moodle[1]))
    answer(page, right=right)
    page.evaluate("() => window.frames[0].tracksiteScorm.report()")
    # success_status stays unknown until the course is completed; 2004 keeps the score apart
    assert page.evaluate("API_1484_11.cmi.completion_status") == "incomplete"
    assert page.evaluate("API_1484_11.cmi.success_status") == "unknown"
    assert page.evaluate("API_1484_11.cmi.score.raw") == ("100" if right else "67")
    finish_course(page)
    page.wait_for_function("() => API_1484_11.cmi.completion_status === 'completed'", timeout=15_000)
    page.wait_for_function("(s) => API_1484_11.cmi.success_status === s", arg=success, timeout=15_000)
    sent = page.evaluate("calls")
    statuses = [c["args"][1] for c in sent if c["name"] == "SetValue" and c["args"][0] == "cmi.success_status"]
    other = "failed" if right else "passed"
    assert other not in statuses and statuses[-1] == success, statuses
    got = leave(page)
    assert (got["stored"]["cmi.completion_status"], got["stored"]["cmi.success_status"]) == ("completed", success)
    # the docs' setting for 2004 with --mastery: "Require status" Passed and Completed
    assert require_status(got["tracks"], PASSED | COMPLETED) is right
    assert "cmi.progress_measure" not in got["sent"]


def test_moodle_compares_progress_and_threshold_as_text(browser, moodle):
    """The emulated rule at work: with a threshold "1.0" in a manifest and a progress_measure "1"
    sent, Moodle stores a finished learner incomplete ("1" < "1.0" as text)."""
    page = play(browser, moodle[0], "1.0")
    answer(page, right=True)
    finish_course(page)
    page.wait_for_function("() => API_1484_11.cmi.completion_status === 'completed'", timeout=15_000)
    assert page.evaluate("API_1484_11.SetValue('cmi.progress_measure', '1')") == "true"
    got = leave(page)
    assert got["stored"]["cmi.completion_status"] == "incomplete", got["stored"]
