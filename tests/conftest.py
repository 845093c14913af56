"""Shared fixtures: built sites (the bundled course and the small fixture course) and a real
Chromium driven by Playwright. With CI=true a missing browser fails the run instead of skipping."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest

import harness
from course import REPO, make_course
from tracksite.core import localstate
from tracksite.localserver import serve_folder

IN_CI = os.environ.get("CI", "").lower() == "true"
_PLAYWRIGHT_DISABLED = (  # Playwright 1.65's --disable-features, repeated: Chromium keeps the last
    "AvoidUnnecessaryBeforeUnloadCheckSync,DestroyProfileOnBrowserClose,HttpsUpgrades,"
    "HttpsFirstBalancedModeAutoEnable,LensOverlay,MediaRouter,PaintHolding,ThirdPartyStoragePartitioning,"
    "AvoidCorsURLLoaderRestartOnRedirect,TcpPortRandomizationWin,OptimizationHints,NetworkTimeServiceQuerying,"
    "AimEnabled,PreconnectToSearch,msForceBrowserSignIn,msEdgeUpdateLaunchServicesPreferredVersion"
)
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # A new context (the tests open about 60) starts a spare renderer, mostly unused here, and
    # the software compositor has a GPU process of its own: without both, ten contexts loading a
    # lesson each cost 15.0 instead of 15.9 processor seconds. Nothing the pages do changes.
    "--in-process-gpu",
    f"--disable-features={_PLAYWRIGHT_DISABLED},SpareRendererForSitePerProcess",
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
# what session fixtures cost, on lines of their own: the first test to ask for a shared build is not what it
# costs (the session's Chromium is counted as each test uses it: _browser_seconds)
# TRACKSITE_TEST_CPU=file: every test's own figure too, as JSON lines (one per process), to find what to cut
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
    harness.freeze_session()  # the collected tests and the modules, out of the collector's passes


def run_mkdocs(
    project: Path, *args: str, site: Path | None = None, processes: int | None = None, process: bool = False
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of `project`, with output captured: in this process through MkDocs' own command
    line (tests/harness.py), or as a user runs it in a process of its own with `process=True`;
    `processes` sets TRACKSITE_PROCESSES for it (the test session's own setting otherwise)."""
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
    others = _processes()
    with sync_playwright() as p:  # its driver, Chromium's parent, is the child this process gained
        _BROWSERS[:] = [pid for pid, (parent, _) in _processes().items() if parent == os.getpid() and pid not in others]
        browser = p.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        with _adopting(set(_browser_tree()) - set(_BROWSERS)):  # the driver is reaped on leaving
            browser.close()
    _BROWSERS.clear()  # reaped: this process's children's time holds it now


@contextlib.contextmanager
def _adopting(pids: set[int]):
    """Reap those of `pids` the block leaves orphaned, so that their processor time counts:
    Chromium's browser process exits before its zygotes, which held the renderers' time (about
    half of what Chromium costs), and init reaped them. This process is their subreaper meanwhile
    (Linux's prctl; elsewhere they stay uncounted)."""
    subreaper = 36  # PR_SET_CHILD_SUBREAPER
    libc = ctypes.CDLL(None) if sys.platform == "linux" else None
    if libc is None or libc.prctl(subreaper, 1, 0, 0, 0) != 0:
        yield
        return
    try:
        yield
        deadline = time.monotonic() + 10
        while orphans := {pid for pid, (parent, _) in _processes().items() if parent == os.getpid() and pid in pids}:
            for pid in orphans:
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, os.WNOHANG)
            if time.monotonic() > deadline:
                break
            time.sleep(0.02)
    finally:
        libc.prctl(subreaper, 0, 0, 0, 0)


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


# what a test may leave on its page beyond one navigation: a page where any was used is closed
# after the test, and the next test gets a new one
_STICKY = (
    "route",
    "route_from_har",
    "route_web_socket",
    "expose_function",
    "expose_binding",
    "set_extra_http_headers",
    "add_locator_handler",
    "set_default_timeout",
    "set_default_navigation_timeout",
)


def _site_page(shared: dict, site_url: str):
    """The context's page for tests, made on first use: it collects console errors and off-site
    requests, notes its listeners and init scripts (removed after each test) and marks itself
    sticky when a test adds anything else that outlives a navigation."""
    if shared.get("page") is not None and not shared["page"].is_closed():
        return shared["page"]
    page = shared["context"].new_page()
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

    def noting(method, kind: str):
        def call(*args, **kwargs):
            result = method(*args, **kwargs)
            page.sticky |= kind == "sticky"
            page.listeners.append((args[0], args[1]) if kind == "listener" else result)
            return result

        return call

    page.on, page.once = noting(page.on, "listener"), noting(page.once, "listener")
    page.add_init_script = noting(page.add_init_script, "script")  # returns what removes it
    for name in _STICKY:
        setattr(page, name, noting(getattr(page, name), "sticky"))
    shared.update(page=page, viewport=page.viewport_size)
    return page


def _reuse(page, viewport: dict) -> bool:
    """Bring a test's page back to a new page's state (about:blank, no listener of the test's,
    the context's viewport, no emulated media, the pointer at the corner); False if it cannot."""
    if page.is_closed() or page.sticky:
        return False
    try:
        for added in page.listeners:
            page.remove_listener(*added) if isinstance(added, tuple) else added.close()
        page.mouse.move(0, 0)
        page.evaluate("() => { try { sessionStorage.clear(); } catch (e) {} }")  # per tab, not per origin
        page.goto("about:blank")  # before the wipe: the site's scripts may still store on leaving
        page.set_viewport_size(viewport)
        page.emulate_media(media="null", color_scheme="null", reduced_motion="null", forced_colors="null")
    except Exception:  # noqa: BLE001 (a crashed page, a dialog left open: a new page then)
        return False
    return True


@pytest.fixture
def browser_page(_page_context, site_url):
    """A page as new, with empty storage, on the bundled site; console errors and off-site
    requests are collected in `page.console_errors` and `page.foreign_requests`. The page shares
    the session's context (its HTTP cache) with the other tests' pages, and is the same page as
    the last test's where it can be: a new page costs Chromium a renderer process and its first
    navigation, about a third of what loading a lesson costs. Afterwards the page goes back to
    about:blank with the test's listeners and init scripts removed, its viewport and media reset
    (or closes, when the test added routes or bindings to it), the other pages the test opened
    close and the site's storage (local and session storage, IndexedDB, cookies, service workers,
    caches) is wiped; a test that reached any other origin gets the context closed instead."""
    shared = _page_context()
    page = _site_page(shared, site_url)
    page.console_errors, page.foreign_requests, page.listeners, page.sticky = [], [], [], False
    page.base_url = site_url
    yield page
    context, seen = shared["context"], shared["seen"]
    if seen - {_origin(site_url), "data://", "about://"}:
        context.close()
        shared.update(context=None, page=None)
        return
    if not _reuse(page, shared["viewport"]):
        if not page.is_closed():
            page.close()
        shared["page"] = None
    for other in context.pages[1:]:  # the first holds the DevTools session
        if other is not shared["page"]:
            other.close()
    shared["cdp"].send("Storage.clearDataForOrigin", {"origin": _origin(site_url), "storageTypes": "all"})
    seen.clear()
