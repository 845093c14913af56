"""`tracksite export scorm` played in Chromium under scorm-again (issue 43), the SCORM runtime
LMS plug-ins use: a test page holds the API (scorm-again's Scorm12API on window.API) and shows
the package's launch page in a frame, as an LMS does. The learner marks a lesson complete and
answers a quiz question; the LMS is told the status, the score, the session time and the
progress (suspend_data); a relaunch in a fresh browser (no storage) with that suspend_data shows
the progress again.

scorm-again comes from npm: `.ci/run` installs it into tests/.npm (git-ignored); outside CI the
test is skipped when it is absent (TRACKSITE_SCORM_AGAIN may name its dist folder)."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support.lms import browser_as_new
from support.scorm import (
    FILL_JS,
    HARNESS,
    HARNESS_2004_JS,
    HARNESS_JS,
    STUB,
    STUB_JS,
    big_course,
    course_frame,
    namespace,
    scorm_again,
)
from tracksite.commands.cli import main

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[2]
LESSON = "deep-learning-survey/convolutions/"


@pytest.fixture(scope="module")
def lms(export_site, tmp_path_factory, serve_site) -> str:
    """The served folder: the test LMS page, scorm-again, and the unzipped package under pkg/."""
    runtime = scorm_again()
    folder = tmp_path_factory.mktemp("lms")
    out = folder / "course-scorm.zip"
    assert main(["export", "scorm", "--version", "1.2", "--site", str(export_site), "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        z.extractall(folder / "pkg")
    shutil.copyfile(runtime, folder / "scorm12.min.js")
    (folder / "index.html").write_text(HARNESS, encoding="utf-8")
    (folder / "harness.js").write_text(HARNESS_JS, encoding="utf-8")
    return serve_site(folder)


def cmi(page) -> dict:
    return page.evaluate(
        """() => { const c = JSON.parse(JSON.stringify(API.cmi));
        return { status: c.core.lesson_status, raw: c.core.score.raw, time: c.core.session_time,
                 suspend: c.suspend_data }; }"""
    )


def test_scorm_package_plays_under_scorm_again(browser, lms):
    page = browser().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    foreign: list[str] = []
    page.on("request", lambda r: foreign.append(r.url) if not r.url.startswith(lms) else None)
    page.goto(lms)
    course_frame(page)
    assert page.evaluate("API.isInitialized()"), "the package did not initialise the LMS session"
    assert cmi(page)["status"] == "incomplete"

    # the learner opens a lesson from the course's own navigation, marks it complete, answers a quiz
    launch = page.frame_locator("#sco")
    launch.locator("#ts-scorm-frame").evaluate(f"f => f.contentWindow.location.assign('{LESSON}index.html')")
    frame = course_frame(page, LESSON + "index.html")
    frame.locator(".ts-progress__toggle").click()
    quiz = frame.locator(".ts-quiz").first
    quiz.get_by_label("It needs an enormous number of weights and ignores which pixels are neighbours.").check()
    quiz.get_by_role("button", name="Check answer").first.click()
    page.wait_for_function("() => API.cmi.core.score.raw !== '' && API.cmi.suspend_data.length > 0", timeout=10_000)
    during = cmi(page)
    assert during["status"] == "incomplete"  # one lesson of 16: the course's rule is all of them
    assert 0 < int(during["raw"]) < 100

    # the learner leaves: the launch page ends the session on page hide
    page.evaluate("document.getElementById('sco').remove()")
    page.wait_for_function("() => API.isTerminated()", timeout=10_000)
    after = cmi(page)
    assert after["time"] not in ("", "00:00:00"), after
    suspend = after["suspend"]
    assert 0 < len(suspend) < 4096
    assert not errors, errors
    assert not foreign, foreign

    # a relaunch on another machine: no storage, the LMS's suspend_data only
    page = browser().new_page()
    page.goto(lms + "?suspend=" + __import__("urllib.parse").parse.quote(suspend))
    course_frame(page)
    page.frame_locator("#sco").locator("#ts-scorm-frame").evaluate(
        f"f => f.contentWindow.location.assign('{LESSON}index.html')"
    )
    frame = course_frame(page, LESSON + "index.html")
    expect(frame.locator(".ts-progress__toggle")).to_have_attribute("aria-pressed", "true", timeout=15_000)
    restored = frame.locator(".ts-quiz").first.locator(".ts-quiz__feedback").first
    expect(restored).to_have_text(re.compile(r"\S"), timeout=15_000)  # the quiz answer came back
    page.close()


def test_without_an_lms_the_package_is_the_site_and_says_nothing_is_recorded(browser, lms):
    """Opened where no LMS's API answers (a plain host, or an LMS page of another origin): the
    course works in the launch page's frame, under a line that says nothing is recorded (issue 82)."""
    page = browser().new_page()
    page.goto(lms + "pkg/scorm-launch.html")
    notice = page.locator("#ts-scorm-alone")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "status")
    expect(notice).to_contain_text("not recorded")
    frame = page.frame_locator("#ts-scorm-frame")
    expect(frame.locator("[data-ts-search]:not([hidden])")).to_have_count(1, timeout=15_000)
    assert page.locator("#ts-scorm-frame").bounding_box()["height"] > 400  # the course has the room
    page.close()


