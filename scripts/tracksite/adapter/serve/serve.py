"""`mkdocs serve` as an instructor needs it: reloads under our CSP, problems on every URL, no hang.

MkDocs' dev server is kept, as a subclass that owns its reloading and watching state
(adapter/serve/devserver.py) returned from the `on_serve` event in place of the instance MkDocs made;
nothing of this runs during `mkdocs build`:

- **Live reload under the CSP.** MkDocs injects an inline `<script>` that our strict policy
  blocks. Instead the page gets `<script src="…/__tracksite__/livereload.js" data-epoch=…>`, a
  file served from the site's own origin (allowed by `script-src 'self'`), so the built site's
  policy never needs a hash or 'unsafe-inline' for it.
- **Problems on every URL.** While the course has problems, every page request is answered with
  the problems page (which reloads itself on the next save), not a 404. Problems only MkDocs
  finds (a warning under `strict`, an exception in the build) are collected and shown there too:
  the build that failed is followed by a small build of just the problems page, so the server's
  "latest good build" always advances and requests never wait for a build that will not come.
- **The edit loop.** After the first build, every rebuild is a dirty MkDocs build in which only
  the pages a save can change are rendered (adapter/serve/rebuild.py decides which), and the browsers
  are told as soon as the saved page is written, before the rest of the build (the search index,
  tidying) is done; the open page is updated in place (livereload.js) or reloaded whole. Saves are noticed through inotify where the system has it,
  at once, rather than by MkDocs' scan of every watched file twice a second.
- **Watched folders that vanish and return.** The polling watcher stops for good when its folder
  disappears (a `git checkout`, a move away and back); a light keeper thread rebuilds when a
  watched folder goes or comes back and watches it again.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import os
import re
import threading
import traceback
from collections.abc import Callable
from html import escape
from typing import Any, Protocol

from mkdocs.structure.files import File
from watchdog.observers.polling import PollingObserver

from tracksite.adapter import mkdocsinternals
from tracksite.adapter.config import console
from tracksite.adapter.serve import watcher
from tracksite.adapter.serve.devserver import CourseServer


class MkDocsWarnings(logging.Handler):
    """Collects what MkDocs logs at WARNING or above during one build: under `strict` each of
    these aborts the build, so under serve they are problems to show, not log lines to lose."""

    @classmethod
    def install(cls, previous: MkDocsWarnings | None) -> MkDocsWarnings:
        """A new collector for this build on MkDocs' logger, in place of the last build's."""
        logger = logging.getLogger("mkdocs")
        if previous is not None:
            logger.removeHandler(previous)
        handler = cls()
        logger.addHandler(handler)
        return handler

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []
        self.seen = False  # any warning, shown or not: MkDocs' strict counter has counted it

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith("mkdocs.plugins.tracksite"):
            return
        self.seen = True
        # `serve --dirty` asked for what this warns about, on every rebuild: not a problem to show
        if mkdocsinternals.DIRTY_WARNING not in record.getMessage():
            self.messages.append(f"MkDocs: {record.getMessage()}")


def forget_strict_warnings() -> None:
    """Empty MkDocs' strict-mode counter so this serve build does not abort: the warnings it saw
    are shown on the problems page instead (a build that aborts leaves the server waiting)."""
    mkdocsinternals.forget_strict_warnings()


#: How long MkDocs waits for the file events of a save to stop before it builds (its own 0.1 s):
#: inotify reports an editor's whole save (a write, or a temporary file renamed over the page)
#: within a millisecond or two, so a twentieth of a second still takes one save as one build.
SAVE_QUIET = 0.05


class Owner(Protocol):
    """What a serve run reads and sets of the process that owns it (adapter/serve/process.py
    `Process`): declared here, so that the run depends on these names and not on the plugin."""

    began: float  # when the command began, before its first build
    dirty: bool  # `--dirty`
    kept: Any  # the site kept for the next start (lastsite.LastSite), or None
    forced_problems: list[str]  # MkDocs' problems, shown on the problems page by the next build
    mkdocs_warnings: MkDocsWarnings | None  # what this build's MkDocs logged

    @property
    def complete(self) -> bool:
        """Whether the site folder holds a whole, successful build (the edit loop's)."""
        ...


class Built(Protocol):
    """What a serve run reads of the last build (adapter/buildstate.py `BuildState`)."""

    failed: list[str]  # its problems, causes first (empty: it succeeded)
    project: Any  # the course it checked (core/model), or None before the first


class ServeRun:
    """What one `mkdocs serve` run adds to the process (`Owner`): the server, its watcher and
    builds that always finish; the course state stays with the process and its builds."""

    def __init__(
        self,
        server: Any,
        owner: Owner,
        last_build: Callable[[], Built],
        watched: list[str],
        markers: tuple[str, ...] = (),
    ) -> None:
        self.owner, self.last_build = owner, last_build
        self.watched = {os.path.abspath(p): os.path.isdir(p) for p in watched}
        # folders that are not watched inside but whose going away means "build again": the journal
        # of `tracksite new/move/rename`, whose removal is the last step of a change; a build that
        # started while it was there showed the course as half-changed, and no watched file
        # changes after it (the states are those the last build started with)
        self.markers = {os.path.abspath(p): False for p in markers}
        #: the server `on_serve` returns in place of MkDocs' (adapter/serve/devserver.py)
        kept = owner.kept  # the site's folder, the early server
        kept = kept if kept and not kept.off else None
        self.server = CourseServer.replacing(
            server,
            [p for p, exists in self.watched.items() if exists],
            root=str(kept.site) if kept else None,
            early=kept.hand_over() if kept else None,
        )
        self.server.first_build_began = owner.began
        self.lost_events_heard = watcher.LostEvents.listen(self.server)
        self.mount = self.server.mount_path
        self.build = self._dirty_builder(self.server.builder)
        self.app = self.server.serve_request
        self.server.build_delay = min(self.server.build_delay, SAVE_QUIET)
        logging.getLogger(mkdocsinternals.BUILD_LOGGER).addFilter(_no_dirty_warning)
        self.server.builder = self.safe_build
        self.server.set_app(self.serve_request)
        self.fallback: list[str] | None = None  # problems shown without the theme (it failed too)
        self.stopping = threading.Event()
        self.settling: threading.Timer | None = None  # settle_memory, once the edits pause
        threading.Thread(target=self.keep_watching, daemon=True, name="tracksite-watch").start()

    def _dirty_builder(self, builder: Callable) -> Callable:
        """MkDocs' serve builder, as a dirty build once the site holds a whole good build: the
        plugin then marks which pages to render (rebuild.EditLoop). MkDocs' own builder decides
        dirty or not once per session, from `--dirty`; its settings are read from its closure."""
        settings = mkdocsinternals.serve_settings(builder)
        if settings is None:  # another MkDocs: its builder as it is
            return builder
        get_config, serve_url, is_clean = settings

        def run(config: Any = None) -> None:
            logging.getLogger("mkdocs.commands.serve").info("Building documentation...")
            if config is None:
                config = get_config()
                config.site_url = serve_url
            dirty = bool(self.owner.dirty or self.owner.complete)
            mkdocsinternals.build(config, serve_url=None if is_clean else serve_url, dirty=dirty)

        return run

    def followed(self) -> list[str]:
        """The folders whose every change, below them too, the watcher reports (none with the
        polling observer, which compares times and sizes and can miss a second save in the same
        tick): a build may take what it knew of their files where it reports none (core/memo.py)."""
        if isinstance(self.server.observer, PollingObserver) or not self.lost_events_heard:
            return []
        return [p for p, (_, w) in self.server.watches.items() if w.is_recursive and os.path.isdir(p)]

    def reload_now(self) -> None:
        """Tell the browsers the site has changed, before the build is over (rebuild.EditLoop)."""
        self.server.reload_now()

    def hold(self, path: str, content: bytes) -> None:
        """A page written before the build is over, answered from memory until the build ends."""
        self.server.hold(path, content)

    # -- live reload -----------------------------------------------------------------------
    def serve_request(self, environ: dict, start_response: Callable) -> Any:
        path = environ.get("PATH_INFO", "")
        if self.fallback is not None and _is_page(path, self.mount):
            page = self.server.inject_reload(_plain_problems_page(self.fallback), self.server.epochs.visible)
            start_response(
                "200 OK",
                [
                    ("Content-Type", "text/html; charset=utf-8"),
                    ("Content-Length", str(len(page))),
                    ("Cache-Control", "no-store"),
                ],
            )
            return [page]
        if self.last_build().failed and _is_page(path, self.mount):
            environ = {**environ, "PATH_INFO": self.mount}  # the problems page, at every page URL
        return self.app(environ, start_response)

    # -- builds that always finish ---------------------------------------------------------
    def safe_build(self, *args: Any, **kwargs: Any) -> None:
        """Build; if MkDocs itself failed, build the problems page listing why. Never raises."""
        if self.settling is not None:  # a save came before the pause: no collection mid-build
            self.settling.cancel()
        self.owner.forced_problems = []
        self.fallback = None
        self.markers = {path: os.path.isdir(path) for path in self.markers}
        try:
            self.build(*args, **kwargs)
            problems = take_mkdocs_problems(self.owner, self.last_build())
        except BaseException as e:  # noqa: BLE001 - a serve build must never stop the server
            if isinstance(e, KeyboardInterrupt):
                raise
            problems = take_mkdocs_problems(self.owner, self.last_build()) + [_describe(e)]
        if problems:
            self.show_problems(problems)
        self.settling = threading.Timer(SETTLE_AFTER, settle_memory)
        self.settling.daemon = True
        self.settling.start()

    def show_problems(self, problems: list[str]) -> None:
        self.owner.forced_problems = problems
        try:
            self.build()
        except Exception as e:  # the theme itself is broken: a plain page lists the problems
            traceback.print_exc()
            self.fallback = problems + ([_describe(e)] if _describe(e) not in problems else [])
        finally:
            self.owner.forced_problems = []

    # -- watched folders that vanish and come back -----------------------------------------
    def keep_watching(self) -> None:
        while not self.stopping.wait(0.5):
            changed = False
            for path, existed in list(self.watched.items()):
                exists = os.path.isdir(path)
                if exists == existed:
                    continue
                self.watched[path] = exists
                changed = True
                if exists:
                    self.rewatch(path)
            for path, existed in list(self.markers.items()):
                if existed and not os.path.isdir(path):
                    self.markers[path] = False
                    changed = True
            if changed:
                self.request_rebuild()

    def rewatch(self, path: str) -> None:
        try:
            with contextlib.suppress(KeyError):  # MkDocs' unwatch of a folder it does not watch
                self.server.unwatch(path)
            self.server.watch(path)
        except Exception:  # noqa: BLE001 - watching again is best effort; the next change retries
            logging.getLogger("tracksite.serve").warning("could not watch %s again", path)

    def request_rebuild(self) -> None:
        self.server.request_build()


def _no_dirty_warning(record: logging.LogRecord) -> bool:
    """MkDocs warns on every dirty build; under serve the edit loop makes them exact (rebuild.py)."""
    return mkdocsinternals.DIRTY_WARNING not in record.getMessage()


def _is_page(path: str, mount: str) -> bool:
    """A request for a page (a folder URL or an .html file), not for an asset or the poller."""
    if not path.startswith(mount) or path.startswith(mount + "livereload/"):
        return False
    last = path.rsplit("/", 1)[-1]
    return last == "" or last.endswith(".html") or "." not in last


def _plain_problems_page(problems: list[str]) -> bytes:
    """The problems as a page of its own, for when the theme cannot draw one (no inline script or
    style: the reload script is added by the server's `inject_reload`)."""
    items = "".join(f"<li><code>{escape(p)}</code></li>" for p in problems)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; "
        "style-src 'self'; object-src 'none'; base-uri 'self'\">"
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<title>The course has problems</title></head><body><main><h1>The course has problems</h1>"
        "<p>The site could not be built, not even its problems page. Fix these in your editor; "
        f"this page reloads when you save.</p><ul>{items}</ul></main></body></html>"
    ).encode()


