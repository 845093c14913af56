"""The package under the LMS's own rules (issue 82), played in Chromium on scorm-again with Moodle's
SCORM 1.2 player emulated over it (moodle_rules.py quotes each rule from Moodle's source):

- with `--mastery 80`, a learner who has not finished is stored neither passed nor failed, with
  Moodle's defaults and with "Force completed", and keeps their attempt under "Force new attempt:
  When previous attempt completed, passed or failed";
- a finished learner is passed or failed by the mark, and "Require status: Passed" completes
  the activity of the one who passed (a course without a mastery score: "Completed");
- a relaunch where Moodle stored "failed" for an unfinished learner (an earlier package) does
  not read it as completed;
- SCORM 2004: success_status stays unknown until the course is completed (under Moodle's 2004
  player: test_lms_rules_2004.py);
- a report of two learners who answered in different orders lines up by question, through the
  interactions' ids and the package's interactions.csv;
- a track's package keeps what the learner does in another track's lessons (it holds the whole
  site), counted in neither its completion nor its score;
- two windows of one activity do not write over each other: the second keeps what the first did
  and the LMS has not committed yet, the first stops recording and says so;
- typed code that does not fit suspend_data stays in the browser's own storage: 30 exercises,
  all 30 back in their editors at a relaunch in the same browser.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import urllib.request
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support.course import hold_python, intend, lesson_md, make_course, write
from support.lms import QUIZZES, answer, browser_as_new, finish_course, open_lesson
from support.moodle_rules import (
    COMPLETED,
    MOODLE_12_JS,
    MOODLE_PAGE,
    PASSED,
    relaunched,
    require_status,
    settings,
    stored,
)
from support.scorm import course_frame, exported, scorm_again
from tracksite.commands.cli import main

pytestmark = pytest.mark.browser

EXERCISES = 30

HARNESS_2004 = """
window.API_1484_11 = new Scorm2004API({ logLevel: 5, autocommit: false });
window.calls = [];
const real = window.API_1484_11.SetValue.bind(window.API_1484_11);
window.API_1484_11.SetValue = (...args) => { const ret = real(...args); window.calls.push({ args, ret }); return ret; };
document.addEventListener("DOMContentLoaded", () => { document.getElementById("sco").src = "m2004/scorm-launch.html"; });
"""


def _built(root: Path, site: Path) -> Path:
    """The course built once for the exports that share it (`build --for-export`, what an export
    without --site builds for itself each time)."""
    assert main(["--root", str(root), "build", "--for-export", "--site-dir", str(site)]) == 0
    return site


def _export(site: Path, out: Path, *args: str) -> None:
    exported(out, "export", "scorm", "--site", str(site), *args)


@pytest.fixture(scope="module")
def lms(tmp_path_factory, serve_site) -> str:
    """One origin: m12/ (SCORM 1.2, --mastery 80), plain12/ (1.2 without), m2004/ (2004, --mastery 80)."""
    runtime = scorm_again()
    folder = tmp_path_factory.mktemp("lms-rules")
    root = make_course(tmp_path_factory.mktemp("rules") / "course")
    lesson = root / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + QUIZZES, encoding="utf-8")
    site = _built(root, tmp_path_factory.mktemp("rules-site") / "site")  # one build for four packages
    _export(site, folder / "m12.zip", "--version", "1.2", "--mastery", "80")
    _export(site, folder / "plain12.zip", "--version", "1.2")
    _export(site, folder / "m2004.zip", "--version", "2004", "--mastery", "80")
    _export(site, folder / "track12.zip", "--version", "1.2", "--track", "alpha")
    body = "## Practice\n\n" + "".join(
        f"/// runnable | Exercise {n}\ncode: |\n  x{n} = {n}\n  print(x{n})\n///\n\n" for n in range(EXERCISES)
    )
    write(root, "lessons/alpha/a2/lesson.md", lesson_md("Second lesson", body=body))
    _export(_built(root, tmp_path_factory.mktemp("code30-site") / "site"), folder / "code30.zip", "--version", "1.2")
    for name in ("scorm12.min.js", "scorm2004.min.js"):
        shutil.copyfile(runtime.with_name(name), folder / name)
    (folder / "moodle.html").write_text(MOODLE_PAGE.format(runtime="scorm12.min.js", harness="moodle12.js"))
    (folder / "moodle12.js").write_text(MOODLE_12_JS, encoding="utf-8")
    (folder / "2004.html").write_text(MOODLE_PAGE.format(runtime="scorm2004.min.js", harness="harness2004.js"))
    (folder / "harness2004.js").write_text(HARNESS_2004, encoding="utf-8")
    return serve_site(folder)


@pytest.fixture(scope="module")
def browser(chromium, lms):
    """The browser each learner launches the activity in, as new (support/lms.py)."""
    with browser_as_new(chromium, lms) as new:
        yield new


def play(browser, lms: str, pkg: str, tracks: list | None = None, *, context=None, **options):
    """A launch of the activity in the emulated Moodle: a browser as new (what the LMS stored is
    all it has) unless `context` is given, the learner's stored tracks, the activity's settings."""
    context = context or browser()
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.add_init_script(settings(pkg, tracks, **options))
    page.goto(lms + "moodle.html")
    course_frame(page)
    return page


def leave(page) -> list:
    """The learner closes the activity: LMSFinish, and what Moodle stored."""
    page.evaluate("() => window.frames[0].tracksiteScorm.report()")
    page.evaluate("document.getElementById('sco').remove()")
    page.wait_for_function("() => API.isTerminated()", timeout=10_000)
    tracks = page.evaluate("() => moodle.tracks()")
    assert not page.errors, page.errors
    page.close()
    return tracks


@pytest.mark.parametrize(
    "options",
    [{}, {"forcecompleted": True}, {"masteryoverride": False}],
    ids=["defaults", "force-completed", "no-override"],
)
def test_an_unfinished_learner_is_neither_passed_nor_failed(browser, lms, options):
    page = play(browser, lms, "m12", mastery="80", **options)
    answer(page)  # 1 lesson of 5, 67 (below the mark)
    tracks = leave(page)
    assert stored(tracks, "cmi.core.lesson_status") == "incomplete", tracks
    assert stored(tracks, "cmi.core.score.raw") == "", tracks  # no score to turn into a fail
    assert not any(require_status(tracks, bits) for bits in (PASSED, COMPLETED, PASSED | COMPLETED))
    # "Force new attempt: When previous attempt completed, passed or failed": the same attempt
    assert relaunched(tracks, 1) == tracks

    page = play(browser, lms, "m12", relaunched(tracks, 1), mastery="80", **options)
    frame = open_lesson(page, "alpha/a1/")
    expect(frame.locator(".ts-progress__toggle")).to_have_attribute("aria-pressed", "true", timeout=15_000)
    open_lesson(page, "alpha/a2/").locator(".ts-progress__toggle").click()  # 2 of 5
    again = leave(page)
    assert stored(again, "cmi.core.lesson_status") == "incomplete", again


def test_a_finished_learner_passes_or_fails_by_the_mark(browser, lms):
    results = {}
    for right in (True, False):
        page = play(browser, lms, "m12", mastery="80")
        answer(page, right)
        finish_course(page)
        page.wait_for_function("() => API.cmi.core.lesson_status !== 'incomplete'", timeout=15_000)
        results[right] = leave(page)
    passed, failed = results[True], results[False]
    assert (stored(passed, "cmi.core.lesson_status"), stored(passed, "cmi.core.score.raw")) == ("passed", "100")
    assert (stored(failed, "cmi.core.lesson_status"), stored(failed, "cmi.core.score.raw")) == ("failed", "67")
    # "Require status: Passed" completes the activity of the learner who passed, only; with a
    # mastery score SCORM 1.2's one status is never "completed" (docs/lms-and-offline.md says so)
    assert require_status(passed, PASSED) and not require_status(failed, PASSED)
    assert not require_status(passed, COMPLETED) and not require_status(passed, PASSED | COMPLETED)
    # "Force new attempt: When previous attempt completed, passed or failed" starts a finished
    # learner afresh (the docs advise No); with No, one who comes back keeps the status Moodle has
    assert relaunched(passed, 1) == [] and relaunched(failed, 1) == [] and relaunched(failed, 0) == failed
    page = play(browser, lms, "m12", failed, mastery="80")
    frame = open_lesson(page, "beta/b2/")
    expect(frame.locator(".ts-progress__toggle")).to_have_attribute("aria-pressed", "true", timeout=15_000)
    assert stored(leave(page), "cmi.core.lesson_status") == "failed"


def test_without_a_mastery_score_require_status_completed_completes(browser, lms):
    page = play(browser, lms, "plain12")
    answer(page)
    page.wait_for_function("() => API.cmi.core.score.raw === '67'", timeout=15_000)  # the score as it comes
    finish_course(page)
    page.wait_for_function("() => API.cmi.core.lesson_status === 'completed'", timeout=15_000)
    tracks = leave(page)
    assert stored(tracks, "cmi.core.lesson_status") == "completed" and require_status(tracks, COMPLETED)


def test_a_failed_stored_by_moodle_for_an_unfinished_learner_is_not_read_as_completed(browser, lms):
    """What an earlier package left: 1 lesson of 5 done, and Moodle's "failed" and score 84."""
    page = play(browser, lms, "m12", mastery="80")
    answer(page)
    tracks = leave(page)
    earlier = [
        ["cmi.core.lesson_status", "failed"],
        ["cmi.core.score.raw", "84"],
        ["cmi.suspend_data", stored(tracks, "cmi.suspend_data")],
    ]
    page = play(browser, lms, "m12", earlier, mastery="80")
    open_lesson(page, "alpha/a2/")
    page.evaluate("() => window.frames[0].tracksiteScorm.report()")
    sets = [c["args"] for c in page.evaluate("calls") if c["name"] == "LMSSetValue"]
    statuses = [value for name, value in sets if name == "cmi.core.lesson_status"]
    assert statuses == ["incomplete"], statuses  # not "passed" at 84 with 1 lesson of 5
    assert not json.loads(page.evaluate("API.cmi.suspend_data")).get("d")
    page.close()