@pytest.fixture(scope="module")
def lms2004(export_site, tmp_path_factory, serve_site) -> str:
    runtime = scorm_again().with_name("scorm2004.min.js")
    folder = tmp_path_factory.mktemp("lms2004")
    out = folder / "course-scorm.zip"
    assert main(["export", "scorm", "--version", "2004", "--site", str(export_site), "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        z.extractall(folder / "pkg")
    shutil.copyfile(runtime, folder / "scorm12.min.js")  # the harness page's one script name
    (folder / "index.html").write_text(HARNESS, encoding="utf-8")
    (folder / "harness.js").write_text(HARNESS_2004_JS, encoding="utf-8")
    return serve_site(folder)


@pytest.fixture(scope="module")
def browser(chromium, lms, lms2004):
    """The browser the packages are launched in, as new at each call (support/lms.py)."""
    with browser_as_new(chromium, lms, lms2004) as new:
        yield new


def test_scorm_2004_package_plays_under_scorm_again(browser, lms2004, tmp_path):
    """SCORM 2004: the same session under Scorm2004API; and a progress file loaded on the
    package's home page (progress that travels) reaches the LMS."""
    import json

    page = browser().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(lms2004)
    frame = course_frame(page)
    assert page.evaluate("API_1484_11.isInitialized()")
    saved = tmp_path / "progress.json"
    state = {
        "tracksite:progress": {
            "deep-learning-survey/convolutions": True,
            "deep-learning-survey/deep-learning-era": True,
        }
    }
    saved.write_text(json.dumps({"format": "tracksite-progress", "version": 1, "state": state}), encoding="utf-8")
    frame.locator("[data-ts-travel-load]").set_input_files(str(saved))
    # the launch itself reports an empty suspend_data; wait for the report the loaded file causes
    # (FileReader, storage event, 200 ms debounce), not for any report
    page.wait_for_function(
        "() => { const s = API_1484_11.cmi.suspend_data; return s && JSON.parse(s).s.split('.').length === 2; }",
        timeout=15_000,
    )
    page.evaluate("document.getElementById('sco').remove()")
    page.wait_for_function("() => API_1484_11.isTerminated()", timeout=10_000)
    c = page.evaluate("() => JSON.parse(JSON.stringify(API_1484_11.cmi))")
    assert c["completion_status"] == "incomplete"
    assert c["session_time"].startswith("PT"), c["session_time"]
    assert c["exit"] == "suspend"
    records = json.loads(c["suspend_data"])["s"].split(".")  # a record per lesson done: its code, then 1
    assert len(records) == 2 and all(r.endswith("1") for r in records), records
    assert not errors, errors
    page.close()


# -- suspend_data for a 200-lesson course ---------------------------------------------------------


def test_suspend_data_of_a_200_lesson_course_fits_scorm_12(chromium, tmp_path, serve_site):
    """scorm.js's suspend_data of a full 200-lesson course (3 questions and 3 cards a lesson) is
    exactly the export's worst case, fits 4,096 characters, and comes back as it was."""
    from tracksite.commands.export import scorm, scormstate

    course = big_course(200, 3, 3)
    assets = tmp_path / "assets/tracksite-export"
    assets.mkdir(parents=True)
    for name in ("scorm-state.js", "scorm.js"):
        shutil.copyfile(REPO / "scripts/tracksite/theme/export" / name, assets / name)
    (assets / "scorm-course.js").write_text(scorm.course_script(course, "1.2", 1.0), encoding="utf-8")
    (tmp_path / "launch.html").write_text(STUB, encoding="utf-8")
    (tmp_path / "stub.js").write_text(STUB_JS, encoding="utf-8")
    (tmp_path / "index.html").write_text("<!doctype html><title>course</title>", encoding="utf-8")
    base = serve_site(tmp_path)
    context = chromium.new_context()
    page = context.new_page()
    page.goto(base + "launch.html")
    page.wait_for_function("() => window.tracksiteScorm")
    ns = namespace(page)
    state = page.evaluate(FILL_JS, ns)
    suspend = page.evaluate("() => window.tracksiteScorm.encode()")
    print(f"suspend_data of a full 200-lesson course: {len(suspend)} characters")
    assert len(suspend) == scormstate.worst_case(course) <= 4096
    page.evaluate("(s) => { localStorage.clear(); window.tracksiteScorm.restore(s); }", suspend)
    back = page.evaluate(
        "([ns, keys]) => Object.fromEntries(keys.map((k) => [k, JSON.parse(localStorage.getItem(ns + k.slice(10)))]))",
        [ns, list(state)],
    )
    assert back["tracksite:progress"] == state["tracksite:progress"]
    assert back["tracksite:learner"] == state["tracksite:learner"]
    for key, value in state.items():
        if key.startswith(("tracksite:quiz:", "tracksite:cards:")):
            assert back[key] == value, key
    day = 86_400_000
    cards = back["tracksite:review"]["cards"]
    assert cards.keys() == state["tracksite:review"]["cards"].keys()
    for card, was in state["tracksite:review"]["cards"].items():
        assert cards[card]["box"] == was["box"]
        assert 0 <= was["due"] - cards[card]["due"] < day  # due on the same day, at its start

    # a denser course: the LMS refuses the whole state; the card schedules go, lessons and scores stay
    dense = big_course(200, 6, 8)
    (assets / "scorm-course.js").write_text(scorm.course_script(dense, "1.2", 1.0), encoding="utf-8")
    # a context of its own: the first one's HTTP cache may still hold the first course's script
    # (fresh for a tenth of its age by Chromium's heuristic), and the page would fill that course
    context.close()
    context = chromium.new_context()
    page = context.new_page()
    page.goto(base + "launch.html")
    page.wait_for_function("() => window.tracksiteScorm")
    ns = namespace(page)
    page.evaluate(FILL_JS, ns)
    level = page.evaluate("() => window.tracksiteScorm.saveState()")
    kept = page.evaluate("() => window.lmsData['cmi.suspend_data']")
    assert level > 0 and len(kept) <= 4096 and len(kept) == scormstate.worst_case(dense, level), (level, len(kept))
    page.evaluate("(s) => { localStorage.clear(); window.tracksiteScorm.restore(s); }", kept)
    assert page.evaluate(f"() => Object.keys(JSON.parse(localStorage['{ns}progress'])).length") == 200
    assert page.evaluate("() => window.tracksiteScorm.score()") == 50  # every other first check right
    context.close()
