"""A command's file writes and moves, applied together and undone together, even across a crash.

`new`, `move` and `rename` change several files. Each file is written to a temporary file
beside it and renamed over the old one (a reader, or a crash, sees the old file or the new one,
never half of one), and the whole operation keeps a journal in the course's `journal` state
folder (the user's, never the checkout: core/localstate.py): before each step, what the step
will do and a copy of the file it replaces. `commit` drops the journal once
the course checks; if the process dies first (a kill, a power cut, Ctrl-C), the next editing
command finds the journal and undoes the half-made change before doing anything else, so
rerunning the command completes it. Undoing is idempotent, so it survives being interrupted
too, and it never raises: what it could not undo stays in the journal and is reported.

A journal is read as data, not trusted as orders: every path it names must be relative, without
`..`, and inside the course once symbolic links are followed, and its backups plain names in the
journal's folder. A journal that names anything else is set aside, with a warning, and nothing
it names is read, written or deleted.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import stat
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from tracksite.core import localstate
from tracksite.core.loader import JOURNAL
from tracksite.core.problems.problem import os_error, printable
from tracksite.errors import UserError

_TMP = ".tracksite-tmp"
_BACKUP = re.compile(r"[0-9]+\.bak")


@dataclass
class Changes:
    """File writes and moves applied in order, and undone together if anything fails."""

    root: Path
    command: str = field(default_factory=lambda: printable(" ".join(["tracksite", *sys.argv[1:]])))
    ops: list[tuple] = field(default_factory=list)
    _done: list[dict] = field(default_factory=list)
    #: the backups, where no journal can be kept (the state folder cannot be made): the change
    #: is still undone if the check fails, but a kill half-way leaves it half-made (said)
    _memory: dict[str, bytes] | None = None

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
        self._done.clear()
        try:  # (checked again: nothing is deleted through a folder the state refuses)
            folder = localstate.folder(self.root, JOURNAL, create=False)
        except (OSError, localstate.StateError):
            return
        with contextlib.suppress(OSError):
            (folder / "journal.json").unlink(missing_ok=True)
        shutil.rmtree(folder, ignore_errors=True)  # (never through a link: rmtree refuses one)

    def rollback(self) -> list[str]:
        """Undo every applied step; never raises. Returns what could not be undone (kept in the
        journal for the next command to finish), or [] when the tree is as it was."""
        failed = undo(self.root, self._done, self._memory)
        if not failed:
            self.commit()
        self._done.clear()
        return failed

    # -- applying ------------------------------------------------------------------------------
    def _refuse_read_only(self) -> None:
        """A read-only file is the user's decision, and a file a symbolic link puts outside the
        course is not the command's to change: say so before anything changes."""
        for path in (p for op in self.ops for p in (op[1:] if op[0] == "move" else op[1:2])):
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
        """Finish an interrupted change, then start this one's journal. A user whose state folder
        cannot be made (a home folder of another machine, read-only) changes the course without
        one, told so: `new lesson` stopped on "permission denied" instead (issue 74)."""
        try:
            if localstate.folder(self.root, JOURNAL, create=False).exists():
                recover(self.root)
            localstate.folder(self.root, JOURNAL)  # made (mode 0o700) and checked
        except OSError as e:
            self._memory = {}
            print(
                f"note: the change is made without a journal: the state folder {localstate.path(self.root, JOURNAL)} "
                f"cannot be made ({getattr(e, 'strerror', None) or e}); had the command been killed half-way, "
                f"nothing would undo it (set {localstate.ENV} to a folder of yours to keep one)",
                file=sys.stderr,
            )
            return
        self._save()

    def _step(self, n: int, op: tuple) -> None:
        folder = localstate.path(self.root, JOURNAL)
        if op[0] == "write":
            _, path, text = op
            backup = None
            if path.exists():
                backup = f"{n}.bak"
                if self._memory is not None:
                    self._memory[backup] = path.read_bytes()
                else:
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
        if self._memory is not None:  # (no journal: see `_start`)
            return
        data = json.dumps({"command": self.command, "steps": self._done}, indent=1).encode("utf-8")
        _write_file(localstate.path(self.root, JOURNAL) / "journal.json", data, mode=None)


# -- undoing ------------------------------------------------------------------------------------
def pending(root: Path) -> str | None:
    """The command an interrupted change was made by, if its journal is still there."""
    try:
        journal = localstate.folder(root, JOURNAL, create=False) / "journal.json"
        return json.loads(journal.read_text(encoding="utf-8")).get("command", "tracksite")
    except (OSError, ValueError, AttributeError, localstate.StateError):
        return None


