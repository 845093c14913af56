"""`tracksite init [FOLDER]`: a course ready to preview, check and publish, with no copy of the theme.

Everything the course writes is the course's own: `mkdocs.yml` (its name and settings, the
`tracksite` plugin), empty `lessons/`, `cheatsheets/` and `docs/`, an `overrides/` folder for its
own partials, a GitHub Actions workflow that checks, builds strictly, link-checks and publishes,
a requirements file pinning this tracksite, a short README and editor settings. The templates,
widget assets and editor schemas stay in the installed package (`tracksite.theme`), so an
upgrade of the package reaches the course on its next build. The starter text lives in
`tracksite/theme/starter/`; the bundled course's own files are the same text (a test compares).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

from tracksite import theme as theme_files
from tracksite.commands import pinning
from tracksite.core.site import courseid
from tracksite.errors import USAGE, UserError

STARTER = theme_files.STARTER
#: (starter file, where it goes in the course)
FILES = (
    ("gitignore", ".gitignore"),
    ("requirements.txt", "requirements.txt"),
    ("README.md", "README.md"),
    ("publish.yml", ".github/workflows/publish.yml"),
    ("overrides-README.md", "overrides/README.md"),
    ("vscode/tasks.json", ".vscode/tasks.json"),
    ("vscode/extensions.json", ".vscode/extensions.json"),
)
#: The editor schemas VS Code's YAML extension applies, by the files they describe.
EDITOR_SCHEMAS = {
    "track.schema.json": ["/lessons/*/track.yml"],
    "redirects.schema.json": ["/lessons/*/redirects.yml"],
    "glossary.schema.json": ["/lessons/*/glossary.yml"],
}


def default_name(folder: Path) -> str:
    """A site name from the folder's name: `intro-to-ml` -> `Intro to ml`."""
    words = folder.name.replace("_", " ").replace("-", " ").split()
    return " ".join(words).capitalize() if words else "My course"


def starter_text(name: str, site_name: str, description: str) -> str:
    """A starter file with the course's own values filled in (YAML-quoted in mkdocs.yml)."""
    text = (STARTER / name).read_text(encoding="utf-8")
    quote = json.dumps if name == "mkdocs.yml" else str
    text = text.replace("{course_id}", quote(courseid.suggested(site_name)))
    return text.replace("{site_name}", quote(site_name)).replace("{site_description}", quote(description))


def editor_settings() -> str:
    """VS Code settings mapping the YAML files to the installed package's schemas. The paths are
    this machine's (the schemas are not copied into the course); `tracksite upgrade` rewrites them."""
    mapping = {str(theme_files.SCHEMAS / name): globs for name, globs in EDITOR_SCHEMAS.items()}
    settings = json.loads((STARTER / "vscode" / "settings.json").read_text(encoding="utf-8"))
    settings["yaml.schemas"] = mapping
    return json.dumps(settings, indent=2) + "\n"


def requirements_text(requirement: str) -> str:
    """The course's requirements.txt, installing tracksite by `requirement` (commands/pinning.py)."""
    return starter_text("requirements.txt", "", "").replace("{requirement}", requirement)


def init_course(folder: Path, site_name: str, description: str, pin: pinning.Pin | None = None) -> pinning.Pin:
    """Write the course into `folder`; the pin of the running tracksite it was given (its wheel
    copied or built into the course when it has one)."""
    if (folder / "mkdocs.yml").exists() or any(
        (folder / d).exists() and any((folder / d).iterdir()) for d in ("lessons", "cheatsheets", "docs")
    ):
        raise UserError(
            f"{folder} already holds a course (mkdocs.yml, lessons/, cheatsheets/ or docs/): "
            "choose an empty or new folder; to move a course started by an earlier tracksite "
            "onto the packaged theme, run `tracksite upgrade` in it",
            exit_code=USAGE,
        )
    staging = folder.parent / f".{folder.name}.init-staging"
    if staging.exists():
        shutil.rmtree(staging)  # left by an interrupted init: start again
    for empty in ("lessons", "cheatsheets", "docs"):
        (staging / empty).mkdir(parents=True, exist_ok=True)
        (staging / empty / ".gitkeep").write_text("", encoding="utf-8")
    pinned = pinning.place(pin or pinning.pin(pinning.origin()), staging)
    for source, dest in FILES:
        if dest == "requirements.txt":
            continue
        (staging / dest).parent.mkdir(parents=True, exist_ok=True)
        (staging / dest).write_text(starter_text(source, site_name, description), encoding="utf-8")
    (staging / ".vscode" / "settings.json").write_text(editor_settings(), encoding="utf-8")
    (staging / "requirements.txt").write_text(requirements_text(pinned.requirement), encoding="utf-8")
    (staging / "mkdocs.yml").write_text(starter_text("mkdocs.yml", site_name, description), encoding="utf-8")
    folder.mkdir(parents=True, exist_ok=True)
    for item in sorted(staging.iterdir()):  # mkdocs.yml last: its presence means "done"
        if item.name != "mkdocs.yml":
            _move(item, folder / item.name)
    _move(staging / "mkdocs.yml", folder / "mkdocs.yml")
    shutil.rmtree(staging)
    return pinned


