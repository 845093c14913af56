"""A command's file writes and moves, applied together and undone together, even across a crash.

`new`, `move` and `rename` change several files. Each file is written to a temporary file
beside it and renamed over the old one (a reader, or a crash, sees the old file or the new one,
never half of one), and the whole operation keeps a journal in `.tracksite-journal/`: before each
step, what the step will do and a copy of the file it replaces. `commit` drops the journal once
the course checks; if the process dies first (a kill, a power cut, Ctrl-C), the next editing
command finds the journal and undoes the half-made change before doing anything else, so
rerunning the command completes it. Undoing is idempotent, so it survives being interrupted
too, and it never raises: what it could not undo stays in the journal and is reported.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.core.loader import JOURNAL
from tracksite.core.problems.problem import os_error, printable
from tracksite.errors import UserError

_TMP = ".tracksite-tmp"


@dataclass
class Changes:
    """File writes and moves applied in order, and undone together if anything fails."""

    root: Path
    command: str = field(default_factory=lambda: printable(" ".join(["tracksite", *sys.argv[1:]])))
    ops: list[tuple] = field(default_factory=list)
    _done: list[dict] = field(default_factory=list)

    def write(self, path: Path, text: str | bytes) -> None:
        self.ops.append(("write", path, text))

    def move(self, src: Path, dst: Path) -> None:
        self.ops.append(("move", src, dst))

    def apply(self) -> None:
        """Apply every step, journalled; on any failure undo them all and raise one clear error."""
        self._refuse_read_only()
        try:
            self._start()
            for n, op in enumerate(self.ops):
                self._step(n, op)
        except OSError as e:
            undo_failed = self.rollback()
            raise UserError(_failure(self.root, e, undo_failed)) from None
        except BaseException:
            self.rollback()
            raise

    def commit(self) -> None:
        """The change stands: drop the journal (removing its record first is the commit)."""
        folder = self.root / JOURNAL
        (folder / "journal.json").unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)
        self._done.clear()

    def rollback(self) -> list[str]:
        """Undo every applied step; never raises. Returns what could not be undone (kept in the
        journal for the next command to finish), or [] when the tree is as it was."""
        failed = undo(self.root, self._done)
        if not failed:
            self.commit()
        self._done.clear()
        return failed

    # -- applying ------------------------------------------------------------------------------
    def _refuse_read_only(self) -> None:
        """A read-only file is the user's decision, and a file a symbolic link puts outside the
        course is not the command's to change: say so before anything changes."""
        for path in [self.root / JOURNAL, *(p for op in self.ops for p in (op[1:] if op[0] == "move" else op[1:2]))]:
            if leaves_course(self.root, path):
                raise UserError(
                    f"{_rel(self.root, path)} leads outside the course through a symbolic link "
                    f"(to {os.path.realpath(path)}); tracksite changes only the course's own files, so "
                    "nothing was changed: replace the link with a copy, or run the command where the files are"
                )
        for op in self.ops:
            paths = [op[1], op[1].parent] if op[0] == "write" else [op[1].parent, op[2].parent]
            for path in paths:
                target = path if path.exists() else _existing_ancestor(path)
                if _read_only(target):
                    what = "folder" if target.is_dir() else "file"
                    raise UserError(
                        f"{_rel(self.root, target)} is a read-only {what}; make it writable "
                        f"(chmod u+w) and run the command again; nothing was changed"
                    )

    def _start(self) -> None:
        folder = self.root / JOURNAL
        if folder.exists():
            recover(self.root)
        folder.mkdir()
        self._save()

    def _step(self, n: int, op: tuple) -> None:
        folder = self.root / JOURNAL
        if op[0] == "write":
            _, path, text = op
            backup = None
            if path.exists():
                backup = f"{n}.bak"
                _write_file(folder / backup, path.read_bytes(), mode=None)
            made = _missing_folders(self.root, path.parent)
            self._done.append({"op": "write", "path": _rel(self.root, path), "backup": backup, "made": made})
            self._save()
            _make_folders(self.root, made)
            mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
            _write_file(path, text.encode("utf-8") if isinstance(text, str) else text, mode=mode)
        else:
            _, src, dst = op
            if dst.exists():
                raise UserError(f"{_rel(self.root, dst)} exists already; nothing was changed")
            made = _missing_folders(self.root, dst.parent)
            self._done.append({"op": "move", "src": _rel(self.root, src), "dst": _rel(self.root, dst), "made": made})
            self._save()
            _make_folders(self.root, made)
            os.rename(src, dst)

    def _save(self) -> None:
        data = json.dumps({"command": self.command, "steps": self._done}, indent=1).encode("utf-8")
        _write_file(self.root / JOURNAL / "journal.json", data, mode=None)


