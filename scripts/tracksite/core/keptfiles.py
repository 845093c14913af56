"""Files a build writes that the last build wrote alike: linked from a kept copy, not written again.

The search index is thousands of small files (one per page section: what a result shows is
fetched alone, a few hundred bytes), and a page is a file too. Writing them was two thirds of a
warm build of 300 lessons, and not for the bytes: on ext4, a new file right after thousands were deleted (the last site, a
staging folder) costs its inode allocator a scan past the recently freed inodes, a millisecond
each. A hard link to a file that already exists allocates no inode. So a build keeps a link to
each file it writes in the course's state folder (core/localstate.py) and the next build links the kept file into the
site when its bytes are the ones it would write (compared, not assumed: a kept file is read
before it is used, and one that differs is written anew).

A folder whose files depend only on what a build already knows it replays (the search index of
pages all kept whole) is linked from a list instead (`link_listed`): the files the last build
kept under that key, each with its size and modified time, checked by one `stat` each rather
than read and compared.

A kept file is never written in place: it is replaced by renaming a new link over it, so a site
that links it keeps its own bytes. Where links cannot be made (another file system, a file
system without them), files are written as before.

The kept copies lie side by side in one folder, named by their path in the site (`kept_name`):
a folder for each page, as the site has, was a `mkdir` for each page a cold build wrote, a
tenth of its processor time for the kept copies (docs/benchmarks.md).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path

#: Longer kept names (a long path in the site) are a digest of the path: a file name's limit is
#: 255 bytes.
_LONGEST = 200
_FLAGS = os.O_WRONLY | os.O_CREAT | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def kept_name(rel: str) -> str:
    """The kept copy's name of the site's file at `rel` ("track/lesson/index.html"): the path
    with "%" and "/" written as "%25" and "%2F", one name per path."""
    name = rel.replace("%", "%25").replace("/", "%2F")
    if len(name.encode("utf-8", "surrogatepass")) > _LONGEST:
        name = "%" + hashlib.sha256(rel.encode("utf-8", "surrogatepass")).hexdigest()
    return name


class Kept:
    """One folder's kept copies: `put` writes a file of the site, linked from here when it can."""

    def __init__(self, folder: Path | None) -> None:
        self.folder = str(folder) if folder is not None else None
        self.linked = 0
        self.written: set[str] = set()  # (their kept names)
        #: made by this build (a cold one): it holds no kept copy to compare, none to replace,
        #: and nothing to prune (25 files a lesson: a `stat` each saved)
        self.fresh = False
        if self.folder is not None:
            try:
                os.mkdir(self.folder, 0o700)
                self.fresh = True
            except FileExistsError:
                if not _real_folder(self.folder):
                    self.folder = None
            except OSError:
                self.folder = None

    def put(
        self,
        rel: str,
        target: str,
        data: bytes,
        write: Callable[[bytes, str], None] | None = None,
        *,
        new: bool = False,
    ) -> None:
        """Write `data` at `target` (a file of the site, known not to exist), by `write` when
        it is not linked (the engine's own function, with whatever wraps it). `new`: `target`
        is made only if it does not exist (FileExistsError otherwise, nothing written), so that
        a caller need not remove it first on the chance that it does."""
        name = kept_name(rel)
        self.written.add(name)
        kept = os.path.join(self.folder, name) if self.folder is not None else None
        if kept is not None and not self.fresh and _same(kept, data):
            try:
                os.link(kept, target)
                self.linked += 1
                return
            except FileExistsError:
                if new:
                    raise
            except OSError:
                pass
        if write is not None:
            write(data, target)
        else:
            _write(target, data, new)
        if kept is not None:
            self._keep(target, kept)

    def _keep(self, target: str, kept: str) -> None:
        """Link `target` as the kept copy: directly where there is none (a cold build), else by
        a rename over the old one, which a site may still link."""
        try:
            try:
                os.link(target, kept)
                return
            except FileExistsError:
                pass
            spare = kept + ".new"
            with contextlib.suppress(FileNotFoundError):
                os.unlink(spare)
            os.link(target, spare)
            os.replace(spare, kept)
        except OSError:  # no links here: keep nothing more
            self.folder = None

    def prune(self) -> None:
        """Drop the kept files this build did not write (pages and sections no longer there),
        and any folder (the copies of an earlier version, kept as the site's tree)."""
        if self.folder is None or self.fresh:
            return
        with contextlib.suppress(OSError), os.scandir(self.folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                elif entry.name not in self.written:
                    with contextlib.suppress(OSError):
                        os.unlink(entry.path)


def _real_folder(folder: str) -> bool:
    """Whether `folder` is a folder of this user's, not a link to one: a kept folder that a link
    took elsewhere had the build delete that folder's files and write into it (issue 74; the
    build refuses such a state folder first, core/localstate.py `check`)."""
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    getuid = getattr(os, "getuid", None)
    return stat.S_ISDIR(st.st_mode) and (getuid is None or st.st_uid == getuid())


def _write(target: str, data: bytes, new: bool) -> None:
    """Write a whole file with a descriptor, not a file object: thousands of small files (the
    search index's) and a file object's own checks (the file's block size, whether it is a
    terminal) were a system call or two more each."""
    fd = os.open(target, _FLAGS | (os.O_EXCL if new else os.O_TRUNC), 0o666)
    try:
        view = memoryview(data)
        while view:  # (a write may take fewer bytes than it is given)
            view = view[os.write(fd, view) :]
    finally:
        os.close(fd)


def _same(path: str, data: bytes) -> bool:
    try:
        if os.path.getsize(path) != len(data):
            return False
        with open(path, "rb") as f:
            return f.read() == data
    except OSError:
        return False


def _list(folder: Path) -> Path:
    return folder.with_name(folder.name + ".json")


def keep_list(folder: Path, names: list[str], key: str | None) -> None:
    """After the kept copies in `folder` were written: the list of `names` with their sizes and
    times, under `key` (None: nothing to list, the last list is dropped)."""
    path = _list(folder)
    try:
        if key is None:
            raise FileNotFoundError
        files = {}
        for name in names:
            st = os.stat(os.path.join(folder, kept_name(name)))
            files[name] = [st.st_size, st.st_mtime_ns]
        spare = path.with_name(f"{path.name}.{os.getpid()}")
        spare.write_text(json.dumps({"key": key, "files": files}), encoding="utf-8")
        os.replace(spare, path)
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink()


def link_listed(folder: Path, target: str, key: str) -> bool:
    """Link into `target` every file listed in `folder` under `key`; False, and some files
    perhaps linked, when the list is for another key, names a file outside the folder, or a kept
    file's size or time is not the listed one (it was written since: its bytes are not trusted)."""
    try:
        if not _real_folder(str(folder)):
            return False
        listed = json.loads(_list(folder).read_text(encoding="utf-8"))
        if not isinstance(listed, dict) or listed.get("key") != key or not isinstance(listed.get("files"), dict):
            return False
        made: set[str] = set()
        for name, stamp in listed["files"].items():
            if os.path.isabs(name) or os.path.normpath(name).split(os.sep)[0] in ("..", ""):
                return False
            kept = os.path.join(folder, kept_name(name))
            st = os.lstat(kept)
            if [st.st_size, st.st_mtime_ns] != stamp:
                return False
            path = os.path.join(target, name)
            parent = os.path.dirname(path)
            if parent not in made:
                os.makedirs(parent, exist_ok=True)
                made.add(parent)
            os.link(kept, path)
    except (OSError, ValueError, TypeError):
        return False
    return True
