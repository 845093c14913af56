"""`mkdocs serve` as an instructor uses it: edits reload, errors show and the server survives."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as r:
            return r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.read().decode("utf-8", "replace")
    except OSError:
        return ""


def wait_for(url: str, needle: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    body = ""
    while time.monotonic() < deadline:
        body = fetch(url)
        if needle in body:
            return body
        time.sleep(0.3)
    pytest.fail(f"{needle!r} never appeared at {url}; last body: {body[:300]!r}")


@contextlib.contextmanager
def serving(course):
    """`mkdocs serve` on a free port; yields (base URL, process); its output is in `proc.output`."""
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"],
        cwd=course, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    proc.output = ""
    try:
        yield f"http://127.0.0.1:{port}/", proc
    finally:
        proc.terminate()
        try:
            proc.output, _ = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


@pytest.fixture
def live_server(course):
    with serving(course) as (base, proc):
        yield base, course, proc


def test_live_reload_of_lessons_and_cheatsheets(live_server):
    base, course, proc = live_server
    wait_for(base + "alpha/a1/", "First lesson")
    lesson = course / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text().replace("title: First lesson", "title: First lesson, revised"))
    wait_for(base + "alpha/a1/", "First lesson, revised")
    sheet = course / "cheatsheets/alpha/a1.md"
    sheet.write_text(sheet.read_text() + "\n## Added while serving\n")
    wait_for(base + "alpha/a1/cheatsheet/", "Added while serving")


def test_errors_show_in_browser_and_server_keeps_running(live_server):
    base, course, proc = live_server
    wait_for(base, "Fixture course")
    lesson = course / "lessons/alpha/a1/lesson.md"
    good = lesson.read_text()
    lesson.write_text(good.replace("difficulty: standard", "difficulty: hard"))
    body = wait_for(base, "The course has problems")
    assert "lessons/alpha/a1/lesson.md:9" in body and "hard" in body
    assert proc.poll() is None
    lesson.write_text(good)
    wait_for(base + "alpha/a1/", "First lesson")


def test_drafts_show_under_serve(live_server):
    base, course, proc = live_server
    wait_for(base, "Fixture course")
    lesson = course / "lessons/alpha/a2/lesson.md"
    lesson.write_text(lesson.read_text().replace("math: none", "math: none\nstatus: draft"))
    body = wait_for(base + "alpha/a2/", "ts-banner--draft")
    assert "Lesson 2 of 3" in body


def test_server_starts_on_a_broken_course_even_in_strict_mode(course):
    """The bundled mkdocs.yml sets `strict: true`: problems must still show, not stop the server."""
    (course / "mkdocs.yml").write_text((course / "mkdocs.yml").read_text() + "strict: true\n")
    lesson = course / "lessons/alpha/a1/lesson.md"
    lesson.write_text(lesson.read_text().replace("difficulty: standard", "difficulty: hard"))
    with serving(course) as (base, proc):
        body = wait_for(base, "The course has problems")
        assert "lessons/alpha/a1/lesson.md:9" in body
        assert proc.poll() is None
    assert "lessons/alpha/a1/lesson.md:9: difficulty" in proc.output
