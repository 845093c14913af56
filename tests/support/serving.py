"""`tracksite serve` run for a test (a fork of the test's process), a free port, fetching its pages, and an HTTP
handler that records the requests it gets."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest
from mkdocs.__main__ import cli

from support import harness
from tracksite.localserver import QuietHandler


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
def serving(course, *options: str, port: int | None = None):
    """`mkdocs serve` on `port` or a free one; yields (base URL, process); its output is in `proc.output`.

    The server is a process of its own, stopped as a user stops it, but a fork of this one
    (tests/support/harness.py `Spawned`), not a new interpreter: what these tests are about is what it
    serves while its sources change, not how it starts."""
    port = port or free_port()
    argv = ["serve", "--dev-addr", f"127.0.0.1:{port}", *options]
    proc = harness.Spawned(
        lambda: cli.main(argv, prog_name="mkdocs", standalone_mode=True), course, stdout_pipe=False, merge_stderr=True
    )
    proc.output = ""
    try:
        yield f"http://127.0.0.1:{port}/", proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        proc.output = proc.written()


class Recorder(QuietHandler):
    """A server that notes every request it gets (another origin, or an LMS's files). As another
    origin it lets any page read its answers (`cors`), so that only a policy can hold a request
    back; a host of the course's own pages keeps its headers as they were (`cors = False`)."""

    seen: list[str] = []
    lock = threading.Lock()
    cors = True

    def _note(self) -> None:
        with self.lock:
            self.seen.append(f"{self.command} {self.path}")

    def do_GET(self) -> None:  # noqa: N802 - the standard library's name
        self._note()
        super().do_GET()

    def do_POST(self) -> None:  # noqa: N802
        self._note()
        self.send_response(204)
        self.end_headers()

    def do_OPTIONS(self) -> None:  # noqa: N802
        self._note()
        self.send_response(204)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.end_headers()

    def end_headers(self) -> None:
        if self.cors:
            self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()
