"""The build's side of remote-files.yml: download each listed file a page names, publish the copy
and point every use at it (what is listed, and how a use is rewritten, is core/remote/files.py).

`tracksite check` lets a listed file through without the network; only the build downloads. It
does so once: the bytes are kept in the course's `remote-files` state folder (the user's, outside
the checkout: core/localstate.py; a cached file a pull request could commit, or a link to a local
file, would be published), named by the address's hash, so rebuilds and `mkdocs serve` never
download again and a course builds offline once its files are cached. Delete that folder to fetch
again.

Only https:// is fetched, redirects included (a file fetched over plain HTTP could be changed on
the way), and only from the public internet: the address each connection goes to (after the
redirects and the DNS lookup, and the connection is made to the very address checked) must not
be a loopback, private, link-local or otherwise reserved one, so a listing or a redirect cannot
make the build reach the build machine's or its network's own services. The whole transfer has a
deadline (not only each read: a server that sends a byte every few seconds is cut off), and the
size limit of every other file the site publishes. A failed
download, or a file the site will not publish (a document, an SVG that is not a plain drawing,
a style sheet that loads an unlisted file), is a problem at the listing's line, found in
`on_config` with the course's other problems: the build stops before it writes anything.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import http.client
import ipaddress
import os
import posixpath
import re
import socket
import tempfile
import threading
import urllib.error
import urllib.request
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from tracksite.core import localstate
from tracksite.core.checks.remote_files import used
from tracksite.core.model.listing import FOLDER as REMOTE_FOLDER
from tracksite.core.model.listing import RemoteFile
from tracksite.core.problems.problem import Problem, ProblemList
from tracksite.core.remote import files as remotefiles
from tracksite.errors import UserError

TIMEOUT = 30  # seconds for a whole download, from the connection to the last byte
#: For the test suite only: `host:port` pairs (its own HTTPS server on 127.0.0.1) let through
#: although they are not public addresses. Nothing else sets it.
TEST_HOSTS = "TRACKSITE_TEST_REMOTE_HOSTS"
USER_AGENT = "tracksite (course build; copies files listed in remote-files.yml)"
_REWRITTEN = (".svg", ".css", ".html", ".htm")  # the site's own files that can name a remote file
_SRC = re.compile(r"""<(?:img|image|object|source)\b[^<>]*?\s(?:src|data)\s*=\s*["']?([^"'\s>]+)""", re.I)


class DownloadError(UserError):
    """Why one download failed, in a few words (never a traceback): the build reports it as a
    problem at the listing's line."""


class _HttpsOnly(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to another https:// address."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        if not newurl.lower().startswith("https://"):
            raise DownloadError(f"it redirects to {newurl[:80]!r}, which is not https://")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def public_address(host: str, port: int) -> str:
    """The address to connect to for `host`: every address its name resolves to must be a public
    one (a name that also resolves to an internal address is refused whole), and the first is
    the one connected to, so a second lookup cannot swap in another."""
    allowed = {h.strip() for h in os.environ.get(TEST_HOSTS, "").split(",") if h.strip()}
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as e:
        raise DownloadError(f"the name {host!r} does not resolve ({e})") from None
    addresses = [str(info[4][0]) for info in found]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if not ip.is_global or ip.is_multicast:
            if f"{address}:{port}" in allowed:
                continue
            kind = "loopback" if ip.is_loopback else "link-local" if ip.is_link_local else "private or reserved"
            where = f"{host} is" if host.strip("[]") == address else f"{host} is at {address},"
            raise DownloadError(f"{where} a {kind} address: only files on the public internet are copied")
    if not addresses:
        raise DownloadError(f"the name {host!r} does not resolve")
    return addresses[0]


class _Deadline:
    """The sockets of one download, shut when its time is up: a read blocked on a server that
    trickles bytes (or headers) ends then, whatever the per-read timeout."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.sockets: list[socket.socket] = []
        self.expired = False
        self.timer = threading.Timer(seconds, self.expire)
        self.timer.daemon = True

    def expire(self) -> None:
        self.expired = True
        for sock in self.sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


class _PublicHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to a checked public address only (certificate and name still those of
    the host), whose socket the download's deadline can shut."""

    def __init__(self, *args, deadline: _Deadline, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.deadline = deadline
        self._create_connection = self._connect  # what http.client connects with (set per instance)

    def _connect(self, address, timeout, source_address=None):
        host, port = address
        if self._tunnel_host:  # through a proxy, which resolves the name itself: check it all the same
            public_address(self._tunnel_host, self._tunnel_port or 443)
            target = host
        else:
            target = public_address(host, port)
        sock = socket.create_connection((target, port), timeout, source_address)
        self.deadline.sockets.append(sock)
        return sock


class _PublicHTTPS(urllib.request.HTTPSHandler):
    def __init__(self, deadline: _Deadline) -> None:
        super().__init__()
        self.deadline = deadline

    def https_open(self, req):
        return self.do_open(functools.partial(_PublicHTTPSConnection, deadline=self.deadline), req)


def download(url: str, *, timeout: float = TIMEOUT, limit: int = remotefiles.MAX_BYTES) -> bytes:
    """The file at `url`, or DownloadError saying why not: the server's status, the network's
    refusal, an address that is not public, a transfer longer than `timeout` seconds in all,
    a file over `limit` bytes."""
    if not url.lower().startswith("https://"):
        raise DownloadError("only https:// addresses are downloaded")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    deadline = _Deadline(timeout)
    opener = urllib.request.build_opener(_HttpsOnly, _PublicHTTPS(deadline))
    deadline.timer.start()
    try:
        with opener.open(request, timeout=timeout) as answer:
            data = _read(answer, limit, deadline)
    except urllib.error.HTTPError as e:
        raise DownloadError(f"the server answered HTTP {e.code} {e.reason}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as e:
        raise _failure(e, deadline) from None
    finally:
        deadline.timer.cancel()
    if len(data) > limit:
        raise DownloadError(f"the file is over {limit:,} bytes")
    return data


def _read(answer, limit: int, deadline: _Deadline) -> bytes:
    """The body, a piece at a time as it arrives, up to `limit` + 1 bytes."""
    data = bytearray()
    while len(data) <= limit:
        piece = answer.read1(min(65536, limit + 1 - len(data)))
        if deadline.expired:
            raise TimeoutError
        if not piece:
            break
        data += piece
    return bytes(data)


def _failure(e: BaseException, deadline: _Deadline) -> DownloadError:
    """What broke a download, in a few words."""
    if deadline.expired or isinstance(e, TimeoutError) or isinstance(getattr(e, "reason", None), TimeoutError):
        return DownloadError(f"the download did not finish within {deadline.seconds:g} seconds")
    if isinstance(e, urllib.error.URLError):
        return DownloadError(f"the network refused: {e.reason}")
    return DownloadError(f"the download broke off: {e or type(e).__name__}")


def cached(root: Path, url: str) -> bytes:
    """The file at `url`, from the course's cache if it was downloaded before, else downloaded
    and kept there (a cache that cannot be written only costs a download next time). A cached
    file that is a link is not read (O_NOFOLLOW): only what a download wrote is published."""
    name = hashlib.sha256(url.encode("utf-8")).hexdigest()
    try:
        folder = localstate.folder(root, remotefiles.CACHE, create=False)
        handle = os.open(folder / name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(handle, "rb") as kept:
            return kept.read()
    except (OSError, localstate.StateError):
        pass
    data = download(url)
    try:
        folder = localstate.folder(root, remotefiles.CACHE)
        path = folder / name
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".part-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)  # whole or absent: an interrupted build leaves no half file
    except (OSError, localstate.StateError):
        pass
    return data


class Copies:
    """This build's copies: the listed files the site names, ready to publish."""

    def __init__(self) -> None:
        self.files: dict[str, RemoteFile] = {}
        self.data: dict[str, bytes] = {}
        self.named_by: dict[str, set[str]] = {}  # a site file (an SVG) -> the listed files it shows

    def fetch(self, project) -> list[Problem]:
        """Download (or read from the cache) every listed file the site names; the problems of
        those that fail, at the listing's line."""
        self.files, self.data, self.named_by = {}, {}, {}
        out = ProblemList(project.root)
        for url in sorted(used(project)):
            item = project.remote.files[url]
            try:
                data, refused = remotefiles.vet(item, cached(project.root, url), project.remote.urls)
            except DownloadError as e:
                out.add(
                    item.path,
                    item.line,
                    f"cannot download {url!r}: {e}",
                    hint="check the address in a browser; the build needs the network until the file is cached",
                    code="TS711",
                )
                continue
            if data is None:
                out.add(
                    item.path,
                    item.line,
                    f"{url!r} is not published: {refused}",
                    hint="remove it from remote-files.yml and the pages, or use another file",
                    code="TS712",
                )
                continue
            self.files[url], self.data[url] = item, data
        return out.items

    def new_url(self, base_dir: str):
        """The copy's address as seen from a file in `base_dir`, for each listed address."""

        def local(url: str) -> str | None:
            item = self.files.get(url)
            return remotefiles.relative(item.site_path, base_dir) if item is not None else None

        return local

    def add_files(self, files: Files, config: MkDocsConfig) -> None:
        """The copies into the site, and the site's own SVG, CSS and HTML files that name one
        rewritten to point at the copy (the source files stay as written)."""
        if not self.files:
            return
        for url, item in self.files.items():
            files.append(
                File.generated(config, item.site_path, content=self.data[url], inclusion=InclusionLevel.INCLUDED)
            )
        for file in list(files):
            suffix = posixpath.splitext(file.src_uri)[1].lower()
            if suffix not in _REWRITTEN or file.is_documentation_page() or file.src_uri.startswith(REMOTE_FOLDER):
                continue
            try:
                text = file.content_string
            except (OSError, UnicodeDecodeError):
                continue  # the check reported it
            rewrite = remotefiles.rewrite_css if suffix == ".css" else remotefiles.rewrite_markup
            new, met = rewrite(text, self.new_url(posixpath.dirname(file.dest_uri)))
            if met:
                self.named_by[file.dest_uri] = met
                files.remove(file)
                files.append(File.generated(config, file.src_uri, content=new, inclusion=file.inclusion))

    def digest_parts(self) -> list[str]:
        """What the pages' links to the copies and their credits depend on (the whole-page cache's
        key, pagecache.py): each copy's address, place in the site, credits and content, and the
        site's files that show one."""
        parts = [
            f"{url}>{item!r}>{hashlib.sha256(self.data[url]).hexdigest()}" for url, item in sorted(self.files.items())
        ]
        return [*parts, *(f"{dest}<{sorted(met)}" for dest, met in sorted(self.named_by.items()))]

    def page(self, html: str, url: str) -> str:
        """A page's content pointing at the copies, with the credits of the files it shows."""
        if not self.files:
            return html
        base = url if url.endswith("/") or not url else posixpath.dirname(url)
        html, met = remotefiles.rewrite_markup(html, self.new_url(base.rstrip("/")))
        for src in _SRC.findall(html):  # a drawing of the site that shows a listed file
            met |= self.named_by.get(posixpath.normpath(posixpath.join(base, src)), set())
        if not met:
            return html
        return html + remotefiles.credits_html([self.files[u] for u in met])
