"""The local server that `tracksite pdf`, the benchmark and the browser tests point Chromium at.

The standard library's server queues 5 connections; the sixth at once is dropped and the
browser retries it a second or more later, which made the search in the CSP tests time out
on a loaded two-core machine (9 of 212 browser tests failed with two busy cores; none with
the queue at 128)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import urllib.error
import urllib.request

import pytest

from tracksite.localserver import CHROMIUM_ARGS, QuietHandler, SiteServer, serve_folder


def test_a_burst_of_connections_waits_in_the_queue_instead_of_being_dropped():
    server = SiteServer(("127.0.0.1", 0), QuietHandler)  # listening, accepting nothing yet
    opened = []
    try:
        for _ in range(60):  # a page's scripts, styles, fonts and index chunks at once
            opened.append(socket.create_connection(server.server_address, timeout=0.5))
    finally:
        for s in opened:
            s.close()
        server.server_close()
    assert len(opened) == 60


def test_serves_the_folder_quietly_and_stops_with_the_block(tmp_path, capfd):
    (tmp_path / "lesson").mkdir()
    (tmp_path / "lesson" / "index.html").write_text("<p>hello</p>", encoding="utf-8")
    with serve_folder(tmp_path) as base:
        assert base.startswith("http://127.0.0.1:") and base.endswith("/")
        with urllib.request.urlopen(base + "lesson/", timeout=5) as response:
            assert response.read() == b"<p>hello</p>"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(base + "nowhere/", timeout=5)
        assert missing.value.code == 404
    assert capfd.readouterr().err == ""  # no request log in the terminal
    with pytest.raises(OSError):
        urllib.request.urlopen(base, timeout=2)


def _processes_under(pid: int) -> dict[int, str]:
    """Each process under `pid` (this worker) and its command line, from /proc."""
    parents: dict[int, int] = {}
    for name in filter(str.isdigit, os.listdir("/proc")):
        with contextlib.suppress(OSError):
            with open(f"/proc/{name}/stat", "rb") as stat:
                parents[int(name)] = int(stat.read().rsplit(b")", 1)[1].split()[1])
    found = {}
    for child in parents:
        ancestor = parents.get(child)
        while ancestor and ancestor != pid:
            ancestor = parents.get(ancestor)
        if ancestor == pid:
            with contextlib.suppress(OSError), open(f"/proc/{child}/cmdline", "rb") as cmdline:
                found[child] = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads the process tree from /proc")
def test_a_new_context_starts_no_process_but_its_pages_renderer(chromium, tmp_path):
    """CHROMIUM_ARGS (the tests' and `tracksite pdf`'s Chromium) keep three processes no page uses
    from starting: the address bar popup each window (a context) prepares, a WebUI page in a
    renderer of its own (about 0.9 processor seconds a context), a spare renderer started with a
    context's first page for the next one, and the GPU process of the software compositor. A
    Chromium of its own, so that no renderer an earlier test left counts: each of the three comes
    back when its flag goes or Chromium renames the feature, and this fails."""
    (tmp_path / "index.html").write_text("<!doctype html><title>t</title><p>hello", encoding="utf-8")
    before = _processes_under(os.getpid())
    path = shutil.which("chromium") or shutil.which("chromium-browser")  # there: `chromium` found it
    browser = chromium.browser_type.launch(executable_path=path, args=CHROMIUM_ARGS)
    try:
        with serve_folder(tmp_path) as base:
            page = browser.new_context().new_page()
            page.goto(base)
            page.wait_for_timeout(1000)  # the popup's and the spare's renderers started after the page, when they did
            assert page.text_content("p") == "hello"
            started = [line for pid, line in _processes_under(os.getpid()).items() if pid not in before]
    finally:
        browser.close()
    assert [line for line in started if "--top-chrome-webui" in line] == []
    assert [line for line in started if "--type=gpu-process" in line] == []
    assert sum("--type=renderer" in line for line in started) == 1, started
