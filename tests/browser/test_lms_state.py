"""The learner's state in an LMS (issue 54), played in Chromium under scorm-again as an LMS plays
a package: every package served from ONE origin, as Moodle serves them from pluginfile.php.

- Two courses on one origin: launching course B leaves course A's storage and A's committed
  suspend_data as they were (the keys live under each course's namespace).
- A new version: a lesson inserted before the one done; relaunched with the old suspend_data,
  the same lessons are done (by id), no answer shows that was not given, and the score is each
  question's first check (a retry after a wrong answer does not raise it).
- The calls: SetValue only on changes, a commit 2 s after the last change and one at exit,
  nothing after LMSFinish.
- The learner's code (issue 70): kept in suspend_data where it fits, back in the editor on a
  relaunch from another browser; code too long for SCORM 1.2's 4,096 characters is left out,
  and the lesson done is kept.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support.course import PRIME_AND_EVEN_QUIZ, hold_python, lesson_md, make_course, write
from support.lms import HARNESS, HARNESS_JS, browser_as_new, launch, leave, open_lesson, storage, suspend
from support.scorm import course_frame, exported, scorm_again

pytestmark = pytest.mark.browser

QUIZ = (
    "\n"
    + PRIME_AND_EVEN_QUIZ
    + """
/// flashcards
- term: Prime
  answer: Divisible only by 1 and itself.
- term: Even
  answer: Divisible by two.
///
"""
)


RUNNABLE = """## Practice

/// runnable | Mine
code: |
  x = 1
  print(x)
///
"""


def _course(root: Path, name: str, *, inserted: bool = False, runnable: bool = False) -> Path:
    """The fixture course named `name`, its lesson a1 with a quiz and flashcards; `inserted` puts
    a new lesson a0 (with a quiz of its own) before a1; `runnable` gives lesson a2 a runnable block."""
    make_course(root)
    if runnable:
        write(root, "lessons/alpha/a2/lesson.md", lesson_md("Second lesson", body=RUNNABLE))
    yml = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(yml.replace("site_name: Fixture course", f"site_name: {name}"), encoding="utf-8")
    lesson = root / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text(encoding="utf-8") + QUIZ, encoding="utf-8")
    if inserted:
        track = root / "lessons/alpha/track.yml"
        track.write_text(track.read_text(encoding="utf-8").replace("[a1, a2]", "[a0, a1, a2]"), encoding="utf-8")
        text = lesson.read_text(encoding="utf-8").replace("First lesson", "New first lesson")
        write(root, "lessons/alpha/a0/lesson.md", text.replace("Seven", "Eleven").replace("Prime", "Prime number"))
        write(root, "lessons/alpha/a0/overview.md", (root / "lessons/alpha/a1/overview.md").read_text(encoding="utf-8"))
        write(root, "cheatsheets/alpha/a0.md", "## Key ideas\n\n| a | b |\n|---|---|\n| a0 | 1 |\n")
    return root


def _export(root: Path, out: Path) -> None:
    exported(out, "--root", str(root), "export", "scorm", "--version", "1.2")


@pytest.fixture(scope="module")
def lms(tmp_path_factory, serve_site) -> str:
    """One origin serving the LMS page and three packages: a/ (course A), a2/ (course A with a
    lesson inserted), b/ (course B, with a runnable block in lesson a2)."""
    runtime = scorm_again()
    folder = tmp_path_factory.mktemp("lms-one-origin")
    work = tmp_path_factory.mktemp("courses")
    _export(_course(work / "a", "Course A"), folder / "a.zip")
    _export(_course(work / "a2", "Course A", inserted=True), folder / "a2.zip")
    _export(_course(work / "b", "Course B", runnable=True), folder / "b.zip")
    shutil.copyfile(runtime, folder / "scorm12.min.js")
    (folder / "index.html").write_text(HARNESS, encoding="utf-8")
    (folder / "harness.js").write_text(HARNESS_JS, encoding="utf-8")
    return serve_site(folder)


@pytest.fixture(scope="module")
def browser(chromium, lms):
    """A browser as new at each call (support/lms.py): one context, its pages closed and the
    LMS origin's storage wiped, rather than a context of its own each."""
    with browser_as_new(chromium, lms) as new:
        yield new


