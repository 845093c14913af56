"""The dev server `mkdocs serve` runs for a course: MkDocs' own `LiveReloadServer`, subclassed,
with the state it reloads browsers by (the two epochs), waits for saves by (a condition) and
watches folders by (an observer and its watches) owned here rather than reached for in MkDocs'.

MkDocs lets `on_serve` return another server; the plugin returns this one, made from MkDocs'
(its public builder, address, folder, mount path and error page). Overridden are MkDocs' public
methods only: `watch`, `unwatch`, `serve`, `shutdown` and the WSGI app `serve_request`, whose
bodies here use no attribute of MkDocs' class that starts with `_`. So the edit loop can tell the
browsers to reload before the build is over (`reload_now`), the folder keeper can ask for a
build (`request_build`), and pages carry a same-origin reload script the site's CSP allows.
"""

from __future__ import annotations

import functools
import io
import logging
import mimetypes
import os
import pathlib
import posixpath
import re
import sys
import threading
import time
import traceback
import urllib.parse
import webbrowser
import wsgiref.util
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import watchdog.events as ev
from watchdog.observers.polling import PollingObserver

from tracksite.adapter import mkdocsinternals
from tracksite.adapter.mkdocsinternals import LiveReloadServer
from tracksite.adapter.serve import outside
from tracksite.adapter.serve.watcher import quicker_observer

log = logging.getLogger("mkdocs.livereload")

RELOAD_PATH = "__tracksite__/livereload.js"

#: The reload script (livereload.js beside this module): MkDocs' polling, reading its two numbers
#: from the script tag, and the page updated in place when a newer build is shown (Material's
#: instant navigation's swap), or reloaded whole when the swap cannot carry the new page.
RELOAD_JS = (pathlib.Path(__file__).parent / "livereload.js").read_bytes()

#: The private attributes of MkDocs' live-reload server this package uses, each with why: none.
#: What MkDocs watched before `on_serve` is read from its observer's public `emitters` (watchdog's
#: API). tests/adapter/serve/test_serve_private.py fails when adapter/ starts using one without listing it here.
MKDOCS_PRIVATE: dict[str, str] = {}


def _newer_files(path: str, since: float) -> bool:
    """A file under `path` (or `path` itself) last modified after `since`; links are not
    followed (os.walk's own rule for folders), and what cannot be read is passed over."""

    def newer(file: str) -> bool:
        try:
            return os.stat(file, follow_symlinks=False).st_mtime > since
        except OSError:
            return False

    return newer(path) or any(newer(os.path.join(folder, n)) for folder, _, names in os.walk(path) for n in names)


def timestamp() -> int:
    return round(time.monotonic() * 1000)


class Epochs:
    """Which site the browsers may see (`visible`) and which one is being built (`wanted`):
    pages wait while they differ, the reload poll answers when `visible` passes its own."""

    def __init__(self) -> None:
        self.cond = threading.Condition()
        self.wanted = timestamp()
        self.visible = self.wanted
        self.released = False  # set when another server takes the port: polls answer at once

    def begin(self) -> None:
        with self.cond:
            self.wanted = timestamp()

    def show(self) -> bool:
        """The site being built may be seen; True if that is news to the browsers."""
        with self.cond:
            if self.visible == self.wanted:
                return False
            self.visible = self.wanted
            self.cond.notify_all()
            return True

    def built(self) -> int:
        """The site's epoch once no build is under way (a page is never served half-built)."""
        with self.cond:
            self.cond.wait_for(lambda: self.visible == self.wanted)
            return self.visible

    def newer_than(self, epoch: int, timeout: float) -> int:
        with self.cond:
            self.cond.wait_for(lambda: self.visible > epoch or self.released, timeout=timeout)
            return self.visible

    def release(self) -> None:
        """Answer every waiting poll now, with no news: the browsers poll the next server."""
        with self.cond:
            self.released = True
            self.cond.notify_all()


