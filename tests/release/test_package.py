"""tracksite as a tool people install and upgrade (issue 27), tried as a new user would.

The built wheel, not the checkout: it is installed in a fresh virtual environment of its own,
`tracksite init` starts a course there, `tracksite check` and `mkdocs build --strict` pass, the
workflow `init` writes passes actionlint, and a lesson works in Chromium. A second wheel with a
changed asset then reaches the same course with no file of the course touched.

The wheel and its environment are the release workflow's (tests/release/test_release.py runs its build
job: `python -m build`, then the wheel installed in a fresh virtual environment), made once a test
run (support.sites.build_once) and the course once more, not once for this file's quick tests and again
for its browser test (which runs last, with the other browser tests), nor once in each xdist worker:
a second wheel and environment cost about fifteen seconds of processor time. One test at a time
uses them, and the upgrade test puts the first wheel back when it is done.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from support.course import REPO
from support.release import (
    EXPRESSIONS,
    actionlint,
    clean_env,
    fresh_venv,
    release_job,
    run_steps,
    step_failed,
)
from support.sites import build_once, fcntl
from support.wheels import newer_wheel
from tracksite import __version__
from tracksite import theme as theme_files

pytestmark = pytest.mark.slow
LESSON = """\
---
title: Counting things
summary: How to count the things in a box, and why it matters.
objectives:
  - count the things in a box
time:
  read: 1
  practice: 2
difficulty: intro
math: none
---

## Counting

Counting means saying one number for each thing, in order, and the last number said is how many
things there are. Searchable word: quokkas.

## Practice

/// quiz | Quick check
- question: A box holds three apples. What is the last number you say?
  options:
    - text: Three
      correct: true
      explain: One number for each apple, so the last is three.
    - text: One
      explain: One is the first number said, not the last.
    - text: Four
      explain: There is no fourth apple to count.
///

/// flashcards
- term: Count
  answer: The last number said when each thing gets one number.
- term: Box
  answer: What holds the things being counted.
///
"""


def _install(base: Path, release: Path) -> None:
    """The `demo` course made, in `base`, with the CLI of the release job's wheel, installed (with
    its dependencies and nothing else) in the job's fresh environment."""
    _make_demo({"base": base, "wheel": next((release / "src/dist").glob("tracksite-*.whl")), "bin": _bin(release)})


def _bin(release: Path) -> Path:
    return release / "runner/clean/bin"


@pytest.fixture(scope="session")
def installed(tmp_path_factory) -> tuple[Path, Path]:
    release, ran = release_job(tmp_path_factory)
    assert ran and all(step["returncode"] == 0 for step in ran), step_failed(ran)
    return build_once(tmp_path_factory, "wheel", lambda base: _install(base, release)), release


