"""Resolving a built page's links the way a browser does, at the address the site is served
under (`/`, or `/course/` for a GitHub Pages project site). Shared by `tracksite linkcheck` and
the page-weight tool, which may not import each other."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

INDEX = "index.html"


@dataclass
class Layout:
    """Where the built site is, and the URL path it is served under. MkDocs writes absolute
    links `/course/assets/...` into 404.html when mkdocs.yml's site_url has a path."""

    folder: Path
    base: str = "/"

    @property
    def base_parts(self) -> list[str]:
        return [p for p in self.base.split("/") if p]


@dataclass(frozen=True)
class Target:
    parts: tuple[str, ...]  # path segments below the site root
    is_dir: bool
    escapes: str | None  # why the link leaves the site, if it does
    fragment: str

    def file(self, site: Path) -> Path:
        path = site.joinpath(*self.parts)
        return path / INDEX if self.is_dir or path.is_dir() else path

    def shown(self) -> str:
        return "/".join(self.parts) + ("/" if self.is_dir and self.parts else "")


def resolve(layout: Layout, page: Path, raw: str) -> Target:
    """Resolve a link of `page` as a browser would at the site's URL: a climb above the root is
    clamped there (and reported), an absolute path must start with the site's base."""
    site = layout.folder
    url = urlsplit(raw)
    fragment = url.fragment
    if not url.path:  # `#x`, `?q` or ``: the page itself
        return Target(page.relative_to(site).parts, False, None, fragment)
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
    return Target(tuple(parts[n:]), is_dir, escapes, fragment)


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


def rel(path: Path, site: Path) -> str:
    try:
        return path.relative_to(site).as_posix()
    except ValueError:
        return path.as_posix()
