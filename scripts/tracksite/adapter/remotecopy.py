"""The build's side of remote-files.yml: download each listed file a page names, publish the copy
and point every use at it (what is listed, and how a use is rewritten, is core/remotefiles.py).

`tracksite check` lets a listed file through without the network; only the build downloads. It
does so once: the bytes are kept in `.cache/remote-files/` in the project (outside the site,
ignored by git), named by the address's hash, so rebuilds and `mkdocs serve` never download
again and a course builds offline once its files are cached. Delete that folder to fetch again.

Only https:// is fetched, redirects included (a file fetched over plain HTTP could be changed on
the way), with a timeout and the size limit of every other file the site publishes. A failed
download, or a file the site will not publish (a document, an SVG that is not a plain drawing,
a style sheet that loads an unlisted file), is a problem at the listing's line, found in
`on_config` with the course's other problems: the build stops before it writes anything.
"""

from __future__ import annotations

import hashlib
import http.client
import os
import posixpath
import re
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files, InclusionLevel

from tracksite.core import remotefiles
from tracksite.core.checks.remote_files import used
from tracksite.core.problems import Problem, ProblemList
from tracksite.core.remotefiles import RemoteFile
from tracksite.errors import UserError

TIMEOUT = 30  # seconds without an answer before a download fails
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


def download(url: str, *, timeout: float = TIMEOUT, limit: int = remotefiles.MAX_BYTES) -> bytes:
    """The file at `url`, or DownloadError saying why not: the server's status, the network's
    refusal, a timeout, a file over `limit` bytes."""
    if not url.lower().startswith("https://"):
        raise DownloadError("only https:// addresses are downloaded")
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    opener = urllib.request.build_opener(_HttpsOnly)
    try:
        with opener.open(request, timeout=timeout) as answer:
            data = answer.read(limit + 1)
    except urllib.error.HTTPError as e:
        raise DownloadError(f"the server answered HTTP {e.code} {e.reason}") from None
    except urllib.error.URLError as e:
        raise DownloadError(f"the network refused: {e.reason}") from None
    except TimeoutError:
        raise DownloadError(f"no answer within {timeout:g} seconds") from None
    except (OSError, http.client.HTTPException, ValueError) as e:
        raise DownloadError(f"the download broke off: {e or type(e).__name__}") from None
    if len(data) > limit:
        raise DownloadError(f"the file is over {limit:,} bytes")
    return data


def cached(root: Path, url: str) -> bytes:
    """The file at `url`, from the project's cache if it was downloaded before, else downloaded
    and kept there (a cache that cannot be written only costs a download next time)."""
    folder = root / remotefiles.CACHE
    path = folder / hashlib.sha256(url.encode("utf-8")).hexdigest()
    try:
        return path.read_bytes()
    except OSError:
        pass
    data = download(url)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# downloads of remote-files.yml (tracksite); never committed\n*\n", encoding="utf-8")
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".part-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)  # whole or absent: an interrupted build leaves no half file
    except OSError:
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
            if suffix not in _REWRITTEN or file.is_documentation_page() or file.src_uri.startswith(remotefiles.FOLDER):
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
