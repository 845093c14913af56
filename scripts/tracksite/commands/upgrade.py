"""`tracksite upgrade`: move a course started by an earlier `tracksite init` onto the packaged theme.

Before 0.2, `init` copied tracksite's templates into `overrides/`, its widget assets into
`docs/assets/tracksite/` and the editor schemas into `docs/schemas/`; those copies win over the
package, so `pip install -U tracksite` never reached the course. This command removes every copy
that is byte for byte a version tracksite shipped (`theme/legacy.json` holds the digest of each
version of each file, taken from tracksite's history, and the current package's file counts too)
and keeps, listing them file by file, the ones the instructor changed: those still replace
tracksite's own for this course, which is the instructor's call. It also drops the stylesheet and
script lines of tracksite's own assets from `mkdocs.yml` (the plugin adds them), points the editor
settings at the installed schemas, and adds the starter files an old course lacks (the CI
workflow, requirements.txt). It never overwrites a file but requirements.txt's tracksite line,
which it points at the running tracksite as `init` does (commands/pinning.py: a version, a
commit, or a wheel in the course), so a course moves to a newer tracksite by installing it and
running `tracksite upgrade`. `--dry-run` only reports.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.error import YAMLError

from tracksite import theme as theme_files
from tracksite.commands import init, pinning
from tracksite.commands.changes import leaves_course
from tracksite.core import widgetregistry
from tracksite.errors import USAGE, UserError

#: Where an old course kept a copy, and where the package keeps the file now.
COPIES = (
    ("overrides", theme_files.TEMPLATES),
    ("docs/assets/tracksite", theme_files.ASSETS / "tracksite"),
    ("docs/schemas", theme_files.SCHEMAS),
)
ADDED = (("publish.yml", ".github/workflows/publish.yml"),)


@dataclass
class Plan:
    remove: list[str] = field(default_factory=list)  # unchanged copies
    changed: list[tuple[str, str]] = field(default_factory=list)  # (course file, tracksite's file it replaces)
    own: list[str] = field(default_factory=list)  # the course's own files in those folders
    config_lines: list[str] = field(default_factory=list)  # mkdocs.yml entries the plugin now adds
    add: list[str] = field(default_factory=list)  # starter files the course lacks
    #: requirements.txt's tracksite line now (None: no such line or file) and the running tracksite's pin
    pin: tuple[str | None, pinning.Pin] | None = None
    outside: list[str] = field(default_factory=list)  # what a symbolic link puts outside the course: left alone


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def plan(root: Path) -> Plan:
    legacy: dict[str, list[str]] = json.loads((theme_files.HERE / "legacy.json").read_text(encoding="utf-8"))["files"]
    out = Plan()
    for folder, packaged in COPIES:
        base = root / folder
        if leaves_course(root, base):  # a folder shared between courses: not this command's to empty
            out.outside.append(folder + "/")
            continue
        for path in sorted(p for p in base.rglob("*") if p.is_file()) if base.is_dir() else ():
            if leaves_course(root, path):
                out.outside.append(path.relative_to(root).as_posix())
                continue
            rel = path.relative_to(root).as_posix()
            current = packaged / path.relative_to(base)
            digest = _digest(path)
            if digest in legacy.get(rel, ()) or (current.is_file() and _digest(current) == digest):
                out.remove.append(rel)
            elif rel in legacy or current.is_file():
                out.changed.append((rel, f"tracksite/{current.relative_to(theme_files.HERE.parent).as_posix()}"))
            elif rel != "overrides/README.md":
                out.own.append(rel)
    out.config_lines = _config_lines(root)
    for _, dest in ADDED:
        if leaves_course(root, root / dest):
            out.outside.append(dest)
        elif not (root / dest).exists():
            out.add.append(dest)
    out.pin = _repin(root)
    if out.pin is not None and out.pin[1].wheel is not None:
        pinning.wheel_folder(root)  # refused before anything changes, as the dry run shows
    return out


def _repin(root: Path) -> tuple[str | None, pinning.Pin] | None:
    """requirements.txt's tracksite line and the running tracksite's pin, when they differ."""
    new = pinning.pin(pinning.origin())
    path = root / "requirements.txt"
    old = pinning.current_requirement(path.read_text(encoding="utf-8")) if path.is_file() else None
    if old == (pinning.wheel_line(pinning.wheel_name(new)) if new.wheel is not None else new.requirement):
        return None
    return old, new


def _config_lines(root: Path) -> list[str]:
    data = _load_config(root)
    ours = {*theme_files.STYLESHEETS, *theme_files.SCRIPTS, *widgetregistry.WIDGET_ASSETS}
    found = []
    for key in ("extra_css", "extra_javascript"):
        for item in _list(data.get(key)):
            path = item.get("path") if isinstance(item, dict) else item
            if path in ours:
                found.append(f"{key}: {path}")
    return found


def _load_config(root: Path):
    try:
        data = YAML().load((root / "mkdocs.yml").read_text(encoding="utf-8")) or {}
    except (YAMLError, ValueError) as e:  # the course's file is at fault
        raise UserError(
            f"mkdocs.yml: cannot read it as YAML ({str(e).splitlines()[0]}); fix it, then run "
            "`tracksite upgrade` again",
            exit_code=USAGE,
        ) from None
    if not isinstance(data, dict):
        raise UserError(
            f"mkdocs.yml: expected the site's settings as `name: value` lines (site_name:, theme:, ...), "
            f"found a {'list' if isinstance(data, list) else type(data).__name__}; fix it, then run "
            "`tracksite upgrade` again",
            exit_code=USAGE,
        )
    return data


def _list(value) -> list:
    """`extra_css` or `extra_javascript` as the list MkDocs reads (anything else is MkDocs' to refuse)."""
    return value if isinstance(value, list) else []


def apply(root: Path, p: Plan) -> None:
    for rel in p.remove:
        (root / rel).unlink()
    for folder, _ in COPIES:
        _prune(root / folder, root)
    _prune(root / "docs" / "assets", root)
    overrides = root / "overrides"
    if not overrides.is_dir():  # mkdocs.yml's custom_dir must exist
        overrides.mkdir()
        (overrides / "README.md").write_text(init.starter_text("overrides-README.md", "", ""), encoding="utf-8")
    if p.config_lines:
        _drop_config_lines(root)
    for source, dest in ADDED:
        if dest in p.add:
            (root / dest).parent.mkdir(parents=True, exist_ok=True)
            (root / dest).write_text(init.starter_text(source, "", ""), encoding="utf-8")
    if p.pin is not None:
        _, new = p.pin
        placed = pinning.place(new, root)
        p.pin = (p.pin[0], placed)
        path = root / "requirements.txt"
        text = path.read_text(encoding="utf-8") if path.is_file() else None
        tmp = path.with_name(".requirements.txt.upgrade")
        tmp.write_text(
            init.requirements_text(placed.requirement)
            if text is None
            else pinning.requirements(text, placed.requirement),
            encoding="utf-8",
        )
        tmp.replace(path)
    settings = root / ".vscode" / "settings.json"
    if settings.is_file() and not leaves_course(root, settings):
        _repoint_schemas(settings)


def _prune(folder: Path, root: Path) -> None:
    """Remove folders left empty, deepest first, inside the course only."""
    if not folder.is_dir() or leaves_course(root, folder):
        return
    for dirpath, _, _ in sorted(os.walk(folder), key=lambda t: -len(t[0])):
        if not leaves_course(root, Path(dirpath)) and not os.listdir(dirpath):
            os.rmdir(dirpath)


def _drop_config_lines(root: Path) -> None:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)  # the layout `init` writes: `  - item`
    path = root / "mkdocs.yml"
    data = yaml.load(path.read_text(encoding="utf-8"))
    ours = {*theme_files.STYLESHEETS, *theme_files.SCRIPTS, *widgetregistry.WIDGET_ASSETS}
    for key in ("extra_css", "extra_javascript"):
        items = data.get(key)
        if not isinstance(items, list):
            continue
        for i in reversed(range(len(items))):
            item = items[i]
            if (item.get("path") if isinstance(item, dict) else item) in ours:
                del items[i]
        if not items:
            del data[key]
    tmp = path.with_name(".mkdocs.yml.upgrade")
    with tmp.open("w", encoding="utf-8") as f:
        yaml.dump(data, f)
    tmp.replace(path)


