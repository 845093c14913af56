"""A SCORM LMS page for tests (scorm-again's 1.2 or 2004 API over the package's launch page), the course frame
inside it, a stub LMS, and a synthetic course of a chosen size as the exports read one."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from support.course import REPO
from tracksite.commands.cli import main

HARNESS = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>LMS</title>
<script src="scorm12.min.js"></script><script src="harness.js"></script></head>
<body><iframe id="sco" title="course" style="width:1200px;height:850px"></iframe></body></html>"""


HARNESS_JS = """
window.API = new Scorm12API({ logLevel: 5, autocommit: false });
const saved = new URLSearchParams(location.search).get("suspend");
if (saved) window.API.loadFromJSON({ suspend_data: saved, core: { entry: "resume" } });
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("sco").src = "pkg/scorm-launch.html";
});
"""


def scorm_again() -> Path:
    given = os.environ.get("TRACKSITE_SCORM_AGAIN")
    folder = Path(given) if given else REPO / "tests/.npm/node_modules/scorm-again/dist"
    if not (folder / "scorm12.min.js").is_file():
        if os.environ.get("CI"):
            pytest.fail("scorm-again is not installed; .ci/run installs it into tests/.npm")
        pytest.skip("scorm-again is not installed (npm install --prefix tests/.npm scorm-again)")
    return folder / "scorm12.min.js"


def course_frame(page, path: str = ""):
    """The course page inside the launch page's frame, once its scripts have run; with `path`, once
    the frame shows that page (a navigation just asked for leaves the old page there a moment).
    Asked every 100 ms rather than at every frame (Playwright's default), which kept the page
    drawing frames while it loaded: 0.06 rather than 0.015 processor seconds a second of waiting."""
    page.wait_for_function(
        "(path) => { const f = document.getElementById('sco').contentDocument;"
        " const c = f && f.getElementById('ts-scorm-frame');"
        " return c && c.contentDocument && c.contentWindow.location.pathname.endsWith(path)"
        " && c.contentDocument.readyState === 'complete'"
        " && c.contentDocument.querySelector('[data-ts-search]:not([hidden])'); }",
        arg=path,
        timeout=30_000,
        polling=100,
    )
    return page.frame_locator("#sco").frame_locator("#ts-scorm-frame")


HARNESS_2004_JS = """
window.API_1484_11 = new Scorm2004API({ logLevel: 5, autocommit: false });
document.addEventListener("DOMContentLoaded", () => {
  document.getElementById("sco").src = "pkg/scorm-launch.html";
});
"""


STUB = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>stub LMS</title>
<script src="stub.js"></script></head><body>
<iframe id="ts-scorm-frame" title="course"></iframe>
<script src="assets/tracksite-export/scorm-course.js"></script>
<script src="assets/tracksite-export/scorm-state.js"></script>
<script src="assets/tracksite-export/scorm.js"></script></body></html>"""


STUB_JS = """window.lmsData = {};
window.API = { LMSInitialize: () => "true", LMSGetValue: (k) => window.lmsData[k] || "",
  LMSSetValue: (k, v) => { if (k === "cmi.suspend_data" && v.length > 4096) return "false";
    window.lmsData[k] = v; return "true"; }, LMSCommit: () => "true",
  LMSFinish: () => "true", LMSGetLastError: () => "0" };"""


# everything a learner can leave in storage, for every lesson, card and question of the course:
# every option chosen, every first check made, every card marked and scheduled
FILL_JS = """(ns) => {
  const c = window.tracksiteCourse, now = Date.now(), DAY = 86400000, state = {};
  const progress = {}, cards = {}, decks = {};
  for (const lesson of c.lessons) {
    progress[lesson.id] = true;
    const terms = lesson.decks.flatMap(([, t]) => t);
    decks[lesson.id] = terms.map((t) => lesson.id + "|" + t);
    terms.forEach((t, n) => { cards[lesson.id + "|" + t] = { box: 1 + (n % 5), due: now + (n % 17) * DAY }; });
    for (const [key, list] of lesson.decks) {
      state[key] = Object.fromEntries(list.map((t, n) => [t, n % 2 ? "known" : "again"]));
    }
    lesson.questions.forEach((q, i) => {
      state[q.key] = { answers: { 0: Array.from({ length: q.n }, (_, o) => o) }, first: { 0: i % 2 } };
    });
  }
  state["tracksite:progress"] = progress;
  state["tracksite:review"] = { cards, decks };
  state["tracksite:learner"] = { id: "k2j4h5g6f7d8s9a0k2j4h5g6" };
  for (const [k, v] of Object.entries(state)) localStorage.setItem(ns + k.slice(10), JSON.stringify(v));
  return state;
}"""


def big_course(lessons: int, questions: int, cards: int):
    """A course of `lessons` lessons, each with a quiz of `questions` four-option questions and
    `cards` flashcards, as coursedata reads one."""
    from tracksite.commands.export import coursedata as cd

    def lesson(t: int, n: int) -> cd.Lesson:
        ident = f"track-{t}/a-lesson-with-a-long-descriptive-slug-{n:02d}"
        terms = [f"A flashcard term of some length {k}" for k in range(cards)]
        quiz = cd.Quiz(
            f"tracksite:quiz:{ident}:1:0123abcd",
            [
                cd.Question("q", False, ["a", "b", "c", "d"], [0], [""] * 4, f"tracksite:quiz:{ident}:{k:08x}")
                for k in range(questions)
            ],
        )
        return cd.Lesson(
            ident,
            "L",
            f"track-{t}",
            f"{ident}/",
            terms,
            [quiz] if questions else [],
            [f"{ident}/"],
            decks=[(f"tracksite:cards:{ident}:1", terms)] if cards else [],
        )

    return cd.Course("Big", [], [lesson(t, n) for t in range(lessons // 50) for n in range(50)], "0a1b2c3d")


def namespace(page) -> str:
    """The package's namespace in storage: the course's id bound to the package's address (scorm.js
    marks it at launch with its `copied` key)."""
    ns = page.evaluate("() => Object.keys(localStorage).find((k) => k.endsWith(':copied')).slice(0, -6)")
    assert ns.startswith("tracksite:") and ns != "tracksite:0a1b2c3d:"  # not the course's id alone
    return ns


def exported(out: Path, *argv: str) -> Path:
    """`tracksite <argv> --out <out>`, unzipped beside the zip (its name without the suffix), as
    an LMS unpacks a package; that folder."""
    assert main([*argv, "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        z.extractall(out.with_suffix(""))
    return out.with_suffix("")
