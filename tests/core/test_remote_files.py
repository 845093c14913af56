"""Remote files the instructor lists in remote-files.yml (issue 32, point 9): the build copies
them into the site and points every use at the copy; anything unlisted, or listed under a
licence that does not allow sharing, is refused with its file:line; a failed download is one
clean error that leaves the last site as it was; a rebuild reads the cache, offline.

The "remote" host is a local HTTPS server with a certificate made for the test, trusted through
SSL_CERT_FILE (as a machine's own CA bundle would be): the build's real download code runs, and
nothing reaches the internet.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import posixpath
import shutil
import ssl
import subprocess
import threading
import time
from pathlib import Path

import jsonschema
import pytest
from bs4 import BeautifulSoup

from support import harness
from support.course import write
from support.remote_files import entry, lesson_with, listing
from tracksite.adapter.published import remotecopy
from tracksite.commands.editor_schema import schemas
from tracksite.core import localstate
from tracksite.core.model import listing as remotelisting
from tracksite.core.remote import files as remotefiles
from tracksite.core.schema import specs as schema
from tracksite.core.yaml.safe import Located

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40 + b"photo"
FONT = b"wOF2" + b"\x01" * 60
PICTURE = b"\x89PNG\r\n\x1a\n" + b"\x02" * 30
ALLOW = "TRACKSITE_TEST_REMOTE_HOSTS"  # remotecopy.TEST_HOSTS: the one non-public server the build may reach
HOSTILE_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tls")
    if shutil.which("openssl") is None:
        if os.environ.get("CI") == "true":  # CI installs it (.ci/run): missing there is a failure
            pytest.fail("openssl is needed to make the test server's certificate")
        pytest.skip("openssl is needed to make the test server's certificate")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem")],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    return folder


class Remote:
    """An HTTPS server on 127.0.0.1 serving `files` (path -> bytes), counting the requests."""

    def __init__(self, tls: Path) -> None:
        self.files: dict[str, bytes] = {}
        self.requests: list[str] = []
        self.redirects: dict[str, str] = {}  # path -> the address it redirects to
        self.trickle: dict[str, tuple[bytes, float]] = {}  # path -> (body, seconds between its bytes)
        remote = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - the standard library's name
                remote.requests.append(self.path)
                if self.path in remote.redirects:
                    self.send_response(302)
                    self.send_header("Location", remote.redirects[self.path])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if self.path in remote.trickle:
                    body, pause = remote.trickle[self.path]
                    self.send_response(200)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    try:
                        for byte in body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(pause)
                    except (OSError, ssl.SSLError):  # the client gave up (the time limit under test):
                        pass  # no traceback on stderr, where another test in this process reads
                    return
                body = remote.files.get(self.path)
                self.send_response(200 if body is not None else 404)
                self.send_header("Content-Length", str(len(body or b"")))
                self.end_headers()
                self.wfile.write(body or b"")

            def log_message(self, *args) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(tls / "cert.pem", tls / "key.pem")
        self.server.socket = context.wrap_socket(self.server.socket, server_side=True)
        self.base = f"https://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def remote(certificate, monkeypatch):
    """The test's HTTPS server, the one non-public address the build is told to let through
    (ALLOW; the tests below that refuse internal addresses do not set it)."""
    server = Remote(certificate)
    monkeypatch.setenv(ALLOW, f"127.0.0.1:{server.server.server_address[1]}")
    yield server
    with contextlib.suppress(OSError):
        server.stop()


def run(root: Path, tls: Path, *args: str) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` or `tracksite check` through their entry points in this process
    (tests/support/harness.py), trusting the test's certificate (read by each HTTPS connection)."""
    env = {
        "SSL_CERT_FILE": str(tls / "cert.pem"),
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    if args == ("build",):
        return harness.mkdocs(root, env=env)
    return harness.tracksite(*args, cwd=root, env=env)


def resolve(page: Path, site: Path, src: str) -> Path:
    """The file a relative `src` of `page` (a file in `site`) names."""
    here = posixpath.dirname(page.relative_to(site).as_posix())
    return site / posixpath.normpath(posixpath.join(here, src))


def test_a_listed_file_is_copied_into_the_site_and_every_use_points_at_the_copy(course, remote, certificate):
    remote.files = {"/img/photo.png": PNG, "/fonts/body.woff2": FONT, "/img/pic.png": PICTURE}
    photo, font, pic = (remote.base + p for p in ("/img/photo.png", "/fonts/body.woff2", "/img/pic.png"))
    write(
        course,
        "remote-files.yml",
        listing(entry(photo), entry(font, "OFL-1.1", "Body font by A. Foundry"), entry(pic, "CC0-1.0", None)),
    )
    lesson_with(course, f'![A photo of the experiment]({photo})\n\n<img src="{photo}" alt="Again" srcset="{photo} 2x">')
    write(course, "docs/extra.css", f'@font-face {{ font-family: B; src: url("{font}"); }}\n')
    write(course, "mkdocs.yml", (course / "mkdocs.yml").read_text() + "extra_css:\n  - extra.css\n")
    write(
        course,
        "lessons/alpha/a2/diagram.svg",
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n<image href="{pic}" width="10" height="10"/></svg>',
    )

    checked = run(course, certificate, "check")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert remote.requests == [], "tracksite check must not download"

    built = run(course, certificate, "build")
    assert built.returncode == 0, built.stderr[-4000:]
    site = course / "site"
    page = site / "alpha" / "a1" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    images = soup.select("article img, .ts-page img")
    sources = {img["alt"]: img for img in images}
    for alt in ("A photo of the experiment", "Again"):
        src = sources[alt]["src"]
        assert not src.startswith(("https:", "//", "/")), src
        assert resolve(page, site, src).read_bytes() == PNG
    assert resolve(page, site, sources["Again"]["srcset"].split()[0]).read_bytes() == PNG
    credits = soup.select_one("aside.ts-third-party")
    assert credits is not None and "Photo by A. Tester" in credits.get_text() and "CC-BY-4.0" in credits.get_text()
    assert credits.a["href"] == "https://archive.example.org/item/7"
    css = (site / "extra.css").read_text(encoding="utf-8")
    assert remote.base not in css
    font_url = css.split('url("')[1].split('"')[0]
    assert (site / posixpath.normpath(font_url)).read_bytes() == FONT
    svg = (site / "alpha" / "a2" / "diagram.svg").read_text(encoding="utf-8")
    pic_url = svg.split('href="')[1].split('"')[0]
    assert resolve(site / "alpha" / "a2" / "diagram.svg", site, pic_url).read_bytes() == PICTURE
    shows_svg = BeautifulSoup((site / "alpha" / "a2" / "index.html").read_text(encoding="utf-8"), "html.parser")
    note = shows_svg.select_one("aside.ts-third-party")  # the page that shows the drawing credits its picture
    assert note is not None and "CC0-1.0" in note.get_text() and "pic.png" in note.get_text()
    for path in site.rglob("*"):
        if path.suffix in (".html", ".css", ".svg") and "/_remote/" not in path.as_posix():
            assert remote.base not in path.read_text(encoding="utf-8", errors="replace"), path
    assert sorted(remote.requests) == ["/fonts/body.woff2", "/img/photo.png", "/img/pic.png"]
    copies = sorted(p.relative_to(site).as_posix() for p in (site / "_remote").rglob("*") if p.is_file())
    assert sorted(c.split("/")[-1] for c in copies) == ["body.woff2", "photo.png", "pic.png"]

    # Offline: the host is gone, the cache answers, the site is the same.
    remote.stop()
    rebuilt = run(course, certificate, "build")
    assert rebuilt.returncode == 0, rebuilt.stderr[-4000:]
    assert resolve(page, site, sources["Again"]["src"]).read_bytes() == PNG
    assert len(remote.requests) == 3

    # Without directory URLs the page moves, and its relative address follows it.
    write(course, "mkdocs.yml", (course / "mkdocs.yml").read_text() + "use_directory_urls: false\n")
    flat = run(course, certificate, "build")
    assert flat.returncode == 0, flat.stderr[-4000:]
    flat_page = site / "alpha" / "a1" / "index.html"
    img = BeautifulSoup(flat_page.read_text(encoding="utf-8"), "html.parser").find("img", alt="Again")
    assert resolve(flat_page, site, img["src"]).read_bytes() == PNG


def test_an_unlisted_remote_file_is_still_refused_with_its_line_and_the_listing_offered(course, remote, certificate):
    url = remote.base + "/img/photo.png"
    lesson_with(course, f"![A photo]({url})")
    result = run(course, certificate, "check")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    line = (course / "lessons/alpha/a1/lesson.md").read_text().split("\n").index(f"![A photo]({url})") + 1
    refused = [l for l in out.splitlines() if l.startswith(f"lessons/alpha/a1/lesson.md:{line}") and url in l]
    assert refused and "third party" in refused[0] and "remote-files.yml" in refused[0], out
    assert remote.requests == []


@pytest.mark.parametrize("licence", ["all rights reserved", "CC-BY-NC-4.0", "CC-BY-ND-4.0"])
def test_a_licence_that_does_not_allow_sharing_is_an_error_at_the_listing(course, remote, certificate, licence):
    url = remote.base + "/img/photo.png"
    remote.files = {"/img/photo.png": PNG}
    write(course, "remote-files.yml", listing(entry(remote.base + "/img/other.png"), entry(url, f'"{licence}"')))
    lesson_with(course, f"![A photo]({url})")
    result = run(course, certificate, "check")
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    mine = [l for l in out.splitlines() if l.startswith("remote-files.yml:7:") and "licence" in l]
    assert mine and "does not let the build copy" in mine[0] and "docs/security.md" in mine[0], out
    built = run(course, certificate, "build")
    assert built.returncode == 1 and "remote-files.yml:7:" in built.stderr and "Traceback" not in built.stderr
    assert not (course / "site").exists() and remote.requests == []


def test_a_failed_download_is_one_clean_error_and_the_last_site_stays(course, remote, certificate):
    first = run(course, certificate, "build")
    assert first.returncode == 0, first.stderr[-4000:]
    before = {p: p.read_bytes() for p in (course / "site").rglob("*") if p.is_file()}
    missing = remote.base + "/img/gone.png"
    write(course, "remote-files.yml", listing(entry(missing)))
    lesson_with(course, f"![A photo]({missing})")
    result = run(course, certificate, "build")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [l for l in result.stderr.splitlines() if missing in l and "cannot download" in l]
    assert lines and "remote-files.yml:2:" in lines[0] and "HTTP 404" in lines[0], result.stderr
    after = {p: p.read_bytes() for p in (course / "site").rglob("*") if p.is_file()}
    assert after == before
    assert not list(course.glob(".site.staging-*"))
    cache = localstate.path(course, remotefiles.CACHE)
    assert not cache.exists() or all(p.name.startswith(".") for p in cache.iterdir())  # nothing half-cached


def test_a_downloaded_svg_goes_through_the_svg_rules(course, remote, certificate):
    url = remote.base + "/img/evil.svg"
    remote.files = {"/img/evil.svg": HOSTILE_SVG}
    write(course, "remote-files.yml", listing(entry(url, "CC0-1.0", None)))
    lesson_with(course, f"![A drawing]({url})")
    result = run(course, certificate, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [l for l in result.stderr.splitlines() if url in l]
    assert lines and "remote-files.yml:2:" in lines[0] and "<script>" in lines[0], result.stderr


def test_an_unused_listing_is_a_warning(course, remote, certificate):
    write(course, "remote-files.yml", listing(entry(remote.base + "/img/photo.png")))
    result = run(course, certificate, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "remote-files.yml:2: warning:" in result.stdout and "no page" in result.stdout


def test_only_https_addresses_can_be_listed(course):
    write(course, "remote-files.yml", listing(entry("http://img.example.org/a.png")))
    result = run(course, course, "check")
    assert result.returncode == 1 and "remote-files.yml:2:" in result.stdout and "https://" in result.stdout


@pytest.mark.parametrize(
    "url,name",
    [
        ("https://h.example/a/../../etc/passwd", "passwd"),
        ("https://h.example/x/..%2F..%2F.htaccess", "htaccess"),
        ("https://h.example/", "file"),
        ("https://h.example/img/a%20b<c>.png?x=1#y", "a-b-c-.png"),
    ],
)
def test_file_names_from_addresses_stay_in_their_folder(url, name):
    assert remotelisting.safe_name(url) == name
    item = remotelisting.RemoteFile(url=url, licence="CC0-1.0", path=Path("remote-files.yml"), line=1)
    parts = item.site_path.split("/")
    assert parts[0] == "_remote" and len(parts) == 3 and parts[2] == name and ".." not in parts


def test_the_editor_schema_agrees_with_the_validator():
    validator = jsonschema.Draft7Validator(schemas()["remote-files.schema.json"])
    good = {"url": "https://a.example/x.png", "licence": "CC-BY-4.0", "credit": "A. Author"}
    for doc, expected in [
        ({"files": [good]}, True),
        ({"files": [{**good, "credit": None}]}, False),
        ({"files": [{"url": "https://a.example/x.png", "licence": "CC0-1.0"}]}, True),
        ({"files": [{**good, "licence": "CC-BY-NC-4.0"}]}, False),
        ({"files": [{**good, "url": "http://a.example/x.png"}]}, False),
        ({"files": []}, False),
        ({"files": [{**good, "source": "https://a.example/page"}]}, True),
    ]:
        by_tracksite = not schema.findings(schema.REMOTE_FILES, Located(doc))
        assert by_tracksite == validator.is_valid(doc) == expected, doc


# -- types the site publishes: an allow-list (issue 39, case 2) -----------------------------------

XHTML_SCRIPT = (
    b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>'
    b"<script>alert(document.domain)</script></body></html>\n"
)


@pytest.mark.parametrize("name", ["schema.xsd", "grammar.rng", "page.xhtml", "page.html", "notes.foo"])
def test_a_listed_file_of_a_type_the_site_does_not_publish_fails_check(course, name):
    url = f"https://files.example.org/{name}"
    write(course, "remote-files.yml", listing(entry(url, "CC0-1.0", None)))
    lesson_with(course, f"![A file]({url})")
    result = run(course, course, "check")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("remote-files.yml:2: [TS712]")]
    assert len(lines) == 1 and url in lines[0] and "not published" in lines[0], result.stdout
    assert not [line for line in result.stdout.splitlines() if "lessons/alpha/a1" in line and url in line]


@pytest.mark.parametrize("name", ["schema.xsd", "drawing.svgz", "page.htm", "file"])
def test_a_downloaded_document_is_never_copied(name):
    item = remotelisting.RemoteFile(
        url=f"https://h.example/{name}", licence="CC0-1.0", path=Path("remote-files.yml"), line=2
    )
    data, why = remotefiles.vet(item, XHTML_SCRIPT, frozenset())
    assert data is None and why and "not published" in why


def test_a_picture_that_is_really_a_document_is_never_copied():
    item = remotelisting.RemoteFile(
        url="https://h.example/photo.png", licence="CC0-1.0", path=Path("remote-files.yml"), line=2
    )
    assert remotefiles.vet(item, XHTML_SCRIPT, frozenset())[0] is None
    assert remotefiles.vet(item, PNG, frozenset()) == (PNG, None)


# -- only the public internet, within a deadline (issue 39) ---------------------------------------


def build_fails_at_the_listing(course, certificate, url: str, needle: str) -> None:
    write(course, "remote-files.yml", listing(entry(url)))
    lesson_with(course, f"![A photo]({url})")
    result = run(course, certificate, "build")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if "[TS711]" in line and url in line]
    assert lines and "remote-files.yml:2:" in lines[0] and needle in lines[0], result.stderr
    assert not (course / "site").exists()


def test_a_file_on_a_loopback_address_is_not_fetched(course, certificate, monkeypatch):
    """A file listed at https://127.0.0.1/ was fetched from the build machine and published."""
    server = Remote(certificate)
    try:
        server.files = {"/img/photo.png": PNG}
        monkeypatch.delenv(ALLOW, raising=False)
        build_fails_at_the_listing(course, certificate, server.base + "/img/photo.png", "a loopback address")
        assert server.requests == []
    finally:
        server.stop()


def test_a_name_that_resolves_to_loopback_is_not_fetched(course, certificate, monkeypatch):
    server = Remote(certificate)
    try:
        server.files = {"/img/photo.png": PNG}
        monkeypatch.delenv(ALLOW, raising=False)
        url = f"https://localhost:{server.server.server_address[1]}/img/photo.png"
        build_fails_at_the_listing(course, certificate, url, "localhost is at")
        assert server.requests == []
    finally:
        server.stop()


def test_a_redirect_to_an_internal_address_is_not_followed(course, remote, certificate):
    inside = Remote(certificate)  # another service of the machine, which the listing does not name
    try:
        inside.files = {"/secret.png": PNG}
        remote.redirects = {"/img/photo.png": inside.base + "/secret.png"}
        build_fails_at_the_listing(course, certificate, remote.base + "/img/photo.png", "a loopback address")
        assert remote.requests == ["/img/photo.png"] and inside.requests == []
    finally:
        inside.stop()


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "10.1.2.3",
        "192.168.0.10",
        "172.16.5.4",
        "169.254.169.254",
        "::1",
        "fe80::1",
        "::ffff:127.0.0.1",
        "100.64.0.1",
        "0.0.0.0",
    ],
)
def test_internal_addresses_are_refused(address, monkeypatch):
    monkeypatch.delenv(ALLOW, raising=False)
    with pytest.raises(remotecopy.DownloadError, match="only files on the public internet"):
        remotecopy.public_address(address, 443)


def test_a_public_address_is_connected_to_as_resolved():
    assert remotecopy.public_address("93.184.215.14", 443) == "93.184.215.14"


def test_a_trickling_server_is_cut_off_at_the_deadline(remote, certificate, monkeypatch):
    """A server that sends one byte every few seconds hung the build past 100 s: each read was
    within its timeout. The whole transfer now has a deadline (30 s in the build; 2 s here)."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate / "cert.pem"))
    remote.trickle = {"/slow.png": (PNG, 0.25)}  # 15 s in all, each byte well within any read timeout
    started = time.monotonic()
    with pytest.raises(remotecopy.DownloadError, match="did not finish within 2 seconds"):
        remotecopy.download(remote.base + "/slow.png", timeout=2)
    assert time.monotonic() - started < 10
    remote.files = {"/fast.png": PNG}
    assert remotecopy.download(remote.base + "/fast.png", timeout=2) == PNG
