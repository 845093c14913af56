"""The 404 page's links from the site's root.

A web server answers every missing address with 404.html, at that address: `/a/b/c/` shows the
page written for `/404.html`. MkDocs writes its links relative (`assets/...`), so below the home
page the stylesheets, scripts and links would point under the missing folder and fail, leaving
an unstyled page. The links are rewritten from the site's root path: the path of `site_url`
when it has one (a site published below a folder), else `/` (and `mkdocs serve` serves the
site at the path of `site_url` too)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

_ATTR = re.compile(r'(?P<attr>\b(?:href|src)=)(?P<q>["\'])(?P<url>[^"\']*)(?P=q)')
_ABSOLUTE = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|/|#)")


def root_path(site_url: str | None) -> str:
    """The path the site is served at, with a slash at each end."""
    path = urlsplit(site_url or "").path or "/"
    return path if path.endswith("/") else path + "/"


def from_root(html: str, site_url: str | None) -> str:
    """`html` with its relative href and src values made absolute paths from the site's root."""
    root = root_path(site_url)

    def fix(m: re.Match[str]) -> str:
        url = m["url"]
        if not url or _ABSOLUTE.match(url):
            return m.group(0)
        while url.startswith("./"):
            url = url[2:]
        url = "" if url == "." else url
        return f"{m['attr']}{m['q']}{root}{url}{m['q']}"

    return _ATTR.sub(fix, html)