def test_code_beyond_suspend_data_stays_in_the_browser(browser, lms):
    context = browser()  # a browser as new, its storage kept for the relaunch below
    page = play(browser, lms, "code30", context=context)
    hold_python(page)  # the editors alone: no code runs
    frame = open_lesson(page, "alpha/a2/")
    intend(frame)  # the editor loads on a learner's intent (issue 83)
    typed = [
        f"x{n} = {n} * 2  # the learner's own answer to exercise {n}, " + "kept " * 20 + "\n" for n in range(EXERCISES)
    ]
    editors = frame.locator("[data-widget=runnable]")
    expect(editors).to_have_count(EXERCISES)
    for n, code in enumerate(typed):
        editors.nth(n).hover()  # each block's editor is drawn when touched (issue 93)
        editors.nth(n).get_by_label("Code (editable)").fill(code)
    page.wait_for_function(
        "(n) => Object.keys(localStorage).filter((k) => k.includes(':code:')).length === n", arg=EXERCISES
    )
    tracks = leave(page)
    in_lms = json.loads(stored(tracks, "cmi.suspend_data")).get("c", {})
    assert 0 < len(in_lms) < EXERCISES, len(in_lms)  # 1.2's 4,096 characters hold some of them
    print(f"{EXERCISES} exercises: {len(in_lms)} codes in suspend_data, {EXERCISES - len(in_lms)} in the browser only")

    page = play(browser, lms, "code30", tracks, context=context)  # the same browser, relaunched
    hold_python(page)
    frame = open_lesson(page, "alpha/a2/")
    intend(frame)  # the editor loads on a learner's intent (issue 83)
    shown = frame.locator("[data-widget=runnable] .ts-run__print")
    expect(shown).to_have_count(EXERCISES)
    assert shown.all_text_contents() == typed
    page.close()


