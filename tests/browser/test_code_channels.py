"""Every channel a course reaches learners by runs its code exercise the same way (issue 82): one
matrix, so that a change to one export's code path cannot silently break another.

One small course (tests/core/widgets/runnable/test_runnable.py's: one exercise, "Gradient step"), built
once for the site and once for the exports, each export made once; then, per channel, a browser
as new (one context, its storage wiped) opens lesson a1, shows intent, runs the starting code (its
output), checks the right answer ("Passed"; an LMS gets the score), checks a wrong one ("Not
yet"), and runs a probe that reaches for a page of the channel's own origin, another origin (by
`fetch`, a POST, `eval`, `Function`, a synchronous request and a dynamic `import()`), a file of the
hosting origin outside the course, and the Cache Storage: refused in every channel, and no
request arrives at any server, because the code runs in an opaque frame that may make no request
(issues 69 and 81; the SCORM 1.2 and `mkdocs serve` cases were test_runnable_policy.py's, a fresh
Python start each).

Channels: the built site over http; `mkdocs serve`; the offline copy over http and opened from
file://; SCORM 1.2 and SCORM 2004 played in scorm-again; the Common Cartridge's pages as an LMS's
file store serves them. SCORM 1.2's LMS is a host with Moodle's stock file types, which serves
`.wasm` (and anything it does not know) as application/octet-stream, and the package asks for no
`.mjs`; its LMS gets the exercise's first Check as a `performance` interaction (issue 72: what
test_lms_as_installed.py once played in a Python start of its own, issue 87). The offline copy
from a file and the cartridge's pages were never played before; the file:// channel fails on the old copy (its block said to serve the folder). The
offline copy logs no console error either way, and from file:// asks for nothing outside the copy
(issue 82: test_export_offline.py's own runs of this course's copy were these two channels again,
a fresh Python start each, about 25 processor seconds)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from support.course import intend
from support.lms import HARNESS, HARNESS_JS, StockTypes, browser_as_new, interactions, launch, open_lesson
from support.runnable import OtherOrigin, attempts, held, other_origin, runnable_course
from support.scorm import exported, scorm_again
from support.serving import Recorder, serving, wait_for
from support.sites import run_mkdocs
from tracksite.commands.cli import main
from tracksite.localserver import serve_folder

pytestmark = pytest.mark.browser

START = 90_000  # ms: Python's first start in a loaded machine's Chromium
LESSON = "alpha/a1/index.html"
RIGHT = "def step(w, grad, lr):\n    return w - lr * grad\n"
WRONG = "def step(w, grad, lr):\n    return w\n"  # the starting code's answer: w unchanged


# The learner's code (or an exercise's hidden tests: the same worker) reaching for what it must
# not (issue 69; what test_runnable_policy.py played under `mkdocs serve` and in SCORM 1.2, a fresh
# start each, issue 87), support/runnable.py's `attempts`, and the channel's own page: every
# attempt is refused, in every channel, and no request arrives.
class Hosting(Recorder):
    """The origin serving the site and the exports: a request for its `/secret.txt`."""

    seen: list[str] = []
    cors = False


class StockHosting(Recorder, StockTypes):
    """SCORM 1.2's LMS, with Moodle's stock file types."""

    seen: list[str] = []
    cors = False


# SCORM 2004: scorm-again's Scorm2004API, the package named as test_lms_state's 1.2 page names it
HARNESS_2004_JS = """
window.API_1484_11 = new Scorm2004API({ logLevel: 5, autocommit: false });
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("sco").src = new URLSearchParams(location.search).get("pkg") + "/scorm-launch.html";
});
"""
# where each LMS keeps the score the package sends (the one exercise passed: 100)
SCORE = {"scorm12": "API.cmi.core.score.raw", "scorm2004": "API_1484_11.cmi.score.raw"}
CHANNELS = ("site", "serve", "offline-http", "offline-file", "scorm12", "scorm2004", "cartridge")


def _export(kind: str, site: Path, out: Path, *extra: str) -> Path:
    return exported(out, "export", kind, "--site", str(site), *extra)


@pytest.fixture(scope="module")
def channels(tmp_path_factory):
    """The course, its site and every export, built once; one origin serves them all."""
    root = runnable_course(tmp_path_factory.mktemp("channels") / "course")
    served = tmp_path_factory.mktemp("channels-served")
    assert run_mkdocs(root, "--site-dir", str(served / "site")).returncode == 0
    for_export = tmp_path_factory.mktemp("for-export") / "site"
    assert main(["--root", str(root), "build", "--for-export", "--site-dir", str(for_export)]) == 0
    _export("offline", for_export, served / "offline.zip")
    scorm12 = _export("scorm", for_export, served / "scorm12.zip", "--version", "1.2")
    assert not list(scorm12.rglob("*.mjs")), "a module the host may not know as JavaScript"
    _export("scorm", for_export, served / "scorm2004.zip", "--version", "2004")
    _export("cc", for_export, served / "cartridge.imscc")
    runtime = scorm_again()
    shutil.copyfile(runtime, served / "scorm12.min.js")
    shutil.copyfile(runtime.with_name("scorm2004.min.js"), served / "scorm2004.min.js")
    (served / "index.html").write_text(HARNESS, encoding="utf-8")
    (served / "harness.js").write_text(HARNESS_JS, encoding="utf-8")
    (served / "2004.html").write_text(
        HARNESS.replace("scorm12.min.js", "scorm2004.min.js").replace("harness.js", "harness2004.js"), encoding="utf-8"
    )
    (served / "harness2004.js").write_text(HARNESS_2004_JS, encoding="utf-8")
    (served / "secret.txt").write_text("the host's own data", encoding="utf-8")
    with (
        serving(root) as (live, _),
        serve_folder(served, StockHosting) as stock,
        serve_folder(served, Hosting) as base,
        other_origin(tmp_path_factory.mktemp("other-origin")) as other,
    ):
        wait_for(live + "alpha/a1/", "First lesson", seconds=120)
        yield {"root": root, "served": served, "base": base, "live": live, "stock": stock, "other": other}


@pytest.fixture(scope="module")
def browser(chromium, channels):
    """One browser for the channels, as new for each (support/lms.py): its pages closed and the
    storage of the served origins wiped, rather than a context each (file:// is one channel's)."""
    with browser_as_new(chromium, channels["base"], channels["live"], channels["stock"]) as new:
        yield new


def _open(page, channel: str, where: dict):
    """The lesson's exercise in `channel`, and the address of that lesson as the probe asks for it."""
    base = where["stock" if channel == "scorm12" else "base"]  # SCORM 1.2's LMS: Moodle's stock types
    if channel in ("scorm12", "scorm2004"):
        launch(page, base + ("2004.html" if channel == "scorm2004" else ""), channel)
        frame = open_lesson(page, "alpha/a1/")
        return frame, f"{base}{channel}/{LESSON}"
    url = {
        "site": base + "site/" + LESSON,
        "serve": where["live"] + "alpha/a1/",
        "offline-http": base + "offline/" + LESSON,
        "offline-file": (where["served"] / "offline" / LESSON).as_uri(),
        "cartridge": base + "cartridge/web_resources/" + LESSON,
    }[channel]
    page.goto(url)
    return page, url


@pytest.mark.slow
@pytest.mark.parametrize("channel", CHANNELS)
def test_the_exercise_runs_and_checks_in_every_channel(browser, channels, channel):
    page = browser().new_page()  # a browser as new: nothing of another channel's run in storage
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    if channel.startswith("offline"):  # the copy logs no error (what test_export_offline.py once ran)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    outside: list[str] = []  # from file://, no request leaves the copy
    if channel == "offline-file":
        copy = (channels["served"] / "offline").as_uri() + "/"
        kept = (copy, "blob:", "data:", "about:")
        page.on("request", lambda r: None if r.url.startswith(kept) else outside.append(r.url))
        # (the probe's requests, which the policy stops in the browser, are reported as failed so)
        page.on("requestfailed", lambda r: outside.remove(r.url) if r.failure == "csp" and r.url in outside else None)
    types: dict[str, str] = {}  # what the host said each file is
    if channel == "scorm12":
        page.on("response", lambda r: types.update({r.url.rsplit("/", 1)[-1]: r.headers.get("content-type", "")}))
    where, url = _open(page, channel, channels)
    intend(where)  # the editor and Python load on a learner's intent (issue 83)
    exercise = where.locator("#ts-run-1")
    output, status = exercise.locator(".ts-run__output"), exercise.locator(".ts-run__status")
    code = exercise.get_by_label("Code (editable)")
    exercise.get_by_role("button", name="Run").click()
    expect(output).to_have_text("1.0\n", timeout=START)
    code.fill(RIGHT)
    exercise.get_by_role("button", name="Check").click()
    expect(status).to_have_text("Passed: every check holds.", timeout=START)
    if channel in SCORE:  # the LMS got the passed exercise
        page.wait_for_function(f"() => String({SCORE[channel]}) === '100'", timeout=15_000)
    code.fill(WRONG)
    exercise.get_by_role("button", name="Check").click()
    expect(status).to_contain_text("Not yet", timeout=START)
    for server in (OtherOrigin, Hosting, StockHosting):
        server.seen.clear()
    code.fill("import js\n" + attempts(channels["other"], own=url))
    exercise.get_by_role("button", name="Run").click()
    expect(output).to_contain_text("caches ", timeout=START)
    printed = output.text_content() or ""
    page.wait_for_timeout(1000)  # a request the code started would have arrived
    held(printed, "own")
    assert not [r for r in Hosting.seen + StockHosting.seen if "secret" in r], printed
    if channel == "scorm12":  # the first Check, once, as a performance; from a host of stock types
        page.evaluate("() => window.frames[0].tracksiteScorm.report()")
        got = interactions(page)
        assert [(i["type"], i["result"]) for i in got] == [("performance", "correct")], got
        assert types.get("pyodide.asm.wasm") == "application/octet-stream", types
    assert errors == [], errors
    assert outside == [], outside
    page.close()