def progress_in_a1(page):
    """Lesson a1: marked done, question 1 answered wrong then (after Retry) right, question 2
    right, the first flashcard marked known."""
    frame = open_lesson(page, "alpha/a1/")
    frame.locator(".ts-progress__toggle").click()
    quiz = frame.locator(".ts-quiz").first
    quiz.get_by_label("Nine").check()
    quiz.get_by_role("button", name="Check answer").first.click()
    quiz.get_by_role("button", name="Try this question again").first.click()
    quiz.get_by_label("Seven").check()
    quiz.get_by_role("button", name="Check answer").first.click()
    quiz.get_by_label("Four").check()
    quiz.get_by_role("button", name="Check answer").first.click()
    frame.locator(".ts-cards").get_by_role("button", name="Knew it").click()
    return frame


def test_a_second_course_on_the_origin_leaves_the_first_alone(browser, lms):
    context = browser()  # one browser as new, both courses in it
    a = context.new_page()
    errors: list[str] = []
    a.on("pageerror", lambda e: errors.append(str(e)))
    launch(a, lms, "a")
    progress_in_a1(a)
    # settled: the last check's score set, and the commit that follows the last change made
    a.wait_for_function("() => API.cmi.core.score.raw === '50'", timeout=15_000)
    a.wait_for_function("() => calls.length && calls[calls.length - 1].name === 'LMSCommit'", timeout=15_000)
    before = {"storage": storage(a), "suspend": suspend(a), "calls": a.evaluate("calls.length")}
    assert json.loads(before["suspend"])["s"], before
    ids = {k.split(":")[1] for k in before["storage"]}
    assert len(ids) == 1, before["storage"]  # every key of A under A's namespace

    b = context.new_page()
    b.on("pageerror", lambda e: errors.append(str(e)))
    frame = launch(b, lms, "b")
    open_lesson(b, "alpha/a1/")
    frame = course_frame(b, "alpha/a1/index.html")
    expect(frame.locator(".ts-progress__toggle")).to_have_attribute("aria-pressed", "false")
    # B's writes seen by A, then A's report of them made now rather than after its delay
    # (by key: B may write a key again meanwhile, its lease's time, so a value seen once can pass by)
    a.wait_for_function("(ks) => ks.every((k) => localStorage.getItem(k) !== null)", arg=list(storage(b)))
    a.evaluate("() => window.frames[0].tracksiteScorm.report()")
    after = storage(a)
    assert {k: v for k, v in after.items() if k in before["storage"]} == before["storage"]
    assert suspend(a) == before["suspend"]
    assert a.evaluate("calls.length") == before["calls"], a.evaluate("calls.slice(-5)")
    assert {k.split(":")[1] for k in after} - ids, after  # B wrote under a namespace of its own
    assert not errors, errors


