"""Shared fixtures: built sites (the bundled course and the small fixture course) and a real
Chromium driven by Playwright. With CI=true a missing browser fails the run instead of skipping."""

from __future__ import annotations

import contextlib
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import harness
from course import REPO, make_course
from tracksite.core import localstate
from tracksite.localserver import serve_folder

IN_CI = os.environ.get("CI", "").lower() == "true"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
# Hundreds of the suite's processes import tracksite (commands, builds, forks' children, xdist
# workers). Where the machine sets PYTHONDONTWRITEBYTECODE, a clean clone has no bytecode and
# each of them compiled the package again (about 0.1 s each, and each worker rewrote every test
# module's asserts): the first compiles it into __pycache__ (git-ignored; no wheel takes it) and
# the others read it. Benchmarks keep their own setting (tools/bench/measure.py).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False
if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
    # the workers already keep every core busy: a build that forked helpers beside them would only
    # share the same cores, and pay the forks. Helpers are tested where they are asked for
    # (tests/test_parallel.py), and the bundled course below is built with them.
    os.environ.setdefault("TRACKSITE_PROCESSES", "1")


# Every course's state folder (core/localstate.py: build caches, journals, downloads) in a
# temporary folder of this process's (each xdist worker's own), set before any test module is
# imported (several copy os.environ for their subprocesses then): the suite never writes into the
# user's real cache folder, and commands run as subprocesses inherit the setting.
LOCAL_STATE = Path(tempfile.mkdtemp(prefix="tracksite-test-state-"))
os.environ[localstate.ENV] = str(LOCAL_STATE)


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(LOCAL_STATE, ignore_errors=True)


# -- the suite's processor time: what a run costs on a shared machine, where wall time is noise ---
def _processor_seconds() -> tuple[float, float]:
    """User and system seconds of this process and of every child it has waited for (the
    builds and commands tests start as subprocesses)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + children.ru_utime, own.ru_stime + children.ru_stime


_WORKERS: list[tuple[float, float]] = []  # what each xdist worker reported when it finished
_BY_FILE: dict[str, float] = {}  # processor seconds of each test file's tests (setup and teardown included)
# what session fixtures cost, on lines of their own: the first test to ask for a shared build is
# not what it costs, and a session's Chromium is counted when it is reaped, in the last test's
# teardown, though every browser test used it
_SHARED = [0.0]  # processor seconds already given to such a line (the test's own figure leaves them out)
SESSION_TEARDOWN = "(session fixtures' teardown: Chromium, servers and what they started)"


def _shared(name: str, before: float) -> None:
    spent = sum(_processor_seconds()) - before
    _BY_FILE[name] = _BY_FILE.get(name, 0.0) + spent
    _SHARED[0] += spent


class _SessionFixtures:
    """A plugin of its own (pytest_configure), not a hook of this file: pytest asks a conftest's
    hooks only about nodes in its folder, and a session fixture's node is the session."""

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(self, fixturedef, request):
        before = sum(_processor_seconds())
        yield
        if fixturedef.scope == "session":
            _shared(f"(session fixture {fixturedef.argname})", before)


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(_SessionFixtures(), "tracksite-session-fixtures")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None):
    before = sum(_processor_seconds())
    yield
    if nextitem is None:  # the session's last test: its teardown is the session fixtures'
        _shared(SESSION_TEARDOWN, before)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item: pytest.Item):
    before, shared = sum(_processor_seconds()), _SHARED[0]
    yield
    own = sum(_processor_seconds()) - before - (_SHARED[0] - shared)
    _BY_FILE[item.location[0]] = _BY_FILE.get(item.location[0], 0.0) + own


@pytest.hookimpl(trylast=True)  # after the session's fixtures (Chromium, servers) are torn down
def pytest_sessionfinish(session: pytest.Session) -> None:
    workeroutput = getattr(session.config, "workeroutput", None)
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


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that starts Chromium (through the `chromium` fixture, however indirectly) is
    marked `browser`, so `-m "not browser"` leaves out exactly those, wherever they live. Browser
    tests run last: the quick tests report first, and a run stopped by its time budget
    (pyproject.toml's session_timeout) has still run everything that needs no browser. The order
    is the same in every xdist worker, as xdist requires."""
    for item in items:
        if "chromium" in getattr(item, "fixturenames", ()) and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


def run_mkdocs(
    project: Path, *args: str, site: Path | None = None, processes: int | None = None, process: bool = False
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of `project`, with output captured: in this process through MkDocs'
    own command line (tests/harness.py), or as a user runs it in a process of its own with
    `process=True`; `processes` sets TRACKSITE_PROCESSES for it (the test session's own
    setting otherwise)."""
    return harness.mkdocs(project, *args, site=site, processes=processes, process=process)


try:
    import fcntl
except ImportError:  # (Windows: no such lock; each worker builds its own)
    fcntl = None  # type: ignore[assignment]


def build_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder `build` makes, made once a test run however many xdist workers ask for it: each
    worker is a process with its own session and module fixtures, and a course build takes tens
    of seconds on the two cores CI has. The first worker to ask builds under a lock; the others
    wait and read the same folder (tests only read it). A build that failed leaves no mark, so the
    next worker to ask builds again and fails with its own message."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER") and fcntl is not None:
        shared = shared.parent  # the run's folder, above each worker's own
    shared = shared / "built-once"
    shared.mkdir(exist_ok=True)
    folder, done = shared / name, shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


