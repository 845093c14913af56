"""The built site made portable: what every export (SCORM, Common Cartridge, offline) starts from.

A course site is written for a web server: its links end in `/` and the server answers with the
folder's `index.html`. Neither an LMS's file store nor a `file://` copy does that, so each page's
relative links are made to name `index.html` explicitly. Nothing of the copy may come from the
network (an LMS may forbid it, an offline learner has none): a page that loads a script, a
stylesheet, an image or a frame from another host is reported, and the export fails.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

from tracksite import theme as theme_files
from tracksite.adapter.config import mkdocsconfig
from tracksite.commands.common import build_site
from tracksite.core.problems.problem import printable
from tracksite.core.site import coursejson, published
from tracksite.errors import USAGE, UserError
from tracksite.htmlscan import scan_stylesheet

EXPORT = Path(theme_files.__file__).parent / "export"  # the export's own files
ASSETS = "assets/tracksite-export"  # where they go in the copy

# The built files no copy needs: the sitemaps name the live host's addresses, and the page a
# server answers a missing address with (its links are absolute) has no server to answer with it.
LEFT_OUT = ("sitemap.xml", "sitemap.xml.gz", "404.html", ".tracksite-build")
# ... and, at the site's root only, the course's outline: the export's to read (coursedata.py),
# the package's manifest gives it to the LMS (a lesson's own file of that name is copied).
LEFT_OUT_AT_ROOT = (coursejson.SRC_URI,)
_ATTR = re.compile(r"""(?P<lead>\s(?:href|src|action|poster|data-continue-review)=)(?P<q>["'])(?P<url>[^"']*)(?P=q)""")
# What a page loads, as opposed to what it links to: these must stay inside the copy.
_LOADS = re.compile(
    r"""<(?:script|img|iframe|embed|source|audio|video|track)\b[^>]*?\ssrc=["'](?P<src>[^"']+)["']"""
    r"""|<link\b[^>]*?\shref=["'](?P<href>[^"']+)["'][^>]*>""",
    re.I,
)
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)


@contextmanager
def built_site(root: Path, site: str | None, config_file: str | None) -> Iterator[Path]:
    """The built course: `site` as given (checked to be one), or a fresh strict build of the
    project in a temporary folder, removed afterwards, whose widgets give the export their data
    (JSON islands: coursedata.py reads them)."""
    if site:
        folder = Path(site)
        folder = folder if folder.is_absolute() else root / folder
        if not (folder / "index.html").is_file():
            raise UserError(f"{folder} holds no built site (no index.html); build it first or leave out --site")
        yield folder
        return
    given = mkdocsconfig.config_file(root, config_file)
    if given is None:
        raise UserError(
            f"{root} has no mkdocs.yml; run the command in the project folder, or name it (`tracksite --root "
            "COURSE export ...`, --root before the command), pass -f COURSE/mkdocs.yml, or --site a built site"
        )
    with tempfile.TemporaryDirectory(prefix="tracksite-export-") as tmp:
        out = Path(tmp) / "site"
        print("building the site first", file=sys.stderr)
        if build_site(root, out, config_file=given, quiet=True, export_data=True) != 0:
            raise UserError("the site does not build; fix the problems above (tracksite check lists them)")
        yield out


def copy_site(site: Path, staging: Path) -> None:
    anywhere = shutil.ignore_patterns(*LEFT_OUT)

    def ignore(folder: str, names: list[str]) -> set[str]:
        left = set(anywhere(folder, names))
        if Path(folder) != site:
            return left
        # a site built inside the site (a build's marker in it): the instructor view, which
        # `instructor_view: true` builds beside the learner's; a package is for learners
        inner = {name for name in names if (site / name / ".tracksite-build").is_file()}
        return left | (set(LEFT_OUT_AT_ROOT) & set(names)) | inner

    shutil.copytree(site, staging, ignore=ignore)


def explicit(url: str, page: Path, root: Path) -> str:
    """A relative link of `page` made to name its file: `../lesson/` becomes
    `../lesson/index.html`, as does a link to a folder written without its slash."""
    if not url or url.startswith(("#", "/", "data:", "blob:", "javascript:")) or _REMOTE.match(url):
        return url
    parts = urlsplit(url)
    if parts.scheme or not parts.path:
        return url
    path = parts.path
    target = (page.parent / path).resolve()
    if path.endswith("/") or path in (".", ".."):
        path = path.rstrip("/") + "/index.html" if path not in (".", "./") else "index.html"
    elif target.is_dir() and target.is_relative_to(root):
        path += "/index.html"
    else:
        return url
    return path + (f"?{parts.query}" if parts.query else "") + (f"#{parts.fragment}" if parts.fragment else "")


def make_explicit(html: str, page: Path, root: Path) -> str:
    def one(m: re.Match[str]) -> str:
        return f"{m['lead']}{m['q']}{explicit(m['url'], page, root)}{m['q']}"

    return _ATTR.sub(one, html)


def pages(staging: Path) -> list[Path]:
    return sorted(staging.rglob("*.html"))


def remote_loads(staging: Path) -> list[str]:
    """`file: what` for every resource a page or stylesheet loads from outside the copy."""
    found = []
    for page in pages(staging):
        text = page.read_text(encoding="utf-8", errors="replace")
        for m in _LOADS.finditer(text):
            url = m["src"] or m["href"]
            tag = m.group(0).lower()
            if m["href"] and not re.search(r"""rel=["']?(?:stylesheet|icon|preload|modulepreload|manifest)""", tag):
                continue
            if _REMOTE.match(url) or url.startswith("/"):
                found.append(f"{page.relative_to(staging).as_posix()}: loads {url}")
    for sheet in sorted(staging.rglob("*.css")):
        for link in scan_stylesheet(sheet):  # url() and @import, as linkcheck reads them
            if _REMOTE.match(link.raw):
                found.append(f"{sheet.relative_to(staging).as_posix()}: loads {link.raw}")
    return found


def refuse_remote(staging: Path) -> None:
    found = remote_loads(staging)
    if found:
        shown = "\n  ".join(found[:20]) + (f"\n  ... and {len(found) - 20} more" if len(found) > 20 else "")
        raise UserError(
            "the copy would load files from the network, which an LMS or an offline learner may not reach:\n  "
            + shown
            + "\nput those files into the course (docs/ or remote-files.yml, which copies them into the site)"
        )


def relative_root(page: Path, staging: Path) -> str:
    """The way from a page up to the copy's root: '' at the root, '../' one folder down."""
    depth = len(page.relative_to(staging).parts) - 1
    return "../" * depth


def add_scripts(html: str, srcs: list[str]) -> str:
    """Load `srcs` (relative to the page) before the page's first script, so that they run first."""
    tags = "".join(f'<script src="{s}"></script>' for s in srcs)
    at = html.find("<script")
    if at < 0:
        at = html.find("</head>")
    if at < 0:
        return tags + html
    return html[:at] + tags + html[at:]


#: What XML 1.0 cannot hold (C0 controls but tab and line breaks, surrogates, U+FFFE, U+FFFF):
#: the check refuses such escapes in course text, and a built site read with `--site` was built
#: by whoever built it, so the manifests drop them rather than be refused by the LMS.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_document(root: ET.Element) -> bytes:
    """The document of `root` as a file (declaration and UTF-8), its text and attribute values
    kept to the characters of XML 1.0: ElementTree writes any character as it is, and a title
    holding U+0001 made a manifest no XML parser reads."""
    for element in root.iter():
        element.text = _NOT_XML.sub("", element.text) if element.text else element.text
        element.tail = _NOT_XML.sub("", element.tail) if element.tail else element.tail
        for key, value in element.attrib.items():
            element.set(key, _NOT_XML.sub("", value))
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8")


def write_zip(folder: Path, out: Path, first: tuple[str, ...] = ()) -> int:
    """Zip `folder` into `out` (names relative to it, sorted, `first` ones first); returns the
    number of files. Written to a temporary file and moved, so a failed export leaves no half file."""
    out.parent.mkdir(parents=True, exist_ok=True)
    files = sorted(p for p in folder.rglob("*") if p.is_file())
    names = {p.relative_to(folder).as_posix(): p for p in files}
    refused = [f"{printable(n)}: {why}" for n in names if (why := published.unsafe_name(n))]
    if refused:  # the members' names are the site's relative paths with `/`, and nothing else
        raise UserError(
            "the export cannot hold these files, whose names an unzip would read as another place:\n  "
            + "\n  ".join(refused[:20])
            + "\nrename them in the course (tracksite check names them) and export again"
        )
    order = [n for n in first if n in names] + [n for n in names if n not in first]
    fd, tmp = tempfile.mkstemp(prefix=".tracksite-", suffix=".zip", dir=out.parent)
    os.close(fd)
    mask = os.umask(0)  # mkstemp makes the file for its owner alone; an export is to be shared
    os.umask(mask)
    os.chmod(tmp, 0o666 & ~mask)
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
            for name in order:
                z.write(names[name], name)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(order)


def output_path(root: Path, out: str, suffixes: tuple[str, ...]) -> Path:
    path = Path(out)
    path = path if path.is_absolute() else Path.cwd() / path
    if path.suffix.lower() not in suffixes:
        raise UserError(f"--out {out}: the file should end in {' or '.join(suffixes)}", exit_code=USAGE)
    if path.is_dir():
        raise UserError(f"--out {out} is a folder; give a file name", exit_code=USAGE)
    return path


#: The search box's mark, which search.js looks for before it shows the box (partials/search-box.html).
SEARCH_MARK = 'class="ts-search" data-ts-search'


#: (a declared course_id's `data-earlier`, whose keys a site moves, is dropped: an export's state is
#: bound to its own address, and a SCORM launch takes the LMS's)
_COURSE_META = re.compile(r'<meta name="tracksite-course" content="([0-9a-f]{8})"(?: data-[a-z-]+="[^"<>]*")*>')


def bind(text: str, course_id: str | None = None) -> str:
    """The page's namespace bound to the copy's location (widgets.js): an LMS serves each activity
    from a path of its own, so two activities of one package, or two courses of one name, keep
    their own state; `course_id` replaces the course's id (a track's package has its own)."""
    return _COURSE_META.sub(
        lambda m: f'<meta name="tracksite-course" content="{course_id or m[1]}" data-bound="location">', text, count=1
    )


def prepare(staged: Path, scripts: tuple[str, ...], *, search: bool = True, course_id: str | None = None) -> None:
    """Every page of the copy: links made explicit, its namespace bound to the copy's location
    (`bind`), and `scripts` (files of theme/export) loaded first, from the copy's assets folder.
    `search=False` for a copy without the search's index (the Common Cartridge): the box loses its
    mark, so search.js leaves it hidden rather than showing a button whose index is not there."""
    (staged / ASSETS).mkdir(parents=True, exist_ok=True)
    for name in scripts:
        shutil.copyfile(EXPORT / name, staged / ASSETS / name)
    for page in pages(staged):
        text = page.read_text(encoding="utf-8")
        up = relative_root(page, staged)
        text = bind(make_explicit(text, page, staged), course_id)
        if not search:
            text = text.replace(SEARCH_MARK, 'class="ts-search"', 1)
        page.write_text(add_scripts(text, [f"{up}{ASSETS}/{s}" for s in scripts]), encoding="utf-8")