def test_a_new_version_keeps_progress_by_lesson_and_calls_are_batched(browser, lms):
    page = browser().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(f"{m.text} {m.location}") if m.type == "error" else None)
    page.on("response", lambda r: errors.append(r.url) if r.status == 404 else None)
    launch(page, lms, "a")
    progress_in_a1(page)
    # the score follows each check (0 after question 1's wrong first check): wait for the last one
    page.wait_for_function("() => API.cmi.core.score.raw === '50'", timeout=15_000)
    assert page.evaluate("API.cmi.core.score.raw") == "50"  # question 1's first check was wrong
    leave(page)
    calls = page.evaluate("calls")
    late = [c for c in calls if c["late"]]
    assert not late, late
    # each question's result is an interaction of its own (issue 72): counted apart
    sets = [c for c in calls if c["name"] == "LMSSetValue" and not c["args"][0].startswith("cmi.interactions.")]
    commits = [c for c in calls if c["name"] == "LMSCommit"]
    print(f"a session of 7 actions: {len(sets)} SetValue, {len(commits)} Commit")
    assert len(commits) <= 3, commits  # 2 s after the last change, and once at exit
    assert len(sets) <= 20, sets
    assert len({json.dumps(c["args"]) for c in sets}) == len(sets), "a value set twice"
    old = suspend(page)
    assert not errors, errors

    # the new version, a lesson inserted before a1, relaunched with the old suspend_data
    page = browser().new_page()  # another browser as new
    page.on("pageerror", lambda e: errors.append(str(e)))
    launch(page, lms, "a2", old)
    frame = open_lesson(page, "alpha/a1/")
    expect(frame.locator(".ts-progress__toggle")).to_have_attribute("aria-pressed", "true", timeout=15_000)
    quiz = frame.locator(".ts-quiz").first
    expect(quiz.get_by_label("Seven")).to_be_checked()
    expect(quiz.get_by_label("Four")).to_be_checked()
    expect(frame.locator(".ts-cards__count")).to_contain_text("1")
    frame = open_lesson(page, "alpha/a0/")
    expect(frame.locator(".ts-progress__toggle")).to_have_attribute("aria-pressed", "false")
    assert frame.locator(".ts-quiz__input:checked").count() == 0  # no answer that was not given
    assert frame.locator(".ts-quiz__question.is-answered").count() == 0
    # the score: a1's first checks (1 of 2) of the 4 questions the course now has
    page.wait_for_function("() => window.frames[0].tracksiteScorm.score() === 25")
    assert page.evaluate("() => window.frames[0].tracksiteScorm.score()") == 25
    state = json.loads(page.evaluate("() => window.frames[0].tracksiteScorm.encode()"))
    assert state["s"].count(".") == 0  # one lesson with state: a1
    assert not errors, errors


def test_the_learners_code_is_kept_in_the_lms_where_it_fits(browser, lms):
    page = browser().new_page()
    hold_python(page)  # the editor alone: no code runs
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    launch(page, lms, "b")
    frame = open_lesson(page, "alpha/a2/")
    frame.locator(".ts-progress__toggle").click()
    frame.locator("[data-widget=runnable]").first.hover()  # intent: runnable.js loads (issue 83)
    editor = frame.locator("[data-widget=runnable]").first.get_by_label("Code (editable)")
    editor.fill("x = 1\n" + "# a long note\n" * 400)  # about 5,600 characters: more than 1.2 keeps
    page.wait_for_function("() => JSON.parse(API.cmi.suspend_data || '{}').s", timeout=15_000)
    page.wait_for_function("() => Object.values(localStorage).some((v) => v.includes('# a long note'))")  # saved
    page.evaluate("() => window.frames[0].tracksiteScorm.report()")  # and reported, now rather than after its delay
    state = json.loads(suspend(page))
    assert "c" not in state and state["s"].endswith("1"), state  # the lesson done, no code
    mine = "x = 41  # the learner's own\nprint(x + 1)\n"
    editor.fill(mine)
    page.wait_for_function("() => JSON.parse(API.cmi.suspend_data).c", timeout=15_000)
    saved = suspend(page)
    assert list(json.loads(saved)["c"].values()) == [mine] and len(saved) <= 4096

    page = browser().new_page()  # another browser as new: only the LMS has the code
    hold_python(page)
    page.on("pageerror", lambda e: errors.append(str(e)))
    launch(page, lms, "b", saved)
    frame = open_lesson(page, "alpha/a2/")
    expect(frame.locator(".ts-progress__toggle")).to_have_attribute("aria-pressed", "true", timeout=15_000)
    frame.locator("[data-widget=runnable]").first.hover()  # intent: runnable.js loads (issue 83)
    expect(frame.locator(".ts-run__print")).to_have_text(mine)
    assert not errors, errors
