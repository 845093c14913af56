"""The suite's processor time (user + system of every process a run starts, Chromium's included):
what a run costs on a shared machine, where wall time is noise. Hooks imported by conftest.py, which
registers them; `.ci/run` prints the total, and TRACKSITE_TEST_CPU=file writes each test's figure."""

from __future__ import annotations

import json
import os
import resource

import pytest


def _processor_seconds() -> tuple[float, float]:
    """User and system seconds of this process and of every child it has waited for (the
    builds and commands tests start as subprocesses)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + children.ru_utime, own.ru_stime + children.ru_stime


_BROWSERS: list[int] = []  # the session's Playwright driver (its Chromium's parent), while it runs
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _browser_seconds() -> float:
    """Processor seconds the session's Chromium has used so far: utime, stime and the reaped
    children's cutime and cstime of each live process under the Playwright driver (renderers come
    and go with pages; each is reaped by the browser's zygote). Without it a browser test's figure
    leaves out what its pages cost Chromium, most of what it costs, and the driver is reaped only
    when the session ends. A scan of /proc, about a millisecond, made only while a browser runs."""
    return sum(_browser_tree().values()) / _TICKS


def _browser_tree() -> dict[int, int]:
    """Each process under the session's Playwright driver, with its processor time in ticks."""
    if not _BROWSERS:
        return {}
    processes = _processes()
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in processes.items():
        children.setdefault(parent, []).append(pid)
    tree, found = list(_BROWSERS), {}
    while tree:
        pid = tree.pop()
        found[pid] = processes.get(pid, (0, 0))[1]
        tree += children.get(pid, [])
    return found


def _processes() -> dict[int, tuple[int, int]]:
    """Each live process's parent and processor time in clock ticks, its reaped children's
    included (/proc; none where there is no /proc)."""
    found = {}
    for name in os.listdir("/proc") if os.path.isdir("/proc") else ():
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat", "rb") as stat:
                    fields = stat.read().rsplit(b")", 1)[1].split()
            except OSError:  # it ended meanwhile: its parent's cutime has it
                continue
            found[int(name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]))
    return found


def _spent() -> float:
    return sum(_processor_seconds()) + _browser_seconds()


_WORKERS: list[tuple[float, float]] = []  # what each xdist worker reported when it finished
_BY_FILE: dict[str, float] = {}  # processor seconds of each test file's tests (setup and teardown included)
# what session fixtures cost, on lines of their own: the first test to ask for a shared build is
# not what it costs (the session's Chromium is counted as each test uses it: _browser_seconds)
# TRACKSITE_TEST_CPU=file: every test's own figure too, as JSON lines (one per process), to find
# what to cut
_BY_TEST: dict[str, float] | None = {} if os.environ.get("TRACKSITE_TEST_CPU") else None
_SHARED = [0.0]  # processor seconds already given to such a line (the test's own figure leaves them out)
SESSION_TEARDOWN = "(session fixtures' teardown: Chromium, servers and what they started)"


def _shared(name: str, before: float) -> None:
    spent = _spent() - before
    _BY_FILE[name] = _BY_FILE.get(name, 0.0) + spent
    _SHARED[0] += spent


class _SessionFixtures:
    """A plugin of its own (pytest_configure), not a hook of this file: pytest asks a conftest's
    hooks only about nodes in its folder, and a session fixture's node is the session."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        before = _spent() if fixturedef.scope == "session" else 0.0
        yield
        if fixturedef.scope == "session":
            _shared(f"(session fixture {fixturedef.argname})", before)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_SessionFixtures(), "tracksite-session-fixtures")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    before = _spent() if nextitem is None else 0.0
    yield
    if nextitem is None:  # the session's last test: its teardown is the session fixtures'
        _shared(SESSION_TEARDOWN, before)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item):
    before, shared = _spent(), _SHARED[0]
    yield
    own = _spent() - before - (_SHARED[0] - shared)
    _BY_FILE[item.location[0]] = _BY_FILE.get(item.location[0], 0.0) + own
    if _BY_TEST is not None:
        _BY_TEST[item.nodeid] = own


@pytest.hookimpl(trylast=True)  # after the session's fixtures (Chromium, servers) are torn down
def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
    if _BY_TEST is not None and not _WORKERS:  # each process that ran tests writes its own line
        shared = {name: seconds for name, seconds in _BY_FILE.items() if name.startswith("(")}
        with open(os.environ["TRACKSITE_TEST_CPU"], "a") as out:
            out.write(json.dumps({**_BY_TEST, **shared}) + "\n")
    if workeroutput is not None:  # an xdist worker: its figures travel to the controller
        workeroutput["processor_seconds"] = _processor_seconds()
        workeroutput["processor_seconds_by_file"] = dict(_BY_FILE)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    output = getattr(node, "workeroutput", {})
    if output.get("processor_seconds"):
        _WORKERS.append(tuple(output["processor_seconds"]))
    for name, seconds in output.get("processor_seconds_by_file", {}).items():
        _BY_FILE[name] = _BY_FILE.get(name, 0.0) + seconds


def pytest_terminal_summary(terminalreporter) -> None:
    """The run's processor time, user and system, of every process it started: this one, the
    xdist workers and the subprocesses each waited for (the figure to compare between runs;
    `--durations` lists the slowest tests)."""
    own_user, own_system = resource.getrusage(resource.RUSAGE_SELF)[:2]
    if not _WORKERS:  # no workers: the children waited for are the tests' own subprocesses
        own_user, own_system = _processor_seconds()
    user = own_user + sum(w[0] for w in _WORKERS)
    system = own_system + sum(w[1] for w in _WORKERS)
    processes = f"this process, {len(_WORKERS)} xdist workers and" if _WORKERS else "this process and"
    if len(_BY_FILE) > 1:
        top = sorted(_BY_FILE.items(), key=lambda kv: -kv[1])[:15]
        terminalreporter.write_line("processor time by test file and shared fixture (the 15 costliest):")
        for name, seconds in top:
            terminalreporter.write_line(f"{seconds:8.1f} s  {name}")
    terminalreporter.write_line(
        f"processor time: {user + system:.0f} s (user {user:.0f} s, system {system:.0f} s) of {processes} "
        "the subprocesses waited for"
    )
