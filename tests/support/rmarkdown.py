"""Importing the R Markdown Carpentries lesson of tests/data (and variants of it) into a course, as the
importer tests and the sandbox tests do."""

from __future__ import annotations

import shutil
from pathlib import Path

from support.course import REPO
from tracksite.commands.cli import main


def lesson_variant(tmp: Path, old: str, new: str, *, alone: bool = False) -> Path:
    """The lesson with `old` replaced by `new` in episode 08, and with `alone` its only episode:
    for a test about that episode alone (R knits episode 01 for about two seconds of processor
    time at each import)."""
    lesson = tmp / "lesson"
    shutil.copytree(LESSON, lesson)
    if alone:
        config = lesson / "config.yaml"
        config.write_text(config.read_text().replace("- 01-rstudio-intro.Rmd\n", "", 1))
        assert "01-rstudio-intro" not in config.read_text()
    episode = lesson / "episodes/08-plot-ggplot2.Rmd"
    text = episode.read_text()
    assert old in text
    episode.write_text(text.replace(old, new, 1))
    return lesson


def import_lesson(course: Path, lesson: Path, *extra: str) -> int:
    assert main(["init", str(course), "--site-name", "R course"]) == 0
    return main(["--root", str(course), "import", "carpentries", str(lesson), "--track", "gapminder", *extra])


LESSON = REPO / "tests" / "data" / "carpentries-rmd"
