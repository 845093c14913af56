"""Issue 31: the edit loop of `mkdocs serve` renders again only what a save can change, and the
site it leaves is byte for byte the one a full build writes from the same sources.

A copy of the bundled course is served; a sequence of saves (a lesson's prose, its front-matter,
a new link between lessons, a quiz, a rename with a redirect, a glossary definition) each waits
for the server to have rebuilt (its log says how many pages it rendered again); then a second
`mkdocs serve` on the same address builds the final sources from scratch, and both site folders
(each run's folder under `tracksite/serve/` in the course's state folder, where tracksite keeps
a serve run's site) are compared file by file.
"""

from __future__ import annotations

import filecmp
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from mkdocs.__main__ import cli

from support import harness
from support.course import REPO
from support.serving import free_port, wait_for
from tracksite.core import localstate

RENDERED = re.compile(r"(\d+) of (\d+) pages rendered again")
INDEXED = "tracksite: search index of"
KEPT_NAV = "the navigation and its"  # (pages kept from the last build: adapter/serve/keptnav.py)
BUILDING = "Building documentation"


def copy_course(to: Path) -> Path:
    for name in ("lessons", "cheatsheets", "docs", "overrides"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, to / name)
    shutil.copy(REPO / "mkdocs.yml", to / "mkdocs.yml")
    return to


class Server:
    """`mkdocs serve` in a process of its own whose temporary site folder lands in `tmp`; its log
    (standard output and error) is read back with `text`. The edit loop's server is a fork of this
    process (tests/support/harness.py `Spawned`): a new interpreter paid about a second of processor time
    for its imports, and what it is about is what it writes as the sources change. The server
    whose first build the loop is compared with is `cold`: a new interpreter, which starts with
    nothing a build of this process remembers in memory."""

    def __init__(self, course: Path, tmp: Path, port: int, *, cold: bool = False) -> None:
        tmp.mkdir(parents=True, exist_ok=True)
        self.tmp, self.course, self.base = tmp, course, f"http://127.0.0.1:{port}/"
        argv = ["serve", "--dev-addr", f"127.0.0.1:{port}"]
        self.proc: subprocess.Popen | harness.Spawned
        if cold:
            self.log = tempfile.TemporaryFile()
            env = {**os.environ, "TMPDIR": str(tmp), "NO_MKDOCS_2_WARNING": "1"}
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "mkdocs", *argv], cwd=course, stdout=self.log, stderr=subprocess.STDOUT, env=env
            )
            return

        def serve() -> None:
            tempfile.tempdir = str(tmp)  # (TMPDIR, which this process has read already)
            cli.main(argv, prog_name="mkdocs", standalone_mode=True)

        self.proc = harness.Spawned(serve, course, stdout_pipe=False, merge_stderr=True, env={"TMPDIR": str(tmp)})

    def text(self) -> str:
        if isinstance(self.proc, harness.Spawned):
            return self.proc.written()
        self.log.seek(0)
        return self.log.read().decode("utf-8", "replace")

    def wait(self, predicate, seconds: float = 900) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            text = self.text()
            if predicate(text):
                return text
            assert self.proc.poll() is None, text[-3000:]
            time.sleep(0.2)
        pytest.fail(f"mkdocs serve did not get there; its log:\n{self.text()[-3000:]}")

    def settle(self, quiet: float = 2.0) -> str:
        """Wait until the server has finished its last build, search index included, and its
        log has said nothing more for `quiet` seconds; returns the log."""
        last, since = "", time.monotonic()
        while True:
            text = self.wait(lambda t: t.rfind(INDEXED) > t.rfind(BUILDING) >= 0)
            if text != last:
                last, since = text, time.monotonic()
            elif time.monotonic() - since >= quiet:
                return text
            time.sleep(0.2)

    def site(self) -> Path:
        """This run's site: kept in the course's state folder (adapter/serve/lastsite.py), not in MkDocs' temporary folder."""
        (found,) = (localstate.path(self.course, "tracksite") / "serve").glob(f"{self.proc.pid}-*/site")
        return found

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(10)


