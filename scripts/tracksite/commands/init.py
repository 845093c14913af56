"""`tracksite init FOLDER --site-name "..."`: a fresh course with tracksite's theme and no tracks.

A new course needs the same `mkdocs.yml` settings, theme override and widget assets as the
bundled one, and none of its lessons. They are copied from the tracksite source tree this
command runs from (the editable install the README uses), so a new course starts from exactly
the configuration the test suite checks.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
from pathlib import Path

from tracksite.errors import USAGE, UserError

SOURCE = Path(__file__).resolve().parents[3]
THEME = ("overrides", "docs/assets/tracksite", "docs/schemas")
GITIGNORE = "site/\nsite-instructor/\n.site.staging-*/\n.site.old-*/\n.site-instructor.staging-*/\n.site-instructor.old-*/\n.tracksite-journal/\n.venv/\n__pycache__/\n*.pdf\n"


def course_config(site_name: str, description: str) -> str:
    """The bundled mkdocs.yml with the new course's name: every other setting is the checked one."""
    text = (SOURCE / "mkdocs.yml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^site_name:.*$", lambda _: f"site_name: {json.dumps(site_name)}", text, count=1)
    return re.sub(r"(?m)^site_description:.*$", lambda _: f"site_description: {json.dumps(description)}", text, count=1)


def editor_tasks() -> str:
    """The project's .vscode/tasks.json for a new course: the same tasks and problem matchers,
    run by the Python that runs this command (a new course has no .venv/ of its own)."""
    tasks = json.loads((SOURCE / ".vscode" / "tasks.json").read_text(encoding="utf-8"))
    for task in tasks["tasks"]:
        task.pop("windows", None)
        task["command"] = sys.executable
        task["args"] = ["-m", "tracksite.commands.cli", *task["args"]]
    return json.dumps(tasks, indent=2) + "\n"


def init_course(folder: Path, site_name: str, description: str) -> None:
    if not all((SOURCE / part).is_dir() for part in THEME) or not (SOURCE / "mkdocs.yml").is_file():
        raise UserError("the tracksite theme files were not found beside the package; install tracksite "
                          "from its source folder with `pip install -e .`", exit_code=USAGE)
    if (folder / "mkdocs.yml").exists() or any((folder / d).exists() and any((folder / d).iterdir())
                                               for d in ("lessons", "cheatsheets", "docs")):
        raise UserError(f"{folder} already holds a course (mkdocs.yml, lessons/, cheatsheets/ or docs/): "
                          "choose an empty or new folder", exit_code=USAGE)
    staging = folder.parent / f".{folder.name}.init-staging"
    if staging.exists():
        shutil.rmtree(staging)  # left by an interrupted init: start again
    for part in THEME:
        shutil.copytree(SOURCE / part, staging / part)
    for empty in ("lessons", "cheatsheets"):
        (staging / empty).mkdir(parents=True, exist_ok=True)
        (staging / empty / ".gitkeep").write_text("", encoding="utf-8")
    (staging / "mkdocs.yml").write_text(course_config(site_name, description), encoding="utf-8")
    (staging / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
    (staging / ".vscode").mkdir()
    (staging / ".vscode" / "tasks.json").write_text(editor_tasks(), encoding="utf-8")
    for name in ("settings.json", "extensions.json"):
        shutil.copy(SOURCE / ".vscode" / name, staging / ".vscode" / name)
    folder.mkdir(parents=True, exist_ok=True)
    for item in sorted(staging.iterdir()):  # mkdocs.yml last: its presence means "done"
        if item.name != "mkdocs.yml":
            _move(item, folder / item.name)
    _move(staging / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.rmtree(staging)


def _move(src: Path, dest: Path) -> None:
    if dest.is_dir() and src.is_dir():
        for child in src.iterdir():
            _move(child, dest / child.name)
    else:
        src.rename(dest)


def cmd_init(args: argparse.Namespace) -> int:
    folder = Path(args.folder).resolve()
    try:
        init_course(folder, args.site_name, args.description or f"{args.site_name}: a course built with tracksite.")
    except OSError as e:
        raise UserError(f"cannot write the course: {e}", exit_code=USAGE) from None
    print(f"started a course in {folder}\n"
          "next:\n"
          f"  cd {args.folder}\n"
          "  tracksite new track SLUG --number 1 --title \"...\"      # or: tracksite import carpentries PATH --track SLUG\n"
          "  mkdocs serve                                             # preview with live reload")
    return 0


def register(sub) -> None:
    p = sub.add_parser("init", help="start a new course with tracksite's theme and no tracks",
                       description="Create mkdocs.yml, the theme override, the widget assets and empty "
                                   "lessons/ and cheatsheets/ folders in FOLDER.")
    p.add_argument("folder", help="the new course's folder (created if missing; must not hold a course)")
    p.add_argument("--site-name", required=True, help="the course's name, shown in the header")
    p.add_argument("--description", help="one sentence for search engines and link previews")
    p.set_defaults(handler=cmd_init)
