"""Every file an import reads stays inside the lesson folder, and is read only when needed, by size.

A lesson to import comes from outside the course and is treated as hostile: its `config.yaml`
may list `../../etc/passwd` as an episode, its `AUTHORS` may be a symbolic link to a file of the
machine, it may hold a 3 GB file nobody links to. So a path is resolved (symbolic links
followed) and must stay inside the lesson's folder, or the import stops with the file and line
that named it; a file is read only when the import uses it, and only up to the size a course
file may have (`core.sources.MAX_BYTES`).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from tracksite.core.sources import MAX_BYTES
from tracksite.errors import UserError


def inside(root: Path, path: Path) -> bool:
    """Whether `path`, symbolic links followed, is inside `root` (itself resolved)."""
    try:
        return path.resolve().is_relative_to(root.resolve())
    except (OSError, RuntimeError):  # a loop of links, a name the system refuses
        return False


def line_of(text: str, value: str) -> int:
    """The first line of `text` that names `value` (1 if none): where a config entry was written."""
    pattern = re.compile(rf"(?:^|[\s'\"\[,-]){re.escape(value)}(?:$|[\s'\",\]])")
    for n, line in enumerate(text.splitlines(), 1):
        if pattern.search(line):
            return n
    return 1


def entry(root: Path, folder: str, name: str, config: str) -> Path:
    """A page listed in config.yaml under `folder`, refused when it leaves the lesson."""
    path = root / folder / name
    if not inside(root, path):
        raise UserError(
            f"{root / 'config.yaml'}:{line_of(config, name)}: the {folder} entry {name!r} leads out of the "
            "lesson folder (a path or a symbolic link to elsewhere); an import reads only the lesson's own files"
        )
    return path


def read(root: Path, path: Path) -> str:
    """The text of a file of the lesson: confined, at most MAX_BYTES, undecodable bytes replaced."""
    rel = path.relative_to(root) if path.is_relative_to(root) else path
    if not inside(root, path):
        raise UserError(
            f"{root / rel}:1: leads out of the lesson folder (a symbolic link to elsewhere); "
            "an import reads only the lesson's own files"
        )
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise UserError(f"{root / rel}:1: the file is {size:,} bytes; an import reads at most {MAX_BYTES:,}")
    return path.read_text(encoding="utf-8", errors="replace")


def copy_lesson(source: Path, dest: Path, ignore: set[str], large: int) -> None:
    """A private copy of the lesson at `dest` (made here) that holds no symbolic link: a link to a
    file or folder of the lesson is copied as what it leads to; one that leads out of the lesson
    stops the import (file and where it leads), since a link kept in the copy would send whatever
    is written into the copy (R's figures, the knitted pages) to that place of the machine, and
    one followed would copy the machine's files in. A file larger than `large` bytes (never
    published) is copied as a sparse file of its size: what the import reads of it is its size,
    and a 3 GB file nobody uses costs neither the time nor the disk of a copy. Names in
    `ignore` (a folder's or file's name, `*.ext` for an ending) are left out."""
    root = source.resolve()
    dest.mkdir()
    _copy_folder(root, root, dest, ignore, large, seen={root})


def _copy_folder(root: Path, folder: Path, dest: Path, ignore: set[str], large: int, seen: set[Path]) -> None:
    for entry in sorted(folder.iterdir()):
        if entry.name in ignore or any(p.startswith("*") and entry.name.endswith(p[1:]) for p in ignore):
            continue
        real = entry.resolve() if entry.is_symlink() else entry
        if entry.is_symlink() and not inside(root, entry):
            rel = entry.relative_to(root).as_posix()
            raise UserError(
                f"{root / rel}:1: a symbolic link that leads out of the lesson folder (to {os.readlink(entry)}); "
                "an import reads and writes only the lesson's own files: replace the link by the files "
                "themselves, or remove it. Nothing was written"
            )
        target = dest / entry.name
        if real.is_dir():
            if real in seen:  # a link back to a folder being copied: a loop, copied once
                continue
            target.mkdir()
            _copy_folder(root, real, target, ignore, large, seen | {real})
        elif real.is_file():
            size = real.stat().st_size
            if size > large:
                with open(target, "wb") as out:
                    out.truncate(size)
            else:
                shutil.copyfile(real, target)
