"""Timing `mkdocs serve`: the first page served, and each saved lesson shown, two ways.

Each save is timed twice at once: in Chromium, from the save to the new sentence on the open
page (the server's rebuild, its reload signal and the browser's reload: what the instructor
sees), and by fetching the page over HTTP every 20 ms until it holds the sentence (the server's
side alone). With a second build (besidebuild.py) the saves are timed again while an unrelated
`mkdocs build` runs, and the load average before and after each set of saves says how busy the
machine was: issue 76 judges a save on a quiet machine and beside a second build apart.
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from tracksite.core import localstate
from tracksite.core.markdown import references as refs
from tracksite.tools.bench.besidebuild import SecondBuild
from tracksite.tools.bench.measure import ENV, BenchError, PeakMemory, _log, drop_aside
from tracksite.tools.bench.peers import clear_cache

#: Seconds between two fetches of the saved page (the issue's "a page polled every 20 ms").
POLL_EVERY = 0.02


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str, timeout: float = 30) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except (OSError, urllib.error.URLError, ValueError):
        return None


def load_average() -> float | None:
    """The machine's load average over the last minute (None where the system does not say)."""
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:  # pragma: no cover
        return None


def measure_serve(
    project: Path,
    source: Path,
    page_url: str,
    *,
    edits: int = 3,
    timeouts: tuple[float, float] = (900, 60),
    port: int | None = None,
    beside: SecondBuild | None = None,
) -> dict[str, Any]:
    """`mkdocs serve` on 127.0.0.1 with the page open in Chromium, as an instructor previews a
    lesson: seconds until the first page is served, then `edits` saves of `source` (a lesson's
    text), each timed in the browser and by polling (`_Saves`), then with `beside` as many more
    while a second build runs; and the server's peak memory over it all. `timeouts`: seconds
    allowed for the first page, and for each edit. `port`: a restart's, the first start's (the
    served pages name their address: another port renders them anew)."""
    start_timeout, edit_timeout = timeouts
    port = port or _free_port()
    url = f"http://127.0.0.1:{port}/{page_url}"
    original = source.read_text(encoding="utf-8")
    log = project.parent / f"{project.name}-serve.log"  # not in the project: the caches read every file there
    load_before = load_average()
    with open(log, "wb") as logfile:
        proc = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            stdout=logfile,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            env=ENV,
            start_new_session=True,
        )
    memory = PeakMemory(proc.pid)
    try:
        started = time.time()
        ready = _first_page(url, proc, log, start_timeout)
        out: dict[str, Any] = {"ready": ready, "edits": [], "polled": [], "beside": None}
        out["load"] = [load_before, load_average()]
        since, restored = started, None  # with no edit, the first build is the one kept
        if edits:  # (a restart: only the first page is timed, and no browser is started for it)
            saves = _Saves(url, source, original, edit_timeout, proc, log)
            out.update(_timed_saves(saves, edits, load_before, beside))
            since = time.time()
            source.write_text(original, encoding="utf-8")  # the restart finds the sources as they began
            restored = saves.restored
        _wait_kept(project, proc.pid, since, log, start_timeout, restored)
        peak = memory.stop()
        return {**out, "port": port, "memory": peak, "resident": memory.resident}
    finally:
        memory.stop()
        _stop_server(proc)
        if source.read_text(encoding="utf-8") != original:  # (rewritten, its time would count as a change)
            source.write_text(original, encoding="utf-8")


def _timed_saves(saves: _Saves, edits: int, load_before: float | None, beside: SecondBuild | None) -> dict[str, Any]:
    """`edits` saves with the page open, then, with `beside`, as many more beside a second build."""
    with saves.page():
        out = saves.run(edits, load_before)
        if beside is not None:
            with beside.running():
                out["beside"] = saves.run(edits, load_average(), beside.check)
                out["beside"].update(started=beside.started, finished=beside.finished)
    return out


