"""The course in an LMS as it is installed (issue 72), played in Chromium under scorm-again:

- a new version that rewords one option of one question keeps the learner's other answers (and
  their first checks: the score), and one that changes an explanation keeps every answer;
- the LMS receives a `cmi.interactions` entry per question answered (1.2 and 2004);
- two activities of one package, served from two paths of one origin as an LMS serves them, and
  two courses of one name without `site_url`, keep their own progress;
- a host that lacks a file of the interpreter: the block says which, and the server's answer
  (code exercises where the host serves `.wasm` as `application/octet-stream`, as Moodle's stock
  file types do, are test_code_channels.py's SCORM 1.2 channel);
- `--mastery` turns a completed course into passed or failed.

(`--track`: one track's package is an activity of its own, completed by that track's lessons:
test_lms_rules.py's track package, under Moodle's rules.)
"""

from __future__ import annotations

import re
import shutil
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support.course import make_course
from support.lms import (
    HARNESS,
    HARNESS_JS,
    QUIZZES,
    StockTypes,
    browser_as_new,
    interactions,
    launch,
    leave,
    open_lesson,
    storage,
    suspend,
)
from support.scorm import course_frame, exported, scorm_again
from support.widget_pages import MULTI_QUIZ, explanations, open_widgets
from tracksite.commands.cli import main
from tracksite.localserver import serve_folder

pytestmark = pytest.mark.browser


# SCORM 2004: scorm-again's Scorm2004API, each SetValue logged with what it returned
HARNESS_2004 = """
window.API_1484_11 = new Scorm2004API({ logLevel: 5, autocommit: false });
window.calls = [];
const real = window.API_1484_11.SetValue.bind(window.API_1484_11);
window.API_1484_11.SetValue = (...args) => { const ret = real(...args); window.calls.push({ args, ret }); return ret; };
document.addEventListener("DOMContentLoaded", () => { document.getElementById("sco").src = "s4/scorm-launch.html"; });
"""


# a relaunch of an activity whose LMS holds a score and a completed status already
RELAUNCH = HARNESS_JS.replace(
    'core: { entry: "resume" }',
    'core: { entry: "resume", lesson_status: "completed", score: { raw: "67", min: "0", max: "100" } }',
)
assert RELAUNCH != HARNESS_JS


def _course(root: Path, name: str = "Course A", edit: tuple[str, str] | None = None, mastery: bool = False) -> Path:
    make_course(root)
    yml = root / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("site_name: Fixture course", f"site_name: {name}"))
    lesson = root / "lessons/alpha/a1/lesson.md"
    text = QUIZZES.replace(*edit) if edit else QUIZZES
    lesson.write_text(lesson.read_text(encoding="utf-8") + text, encoding="utf-8")
    return root


def _export(root: Path, out: Path, *extra: str) -> Path:
    return exported(out, "--root", str(root), "export", "scorm", "--version", "1.2", *extra)


def _built(root: Path) -> Path:
    """The course built once for the packages made of it (`build --for-export`, what an export
    without --site builds for itself each time), beside its project."""
    site = root.with_name(root.name + "-site")
    assert main(["--root", str(root), "build", "--for-export", "--site-dir", str(site)]) == 0
    return site


def _export_site(site: Path, out: Path, *extra: str) -> Path:
    return exported(out, "export", "scorm", "--site", str(site), *extra)


@pytest.fixture(scope="module")
def lms(tmp_path_factory, serve_site) -> str:
    """One origin: v1/ (the course), reworded/ (one option of question 1 reworded), explained/ (one
    explanation changed), x/ and y/ (the same zip as v1, two activities), same/ (another course of
    the same name), mastery/ (v1 with --mastery 60)."""
    runtime = scorm_again()
    folder = tmp_path_factory.mktemp("lms-installed")
    work = tmp_path_factory.mktemp("courses-installed")
    built = _built(_course(work / "v1"))  # v1, mastery/ and s4/ are packages of one build
    v1 = _export_site(built, folder / "v1.zip", "--version", "1.2")
    _export(_course(work / "reworded", edit=("text: Nine", "text: Nine, a square")), folder / "reworded.zip")
    _export(_course(work / "explained", edit=("Two divides it.", "It is twice two.")), folder / "explained.zip")
    for name in ("x", "y"):
        shutil.copytree(v1, folder / name)
    other = _course(work / "same")
    (other / "lessons/alpha/a1/lesson.md").write_text(
        (other / "lessons/alpha/a1/lesson.md").read_text(encoding="utf-8").replace("Sixteen", "Nine"), encoding="utf-8"
    )
    _export(other, folder / "same.zip")
    _export_site(built, folder / "mastery.zip", "--version", "1.2", "--mastery", "60")
    _export_site(built, folder / "s4.zip", "--version", "2004")
    shutil.copyfile(runtime.with_name("scorm2004.min.js"), folder / "scorm2004.min.js")
    (folder / "2004.html").write_text(
        HARNESS.replace("scorm12.min.js", "scorm2004.min.js").replace("harness.js", "harness2004.js"), encoding="utf-8"
    )
    (folder / "harness2004.js").write_text(HARNESS_2004, encoding="utf-8")
    (folder / "relaunch.html").write_text(HARNESS.replace("harness.js", "relaunch.js"), encoding="utf-8")
    (folder / "relaunch.js").write_text(RELAUNCH, encoding="utf-8")
    shutil.copyfile(runtime, folder / "scorm12.min.js")
    (folder / "index.html").write_text(HARNESS, encoding="utf-8")
    (folder / "harness.js").write_text(HARNESS_JS, encoding="utf-8")
    return serve_site(folder)


