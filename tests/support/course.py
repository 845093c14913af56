"""A small course written into a temporary folder, for tests that build and break it.

Each test gets its own copy of the project's theme and assets and a two-track curriculum
whose every field is known, so assertions can name exact titles, numbers and URLs.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import textwrap
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

MKDOCS_YML = """\
site_name: Fixture course
site_description: A course used by the tests.
docs_dir: docs
theme:
  name: material
  custom_dir: overrides
  font: false
  palette:
    - scheme: default
      toggle: {icon: material/weather-night, name: Switch to dark mode}
    - scheme: slate
      toggle: {icon: material/weather-sunny, name: Switch to light mode}
plugins:
  - tracksite
markdown_extensions:
  - toc:
      permalink: true
  - attr_list
  - md_in_html
  - tables
  - pymdownx.arithmatex:
      generic: true
  - pymdownx.superfences
  - pymdownx.blocks.admonition
  - pymdownx.blocks.details
validation:
  omitted_files: ignore
  unrecognized_links: warn
  anchors: warn
"""


def lesson_md(
    title: str,
    *,
    summary: str = "A lesson for the tests.",
    extra: str = "",
    body: str = "",
    read: int = 1,
    status: str | None = None,
) -> str:
    status_line = f"status: {status}\n" if status else ""
    return (
        f"---\ntitle: {title}\nsummary: {summary}\nobjectives:\n  - do the thing\n"
        f"time:\n  read: {read}\n  practice: 5\ndifficulty: standard\nmath: none\n{status_line}{extra}---\n"
        + (
            body
            or "## Introduction\n\nThis is a lesson. " + "Words to read here. " * 40 + "\n\n## Details\n\nMore text.\n"
        )
    )


def write(root: Path, rel: str, text: str) -> Path:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
    return path


def make_course(root: Path) -> Path:
    """Track 1 `alpha` (phases A: a1, a2; B: a3) and Track 2 `beta` (b1, b2); a2 dives into beta/b2."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copytree(REPO / "overrides", root / "overrides")
    (root / "docs").mkdir()
    write(root, "mkdocs.yml", MKDOCS_YML)
    write(
        root,
        "lessons/alpha/track.yml",
        "number: 1\ntitle: Alpha track\nsummary: The first track.\nphases:\n"
        "  - title: Phase A\n    lessons: [a1, a2]\n  - title: Phase B\n    lessons:\n      - a3\n",
    )
    write(
        root,
        "lessons/beta/track.yml",
        "number: 2\ntitle: Beta track\nsummary: The second track.\nphases:\n  - title: Only phase\n    lessons: [b1, b2]\n",
    )
    write(root, "lessons/alpha/a1/lesson.md", lesson_md("First lesson"))
    write(
        root,
        "lessons/alpha/a2/lesson.md",
        lesson_md(
            "Second lesson",
            extra="prerequisites:\n  - lesson: a1\n  - text: Some patience\ndeep_dives:\n  - beta/b2\ncredits: Written for the tests.\n",
            body="## Start\n\nSee [the deep one](lesson:beta/b2#deep-section) and [its overview](overview:beta/b2) "
            "and [the track](track:beta) and [the cheatsheet](cheatsheet:a1).\n\n![A diagram](diagram.svg)\n\n"
            + "Filler words for reading. " * 40
            + "\n",
        ),
    )
    write(
        root,
        "lessons/alpha/a2/diagram.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>',
    )
    write(root, "lessons/alpha/a3/lesson.md", lesson_md("Third lesson"))
    write(root, "lessons/beta/b1/lesson.md", lesson_md("Beta one"))
    write(
        root,
        "lessons/beta/b2/lesson.md",
        lesson_md("Beta two", body="## Deep section\n\nThe long version. " + "Words for reading. " * 50 + "\n"),
    )
    for track, lessons in (("alpha", ["a1", "a2", "a3"]), ("beta", ["b1", "b2"])):
        for slug in lessons:
            write(
                root,
                f"lessons/{track}/{slug}/overview.md",
                "## What you'll learn\n\nThings.\n\n## Where this fits\n\nHere.\n\n"
                "## Before you start\n\nNothing.\n\n## About the math\n\nNone.\n",
            )
            write(root, f"cheatsheets/{track}/{slug}.md", f"## Key ideas\n\n| a | b |\n|---|---|\n| {slug} | 1 |\n")
    return root


