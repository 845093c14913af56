"""Track 5's checked exercises, read from its lessons, and the page's own runner (the theme's
runner.py) that checks an answer as the page does: the exercise tests and the transformer lesson's
tests share them."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass

from support.course import REPO
from tracksite import theme
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.widgets.runnable.body import parse_runnable

TRACK = REPO / "lessons" / "transformers-and-llms"
_SPEC = importlib.util.spec_from_file_location("tracksite_page_runner", theme.ASSETS / "tracksite" / "runner.py")
assert _SPEC is not None and _SPEC.loader is not None
RUNNER = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(RUNNER)


@dataclass(frozen=True)
class Exercise:
    lesson: str
    line: int
    title: str
    code: str
    tests: str
    solution: str


def exercises() -> dict[str, Exercise]:
    """Every checked runnable exercise of Track 5, by its title."""
    found: dict[str, Exercise] = {}
    for path in sorted(TRACK.glob("*/lesson.md")):
        blocks, _ = find_blocks(path.read_text(encoding="utf-8"), 1)
        for block in iter_blocks(blocks):
            if block.name != "runnable":
                continue
            value, _ = parse_runnable("\n".join(block.body_lines) + "\n")
            if value is None or not value.tests:
                continue
            title = (block.argument or "").strip()
            assert title not in found, f"two exercises titled {title!r}"
            found[title] = Exercise(path.parent.name, block.line, title, value.code, value.tests, value.solution or "")
    return found


EXERCISES = exercises()


def run(code: str, tests: str) -> dict:
    return RUNNER.run(code, tests)
