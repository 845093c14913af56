"""`mkdocs serve` started again on unchanged sources answers with the last run's site while it
builds (adapter/serve/lastsite.py), and only then: a changed source, or a run stopped before its build
and search index were finished, is never answered from."""

from __future__ import annotations

import re
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from support.serving import fetch, free_port, serving, wait_for
from tracksite.core import localstate

EARLY = "nothing changed since the last `mkdocs serve`"
# A hook that keeps the first build from ending while a file beside the course says so: the test
# sees the restart answering while its build is provably still running. The hook is in mkdocs.yml
# for both runs, and the file is outside the course (both are part of what must not change).
HOOK = """import os, time
def on_post_build(config):
    gate = os.path.join(os.path.dirname(os.path.dirname(config.config_file_path)), "hold-build")
    while os.path.exists(gate):
        time.sleep(0.1)
"""


def _kept_key(course) -> bool:
    return any(runs_folder(course).glob("*/key"))


def runs_folder(course) -> Path:
    """Where serve runs keep their sites: the course's state folder (core/localstate.py)."""
    return localstate.path(course, "tracksite") / "serve"


def _first_run(course, port: int) -> str:
    """Serve until the build and its index are kept; the lesson page as it was served."""
    with serving(course, port=port) as (base, proc):
        page = wait_for(base + "alpha/a1/", "First lesson", 60)
        deadline = time.monotonic() + 60
        while not _kept_key(course):
            assert time.monotonic() < deadline, "the first run never kept its site"
            time.sleep(0.2)
    return page


def _without_reload_tag(page: str) -> str:
    return re.sub(r'data-epoch="\d+" data-request="\d+"', "", page)


@pytest.fixture
def hooked(course):
    (course / "hold.py").write_text(HOOK, encoding="utf-8")
    yml = course / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "\nhooks:\n  - hold.py\n", encoding="utf-8")
    return course


def test_a_restart_answers_from_the_last_site_while_it_builds_then_hands_over(hooked):
    course = hooked
    port = free_port()  # the same address for both runs: the pages name it
    before = _first_run(course, port)
    gate = course.parent / "hold-build"
    gate.write_text("", encoding="utf-8")
    with serving(course, port=port) as (base, proc):
        early = wait_for(base + "alpha/a1/", "First lesson", 60)
        assert gate.exists()  # the build cannot have finished: the hook is still holding it
        assert _without_reload_tag(early) == _without_reload_tag(before)
        assert "__tracksite__/livereload.js" in early  # early pages still reload on a save
        epoch = re.search(r'data-epoch="(\d+)"', early)[1]
        answered: list[str] = []

        def poll() -> None:  # a browser's reload poll, made to the early server
            with urllib.request.urlopen(f"{base}livereload/{epoch}/1", timeout=120) as r:
                answered.append(r.read().decode())

        poller = threading.Thread(target=poll)
        poller.start()
        time.sleep(0.5)
        gate.unlink()
        poller.join(timeout=30)
        assert answered == [epoch], "the poll waiting on the early server was not let go with no news"
        # the server MkDocs serves with now listens on the same socket; a save reloads as ever
        # (the watcher starts a moment after the hand-over, as MkDocs' does after its first build:
        # the save is made again until a build follows it)
        lesson = course / "lessons/alpha/a1/lesson.md"
        text = lesson.read_text()
        for attempt in range(12):
            lesson.write_text(text.replace("title: First lesson", f"title: First lesson, saved {attempt}"))
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and f"saved {attempt}" not in fetch(base + "alpha/a1/"):
                time.sleep(0.2)
            if time.monotonic() < deadline:
                break
        else:
            pytest.fail("no save was followed by a build")
        with urllib.request.urlopen(f"{base}livereload/{epoch}/2", timeout=10) as r:
            assert int(r.read()) > int(epoch)  # a browser left on the early page is told to reload
    assert EARLY in proc.output


def test_a_save_during_the_first_build_of_a_restart_reloads_the_open_page(hooked):
    """The instructor's browser is open on the last run's site while the restart builds; a save
    made after the build read the lesson, before the watcher started, is built and reloads it."""
    course = hooked
    port = free_port()
    _first_run(course, port)
    gate = course.parent / "hold-build"
    gate.write_text("", encoding="utf-8")
    lesson = course / "lessons/alpha/a1/lesson.md"
    with serving(course, port=port) as (base, proc):
        early = wait_for(base + "alpha/a1/", "First lesson", 60)
        epoch = re.search(r'data-epoch="(\d+)"', early)[1]
        # the hook holds the build after every page is written: the save comes after the read
        lesson.write_text(lesson.read_text().replace("title: First lesson", "title: First lesson, saved early"))
        gate.unlink()
        assert "First lesson, saved early" in wait_for(base + "alpha/a1/", "saved early", 60)
        with urllib.request.urlopen(f"{base}livereload/{epoch}/3", timeout=30) as r:
            assert int(r.read()) > int(epoch)  # the open page is told to reload, with no second save
    assert "file changes made during the first build" in proc.output


def test_a_changed_source_is_built_before_anything_is_answered(course):
    port = free_port()
    _first_run(course, port)
    lesson = course / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text().replace("title: First lesson", "title: First lesson, changed"))
    with serving(course, port=port) as (base, proc):
        page = wait_for(base + "alpha/a1/", "First lesson", 60)
        assert "First lesson, changed" in page
    assert EARLY not in proc.output


def test_a_run_stopped_before_its_site_was_whole_is_not_answered_from(course):
    port = free_port()
    _first_run(course, port)
    for key in runs_folder(course).glob("*/key"):
        key.unlink()  # as a run killed during a build leaves it
    with serving(course, port=port) as (base, proc):
        wait_for(base + "alpha/a1/", "First lesson", 60)
        deadline = time.monotonic() + 60  # (removed in the background, beside the restart's check)
        while len(runs := list(runs_folder(course).iterdir())) > 1 and time.monotonic() < deadline:
            time.sleep(0.2)
    assert EARLY not in proc.output
    assert len(runs) == 1, runs  # the dead run's folder was removed after the first build


def test_without_the_cache_the_site_is_not_kept(course):
    yml = course / "mkdocs.yml"
    yml.write_text(re.sub(r"(\n  - tracksite)\n", r"\1:\n      cache: false\n", yml.read_text()), encoding="utf-8")
    with serving(course) as (base, _):
        assert "First lesson" in wait_for(base + "alpha/a1/", "First lesson", 60)
        assert fetch(base + "alpha/a1/")
    assert not runs_folder(course).exists()


def test_a_project_whose_cache_folder_cannot_be_made_is_served_as_before(course):
    state = localstate.project_folder(course)
    state.mkdir(parents=True)
    (state / "tracksite").write_text("not a folder", encoding="utf-8")  # (as root, a mode would not stop it)
    with serving(course) as (base, proc):
        assert "First lesson" in wait_for(base + "alpha/a1/", "First lesson", 60)
    assert "the serve run's site is not kept" in proc.output
    assert "Traceback" not in proc.output