def override(root: Path, template: str) -> Path:
    """A course's own copy of one of tracksite's templates in its overrides/ folder (Material's
    custom_dir rule: the course's file wins), to change in a test."""
    from tracksite import theme

    path = root / "overrides" / template
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(theme.TEMPLATES / template, path)
    return path


def run_cli(root: Path, args: list[str]) -> subprocess.CompletedProcess:
    """`tracksite ARGS` in `root` through the CLI's entry point, in this process: the same code
    an instructor runs, without an interpreter start-up for each of many runs. A SystemExit
    (argparse's) becomes the exit code, as it would for a process."""
    from tracksite.commands.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(["--root", str(root), *args])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else 1
    return subprocess.CompletedProcess(args, code, out.getvalue(), err.getvalue())


def load(root: Path, **options):
    """The project in `root` checked as its build checks it: its mkdocs.yml loaded by MkDocs
    (adapter/config/mkdocsconfig.py), then `tracksite.core.checks.load` with `options`."""
    from tracksite.adapter.config import mkdocsconfig
    from tracksite.core import checks

    return checks.load(mkdocsconfig.load(Path(root)), **options)


_CHECKED_COPIES: list[Path] = []  # copies of the bundled course given to share_verdicts, in order


def share_verdicts(root: Path) -> Path:
    """Give a fresh copy of the bundled course (in `root`) the verdicts of its runnable exercises
    that an earlier copy's check kept (core/checks/runnable.py: each exercise run in a new
    interpreter, about 0.6 s of processor time for the course, kept by content in the course's
    state folder, which a copy starts without). The verdicts are keyed by what was run, so a
    copy's check finds the same; the first copy runs them."""
    from tracksite.core import localstate
    from tracksite.core.widgets.runnable import check as runnable

    for earlier in reversed(_CHECKED_COPIES):
        kept = localstate.path(earlier, "tracksite") / runnable.FILE
        if kept.is_file():
            shutil.copyfile(kept, localstate.folder(root, "tracksite") / runnable.FILE)
            break
    _CHECKED_COPIES.append(root)
    return root


# Two questions with one right answer each: the quiz the LMS tests score (a package as an LMS
# installs it, its state, its scoring), written once.
PRIME_AND_EVEN_QUIZ = """/// quiz
- question: Which is a prime number?
  options:
    - text: Seven
      correct: true
      explain: Only 1 and 7 divide it.
    - text: Nine
      explain: Three divides it.
- question: Which is even?
  options:
    - text: Four
      correct: true
      explain: Two divides it.
    - text: Five
      explain: It is odd.
///
"""


def intend(page) -> None:
    """A learner's intent on the first runnable block of a page (or a frame locator), a pointer
    over it: runnable.js loads on intent, never with the page (issue 83), and then draws every
    block's editor and buttons, from a file too in the offline copy (issue 82); the site opened
    as a file keeps the build's code and says how to serve it (its note)."""
    page.locator('[data-widget="runnable"]').first.hover()
    page.locator(".ts-run__actions").first.wait_for()
    page.locator(".ts-run .cm-editor, .ts-run__note").first.wait_for(timeout=60_000)  # (slow on a loaded machine)


def hold_python(where) -> None:
    """Hold Python's files for a test of the editor alone (it runs no code): a learner's intent
    starts Python (runnable.js, issue 83), and a fresh start costs about 7 processor seconds of
    Chromium, compiling Pyodide and starting CPython, that such a test never uses. The requests
    for Pyodide's files stay unanswered, as on a network slow to send them: the page stays
    "starting" (<html data-ts-python>) and shows nothing else, the editor is the learner's as
    ever. `where` is a context, or a page (of a context other tests share: its route goes with
    it). A test that runs code, or is about the start, never calls this."""
    where.route("**/pyodide/**", lambda route: None)


def text_of(block) -> str:
    """The editor's text, as the block prints it (the print copy follows every edit)."""
    return block.locator(".ts-run__print").text_content()
