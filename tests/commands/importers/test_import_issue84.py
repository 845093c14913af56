"""Issue 84: a newcomer's first imported course.

- H1: every command that needs a course refuses, exit 2 and nothing written, in a folder that is
  not one (an import there wrote 52 files, then failed with exit 1);
"""

from __future__ import annotations

from pathlib import Path

import pytest

import harness

EPISODE = """---
title: {title}
teaching: 5
exercises: 5
---

This episode explains the widget idea in a few plain words for learners.

::: challenge

## Try

Run it.

:::
"""


def tiny_lesson(root: Path, episodes: tuple[str, ...] = ("01-one.md", "02-two.md")) -> Path:
    """A Workbench lesson of plain Markdown episodes, made here (the tests read nothing outside)."""
    (root / "episodes").mkdir(parents=True)
    listed = "".join(f"- {name}\n" for name in episodes)
    (root / "config.yaml").write_text(f"title: 'Tiny'\nlicense: 'CC-BY 4.0'\nepisodes:\n{listed}")
    for n, name in enumerate(episodes, 1):
        (root / "episodes" / name).write_text(EPISODE.format(title=f"Episode {n}"))
    return root


def tree(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))


@pytest.mark.parametrize(
    "argv",
    [
        ["import", "carpentries", "{src}", "--track", "tiny"],
        ["import", "carpentries", "{src}", "--track", "tiny", "--verify"],
        ["check"],
        ["build"],
        ["build", "--instructor"],
        ["new", "track", "t", "--number", "1", "--title", "T"],
        ["new", "lesson", "t", "l", "--title", "L"],
        ["move", "t", "l", "--first"],
        ["remove", "track", "t"],
        ["export", "scorm"],
        ["pdf"],
    ],
)
def test_every_command_that_needs_a_course_refuses_outside_one_and_writes_nothing(tmp_path, argv):
    src = tiny_lesson(tmp_path / "src")
    empty = tmp_path / "not-a-course"
    empty.mkdir()
    result = harness.tracksite(*[a.format(src=src) for a in argv], cwd=empty)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "is not a tracksite course" in result.stderr and "tracksite init" in result.stderr
    assert tree(empty) == []
    assert "Traceback" not in result.stderr


def test_an_import_outside_a_course_exits_2_as_a_shell_sees_it(tmp_path):
    src = tiny_lesson(tmp_path / "src")
    empty = tmp_path / "not-a-course"
    empty.mkdir()
    result = harness.tracksite("import", "carpentries", str(src), "--track", "tiny", cwd=empty, process=True)
    assert result.returncode == 2 and tree(empty) == [], result.stderr