class CourseServer(LiveReloadServer):
    """MkDocs' dev server, its reloading, waiting and watching state owned here (see above)."""

    @classmethod
    def replacing(
        cls, server: LiveReloadServer, more: list[str], *, root: str | None = None, early: CourseServer | None = None
    ) -> CourseServer:
        """This server in place of the one MkDocs made (not yet bound to its port), watching
        what it watched; `more` are folders to watch that the observer is tried on first. `root`:
        the site's folder when the plugin moved it (lastsite.py); `early`: a stopped server that
        answered on the port during the first build, whose socket and epoch this one takes on."""
        host, port = server.server_address[:2]
        watched = watched_by(server)
        server.server_close()
        new = cls(
            builder=server.builder,
            host=str(host),
            port=int(port),
            root=root or server.root,
            mount_path=server.mount_path,
            shutdown_delay=server.shutdown_delay,
            trial=[*watched, *more],
        )
        new.build_delay = server.build_delay
        for path, recursive in watched.items():
            new.watch(path, recursive=recursive)
        if early is not None:
            new.take_socket(early)
        return new

    def __init__(self, *, trial: Sequence[str] = (), reloads: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.RequestHandlerClass = _quiet_when_unchanged(self.RequestHandlerClass)
        self.reloads = reloads  # pages get the reload script even with nothing watched (an early server)
        self.bound = False
        self.error_handler = self.error_page  # (MkDocs' reads the same file of the folder it serves)
        self.epochs = Epochs()
        self.changes = threading.Condition()  # held to read or set want_build and stopped
        self.want_build = False
        self.stopped = False
        self.changed: set[str] | None = set()  # paths reported since the last build began (None: unknown)
        self.saved: set[str] | None = None  # those of the build that runs (core/memo.py `watching`)
        self.watches: dict[str, list[Any]] = {}  # folder -> [how many times watched, its watch]
        self.observer = quicker_observer(trial, self.shutdown_delay) or PollingObserver(timeout=0.5)
        #: pages written before the build is over (see `hold`), answered from here until it is
        self.held: dict[str, bytes] = {}
        #: when the first build began (`time.time()`): a save since then, made before the watcher
        #: started, is caught by `_saved_since` (set by the serve session; None: nothing to catch)
        self.first_build_began: float | None = None

    # -- watching ---------------------------------------------------------------------------
    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """Rebuild when a file under `path` changes (MkDocs' contract: no `func`)."""
        path = os.path.abspath(path)
        if not (func is None or func is self.builder):
            raise TypeError("Plugins can no longer pass a 'func' parameter to watch().")
        if path in self.watches:
            self.watches[path][0] += 1
            return
        handler = ev.FileSystemEventHandler()
        handler.on_any_event = self.request_build  # type: ignore[method-assign]
        self.watches[path] = [1, self.observer.schedule(handler, path, recursive=recursive)]

    def unwatch(self, path: str) -> None:
        """Stop watching `path`; KeyError if it is not watched (as MkDocs')."""
        path = os.path.abspath(path)
        entry = self.watches[path]
        entry[0] -= 1
        if entry[0] <= 0:
            del self.watches[path]
            self.observer.unschedule(entry[1])

    def request_build(self, event: Any = None) -> None:
        with self.changes:  # the watcher's `event`: its paths noted (a folder's not built for); None: unknown
            if event is not None and self.changed is not None:
                self.changed.update(str(p) for p in (event.src_path, getattr(event, "dest_path", "")) if p)
            else:
                self.changed = None  # a build with no path to name: every file is looked at again
            if event is None or not event.is_directory:
                self.want_build = True
                self.changes.notify_all()

    def reload_now(self) -> None:
        """Tell the browsers the site has changed, before the build is over: the pages they show
        are written (requests wait until then, and the poll is answered at once)."""
        self.epochs.show()

    def hold(self, path: str, content: bytes) -> None:
        """Answer requests for the page at `path` with `content` until `release`: MkDocs writes
        every page again when its hooks return, truncating the file first, and a browser told to
        reload early could read it empty in between (it did on a loaded machine, and the page then
        stayed blank: an empty page's poll waits for a build that never comes)."""
        self.held[os.path.abspath(path)] = content

    def release(self) -> None:
        """The build has written every page: the files are whole again."""
        self.held = {}

    # -- the socket ---------------------------------------------------------------------------
    def take_socket(self, early: CourseServer) -> None:
        """Listen on the early server's socket (connections made meanwhile wait in its backlog)
        and show the browsers' pages as current: they are the site just built again."""
        self.socket.close()
        self.socket, self.server_address = early.socket, early.server_address
        self.server_name, self.server_port = early.server_name, early.server_port
        self.setup_environ()
        self.bound = True
        with self.epochs.cond:
            self.epochs.wanted = self.epochs.visible = early.epochs.visible

    def stop_serving(self) -> None:
        """Stop answering (socketserver's own stop) and let go of the requests still waiting
        for a reload, keeping the socket open for the server that takes it."""
        if self.serve_thread.is_alive():
            mkdocsinternals.stop_serve_forever(self)
        self.epochs.release()

    def error_page(self, code: int) -> bytes | None:
        """The site's own 404 or 500 page, as MkDocs' serve answers with."""
        try:
            with open(os.path.join(self.root, f"{code}.html"), "rb") as fh:
                return fh.read()
        except OSError:
            return None

    # -- the build loop ---------------------------------------------------------------------
    def serve(self, *, open_in_browser: bool = False) -> None:
        if not self.bound:
            self.server_bind()
            self.server_activate()
        if self.watches:
            self.observer.start()
            log.info("Watching paths for changes: %s", ", ".join(f"'{_relative(p)}'" for p in self.watches))
            if self.first_build_began is not None:
                since, paths = self.first_build_began, list(self.watches)
                threading.Thread(target=self._saved_since, args=(paths, since), daemon=True).start()
        log.info("Serving on %s%s", self.url, " and opening it in a browser" if open_in_browser else "")
        self.serve_thread.start()
        if open_in_browser:
            webbrowser.open(self.url)
        self.build_loop()

    def build_loop(self) -> None:
        while True:
            with self.changes:
                while not self.changes.wait_for(lambda: self.want_build or self.stopped, timeout=self.shutdown_delay):
                    pass  # waits with a timeout: Ctrl-C reaches the main thread (Windows)
                if self.stopped:
                    return
                log.info("Detected file changes")
                while self.changes.wait(timeout=self.build_delay):
                    pass  # the save's events have not stopped yet
                self.epochs.begin()
                self.want_build, self.saved, self.changed = False, self.changed, set()
            try:
                self.builder()
            except Exception as e:  # noqa: BLE001 - MkDocs' loop: the server stays up
                if isinstance(e, SystemExit):
                    print(e, file=sys.stderr)  # noqa: T201
                else:
                    traceback.print_exc()
                log.error(
                    "An error happened during the rebuild. The server will appear stuck until build errors are resolved."
                )
                continue
            finally:
                self.release()  # whatever the build did, the files are what the site holds now
            if self.epochs.show():
                log.info("Reloading browsers")

    def _saved_since(self, paths: list[str], since: float) -> None:
        """Build again if a watched file was saved after the first build began: the watcher only
        starts after that build, which may have read the file before the save (an instructor
        saving during a start that takes seconds; after a restart the browser is already open
        on the last run's site, and only a build's reload shows the save). The observer is
        running when this looks, so a save is caught by one or the other."""
        if any(_newer_files(path, since - 0.01) for path in paths):  # (an mtime lags the clock by under a tick)
            log.info("Detected file changes made during the first build")
            self.request_build()

    def shutdown(self, wait: bool = False) -> None:
        self.observer.stop()
        with self.changes:
            self.stopped = True
            self.changes.notify_all()
        if self.serve_thread.is_alive():
            mkdocsinternals.stop_serve_forever(self)  # socketserver's: stop serve_forever
        self.server_close()
        if wait:
            self.serve_thread.join()
            self.observer.join()

    # -- requests ---------------------------------------------------------------------------
    def serve_request(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            result = self.answer(environ, start_response)
        except Exception:
            code, msg = 500, "500 Internal Server Error"
            log.exception(msg)
        else:
            if result is not None:
                return result
            code, msg = 404, "404 Not Found"
        content = None
        try:
            content = self.error_handler(code)
        except Exception:
            log.exception("Failed to render an error message!")
        start_response(msg, [("Content-Type", "text/html")])
        return [content if content is not None else msg.encode()]

    def answer(self, environ: dict, start_response: Callable) -> Iterable[bytes] | None:
        """MkDocs' answer to one request (a poll, the reload script, a file of the site)."""
        path = environ["PATH_INFO"].encode("latin-1").decode("utf-8", "ignore")
        poll = re.fullmatch(r"(?:/|" + re.escape(self.mount_path) + r")livereload/([0-9]+)/[0-9]+", path)
        if poll:
            start_response("200 OK", [("Content-Type", "text/plain")])
            _browser_connected(environ.get("HTTP_REFERER"))
            return [b"%d" % self.epochs.newer_than(int(poll[1]), self.poll_response_timeout)]
        if path == self.mount_path + RELOAD_PATH:
            headers = [("Content-Type", "application/javascript"), ("Cache-Control", "no-store")]
            start_response("200 OK", [*headers, ("Content-Length", str(len(RELOAD_JS)))])
            return [RELOAD_JS]
        if not (path + "/").startswith(self.mount_path):
            if path == "/":
                start_response("302 Found", [("Location", urllib.parse.quote(self.mount_path))])
                return []
            return None
        relative = path[len(self.mount_path) :] + ("index.html" if path.endswith("/") else "")
        relative = posixpath.normpath("/" + relative).lstrip("/")
        file_path = os.path.join(self.root, relative)
        epoch = self.epochs.built()
        held = self.held.get(os.path.abspath(file_path))
        if held is not None:
            content = self.inject_reload(held, epoch) if self.watches or self.reloads else held
            start_response("200 OK", [("Content-Type", _guess_type(file_path)), ("Content-Length", str(len(content)))])
            return [content]
        try:
            file: Any = open(file_path, "rb")  # noqa: SIM115 - handed to the WSGI server, which closes it
        except OSError:
            if not path.endswith("/") and os.path.isfile(os.path.join(file_path, "index.html")):
                start_response("302 Found", [("Location", urllib.parse.quote(path) + "/")])
                return []
            return None
        headers = [("Content-Type", _guess_type(file_path))]
        if (self.watches or self.reloads) and file_path.endswith(".html"):
            with file:
                content = self.inject_reload(file.read(), epoch)
            file, length = io.BytesIO(content), len(content)
        else:
            info = os.fstat(file.fileno())
            length, tag = info.st_size, f'"{info.st_mtime_ns:x}-{info.st_size:x}"'
            headers += [("ETag", tag), ("Cache-Control", _caching(relative))]
            if environ.get("HTTP_IF_NONE_MATCH") == tag:
                file.close()
                start_response("304 Not Modified", headers[1:])
                return []
        start_response("200 OK", [*headers, ("Content-Length", str(length))])
        return wsgiref.util.FileWrapper(file)

    def inject_reload(self, content: bytes, epoch: int) -> bytes:
        """MkDocs' inline reload script, which the site's CSP blocks, as a same-origin file; with
        the digest of what the page holds around the parts the script swaps in place (outside.py)."""
        tag = (
            f'<script src="{self.mount_path}{RELOAD_PATH}" data-epoch="{int(epoch)}" '
            f'data-request="{timestamp()}" data-base="{self.mount_path}" data-outside="{outside.digest(content)}"></script>'
        ).encode()
        end = content.rfind(b"</body>")
        end = len(content) if end == -1 else end
        return content[:end] + tag + content[end:]


def watched_by(server: LiveReloadServer) -> dict[str, bool]:
    """The paths MkDocs' server watches (its docs, mkdocs.yml, the theme under --watch-theme, what
    plugins asked for), each with whether below it too: from its observer, through watchdog's
    public API (MkDocs tells plugins no other way). A path watched twice is watched once here."""
    watches = [e.watch for e in server.observer.emitters]  # a file's watch is its folder's (watchdog 5+)
    return {str(getattr(w, "raw_path", w.path)): w.is_recursive for w in watches}


@functools.lru_cache  # one line per browser tab, as MkDocs
def _browser_connected(url: str | None) -> None:
    log.info("Browser connected: %s", url)


#: Theme files named by their content's digest (Material's `main.<digest>.min.css`): kept as they are.
_DIGEST_NAMED = re.compile(r"assets/(?:stylesheets|javascripts)/(?:[\w-]+/)*[\w-]+\.[0-9a-f]{8}\.min\.(?:css|js)")


def _caching(relative: str) -> str:
    """How long a browser may keep a file: a reload after a save fetched every stylesheet and script
    whole, each request waiting for the interpreter while the build went on and the page shown only
    once they came. Digest-named files are kept; others are asked about again by ETag (304)."""
    return "max-age=31536000, immutable" if _DIGEST_NAMED.fullmatch(relative) else "no-cache"


def _guess_type(path: str) -> str:
    """MkDocs' choice: scripts as JavaScript, .gz as gzip, else the standard library's guess."""
    if path.endswith((".js", ".JS", ".mjs")):
        return "application/javascript"
    if path.endswith(".gz"):
        return "application/gzip"
    return mimetypes.guess_type(path)[0] or "application/octet-stream"


def _relative(path: str) -> str:
    try:
        return os.path.relpath(path) if os.path.abspath(path).startswith(os.getcwd() + os.sep) else path
    except ValueError:
        return path


def _quiet_when_unchanged(handler: Any) -> Any:
    """The engine's request handler, logging a 304 (a file the browser has: `_caching`) as it logs
    a 200, at debug level: it logs any other code as a warning, and a served build's warnings
    are problems under `strict` (a reload's 304s made the next build stop)."""

    class Handler(handler):
        def log_request(self, code: Any = "-", size: Any = "-") -> None:
            if str(code) == "304":
                log.debug('"%s" code 304', getattr(self, "requestline", ""))
            else:
                super().log_request(code, size)

    return Handler
