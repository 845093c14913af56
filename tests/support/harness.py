"""The commands a user runs as processes (`mkdocs build`, `tracksite ...`), run in the test's own
process, as Sphinx's test fixtures build a project in the test process.

A build in a new interpreter pays its start-up and every import (MkDocs, Material, Markdown's
extensions, tracksite) again before it reads a file: on a busy machine 2.7 to 5.7 s for the small
fixture course, where the same build in a warm process takes about half a second. Most tests are about what a build writes
and says, not about the process boundary, so they run the command's own entry point here and get
the same `CompletedProcess` (exit code, stdout, stderr) a subprocess gives.

What a run changes in this process is put back when it ends, so that the next test starts as a
new process would: the working folder, the environment variables it was given, the `mkdocs`
loggers' handlers, level and filters (MkDocs' command line adds a handler and a duplicate filter
on every run, and the filter would silence a warning the previous build already printed), and
Python's warning filters. The caches tracksite keeps in memory are keyed by file stamps and
contents (they are what `mkdocs serve` rebuilds with), so they stay.

Kept as processes (`process=True` here, or `subprocess.run` in the test): exit codes and output
as a shell sees them, caches that a new process starts without, forked helpers, signals and
crashes, and installed entry points. CONTRIBUTING.md ("Tests") says when to use which. Where a
test needs a process of its own but not a cold one (a second build that finds only what the
first left on disk), `forked` runs the work in a fork of this process, and `forget_plugins`
makes a build there the process's first; the crash-safety tests fork their killed commands too,
and `forked_command` runs a command in a fork after a patch that breaks or kills it. `Spawned`
is a fork that keeps running beside the test (a server, a watch), with `Popen`'s handles.
"""

from __future__ import annotations

import contextlib
import gc
import io
import logging
import os
import pickle
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

from bs4 import BeautifulSoup
from mkdocs.__main__ import ColorFormatter, cli
from mkdocs.config.defaults import MkDocsConfig

from support import drives
from tracksite.commands.cli import main

TIMEOUT = 600  # seconds, for the commands still run as processes

T = TypeVar("T")

#: the loggers MkDocs' command line configures on every run
_LOGGERS = ("mkdocs", "mkdocs.commands.build")


@contextlib.contextmanager
def isolated(cwd: Path | None = None, env: Mapping[str, str | None] | None = None) -> Iterator[None]:
    """Run a command as if in a process of its own: `cwd` as the working folder, `env` set (None
    removes a variable), and the process-wide state a command line sets restored afterwards."""
    saved_cwd = os.getcwd()
    saved_env = {name: os.environ.get(name) for name in env or {}}
    saved_logs = {
        name: (log.handlers[:], log.filters[:], log.level, log.propagate)
        for name in _LOGGERS
        for log in [logging.getLogger(name)]
    }
    # a process starts without MkDocs' kept plugin instances: one kept from another test's course
    # would take this build for a rebuild of that course (as `mkdocs serve` rebuilds)
    forget_plugins()
    for name in _LOGGERS:  # as a new process has them: a filter left by an earlier run in this
        log = logging.getLogger(name)  # process (MkDocs' duplicate filter remembers every message
        log.handlers[:], log.filters[:] = [], []  # it let through) hid this run's same errors
        log.setLevel(logging.NOTSET)
        log.propagate = True
    try:
        for name, value in (env or {}).items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        if cwd is not None:
            os.chdir(cwd)
        with warnings.catch_warnings():
            yield
    finally:
        os.chdir(saved_cwd)
        for name, value in saved_env.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        for name, (handlers, filters, level, propagate) in saved_logs.items():
            log = logging.getLogger(name)
            log.handlers[:], log.filters[:] = handlers, filters
            log.setLevel(level)
            log.propagate = propagate


def _exit_code(exit_: SystemExit) -> int:
    if exit_.code is None:
        return 0
    if isinstance(exit_.code, int):
        return exit_.code
    print(exit_.code, file=sys.stderr)  # as the interpreter prints `sys.exit("message")`
    return 1


def _captured(run, args: list[str], cwd: Path | None, env: Mapping[str, str | None] | None):
    """`run()`'s exit code and output as a process would give them: an uncaught exception is
    printed as the interpreter prints it (a traceback on stderr) and exits 1."""
    out, err = io.StringIO(), io.StringIO()
    with isolated(cwd, env), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = run()
        except SystemExit as exit_:
            code = _exit_code(exit_)
        except Exception:  # noqa: BLE001 - what a process's uncaught exception does
            traceback.print_exc()
            code = 1
    return subprocess.CompletedProcess(args, code if isinstance(code, int) else 0, out.getvalue(), err.getvalue())


