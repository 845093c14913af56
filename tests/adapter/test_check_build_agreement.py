"""`tracksite check` and `mkdocs build` see the same project: a corpus of bad inputs, each of
which must fail both, with the same `path:line: message` line in both outputs.

Every case breaks one thing in a copy of the fixture course (tests/support/course.py, built with
`strict: true`). `check` runs as the CLI runs it; the build runs through MkDocs' own command
line (`mkdocs build`), in this process to keep the corpus fast, and a few cases also in a
separate process, as a user runs them. The expected problem is named by its path, its line and
a few words of its message; the test then requires the very same report line in both outputs.
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from support.course import lesson_md, make_course, write

A1, A2, A3, B2 = (
    "lessons/alpha/a1/lesson.md",
    "lessons/alpha/a2/lesson.md",
    "lessons/alpha/a3/lesson.md",
    "lessons/beta/b2/lesson.md",
)
GUIDE = "docs/guide.md"
REDIRECTS = "lessons/alpha/redirects.yml"
FRONT_LINES = 11  # lesson_md's front-matter: the body starts on line 12


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], None]
    path: str
    line: int | None
    needle: str


# -- ways to break the fixture course ------------------------------------------------------------
def put(rel: str, text: str):
    return lambda root: write(root, rel, text)


def lesson(rel: str, title: str, **kw):
    return put(rel, lesson_md(title, **kw))


def body(rel: str, title: str, text: str):
    """A lesson whose body is `text` (its first line is file line 12)."""
    return lesson(rel, title, body=text + "\n\n" + "Words to read here. " * 40 + "\n")


def edit(rel: str, old: str, new: str):
    def make(root: Path) -> None:
        path = root / rel
        text = path.read_text()
        assert old in text, (rel, old)
        path.write_text(text.replace(old, new, 1))

    return make


def both(*makes):
    def make(root: Path) -> None:
        for m in makes:
            m(root)

    return make


def symlink(rel: str, target: str):
    def make(root: Path) -> None:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, root / rel)

    return make


def fifo(rel: str):
    return lambda root: os.mkfifo(root / rel)


def guide(front: str = "", text: str = "# Guide\n\nSome text.\n"):
    return put(GUIDE, (f"---\n{front}---\n" if front else "") + text)


SVG_SCRIPT = '<svg xmlns="http://www.w3.org/2000/svg">\n<script>alert(1)</script>\n</svg>\n'
SVG_ONLOAD = '<svg xmlns="http://www.w3.org/2000/svg"\n onload="alert(1)">\n</svg>\n'
L12 = FRONT_LINES + 1
OUTSIDE = "/etc/hostname"

CASES = [
    # docs/ pages: front-matter
    Case("docs-titel-typo", guide("titel: Guide\n"), GUIDE, 2, "unknown key 'titel'"),
    Case("docs-template-missing", guide("template: nosuch.html\n"), GUIDE, 2, "no template 'nosuch.html'"),
    Case("docs-template-typo", guide("title: G\ntemplate: mian.html\n"), GUIDE, 3, "no template 'mian.html'"),
    Case("docs-hide-unknown", guide("hide:\n  - navigaton\n"), GUIDE, 3, "'navigaton' is not allowed"),
    Case("docs-title-empty", guide("title: ''\n"), GUIDE, 2, "must not be empty"),
    Case("docs-description-list", guide("description: [a, b]\n"), GUIDE, 2, "expected text"),
    Case("docs-front-not-mapping", guide("- a\n- b\n"), GUIDE, 2, "front-matter must be a mapping"),
    Case("docs-front-unclosed", put(GUIDE, "---\ntitle: G\n# Guide\n"), GUIDE, 1, "never closed"),
    Case("docs-front-yaml-broken", guide("title: [G\n"), GUIDE, 2, "YAML"),
    # one address, one source
    Case(
        "docs-track-index",
        put("docs/alpha/index.md", "# Index\n"),
        "docs/alpha/index.md",
        None,
        "the track page generated from lessons/alpha/track.yml",
    ),
    Case(
        "docs-lesson-index",
        put("docs/alpha/a1/index.md", "# A1\n"),
        "docs/alpha/a1/index.md",
        None,
        "the lesson page from lessons/alpha/a1/lesson.md",
    ),
    Case("docs-lesson-url", put("docs/alpha/a1.md", "# A1\n"), "docs/alpha/a1.md", None, "both published at alpha/a1/"),
    Case(
        "docs-course-json",  # issue 75: the exports' outline has its address
        put("docs/course.json", "{}\n"),
        "docs/course.json",
        None,
        "the course's outline for the exports tracksite generates",
    ),
    Case(
        "docs-overview-url",
        put("docs/alpha/a1/overview.md", "# O\n"),
        "docs/alpha/a1/overview.md",
        None,
        "the overview page from lessons/alpha/a1/overview.md",
    ),
    Case(
        "docs-overview-folder",
        put("docs/alpha/a1/overview/index.md", "# O\n"),
        "docs/alpha/a1/overview/index.md",
        None,
        "both published at alpha/a1/overview/",
    ),
    Case(
        "docs-cheatsheet-url",
        put("docs/beta/b1/cheatsheet.md", "# C\n"),
        "docs/beta/b1/cheatsheet.md",
        None,
        "the cheatsheet page from cheatsheets/beta/b1.md",
    ),
    Case(
        "docs-shadows-asset",
        put("docs/alpha/a2/diagram.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>"),
        "docs/alpha/a2/diagram.svg",
        None,
        "the lesson file from lessons/alpha/a2/diagram.svg",
    ),
    Case("docs-shadows-asset-folder", put("docs/beta/b2/notes.md", "# N\n"), None, None, None),  # control: no clash
    # relative links
    Case("docs-link-etc-passwd", guide(text="# G\n\n[x](../../../../etc/passwd)\n"), GUIDE, 3, "climbs above the site"),
    Case(
        "lesson-link-etc-passwd",
        body(A1, "First lesson", "## Intro\n\n[x](../../../../etc/passwd)"),
        A1,
        L12 + 2,
        "climbs above the site",
    ),
    Case("docs-link-missing-file", guide(text="# G\n\n[x](nothere.md)\n"), GUIDE, 3, "no file nothere.md"),
    Case(
        "docs-link-missing-anchor",
        guide(text="# G\n\n## Part one\n\n[x](#part-two)\n"),
        GUIDE,
        5,
        "no heading with anchor #part-two",
    ),
    Case(
        "docs-link-other-anchor",
        both(put("docs/other.md", "# Other\n\n## Real part\n"), guide(text="# G\n\n[x](other.md#fake-part)\n")),
        GUIDE,
        3,
        "no heading with anchor #fake-part",
    ),
    Case("docs-link-absolute", guide(text="# G\n\n[x](/alpha/a1/)\n"), GUIDE, 3, "absolute path"),
    Case("lesson-link-folder", body(A1, "First lesson", "## Intro\n\n[x](../a2/)"), A1, L12 + 2, "is a folder"),
    Case(
        "lesson-link-missing-file",
        body(A1, "First lesson", "## Intro\n\n[x](notes.pdf)"),
        A1,
        L12 + 2,
        "no file alpha/a1/notes.pdf",
    ),
    Case(
        "lesson-anchor-typo",
        body(A1, "First lesson", "## Intro\n\n[x](lesson:a2#strat)"),
        A1,
        L12 + 2,
        "no heading with anchor #strat",
    ),
    Case(
        "lesson-anchor-setext",
        body(A1, "First lesson", "Intro\n-----\n\n[x](lesson:beta/b2#deep-sections)"),
        A1,
        L12 + 3,
        "no heading with anchor #deep-sections",
    ),
    Case(
        "lesson-anchor-dunder",
        body(A1, "First lesson", "## __init__ method\n\n[x](#__init__-method)"),
        A1,
        L12 + 2,
        "no heading with anchor #__init__-method on that page (did you mean 'init-method'?)",
    ),
    Case(
        "lesson-link-unknown",
        body(A1, "First lesson", "## Intro\n\n[x](lesson:nosuch)"),
        A1,
        L12 + 2,
        "no lesson 'nosuch'",
    ),
    Case(
        "lesson-link-unknown-track",
        body(A1, "First lesson", "## Intro\n\n[x](track:nosuch)"),
        A1,
        L12 + 2,
        "no track 'nosuch'",
    ),
    Case("docs-link-unknown-lesson", guide(text="# G\n\n[x](lesson:alpha/nosuch)\n"), GUIDE, 3, "no lesson 'nosuch'"),
    Case(
        "lesson-link-malformed",
        body(A1, "First lesson", "## Intro\n\n[x](lesson:../a2)"),
        A1,
        L12 + 2,
        "is not `lesson:<lesson>`",
    ),
    # drafts
    Case(
        "link-to-draft",
        both(
            edit(A3, "math: none\n", "math: none\nstatus: draft\n"),
            body(A1, "First lesson", "## Intro\n\n[x](lesson:a3)"),
        ),
        A1,
        L12 + 2,
        "is a draft",
    ),
    Case("deep-dive-to-draft", edit(B2, "math: none\n", "math: none\nstatus: draft\n"), A2, 15, "is a draft"),
    Case(
        "prerequisite-draft",
        both(
            edit(A3, "math: none\n", "math: none\nstatus: draft\n"),
            lesson(A1, "First lesson", extra="prerequisites:\n  - lesson: a3\n"),
        ),
        A1,
        12,
        "is a draft",
    ),
    Case(
        "docs-link-to-draft",
        both(edit(A3, "math: none\n", "math: none\nstatus: draft\n"), guide(text="# G\n\n[x](lesson:alpha/a3)\n")),
        GUIDE,
        3,
        "is a draft",
    ),
    # prerequisites and deep dives
    Case(
        "prerequisite-cycle",
        lesson(A1, "First lesson", extra="prerequisites:\n  - lesson: a2\n"),
        A1,
        12,
        "prerequisites form a cycle: alpha/a1 -> alpha/a2 -> alpha/a1",
    ),
    Case(
        "prerequisite-cycle-3",
        both(
            lesson(A1, "First lesson", extra="prerequisites:\n  - lesson: a3\n"),
            lesson(A3, "Third lesson", extra="prerequisites:\n  - lesson: a2\n"),
        ),
        A1,
        12,
        "prerequisites form a cycle",
    ),
    Case(
        "prerequisite-self",
        lesson(A1, "First lesson", extra="prerequisites:\n  - lesson: a1\n"),
        A1,
        12,
        "its own prerequisite",
    ),
    Case(
        "prerequisite-unknown",
        lesson(A1, "First lesson", extra="prerequisites:\n  - lesson: a9\n"),
        A1,
        12,
        "no lesson 'a9'",
    ),
    Case(
        "deep-dive-same-track",
        lesson(A1, "First lesson", extra="deep_dives:\n  - alpha/a3\n"),
        A1,
        12,
        "deep dive 'alpha/a3' is in the same track",
    ),
    Case("deep-dive-unknown", lesson(A1, "First lesson", extra="deep_dives:\n  - beta/b9\n"), A1, 12, "no lesson 'b9'"),
    # images
    Case(
        "remote-image-lesson",
        body(A1, "First lesson", "## Intro\n\n![A chart](https://example.com/c.png)"),
        A1,
        L12 + 2,
        "Content-Security-Policy",
    ),
    Case(
        "remote-image-docs",
        guide(text="# G\n\n![A chart](http://example.com/c.png)\n"),
        GUIDE,
        3,
        "Content-Security-Policy",
    ),
    Case(
        "remote-image-schemeless",
        body(A1, "First lesson", "## Intro\n\n![A chart](//example.com/c.png)"),
        A1,
        L12 + 2,
        "Content-Security-Policy",
    ),
    Case(
        "image-missing",
        body(A1, "First lesson", "## Intro\n\n![A chart](chart.svg)"),
        A1,
        L12 + 2,
        "image 'chart.svg' not found",
    ),
    Case(
        "image-leaves-folder",
        body(A1, "First lesson", "## Intro\n\n![A chart](../a2/diagram.svg)"),
        A1,
        L12 + 2,
        "leaves the lesson folder",
    ),
    Case("docs-image-missing", guide(text="# G\n\n![A chart](chart.png)\n"), GUIDE, 3, "image 'chart.png' not found"),
    # a lesson named like a page the track makes itself
    Case(
        "lesson-slug-reserved",
        both(
            edit("lessons/alpha/track.yml", "      - a3\n", "      - keypoints\n"),
            edit(A1, "math: none\n", "math: none\nkeypoints:\n  - Remember this.\n"),
            lambda root: (root / "lessons/alpha/a3").rename(root / "lessons/alpha/keypoints"),
            lambda root: (root / "cheatsheets/alpha/a3.md").rename(root / "cheatsheets/alpha/keypoints.md"),
        ),
        "lessons/alpha/track.yml",
        9,
        "lesson slug 'keypoints' is taken by the track's own keypoints page",
    ),
    # redirects.yml
    Case("redirects-broken-yaml", put(REDIRECTS, "old: [a2\n"), REDIRECTS, 2, "YAML syntax error"),
    Case("redirects-not-mapping", put(REDIRECTS, "- old\n- a2\n"), REDIRECTS, 1, "expected `old-slug: new-slug`"),
    Case(
        "redirects-dangling",
        put(REDIRECTS, "# moved\nold-one: nowhere\n"),
        REDIRECTS,
        2,
        "redirect target 'nowhere' is not a lesson",
    ),
    Case("redirects-shadow-lesson", put(REDIRECTS, "a1: a2\n"), REDIRECTS, 1, "'a1' is a lesson of this track again"),
    Case(
        "redirects-bad-slug",
        put(REDIRECTS, "Old_One: a2\n"),
        REDIRECTS,
        1,
        "Old_One: 'Old_One' is not a slug (lower-case letters, digits and hyphens) (did you mean 'old-one'?)",
    ),
    Case(
        "redirects-bad-target-slug",
        put(REDIRECTS, "# moved\n\nold-one: A2\n"),
        REDIRECTS,
        3,
        "old-one: 'A2' is not a slug (lower-case letters, digits and hyphens) (did you mean 'a2'?)",
    ),
    Case("redirects-no-target", put(REDIRECTS, "old-one:\n"), REDIRECTS, 1, "old-one: expected text, found"),
    Case("redirects-target-list", put(REDIRECTS, "old-one: [a2]\n"), REDIRECTS, 1, "old-one: expected text, found"),
    Case(
        "redirects-other-track",
        put("lessons/beta/redirects.yml", "gone: a1\n"),
        "lessons/beta/redirects.yml",
        1,
        "is not a lesson of beta/track.yml",
    ),
    # files under docs/ the engine cannot publish
    Case("docs-symlink-loop-file", symlink("docs/loop.md", "loop.md"), "docs/loop.md", None, "loop back on themselves"),
    Case(
        "docs-symlink-loop-folder", symlink("docs/extra/up", ".."), "docs/extra/up", None, "a folder that contains it"
    ),
    Case("docs-symlink-broken", symlink("docs/gone.png", "missing.png"), "docs/gone.png", None, "points to nothing"),
    Case("docs-fifo", fifo("docs/pipe.txt"), "docs/pipe.txt", None, "not a regular file"),
    Case("docs-symlink-outside", symlink("docs/host.txt", OUTSIDE), "docs/host.txt", None, "outside the project"),
    # active content
    Case("docs-svg-script", put("docs/pic.svg", SVG_SCRIPT), "docs/pic.svg", 2, "SVG contains a <script> element"),
    # docs/ files mkdocs.yml leaves out: a link to one is broken in the built site
    Case(
        "docs-link-to-excluded",
        both(
            edit("mkdocs.yml", "docs_dir: docs\n", "docs_dir: docs\nexclude_docs: |\n  notes/\n"),
            put("docs/notes/x.md", "# X\n"),
            guide(text="# G\n\n[x](notes/x.md)\n"),
        ),
        GUIDE,
        3,
        "docs/notes/x.md is left out of the site by mkdocs.yml's `exclude_docs` or `draft_docs`",
    ),
    Case(
        "docs-link-to-draft-doc",
        both(
            edit("mkdocs.yml", "docs_dir: docs\n", "docs_dir: docs\ndraft_docs: |\n  wip/\n"),
            put("docs/wip/x.md", "# X\n"),
            guide(text="# G\n\n[x](wip/x.md)\n"),
        ),
        GUIDE,
        3,
        "docs/wip/x.md is left out of the site",
    ),
    # files the theme or the search index write over after the build
    Case(
        "docs-404-html",
        put("docs/404.html", "<p>Lost</p>\n"),
        "docs/404.html",
        None,
        "is published at 404.html, which the theme's 404.html overwrites",
    ),
    Case(
        "docs-sitemap-gz",
        put("docs/sitemap.xml.gz", "x"),
        "docs/sitemap.xml.gz",
        None,
        "which the theme's sitemap.xml.gz overwrites",
    ),
    Case(
        "docs-search-file",
        put("docs/search-index/notes.txt", "x\n"),
        "docs/search-index/notes.txt",
        None,
        "which the search index (written to search-index/ after the build) overwrites",
    ),
    Case(
        "track-named-search",
        both(
            put(
                "lessons/search-index/track.yml",
                "number: 3\ntitle: Search\nsummary: S.\nphases:\n  - title: P\n    lessons: [p1, p2]\n",
            ),
            lesson("lessons/search-index/p1/lesson.md", "Search one"),
            lesson("lessons/search-index/p2/lesson.md", "Search two"),
            put("lessons/search-index/p1/overview.md", "## What you'll learn\n\nThings.\n"),
            put("lessons/search-index/p2/overview.md", "## What you'll learn\n\nThings.\n"),
            put("cheatsheets/search-index/p1.md", "## Key ideas\n\nA few.\n"),
            put("cheatsheets/search-index/p2.md", "## Key ideas\n\nA few.\n"),
        ),
        "lessons/search-index/track.yml",
        None,
        "track folder name 'search-index' is taken",
    ),
    # a file that is in the lesson folder but not published: said so, not "not found"
    Case(
        "lesson-image-in-subfolder",
        both(
            put("lessons/alpha/a1/img/pic.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>\n'),
            body(A1, "First lesson", "## Intro\n\n![A picture](img/pic.svg)"),
        ),
        A1,
        L12 + 2,
        "is in the lesson folder, but only the files directly beside lesson.md are published",
    ),
    Case(
        "lesson-link-to-unpublished-type",
        both(put("lessons/alpha/a1/slides.key", "x"), body(A1, "First lesson", "## Intro\n\n[The slides](slides.key)")),
        A1,
        L12 + 2,
        "slides.key is in the lesson folder, but .key files are not published",
    ),
    Case(
        "docs-markdown-suffix",
        put("docs/notes.markdown", "---\ntitel: Notes\n---\n# Notes\n"),
        "docs/notes.markdown",
        None,
        "a Markdown page must end in .md, not .markdown (rename it to notes.md)",
    ),
    Case(
        "docs-mdown-track-index",
        put("docs/beta/index.mdown", "# Beta\n"),
        "docs/beta/index.mdown",
        None,
        "a Markdown page must end in .md, not .mdown",
    ),
    Case("docs-svg-onload", put("docs/pic.svg", SVG_ONLOAD), "docs/pic.svg", 1, "onload= event handler"),
    Case(
        "lesson-svg-script",
        put("lessons/alpha/a2/diagram.svg", SVG_SCRIPT),
        "lessons/alpha/a2/diagram.svg",
        2,
        "SVG contains a <script> element",
    ),
    Case("lesson-script", body(A1, "First lesson", "## Intro\n\n<script>alert(1)</script>"), A1, L12 + 2, "<script>"),
    Case(
        "lesson-javascript-link",
        body(A1, "First lesson", "## Intro\n\n[x](javascript:alert(1))"),
        A1,
        L12 + 2,
        "javascript: URL",
    ),
    Case("docs-iframe", guide(text="# G\n\n<iframe src='x'></iframe>\n"), GUIDE, 3, "<iframe>"),
    Case("docs-onclick", guide(text="# G\n\n<p onclick='x()'>hi</p>\n"), GUIDE, 3, "onclick="),
    # the course's shape and lesson front-matter
    Case(
        "track-number-twice",
        edit("lessons/beta/track.yml", "number: 2", "number: 1"),
        "lessons/beta/track.yml",
        1,
        "track number 1 is already used",
    ),
    Case(
        "orphan-cheatsheet",
        put("cheatsheets/alpha/a9.md", "## Key\n"),
        "cheatsheets/alpha/a9.md",
        None,
        "cheatsheet has no lesson",
    ),
    Case("lesson-titel-typo", edit(A1, "title:", "titel:"), A1, 2, "unknown key 'titel'"),
    Case(
        "lesson-difficulty-expert",
        edit(A1, "difficulty: standard", "difficulty: expert"),
        A1,
        9,
        "'expert' is not allowed",
    ),
    Case(
        "lesson-listed-twice",
        edit("lessons/beta/track.yml", "[b1, b2]", "[b1, b2, b1]"),
        "lessons/beta/track.yml",
        6,
        "listed twice",
    ),
    Case(
        "lesson-folder-unlisted",
        lesson("lessons/beta/b3/lesson.md", "Beta three"),
        "lessons/beta/b3",
        None,
        "is not listed",
    ),
    Case(
        "quiz-broken", body(A1, "First lesson", "## Intro\n\n/// quiz\n- question: [\n///"), A1, L12 + 3, "quiz: YAML"
    ),
]


def unreadable(rel: str):
    def make(root: Path) -> None:
        write(root, rel, "data")
        os.chmod(root / rel, 0)

    return make


if os.geteuid() != 0:  # root reads any file; a pipe and a broken link stand in for it above
    CASES.append(Case("docs-unreadable", unreadable("docs/secret.csv"), "docs/secret.csv", None, "cannot read"))
CASES = [c for c in CASES if c.path is not None]


# -- running both --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = make_course(tmp_path_factory.mktemp("agreement") / "base")
    config = root / "mkdocs.yml"
    config.write_text("strict: true\n" + config.read_text())
    return root


def copy_of(base: Path, where: Path) -> Path:
    root = where / "course"
    shutil.copytree(base, root, symlinks=True)
    return root


def run_check(root: Path) -> tuple[int, str]:
    from tracksite.commands.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--root", str(root), "check", "--errors-only"])
    return code, out.getvalue() + err.getvalue()


def run_build(root: Path) -> tuple[int, str]:
    """`mkdocs build` through MkDocs' own command line, in this process; its log captured."""
    from mkdocs.__main__ import cli

    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    cwd = os.getcwd()
    try:
        os.chdir(root)
        cli.main(["build", "-q", "-d", str(root.parent / "site")], standalone_mode=False)
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    except Exception as e:  # noqa: BLE001 - click's Abort and MkDocs' errors end a failed build
        code, _ = 1, stream.write(f"{type(e).__name__}: {e}\n")
    finally:
        os.chdir(cwd)
        logger.removeHandler(handler)
    return code, stream.getvalue()