def test_a_report_of_two_learners_lines_up_by_question(browser, lms):
    """Learner 1 answers questions 1, 2, 3; learner 2 answers 3, then 2, then 1: the LMS's
    journal differs by position, the report built by id lines up, each id's words from the
    package's interactions.csv."""
    steps = ["Seven", "Five", "Sixteen"]  # the page's three questions, in its order
    journals = []
    for order, zone in (((0, 1, 2), "Europe/Paris"), ((2, 1, 0), "UTC")):
        page = browser().new_page()  # a browser as new, its clock in `zone` (what timezone_id sets)
        page.context.new_cdp_session(page).send("Emulation.setTimezoneOverride", {"timezoneId": zone})
        page.goto(lms + "2004.html")
        course_frame(page)
        frame = open_lesson(page, "alpha/a1/")
        for answered, n in enumerate(order, 1):
            question = frame.locator(".ts-quiz__question").nth(n)
            question.get_by_label(steps[n]).check()
            question.get_by_role("button", name="Check answer").click()
            # the package reports 200 ms after the last change: a learner who answers faster
            # is journalled in the page's order, so each answer reaches the LMS before the next
            page.wait_for_function("(n) => API_1484_11.cmi.interactions.childArray.length === n", arg=answered)
        journals.append(
            page.evaluate(
                """() => API_1484_11.cmi.interactions.childArray.map((i) => ({ id: i.id,
                response: i.learner_response, result: i.result, description: i.description, time: i.timestamp }))"""
            )
        )
        page.close()
    # 2004's timestamps say the learner's offset from UTC (Paris: +01:00, in summer +02:00)
    assert all(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.0\+0[12]:00", i["time"]) for i in journals[0]), journals[
        0
    ]
    assert all(i["time"].endswith(".0Z") for i in journals[1]), journals[1]
    first, second = ([i["id"] for i in journal] for journal in journals)
    assert len(first) == 3 and first != second and sorted(first) == sorted(second)  # by position: no
    with urllib.request.urlopen(lms + "m2004/interactions.csv") as answer:
        rows = list(csv.DictReader(answer.read().decode("utf-8").splitlines()))
    for ident in first:
        one, two = (next(i for i in journal if i["id"] == ident) for journal in journals)
        question = {r["question"] for r in rows if r["id"] == ident}
        assert {one["description"], two["description"]} == question, ident  # by id: one question
        assert (one["response"], one["result"]) == (two["response"], two["result"]), ident
        options = [r["option"] for r in rows if r["id"] == ident and r["response_2004"] == one["response"]]
        assert options == [steps[[*map(str.lower, steps)].index(one["response"].split("_", 1)[1])]]