def mkdocs(
    project: Path,
    *args: str,
    site: Path | None = None,
    processes: int | None = None,
    strict: bool = True,
    process: bool = False,
    env: Mapping[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """`mkdocs build [--strict] ARGS [--site-dir SITE]` in the folder `project`, through MkDocs'
    own command line (its log format, its strict-mode abort, its exit codes); `processes` sets
    TRACKSITE_PROCESSES for it (the test session's own setting otherwise); `process=True` runs
    it as a subprocess, as a user types it."""
    argv = ["build", *(["--strict"] if strict else []), *args]
    drives.command(argv, project)
    if site is not None:
        argv += ["--site-dir", str(site)]
    variables: dict[str, str | None] = {"NO_MKDOCS_2_WARNING": "1", **(env or {})}
    if processes is not None:
        variables["TRACKSITE_PROCESSES"] = str(processes)
    if process:
        full = {**os.environ, **{k: v for k, v in variables.items() if v is not None}}
        cmd = [sys.executable, "-m", "mkdocs", *argv]
        return subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=TIMEOUT, env=full)

    def run() -> int:
        width = ColorFormatter.text_wrapper.width
        ColorFormatter.text_wrapper.width = 0  # a process with captured output does not wrap lines
        try:
            cli.main(argv, prog_name="mkdocs", standalone_mode=True)
        finally:
            ColorFormatter.text_wrapper.width = width
        return 0

    return _captured(run, ["mkdocs", *argv], Path(project), variables)


def build(project: Path, *args: str, site: Path | None = None, **options) -> Path:
    """`mkdocs build` of `project` (as `mkdocs` runs it, with the same options) that must succeed:
    the folder the site went to. The one build wrapper of the suite; a failure shows the log's end."""
    result = mkdocs(project, *args, site=site, **options)
    assert result.returncode == 0, result.stderr[-5000:]
    if site is not None:
        return Path(site)
    given = [args[i + 1] for i, arg in enumerate(args[:-1]) if arg in ("-d", "--site-dir")]
    return Path(project) / given[-1] if given else Path(project) / "site"


def page(site: Path, url: str) -> BeautifulSoup:
    """The built page at `url` (`lesson/` for `lesson/index.html`, or a file's own path) of the
    site in `site`, parsed with lxml as the suite reads every page: the one page reader."""
    path = Path(site) / url if url.endswith(".html") else Path(site) / url / "index.html"
    return soup(path)


def soup(path: Path) -> BeautifulSoup:
    """The HTML file at `path`, parsed with lxml."""
    return BeautifulSoup(Path(path).read_text(encoding="utf-8"), "lxml")


def tracksite(
    *args: str, cwd: Path | None = None, process: bool = False, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`tracksite ARGS` through the command line's entry point (`main`, which returns the exit
    code), in `cwd`; `process=True` runs it as a subprocess (`python -m tracksite.commands.cli`)."""
    variables: dict[str, str | None] = {"NO_MKDOCS_2_WARNING": "1", **(env or {})}
    drives.command(args, cwd)
    if process:
        full = {**os.environ, **{k: v for k, v in variables.items() if v is not None}}
        cmd = [sys.executable, "-m", "tracksite.commands.cli", *args]
        return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, env=full)
    return _captured(lambda: main(list(args)), ["tracksite", *args], cwd, variables)


def forked(run: Callable[[], T]) -> T:
    """`run()` in a fork of this process, its result handed back (pickled): for what must happen
    in a process of its own but not a cold one, say a second build that may find only what the
    first left on disk. The fork has all imports loaded (a new
    interpreter pays about half a second for them); it leaves by `os._exit`, so neither pytest's
    exit handlers nor its buffers run twice, and only the forking thread exists in it (xdist's
    threads stay in the parent). An exception in `run` is raised here again."""
    status, outcome = _fork(run)
    if outcome is None:
        raise RuntimeError(f"the forked run ended with {os.waitstatus_to_exitcode(status)} and no result")
    ok, value = outcome
    if not ok:
        raise value  # type: ignore[misc]
    return value  # type: ignore[return-value]


def forked_command(
    command: Callable[[], subprocess.CompletedProcess], patch: str = "", env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`command` (say `lambda: mkdocs(root)`) as a process of its own, a fork of this one, with
    `env` set and `patch` (Python source: code that breaks the machine under the command, or
    kills it at some step) run first, in the fork only. Its exit code is the one a shell sees:
    -9 when the patch killed it with SIGKILL, and then nothing of what it printed (its output
    was still in its buffers)."""

    def run() -> subprocess.CompletedProcess:
        os.environ.update(env or {})
        exec(patch, {})  # noqa: S102 - the test's own patch, in the fork only
        return command()

    status, outcome = _fork(run)
    if outcome is None:
        return subprocess.CompletedProcess(["forked"], os.waitstatus_to_exitcode(status), "", "")
    ok, value = outcome
    if not ok:
        raise value  # type: ignore[misc]
    return value  # type: ignore[return-value]


def _fork(run: Callable[[], T]) -> tuple[int, tuple[bool, object] | None]:
    """The wait status of a fork that ran `run()`, and what it handed back: (True, the result),
    (False, the exception as a RuntimeError), or None when it ended before it could."""
    with tempfile.TemporaryFile() as kept:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            try:
                freeze_inherited()
                for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGALRM):
                    signal.signal(sig, signal.SIG_DFL)
                try:
                    outcome: tuple[bool, object] = (True, run())
                except BaseException as error:  # handed to the parent, which raises it
                    outcome = (False, RuntimeError("".join(traceback.format_exception(error))))
                pickle.dump(outcome, kept, protocol=pickle.HIGHEST_PROTOCOL)
                kept.flush()
            finally:
                os._exit(0)
        status = os.waitpid(pid, 0)[1]
        kept.seek(0)
        try:
            return status, pickle.load(kept)
        except EOFError:
            return status, None