@pytest.fixture(scope="module")
def browser(chromium, lms):
    """The browser each learner launches an activity in, as new (support/lms.py)."""
    with browser_as_new(chromium, lms) as new:
        yield new


def answer_all(page):
    """Lesson a1 marked done; question 1 right, question 2 wrong first, question 3 right."""
    frame = open_lesson(page, "alpha/a1/")
    frame.locator(".ts-progress__toggle").click()
    first, second = frame.locator(".ts-quiz").nth(0), frame.locator(".ts-quiz").nth(1)
    first.get_by_label("Seven").check()
    first.get_by_role("button", name="Check answer").first.click()
    first.get_by_label("Five").check()
    first.get_by_role("button", name="Check answer").first.click()
    second.get_by_label("Sixteen").check()
    second.get_by_role("button", name="Check answer").first.click()
    return frame


def test_an_edit_drops_only_the_answer_it_changed_and_the_lms_gets_each_result(browser, lms):
    page = browser().new_page()  # a browser as new: the LMS's state only
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    launch(page, lms, "v1")
    answer_all(page)
    page.wait_for_function("() => API.cmi.core.score.raw === '67'", timeout=15_000)
    page.wait_for_function("() => API.cmi.interactions.childArray.length === 3", timeout=15_000)
    got = interactions(page)
    assert [i["type"] for i in got] == ["choice"] * 3
    assert [i["result"] for i in got] == ["correct", "wrong", "correct"]
    assert [i["student_response"] for i in got] == ["a", "b", "a"]  # the options in the source's order
    assert [i["pattern"] for i in got] == ["a", "a", "a"]
    assert all(i["weighting"] == "1" and i["latency"] and i["id"].startswith("alpha/a1/") for i in got), got
    assert len({i["id"] for i in got}) == 3
    leave(page)
    old = suspend(page)
    sent = len(interactions(page))

    # one option of question 1 reworded: questions 2 and 3 keep their answers and first checks
    page = browser().new_page()  # a browser as new: the LMS's state only
    page.on("pageerror", lambda e: errors.append(str(e)))
    launch(page, lms, "reworded", old)
    frame = open_lesson(page, "alpha/a1/")
    expect(frame.locator(".ts-progress__toggle")).to_have_attribute("aria-pressed", "true", timeout=15_000)
    first, second = frame.locator(".ts-quiz").nth(0), frame.locator(".ts-quiz").nth(1)
    expect(first.get_by_label("Five")).to_be_checked()
    expect(second.get_by_label("Sixteen")).to_be_checked()
    assert first.get_by_label("Seven").is_checked() is False  # the edited question starts afresh
    assert frame.locator(".ts-quiz__question.is-answered").count() == 2
    assert page.evaluate("() => window.frames[0].tracksiteScorm.score()") == 33  # question 3's first check
    assert interactions(page) == []  # nothing re-sent at a relaunch

    # the same version relaunched where the LMS holds the score and "completed" (a lesson of five
    # done: completed by an earlier version's rule): neither is sent again, nor taken back
    page = browser().new_page()  # a browser as new: the LMS's state only
    page.goto(f"{lms}relaunch.html?pkg=v1&suspend={urllib.parse.quote(old)}")
    course_frame(page)
    open_lesson(page, "alpha/a2/")
    page.evaluate("() => window.frames[0].tracksiteScorm.report()")  # its delayed report, made now: what it sends
    values = [c["args"][0] for c in page.evaluate("calls") if c["name"] == "LMSSetValue"]
    assert not [v for v in values if v.startswith(("cmi.core.score", "cmi.core.lesson_status", "cmi.interactions"))]
    assert page.evaluate("API.cmi.core.lesson_status") == "completed"

    # one explanation changed: every answer stays
    page = browser().new_page()  # a browser as new: the LMS's state only
    launch(page, lms, "explained", old)
    frame = open_lesson(page, "alpha/a1/")
    expect(frame.locator(".ts-quiz__question.is-answered")).to_have_count(3, timeout=15_000)
    assert page.evaluate("() => window.frames[0].tracksiteScorm.score()") == 67
    assert sent == 3
    assert not errors, errors