def test_a_track_package_keeps_work_done_in_another_tracks_lessons(browser, lms):
    page = play(browser, lms, "track12")
    # the activity starts at its track's page (the course has five lessons, the track three)
    assert page.evaluate("() => window.frames[0].frames[0].location.pathname") == "/track12/alpha/index.html"
    open_lesson(page, "beta/b1/").locator(".ts-progress__toggle").click()  # another track's lesson
    open_lesson(page, "alpha/a2/").locator(".ts-progress__toggle").click()
    page.wait_for_function("() => API.cmi.suspend_data.includes('.')", timeout=15_000)
    tracks = leave(page)
    assert stored(tracks, "cmi.core.lesson_status") == "incomplete"  # 1 of alpha's 3 lessons

    page = play(browser, lms, "track12", tracks)  # another browser: only the LMS's state
    frame = open_lesson(page, "beta/b1/")
    expect(frame.locator(".ts-progress__toggle")).to_have_attribute("aria-pressed", "true", timeout=15_000)
    for lesson in ("alpha/a1/", "alpha/a3/"):
        open_lesson(page, lesson).locator(".ts-progress__toggle").click()
    page.wait_for_function("() => API.cmi.core.lesson_status === 'completed'", timeout=15_000)
    done = leave(page)
    assert stored(done, "cmi.core.lesson_status") == "completed"
    records = json.loads(stored(done, "cmi.suspend_data"))["s"].split(".")
    assert len(records) == 4, records  # alpha's three and beta/b1


def test_two_windows_of_one_activity_do_not_cross_write(browser, lms):
    context = browser()  # one browser as new, both windows in it
    one = play(browser, lms, "plain12", context=context)
    answer(one)
    one.wait_for_function(
        "() => moodle.tracks().some(([k, v]) => k === 'cmi.suspend_data' && v.includes('1,'))", timeout=15_000
    )
    committed = one.evaluate("() => moodle.tracks()")  # what the LMS has: lesson a1 done
    open_lesson(one, "alpha/a2/").locator(".ts-progress__toggle").click()  # not yet committed
    one.wait_for_function("() => JSON.parse(API.cmi.suspend_data).s.split('.').length === 2", timeout=15_000)

    two = play(browser, lms, "plain12", committed, context=context)  # the activity opened again
    frame = open_lesson(two, "alpha/a2/")
    expect(frame.locator(".ts-progress__toggle")).to_have_attribute("aria-pressed", "true", timeout=15_000)
    expect(one.frame_locator("#sco").locator("#ts-scorm-elsewhere")).to_be_visible()
    before = len(one.evaluate("calls"))
    open_lesson(two, "beta/b1/").locator(".ts-progress__toggle").click()
    two.wait_for_function("() => JSON.parse(API.cmi.suspend_data).s.split('.').length === 3", timeout=15_000)
    one.evaluate("() => window.frames[0].tracksiteScorm.report()")  # the first window's report, now
    sets = [c for c in one.evaluate("calls")[before:] if c["name"] == "LMSSetValue"]
    assert not sets, sets  # the first window no longer records
    records = json.loads(two.evaluate("API.cmi.suspend_data"))["s"].split(".")
    assert sum(r[3] == "1" for r in records) == 3, records  # a1, a2 and b1 done
    assert not one.errors and not two.errors, one.errors + two.errors
