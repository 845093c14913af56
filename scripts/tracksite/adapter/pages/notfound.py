"""The 404 page's links from the site's root.

A web server answers every missing address with 404.html, at that address: `/a/b/c/` shows the
page written for `/404.html`. MkDocs writes its links relative (`assets/...`), so below the home
page the stylesheets, scripts and links would point under the missing folder and fail, leaving
an unstyled page. The links are rewritten from the site's root path: the path of `site_url`
when it has one (a site published below a folder), else `/` (and `mkdocs serve` serves the
site at the path of `site_url` too). MkDocs' own links on this page are already from the root, but
its link home is `/.`: every path is written without `.` and `..` segments, so home is `/`."""

from __future__ import annotations

import posixpath
import re
from urllib.parse import urlsplit

# The search box's script and index (data-ui, data-index) are addresses too: the 404 page offers search.
_ATTR = re.compile(r'(?P<attr>\b(?:href|src|data-ui|data-index)=)(?P<q>["\'])(?P<url>[^"\']*)(?P=q)')
_ELSEWHERE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//|#)")  # another site, or this page


def root_path(site_url: str | None) -> str:
    """The path the site is served at, with a slash at each end."""
    path = urlsplit(site_url or "").path or "/"
    return path if path.endswith("/") else path + "/"


def from_root(html: str, site_url: str | None) -> str:
    """`html` with its relative href and src values made absolute paths from the site's root,
    and every path from the root without `.` or `..` segments."""
    root = root_path(site_url)

    def fix(m: re.Match[str]) -> str:
        url = m["url"]
        if not url or _ELSEWHERE.match(url):
            return m.group(0)
        return f"{m['attr']}{m['q']}{_clean(url if url.startswith('/') else root + url)}{m['q']}"

    return _ATTR.sub(fix, html)


def _clean(url: str) -> str:
    """`/a/./b/../c/?q` as `/a/c/?q`: the path's dot segments resolved, a final slash kept."""
    end = min((i for i in (url.find("?"), url.find("#")) if i >= 0), default=len(url))
    path, rest = url[:end], url[end:]
    clean = posixpath.normpath(path)
    if clean != "/" and path.endswith(("/", "/.", "/..")):
        clean += "/"
    return clean + rest