def freeze_inherited() -> None:
    """In a fork, first thing: leave every object it inherited out of the garbage collector's
    passes. A full pass touches each object it tracks, and each page of the parent's memory it
    touches is copied into the fork: from a test process of 200 MB a forked build of the small
    course cost three times its own work (0.4 s of processor time, not 0.14). The fork leaves
    by `os._exit`, so nothing it inherited needs collecting."""
    gc.freeze()


def freeze_session() -> None:
    """Once the tests are collected (conftest.py, `pytest_collection_modifyitems`): what the test
    session holds until it ends, every module imported so far and the collected tests, is left
    out of the garbage collector's passes from then on. A build in this process ends with a full
    collection (caches/parallel.py `give_back`), which walked them all on every build, where a
    new process's build walks only its own: a build of the small course in a process that had
    collected the suite cost 0.40 s of processor time, 0.24 s with them left out. Collected
    first, so that nothing already garbage stays."""
    gc.collect()
    gc.freeze()


#: the test file whose first test last froze the session (`freeze_between_files`)
_FROZEN_AT: list[str] = [""]


def freeze_between_files(path: str) -> None:
    """Before the first test of each test file a worker runs (conftest.py, `pytest_runtest_logstart`):
    what the session holds by then (the last file's fixtures are torn down) is collected and
    frozen again, as `freeze_session` froze the collected suite. Tests that test the collector
    let go of the session's freeze (`gc.unfreeze`: tests/search/test_search.py's parsed pages,
    tests/adapter/serve/test_serve_settle.py, `mkdocs serve`'s own full collection), and what the
    session imported and kept since (Playwright, torch, built sites) was never frozen: every
    in-process build's `give_back` then walked the whole worker (0.1 s in a worker of the adapter
    tests, 140,000 objects; 103 processor seconds of a whole run's builds, read by py-spy)."""
    if path != _FROZEN_AT[0]:
        _FROZEN_AT[0] = path
        freeze_session()


def share_compiled_templates() -> None:
    """Once a session (conftest.py): the builds of this process share the templates they compiled,
    as the rebuilds of one `mkdocs serve` process do (adapter/config/theme.py `CompiledTemplates`).
    A build keeps them in its own memory and in the course's state folder, and nearly every
    test's course is a new folder: each in-process build compiled Material's and tracksite's 45
    templates again, 0.3 s of the 0.55 s of processor time a build of the small fixture course
    took (0.23 s with them shared). A template is found by its name and file and used only for the
    same source (Jinja's checksum), and only for the same environment settings (the store's
    salt), so an edited template or override is compiled again; a course's state folder still
    gets every template its build used, as a new process's build would find them there."""
    from tracksite.adapter import plugin
    from tracksite.adapter.config import theme
    from tracksite.core import memo

    shared: dict[str, dict[str, bytes]] = {}

    class Shared(theme.CompiledTemplates):
        def using(self, env: Any, folder: Path | None) -> theme.CompiledTemplates:
            super().using(env, folder)
            self.code = shared.setdefault(self.salt, {})
            return self

        def load_bytecode(self, bucket: Any) -> None:
            super().load_bytecode(bucket)
            path = self._path(bucket)
            if bucket.code is not None and path is not None and not os.path.exists(path):
                super().dump_bytecode(bucket)  # (found in memory: the course's folder gets it too)

    def compiled_templates() -> theme.CompiledTemplates:
        return memo.current().owned("theme.compiled-templates", Shared)

    plugin.compiled_templates = compiled_templates


