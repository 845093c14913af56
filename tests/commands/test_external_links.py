"""`tracksite linkcheck --external` against a server of ours on 127.0.0.1 that answers 200, 404,
a redirect and a stall. Short timeouts keep every run bounded: the stall ends at the client's
timeout, and the server lets go of it when the module's tests are done."""

from __future__ import annotations

import collections
import http.server
import re
import threading
import time
from pathlib import Path

import pytest

from tracksite.commands import linkcheck
from tracksite.commands.cli import main
from tracksite.core import localstate

STALL_LIMIT = 15.0  # the server never holds a request longer than this, whatever the client does


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.hits: collections.Counter[str] = collections.Counter()
        self.release = threading.Event()


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, *args) -> None:
        pass

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        self.server.hits[path] += 1
        if path.startswith("/ok"):
            self._answer(200, b"<!doctype html><title>ok</title><p id=x>fine</p>")
        elif path == "/missing":
            self._answer(404, b"not here")
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok/new-home")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/moved-to-nowhere":
            self.send_response(302)
            self.send_header("Location", "/missing")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/stall":
            self.server.release.wait(STALL_LIMIT)  # say nothing until the client gives up
        else:
            self._answer(500, b"unexpected")

    def _answer(self, code: int, body: bytes) -> None:
        self.send_response(code)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def server():
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.release.set()
    srv.shutdown()
    srv.server_close()


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch):
    """Our server is on this machine: never send the requests to a proxy."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def page(links: dict[str, str]) -> str:
    items = "\n".join(f'<li><a href="{url}">{text}</a></li>' for text, url in links.items())
    return f"<!doctype html><html><head><title>t</title></head><body><ul>\n{items}\n</ul></body></html>\n"


@pytest.fixture
def project(tmp_path, server) -> Path:
    """A project folder with a built site whose pages link to our server."""
    base = f"http://127.0.0.1:{server.server_address[1]}"
    site = tmp_path / "site"
    (site / "lesson").mkdir(parents=True)
    (site / "index.html").write_text(
        page({"Fine": f"{base}/ok", "Gone": f"{base}/missing", "Internal": "lesson/"}), encoding="utf-8"
    )
    (site / "lesson/index.html").write_text(
        page(
            {
                "Fine again": f"{base}/ok",
                "Moved": f"{base}/moved",
                "Moved to nowhere": f"{base}/moved-to-nowhere",
                "Slow": f"{base}/stall",
                "Gone again": f"{base}/missing",
            }
        ),
        encoding="utf-8",
    )
    server.hits.clear()
    return tmp_path


def run(capsys, project: Path, *args: str) -> tuple[int, list[str], str, float]:
    start = time.monotonic()
    code = main(
        [
            "--root",
            str(project),
            "linkcheck",
            "--external",
            "--timeout",
            "1",
            "--retries",
            "1",
            "--retry-wait",
            "0",
            *args,
        ]
    )
    elapsed = time.monotonic() - start
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out.splitlines(), err, elapsed


def test_reports_404_redirect_and_stall_in_bounded_time(project, server, capsys):
    code, lines, err, elapsed = run(capsys, project, "--no-cache")
    assert code == 1
    assert elapsed < STALL_LIMIT, f"the stalled request held the check for {elapsed:.1f} s: the client never gave up"
    site = project / "site"
    base = f"http://127.0.0.1:{server.server_address[1]}"
    gone = [l for l in lines if f"{base}/missing" in l and "/moved" not in l]
    assert len(gone) == 2 and all("404" in l for l in gone), lines
    assert any(l.startswith(f"{site}/index.html:") for l in gone)
    assert any(l.startswith(f"{site}/lesson/index.html:") for l in gone)
    stalled = [l for l in lines if "/stall" in l]
    assert stalled == [
        f'{site}/lesson/index.html:5: [TS806] <a href="{base}/stall">: no answer within 1 s (2 attempts)'
    ]
    nowhere = [l for l in lines if "/moved-to-nowhere" in l]
    assert len(nowhere) == 1 and "404" in nowhere[0], lines
    moved = [l for l in lines if f'{base}/moved"' in l]
    assert moved == [
        f'{site}/lesson/index.html:3: warning: [TS806] <a href="{base}/moved">: redirects to '
        f"{base}/ok/new-home; link to that address instead"
    ], lines
    assert not [l for l in lines if f'{base}/ok"' in l], "a 200 was reported"
    assert not [l for l in lines if 'lesson/"' in l], "an internal link was checked as external"
    assert server.hits["/stall"] == 2  # one request and one retry
    assert "4 URLs on 2 pages" not in err and "5 URLs on 2 pages (0 ignored, 0 from the cache)" in err
    assert ": 4 broken, 1 warning" in err


def test_ignore_file_and_option(project, server, capsys):
    (project / ".linkcheck-ignore").write_text(
        "# hosts that block robots, and a slow one\n\n/missing$\n", encoding="utf-8"
    )
    code, lines, err, _ = run(capsys, project, "--no-cache", "--ignore", r"/stall\b", "--ignore", "nowhere")
    assert code == 0, lines
    assert [l for l in lines if "warning" not in l] == []
    assert "(3 ignored, 0 from the cache)" in err
    assert server.hits["/missing"] == 0 and server.hits["/stall"] == 0


def test_ignore_file_elsewhere(project, capsys, tmp_path):
    rules = tmp_path / "rules.txt"
    rules.write_text(".*\n", encoding="utf-8")
    code, lines, err, _ = run(capsys, project, "--no-cache", "--ignore-file", str(rules))
    assert (code, lines) == (0, []) and "0 URLs on 2 pages (5 ignored" in err


def test_bad_regular_expression_names_the_line(project, capsys):
    (project / ".linkcheck-ignore").write_text("ok\n(unclosed\n", encoding="utf-8")
    code, lines, err, _ = run(capsys, project)
    assert code == 2 and lines == []
    assert f"{project / '.linkcheck-ignore'}:2: bad regular expression '(unclosed'" in err


def test_bad_option_regular_expression(project, capsys):
    code, _, err, _ = run(capsys, project, "--ignore", "[a-")
    assert code == 2 and "--ignore: bad regular expression '[a-'" in err


def test_missing_ignore_file_named_on_the_command_line(project, capsys):
    code, _, err, _ = run(capsys, project, "--ignore-file", str(project / "nope.txt"))
    assert code == 2 and "cannot read" in err and "nope.txt" in err


def test_cache_spares_good_urls_and_asks_failures_again(project, server, capsys):
    cache = project / "cache"
    first = run(capsys, project, "--cache-dir", str(cache), "--ignore", "stall")
    assert first[0] == 1
    assert (cache / ".lycheecache").is_file()
    hits_ok = server.hits["/ok"]
    assert hits_ok >= 1 and server.hits["/missing"] >= 1
    missing_before = server.hits["/missing"]
    code, lines, err, _ = run(capsys, project, "--cache-dir", str(cache), "--ignore", "stall")
    assert code == 1 and [l for l in lines if "/missing" in l and "404" in l], lines
    assert server.hits["/ok"] == hits_ok, "a URL that answered 200 was asked again"
    assert server.hits["/missing"] > missing_before, "a broken URL was taken from the cache"
    assert re.search(r"\(1 ignored, [1-9]\d* from the cache\)", err), err


def test_default_cache_lives_in_the_courses_state_folder(project, capsys):
    """Not in the checkout, where a committed cache would pass broken links (core/localstate.py)."""
    run(capsys, project, "--ignore", "stall|missing|moved")
    assert (localstate.path(project, "linkcheck") / ".lycheecache").is_file()
    assert not (project / ".cache").exists()


def test_no_external_links(tmp_path, capsys):
    (tmp_path / "site").mkdir()
    (tmp_path / "site/index.html").write_text(page({"Home": "./"}), encoding="utf-8")
    code, lines, err, _ = run(capsys, tmp_path, "--no-cache")
    assert (code, lines) == (0, []) and "0 URLs on 1 pages" in err


def test_bad_timeout(project, capsys):
    code, _, err, _ = run(capsys, project, "--timeout", "0")
    assert code == 2 and "--timeout must be at least 1 s" in err


def test_external_links_of_the_bundled_site_are_found(built_site):
    """Nothing is requested here: the collection itself, on real pages."""
    found = linkcheck.external_links(built_site)
    for url, places in found.items():
        assert url.startswith(("http://", "https://")), url
        assert all(p.page.suffix == ".html" and p.line > 0 for p in places)
