"""Shared fixtures: built sites (the bundled course and the small fixture course) and a real
Chromium driven by Playwright. With CI=true a missing browser fails the run instead of skipping."""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from support import drives, harness
from support.course import REPO, make_course
from support.cputime import (  # noqa: F401 - hooks, registered by being names here
    _BROWSERS,
    _browser_tree,
    _processes,
    pytest_configure,
    pytest_runtest_protocol,
    pytest_runtest_teardown,
    pytest_sessionfinish,
    pytest_terminal_summary,
    pytest_testnodedown,
)
from support.sites import IN_CI, build_once, run_mkdocs
from support.widget_pages import WIDGETS, pages_with
from tracksite.core import localstate, sandbox
from tracksite.localserver import CHROMIUM_ARGS, serve_folder

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
drives.install()
harness.share_compiled_templates()  # every in-process build's templates compiled once a session
# The person who runs the suite may have asked for exercise code to run (issue 81's opt-in): the
# tests that run code ask themselves, and none other does.
os.environ.pop("TRACKSITE_RUN_CODE", None)
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
    # (tests/adapter/test_parallel.py), and the bundled course below is built with them.
    os.environ.setdefault("TRACKSITE_PROCESSES", "1")


# Every course's state folder (core/localstate.py: build caches, journals, downloads) in a
# temporary folder of this process's (each xdist worker's own), set before any test module is
# imported (several copy os.environ for their subprocesses then): the suite never writes into the
# user's real cache folder, and commands run as subprocesses inherit the setting.
LOCAL_STATE = Path(tempfile.mkdtemp(prefix="tracksite-test-state-"))
os.environ[localstate.ENV] = str(LOCAL_STATE)


def pytest_xdist_auto_num_workers(config: pytest.Config) -> int:
    """`-n auto` (pyproject.toml's addopts) starts one worker more than the cores it may use:
    much of a browser test's time is a wait (for Chromium, a server, a subprocess, an LMS's
    commit), and with a worker a core 13% of the processor stayed idle. The whole suite on 2
    cores took 0.58 s of wall time a processor second with 2 workers (two runs), 0.53 with 3
    (two runs) and 0.52 with 4 at more processor time: the third worker fills the waits, a
    fourth shares the cores more than it fills them."""
    return len(os.sched_getaffinity(0)) + 1


def pytest_unconfigure(config: pytest.Config) -> None:
    shutil.rmtree(LOCAL_STATE, ignore_errors=True)


