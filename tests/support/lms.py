"""A SCORM 1.2 LMS page for tests (scorm-again's API, every call logged), a package launched in it and a lesson
opened inside, a browser as new for each launch, the quizzes of the fixture course the LMS tests answer, the
interactions the package sent, and a host with Moodle's stock file types."""

from __future__ import annotations

import contextlib
import re
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from support.course import PRIME_AND_EVEN_QUIZ
from support.scorm import course_frame
from tracksite.localserver import QuietHandler

HARNESS = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LMS</title><link rel="icon" href="data:,">
<script src="scorm12.min.js"></script><script src="harness.js"></script></head>
<body><iframe id="sco" title="course" style="width:1200px;height:850px"></iframe></body></html>"""


# the LMS page: scorm-again's API, every call logged (and whether it came after LMSFinish)
HARNESS_JS = """
const params = new URLSearchParams(location.search);
window.API = new Scorm12API({ logLevel: 5, autocommit: false });
const saved = params.get("suspend");
if (saved) window.API.loadFromJSON({ suspend_data: saved, core: { entry: "resume" } });
window.calls = [];
let finished = false;
for (const name of ["LMSSetValue", "LMSCommit", "LMSFinish", "LMSGetValue"]) {
  const real = window.API[name].bind(window.API);
  window.API[name] = (...args) => {
    const call = { name, args, late: finished };
    window.calls.push(call);
    if (name === "LMSFinish") finished = true;
    call.ret = real(...args);
    return call.ret;
  };
}
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("sco").src = params.get("pkg") + "/scorm-launch.html";
});
"""


@contextlib.contextmanager
def browser_as_new(chromium, *urls: str) -> Iterator[Callable[[], Any]]:
    """A browser as new at each call of what it yields (the context it returns): one context,
    its pages closed and the storage of `urls`' origins wiped (a DevTools call), rather than a
    context of its own each, which started a renderer and parsed and compiled the LMS's and the
    package's scripts again (the HTTP cache is a context's, as a returning learner's browser
    keeps it). What a launch has is what the LMS stored, either way."""
    context = chromium.new_context()
    devtools = context.new_cdp_session(context.new_page())  # the first page holds the session
    origins = {"/".join(url.split("/")[:3]) for url in urls}

    def new() -> Any:
        for page in context.pages[1:]:
            page.close()
        for origin in origins:
            devtools.send("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
        return context

    try:
        yield new
    finally:
        context.close()


def launch(page, lms: str, pkg: str, suspend: str = ""):
    page.goto(f"{lms}?pkg={pkg}" + (f"&suspend={urllib.parse.quote(suspend)}" if suspend else ""))
    return course_frame(page)


def open_lesson(page, lesson: str):
    page.frame_locator("#sco").locator("#ts-scorm-frame").evaluate(
        f"f => f.contentWindow.location.assign('{lesson}index.html')"
    )
    return course_frame(page, lesson + "index.html")


def storage(page) -> dict:
    """tracksite's keys in the origin's storage (Material keeps its own there too)."""
    return page.evaluate(
        "() => Object.fromEntries(Object.keys(localStorage).filter((k) => k.startsWith('tracksite:'))"
        ".map((k) => [k, localStorage[k]]))"
    )


def suspend(page) -> str:
    return page.evaluate("() => API.cmi.suspend_data")


def leave(page) -> None:
    page.evaluate("document.getElementById('sco').remove()")
    page.wait_for_function("() => API.isTerminated()", timeout=10_000)


QUIZZES = (
    "\n"
    + PRIME_AND_EVEN_QUIZ
    + """
/// quiz
- question: Which is a square?
  options:
    - text: Sixteen
      correct: true
      explain: Four times four.
    - text: Fifteen
      explain: Between two squares.
///
"""
)


OTHERS = ("alpha/a2/", "alpha/a3/", "beta/b1/", "beta/b2/")  # the fixture course's other lessons


def answer(page, right: bool = False):
    """Lesson a1 marked done and its three questions checked: all right, or 2 of 3 (67)."""
    frame = open_lesson(page, "alpha/a1/")
    frame.locator(".ts-progress__toggle").click()
    first, second = frame.locator(".ts-quiz").nth(0), frame.locator(".ts-quiz").nth(1)
    for quiz, label in ((first, "Seven"), (first, "Four" if right else "Five"), (second, "Sixteen")):
        quiz.get_by_label(label).check()
        quiz.get_by_role("button", name="Check answer").first.click()
    page.wait_for_function("() => window.frames[0].tracksiteScorm.score() === " + ("100" if right else "67"))


def finish_course(page):
    for lesson in OTHERS:
        open_lesson(page, lesson).locator(".ts-progress__toggle").click()


def interactions(page) -> list[dict]:
    """What the package set of each interaction (SCORM 1.2's are write-only: read from the calls
    the harness logs, each accepted by scorm-again)."""
    found: dict[int, dict] = {}
    for call in page.evaluate("calls"):
        name, args = call["name"], call["args"]
        m = re.match(r"cmi\.interactions\.(\d+)\.(.+)", args[0]) if name == "LMSSetValue" else None
        if m:
            assert call["ret"] == "true", call  # scorm-again took it
            found.setdefault(int(m[1]), {})[m[2].replace("correct_responses.0.", "")] = args[1]
    assert page.evaluate("API.cmi.interactions.childArray.length") == len(found)
    return [found[n] for n in sorted(found)]


class StockTypes(QuietHandler):
    """A host with few file types (Moodle's stock list): JavaScript, HTML, CSS and JSON by their
    types, everything else, `.wasm` and `.mjs` among them, as application/octet-stream."""

    extensions_map = {
        ".html": "text/html",
        ".js": "application/javascript",
        ".css": "text/css",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        "": "application/octet-stream",
    }

    def guess_type(self, path):
        suffix = Path(str(path)).suffix.lower()
        return self.extensions_map.get(suffix, "application/octet-stream")
