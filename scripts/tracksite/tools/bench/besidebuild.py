"""A second, unrelated `mkdocs build` kept running while `mkdocs serve`'s saves are timed.

Issue 76 asks that a save show within 1.5 s at 1,000 lessons "beside a second build": an
instructor's machine also builds (another course, a CI job, the PDF export), and a save that is
fast only on an idle machine is fast in the quiet minutes only. The second build is a copy of the
served course in a folder of its own, built again and again, each time cold, into its own site,
with a state folder of its own (`TRACKSITE_CACHE_DIR` pointed inside its folder, core/localstate.py):
it shares nothing with the served course's cache, only the machine's cores, memory and disk.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from tracksite.core import localstate
from tracksite.tools.bench.measure import ENV, BenchError

#: Seconds the second build runs before the first save is timed: past Python's start-up and the
#: configuration, into the check and the pages, where it uses the cores.
SETTLE = 3.0
#: Seconds `check` waits for the next run to start when one has just ended.
GAP = 10.0


class SecondBuild:
    """A copy of `project` in `work`, built in a loop by `running()`; `check()` before each save
    says a build is running, `remove()` deletes the copy, its sites and its state folders."""

    def __init__(self, project: Path, work: Path) -> None:
        self.work = work
        self.course = work / "course"
        shutil.copytree(project, self.course, ignore=shutil.ignore_patterns("site"))
        if hasattr(os, "sync"):
            os.sync()  # (the copy's write-back not in the saves' time)
        self.started = 0  # runs started
        self.finished = 0  # runs that ended by themselves, successfully
        self.error: str | None = None
        self._proc: subprocess.Popen | None = None
        self._lock = threading.Lock()
        self._stop = threading.Event()

    def _launch(self) -> subprocess.Popen:
        """One cold build: a state folder no run has used, the site into the copy's own folder."""
        n = self.started
        self.started += 1
        env = {**ENV, localstate.ENV: str(self.work / f"state-{n}")}
        cmd = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(self.work / "site")]
        with open(self.work / f"build-{n}.log", "wb") as log:
            return subprocess.Popen(
                cmd,
                cwd=self.course,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,
            )

    def _loop(self) -> None:
        """Start the next run as soon as one ends; stop at the first failure (`error`)."""
        while not self._stop.is_set():
            proc = self._proc
            assert proc is not None
            code = proc.wait()
            if self._stop.is_set():
                return
            n = self.started - 1
            if code != 0:
                tail = (self.work / f"build-{n}.log").read_text(errors="replace")[-2000:]
                self.error = f"the second build (`mkdocs build` of a copy of the course) failed ({code}):\n{tail}"
                return
            self.finished += 1
            with self._lock:
                if self._stop.is_set():
                    return
                self._proc = self._launch()
            shutil.rmtree(self.work / f"state-{n}", ignore_errors=True)  # (the next run is cold)

    @contextlib.contextmanager
    def running(self, settle: float = SETTLE) -> Iterator[SecondBuild]:
        """The builds in a loop from entry to exit, the first `settle` seconds old on entry;
        stopped (every process of the run killed) however the block ends."""
        self._stop.clear()
        with self._lock:
            self._proc = self._launch()
        thread = threading.Thread(target=self._loop, name="second-build", daemon=True)
        thread.start()
        try:
            time.sleep(settle)
            self.check()
            yield self
        finally:
            self._stop.set()
            with self._lock:
                proc = self._proc
            if proc is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            thread.join(30)

    def check(self) -> None:
        """A build is running now: the run in progress, or the next one if one has just ended;
        a failed run, or none within `GAP` seconds, ends the benchmark (its saves would not be
        beside a build)."""
        deadline = time.perf_counter() + GAP
        while True:
            if self.error is not None:
                raise BenchError(self.error)
            proc = self._proc
            if proc is not None and proc.poll() is None:
                return
            if time.perf_counter() > deadline:
                raise BenchError(f"the second build was not running (no run started within {GAP:.0f} s)")
            time.sleep(0.01)

    def remove(self) -> None:
        """The copy, its site, its logs and its state folders."""
        shutil.rmtree(self.work, ignore_errors=True)