# -- undoing ------------------------------------------------------------------------------------
def pending(root: Path) -> str | None:
    """The command an interrupted change was made by, if its journal is still there."""
    try:
        return json.loads((root / JOURNAL / "journal.json").read_text(encoding="utf-8")).get("command", "tracksite")
    except (OSError, ValueError, AttributeError):
        return None


def recover(root: Path) -> str | None:
    """Undo what an interrupted command left half-made; a message saying so, or None.
    Raises UserError only if the undo itself cannot finish (the journal is kept)."""
    folder = root / JOURNAL
    if not folder.exists():
        return None
    try:
        data = json.loads((folder / "journal.json").read_text(encoding="utf-8"))
        steps, command = data["steps"], data.get("command", "tracksite")
    except FileNotFoundError:  # interrupted while committing: the change stands
        shutil.rmtree(folder, ignore_errors=True)
        return "the interrupted command had finished its change; removed what it left in " + JOURNAL
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise UserError(
            f"{JOURNAL}/journal.json cannot be read ({e}); look at the files it names, then delete {JOURNAL}/"
        ) from None
    failed = undo(root, steps)
    if failed:
        raise UserError(
            f"could not undo the interrupted `{command}`: {'; '.join(failed)}; "
            f"fix that and run the command again ({JOURNAL}/ keeps what is left to undo)"
        )
    shutil.rmtree(folder, ignore_errors=True)
    return f"undid the interrupted `{command}` (the course is as it was before it)"


def undo(root: Path, steps: list[dict]) -> list[str]:
    """Undo journalled steps, last first; each step may or may not have happened. Never raises."""
    failed: list[str] = []
    for record in reversed(steps):
        try:
            if record["op"] == "write":
                path = root / record["path"]
                (path.parent / f".{path.name}{_TMP}").unlink(missing_ok=True)
                if record["backup"] is None:
                    path.unlink(missing_ok=True)
                elif (root / JOURNAL / record["backup"]).exists():
                    data = (root / JOURNAL / record["backup"]).read_bytes()
                    if not path.exists() or path.read_bytes() != data:
                        mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else None
                        _write_file(path, data, mode=mode)
            else:
                src, dst = root / record["src"], root / record["dst"]
                if dst.exists() and not src.exists():
                    os.rename(dst, src)
            for folder in reversed(record["made"]):
                try:
                    (root / folder).rmdir()
                except OSError:
                    pass
        except (OSError, KeyError, TypeError) as e:
            failed.append(f"{record.get('path') or record.get('dst')}: {getattr(e, 'strerror', None) or e}")
    return failed


# -- files --------------------------------------------------------------------------------------
def leaves_course(root: Path, path: Path) -> bool:
    """Whether `path` is outside the course once the symbolic links on its way (of the file, or
    of a folder above it, such as an `overrides/` shared between courses) are followed: a command
    that writes, moves or deletes there would change another course's or the system's files."""
    base = os.path.realpath(root)
    real = os.path.realpath(path)
    return real != base and not real.startswith(base.rstrip(os.sep) + os.sep)


def _write_file(path: Path, data: bytes, *, mode: int | None) -> None:
    """Write `data` to a temporary file beside `path` and rename it into place."""
    tmp = path.parent / f".{path.name}{_TMP}"
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    if mode is not None:
        os.chmod(tmp, mode)
    os.replace(tmp, path)


def _read_only(path: Path) -> bool:
    try:
        st = path.stat()
    except OSError:
        return False
    return not (st.st_mode & stat.S_IWUSR) or not os.access(path, os.W_OK)


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def _missing_folders(root: Path, folder: Path) -> list[str]:
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(_rel(root, folder))
        folder = folder.parent
    return list(reversed(missing))


def _make_folders(root: Path, folders: list[str]) -> None:
    for folder in folders:
        (root / folder).mkdir(exist_ok=True)


def _rel(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _failure(root: Path, e: OSError, undo_failed: list[str]) -> str:
    where = e.filename
    if where:
        e.filename = _rel(root, Path(os.fsdecode(where)))
    message = os_error("could not change the files", e)
    if undo_failed:
        return f"{message}; and could not undo: {'; '.join(undo_failed)} ({JOURNAL}/ keeps what is left to undo)"
    return f"{message}; nothing was changed"