def _stop_server(proc: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def _first_page(url: str, proc: Any, log: Path, timeout: float) -> float:
    """Seconds until the started server serves `url`."""
    start = time.perf_counter()
    while _fetch(url, timeout=5) is None:
        if proc.poll() is not None:
            raise BenchError(f"mkdocs serve stopped ({proc.returncode}):\n{log.read_text()[-2000:]}")
        if time.perf_counter() - start > timeout:
            raise BenchError(f"mkdocs serve did not serve {url} within {timeout:.0f} s")
        time.sleep(0.2)
    return time.perf_counter() - start


def _wait_kept(
    project: Path, pid: int, since: float, log: Path, timeout: float = 120, restored: Callable[[], bool] | None = None
) -> None:
    """Until the server has kept a build that began after `since` (adapter/serve/lastsite.py removes
    the run's key when a build starts and writes it once the build and its search index are done),
    as an instructor stops a server some time after the last save; the restart is measured on what
    a real session leaves. `restored` (the page no longer holds the last save's sentence) is asked
    first: a key seen after it is the restored sources' build's, not the last save's, whose search
    index may finish after `since` on a busy machine (the restart would then build every page)."""

    def kept() -> bool:
        if restored is not None and not restored():
            return False
        keys = (localstate.path(project, "tracksite") / "serve").glob(f"{pid}-*/key")
        return any(k.stat().st_mtime > since for k in keys if k.exists())

    deadline = time.perf_counter() + timeout
    while not kept():
        if time.perf_counter() > deadline:
            raise BenchError(
                f"mkdocs serve did not keep its site within {timeout:.0f} s of the last save; its last "
                f"lines:\n{log.read_text(errors='replace')[-2000:]}"
            )
        time.sleep(0.2)


class PagePoll:
    """The saved page fetched over HTTP every `POLL_EVERY` s (in a thread, from `saved` on) until
    it holds `marker`: the seconds the server took to serve the save, the browser left out."""

    def __init__(self, url: str, marker: str, saved: float, timeout: float) -> None:
        self.url, self.marker, self.saved, self.timeout = url, marker, saved, timeout
        self.seconds: float | None = None
        self.fetches = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, name="page-poll", daemon=True)
        self._thread.start()

    def _poll(self) -> None:
        while not self._stop.is_set():
            body = _fetch(self.url, timeout=self.timeout)
            self.fetches += 1
            if body is not None and self.marker in body:
                self.seconds = time.perf_counter() - self.saved
                return
            if time.perf_counter() - self.saved > self.timeout:
                return
            # the next fetch 20 ms after the last one began (at once if that one took longer)
            self._stop.wait(max(0.0, self.saved + self.fetches * POLL_EVERY - time.perf_counter()))

    def result(self) -> float:
        """The seconds until the page held the marker (waiting for the poll, up to its timeout)."""
        self._thread.join(self.timeout)
        self.stop()
        if self.seconds is None:
            raise BenchError(f"{self.url} did not hold the saved sentence within {self.timeout:.0f} s")
        return self.seconds

    def stop(self) -> None:
        self._stop.set()


_SHOWS = "(m) => !!document.body && document.body.innerText.includes(m)"


class _Saves:
    """Saves of one lesson with its page open in Chromium, each timed in the page and by `PagePoll`."""

    def __init__(self, url: str, source: Path, original: str, timeout: float, proc: Any, log: Path) -> None:
        self.url, self.source, self.original, self.timeout = url, source, original, timeout
        self.proc, self.log = proc, log
        self._page: Any = None
        self._count = 0
        self._marker = ""

    def restored(self) -> bool:
        """The page is served without the last save's sentence (the sources restored were rebuilt)."""
        body = _fetch(self.url, timeout=5)
        return body is not None and self._marker not in body

    @contextlib.contextmanager
    def page(self) -> Iterator[None]:
        """Chromium, headless, with the lesson open, for the saves inside the block."""
        from playwright.sync_api import Error, sync_playwright

        self._page_error = Error  # what a look at the page while it reloads can raise (`_save`)
        chromium = shutil.which("chromium") or shutil.which("chromium-browser")
        if chromium is None:
            raise BenchError("the serve benchmark needs Chromium (apt-get install chromium)")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--headless", "--no-sandbox", "--disable-gpu"])
            try:
                self._page = browser.new_page()
                self._page.set_default_timeout(self.timeout * 1000)
                self._page.goto(self.url, wait_until="load")
                yield
            finally:
                browser.close()

    def run(self, edits: int, load_before: float | None, check: Callable[[], None] | None = None) -> dict[str, Any]:
        """`edits` saves: the seconds to the new text in the page (`edits`) and in the fetched page
        (`polled`), and the load average before the first and after the last (`load`). `check`
        before and after each save (the second build is running)."""
        shown, polled = [], []
        for _ in range(edits):
            self._page.wait_for_timeout(1000)  # the page's reload poll is waiting again
            if check is not None:
                check()
            browser, server = self._save()
            if check is not None:
                check()
            shown.append(browser)
            polled.append(server)
        return {"edits": shown, "polled": polled, "load": [load_before, load_average()]}

    def _save(self) -> tuple[float, float]:
        """One save: (seconds to the sentence in the open page, seconds to it in the fetched page)."""
        self._count += 1
        marker = self._marker = f"bench{os.getpid()}x{self._count}x{random.randrange(10**9)}"
        text = self.original + f"\nThis sentence was added by the benchmark: {marker}.\n"
        self.source.write_text(text, encoding="utf-8")
        saved = time.perf_counter()
        poll = PagePoll(self.url, marker, saved, self.timeout)
        try:
            while True:  # the page checked every 10 ms; a check during its reload fails and is tried again
                with contextlib.suppress(self._page_error):
                    if self._page.evaluate(_SHOWS, marker):
                        shown = time.perf_counter() - saved
                        break
                if time.perf_counter() - saved > self.timeout:
                    raise BenchError(
                        f"the edit of {self.source} did not show within {self.timeout:.0f} s; the server's "
                        f"last lines:\n{self.log.read_text(errors='replace')[-2000:]}"
                    )
                if self.proc.poll() is not None:
                    raise BenchError(f"mkdocs serve stopped ({self.proc.returncode}):\n{self.log.read_text()[-2000:]}")
                time.sleep(0.01)
            server = poll.result()
        finally:
            poll.stop()
        self._page.wait_for_load_state("load")
        return shown, server


