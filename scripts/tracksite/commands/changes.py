"""A command's file writes and moves, applied together and undone together."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.errors import UserError


# -- applying changes together ----------------------------------------------------------------
@dataclass
class Changes:
    """File writes and moves applied in order, and undone together if anything fails."""

    root: Path
    ops: list[tuple] = field(default_factory=list)
    _undo: list[tuple] = field(default_factory=list)

    def write(self, path: Path, text: str) -> None:
        self.ops.append(("write", path, text))

    def move(self, src: Path, dst: Path) -> None:
        self.ops.append(("move", src, dst))

    def apply(self) -> None:
        try:
            for op in self.ops:
                if op[0] == "write":
                    _, path, text = op
                    before = path.read_bytes() if path.exists() else None
                    made = _make_parents(path.parent)
                    self._undo.append(("write", path, before, made))
                    path.write_bytes(text.encode("utf-8"))
                else:
                    _, src, dst = op
                    if dst.exists():
                        raise UserError(f"{_rel(self.root, dst)} exists already; nothing was changed")
                    made = _make_parents(dst.parent)
                    os.rename(src, dst)
                    self._undo.append(("move", src, dst, made))
        except OSError as e:
            self.rollback()
            raise UserError(f"could not write {getattr(e, 'filename', '') or 'a file'}: {e.strerror or e}; "
                               "nothing was changed") from None
        except BaseException:
            self.rollback()
            raise

    def rollback(self) -> None:
        for entry in reversed(self._undo):
            if entry[0] == "write":
                _, path, before, made = entry
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    path.write_bytes(before)
            else:
                _, src, dst, made = entry
                os.rename(dst, src)
            for folder in reversed(made):
                try:
                    folder.rmdir()
                except OSError:
                    pass
        self._undo.clear()


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _make_parents(folder: Path) -> list[Path]:
    made = []
    while not folder.exists():
        made.append(folder)
        folder = folder.parent
    for f in reversed(made):
        f.mkdir()
    return list(reversed(made))
