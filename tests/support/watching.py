"""`tracksite check --watch` on a copy of the bundled course's lesson: the copy, the edit saved as an editor saves
it, and the quiz line the tests break."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from support.course import REPO, share_verdicts

LESSON = "lessons/transformers-and-llms/scaling-and-context/lesson.md"


QUIZ_LINE = "      correct: true\n"


def course_copy(tmp_path: Path) -> Path:
    root = tmp_path / "course"
    for part in ("lessons", "cheatsheets", "docs", "overrides"):
        shutil.copytree(REPO / part, root / part)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    return share_verdicts(root)


def save(path: Path, text: str) -> None:
    """As editors save: a temporary file renamed over the old one."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)