def _move(src: Path, dest: Path) -> None:
    if dest.is_dir() and src.is_dir():
        for child in src.iterdir():
            _move(child, dest / child.name)
    else:
        src.rename(dest)


def cmd_init(args: argparse.Namespace) -> int:
    folder = Path(args.folder).resolve()
    site_name = args.site_name or default_name(folder)
    try:
        # no description given: none written, rather than an English sentence a course in another
        # language would show on its home page (set site_description in the course's language)
        pinned = init_course(folder, site_name, args.description or "")
    except OSError as e:
        raise UserError(f"cannot write the course: {e}", exit_code=USAGE) from None
    print(next_steps(args.folder, folder, site_name, pinned))
    return 0


#: Publishing, in the order that works: Pages must have GitHub Actions as its source before the
#: first push (the workflow's `configure-pages` step fails otherwise), and the workflow publishes
#: from `main`, which `git init` does not make everywhere (older Gits and some settings make
#: `master`).
PUBLISH_STEPS = (
    "publish on GitHub Pages, in this order:",
    "  1. create an empty repository on GitHub; in its Settings > Pages, set Source to GitHub Actions",
    '  2. git init -b main && git add -A && git commit -m "Start the course"',
    "  3. git remote add origin URL-OF-THE-REPOSITORY && git push -u origin main",
    "  .github/workflows/publish.yml then checks, builds and deploys every push to main",
)


def next_steps(given: str, folder: Path, site_name: str, pinned: pinning.Pin) -> str:
    """What to do next, with the course's own environment: `.venv` in the course folder, made
    from requirements.txt (the README's story, and where the editor tasks look), unless this
    tracksite already runs from there."""
    venv = folder / ".venv"
    here = Path(sys.prefix).resolve() == venv.resolve()
    install = (
        ["  # tracksite runs from .venv here: the editor tasks and the commands below use it"]
        if here
        else ["  python3 -m venv .venv && .venv/bin/pip install -r requirements.txt   # the course's own tracksite"]
    )
    steps = [
        f"started the course {site_name!r} in {folder}",
        pinned.note,
        "next:",
        *([f"  cd {given}"] if folder != Path.cwd().resolve() else []),
        *install,
        '  .venv/bin/tracksite new track SLUG --number 1 --title "..."   # or: tracksite import carpentries PATH --track SLUG',
        "  .venv/bin/mkdocs serve                                        # preview with live reload",
        *PUBLISH_STEPS,
    ]
    return "\n".join(steps)


def register(sub) -> None:
    p = sub.add_parser(
        "init",
        help="start a new course: settings, CI workflow and empty folders (no theme copy)",
        description="Create mkdocs.yml, empty lessons/, cheatsheets/ and docs/ folders, an overrides/ "
        "folder for the course's own partials, a GitHub Actions workflow, a requirements "
        "file pinning this tracksite, a README and VS Code settings in FOLDER. The theme "
        "and widgets come from the installed package.",
    )
    p.add_argument(
        "folder",
        nargs="?",
        default=".",
        help="the new course's folder (default: this one; created if missing; must not hold a course)",
    )
    p.add_argument("--site-name", help="the course's name, shown in the header (default: from the folder's name)")
    p.add_argument(
        "--description",
        help="one sentence in the course's language for its home page, search engines and link previews (default: none)",
    )
    p.set_defaults(handler=cmd_init)