def _build_bundled(folder: Path) -> None:
    result = run_mkdocs(REPO, site=folder / "site", processes=2, process=True)
    assert result.returncode == 0, result.stderr[-5000:]


def _build_fixture_course(folder: Path) -> None:
    result = run_mkdocs(make_course(folder / "course"))
    assert result.returncode == 0, result.stderr[-5000:]


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The bundled course, built once with --strict, with helper processes as a user's machine
    builds it by default."""
    return build_once(tmp_path_factory, "bundled", _build_bundled) / "site"


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The small two-track fixture course, built once."""
    return build_once(tmp_path_factory, "fixture", _build_fixture_course) / "course" / "site"


def _build_for_export(project: Path, site: Path) -> None:
    result = harness.tracksite("build", "--for-export", "--site-dir", str(site), cwd=project)
    assert result.returncode == 0, result.stderr[-5000:]


@pytest.fixture(scope="session")
def export_site(tmp_path_factory) -> Path:
    """The bundled course built as `tracksite export` builds it (`build --for-export`): each quiz,
    deck and exercise gives the exports its data, which the published site holds none of."""
    return build_once(tmp_path_factory, "bundled-export", lambda f: _build_for_export(REPO, f / "site")) / "site"


@pytest.fixture
def course(tmp_path) -> Path:
    """A fresh fixture course to modify and break."""
    return make_course(tmp_path / "course")


@pytest.fixture(scope="session")
def serve_site():
    """Serve a folder on 127.0.0.1 and return its base URL (tracksite's own server, the one
    `tracksite pdf` uses); servers stop with the session."""
    with contextlib.ExitStack() as servers:
        yield lambda folder: servers.enter_context(serve_folder(folder))


@pytest.fixture(scope="session")
def chromium():
    """A real Chromium (Debian's), or a skip outside CI when none is installed."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if IN_CI:
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if IN_CI:
            pytest.fail("playwright is not installed")
        pytest.skip("playwright is not installed")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def site_url(built_site, serve_site) -> str:
    return serve_site(built_site)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="session")
def _page_context(chromium):
    """The browser context `browser_page` opens its pages in, one while tests keep to the bundled
    site: a context of its own for each test parsed and compiled the site's scripts and styles
    again, half of what a page load costs. Its first page holds the DevTools session that wipes
    storage between tests; `seen` holds the origins the context's pages have requested."""
    shared: dict = {"context": None}

    def current() -> dict:
        if shared["context"] is None:
            context, seen = chromium.new_context(), set()
            context.on("request", lambda r: seen.add(_origin(r.url)))
            shared.update(context=context, cdp=context.new_cdp_session(context.new_page()), seen=seen)
        return shared

    yield current
    if shared["context"] is not None:
        shared["context"].close()


@pytest.fixture
def browser_page(_page_context, site_url):
    """A fresh page, with empty storage, on the bundled site; console errors and off-site
    requests are collected in `page.console_errors` and `page.foreign_requests`. The page shares
    the session's context (its HTTP cache) with the other tests' pages: afterwards the pages the
    test opened close and the site's storage (local storage, IndexedDB, cookies, service workers,
    caches) is wiped; a test that reached any other origin gets the context closed instead."""
    shared = _page_context()
    page = shared["context"].new_page()
    page.console_errors = []
    page.foreign_requests = []
    page.on("console", lambda m: page.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: page.console_errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            page.foreign_requests.append(r.url)
            if not r.url.startswith(site_url) and not r.url.startswith("data:")
            else None
        ),
    )
    page.base_url = site_url
    yield page
    context, seen = shared["context"], shared["seen"]
    if seen - {_origin(site_url), "data://", "about://"}:
        context.close()
        shared["context"] = None
        return
    for other in context.pages[1:]:  # the first holds the DevTools session
        other.close()
    shared["cdp"].send("Storage.clearDataForOrigin", {"origin": _origin(site_url), "storageTypes": "all"})
    seen.clear()
