"""The planned track written into the course, and what the course already holds that an import reads.

Every source's plan is written the same way: into a staging folder first, then each new folder
moved into place through the journal of the editing commands (commands/changes.py), so a killed
import leaves no half-made track and the next run starts it again.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from tracksite.commands import changes
from tracksite.commands.importers.pipeline import svgclean
from tracksite.commands.importers.pipeline.plan import Plan
from tracksite.core.sources import read_text
from tracksite.core.yaml.safe import parse
from tracksite.errors import SourceProblem

Settings = Callable[[Path, Plan], list[str]]  # source.Source.settings


def write_plan(root: Path, track: str, plan: Plan, record=None, settings: Settings | None = None) -> None:
    """Write into a staging folder, then move each new folder into place through the journal of
    changes.py: an import killed between its renames is undone by the next run, which starts it
    again. `record(folder)` writes, into the staged track, what --update will need; `settings`
    (the source's) gives the course's mkdocs.yml what the track needs, and says what it changed."""
    staging = root / f".tracksite-import-{track}"
    if staging.exists():
        shutil.rmtree(staging)  # an interrupted import: start it again
    for rel, content in plan.files.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, Path) and content.suffix.lower() == ".svg":
            text, removed = svgclean.publishable(content.read_text(encoding="utf-8", errors="replace"))
            target.write_text(text, encoding="utf-8")
            if removed:
                plan.notes.append(f"{rel}: removed what browsers ignore: {'; '.join(removed)}")
        elif isinstance(content, Path):
            shutil.copyfile(content, target)
        elif isinstance(content, bytes):  # made by the import (an HTML file zipped: datafiles.zipped)
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    if record is not None:
        record(staging)
    journal = changes.Changes(root)
    for top in (f"lessons/{track}", f"cheatsheets/{track}", f"docs/{track}"):
        if (staging / top).exists():
            journal.move(staging / top, root / top)
    journal.apply()
    journal.commit()
    shutil.rmtree(staging)
    plan.notes += settings(root, plan) if settings else []


def course_terms(root: Path, besides: str | None = None) -> dict[str, str]:
    """The glossary terms the course's other tracks define already (lower-cased term -> definition);
    `besides` is the track being imported, whose own glossary an update replaces."""
    terms: dict[str, str] = {}
    for path in sorted((root / "lessons").glob("*/glossary.yml")):
        if path.parent.name == besides:
            continue
        try:
            value = parse(read_text(path)).value
        except SourceProblem:
            continue
        for item in (value.get("terms") or []) if isinstance(value, dict) else []:
            if isinstance(item, dict) and item.get("term") and item.get("definition"):
                terms.setdefault(str(item["term"]).strip().lower(), str(item["definition"]))
    return terms


def next_track_number(root: Path) -> int:
    numbers = []
    for path in (root / "lessons").glob("*/track.yml"):
        try:
            value = parse(read_text(path)).value
        except SourceProblem:
            continue
        if isinstance(value, dict) and isinstance(value.get("number"), int):
            numbers.append(value["number"])
    return max(numbers, default=0) + 1
