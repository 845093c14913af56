"""What lives across the rebuilds of one `mkdocs serve` run (and, for `mkdocs build`, its one build).

MkDocs keeps the plugin instance for a whole serve run and builds again on every save; some of
what the plugin holds must outlive a build (the edit loop's memory of the last build, the site
kept for the next start, the index still being finished), the rest must not (buildstate.py).
Kept apart, a value's lifetime is read from where it lives rather than from comments.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from tracksite.adapter import mkdocsinternals
from tracksite.adapter.published.remotecopy import Copies
from tracksite.adapter.serve import lastsite, rebuild
from tracksite.adapter.serve import serve as serving_tools
from tracksite.core import checks, memo
from tracksite.search import index as search


class Process:
    """The process: MkDocs' command and what it carries from one build to the next (under
    `mkdocs serve`, across its run's rebuilds); `serve.ServeRun` is the run itself."""

    def __init__(self) -> None:
        self.command = "build"  # MkDocs' command: "build", "serve" or "gh-deploy"
        self.began = time.time()  # when the command began (`start`), before its first build
        self.dirty = False  # `--dirty`
        self.edits = rebuild.EditLoop()  # what the last build rendered, for the next one
        self.remote = Copies()  # the files of remote-files.yml: downloaded once, then from the cache
        self.kept: lastsite.LastSite | None = None  # the site kept for the next start
        self.background: Background | None = None  # the last build's index, finishing
        # problems MkDocs found, to show on the problems page (set by serve.ServeRun)
        self.forced_problems: list[str] = []
        self.mkdocs_warnings: serving_tools.MkDocsWarnings | None = None  # what this build's MkDocs logged
        self._remembering: tuple[threading.Thread, threading.Event] | None = None  # (`settle`)
        self.memory = memo.Memory()  # what the checks and builds remember (`build_memory`)
        mkdocsinternals.keep_theme_list()  # the next configurations' themes found without a rescan

    def start(self, command: str, dirty: bool) -> None:
        """MkDocs' command begins (`on_startup`, once a run: a plugin instance may be older)."""
        self.command, self.dirty, self.began = command, dirty, time.time()

    @property
    def serving(self) -> bool:
        return self.command == "serve"

    def build_memory(self) -> memo.Memory:
        """What the build about to start remembers (core/memo.py), made the one in use: under
        serve the process's own, across its rebuilds (a save's check works on what it changed);
        a fresh one for any other build, so nothing an earlier build in this process held leaks in.
        Then which files the watcher saw change is told to it (`trust_watcher`)."""
        if not self.serving:
            self.memory = memo.Memory()
        memo.use(self.memory)
        self.trust_watcher()
        return self.memory

    @property
    def complete(self) -> bool:
        """Whether the site folder holds a whole, successful build (serve.Owner: the serve run's dirty builds)."""
        return self.edits.complete

    def trust_watcher(self) -> None:
        """Before each build: under serve, once the watcher runs, what the system said of a file is
        taken again where the watcher reported no change since the last build, so a save costs
        what it changed (core/memo.py); in any other build every file is asked about."""
        running = self.edits.run if self.serving else None
        memo.watching(running.followed() if running else None, running.server.saved if running else None)

    def settle(self) -> None:
        """After the first build (`on_serve`): its check runs again in a thread once the watcher
        runs, while the instructor reads (`checks.remember`): taken from the state folder, its
        passes had not run; run, what it asked the system of each file was not kept, no watcher
        running yet to report a change there; either way the first save read or asked about every
        file again. Then what the build keeps is moved out of the garbage collector's way
        (serve.settle_memory). A save meanwhile stops them (`stop`)."""
        stop = threading.Event()

        def run() -> None:
            if self._watcher_runs(stop):
                checks.remember(stop.is_set)
            if not stop.is_set():
                serving_tools.settle_memory()

        thread = threading.Thread(target=run, name="tracksite-check-passes", daemon=True)
        self._remembering = (thread, stop)
        thread.start()

    def _watcher_runs(self, stop: threading.Event) -> bool:
        """Wait until the server's watcher runs and the first page is served (`FIRST_QUIET`), then
        trust it as a save's build does (`trust_watcher`), with the paths it reported so far;
        False when stopped first, or when there is no watcher to trust."""
        running = self.edits.run
        if stop.wait(FIRST_QUIET):
            return False
        waited = 0.0
        while running is not None and not running.server.observer.is_alive() and waited < WATCHER_WAIT:
            if stop.wait(0.05):
                return False
            waited += 0.05
        if running is not None and running.server.observer.is_alive():
            with running.server.changes:  # (what the next build is told too: its facts are dropped then)
                changed = None if running.server.changed is None else set(running.server.changed)
            memo.watching(running.followed(), changed)
        return bool(memo.trusted()) or checks.has_unrun()

    def stop(self) -> None:
        """The index still being finished stopped; the kept site closed (on a rebuild, at the end)."""
        if self._remembering is not None:  # (the pass it runs finishes first)
            thread, stop = self._remembering
            stop.set()
            thread.join()
            self._remembering = None
        if self.background is not None:
            self.background.stop()
            self.background = None
        if self.kept is not None:
            self.kept.close()  # (after the first build it has nothing to close)


#: Under serve, how long after the first build its check runs again (`settle`): the browsers
#: open the site's first page meanwhile, and requests wait for the interpreter's lock.
FIRST_QUIET = 0.5
#: At most this long (seconds) for the watcher to start (`mkdocs serve --no-livereload` has none).
WATCHER_WAIT = 10.0
#: Under serve, how long after a build its index starts: the browsers reload the saved page as the
#: build ends, and an index worked out then held each of their requests (served by threads of this
#: process) up by the interpreter's lock, a third of a second on a 1,000-lesson course.
SERVE_DELAY = 0.5


class Background:
    """An index finished after the build has returned, under `mkdocs serve`, `delay` seconds
    later: the server holds every request until a build is over, and the saved page should show
    at once; search catches up a moment later. The next build stops an index not yet finished
    (or not yet started), which that build replaces."""

    def __init__(
        self,
        indexer: search.Indexer,
        site_dir: str,
        pages: list[tuple[str, str]],
        done: Callable[[search.Indexer], None],
        failed: Callable[[str], None],
        delay: float = 0.0,
    ) -> None:
        self.indexer, self._stopped = indexer, False
        self._stop = threading.Event()

        def run() -> None:
            if delay and self._stop.wait(delay):
                return  # a newer build came first
            try:
                indexer.finish(site_dir, pages)
            except (search.SearchIndexError, OSError) as e:
                if not self._stopped:
                    failed(str(e))
            else:
                if not self._stopped:
                    done(indexer)

        self._thread = threading.Thread(target=run, name="tracksite-search-index", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopped = True
        self._stop.set()
        self.indexer.close(now=True)
        self._thread.join(timeout=30)