@pytest.fixture
def venv(installed) -> Iterator[dict]:
    """A fresh virtual environment with only the built wheel (and its dependencies) installed
    (the release job's), for this test alone while it runs (a lock, across xdist workers)."""
    base, release = installed
    with open(base / "in-use.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield {"base": base, "wheel": next((release / "src/dist").glob("tracksite-*.whl")), "bin": _bin(release)}


def _run(venv: dict, cwd: Path, *cmd: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(NO_MKDOCS_2_WARNING="1", PATH=f"{venv['bin']}{os.pathsep}{env.get('PATH', '')}")
    return subprocess.run(
        [str(venv["bin"] / cmd[0]), *cmd[1:]], cwd=cwd, capture_output=True, text=True, timeout=600, env=env
    )


def _digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        # not the built site (the build cache is in the course's state folder, outside the course)
        if p.is_file() and not p.relative_to(root).as_posix().startswith("site")
    }


@pytest.fixture
def demo(venv) -> Path:
    """`tracksite init demo` (no --site-name) with one published lesson, made with the wheel's CLI."""
    return venv["base"] / "work" / "demo"


def _make_demo(venv: dict) -> None:
    work = venv["base"] / "work"
    work.mkdir()
    init = _run(venv, work, "tracksite", "init", "demo")
    assert init.returncode == 0, init.stderr
    course = work / "demo"
    assert (
        _run(venv, course, "tracksite", "new", "track", "basics", "--number", "1", "--title", "Basics").returncode == 0
    )
    new = _run(venv, course, "tracksite", "new", "lesson", "basics", "counting", "--title", "Counting things")
    assert new.returncode == 0, new.stderr
    (course / "lessons/basics/counting/lesson.md").write_text(LESSON, encoding="utf-8")


def test_a_wheel_starts_a_course_that_builds_and_works(venv, demo, chromium, serve_site):
    listed = set(zipfile.ZipFile(venv["wheel"]).namelist())
    shipped = {
        f"tracksite/{p.relative_to(theme_files.HERE.parent).as_posix()}"
        for p in theme_files.HERE.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert shipped - listed == set(), "theme files missing from the wheel"
    assert "tracksite/search/search-engine.js" in listed  # the search's engine, beside its indexer
    assert "tracksite/adapter/serve/livereload.js" in listed  # the reload script `mkdocs serve` adds

    config = yaml.safe_load((demo / "mkdocs.yml").read_text(encoding="utf-8").replace("!!python", "#"))
    assert config["site_name"] == "Demo"  # from the folder's name
    assert "extra_css" not in config and "extra_javascript" not in config  # the plugin links the assets
    assert sorted(p.relative_to(demo / "overrides").as_posix() for p in (demo / "overrides").rglob("*")) == [
        "README.md"
    ]
    assert not (demo / "docs/assets").exists() and not (demo / "docs/schemas").exists()
    # installed from a wheel file: the course carries the wheel and installs it by its path
    wheel_line = f"./.tracksite/wheels/{venv['wheel'].name}"
    assert (demo / "requirements.txt").read_text(encoding="utf-8").splitlines()[-1] == wheel_line
    assert (demo / wheel_line).read_bytes() == venv["wheel"].read_bytes()
    lint = actionlint(demo / ".github/workflows/publish.yml")
    assert lint.returncode == 0, lint.stdout + lint.stderr
    steps = " ".join(
        s.get("run", "")
        for s in yaml.safe_load((demo / ".github/workflows/publish.yml").read_text(encoding="utf-8"))["jobs"]["build"][
            "steps"
        ]
    )
    for command in (
        "pip install -r requirements.txt",
        "tracksite check",
        "mkdocs build --strict",
        "tracksite linkcheck site",
    ):
        assert command in steps

    check = _run(venv, demo, "tracksite", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    build = _run(venv, demo, "mkdocs", "build", "--strict")
    assert build.returncode == 0, build.stderr[-3000:]
    assert _run(venv, demo, "tracksite", "linkcheck", "site").returncode == 0

    page = chromium.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = serve_site(demo / "site")
    page.goto(base + "basics/counting/")
    quiz = page.locator("[data-widget=quiz]").first
    quiz.locator('.ts-quiz__input[value="0"]').check()
    quiz.get_by_role("button", name="Check answer").click()
    assert quiz.locator(".ts-quiz__feedback").inner_text().startswith(("Right", "Correct"))
    cards = page.locator("[data-widget=flashcards]").first
    assert cards.locator(".ts-cards__count").inner_text().startswith("Card 1 of 2")
    cards.locator(".ts-cards__card").click()
    assert cards.locator(".ts-cards__face").inner_text() == "The last number said when each thing gets one number."
    page.wait_for_selector("[data-ts-search]:not([hidden])", state="attached")
    page.keyboard.press("/")
    page.keyboard.type("quokkas", delay=20)
    page.wait_for_selector(".ts-search__hit", timeout=45_000)
    assert "Counting things" in page.locator(".ts-search__hit-title").first.inner_text()
    assert errors == []
    page.close()


def test_the_workflow_build_job_passes_step_by_step_in_a_clean_venv(venv, demo):
    """Issue 40: the first push of a new course failed at `pip install -r requirements.txt`.
    Every `run:` step of the build job, in order, as Actions runs it (bash -e, the workflow's,
    job's and step's env), in a virtual environment that has nothing but what the steps install."""
    path = demo / ".github/workflows/publish.yml"
    lint = actionlint(path)
    assert lint.returncode == 0, lint.stdout + lint.stderr
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    job = workflow["jobs"]["build"]
    clean = fresh_venv(venv["base"] / "clean")
    steps = run_steps(job, [workflow], demo, clean_env(clean), EXPRESSIONS)
    assert all(step["returncode"] == 0 for step in steps), step_failed(steps)
    assert not any(step["banner"] for step in steps)  # the workflow silences Material's banner
    ran = [step["run"].split("\n")[0] for step in steps]
    # check, build (with the instructor view beside the site where the course publishes one:
    # issue 84, no step of its own), the link check
    assert [r.split()[0] for r in ran] == ["python", "echo", "tracksite", "mkdocs", "tracksite"], ran
    assert (clean / "bin/tracksite").is_file()
    page = BeautifulSoup((demo / "site/basics/counting/index.html").read_text(encoding="utf-8"), "lxml")
    assert page.find("link", rel="canonical")["href"] == "https://user.github.io/demo/basics/counting/"


def test_an_upgraded_wheel_reaches_the_course_without_touching_it(venv, demo, serve_site):
    assert _run(venv, demo, "mkdocs", "build", "--strict").returncode == 0
    before = _digests(demo)
    marker = "tracksite upgrade test marker"
    newer = newer_wheel(venv["wheel"], venv["base"] / "dist2", f"{__version__}.post1", marker)
    try:
        assert _pip_install(venv, "-U", newer).returncode == 0
        site_packages = venv["bin"].parent.glob(f"lib/python*/site-packages/tracksite-{__version__}.post1.dist-info")
        assert list(site_packages), "pip did not install the newer wheel"
        build = _run(venv, demo, "mkdocs", "build", "--strict")
        assert build.returncode == 0, build.stderr[-3000:]
        assert _digests(demo) == before, "the upgrade changed a file of the course"
        base = serve_site(demo / "site")
        with urllib.request.urlopen(base + "assets/tracksite/widgets.css", timeout=30) as response:
            assert marker in response.read().decode("utf-8")
        html = BeautifulSoup((demo / "site/basics/counting/index.html").read_text(encoding="utf-8"), "lxml")
        assert html.find("link", href="../../assets/tracksite/widgets.css") is not None
    finally:  # the environment as the other tests know it: the first wheel installed
        assert _pip_install(venv, "--force-reinstall", venv["wheel"]).returncode == 0


def _pip_install(venv: dict, how: str, wheel: Path) -> subprocess.CompletedProcess:
    pip = subprocess.run(
        [str(venv["bin"] / "python"), "-m", "pip", "install", "-q", "--no-deps", how, str(wheel)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert pip.returncode == 0, pip.stderr[-2000:]
    return pip


# -- the bundled course is a course like any other ---------------------------------------------


def test_the_bundled_course_is_built_like_a_users_course():
    from tracksite.commands.init import starter_text

    config = (REPO / "mkdocs.yml").read_text(encoding="utf-8")
    data = yaml.safe_load(config)
    assert config == starter_text("mkdocs.yml", data["site_name"], data["site_description"])
    for name in ("tasks.json", "extensions.json"):
        assert (REPO / ".vscode" / name).read_text(encoding="utf-8") == (
            theme_files.STARTER / "vscode" / name
        ).read_text(encoding="utf-8")
    templates = {p.relative_to(theme_files.TEMPLATES).as_posix() for p in theme_files.TEMPLATES.rglob("*.html")}
    own = {p.relative_to(REPO / "overrides").as_posix() for p in (REPO / "overrides").rglob("*") if p.is_file()}
    assert own & templates == set(), "the bundled course copies tracksite's templates"
    assert not (REPO / "docs/assets/tracksite").exists()
