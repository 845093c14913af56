"""Issue 12: the schema is the one place to edit. On a copy of the code and the course, one edit
(a new choice value in core/schema/choices.py, whose enums the schema and the model share; a changed
default in core/schema/specs.py) is followed by `tracksite check`, the
build, the pages' labels, the loader, the JSON Schema and the authoring guide's tables, with
nothing else touched.

The copy's commands run one after another in a fork of this test process that drops every
tracksite module and imports the copy's (`run`), as the suite runs commands one after another in
its own process (tests/support/harness.py): a new interpreter paid again for MkDocs', Material's and
Markdown's imports, about a second of processor time for each of a dozen commands, and a fork
for each command checked the bundled course again for the build that followed."""

from __future__ import annotations

import importlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from support import harness
from support.course import REPO

# each test copies the project with its code and builds the bundled course with the copy's tracksite
pytestmark = pytest.mark.slow

LESSON = "lessons/transformers-and-llms/positional-encoding/lesson.md"
PAGE = "transformers-and-llms/positional-encoding/index.html"


@pytest.fixture
def copy(tmp_path) -> Path:
    """The project (code included) in a temporary folder."""
    root = tmp_path / "project"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for name in ("lessons", "cheatsheets", "overrides", "docs", "scripts"):
        shutil.copytree(REPO / name, root / name, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    return root


def copy_code(root: Path) -> None:
    """In a fork: tracksite's modules from the copy, not this checkout: every one this process
    has imported forgotten, the copy first on the path (the plugin and the Markdown extension
    are imported again by their entry points when a build asks for them)."""
    sys.path.insert(0, str(root / "scripts"))
    os.environ["PYTHONPATH"] = str(root / "scripts")  # (for a process the command starts)
    for name in [name for name in sys.modules if name == "tracksite" or name.startswith("tracksite.")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    assert Path(importlib.import_module("tracksite").__file__).is_relative_to(root)
    harness.main = importlib.import_module("tracksite.commands.cli").main  # what harness.tracksite runs


def command(root: Path, *args: str) -> subprocess.CompletedProcess:
    """`python -m ARGS` (`mkdocs build --strict ...` or `tracksite.commands.cli ...`) in `root`."""
    if args[0] == "mkdocs":
        assert args[1:3] == ("build", "--strict"), args
        return harness.mkdocs(root, *args[3:])
    assert args[0] == "tracksite.commands.cli", args
    return harness.tracksite(*args[1:], cwd=root)


def run(root: Path, *steps) -> list:
    """Each step in turn with the copy's code, the plugin included, in a process of their own, a
    fork of this one (copy_code): a command's `python -m` arguments (`command`), or a function
    whose result is wanted. What each step gave, in order; no command printed a traceback."""

    def all_steps() -> list:
        copy_code(root)
        return [step() if callable(step) else command(root, *step) for step in steps]

    results = harness.forked(all_steps)
    for result in results:
        if isinstance(result, subprocess.CompletedProcess):
            assert "Traceback" not in result.stderr, result.stderr
    return results


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def shown_difficulty(site: Path) -> str:
    soup = BeautifulSoup((site / PAGE).read_text(encoding="utf-8"), "lxml")
    label = next(l for l in soup.select(".ts-facts__label") if l.get_text(strip=True) == "Difficulty")
    return label.parent.get_text(" ", strip=True).removeprefix("Difficulty").strip()


def test_a_new_choice_value_is_one_edit(copy):
    choices_py = copy / "scripts/tracksite/core/schema/choices.py"
    edit(choices_py, '    ADVANCED = "advanced"\n', '    ADVANCED = "advanced"\n    EXPERT = "expert"\n')
    lesson = copy / LESSON
    text = lesson.read_text(encoding="utf-8")
    lesson.write_text(re.sub(r"\ndifficulty: \w+", "\ndifficulty: expert", text, count=1), encoding="utf-8")

    check, build, stale, written, starter = run(
        copy,
        ("tracksite.commands.cli", "check"),
        ("mkdocs", "build", "--strict", "--site-dir", str(copy / "site")),
        ("tracksite.commands.cli", "docs", "--check"),
        ("tracksite.commands.cli", "docs", "--write"),
        ("tracksite.commands.cli", "new", "lesson", "transformers-and-llms", "mixing", "--title", "Mixing experts"),
    )
    assert check.returncode == 0 and " 0 errors" in check.stderr, check.stdout + check.stderr
    assert build.returncode == 0, build.stderr[-3000:]
    assert shown_difficulty(copy / "site") == "Expert"
    track = BeautifulSoup((copy / "site/transformers-and-llms/index.html").read_text(encoding="utf-8"), "lxml")
    assert "Expert" in track.get_text(" ")

    assert stale.returncode == 1  # the guide and schemas are stale
    assert written.returncode == 0
    lesson_schema = json.loads(
        (copy / "scripts/tracksite/theme/schemas/lesson.schema.json").read_text(encoding="utf-8")
    )
    assert "expert" in lesson_schema["properties"]["difficulty"]["enum"]
    assert "| `difficulty` | no | `intro`, `standard`, `advanced`, `expert` |" in (
        copy / "docs/authoring.md"
    ).read_text(encoding="utf-8")
    assert starter.returncode == 0, starter.stderr
    assert "difficulty: standard         # intro | standard | advanced | expert\n" in (
        copy / "lessons/transformers-and-llms/mixing/lesson.md"
    ).read_text(encoding="utf-8")


def test_a_changed_default_is_one_edit(copy):
    schema_py = copy / "scripts/tracksite/core/schema/specs.py"
    edit(
        schema_py,
        'Field("difficulty", DIFFICULTY, default=Difficulty.STANDARD)',
        'Field("difficulty", DIFFICULTY, default=Difficulty.INTRO)',
    )
    lesson = copy / LESSON
    text = lesson.read_text(encoding="utf-8")
    assert "\ndifficulty: advanced\n" in text
    lesson.write_text(text.replace("\ndifficulty: advanced\n", "\n"), encoding="utf-8")

    def probe() -> str:  # the copy's loader (run: after copy_code)
        checks = importlib.import_module("tracksite.core.checks")
        mkdocsconfig = importlib.import_module("tracksite.adapter.config.mkdocsconfig")
        project = checks.load(mkdocsconfig.load(copy))
        return str(project.curriculum.lesson("transformers-and-llms/positional-encoding").difficulty)

    loaded, build, written, starter = run(
        copy,
        probe,
        ("mkdocs", "build", "--strict", "--site-dir", str(copy / "site")),
        ("tracksite.commands.cli", "docs", "--write"),
        ("tracksite.commands.cli", "new", "lesson", "transformers-and-llms", "mixing", "--title", "Mixing experts"),
    )
    assert loaded == "intro"

    assert build.returncode == 0, build.stderr[-3000:]
    assert shown_difficulty(copy / "site") == "Introductory"

    assert written.returncode == 0
    lesson_schema = json.loads(
        (copy / "scripts/tracksite/theme/schemas/lesson.schema.json").read_text(encoding="utf-8")
    )
    assert lesson_schema["properties"]["difficulty"]["default"] == "intro"
    assert "| `difficulty` | no | `intro`, `standard`, `advanced` | `intro` |" in (
        copy / "docs/authoring.md"
    ).read_text(encoding="utf-8")
    shapes = (copy / "scripts/tracksite/core/model/shapes.py").read_text(encoding="utf-8")
    assert "    difficulty: Difficulty = Difficulty.INTRO\n" in shapes  # the model's dataclass too
    assert starter.returncode == 0, starter.stderr
    assert "\ndifficulty: intro " in (copy / "lessons/transformers-and-llms/mixing/lesson.md").read_text(
        encoding="utf-8"
    )