def recover(root: Path) -> str | None:
    """Undo what an interrupted command left half-made; a message saying so, or None.
    Raises UserError only if the undo itself cannot finish (the journal is kept), or if the
    journal's folder is refused (localstate.StateError: a link, another user's)."""
    folder = localstate.folder(root, JOURNAL, create=False)
    if not folder.exists():
        return None
    try:
        data = json.loads((folder / "journal.json").read_text(encoding="utf-8"))
        steps, command = data["steps"], data.get("command", "tracksite")
    except FileNotFoundError:  # interrupted while committing: the change stands
        shutil.rmtree(folder, ignore_errors=True)
        return f"the interrupted command had finished its change; removed what it left in {folder}"
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise UserError(
            f"{folder}/journal.json cannot be read ({e}); look at the files it names, then delete {folder}/"
        ) from None
    refused = _refused(root, steps)
    if refused:
        aside = folder.with_name(f"{JOURNAL}.refused-{time.time_ns()}")
        os.rename(folder, aside)
        return (
            f"warning: the journal of an interrupted command named {refused}, not a file of the course; "
            f"nothing was undone, and it was set aside in {aside}: check the course's files (git status)"
        )
    failed = undo(root, steps)
    if failed:
        raise UserError(
            f"could not undo the interrupted `{command}`: {'; '.join(failed)}; "
            f"fix that and run the command again ({folder}/ keeps what is left to undo)"
        )
    shutil.rmtree(folder, ignore_errors=True)
    return f"undid the interrupted `{command}` (the course is as it was before it)"


def undo(root: Path, steps: list[dict], memory: dict[str, bytes] | None = None) -> list[str]:
    """Undo journalled steps, last first; each step may or may not have happened. Never raises.
    `memory`: the backups by name, kept in memory where no journal could be (Changes._start)."""
    failed: list[str] = []
    journal = localstate.path(root, JOURNAL)
    for record in reversed(steps):
        try:
            _check_record(root, record)
            if record["op"] == "write":
                path = root / record["path"]
                (path.parent / f".{path.name}{_TMP}").unlink(missing_ok=True)
                if record["backup"] is None:
                    path.unlink(missing_ok=True)
                elif memory is not None or (journal / record["backup"]).exists():
                    data = memory[record["backup"]] if memory is not None else (journal / record["backup"]).read_bytes()
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
        except (OSError, KeyError, TypeError, ValueError, AttributeError) as e:
            where = record.get("path") or record.get("dst") if isinstance(record, dict) else record
            failed.append(f"{where}: {getattr(e, 'strerror', None) or e}")
    return failed


def _refused(root: Path, steps: object) -> str | None:
    """What in a journal's steps is not a file of the course (see the module's notes), or None."""
    if not isinstance(steps, list):
        return "steps that are not a list"
    for record in steps:
        try:
            _check_record(root, record)
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            return str(e)
    return None


def _check_record(root: Path, record: dict) -> None:
    """ValueError unless every path `record` names is inside the course (`_inside`) and its
    backup, if any, a plain name the journal itself gave (`N.bak`)."""
    if record["op"] == "write":
        _inside(root, record["path"])
        backup = record["backup"]
        if backup is not None and not (isinstance(backup, str) and _BACKUP.fullmatch(backup)):
            raise ValueError(f"the backup {backup!r}")
    elif record["op"] == "move":
        _inside(root, record["src"])
        _inside(root, record["dst"])
    else:
        raise ValueError(f"the step {record['op']!r}")
    for folder in record["made"]:
        _inside(root, folder)


def _inside(root: Path, rel: object) -> Path:
    """The course's path a journal names as `rel`: relative, without `..`, and still inside the
    course once the symbolic links on its way are followed; ValueError otherwise."""
    if not isinstance(rel, str) or not rel or "\0" in rel:
        raise ValueError(f"the path {rel!r}")
    posix, windows = PurePosixPath(rel), PureWindowsPath(rel)
    if posix.is_absolute() or windows.is_absolute() or windows.drive or ".." in posix.parts + windows.parts:
        raise ValueError(f"the path {rel!r}")
    path = root / rel
    if leaves_course(root, path) or os.path.realpath(path) == os.path.realpath(root):
        raise ValueError(f"the path {rel!r}, which leads outside the course")
    return path


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
        kept = localstate.path(root, JOURNAL)
        return f"{message}; and could not undo: {'; '.join(undo_failed)} ({kept}/ keeps what is left to undo)"
    return f"{message}; nothing was changed"