def test_scorm_2004_receives_each_result_with_its_description(browser, lms):
    page = browser().new_page()  # a browser as new: the LMS's state only
    page.goto(lms + "2004.html")
    course_frame(page)
    answer_all(page)
    page.wait_for_function("() => API_1484_11.cmi.interactions.childArray.length === 3", timeout=15_000)
    sets = page.evaluate("calls")
    refused = [c for c in sets if c["args"][0].startswith("cmi.interactions.") and c["ret"] != "true"]
    assert not refused, refused
    got = page.evaluate(
        """() => API_1484_11.cmi.interactions.childArray.map((i) => ({ id: i.id, type: i.type,
        response: i.learner_response, result: i.result, weighting: i.weighting, latency: i.latency,
        description: i.description, pattern: i.correct_responses.childArray[0].pattern }))"""
    )
    assert [(i["type"], i["response"], i["result"], i["pattern"]) for i in got] == [
        ("choice", "a_seven", "correct", "a_seven"),  # the options as written (issue 82)
        ("choice", "b_five", "incorrect", "a_four"),
        ("choice", "a_sixteen", "correct", "a_sixteen"),
    ], got
    assert got[0]["description"] == "Which is a prime number?" and got[0]["latency"].startswith("PT")
    assert page.evaluate("API_1484_11.cmi.score.raw") == "67"


def test_two_activities_of_one_package_and_two_courses_of_one_name_keep_their_own(browser, lms):
    context = browser()  # one browser as new, every activity in it
    x = context.new_page()
    errors: list[str] = []
    x.on("pageerror", lambda e: errors.append(str(e)))
    launch(x, lms, "x")
    answer_all(x)
    x.wait_for_function("() => API.cmi.core.score.raw === '67'", timeout=15_000)
    x.wait_for_function("() => calls.length && calls[calls.length - 1].name === 'LMSCommit'", timeout=15_000)
    before = {"storage": storage(x), "suspend": suspend(x), "calls": x.evaluate("calls.length")}

    for other in ("y", "same"):
        page = context.new_page()
        page.on("pageerror", lambda e: errors.append(str(e)))
        launch(page, lms, other)
        frame = open_lesson(page, "alpha/a1/")
        expect(frame.locator(".ts-progress__toggle")).to_have_attribute("aria-pressed", "false")
        assert frame.locator(".ts-quiz__question.is-answered").count() == 0, other
        frame.locator(".ts-progress__toggle").click()  # and a change of its own
        page.wait_for_function("() => API.cmi.core.lesson_status === 'incomplete'", timeout=15_000)
        # the other's writes seen by x, then x's report of them made now rather than after its delay
        x.wait_for_function(
            "(s) => Object.entries(s).every(([k, v]) => localStorage.getItem(k) === v)", arg=storage(page)
        )
        x.evaluate("() => window.frames[0].tracksiteScorm.report()")
        assert {k: v for k, v in storage(x).items() if k in before["storage"]} == before["storage"], other
        assert suspend(x) == before["suspend"], other
        assert x.evaluate("calls.length") == before["calls"], x.evaluate("calls.slice(-5)")
        page.close()
    assert not errors, errors


def test_a_mastery_score_passes_or_fails_a_completed_course(browser, lms):
    page = browser().new_page()  # a browser as new: the LMS's state only
    launch(page, lms, "mastery")
    answer_all(page)  # 2 of 3 first checks right: 67, above 60
    for lesson in ("alpha/a2/", "alpha/a3/", "beta/b1/", "beta/b2/"):
        open_lesson(page, lesson).locator(".ts-progress__toggle").click()
    page.wait_for_function("() => API.cmi.core.lesson_status === 'passed'", timeout=15_000)


# -- a host that lacks a file of the interpreter ----------------------------------------------------
# (code exercises where the host serves `.wasm` as application/octet-stream, as Moodle's stock file
# types do: the SCORM 1.2 channel of test_code_channels.py is served so)


