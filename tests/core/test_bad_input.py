"""Bad input of every kind: tracksite stops with located errors, never with a traceback or a hang.

Each case breaks one thing in a fresh fixture course (tests/support/course.py) and runs the two commands
an instructor or CI runs: `tracksite check` (through its entry point, in this process) and
`mkdocs build --strict` (through MkDocs' command line in this process, and for a few cases as a
subprocess). Both must exit non-zero, name the file (and the line, where there is one), print
no traceback, and the failed build must leave no site/ and no staging folder behind. A hang is caught by a generous time limit, not by timing a command.

`check` runs for every case; the build, a whole MkDocs run, runs for a representative subset
(BUILD_CASES: at least one per file kind and per kind of breakage). TRACKSITE_BAD_INPUT_FULL=1 runs the build for every case too.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from support import harness
from support.course import run_cli

TIMEOUT = (
    120  # seconds: a hang on bad input never ends; the time a command takes is the benchmark's to measure, not a test's
)
FULL = os.environ.get("TRACKSITE_BAD_INPUT_FULL") == "1"

L = "lessons/alpha/a1/lesson.md"
L2 = "lessons/alpha/a2/lesson.md"
O = "lessons/alpha/a1/overview.md"
C = "cheatsheets/alpha/a1.md"
T = "lessons/alpha/track.yml"
D = "lessons/alpha/a1/tiny.json"


def run(cmd: list[str], cwd: Path) -> tuple[int, str, float]:
    start = time.monotonic()
    try:
        r = subprocess.run(
            cmd,
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(cmd[-2:])} did not finish within {TIMEOUT} s (a hang on bad input)")
    return r.returncode, r.stdout + r.stderr, time.monotonic() - start


def check(root: Path) -> tuple[int, str, float]:
    """`tracksite check` in this process (two hundred cases; the build runs as a subprocess)."""
    start = time.monotonic()
    result = run_cli(root, ["check"])
    return result.returncode, result.stdout + result.stderr, time.monotonic() - start


def build(root: Path, process: bool = False) -> tuple[int, str, float]:
    """`mkdocs build --strict` through MkDocs' command line in this process (tests/support/harness.py),
    or in a process of its own for the cases in PROCESS_CASES."""
    if process:
        return run([sys.executable, "-m", "mkdocs", "build", "--strict"], root)
    start = time.monotonic()
    result = harness.mkdocs(root)
    return result.returncode, result.stdout + result.stderr, time.monotonic() - start


# -- ways to break a course ----------------------------------------------------------------------


def edit(rel: str, old: str, new: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {rel}"
        path.write_text(text.replace(old, new, 1), encoding="utf-8")

    return apply


def edit_bytes(rel: str, old: bytes, new: bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        data = path.read_bytes()
        assert old in data
        path.write_bytes(data.replace(old, new, 1))

    return apply


def put(rel: str, content: str | bytes) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    return apply


def append(rel: str, text: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        path = root / rel
        path.write_text(path.read_text(encoding="utf-8") + "\n" + text + "\n", encoding="utf-8")

    return apply


def both(*steps: Callable[[Path], None]) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        for step in steps:
            step(root)

    return apply


def rename(rel: str, new: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).rename(root / new)


def remove(rel: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        p = root / rel
        shutil.rmtree(p) if p.is_dir() and not p.is_symlink() else p.unlink()

    return apply


def symlink_out(rel: str) -> Callable[[Path], None]:
    """Move `rel` out of the project and leave a symbolic link to it in its place."""

    def apply(root: Path) -> None:
        outside = root.parent / "outside" / Path(rel).name
        outside.parent.mkdir(exist_ok=True)
        shutil.move(str(root / rel), str(outside))
        os.symlink(outside, root / rel)

    return apply


def lesson_with(front: str, body: str = "## Introduction\n\nWords to read. \n") -> Callable[[Path], None]:
    """Replace a1's lesson.md with this front-matter text (between the `---` lines)."""
    return put(L, f"---\n{front}---\n{body}")


VALID_FRONT = (
    "title: First lesson\nsummary: A lesson.\nobjectives:\n  - do the thing\ntime:\n  read: 1\n  practice: 5\n"
)

TINY = {
    "sentence": "it rests",
    "tokens": ["it", "rests"],
    "weights": [[[[0.25, 0.75], [0.5, 0.5]]]],
    "source": "hand-written for the tests",
}
ATTENTION_BLOCK = "/// attention\ndata: tiny.json\nfocus: it\ntarget: rests\n///"


def with_attention(
    data: str | bytes | None = None, block: str = ATTENTION_BLOCK, name: str = "tiny.json"
) -> Callable[[Path], None]:
    """a1 gets an attention heatmap reading tiny.json; `data` replaces the valid data file."""
    content = json.dumps(TINY, indent=2) if data is None else data
    return both(put(f"lessons/alpha/a1/{name}", content), append(L, "## Heatmap\n\n" + block + "\n"))


BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
)
PWN = '!!python/object/apply:os.system ["touch pwned"]'


def line_of(rel: str, marker: str, nth: int = 1) -> Callable[[Path], int]:
    """The line a marker is on after the course was broken (for cases that append text)."""

    def find(root: Path) -> int:
        seen = 0
        for n, line in enumerate((root / rel).read_text(encoding="utf-8", errors="replace").split("\n"), 1):
            if marker in line:
                seen += 1
                if seen == nth:
                    return n
        raise AssertionError(f"{marker!r} not in {rel}")

    return find


@dataclass
class Case:
    id: str
    breaks: Callable[[Path], None]
    path: str
    line: int | Callable[[Path], int] | None = None
    says: str = ""
    build_always: bool = False
    after: Callable[[Path], None] | None = field(default=None)


def no_echo(root: Path) -> None:
    """A broken mkdocs.yml is the only problem reported: no block is called unknown for it."""
    code, out, _ = check(root)
    assert code != 0 and "unknown block" not in out and out.count("mkdocs.yml:") == 1, out


def no_canary(root: Path) -> None:
    assert not (root / "pwned").exists(), "a YAML tag ran a command"


CONFIG_LAUGHS = "extra:\n  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 9)
)


CASES = [
    # ---- track.yml ------------------------------------------------------------------------
    # ---- mkdocs.yml: the engine stops on it; check says where, and nothing that follows ----
    Case(
        "config-colon-in-value",
        edit("mkdocs.yml", "A course used", "A course: used"),
        "mkdocs.yml",
        2,
        "quotes",
        after=lambda root: no_echo(root),
    ),
    Case("config-is-a-list", put("mkdocs.yml", "- site_name: x\n"), "mkdocs.yml", 1, "key: value"),
    # issue 39: nine aliases of nine aliases ... under `extra:` passed check and took the build 89 s
    Case(
        "config-billion-laughs",
        append("mkdocs.yml", CONFIG_LAUGHS),
        "mkdocs.yml",
        line_of("mkdocs.yml", "extra:"),
        "aliases",
        build_always=True,
    ),
    Case("track-empty", put(T, ""), T, 1, "empty", build_always=True),
    Case("track-only-comments", put(T, "# nothing yet\n"), T, 1, "empty"),
    Case("track-is-a-list", put(T, "- a1\n- a2\n"), T, 1, "expected a mapping"),
    Case("track-is-text", put(T, "Alpha track\n"), T, 1, "expected a mapping"),
    Case("track-number-text", edit(T, "number: 1", "number: one"), T, 1, "whole number"),
    Case("track-number-float", edit(T, "number: 1", "number: 1.5"), T, 1, "whole number"),
    Case("track-number-zero", edit(T, "number: 1", "number: 0"), T, 1, "out of range"),
    Case("track-number-bool", edit(T, "number: 1", "number: yes"), T, 1, "whole number"),
    Case("track-unknown-key", edit(T, "summary:", "sumary:"), T, 3, "unknown key 'sumary'"),
    Case(
        "track-duplicate-key",
        edit(T, "title: Alpha track\n", "title: Alpha track\ntitle: Again\n"),
        T,
        3,
        "duplicate key 'title'",
    ),
    Case("track-tab-indent", edit(T, "  - title: Phase B", "\t- title: Phase B"), T, 7, "tab"),
    Case("track-invalid-utf8", edit_bytes(T, b"Alpha track", b"Alph\xe9 track"), T, 2, "UTF-8"),
    Case("track-nul-byte", edit_bytes(T, b"The first", b"The\x00first"), T, 3, "NUL"),
    Case("track-control-character", edit(T, "The first", "The\x07first"), T, 3, "U+0007"),
    Case("track-huge-file", append(T, "# " + "x" * 2_100_000), T, None, "limited to"),
    Case("track-too-many-values", append(T, "extra:\n" + "  - x\n" * 60_000), T, None, "more than"),
    Case(
        "track-deep-nesting",
        edit(T, "phases:\n", "phases: " + "[" * 300 + "]" * 300 + "\nold_phases:\n"),
        T,
        4,
        "nested",
    ),
    Case(
        "track-deep-block-nesting",
        append(T, "deep:\n" + "".join("  " * i + f"k{i}:\n" for i in range(1, 60)) + "  " * 60 + "x: 1"),
        T,
        None,
        "nested",
    ),
    Case("track-billion-laughs", put(T, BILLION_LAUGHS), T, 1, "anchors"),
    Case("track-alias", edit(T, "title: Alpha track", "title: &t Alpha track\nextra: *t"), T, 2, "not allowed"),
    Case("track-python-tag", edit(T, "title: Alpha track", "title: " + PWN), T, 2, "tag", after=no_canary),
    Case("track-custom-tag", edit(T, "summary: The first track.", "summary: !include /etc/passwd"), T, 3, "tag"),
    Case("track-merge-key", edit(T, "number: 1\n", "number: 1\n<<: {title: x}\n"), T, 2, "merge"),
    Case("track-two-documents", append(T, "---\nnumber: 3"), T, 11, "single document"),
    Case(
        "track-phases-empty",
        edit(
            T,
            "phases:\n  - title: Phase A\n    lessons: [a1, a2]\n  - title: Phase B\n    lessons:\n      - a3\n",
            "phases: []\n",
        ),
        T,
        4,
        "at least 1",
    ),
    Case(
        "track-phase-is-text",
        edit(T, "  - title: Phase A\n    lessons: [a1, a2]\n", "  - a1 a2\n"),
        T,
        5,
        "expected a mapping",
    ),
    Case("track-slug-capitals", edit(T, "lessons: [a1, a2]", "lessons: [A1, a2]"), T, 6, "'A1' is not a slug"),
    Case("track-slug-space", edit(T, "lessons: [a1, a2]", "lessons: [a 1, a2]"), T, 6, "is not a slug"),
    Case("track-slug-non-ascii", edit(T, "lessons: [a1, a2]", "lessons: [ä1, a2]"), T, 6, "is not a slug"),
    Case("track-slug-dotdot", edit(T, "lessons: [a1, a2]", "lessons: [../../beta/b1, a2]"), T, 6, "is not a slug"),
    Case("track-slug-absolute", edit(T, "lessons: [a1, a2]", "lessons: [/etc/passwd, a2]"), T, 6, "is not a slug"),
    Case("track-missing", remove(T), "lessons/alpha", None, "no track.yml"),
    Case("track-symlink-outside", symlink_out(T), T, None, "symbolic link"),
    # ---- folder names ---------------------------------------------------------------------
    Case("track-folder-capitals", rename("lessons/alpha", "lessons/Alpha"), "lessons/Alpha", None, "not a slug"),
    Case(
        "track-folder-space", rename("lessons/alpha", "lessons/alpha track"), "lessons/alpha track", None, "not a slug"
    ),
    Case("track-folder-non-ascii", rename("lessons/alpha", "lessons/ålpha"), "lessons/ålpha", None, "not a slug"),
    Case(
        "lesson-folder-capitals",
        both(rename("lessons/alpha/a1", "lessons/alpha/A1"), edit(T, "[a1, a2]", "[A1, a2]")),
        T,
        6,
        "'A1' is not a slug",
    ),
    Case(
        "lesson-folder-space",
        both(rename("lessons/alpha/a1", "lessons/alpha/a 1"), edit(T, "[a1, a2]", "['a 1', a2]")),
        T,
        6,
        "is not a slug",
    ),
    Case(
        "lesson-folder-non-ascii",
        both(rename("lessons/alpha/a1", "lessons/alpha/ä1"), edit(T, "[a1, a2]", "[ä1, a2]")),
        T,
        6,
        "is not a slug",
    ),
    Case(
        "lesson-folder-unlisted",
        rename("lessons/alpha/a3", "lessons/alpha/a3-old"),
        "lessons/alpha/a3-old",
        None,
        "not listed",
    ),
    Case(
        "symlink-track-folder-outside",
        symlink_out("lessons/beta"),
        "lessons/beta",
        None,
        "symbolic link points outside",
        build_always=True,
    ),
    Case(
        "symlink-lesson-folder-outside",
        symlink_out("lessons/beta/b1"),
        "lessons/beta/b1",
        None,
        "symbolic link points outside",
    ),
    Case("symlink-lesson-md-outside", symlink_out(L), L, None, "symbolic link"),
    Case(
        "symlink-cheatsheet-folder-outside",
        symlink_out("cheatsheets/beta"),
        "cheatsheets/beta/b1.md",
        None,
        "symbolic link points outside",
    ),
    Case(
        "symlink-asset-outside",
        symlink_out("lessons/alpha/a2/diagram.svg"),
        "lessons/alpha/a2/diagram.svg",
        None,
        "symbolic link points outside",
    ),
    # ---- lesson.md ------------------------------------------------------------------------
    Case("lesson-empty", put(L, ""), L, 1, "front-matter", build_always=True),
    Case("lesson-whitespace-only", put(L, "\n  \n\n"), L, 1, "front-matter"),
    Case("lesson-no-front-matter", put(L, "## Introduction\n\nJust a body.\n"), L, 1, "front-matter"),
    Case("lesson-front-matter-unclosed", put(L, "---\ntitle: x\n\n## Body\n"), L, 1, "never closed"),
    Case("lesson-front-matter-empty", lesson_with(""), L, 1, "missing required key 'title'"),
    Case("lesson-front-matter-list", lesson_with("- title\n- summary\n"), L, 2, "must be a mapping"),
    Case("lesson-front-matter-text", lesson_with("First lesson\n"), L, 2, "must be a mapping"),
    Case("lesson-title-number", edit(L, "title: First lesson", "title: 42"), L, 2, "expected text"),
    Case("lesson-title-list", edit(L, "title: First lesson", "title: [First, lesson]"), L, 2, "expected text"),
    Case("lesson-title-empty", edit(L, "title: First lesson", "title: ''"), L, 2, "must not be empty"),
    Case("lesson-title-null", edit(L, "title: First lesson", "title:"), L, 2, "expected text"),
    Case("lesson-title-too-long", edit(L, "title: First lesson", "title: " + "long " * 100), L, 2, "at most 120"),
    Case(
        "lesson-objectives-text",
        edit(L, "objectives:\n  - do the thing\n", "objectives: do the thing\n"),
        L,
        4,
        "expected a list",
    ),
    Case("lesson-read-zero", edit(L, "read: 1", "read: 0"), L, 7, "out of range"),
    Case("lesson-read-negative", edit(L, "read: 1", "read: -5"), L, 7, "out of range"),
    Case("lesson-read-float", edit(L, "read: 1", "read: 1.5"), L, 7, "whole number"),
    Case("lesson-read-text", edit(L, "read: 1", "read: ten"), L, 7, "whole number"),
    Case("lesson-read-huge", edit(L, "read: 1", "read: 100000000000000000000000"), L, 7, "out of range"),
    Case("lesson-read-infinite", edit(L, "read: 1", "read: .inf"), L, 7, "whole number"),
    Case("lesson-read-nan", edit(L, "read: 1", "read: .nan"), L, 7, "whole number"),
    Case("lesson-practice-bool", edit(L, "practice: 5", "practice: true"), L, 8, "whole number"),
    Case("lesson-time-number", edit(L, "time:\n  read: 1\n  practice: 5\n", "time: 6\n"), L, 6, "expected a mapping"),
    Case("lesson-time-missing-read", edit(L, "  read: 1\n", ""), L, 6, "missing required key 'read'"),
    Case(
        "lesson-difficulty-unknown", edit(L, "difficulty: standard", "difficulty: hard"), L, 9, "'hard' is not allowed"
    ),
    Case("lesson-math-unknown", edit(L, "math: none", "math: medium"), L, 10, "'medium' is not allowed"),
    Case(
        "lesson-status-unknown", edit(L, "math: none\n", "math: none\nstatus: live\n"), L, 11, "'live' is not allowed"
    ),
    Case("lesson-difficulty-list", edit(L, "difficulty: standard", "difficulty: [standard]"), L, 9, "is not allowed"),
    Case("lesson-unknown-key", edit(L, "math: none\n", "math: none\nlevel: 3\n"), L, 11, "unknown key 'level'"),
    Case("lesson-duplicate-key", edit(L, "math: none\n", "math: none\ntitle: Again\n"), L, 11, "duplicate key 'title'"),
    Case("lesson-tab-indent", edit(L, "  read: 1", "\tread: 1"), L, 7, "tab"),
    Case(
        "lesson-crlf-error-line",
        both(edit(L, "difficulty: standard", "difficulty: hard"), lambda root: crlf(L)(root)),
        L,
        9,
        "'hard' is not allowed",
    ),
    Case(
        "lesson-bom-error-line",
        both(edit(L, "math: none", "math: lots"), lambda root: bom(L)(root)),
        L,
        10,
        "'lots' is not allowed",
    ),
    Case(
        "lesson-cr-only-error-line",
        both(edit(L, "read: 1", "read: 0"), lambda root: cr_only(L)(root)),
        L,
        7,
        "out of range",
    ),
    Case("lesson-md-missing", remove(L), "lessons/alpha/a1", None, "no lesson.md"),
    Case("lesson-md-is-a-folder", both(remove(L), lambda root: (root / L).mkdir()), L, None, "not a regular file"),
    Case(
        "lessons-is-a-file",
        both(remove("lessons"), put("lessons", "not a folder")),
        "lessons",
        None,
        "no lessons/ folder",
    ),
    Case("lesson-invalid-utf8-front", edit_bytes(L, b"First lesson", b"First \xff lesson"), L, 2, "UTF-8"),
    Case(
        "lesson-invalid-utf8-body", edit_bytes(L, b"## Details", b"## D\xc3\x28tails"), L, line_of(L, "## D"), "UTF-8"
    ),
    Case("lesson-latin1", edit_bytes(L, b"do the thing", "do the thîng".encode("latin-1")), L, 5, "UTF-8"),
    Case("lesson-utf16", lambda root: (root / L).write_bytes((root / L).read_text().encode("utf-16")), L, 1, "UTF-8"),
    Case("lesson-nul-byte", edit_bytes(L, b"## Details", b"## \x00Details"), L, line_of(L, "Details"), "NUL"),
    Case("lesson-control-character", edit(L, "title: First lesson", "title: First\x1blesson"), L, 2, "U+001B"),
    Case("lesson-huge-file", append(L, "Words to read here. " * 110_000), L, None, "limited to"),
    Case(
        "lesson-deep-nesting",
        edit(L, "math: none\n", "math: none\nx: " + "{a: " * 100 + "1" + "}" * 100 + "\n"),
        L,
        11,
        "nested",
    ),
    Case("lesson-billion-laughs", lesson_with(VALID_FRONT + BILLION_LAUGHS), L, 9, "anchors"),
    Case("lesson-python-tag", edit(L, "title: First lesson", "title: " + PWN), L, 2, "tag", after=no_canary),
    Case("lesson-set-tag", edit(L, "objectives:\n  - do the thing", "objectives: !!set {do the thing}"), L, 4, "tag"),
    Case(
        "lesson-too-many-headings", append(L, "### Step\n\nText.\n\n" * 301), L, line_of(L, "### Step", 299), "headings"
    ),
    Case(  # issue 39: 80,000 of these passed check and took the build 129 s
        "lesson-too-many-setext-headings",
        append(L, "Step\n-----\n\nText.\n\nPart\n=====\n\n" * 151),
        L,
        line_of(L, "-----", 150),
        "headings",
        build_always=True,
    ),
    Case("lesson-bracket-flood", append(L, "[" * 20_000), L, line_of(L, "[[["), "`[`"),
    Case("lesson-link-flood", append(L, "[a](b " * 5_000), L, line_of(L, "[a](b"), "`[`"),
    Case("lesson-html-flood", append(L, "<div>" * 20_000), L, line_of(L, "<div>"), "HTML tags"),
    Case("widget-unclosed-flood", append(L, "/// quiz\n" * 100_000), L, line_of(L, "/// quiz"), "never closed"),
    Case(
        "lesson-script-url-flood", append(L, "](javascript:x)" * 60_000), L, line_of(L, "](javascript"), "javascript:"
    ),
    Case("lesson-handler-flood", append(L, "<a" + " onx=1" * 300_000 + ">"), L, line_of(L, "<a onx"), "onx="),
    Case("widget-nested-blocks", append(L, "/// note\n" * 3_000), L, line_of(L, "/// note"), "never closed"),
    # ---- references -----------------------------------------------------------------------
    Case("prerequisite-dotdot", edit(L2, "lesson: a1", "lesson: ../beta/b1"), L2, 12, "is not a lesson slug"),
    Case("prerequisite-absolute", edit(L2, "lesson: a1", "lesson: /etc/passwd"), L2, 12, "is not a lesson slug"),
    Case("deep-dive-dotdot", edit(L2, "  - beta/b2", "  - beta/../../etc"), L2, 15, "track/lesson"),
    Case("link-dotdot", edit(L2, "(overview:beta/b2)", "(overview:../beta/b2)"), L2, 20, "no `..`"),
    Case("link-absolute", edit(L2, "(lesson:beta/b2#deep-section)", "(lesson:/alpha/a1)"), L2, 20, "no `..`"),
    Case("link-unknown-lesson", edit(L2, "(track:beta)", "(track:gamma)"), L2, 20, "no track 'gamma'"),
    Case("image-missing", edit(L2, "(diagram.svg)", "(diagramm.svg)"), L2, 22, "not found"),
    Case("image-dotdot", edit(L2, "(diagram.svg)", "(../../../../etc/hosts.svg)"), L2, 22, "leaves the lesson folder"),
    Case("image-absolute", edit(L2, "(diagram.svg)", "(/etc/hosts.svg)"), L2, 22, "leaves the lesson folder"),
    Case(
        "svg-with-script",
        put(
            "lessons/alpha/a2/diagram.svg",
            '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script>\n</svg>',
        ),
        "lessons/alpha/a2/diagram.svg",
        2,
        "script",
    ),
    Case(
        "svg-with-handler",
        put("lessons/alpha/a2/diagram.svg", '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
        "lessons/alpha/a2/diagram.svg",
        1,
        "onload",
    ),
    # ---- overview.md ----------------------------------------------------------------------
    Case(
        "overview-front-matter-list",
        put(O, "---\n- a\n---\n## What you'll learn\n"),
        O,
        2,
        "must be a mapping",
        build_always=True,
    ),
    Case(
        "overview-unknown-key",
        put(O, "---\nsubtitle: More\n---\n## What you'll learn\n"),
        O,
        2,
        "unknown key 'subtitle'",
    ),
    Case("overview-title-number", put(O, "---\ntitle: 7\n---\n## What you'll learn\n"), O, 2, "expected text"),
    Case("overview-unclosed", put(O, "---\ntitle: Overview\n## What you'll learn\n"), O, 1, "never closed"),
    Case("overview-invalid-utf8", edit_bytes(O, b"Things.", b"Th\xffings."), O, 3, "UTF-8"),
    Case("overview-missing", remove(O), O, None, "has no overview"),
    Case("overview-script", append(O, "<script>alert(1)</script>"), O, line_of(O, "<script>"), "<script>"),
    # ---- cheatsheets ----------------------------------------------------------------------
    Case(
        "cheatsheet-duplicate-key",
        put(C, "---\ntitle: One\ntitle: Two\n---\n## Key ideas\n"),
        C,
        3,
        "duplicate key",
        build_always=True,
    ),
    Case("cheatsheet-bad-yaml", put(C, "---\ntitle: [One\n---\n## Key ideas\n"), C, 2, "YAML syntax error"),
    Case("cheatsheet-invalid-utf8", edit_bytes(C, b"Key ideas", b"Key \xfe ideas"), C, 1, "UTF-8"),
    Case(
        "cheatsheet-capitals",
        rename(C, "cheatsheets/alpha/A1.md"),
        "cheatsheets/alpha/A1.md",
        None,
        "cheatsheet has no lesson",
    ),
    Case(
        "cheatsheet-unknown-track",
        put("cheatsheets/gamma/a1.md", "## Key ideas\n"),
        "cheatsheets/gamma/a1.md",
        None,
        "unknown track",
    ),
    Case(
        "cheatsheet-nested-folder",
        put("cheatsheets/alpha/a1/extra.md", "## Key ideas\n"),
        "cheatsheets/alpha/a1/extra.md",
        None,
        "unexpected file",
    ),
    Case("cheatsheet-symlink-outside", symlink_out(C), C, None, "symbolic link"),
    Case("cheatsheet-huge", append(C, "| x | y |\n" * 300_000), C, None, "limited to"),
    # ---- widget blocks --------------------------------------------------------------------
    Case(
        "widget-unclosed",
        append(L, "/// quiz\n- question: Why?\n  options: []\n"),
        L,
        line_of(L, "/// quiz"),
        "never closed",
        build_always=True,
    ),
    Case(
        "widget-solution-outside-exercise",
        append(L, "/// solution\nThe answer.\n///"),
        L,
        line_of(L, "/// solution"),
        "inside an exercise",
    ),
    Case(
        "widget-unknown-block",
        append(L, "/// quizz\n- question: Why?\n///"),
        L,
        line_of(L, "/// quizz"),
        "unknown block",
    ),
    Case(
        "widget-unknown-option",
        append(L, "/// flashcards\n    colour: red\n- term: a\n  answer: b\n///"),
        L,
        line_of(L, "colour: red"),
        "colour",
    ),
    Case(
        "widget-quiz-bad-yaml",
        append(L, "/// quiz\n- question: [Why?\n///"),
        L,
        line_of(L, "- question: [Why?"),
        "YAML",
    ),
    Case(
        "widget-quiz-no-correct",
        append(
            L,
            "/// quiz\n- question: Why?\n  options:\n    - text: a\n      explain: b\n    - text: c\n      explain: d\n///",
        ),
        L,
        None,
        "correct",
    ),
    Case(
        "widget-quiz-no-explain",
        append(
            L,
            "/// quiz\n- question: Why?\n  options:\n    - text: a\n      correct: true\n    - text: c\n      explain: d\n///",
        ),
        L,
        None,
        "explain",
    ),
    Case("widget-quiz-not-a-list", append(L, "/// quiz\nquestion: Why?\n///"), L, None, "quiz"),
    Case("widget-flashcards-empty", append(L, "/// flashcards\n///"), L, line_of(L, "/// flashcards"), "empty"),
    Case(
        "widget-flashcards-wrong-type",
        append(L, "/// flashcards\n- term: [a, b]\n  answer: c\n///"),
        L,
        line_of(L, "- term: [a, b]"),
        "term",
    ),
    Case(
        "widget-flashcards-billion-laughs",
        append(L, "/// flashcards\n- term: &a lol\n  answer: *a\n///"),
        L,
        line_of(L, "- term: &a"),
        "anchors",
    ),
    Case(
        "widget-flashcards-python-tag",
        append(L, f"/// flashcards\n- term: {PWN}\n  answer: b\n///"),
        L,
        line_of(L, "- term: !!python"),
        "tag",
        after=no_canary,
    ),
    Case(
        "widget-attention-steps-shape",
        append(
            L,
            "/// attention-steps\ntokens: [it, animal]\nx: [[1, 0], [0, 2, 1]]\nw_q: [[1]]\nw_k: [[1]]\nw_v: [[1]]\n///",
        ),
        L,
        None,
        "attention-steps",
    ),
    Case(
        "widget-attention-no-data",
        with_attention(block="/// attention\nfocus: it\n///"),
        L,
        line_of(L, "focus: it"),
        "data",
    ),
    Case(
        "widget-attention-missing-file",
        with_attention(block="/// attention\ndata: nothing.json\n///"),
        "lessons/alpha/a1/nothing.json",
        None,
        "not found",
    ),
    Case(
        "widget-attention-dotdot",
        with_attention(block="/// attention\ndata: ../../../../../etc/passwd.json\n///"),
        L,
        line_of(L, "data: ../"),
        "beside the lesson",
    ),
    Case(
        "widget-attention-absolute",
        with_attention(block="/// attention\ndata: /etc/passwd.json\n///"),
        L,
        line_of(L, "data: /etc"),
        "beside the lesson",
    ),
    Case(
        "widget-attention-unknown-focus",
        with_attention(block="/// attention\ndata: tiny.json\nfocus: dog\n///"),
        L,
        None,
        "dog",
    ),
    # ---- attention data files -------------------------------------------------------------
    Case(
        "data-invalid-json",
        with_attention('{\n  "sentence": "it rests",\n  "tokens": ["it", "rests"\n}'),
        D,
        4,
        "invalid JSON",
        build_always=True,
    ),
    Case("data-not-a-mapping", with_attention("[1, 2, 3]"), D, None, "expected a mapping"),
    Case(
        "data-row-sum",
        with_attention(json.dumps(dict(TINY, weights=[[[[0.3, 0.3], [0.5, 0.5]]]]), indent=2)),
        D,
        None,
        "sum",
    ),
    Case(
        "data-shape",
        with_attention(json.dumps(dict(TINY, weights=[[[[1.0], [0.5, 0.5]]]]), indent=2)),
        D,
        None,
        "expected 2 weights",
    ),
    Case(
        "data-negative",
        with_attention(json.dumps(dict(TINY, weights=[[[[-0.5, 1.5], [0.5, 0.5]]]]), indent=2)),
        D,
        None,
        "between 0 and 1",
    ),
    Case("data-nan", with_attention(json.dumps(TINY).replace("0.25", "NaN")), D, None, "NaN"),
    Case("data-text-weights", with_attention(json.dumps(dict(TINY, weights="lots"))), D, None, "weights"),
    Case(
        "data-invalid-utf8",
        with_attention(json.dumps(TINY).encode().replace(b"it rests", b"it r\xffsts")),
        D,
        None,
        "UTF-8",
    ),
    Case("data-deep-nesting", with_attention("[" * 100_000 + "]" * 100_000), D, None, "JSON"),
    Case("data-unknown-field", with_attention(json.dumps(dict(TINY, colour="red"), indent=2)), D, None, "colour"),
    Case(
        "data-yaml-anchors",
        with_attention(
            "sentence: it rests\ntokens: &t [it, rests]\nweights: [[[[0.25, 0.75], [0.5, 0.5]]]]\nsource: x\n",
            block="/// attention\ndata: tiny.yml\n///",
            name="tiny.yml",
        ),
        "lessons/alpha/a1/tiny.yml",
        2,
        "anchors",
    ),
    Case("data-symlink-outside", both(with_attention(), symlink_out(D)), D, None, "symbolic link"),
]
COMMANDS = ["check", "build"]
# `mkdocs build` runs for these (and those marked build_always): one or more per file kind and
# per kind of breakage (schema, encoding, YAML safety, size, symlinks, references, widgets).
BUILD_CASES = {
    "track-is-a-list",
    "track-duplicate-key",
    "track-tab-indent",
    "track-invalid-utf8",
    "track-huge-file",
    "track-billion-laughs",
    "track-python-tag",
    "track-slug-dotdot",
    "track-folder-non-ascii",
    "lesson-folder-capitals",
    "symlink-lesson-md-outside",
    "symlink-asset-outside",
    "lesson-front-matter-list",
    "lesson-read-float",
    "lesson-read-zero",
    "lesson-difficulty-unknown",
    "lesson-control-character",
    "lesson-deep-nesting",
    "lesson-bracket-flood",
    "prerequisite-dotdot",
    "link-dotdot",
    "image-missing",
    "image-absolute",
    "svg-with-script",
    "overview-script",
    "cheatsheet-symlink-outside",
    "widget-flashcards-python-tag",
    "widget-attention-dotdot",
    "data-row-sum",
    "data-symlink-outside",
}
# ... and of those, these run as a process of their own, as CI runs them: the exit code and the
# output a shell sees for a YAML bomb, a file outside the project and a control character
PROCESS_CASES = {"track-billion-laughs", "symlink-lesson-md-outside", "lesson-control-character"}


def test_enough_cases():
    assert len(CASES) >= 40
    assert len({c.id for c in CASES}) == len(CASES)
    assert PROCESS_CASES <= BUILD_CASES <= {c.id for c in CASES}
    kinds = {c.id.split("-")[0] for c in CASES}
    assert {"track", "lesson", "overview", "cheatsheet", "widget", "data", "symlink"} <= kinds


# Every case runs `tracksite check`; `mkdocs build` runs for the representative cases (all of
# them with TRACKSITE_BAD_INPUT_FULL=1), so the suite stays within CI's time.
RUNS = [(case, "check") for case in CASES] + [
    (case, "build") for case in CASES if FULL or case.build_always or case.id in BUILD_CASES
]


@pytest.mark.parametrize("case, command", RUNS, ids=[f"{c.id}-{cmd}" for c, cmd in RUNS])
def test_bad_input_fails_cleanly(course, case: Case, command: str):
    case.breaks(course)
    line = case.line(course) if callable(case.line) else case.line
    if command == "check":
        code, out, seconds = check(course)
    else:
        code, out, seconds = build(course, process=case.id in PROCESS_CASES)
    assert code != 0, f"{command} accepted the broken course:\n{out[-3000:]}"
    assert "Traceback" not in out, out[-5000:]
    # the column, when known, follows the line (`path:line:column: `); its value is the YAML
    # parser's or the match's, tested in test_problem_codes.py
    where = re.compile(re.escape(f"{case.path}:{line}") + r"(?::\d+)?: " if line else re.escape(f"{case.path}:"))
    assert where.search(out), f"no problem at {where.pattern!r} in:\n{out[-3000:]}"
    about = [text for text in out.splitlines() if where.search(text)]
    assert any(case.says.lower() in text.lower() for text in about), (
        f"{case.says!r} not said at {where}:\n{out[-3000:]}"
    )
    if command == "build":
        assert not (course / "site").exists(), "a failed first build left a site/ folder"
        assert not [p.name for p in course.iterdir() if ".staging-" in p.name or ".old-" in p.name]
    if case.after:
        case.after(course)


# -- inputs that must build: encodings and line endings from every editor ----------------------


def bom(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).write_bytes(b"\xef\xbb\xbf" + (root / rel).read_bytes())


def crlf(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).write_bytes((root / rel).read_bytes().replace(b"\n", b"\r\n"))


def cr_only(rel: str) -> Callable[[Path], None]:
    return lambda root: (root / rel).write_bytes((root / rel).read_bytes().replace(b"\n", b"\r"))


GOOD = {
    "bom-lesson": bom(L),
    "bom-track": bom(T),
    "bom-overview-and-cheatsheet": both(bom(O), bom(C)),
    "crlf-lesson": crlf(L),
    "crlf-track": crlf(T),
    "crlf-everywhere": lambda root: [
        crlf(str(p.relative_to(root)))(root)
        for p in [*root.glob("lessons/**/*.md"), *root.glob("lessons/*/track.yml"), *root.glob("cheatsheets/**/*.md")]
    ],
    "bom-and-crlf": both(bom(L), crlf(L), bom(T), crlf(T)),
    "cr-only-lesson": cr_only(L),
    "attention-widget-valid": with_attention(),
    "attention-data-with-bom": with_attention(b"\xef\xbb\xbf" + json.dumps(TINY).encode()),
    "empty-cheatsheet-body": put(C, ""),
    "non-ascii-text": edit(L, "title: First lesson", "title: Première leçon — 注意"),
    "symlink-inside-project": lambda root: os.symlink(
        root / "lessons/alpha/a2/diagram.svg", root / "lessons/alpha/a1/copy.svg"
    ),
    "symlink-loop-in-cheatsheets": lambda root: os.symlink("..", root / "cheatsheets/alpha/loop"),
}


@pytest.mark.parametrize("name", list(GOOD))
def test_editor_quirks_build(course, name):
    GOOD[name](course)
    code, out, _ = check(course)
    assert code == 0 and "Traceback" not in out, out[-3000:]
    code, out, _ = build(course)
    assert code == 0, out[-3000:]
    html = (course / "site/alpha/a1/index.html").read_text(encoding="utf-8")
    assert "\ufeff" not in html and "\r" not in html
    from bs4 import BeautifulSoup

    page = BeautifulSoup(html, "lxml")
    h1 = page.select_one("h1").get_text(strip=True)
    assert h1 in ("First lesson", "Première leçon — 注意"), h1
    if name.startswith(("bom", "crlf", "cr-only")):
        assert page.select_one(".ts-objectives li, .ts-page") is not None
        assert [h.get_text(strip=True).rstrip("¶") for h in page.select(".ts-page h2")][:2] == [
            "Introduction",
            "Details",
        ] or "Introduction" in page.get_text()


def test_code_running_tag_in_mkdocs_yml_is_a_warning_in_check_and_build(course):
    """`!!python/object/apply` in mkdocs.yml runs when MkDocs' own loader reads the file. The
    check loads the configuration as the build does (so `-f`, `INHERIT` and a slugify given as
    such a tag mean the same in both), so both run it: both warn at its line."""
    config = course / "mkdocs.yml"
    tag_line = "  x: !!python/object/apply:os.getcwd []"
    config.write_text(config.read_text(encoding="utf-8") + f"extra:\n{tag_line}\n", encoding="utf-8")
    line = config.read_text(encoding="utf-8").splitlines().index(tag_line) + 1
    expected = f"mkdocs.yml:{line}: warning: [TS903] `!!python/object/apply:os.getcwd` makes MkDocs run Python code"
    code, out, _ = check(course)
    assert expected in out
    assert code == 0, out
    code, out, _ = build(course)
    assert code == 0, out[-3000:]
    assert expected in out