# -- the sizes' and the bundled course's serve measures -----------------------------------------


def serve_course(
    result: Any, source: Path, edits: int, timeout: float, *, beside: bool = False, work: Path | None = None
) -> None:
    """`mkdocs serve` of a synthetic course (a `run.SizeResult`), cache empty, `source` edited
    (and, with `beside`, edited again beside a second build of a copy in `work`); then started again."""
    n, project = result.n, source.parents[3]
    _log(f"N={n}: mkdocs serve, {edits} edits of {source.parent.name}, the page open in Chromium")
    clear_cache(project)  # the first start converts every page; the restart finds them kept
    waits = (timeout, min(timeout, 300.0))  # (start, edit): at 10,000 lessons a start takes minutes
    result.serve = _with_second_build(
        project,
        work if beside else None,
        lambda second: measure_serve(project, source, result.lesson_url, edits=edits, timeouts=waits, beside=second),
    )
    _log(f"N={n}: serve ready after {result.serve['ready']:.1f} s; peak memory {result.serve['memory'] / 1e6:,.0f} MB")
    _log_saves(f"N={n}", result.serve)
    port = result.serve["port"]
    result.restart = measure_serve(project, source, result.lesson_url, edits=0, port=port, timeouts=waits)
    _log(f"N={n}: serve started again (sources as the last save left them): {result.restart['ready']:.1f} s")
    drop_aside()  # the cache moved aside before the first start


def _with_second_build(
    project: Path, work: Path | None, measure: Callable[[SecondBuild | None], dict[str, Any]]
) -> dict[str, Any]:
    """`measure` given a second build of a copy of `project` in `work` (None without `work`),
    the copy removed afterwards whatever happens."""
    second = SecondBuild(project, work) if work is not None else None
    try:
        return measure(second)
    finally:
        if second is not None:
            second.remove()


def _log_saves(where: str, serve: dict[str, Any]) -> None:
    def seconds(values: list[float]) -> str:
        return ", ".join(f"{t:.2f}" for t in values) + " s"

    for label, saves in (("quiet", serve), ("beside a second build", serve.get("beside"))):
        if saves:
            _log(
                f"{where}: saves ({label}, load {saves['load'][0]} -> {saves['load'][1]}) shown after "
                f"{seconds(saves['edits'])}; served after {seconds(saves['polled'])}"
            )


#: The bundled course's lesson the serve benchmark edits.
BUNDLED_LESSON = ("transformers-and-llms", "attention-mechanism")


def bench_bundled_serve(repo: Path, work: Path, edits: int, *, beside: bool = False) -> dict[str, Any]:
    """`mkdocs serve` of a copy of the bundled course, one lesson edited `edits` times (and as
    many more beside a second build of another copy, with `beside`)."""
    course = work / "bundled"
    for name in ("lessons", "cheatsheets", "docs", "overrides"):
        if (repo / name).is_dir():
            shutil.copytree(repo / name, course / name)
    shutil.copy(repo / "mkdocs.yml", course / "mkdocs.yml")
    track, slug = BUNDLED_LESSON
    _log(f"bundled course: mkdocs serve, {edits} edits of {track}/{slug}, the page open in Chromium")
    source, url = course / "lessons" / track / slug / "lesson.md", refs.url("lesson", track, slug)
    out = _with_second_build(
        course,
        work / "beside" if beside else None,
        lambda second: measure_serve(course, source, url, edits=edits, beside=second),
    )
    _log_saves("bundled course", out)
    return out
