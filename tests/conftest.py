"""Shared fixtures: built sites (the bundled course and the small fixture course) and a real
Chromium driven by Playwright. With CI=true a missing browser fails the run instead of skipping."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from course import REPO, make_course
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
if int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")) > 1:
    # the workers already keep every core busy: a build that forked helpers beside them would only
    # share the same cores, and pay the forks. Helpers are tested where they are asked for
    # (tests/test_parallel.py), and the bundled course below is built with them.
    os.environ.setdefault("TRACKSITE_PROCESSES", "1")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last: the quick tests report first, and a run stopped by its time budget
    (pyproject.toml's session_timeout) has still run everything that needs no browser. The order
    is the same in every xdist worker, as xdist requires."""
    items.sort(key=lambda item: "browser" in item.path.parts or item.get_closest_marker("browser") is not None)


def run_mkdocs(
    project: Path, *args: str, site: Path | None = None, processes: int | None = None
) -> subprocess.CompletedProcess:
    """`mkdocs build` as a user runs it, in its own process, with output captured; `processes`
    sets TRACKSITE_PROCESSES for it (the test session's own setting otherwise)."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", *args]
    if site is not None:
        cmd += ["--site-dir", str(site)]
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if processes is not None:
        env["TRACKSITE_PROCESSES"] = str(processes)
    return subprocess.run(cmd, cwd=project, capture_output=True, text=True, timeout=600, env=env)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The bundled course, built once with --strict, with helper processes as a user's machine
    builds it by default."""
    out = tmp_path_factory.mktemp("bundled") / "site"
    result = run_mkdocs(REPO, site=out, processes=2)
    assert result.returncode == 0, result.stderr[-5000:]
    return out


@pytest.fixture(scope="session")
def fixture_site(tmp_path_factory) -> Path:
    """The small two-track fixture course, built once."""
    root = make_course(tmp_path_factory.mktemp("fixture") / "course")
    result = run_mkdocs(root)
    assert result.returncode == 0, result.stderr[-5000:]
    return root / "site"


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


@pytest.fixture
def browser_page(chromium, site_url):
    """A fresh page (own storage) on the bundled site; console errors and off-site requests
    are collected in `page.console_errors` and `page.foreign_requests`."""
    context = chromium.new_context()
    page = context.new_page()
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
    context.close()