#: the fixtures that drive what makes a test slow however many tests share them (support/drives.py
#: sees it only in the worker that builds it first, and in the first test that asks)
SLOW_FIXTURES = {"built_site": drives.BUILD, "export_site": drives.BUILD, "r_ready": drives.KNIT}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every test that starts Chromium (through the `chromium` fixture, however indirectly) is
    marked `browser`, so `-m "not browser"` leaves out exactly those, wherever they live. Browser
    tests run last: the quick tests report first, and a run stopped by its time budget
    (pyproject.toml's session_timeout) has still run everything that needs no browser; in each
    part the tests marked `slow` go first. The order is the same in every xdist worker, as xdist
    requires. Everything under tests/browser/ is marked too, so that the quick tier
    (`-m "not browser and not slow"`) never opens Chromium.
    `slow` is the test's own mark (what it drives: `pytest_runtest_makereport` below checks it),
    and the users of the shared fixtures that drive a whole-course build or an R knit get it."""
    for item in items:
        fixtures = getattr(item, "fixturenames", ())
        drives_chromium = "chromium" in fixtures or BROWSER_TESTS in item.path.parents
        if drives_chromium and item.get_closest_marker("browser") is None:
            item.add_marker(pytest.mark.browser)
        if SLOW_FIXTURES.keys() & set(fixtures) and item.get_closest_marker("slow") is None:
            item.add_marker(pytest.mark.slow)
    # within each part, the slow tests first. xdist's load scheduler shares a quarter of the suite
    # among the workers at the start, a block each (the first worker's holds the slow tests that
    # need no browser), and the rest in smaller blocks as workers free up, so they finish within a
    # test of each other and a file's tests mostly stay in one worker (its module-scoped fixtures
    # made once); --maxschedchunk=1 made them in two workers for 35 more files (with 2 workers)
    items.sort(
        key=lambda item: (item.get_closest_marker("browser") is not None, item.get_closest_marker("slow") is None)
    )
    harness.freeze_session()  # the collected tests and the modules, out of the collector's passes


def pytest_runtest_logstart(nodeid: str, location: tuple[str, int | None, str]) -> None:
    harness.freeze_between_files(location[0])  # the session out of the collector's passes again


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_setup(item: pytest.Item):
    drives.start()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """What a fixture drove stays with it, for every test that uses it after the first."""
    before = drives.taken()
    yield
    fixturedef.ts_drives = getattr(fixturedef, "ts_drives", set()) | set(drives.taken())
    drives.start()
    for line in before:
        drives.note(*line.split(": ", 1))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    """A test of the quick tier that drove a whole-course build, a repository copy or an R knit
    (support/drives.py), itself or through its fixtures, fails: it must be marked `slow`, so
    that the quick tier stays quick. (A browser test is out of the quick tier already.)"""
    outcome = yield
    report = outcome.get_result()
    if call.when != "call" or not report.passed or any(item.get_closest_marker(m) for m in ("slow", "browser")):
        return
    infos = getattr(item, "_fixtureinfo", None)
    fixtures = [defs[-1] for defs in (infos.name2fixturedefs.values() if infos else ()) if defs]
    driven = sorted(set(drives.taken()).union(*(getattr(f, "ts_drives", []) for f in fixtures)))
    if driven:
        report.outcome = "failed"
        report.longrepr = (
            f"{item.nodeid} drives what the quick tier leaves out, and is not marked slow:\n  "
            + "\n  ".join(driven)
            + "\nmark it @pytest.mark.slow (or its module: pytestmark), as CONTRIBUTING.md says"
        )


#: `mkdocs build --strict` as its command line runs it, then every tracksite module the process holds
_BUILD_AND_LIST = """
import sys
from mkdocs.__main__ import cli
try:
    cli(["build", "--strict", "--site-dir", sys.argv[1]])
finally:
    print("\\n".join(m for m in sys.modules if m.startswith("tracksite.")))
"""
#: a line of the interpreter's import log (PYTHONPROFILEIMPORTTIME): the module is its last column
_IMPORTED = re.compile(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)\s*$", re.M)


def _build_bundled(folder: Path) -> None:
    """The bundled course built in a process of its own, with helper processes as a user's machine
    builds it by default; what tracksite modules it imported is kept beside the site
    (`imported.txt`: those the build process holds at its end, and those the interpreter's import
    log shows any of its processes importing), so that the test that building never imports the
    tools reads it instead of building the course again (tests/architecture/test_layout.py)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TRACKSITE_PROCESSES": "2", "PYTHONPROFILEIMPORTTIME": "1"}
    result = subprocess.run(
        [sys.executable, "-c", _BUILD_AND_LIST, str(folder / "site")],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=harness.TIMEOUT,
        env=env,
    )
    assert result.returncode == 0, _IMPORTED.sub("", result.stderr).strip()[-5000:]
    imported = set(result.stdout.split()) | {m for m in _IMPORTED.findall(result.stderr) if m.startswith("tracksite.")}
    (folder / "imported.txt").write_text("\n".join(sorted(imported)) + "\n", encoding="utf-8")


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


#: Chromium's options for the tests beyond those `tracksite pdf` uses too (localserver.py). V8 compiles
#: Pyodide's WebAssembly (9.6 MB) with its baseline compiler and then compiles the hot functions again
#: with its optimising one, in background threads: a test's few lines of Python never repay that. Without
#: tier-up (processor seconds, Chromium's included, -n 0, a loaded machine): test_runnable_isolation.py
#: 22.7 and 18.0 instead of 26.4, test_runnable_interpreter_kept.py 43.0 instead of 45.5 (before its
#: tests shared a start), test_search_browser.py (no WebAssembly: mostly noise) 50.1 instead of 60.4.
#: Every run gives the same output, and a run's time limit is the page's clock. `tracksite bench` and
#: `tracksite pdf` keep Chromium's default. Issue 87 measured one Chromium launch, a lesson, intent,
#: Python's fresh start and one Run (processor seconds of the whole process tree, N=5, interleaved in
#: random order, load average 14-35): median 10.9 default, 12.4 --no-wasm-tier-up, 11.5 --liftoff-only,
#: 13.4 with --no-wasm-lazy-compilation too (eager: worse in 4 of 5 rounds), 11.3 with --single-threaded
#: too, 11.1 with --no-turbofan too, 10.1 with --disable-renderer-backgrounding and
#: --disable-background-timer-throttling too; a second round (N=4) ranked them otherwise: 9.7
#: --no-wasm-tier-up, 10.4 --liftoff-only, 11.7 and 11.5 those two with the background flags. No
#: variant differed beyond the rounds' own spread (1-4 s), so the flag stays as it was. The start itself costs about 7.4 of those seconds: the
#: same launch and lesson with Python's files held (support.course.hold_python) 3.7 (N=4). A trace of a
#: fresh start shows V8 still re-compiling the hot functions (dynamic tiering, 3.1 s of thread time),
#: and a start alone costs the same with the flag or without it (8.49 and 8.47 s, median of 3); over
#: whole tests it still saves: the runnable browser tests and test_code_channels.py (44 tests, -n 2,
#: interleaved) 225 and 217 processor s with it, 243 and 230 s without.
TEST_CHROMIUM_FLAGS = ["--js-flags=--no-wasm-tier-up"]


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
        browser = p.chromium.launch(executable_path=path, args=[*CHROMIUM_ARGS, *TEST_CHROMIUM_FLAGS])
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


@pytest.fixture(scope="module")
def lesson_url(built_site) -> str:
    """A lesson page (it has the "Mark lesson complete" widget) with every widget, for the browser
    tests of tests/browser/ and of each widget's home under tests/core/widgets/: the
    attention lesson today; else the lesson with the most kinds of widget."""
    lessons = set(pages_with(built_site, "progress"))
    counts = {}
    for widget in WIDGETS:
        for url in pages_with(built_site, widget):
            if url in lessons:
                counts[url] = counts.get(url, 0) + 1
    assert counts, "no lesson page of the built site has a widget"
    return max(sorted(counts), key=lambda url: counts[url])


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@pytest.fixture(scope="session")
def _page_context(chromium):
    """The browser contexts `browser_page` and `site_page` open their pages in, one for each set
    of context options while tests keep to the bundled site: a context of its own for each test
    parsed and compiled the site's scripts and styles again, half of what a page load costs, and
    started a renderer (a second a context, with its first load). Each one's first page holds the
    DevTools session that wipes storage between tests; `seen` holds the origins its pages have
    requested."""
    contexts: dict[str, dict] = {}

    def current(options: dict | None = None) -> dict:
        shared = contexts.setdefault(json.dumps(options or {}, sort_keys=True), {"context": None})
        if shared["context"] is None:
            context, seen = chromium.new_context(**(options or {})), set()
            context.on("request", lambda r: seen.add(_origin(r.url)))
            shared.update(context=context, cdp=context.new_cdp_session(context.new_page()), seen=seen)
        return shared

    yield current
    for shared in contexts.values():
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


def _handed(shared: dict, site_url: str):
    """The shared context's page, as new for a test (see `browser_page`)."""
    page = _site_page(shared, site_url)
    page.console_errors, page.foreign_requests, page.listeners, page.sticky = [], [], [], False
    page.base_url = site_url
    # the site's storage wiped as between tests, for a test that needs a new profile's midway
    page.wipe_storage = lambda: _wipe(shared, site_url)
    return page


def _wipe(shared: dict, site_url: str) -> None:
    shared["cdp"].send("Storage.clearDataForOrigin", {"origin": _origin(site_url), "storageTypes": "all"})


def _tidy(shared: dict, site_url: str) -> None:
    """After a test: the page back to a new page's state, the other pages closed and the site's
    storage wiped; the context closed instead where a test reached another origin."""
    context, seen, page = shared["context"], shared["seen"], shared["page"]
    if context is None:  # closed already (a test that had it from both fixtures)
        return
    if seen - {_origin(site_url), "data://", "about://"}:
        context.close()
        shared.update(context=None, page=None)
        return
    if page is not None and not _reuse(page, shared["viewport"]):
        if not page.is_closed():
            page.close()
        shared["page"] = None
    for other in context.pages[1:]:  # the first holds the DevTools session
        if other is not shared["page"]:
            other.close()
    _wipe(shared, site_url)
    seen.clear()


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
    yield _handed(shared, site_url)
    _tidy(shared, site_url)


@pytest.fixture
def site_page(_page_context, site_url):
    """`site_page(**context options)`: a page as `browser_page` hands one, in a context made with
    those options (a touch phone's, one without JavaScript, which a page cannot change) and
    shared with the other tests that ask for the same, each left as `browser_page` leaves its
    own. Its colour scheme is the page's to emulate (`browser_page` resets it after each test)."""
    used: list[dict] = []

    def open_page(**options):
        shared = _page_context(options)
        if all(shared is not other for other in used):
            used.append(shared)
        return _handed(shared, site_url)

    yield open_page
    for shared in used:
        _tidy(shared, site_url)


@pytest.fixture
def needs_sandbox():
    """The exercise sandbox: bubblewrap where .ci/run installs it (CI fails without it); a skip elsewhere
    (the sandbox, `--run-code` and `--in-page-python` tests share it)."""
    reason = sandbox.unavailable()
    if reason:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"no sandbox: {reason}; .ci/run installs bubblewrap")
        pytest.skip(reason)
