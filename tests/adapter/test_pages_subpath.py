"""A course published as a GitHub project site, below a folder (`https://user.github.io/course/`).

The generated workflow sets `site_url` from the Pages address (issue 40): it writes
`mkdocs.pages.yml`, which INHERITs mkdocs.yml, and checks and builds with `-f`. Without it the
404 page, shown at any missing address, loaded its stylesheets from the server's root and its
home link left the course. Here the workflow's own step writes the file, the site is built as
the workflow builds it, and 404.html's links are resolved as a browser at a missing address would.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import yaml
from bs4 import BeautifulSoup

from support.course import make_course
from tracksite import theme as theme_files

PAGES_URL = "https://user.github.io/course"


def workflow_step(name_starts: str) -> dict:
    jobs = yaml.safe_load((theme_files.STARTER / "publish.yml").read_text(encoding="utf-8"))["jobs"]
    return next(s for s in jobs["build"]["steps"] if s.get("name", "").startswith(name_starts))


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    root = make_course(tmp_path_factory.mktemp("pages") / "course")
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"  # this environment's mkdocs
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PAGES_URL": PAGES_URL, "PATH": path}
    settings = workflow_step("Settings for this build")
    assert "${{ steps.pages.outputs.base_url }}" in settings["env"]["PAGES_URL"]
    subprocess.run(["bash", "-e", "-c", settings["run"]], cwd=root, env=env, check=True, capture_output=True)
    assert yaml.safe_load((root / "mkdocs.pages.yml").read_text())["site_url"] == PAGES_URL + "/"
    build = workflow_step("Build")["run"].replace("--site-dir site", f"--site-dir {root.parent / 'site'}")
    result = subprocess.run(build.split(), cwd=root, env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    return root.parent / "site"


def in_site(site: Path, url: str) -> Path | None:
    """The file a URL of the published site names, or None when it is outside the course's folder."""
    parts = urlsplit(url)
    if parts.netloc != "user.github.io" or not parts.path.startswith("/course/"):
        return None
    path = site / parts.path.removeprefix("/course/")
    return path / "index.html" if parts.path.endswith("/") else path


def test_the_404_page_works_at_any_missing_address_below_the_folder(site):
    html = BeautifulSoup((site / "404.html").read_text(encoding="utf-8"), "lxml")
    missing = "https://user.github.io/course/alpha/no-such-lesson/deeper/"  # where the server shows it
    stylesheets = [urljoin(missing, link["href"]) for link in html.find_all("link", rel="stylesheet")]
    scripts = [urljoin(missing, s["src"]) for s in html.find_all("script", src=True)]
    assert stylesheets and scripts
    for url in stylesheets + scripts:
        target = in_site(site, url)
        assert target is not None and target.is_file(), url
    content = html.select_one(".md-content")
    links = {a.get_text(" ", strip=True): urljoin(missing, a["href"]) for a in content.find_all("a", href=True)}
    assert links["The course's home page"] == PAGES_URL + "/"
    tracks = {text: url for text, url in links.items() if text.startswith("Track ")}
    assert set(tracks) == {"Track 1: Alpha track", "Track 2: Beta track"}, links
    for url in tracks.values():
        target = in_site(site, url)
        assert target is not None and target.is_file(), url
    search = html.select_one("[data-ts-search]")  # the search box: its script and index load from here too
    for attribute in ("data-ui", "data-index"):
        target = in_site(site, urljoin(missing, search[attribute]))
        assert target is not None and target.is_file(), search[attribute]
    assert "press" in content.get_text() and "search" in content.get_text().lower()


def test_sitemap_and_canonical_links_are_the_pages_addresses(site):
    sitemap = BeautifulSoup((site / "sitemap.xml").read_text(encoding="utf-8"), "xml")
    locations = [loc.get_text() for loc in sitemap.find_all("loc")]
    assert locations and all(loc.startswith(PAGES_URL + "/") for loc in locations)
    page = BeautifulSoup((site / "alpha/a1/index.html").read_text(encoding="utf-8"), "lxml")
    assert page.find("link", rel="canonical")["href"] == PAGES_URL + "/alpha/a1/"


def test_a_pull_request_builds_without_a_site_url(tmp_path):
    """No Pages address (a pull request): the settings file only inherits mkdocs.yml."""
    env = {k: v for k, v in os.environ.items() if k != "PAGES_URL"}
    subprocess.run(
        ["bash", "-e", "-c", workflow_step("Settings for this build")["run"]],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    assert yaml.safe_load((tmp_path / "mkdocs.pages.yml").read_text()) == {"INHERIT": "mkdocs.yml"}


def test_check_runs_on_the_same_settings_as_the_build():
    assert "-f mkdocs.pages.yml" in workflow_step("Check the course sources")["run"]
    assert "-f mkdocs.pages.yml" in workflow_step("Build")["run"]
