"""Pages converted and rendered by helper processes (adapter/caches/parallel.py, core/forked.py) and the
checks' passes run beside each other (core/checks/__init__.py): the site, the log and the
findings are those of one process, byte for byte; what a helper did not keep the build does
itself, and says once."""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import harness
from support.builds import cache_file, same_trees, tree
from support.course import make_course, write
from tracksite.core import forked
from tracksite.tools.bench.course import plan_course, write_tracksite_project

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="helpers are forked copies of the build")

#: `mkdocs build` with two slips planted, as an extension or a template might make them: the
#: conversion of a page holding LOG-CONVERT, and the context of a page whose source holds LOG-RENDER, log a
#: warning. The patches are made before the build starts, so the helpers have them too.
DRIVER = """
import logging, sys
import markdown.core
from tracksite.adapter.pages import pagecontext
convert = markdown.core.Markdown.convert
def logging_convert(self, source):
    for mark in ("LOG-CONVERT-1", "LOG-CONVERT-2", "LOG-CONVERT-3"):
        if mark in source:
            logging.getLogger("mkdocs.structure.pages").warning("converting %s", mark)
    return convert(self, source)
markdown.core.Markdown.convert = logging_convert
context = pagecontext.Contexts.page
def logging_context(self, page, config):
    source = page.file.abs_src_path  # (not page.markdown: a build lets it go once converted)
    text = open(source, encoding="utf-8").read() if source else ""
    for mark in ("LOG-RENDER-1", "LOG-RENDER-2"):
        if mark in text:
            logging.getLogger("mkdocs.plugins.tracksite").warning("rendering %s", mark)
    return context(self, page, config)
pagecontext.Contexts.page = logging_context
from mkdocs.__main__ import cli
sys.exit(cli())
"""


def build(
    root: Path, out: Path, processes: int, *, cold: bool = True, strict: bool = False
) -> subprocess.CompletedProcess:
    if cold:
        cache_file(root).unlink(missing_ok=True)
    driver = root.parent / "driver.py"
    driver.write_text(DRIVER, encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(driver), "build", "-d", str(out), *(["--strict"] if strict else [])],
        cwd=root,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", forked.ENV: str(processes)},
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    """The benchmark's synthetic course at 12 lessons (widgets, quizzes, glossaries, links across
    tracks: about 40 pages), with slips planted at its start, middle and end."""
    root = write_tracksite_project(tmp_path_factory.mktemp("parallel") / "course", plan_course(12))
    lessons = sorted(root.glob("lessons/*/*/lesson.md"))
    marks = {0: "LOG-CONVERT-1", 5: "LOG-CONVERT-2 LOG-RENDER-1", 11: "LOG-CONVERT-3 LOG-RENDER-2"}
    for i, mark in marks.items():
        lessons[i].write_text(lessons[i].read_text(encoding="utf-8") + f"\n{mark}\n", encoding="utf-8")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("strict: true\n", ""), encoding="utf-8")
    return root


def _said(stderr: str) -> list[str]:
    return sorted(re.findall(r"(?:converting|rendering) LOG-\w+-\d", stderr))


def test_helpers_build_the_site_one_process_builds_byte_for_byte(course, tmp_path):
    one = build(course, tmp_path / "one", 1)
    three = build(course, tmp_path / "three", 3)
    assert one.returncode == 0 and three.returncode == 0, three.stderr[-3000:]
    assert "helper processes" not in one.stderr
    helped = re.search(r"helper processes converted (\d+) pages, rendered (\d+)", three.stderr)
    assert helped and int(helped[1]) > 10 and int(helped[2]) > 10, three.stderr[-3000:]
    assert len(tree(tmp_path / "one")) > 40
    assert same_trees(tmp_path / "one", tmp_path / "three") == []
    # every slip is said once, by the build, wherever its page fell
    assert (
        _said(three.stderr)
        == _said(one.stderr)
        == [
            *(f"converting LOG-CONVERT-{i}" for i in (1, 2, 3)),
            *(f"rendering LOG-RENDER-{i}" for i in (1, 2)),
        ]
    )
    # the helpers' entries were kept: the next build replays them and writes the same site
    warm = build(course, tmp_path / "warm", 3, cold=False)
    assert warm.returncode == 0 and _said(warm.stderr) == _said(one.stderr)
    assert "helper processes" not in warm.stderr  # (a helper would only replay what the build replays)
    counts = re.search(r"build cache: (\d+) pages converted, \d+ from the cache, (\d+) written as kept", warm.stderr)
    assert counts and int(counts[1]) == 3 and int(counts[2]) > 30, warm.stderr[-3000:]  # the 3 that logged: again
    assert same_trees(tmp_path / "one", tmp_path / "warm") == []