def differences(a: Path, b: Path) -> list[str]:
    """Every file that is in one folder only, or differs, the search index's files included."""
    out = []
    files_a = {p.relative_to(a).as_posix() for p in a.rglob("*") if p.is_file()}
    files_b = {p.relative_to(b).as_posix() for p in b.rglob("*") if p.is_file()}
    out += [f"only in the edit loop's site: {p}" for p in sorted(files_a - files_b)]
    out += [f"only in the full build: {p}" for p in sorted(files_b - files_a)]
    out += [f"differs: {p}" for p in sorted(files_a & files_b) if not filecmp.cmp(a / p, b / p, shallow=False)]
    return out


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.slow  # the bundled course served and built whole, twice
def test_the_edit_loop_writes_what_a_full_build_writes(tmp_path):
    course = copy_course(tmp_path / "course")
    t5 = course / "lessons" / "transformers-and-llms"
    lesson = t5 / "attention-mechanism" / "lesson.md"
    port = free_port()
    server = Server(course, tmp_path / "loop", port)
    try:
        server.settle()
        site = server.site()

        logs: list[str] = []  # each save's rebuild's log

        def save(change, page: str, needle: str) -> int | None:
            """Make a change, wait for the page to show it and the server to be done; how many
            pages the rebuild rendered (None: all of them)."""
            before = server.text().count(BUILDING)
            change()
            wait_for(server.base + page, needle, 600)
            text = server.settle()
            logs.append(text[_nth(text, BUILDING, before) :])
            found = RENDERED.findall(logs[-1])
            return int(found[0][0]) if found else None

        # prose only: that page and nothing else, not the 404 page or the sitemap either
        engine_files = [site / name for name in ("404.html", "sitemap.xml", "sitemap.xml.gz")]
        written = [path.stat().st_mtime_ns for path in engine_files]
        assert (
            save(
                lambda: lesson.write_text(
                    lesson.read_text(encoding="utf-8") + "\nA wombat sentence.\n", encoding="utf-8"
                ),
                "transformers-and-llms/attention-mechanism/",
                "A wombat sentence",
            )
            == 1
        )
        assert KEPT_NAV in logs[-1]  # issue 76: no page came or went, MkDocs' pages are kept
        assert [path.stat().st_mtime_ns for path in engine_files] == written  # (as the full build's: below)
        # front-matter: its track's pages (neighbours, track page, map) and the linked track's
        rendered = save(
            lambda: edit(t5 / "positional-encoding" / "lesson.md", "title: ", "title: Revised "),
            "transformers-and-llms/",
            "Revised Word order",
        )
        assert rendered is not None and 1 < rendered < 60
        # a quiz: the lesson and the exercise pack show it
        save(
            lambda: edit(lesson, "Why does a recurrent network struggle", "Why does a recurrent wombat struggle"),
            "transformers-and-llms/exercises/",
            "recurrent wombat struggle",
        )
        # a rename, with a redirect from the old address
        result = harness.tracksite(
            "rename", "transformers-and-llms", "scaling-and-context", "scaling-laws", "--redirect", cwd=course
        )
        assert result.returncode == 0, result.stdout + result.stderr
        wait_for(server.base + "transformers-and-llms/scaling-laws/", "Scaling", 600)
        server.settle()
        # a lesson added, then removed: the navigation is made anew each time
        new = ["new", "lesson", "transformers-and-llms", "wombat-basics", "--title", "Wombat basics"]
        result = harness.tracksite(*new, "--after", "using-llms", cwd=course)
        assert result.returncode == 0, result.stdout + result.stderr
        wait_for(server.base + "transformers-and-llms/wombat-basics/", "Wombat basics", 600)
        server.settle()

        def remove() -> None:
            edit(t5 / "track.yml", "      - wombat-basics\n", "")
            shutil.rmtree(t5 / "wombat-basics")
            for sheet in (course / "cheatsheets").rglob("wombat-basics.md"):
                sheet.unlink()
            lesson.write_text(lesson.read_text(encoding="utf-8") + "\nA numbat sentence.\n", encoding="utf-8")

        save(remove, "transformers-and-llms/attention-mechanism/", "A numbat sentence")
        assert KEPT_NAV not in logs[-1].split(BUILDING)[1]  # (the build that saw the lesson go)
        assert not (site / "transformers-and-llms" / "wombat-basics").exists()
        # a glossary definition (of a term only this track defines: a term defined in both tracks
        # must keep one definition): every page that shows its tooltip
        save(
            lambda: edit(
                t5 / "glossary.yml",
                "definition: The fixed procedure",
                "definition: Wombat-checked. The fixed procedure",
            ),
            "transformers-and-llms/glossary/",
            "Wombat-checked.",
        )

        # a file added to a lesson's folder and shown by its page: the track's load, kept while the
        # watcher reports nothing in its folders (core/memo.py `kept_track`), is made again
        def add_image() -> None:
            svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>'
            (lesson.parent / "wombat.svg").write_text(svg, encoding="utf-8")
            lesson.write_text(lesson.read_text(encoding="utf-8") + "\n![A wombat](wombat.svg)\n", encoding="utf-8")

        save(add_image, "transformers-and-llms/attention-mechanism/", "wombat.svg")
        assert (site / "transformers-and-llms" / "attention-mechanism" / "wombat.svg").is_file()

        # the figure saved again by a drawing program, with its editor's data: the published copy
        # is the plain one again (kept while the watcher reports nothing there, adapter/published/figures.py)
        def draw_again() -> None:
            inkscape = (
                '<svg xmlns="http://www.w3.org/2000/svg" xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/'
                'sodipodi-0.dtd" viewBox="0 0 2 2"><sodipodi:namedview id="wombat-view"/></svg>'
            )
            (lesson.parent / "wombat.svg").write_text(inkscape, encoding="utf-8")
            lesson.write_text(lesson.read_text(encoding="utf-8") + "\nA redrawn wombat.\n", encoding="utf-8")

        save(draw_again, "transformers-and-llms/attention-mechanism/", "A redrawn wombat")
        published = (site / "transformers-and-llms" / "attention-mechanism" / "wombat.svg").read_text(encoding="utf-8")
        assert 'viewBox="0 0 2 2"' in published and "namedview" not in published
        # a runnable block's code: the page draws the new code (the drawn code is kept by its text)
        save(
            lambda: edit(lesson, "# positive weights that sum to 1", "# positive wombat weights that sum to 1"),
            "transformers-and-llms/attention-mechanism/",
            "positive wombat weights",
        )
        # prose again: the 404 page and the sitemap the glossary's save wrote are left as they are
        # (and compared with the full build's below)
        written = [path.stat().st_mtime_ns for path in engine_files]
        save(
            lambda: lesson.write_text(lesson.read_text(encoding="utf-8") + "\nA quokka sentence.\n", encoding="utf-8"),
            "transformers-and-llms/attention-mechanism/",
            "A quokka sentence",
        )
        assert [path.stat().st_mtime_ns for path in engine_files] == written
        loop_site = tmp_path / "loop-site"
        shutil.copytree(site, loop_site)
    finally:
        server.stop()

    full = Server(course, tmp_path / "full", port, cold=True)  # the same address: the same absolute URLs
    try:
        text = full.settle()
        assert not RENDERED.search(text)  # a first build renders every page
        full_site = tmp_path / "full-site"
        shutil.copytree(full.site(), full_site)
    finally:
        full.stop()
    assert (full_site / "transformers-and-llms" / "scaling-laws" / "index.html").is_file()
    # the old address of the renamed lesson's overview is a redirect now, not the old page
    old = (full_site / "transformers-and-llms" / "scaling-and-context" / "overview" / "index.html").read_text()
    assert 'url=../../scaling-laws/overview/"' in old and "ts-lesson" not in old
    assert differences(loop_site, full_site) == []
    entry = "search-index/index.json"
    pages = [json.loads((site / entry).read_text())["pages"] for site in (loop_site, full_site)]
    assert pages[0] == pages[1] > 50, pages


def _nth(text: str, needle: str, n: int) -> int:
    """Where the n-th (from 0) occurrence of `needle` starts in `text`."""
    at = -1
    for _ in range(n + 1):
        at = text.index(needle, at + 1)
    return at
