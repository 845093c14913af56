"""An author's `show_solution: after N checks` in an LMS (issue 85): the learner's Checks and the
solution they opened travel in suspend_data, played in Chromium under scorm-again.

- SCORM 1.2: two Checks of three, then a relaunch in a browser that keeps none of the learner's
  work (its storage wiped but for the note of the interpreter's saved memory, which is not
  progress: Python starts from that memory, not afresh a second time): the line under the code
  says 2 so far and the solution stays shut; the third Check opens it; the learner opens it; a
  relaunch in a browser as new shows it at once, with no Check.
- SCORM 2004: the same suspend_data (the same course) restores the count and the opened
  solution, and the 2004 package encodes them again.

On the old code the count stayed in the browser: the relaunch said 0 so far.
"""

from __future__ import annotations

import json
import shutil
import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support.course import hold_python, lesson_md, make_course, write
from support.lms import browser_as_new
from support.scorm import course_frame, exported, scorm_again
from tracksite.commands.cli import main

pytestmark = pytest.mark.browser

START = 120_000  # Python's first start in a new context, on a loaded machine
EXERCISE = """## Practice

/// runnable | Double it
code: |
  def double(x):
      return x
tests: |
  assert double(3) == 6, "double(3) should be 6"
solution: |
  def double(x):
      return 2 * x
show_solution: after 3 checks
///
"""
HARNESS = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<link rel="icon" href="data:,"><script src="harness.js"></script></head>
<body><iframe id="sco" title="course" style="width:1200px;height:850px"></iframe></body></html>"""
# the LMS page: ?v=12 or 2004 picks scorm-again's API; ?suspend= what the LMS saved
HARNESS_JS = """
const params = new URLSearchParams(location.search);
const v12 = params.get("v") === "12";
const script = document.createElement("script");
script.src = v12 ? "scorm12.min.js" : "scorm2004.min.js";
script.onload = () => {
  window.API_CMI = v12 ? (window.API = new Scorm12API({ logLevel: 5, autocommit: false }))
    : (window.API_1484_11 = new Scorm2004API({ logLevel: 5, autocommit: false }));
  const saved = params.get("suspend");
  if (saved) window.API_CMI.loadFromJSON(v12 ? { suspend_data: saved, core: { entry: "resume" } } : { suspend_data: saved });
  document.getElementById("sco").src = params.get("pkg") + "/scorm-launch.html";
};
document.head.append(script);
"""


def _export(site: Path, version: str, out: Path) -> None:
    exported(out, "export", "scorm", "--site", str(site), "--version", version)


@pytest.fixture(scope="module")
def lms(tmp_path_factory, serve_site) -> str:
    """One origin: the LMS page, scorm-again, the course as p12/ (SCORM 1.2) and p2004/."""
    runtime = scorm_again()
    folder = tmp_path_factory.mktemp("lms-checks")
    root = make_course(tmp_path_factory.mktemp("course") / "course")
    write(root, "lessons/alpha/a2/lesson.md", lesson_md("Second lesson", body=EXERCISE))
    site = tmp_path_factory.mktemp("course-site") / "site"  # built once for both packages
    assert main(["--root", str(root), "build", "--for-export", "--site-dir", str(site)]) == 0
    _export(site, "1.2", folder / "p12.zip")
    _export(site, "2004", folder / "p2004.zip")
    shutil.copyfile(runtime, folder / "scorm12.min.js")
    shutil.copyfile(runtime.with_name("scorm2004.min.js"), folder / "scorm2004.min.js")
    (folder / "index.html").write_text(HARNESS, encoding="utf-8")
    (folder / "harness.js").write_text(HARNESS_JS, encoding="utf-8")
    (folder / "blank.html").write_text("<!doctype html><title>blank</title>", encoding="utf-8")
    return serve_site(folder)


@pytest.fixture
def new_browser(chromium, lms):
    """A page of a browser as new at each call (support/lms.py): what the LMS stored is all a
    launch has, the HTTP cache kept as a returning learner's browser keeps it."""
    with browser_as_new(chromium, lms) as new:
        yield lambda: new().new_page()


