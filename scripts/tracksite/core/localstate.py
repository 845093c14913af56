"""Where tracksite keeps what it remembers of a course between runs: a folder of the user's, never
the course's checkout.

A build keeps its caches (converted pages, compiled templates, the check's findings, the serve
runs' sites), the build's downloads of remote-files.yml, the link checker's answers, and the
editing commands their journal. Kept in the checkout (`.cache/`, `.tracksite-journal/`), they
were files anyone who sends a pull request can commit: a compiled template Jinja unpickled, a
cached page with a script added, a cache folder that was a link to the checkout itself (deleted
by the next build's pruning), a journal that wrote outside the course. So none of it is in the
checkout any more, and folders of those names that a checkout carries are never read, written or
deleted: each course gets a folder of its own under the user's cache folder:

    $TRACKSITE_CACHE_DIR, else $XDG_CACHE_HOME/tracksite, else ~/.cache/tracksite
      projects/<folder name>-<16 hex digits of the SHA-256 of the course's real path>/
        tracksite/  remote-files/  linkcheck/  journal/

A copy of the course at another path starts with nothing kept. Every folder from the root down
is made with mode 0o700 and checked with `lstat` before it is used: one that is a symbolic link
or another user's is refused (`StateError`) rather than trusted, since whoever can write there
decides what a build reads (a file in a folder's place is an OSError: nothing is kept). Nothing here imports the engine (core/ never does).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import stat
from pathlib import Path

from tracksite.errors import UserError

#: The environment variable that moves every course's state (CI caches it; the tests point it at
#: a temporary folder).
ENV = "TRACKSITE_CACHE_DIR"
#: What each course's folder holds: the build's caches, remote-files.yml's downloads, the link
#: checker's answers, the editing commands' journal.
NAMES = ("tracksite", "remote-files", "linkcheck", "journal")
#: The folders a build writes and prunes inside its state folder (`tracksite/`): the kept pages,
#: the compiled templates, the search index's kept files, `mkdocs serve`'s runs.
INNER = ("pages", "templates", "search-index", "serve")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class StateError(UserError):
    """A state folder that cannot be trusted: a symbolic link, or another user's."""


def base() -> Path:
    """The root of every course's state (see the module's notes), as an absolute path."""
    chosen = os.environ.get(ENV)
    if chosen:
        return Path(os.path.abspath(os.path.expanduser(chosen)))
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "tracksite"
    return Path(os.path.expanduser("~")) / ".cache" / "tracksite"


def project_folder(project_root: Path | str) -> Path:
    """The state folder of the course at `project_root` (not made): named for the folder, so a
    person can find it, and for the digest of its real path, so two courses never share one."""
    real = os.path.realpath(project_root)
    name = _UNSAFE.sub("_", os.path.basename(real))[:40].strip("._") or "project"
    return base() / "projects" / f"{name}-{hashlib.sha256(os.fsencode(real)).hexdigest()[:16]}"


def path(project_root: Path | str, name: str) -> Path:
    """Where the course's `name` state is (one of NAMES), made or not, checked or not: for saying
    where, and for asking whether something is there."""
    if name not in NAMES:
        raise ValueError(f"not a state folder: {name!r}")
    return project_folder(project_root) / name


def folder(project_root: Path | str, name: str, *, create: bool = True) -> Path:
    """The course's `name` state folder, each folder from the root down checked (and, with
    `create`, made with mode 0o700 where missing). `create` False: checked as far as it exists,
    for a reader that only asks what is there. Raises StateError for a folder it refuses, and
    OSError where one cannot be made (a read-only home: the caller keeps nothing)."""
    target = path(project_root, name)
    top = base()
    if create:
        top.parent.mkdir(parents=True, exist_ok=True)  # (~/.cache: the user's own, not checked)
    current = top
    for step in ["", *target.relative_to(top).parts]:
        current = current / step if step else current
        if _checked(current):
            continue
        if not create:
            break
        try:
            os.mkdir(current, 0o700)
        except FileExistsError:  # (made by another process just now: checked below)
            pass
        if not _checked(current):
            raise FileNotFoundError(f"{current} could not be made")
    return target


def inner(folder_path: Path | str, *, create: bool = True) -> Path:
    """A folder the build writes or prunes inside a checked state folder (`pages`, `templates`,
    `search-index`, `serve`), held to the same rules: a symbolic link or another user's folder
    is refused (StateError), whatever it points at, and a missing one is made with mode 0o700
    (with `create`). A folder made a link by whoever could write there would otherwise have had
    the build delete its target's files and write into it (issue 74)."""
    target = Path(folder_path)
    if not _checked(target) and create:
        try:
            os.mkdir(target, 0o700)
        except FileExistsError:  # (made by another process just now: checked below)
            pass
        if not _checked(target):
            raise FileNotFoundError(f"{target} could not be made")
    return target


def unkept(project_root: Path | str) -> str | None:
    """Why nothing can be kept for the course (its state folder cannot be made: a read-only
    home, a cache folder of another user's making), or None: the commands then work without
    their caches and say so, once (issue 74)."""
    try:
        folder(project_root, "tracksite")
    except StateError:
        return None  # (refused with its own message by whoever uses it)
    except OSError as e:
        return f"the state folder {path(project_root, 'tracksite')} cannot be made ({e.strerror or e})"
    return None


def check(project_root: Path | str) -> None:
    """Refuse (StateError) the course's state folders, as far as they exist, before a command
    that uses several of them starts (a build: its caches, remote-files.yml's downloads). A
    folder that cannot be read is not refused here: its user keeps nothing in it."""
    for name in NAMES:
        with contextlib.suppress(OSError):
            folder(project_root, name, create=False)
    for name in INNER:  # (the folders the build writes and prunes inside its own)
        with contextlib.suppress(OSError):
            if _checked(path(project_root, "tracksite")):
                inner(path(project_root, "tracksite") / name, create=False)


def _checked(folder: Path) -> bool:
    """Whether `folder` exists; StateError if it does and is a symbolic link or another user's,
    NotADirectoryError if it is a file."""
    try:
        st = os.lstat(folder)
    except FileNotFoundError:
        return False
    hint = f"delete or rename it, or set {ENV} to a folder of your own"
    if stat.S_ISLNK(st.st_mode):
        raise StateError(
            f"{folder} is a symbolic link; tracksite keeps its state only in a real folder of yours, "
            f"so it refused to use it: {hint}"
        )
    if not stat.S_ISDIR(st.st_mode):  # (the user's own file: the caller keeps nothing, as in a read-only home)
        raise NotADirectoryError(errno.ENOTDIR, "not a folder", str(folder))
    getuid = getattr(os, "getuid", None)
    if getuid is not None and st.st_uid != getuid():
        raise StateError(
            f"{folder} belongs to another user (uid {st.st_uid}); whoever owns it decides what "
            f"tracksite would read from it, so it was refused: {hint}"
        )
    return True