def _repoint_schemas(settings: Path) -> None:
    try:
        data = json.loads(settings.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return  # the editor's file, not ours to repair
    schemas = data.get("yaml.schemas")
    if not isinstance(schemas, dict):
        return
    data["yaml.schemas"] = {
        (str(theme_files.SCHEMAS / Path(k).name) if Path(k).name in init.EDITOR_SCHEMAS else k): v
        for k, v in schemas.items()
    }
    settings.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


def report(p: Plan, dry_run: bool) -> str:
    verb = "would remove" if dry_run else "removed"
    lines = (
        [
            f"{verb} {len(p.remove)} theme file{'s' if len(p.remove) != 1 else ''} that tracksite now supplies "
            "from the package (unchanged copies)"
        ]
        if p.remove
        else []
    )
    if p.changed:
        lines.append(
            f"kept {len(p.changed)} file{'s' if len(p.changed) != 1 else ''} you changed; each still replaces "
            "tracksite's own for this course and will not upgrade. Compare it with tracksite's and delete "
            "yours to take upgrades:"
        )
        lines += [f"  {rel}: replaces {theirs}" for rel, theirs in p.changed]
    if p.own:
        lines.append("kept your own files: " + ", ".join(p.own))
    if p.config_lines:
        lines.append(
            f"mkdocs.yml: {'would drop' if dry_run else 'dropped'} "
            + "; ".join(p.config_lines)
            + " (the plugin links tracksite's assets itself)"
        )
    if p.add:
        lines.append(f"{'would add' if dry_run else 'added'}: " + ", ".join(p.add))
    if p.pin is not None:
        old, new = p.pin
        target = new.requirement or "a wheel built from the checkout tracksite runs from"
        was = f"{old} -> " if old else ""
        lines.append(f"requirements.txt: {'would pin' if dry_run else 'pinned'} {was}{target}")
        if not dry_run:
            lines.append(new.note)
    if p.outside:
        lines.append(
            "left alone, because a symbolic link leads outside the course (a folder other courses may "
            "share): " + ", ".join(p.outside)
        )
    if not (p.remove or p.config_lines or p.add or p.pin):
        lines.insert(0, "nothing to upgrade: this course already takes its theme from the installed tracksite")
    return "\n".join(lines)


def cmd_upgrade(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    if not (root / "mkdocs.yml").is_file():
        raise UserError(
            f"{root} has no mkdocs.yml: run `tracksite upgrade` in a course's folder, or name the course "
            "before the command: `tracksite --root COURSE upgrade`",
            exit_code=USAGE,
        )
    p = plan(root)
    if not args.dry_run:
        try:
            apply(root, p)
        except OSError as e:
            raise UserError(f"cannot upgrade the course: {e}", exit_code=USAGE) from None
    print(report(p, args.dry_run))
    return 0


def register(sub) -> None:
    p = sub.add_parser(
        "upgrade",
        help="move the course to the running tracksite (its requirements.txt pin, and an old course's theme copies)",
        description="Move the course to the tracksite that runs this command: point requirements.txt's "
        "tracksite line at it (a version, a commit, or a wheel built into .tracksite/wheels/), so the course "
        "builds with it wherever it is built; and, for a course started by tracksite 0.1, remove the theme "
        "files its `init` copied when they are unchanged, list the ones you changed, drop tracksite's own "
        "asset lines from mkdocs.yml and add the CI workflow and requirements file if missing. Run it after "
        "installing a newer tracksite.",
    )
    p.add_argument("--dry-run", action="store_true", help="only report what would change")
    p.set_defaults(handler=cmd_upgrade)
