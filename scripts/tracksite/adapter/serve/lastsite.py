"""`mkdocs serve` started again answers at once with the site its last run built, when nothing
that site was built from has changed.

MkDocs builds the whole site before its server listens, so a restart on a large course waited
for that build even when every page came out of the build cache (25 to 31 s at 1,000 lessons).
This module keeps each serve run's site in the course's state folder (the user's, never the
checkout: core/localstate.py), in `tracksite/serve/RUN/site` rather than in a temporary folder,
and beside it, in `RUN/key`, the digest of everything the
last finished build of that run read, taken before the build read it:

- every file under the project's root by path, size, mode and modification time (the walk of the
  check cache, core/checkcache.py: hidden folders and folders a tracksite build wrote are left
  out), so a file saved with the same bytes counts as changed;
- the configuration as MkDocs resolved it (pagecache.settings: the address served included);
- the versions of Python, MkDocs, Material, Python-Markdown, pymdown-extensions and Pygments and
  the digest of tracksite's own files (buildcache.environment).

The key is removed when a build starts and written when the build and its search index are
finished, so a run stopped in the middle of a build (Ctrl-C, a closed terminal, SIGTERM) leaves
no key, and its site is never answered from. On the next start, a run whose key equals the new
digest is served from its folder by the dev server's own request handling (devserver.py, with
the reload script) while the first build runs; when the build is over, the listening socket is
handed to the server MkDocs serves with, so no browser is refused in between, and the browsers
are not reloaded (the site they see is the one just built). Folders of runs no longer alive are
removed after that first build: only real folders named as runs are (a link is never followed,
nor removed through), and only under the state folder. The configuration's `cache: false` turns all of this off.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from tracksite.adapter.caches import buildcache, pagecache
from tracksite.adapter.serve.devserver import CourseServer
from tracksite.core import localstate
from tracksite.core.checkcache import tree
from tracksite.core.memo import digest

log = logging.getLogger("mkdocs.plugins.tracksite")

#: Bumped when what a kept run holds changes.
FORMAT = "1"
#: The runs' folder, in the course's "tracksite" state folder.
FOLDER = "serve"
_RUN = re.compile(r"[0-9]+-[0-9]+")


def fingerprint(root: Path, config: Any) -> str:
    """Everything a serve build of this course reads, as it is now (see the module's notes)."""
    return digest([FORMAT, *buildcache.environment(), pagecache.settings(config), *tree(root, by_content=False)])


class LastSite:
    """One serve run's kept site: where it is built, its key, and the last run's early server."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.folder = localstate.path(root, buildcache.STATE) / FOLDER
        self.run = self.folder / f"{os.getpid()}-{time.time_ns()}"
        self.site = self.run / "site"
        self.early: CourseServer | None = None
        self._key: str | None = None
        self.off: str | None = None  # why nothing is kept (the folder cannot be written)

    def configure(self, config: Any, root: Path, *, first: bool) -> None:
        """At the start of each serve build's `on_config`: note what the build is about to read,
        and build into this run's folder. The first build of the process first looks for an
        earlier run that built exactly this, and serves it while the build runs."""
        if self.off:
            return
        try:
            localstate.folder(self.root, buildcache.STATE)  # (checked: never a link, never another user's)
            localstate.inner(self.folder)  # (the runs' folder too)
            self.site.mkdir(parents=True, exist_ok=True)
            (self.run / "key").unlink(missing_ok=True)
        except (
            OSError,
            localstate.StateError,
        ) as e:  # a read-only project: MkDocs' temporary folder, as without the cache
            self.off = f"tracksite: the serve run's site is not kept: its folder cannot be written ({e})"
            log.info(self.off)
            return
        self._key = fingerprint(root, config)
        if first and "--no-livereload" not in sys.argv:  # (without it, no `on_serve` takes the socket)
            with contextlib.suppress(OSError):
                self._serve_earlier(config)
        config.site_dir = str(self.site)

    def built(self) -> None:
        """The build and its search index are finished: the folder is a whole site for the key."""
        if self._key is None:
            return
        with contextlib.suppress(OSError):
            tmp = self.run / f"key.{threading.get_ident()}"
            tmp.write_text(self._key, encoding="utf-8")
            os.replace(tmp, self.run / "key")

    def _serve_earlier(self, config: Any) -> None:
        if not self.folder.is_dir():
            return
        for run in self.folder.iterdir():
            try:
                if (run / "key").read_text(encoding="utf-8") != self._key or not (run / "site").is_dir():
                    continue
            except OSError:
                continue
            host, port = config.dev_addr
            server = CourseServer(
                builder=lambda: None,
                host=str(host),
                port=int(port),
                root=str(run / "site"),
                mount_path=urlsplit(config.site_url or "/").path or "/",
                reloads=True,
            )
            try:
                server.server_bind()
                server.server_activate()
            except OSError:  # the address is taken: MkDocs will say so when it binds
                server.server_close()
                return
            server.serve_thread.start()
            log.info(
                "tracksite: nothing changed since the last `mkdocs serve`: its site is served while this one builds"
            )
            self.early = server
            return

    def hand_over(self) -> CourseServer | None:
        """After the first build (`on_serve`): the early server, stopped, for its socket; the
        folders of runs no longer alive are removed in the background."""
        early, self.early = self.early, None
        if early is not None:
            early.stop_serving()
        threading.Thread(target=self._tidy, name="tracksite-tidy-serve", daemon=True).start()
        return early

    def close(self) -> None:
        """The process stops before any hand-over (the first build failed)."""
        if self.early is not None:
            self.early.stop_serving()
            self.early.server_close()
            self.early = None

    def _tidy(self) -> None:
        """Remove the folders of runs no longer alive: each a real folder named PID-TIME directly
        under the runs' folder, itself in the checked state folder; a link is left alone."""
        try:
            localstate.folder(self.root, buildcache.STATE, create=False)
            runs = list(os.scandir(self.folder)) if not os.path.islink(self.folder) else []
        except (OSError, localstate.StateError):
            return
        for run in runs:
            if run.path == str(self.run) or not _RUN.fullmatch(run.name) or _alive(run.name):
                continue
            if run.is_dir(follow_symlinks=False):
                shutil.rmtree(run.path, ignore_errors=True)


def _alive(name: str) -> bool:
    """The run named `name` (PID-TIME) belongs to a process still running."""
    pid = name.split("-", 1)[0]
    if not pid.isdigit() or int(pid) == os.getpid():
        return False  # (this process's own run is not asked about: an equal PID is an earlier process's)
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # another user's process: not ours to judge
    return True