def report_line(output: str, case: Case) -> str:
    # `path:line: ` or `path:line:column: ` (the column where it is known); check and build
    # must then print the same whole line, column and code included
    prefix = re.escape(f"{case.path}:{case.line}") + r"(?::\d+)?: " if case.line else re.escape(f"{case.path}: ")
    lines = [line.strip() for line in output.splitlines() if re.match(prefix, line.strip()) and case.needle in line]
    assert lines, f"no line starting {prefix!r} with {case.needle!r} in:\n{output[-3000:]}"
    return lines[0]


def test_corpus_is_large_and_named_uniquely():
    assert len(CASES) >= 60
    assert len({c.name for c in CASES}) == len(CASES)


def test_fixture_course_passes_both(base, tmp_path):
    root = copy_of(base, tmp_path)
    assert run_check(root)[0] == 0
    code, log = run_build(root)
    assert code == 0, log


def test_unrelated_docs_page_beside_a_lesson_address_is_fine(base, tmp_path):
    root = copy_of(base, tmp_path)
    write(root, "docs/beta/b2/notes.md", "# Notes\n\nBeside the lesson's address, not on it.\n")
    assert run_check(root) == (0, run_check(root)[1])
    assert run_build(root)[0] == 0


def test_exclude_docs_leaves_out_docs_files_only(base, tmp_path):
    """mkdocs.yml's `exclude_docs` patterns are for docs/: an excluded page is neither checked
    nor published, and a pattern that also matches a lesson's file leaves the lesson alone."""
    root = copy_of(base, tmp_path)
    edit("mkdocs.yml", "docs_dir: docs\n", "docs_dir: docs\nexclude_docs: |\n  notes/\n  *.svg\n")(root)
    write(root, "docs/notes/x.md", "---\ntitel: Not published\n---\n# X\n")
    write(root, "docs/pic.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>\n')
    assert run_check(root)[0] == 0
    code, log = run_build(root)
    assert code == 0, log
    site = root.parent / "site"
    assert not (site / "notes").exists() and not (site / "pic.svg").exists()
    assert (site / "alpha/a2/diagram.svg").is_file()


@pytest.mark.parametrize(
    "name,line",
    [
        # links into that address still check against the lesson (a2 links to b2#deep-section)
        ("docs-on-lesson-address", "both published at beta/b2/"),
        # the collision of the lesson's and the track page's address is that same problem
        ("lesson-slug-reserved", "lesson slug 'keypoints' is taken"),
        # a track in the search index's folder: one problem at its track.yml, not one for each page
        ("track-named-search", "track folder name 'search-index' is taken"),
    ],
)
def test_one_cause_is_one_problem(name, line, base, tmp_path):
    """A clash of addresses is reported once, not again as the errors that follow from it."""
    root = copy_of(base, tmp_path)
    if name == "docs-on-lesson-address":
        write(root, "docs/beta/b2/index.md", "# Clash\n")
    else:
        next(c for c in CASES if c.name == name).make(root)
    code, checked = run_check(root)
    located = [out for out in checked.splitlines() if out.startswith(("docs/", "lessons/", "cheatsheets/"))]
    assert code == 1 and len(located) == 1 and line in located[0], checked


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_check_and_build_fail_alike(case, base, tmp_path):
    root = copy_of(base, tmp_path)
    case.make(root)
    code, checked = run_check(root)
    assert code == 1, checked
    expected = report_line(checked, case)
    code, built = run_build(root)
    assert code != 0, f"the build passed:\n{built[-3000:]}"
    assert expected in built, f"{expected!r} not in the build's output:\n{built[-3000:]}"
    assert "Traceback" not in built + checked


@pytest.mark.parametrize("name", ["docs-track-index", "docs-link-etc-passwd", "docs-symlink-loop-folder"])
def test_real_command_lines_agree(name, base, tmp_path):
    """The same, with both commands in their own processes, exactly as a user types them."""
    case = next(c for c in CASES if c.name == name)
    root = copy_of(base, tmp_path)
    case.make(root)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    check = subprocess.run(
        [sys.executable, "-m", "tracksite.commands.cli", "--root", str(root), "check"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    build = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-d", str(tmp_path / "site")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert check.returncode == 1 and build.returncode == 1
    expected = report_line(check.stdout, case)
    assert expected in build.stderr
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("serving", [False, True])
def test_docs_left_out_as_mkdocs_leaves_them_out(tmp_path, serving):
    """siteconfig.leaves_out decides as MkDocs' own set_exclusions does, on its defaults,
    `exclude_docs` (negations included) and `draft_docs`."""
    import pathspec
    from mkdocs.structure.files import File, InclusionLevel, set_exclusions

    from tracksite.core.siteconfig import SiteConfig

    exclude, drafts = "notes/\n*.psd\n!keep.psd\n/top.md\n", "wip/\n*.draft.md\n"
    config = SiteConfig(tmp_path, None, exclude_docs=exclude, draft_docs=drafts)
    engine = {
        "exclude_docs": pathspec.GitIgnoreSpec.from_lines(exclude.splitlines()),
        "draft_docs": pathspec.GitIgnoreSpec.from_lines(drafts.splitlines()),
        "not_in_nav": None,
    }
    uris = [
        "index.md",
        ".hidden.md",
        "a/.git/x",
        "templates/t.html",
        "a/templates/t.md",
        "notes/x.md",
        "a/notes/y.md",
        "p.psd",
        "keep.psd",
        "a/keep.psd",
        "top.md",
        "a/top.md",
        "wip/x.md",
        "a/b.draft.md",
        "guide.md",
    ]
    files = [File(uri, str(tmp_path), str(tmp_path / "site"), True) for uri in uris]
    set_exclusions(files, engine)
    published = {InclusionLevel.INCLUDED, InclusionLevel.NOT_IN_NAV} | ({InclusionLevel.DRAFT} if serving else set())
    assert {f.src_uri: f.inclusion not in published for f in files} == {
        uri: config.leaves_out(uri, serving=serving) for uri in uris
    }
