"""`tracksite check`'s incremental runs beside a run from scratch: what each reports, and the watched folders'
files before and after an edit."""

from __future__ import annotations

from pathlib import Path

from tracksite.core import checks, memo


def shown(project) -> list:
    """What a build shows of a check: its problems in order, and where each glossary term is used."""
    return [project.problems.items, sorted(project.glossary.used_in.items(), key=repr)]


def from_scratch(config) -> list:
    """The check of a process that remembers nothing: a fresh memory, the serve run's in use after."""
    with memo.using(memo.Memory()):
        return shown(checks.check(config, include_drafts=True, serving=True))


WATCHED = ("lessons", "cheatsheets", "docs")


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file of the watched folders and its bytes: what a watcher would report as changed."""
    return {str(p): p.read_bytes() for w in WATCHED for p in (root / w).rglob("*") if p.is_file()}


def reported(before: dict[str, bytes], after: dict[str, bytes]) -> list[str]:
    """The paths a watcher reports for a save: each file written, made or removed."""
    return sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