def exercise(page, lms: str, version: str, suspend: str = ""):
    """The exercise's block in lesson a2 of a fresh launch, runnable.js loaded."""
    query = f"?v={version}&pkg=p{version}" + (f"&suspend={urllib.parse.quote(suspend)}" if suspend else "")
    page.goto(lms + query)
    course_frame(page)
    page.frame_locator("#sco").locator("#ts-scorm-frame").evaluate(
        "f => f.contentWindow.location.assign('alpha/a2/index.html')"
    )
    block = course_frame(page, "alpha/a2/index.html").locator("[data-widget=runnable]").first
    block.hover()  # intent: runnable.js loads (issue 83)
    expect(block.locator(".ts-run__solnote")).to_be_attached(timeout=30_000)  # the policy's line
    return block


def check(block, done: int) -> None:
    block.get_by_role("button", name="Check").click()
    expect(block.locator(".ts-run__status")).to_contain_text("double(3) should be 6", timeout=START)
    if done < 3:
        expect(block.locator(".ts-run__solnote")).to_contain_text(f"({done} so far)")


def saved(page) -> str:
    """What the LMS holds, once the package reported (now rather than after its delay)."""
    page.evaluate("() => window.frames[0].tracksiteScorm.report()")
    return page.evaluate("() => API_CMI.cmi.suspend_data")


def learner_forgotten(context, lms: str):
    """A page of `context` on the LMS's origin once none of the learner's work is left in its
    storage: every key but the note of the interpreter's saved memory (which is not progress,
    and lets Python start from that memory rather than afresh, about 5 processor seconds less)."""
    kept = "() => Object.keys(localStorage).some((k) => k.endsWith(':python-memory'))"
    for page in context.pages[1:]:  # the earlier launch ends, its interpreter's memory kept
        page.wait_for_function(kept)
        page.close()
    page = context.new_page()
    page.goto(lms + "blank.html")
    page.evaluate(
        "() => Object.keys(localStorage).filter((k) => !k.endsWith(':python-memory'))"
        ".forEach((k) => localStorage.removeItem(k))"
    )
    assert checks_kept(page) == [] and page.evaluate("() => localStorage.length") == 1
    return page


def checks_kept(page) -> list[dict]:
    return page.evaluate(
        "() => Object.keys(localStorage).filter((k) => k.includes(':checks:')).map((k) => JSON.parse(localStorage[k]))"
    )


def test_checks_and_the_opened_solution_travel_in_suspend_data(new_browser, lms):
    errors: list[str] = []
    page = new_browser()
    page.on("pageerror", lambda e: errors.append(str(e)))
    block = exercise(page, lms, "12")
    expect(block.locator(".ts-run__solnote")).to_contain_text("(0 so far)")
    check(block, 1)
    check(block, 2)
    expect(block.locator(".ts-run__solution")).to_be_hidden()
    two = saved(page)
    assert len(json.loads(two)["n"]) == 14, two  # one exercise: its place and 2 characters

    page = learner_forgotten(page.context, lms)  # only the LMS has the count
    page.on("pageerror", lambda e: errors.append(str(e)))
    block = exercise(page, lms, "12", two)
    expect(block.locator(".ts-run__solnote")).to_contain_text("(2 so far)")
    expect(block.locator(".ts-run__solution")).to_be_hidden()
    check(block, 3)
    html = page.frame_locator("#sco").frame_locator("#ts-scorm-frame").locator("html")
    expect(html).to_have_attribute("data-ts-python-start", "saved")  # from the first launch's memory
    expect(block.locator(".ts-run__solution")).to_be_visible()
    block.locator(".ts-run__solution summary").click()  # the learner opens it
    page.wait_for_function("() => Object.values(localStorage).some((v) => v.includes('\"seen\":true'))")
    opened = saved(page)
    assert json.loads(opened)["n"] != json.loads(two)["n"], opened

    for version in ("12", "2004"):  # a new browser each: the solution is there with no Check
        page = new_browser()
        hold_python(page)  # no Check here: the block alone
        page.on("pageerror", lambda e: errors.append(str(e)))
        block = exercise(page, lms, version, opened)
        expect(block.locator(".ts-run__solution")).to_be_visible()
        expect(block.locator(".ts-run__solnote")).to_be_hidden()
        assert checks_kept(page) == [{"n": 3, "seen": True}]
        written = page.evaluate("() => JSON.parse(window.frames[0].tracksiteScorm.encode(0)).n")
        assert written == json.loads(opened)["n"]  # and written back as it came
    assert not errors, errors