def _describe(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    if text.startswith("Aborted with") and "strict mode" in text:
        return f"MkDocs: {text} (the warnings are listed above)"
    return f"MkDocs: the build failed: {text}"


_DOC_FILE = re.compile(r"(?<=Doc file )'([^']+)'")


def take_mkdocs_problems(owner: Owner, build: Built) -> list[str]:
    """The warnings MkDocs logged in the last serve build (`build`) that `strict` turns into
    failures, each naming the source an instructor edits rather than the generated page."""
    handler, owner.mkdocs_warnings = owner.mkdocs_warnings, None
    if handler is None:
        return []
    logging.getLogger("mkdocs").removeHandler(handler)
    if build.failed or build.project is None:
        return []
    project = build.project

    def source(m: re.Match) -> str:
        doc = project.document(m.group(1))
        return f"{project.problems.relative(doc.path)}" if doc is not None else m.group(0)

    return [_DOC_FILE.sub(source, message) for message in handler.messages]


def problems_files(files: Any, config: Any, failed: list[str]) -> Any:
    """Under `mkdocs serve`, the site is one page listing the problems, at every address (see
    ServeRun), so the server keeps running and reloads it on every save."""
    for f in [f for f in files if f.is_documentation_page()]:
        files.remove(f)
    items = "\n".join(f"<li><code>{escape(line)}</code></li>" for line in failed)
    content = (
        "---\ntemplate: main.html\n---\n# The course has problems\n\n"
        "Fix these in your editor; this page, at every address of the site, reloads when you save.\n\n"
        f'<ul class="ts-problems">\n{items}\n</ul>\n'
    )
    files.append(File.generated(config, "index.md", content=content))
    return files


def terminal_log() -> logging.Logger:
    """A logger outside MkDocs' namespace, printing to the terminal `mkdocs serve` runs in."""
    logger = logging.getLogger("tracksite.serve")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler.addFilter(console.NoWorkflowCommands())
        logger.addHandler(handler)
        logger.propagate = False
    return logger


#: Seconds without a save after a served build before settle_memory runs: after the browsers
#: have reloaded the saved page (process.SERVE_DELAY, the index, comes first), and before an
#: instructor's next save, which seldom follows within a second; later, it ran into that save's
#: build when edits came every second or two.
SETTLE_AFTER = 0.8


def settle_memory() -> None:
    """Move what a served build keeps (the memo of every file's findings, the loaded model,
    MkDocs' files and pages) out of the garbage collector's way. Left in place, each full
    collection of the next build walks all of it again: at 1,000 lessons that was a third of a
    rebuild's time. The last build's garbage is collected first (unfrozen, so the pages it
    replaced are freed). The collection holds the interpreter for about 0.3 s there, so it runs
    after the first build and then only in a pause of the edits (SETTLE_AFTER): run right after
    a build, it held up the browser's request for the page just written.

    That whole collection walked the course's objects once a save, as much work as the rest of
    the save at 1,000 lessons, to free what the save replaced; MkDocs' pages are kept between
    saves now (keptnav.py), so most saves replace little. So a save's pause collects only what
    was allocated since the last pause (the frozen objects are not walked), and the whole
    collection runs again once the frozen objects have grown by FULL_GROWTH (garbage in cycles
    among them is freed then) or after FULL_EVERY pauses."""
    frozen, last = gc.get_freeze_count(), _SETTLED["frozen"]
    if not last or frozen > last * (1 + FULL_GROWTH) or _SETTLED["since"] >= FULL_EVERY:
        gc.unfreeze()
        gc.collect()
        gc.freeze()
        _SETTLED.update(frozen=gc.get_freeze_count(), since=0)
        return
    gc.collect()  # (what the builds since the last pause allocated and still hold is frozen next)
    gc.freeze()
    _SETTLED["since"] += 1


#: `settle_memory`: the whole collection again once the frozen objects have grown by this share
#: since the last one, or after this many pauses.
FULL_GROWTH = 0.02
FULL_EVERY = 8
_SETTLED = {"frozen": 0, "since": 0}  # the frozen objects after the last whole collection; pauses since