def test_strict_fails_on_a_helpers_page_as_on_the_builds(course, tmp_path):
    one = build(course, tmp_path / "one", 1, strict=True)
    two = build(course, tmp_path / "two", 2, strict=True)
    assert one.returncode == two.returncode == 1
    assert "Aborted with 5 warnings in strict mode!" in one.stdout + one.stderr
    assert "Aborted with 5 warnings in strict mode!" in two.stdout + two.stderr
    assert not (tmp_path / "two").exists() or not any((tmp_path / "two").iterdir())


HELPERS = """
import os, time
from tracksite.core import forked
assert forked.start(lambda: {"pages": [1, 2]}).result() == {"pages": [1, 2]}
assert forked.start(lambda: 1 / 0).result() is None  # raised: nothing handed back
assert forked.start(lambda: os._exit(3)).result() is None  # died
slow = forked.start(lambda: time.sleep(60))
start = time.monotonic()
slow.stop()  # a build that failed: its helpers are killed, not waited for
assert time.monotonic() - start < 10 and slow.result() is None
print("helpers: ok")
"""


def test_a_helper_that_fails_leaves_its_work_to_the_caller():
    # in a process of its own, a fork of this one (tests/support/harness.py): the test runner's threads
    # would (rightly) stop any fork here, and a fork holds only the thread that made it
    def run() -> str:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(HELPERS, {})  # noqa: S102 - the test's own code, in the fork
        return out.getvalue()

    assert harness.forked(run).strip() == "helpers: ok"


def test_shares_cover_every_item_once_the_callers_first():
    for count in range(0, 50):
        for n in (1, 2, 3, 4):
            parts = forked.shares(count, n, 0.92)
            assert [i for part in parts for i in part] == list(range(count))
    assert len(forked.shares(100, 2, 0.92)[0]) == 48


def test_check_finds_the_same_problems_in_the_same_order_with_helpers(tmp_path):
    root = make_course(tmp_path / "course")
    for i in range(10):  # (TRACKSITE_PROCESSES=2 shares the passes whatever the size)
        write(root, f"docs/page-{i}.md", f"# Page {i}\n\nAs of today, the latest release is new.\n")
    lesson = root / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text() + "\n<script>alert(1)</script>\n\n[broken](lesson:nowhere)\n\nTODO: finish\n")
    runs = {}
    for n in ("1", "2"):  # each in a process of its own (a fork), whose first check it is
        runs[n] = harness.forked_command(lambda: harness.tracksite("check", cwd=root), env={forked.ENV: n})
    assert runs["1"].returncode == runs["2"].returncode == 1
    assert runs["1"].stdout == runs["2"].stdout and runs["1"].stderr == runs["2"].stderr
    out = runs["1"].stdout + runs["1"].stderr
    for code in ("TS521", "TS511", "TS501", "TS301"):  # passes run beside the others, and here
        assert f"[{code}]" in out, out


def test_properdocs_builds_with_helpers_as_with_one_process(course, tmp_path):
    engine = shutil.which("properdocs", path=str(Path(sys.executable).parent))
    if engine is None:
        pytest.fail("properdocs is not installed (pip install -e '.[test]')")
    logs = {}
    for n in (1, 2):
        cache_file(course).unlink(missing_ok=True)
        run = subprocess.run(
            [engine, "build", "-d", str(tmp_path / str(n))],
            cwd=course,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1", forked.ENV: str(n)},
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        logs[n] = run.stderr
    assert "helper processes converted" in logs[2] and "helper processes" not in logs[1]
    assert same_trees(tmp_path / "1", tmp_path / "2") == []