def forget_plugins() -> None:
    """Make the next build in this process its first: MkDocs keeps an instance of each plugin
    with an `on_startup` hook (tracksite's) for the whole process, which is how `mkdocs serve`
    carries state from one rebuild to the next, and tracksite's first build does what later ones
    do not (it reads and writes the check's findings in the state folder). For a fork that
    stands for a new process (`forked`)."""
    vars(MkDocsConfig)["plugins"].plugin_cache.clear()


class Spawned:
    """`run()` (a command's entry point, say `lambda: main(["check", "--watch"])`) as a running
    process of its own, a fork of this one, with `subprocess.Popen`'s handles: for a server or
    a watch that a test talks to, signals and stops, where a new interpreter paid about a
    second of processor time for its imports before it served anything. The fork starts as a
    new process would (see `isolated`; signals as the interpreter sets them: SIGINT raises
    KeyboardInterrupt), its standard streams are real file descriptors: `stdin` a pipe when
    asked, `stdout` a pipe (or a file, read with `written()`, where the test reads it only at the
    end: a pipe nobody reads can fill and stop the server), `stderr` a file or the same as
    stdout. It leaves by `os._exit` with `run`'s exit code."""

    def __init__(
        self,
        run: Callable[[], object],
        cwd: Path,
        *,
        stdin: bool = False,
        stdout_pipe: bool = True,
        merge_stderr: bool = False,
        text: bool = True,
        env: Mapping[str, str | None] | None = None,
    ) -> None:
        self._out = None if stdout_pipe else tempfile.TemporaryFile()
        self._err = None if merge_stderr else tempfile.TemporaryFile()
        child_in, self._in = os.pipe() if stdin else (os.open(os.devnull, os.O_RDONLY), -1)
        self._read, child_out = os.pipe() if stdout_pipe else (-1, os.dup(self._out.fileno()))
        child_err = child_out if merge_stderr else self._err.fileno()
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            for fd in (self._in, self._read):  # the parent's ends: stdin's end must close for EOF
                if fd >= 0:
                    os.close(fd)
            _spawned_child(run, cwd, env, (child_in, child_out, child_err))
        for fd in (child_in, child_out):
            os.close(fd)
        mode = "" if text else "b"
        self.stdin = os.fdopen(self._in, "w" + mode) if stdin else None
        self.stdout = os.fdopen(self._read, "r" + mode) if stdout_pipe else None
        self.stderr = None if merge_stderr else _Rewound(self._err, text)
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.poll() is None:
            if deadline is not None and time.monotonic() > deadline:
                raise subprocess.TimeoutExpired(["forked"], timeout or 0)
            time.sleep(0.02)
        return self.returncode  # type: ignore[return-value]

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            os.kill(self.pid, sig)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def written(self) -> str:
        """What the process wrote to its standard output (the file it writes to), so far."""
        assert self._out is not None, "stdout is a pipe: read it"
        self._out.seek(0)
        return self._out.read().decode("utf-8", "replace")


class _Rewound:
    """A temporary file read from its start, as a finished process's stderr pipe reads."""

    def __init__(self, file, text: bool) -> None:
        self._file, self._text = file, text

    def read(self):
        self._file.seek(0)
        data = self._file.read()
        return data.decode("utf-8", "replace") if self._text else data


def _spawned_child(run: Callable[[], object], cwd: Path, env, fds: tuple[int, int, int]) -> None:
    code = 1
    try:
        freeze_inherited()
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        for sig in (signal.SIGTERM, signal.SIGALRM):
            signal.signal(sig, signal.SIG_DFL)
        sys.stdin = io.TextIOWrapper(io.BufferedReader(io.FileIO(0, "r", closefd=False)), encoding="utf-8")
        sys.stdout, sys.stderr = (
            io.TextIOWrapper(io.BufferedWriter(io.FileIO(fd, "w", closefd=False)), "utf-8", errors, line_buffering=True)
            for fd, errors in ((1, "strict"), (2, "backslashreplace"))
        )
        ColorFormatter.text_wrapper.width = 0  # as in `mkdocs`: a process with captured output
        with isolated(cwd, {"NO_MKDOCS_2_WARNING": "1", **(env or {})}):
            try:
                result = run()
                code = result if isinstance(result, int) else 0
            except SystemExit as exit_:
                code = _exit_code(exit_)
    except BaseException:  # what a process's uncaught exception does (KeyboardInterrupt too)
        traceback.print_exc()
        code = 1
    finally:
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(BaseException):
                stream.flush()
        os._exit(code)