def test_the_reason_python_could_not_start_is_given(browser, tmp_path):
    """A host that lacks a file of the interpreter (here the loader): the block names the file and
    the server's answer, not "()". (The page fetches the interpreter's files as bytes and hands
    them to the sandboxed frame, issue 81, so the type a host gives them no longer matters.)"""
    from support.runnable import runnable_course

    pkg = _export(runnable_course(tmp_path / "course"), tmp_path / "pkg.zip")
    (pkg / "assets/tracksite/pyodide/pyodide.js").unlink()
    with serve_folder(pkg, StockTypes) as base:
        page = browser().new_page()  # (a host of its own: its origin has no storage yet)
        page.goto(base + "alpha/a1/index.html")
        exercise = page.locator("#ts-run-1")
        exercise.hover()  # intent: runnable.js loads (issue 83)
        exercise.get_by_role("button", name="Run").click()
        status = exercise.locator(".ts-run__status")
        expect(status).to_contain_text("Python could not start", timeout=60_000)
        expect(status).to_contain_text("pyodide/pyodide.js")
        expect(status).to_contain_text("HTTP 404")
        page.close()


def test_flashcard_due_days_keep_the_learners_date(chromium, tmp_path, serve_site):
    """Outside UTC (Los Angeles), a card due on the 30th is due on the 30th after a relaunch."""
    from support.scorm import FILL_JS, STUB, STUB_JS, big_course, namespace
    from tracksite.commands.export import scorm

    repo = Path(__file__).resolve().parents[2]
    assets = tmp_path / "assets/tracksite-export"
    assets.mkdir(parents=True)
    for name in ("scorm-state.js", "scorm.js"):
        shutil.copyfile(repo / "scripts/tracksite/theme/export" / name, assets / name)
    (assets / "scorm-course.js").write_text(scorm.course_script(big_course(50, 1, 3), "1.2", 1.0), encoding="utf-8")
    (tmp_path / "launch.html").write_text(STUB, encoding="utf-8")
    (tmp_path / "stub.js").write_text(STUB_JS, encoding="utf-8")
    (tmp_path / "index.html").write_text("<!doctype html><title>course</title>", encoding="utf-8")
    base = serve_site(tmp_path)
    context = chromium.new_context(timezone_id="America/Los_Angeles")
    page = context.new_page()
    page.goto(base + "launch.html")
    page.wait_for_function("() => window.tracksiteScorm")
    ns = namespace(page)
    state = page.evaluate(FILL_JS, ns)
    # every card due at 10:00 on its day, the learner's clock
    page.evaluate(
        """(ns) => { const r = JSON.parse(localStorage[ns + "review"]);
        for (const c of Object.values(r.cards)) { const d = new Date(c.due); d.setHours(10, 0, 0, 0); c.due = +d; }
        localStorage[ns + "review"] = JSON.stringify(r); }""",
        ns,
    )
    days = "(ns) => Object.values(JSON.parse(localStorage[ns + 'review']).cards).map((c) => new Date(c.due).toDateString())"
    before = page.evaluate(days, ns)
    text = page.evaluate("() => window.tracksiteScorm.encode()")
    page.evaluate("(s) => { localStorage.clear(); window.tracksiteScorm.restore(s); }", text)
    assert page.evaluate(days, ns) == before
    assert state
    context.close()


# -- the website: answers a quiz kept by position before move to its questions' own keys ----------


def test_answers_kept_by_the_quiz_before_move_to_each_questions_key(browser_page, lesson_url):  # noqa: F811
    url = lesson_url
    page = open_widgets(browser_page, url)
    root = page.locator(MULTI_QUIZ).first
    quiz_key = root.get_attribute("data-key")
    question = root.locator(".ts-quiz__question").nth(1)
    right = explanations(question)[0].index(True)
    # what a page of the site before kept: the quiz's answers by the question's place
    page.evaluate(
        "([k, right]) => localStorage.setItem(tracksite.key(k), JSON.stringify({answers: {1: [right]}, first: {1: 1}}))",
        [quiz_key, right],
    )
    page = open_widgets(page, url)
    root = page.locator(MULTI_QUIZ).first
    question = root.locator(".ts-quiz__question").nth(1)
    expect(question).to_have_class(re.compile("is-answered"))
    own = question.get_attribute("data-key")
    stored = page.evaluate("(k) => JSON.parse(localStorage.getItem(tracksite.key(k)))", own)
    assert stored == {"answers": {"0": [right]}, "first": {"0": 1}}
    assert page.evaluate("(k) => localStorage.getItem(tracksite.key(k))", quiz_key) is None
    assert root.locator(".ts-quiz__question.is-answered").count() == 1
