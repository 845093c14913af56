"""Issue 52: a warm build equals a cold one, and helpers equal one process, after any edits.

The build keeps state between builds (the whole-page cache, converted pages, the check's
findings, compiled templates) and can share its pages among forked helper processes. Each of
those is a place where a page could come out stale or different. The scenario tests each name
one edit; this test lets hypothesis choose sequences of edits on the small fixture course
(a lesson's text, a new section, a cross-link, a glossary definition, a track's title, and
undoing an edit, which brings back a state the cache has seen) and builds after every edit in
one process, as `mkdocs serve` does. After the sequence, the warm site must equal, byte for byte,
a cold build in a fresh state folder and a cold build shared among three processes.

The builds run in this process (MkDocs' `load_config` and `build`), a few seconds an example;
the examples are few and derandomized so that every run tries the same sequences, and
hypothesis keeps no database (a checkout must not carry state that changes what a test runs).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.course import make_course, write
from tracksite.core import forked, localstate

LESSONS = ("alpha/a1", "alpha/a2", "alpha/a3", "beta/b1", "beta/b2")
WORDS = ("gradient", "tensor", "kernel", "softmax")


@dataclass(frozen=True)
class Edit:
    kind: str
    lesson: str
    word: str

    def apply(self, root: Path, original: dict[str, str]) -> None:
        path = root / "lessons" / self.lesson / "lesson.md"
        text = path.read_text(encoding="utf-8")
        EDITS[self.kind](self, root, path, text, original)


def _paragraph(edit: Edit, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    path.write_text(text + f"\nA paragraph about the {edit.word}.\n", encoding="utf-8")


def _section(edit: Edit, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # a heading changes the page's table of contents, anchors and search sections
    path.write_text(text + f"\n## The {edit.word}\n\nWhat the {edit.word} does.\n", encoding="utf-8")


def _link(edit: Edit, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    target = next(lesson for lesson in LESSONS if lesson != edit.lesson)
    path.write_text(text + f"\nSee [the other lesson](lesson:{target}).\n", encoding="utf-8")


def _glossary(edit: Edit, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # a definition shows on the glossary page and in every lesson that uses the term
    write(
        root,
        "lessons/alpha/glossary.yml",
        f"terms:\n  - term: Widget\n    definition: A part named {edit.word}.\n    lesson: a1\n",
    )


def _track_title(edit: Edit, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # shown on every page of the track, outside the converted Markdown
    track = root / "lessons/beta/track.yml"
    track.write_text(original["lessons/beta/track.yml"].replace("Beta track", f"Beta {edit.word} track"))


def _undo(edit: Edit, root: Path, path: Path, text: str, original: dict[str, str]) -> None:
    # back to a text the caches have seen before
    path.write_text(original[f"lessons/{edit.lesson}/lesson.md"], encoding="utf-8")


EDITS: dict[str, Callable[[Edit, Path, Path, str, dict[str, str]], None]] = {
    "paragraph": _paragraph,
    "section": _section,
    "link": _link,
    "glossary": _glossary,
    "track title": _track_title,
    "undo": _undo,
}

edits = st.builds(Edit, st.sampled_from(sorted(EDITS)), st.sampled_from(LESSONS), st.sampled_from(WORDS))


def build(root: Path, site: Path) -> None:
    """`mkdocs build` in this process, as `mkdocs serve` rebuilds: MkDocs' own loader and build,
    quiet (its logger put back after, so later tests in this process see every warning)."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    logger = logging.getLogger("mkdocs")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
        config.plugins.on_startup(command="build", dirty=False)
        try:
            mkdocs_build(config)
        finally:
            config.plugins.on_shutdown()
    finally:
        logger.setLevel(level)


def tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def differences(a: Path, b: Path) -> list[str]:
    ta, tb = tree(a), tree(b)
    return sorted(k for k in ta.keys() | tb.keys() if ta.get(k) != tb.get(k))


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = make_course(tmp_path_factory.mktemp("differential") / "course")
    write(root, "lessons/alpha/glossary.yml", "terms:\n  - term: Widget\n    definition: A part.\n    lesson: a1\n")
    return root


@settings(
    max_examples=5,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(edits, min_size=2, max_size=4))
def test_warm_equals_cold_and_helpers_equal_one_process(sequence, base, tmp_path_factory, monkeypatch):
    work = tmp_path_factory.mktemp("run")
    root = work / "course"
    shutil.copytree(base, root)
    original = {
        str(p.relative_to(root)): p.read_text(encoding="utf-8")
        for p in (root / "lessons").rglob("*")
        if p.suffix in (".md", ".yml")
    }
    monkeypatch.setenv(forked.ENV, "1")
    monkeypatch.setenv(localstate.ENV, str(work / "state-warm"))
    build(root, work / "warm")  # the first build fills the caches
    for edit in sequence:
        edit.apply(root, original)
        build(root, work / "warm")  # each edit rebuilt warm, as a save under `mkdocs serve`
    monkeypatch.setenv(localstate.ENV, str(work / "state-cold"))
    build(root, work / "cold")
    monkeypatch.setenv(localstate.ENV, str(work / "state-helpers"))
    monkeypatch.setenv(forked.ENV, "3")
    build(root, work / "helpers")
    assert len(tree(work / "cold")) > 30
    assert differences(work / "cold", work / "warm") == [], f"warm differs from cold after {sequence}"
    assert differences(work / "cold", work / "helpers") == [], f"helpers differ from one process after {sequence}"
