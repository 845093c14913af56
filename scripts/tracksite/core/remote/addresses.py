"""Addresses on another host in what the site publishes.

A learner's browser that loads an image, font, script, frame or style sheet from another host
tells that host who is reading what, on a site that promises no third-party requests
(docs/security.md). The HTML, SVG and CSS readers (statics.py, svgsafe.py) share these rules so
that a remote file is refused the same way wherever it is named. The one way past the refusal is
the instructor's listing, `remote-files.yml` (core/remote/files.py): a listed address (`allowed`)
is not refused, because the build copies the file into the site and points every use at the copy.
"""

from __future__ import annotations

import re

# scheme-relative or absolute: //host/x, https://host/x (a `mailto:` or `#id` is not remote)
REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.I)
_CSS_URL = re.compile(r"""(?:url\(\s*|@import\s+(?:url\(\s*)?)(["']?)([^"')\s;]+)""", re.I)
LOADING = {"src", "srcset", "poster", "background", "data"}  # attributes whose URL the browser fetches
LISTING = "remote-files.yml"  # beside mkdocs.yml: the remote files the build copies into the site
REMOTE_HINT = (
    "the site makes no third-party requests (docs/security.md): download the file, put it beside "
    f"this one and link it by its name, or list its address and licence in {LISTING} so that the "
    "build copies it into the site"
)
CSS_URL = _CSS_URL  # what core/remote/files.py rewrites, found as the check finds it


def unlisted(value: str, allowed: frozenset[str] = frozenset()) -> str | None:
    """The first address in an attribute value (`src`, or a `srcset` of candidates) that loads
    from another host and is not listed; None when every one is local or listed. The whole value
    is tried first, so a listed address that holds a comma is one address."""
    value = value.strip()
    if value in allowed:
        return None
    for candidate in value.split(","):
        url = (candidate.split() or [""])[0]
        if REMOTE.match(url) and url not in allowed:
            return url
    return None


def remote_in_css(text: str, first_line: int = 1, allowed: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """(line, URL) of every `url(...)` and `@import` of a style sheet that names another host
    (a listed one, in `allowed`, is the build's to copy)."""
    found = []
    for m in _CSS_URL.finditer(text):
        if REMOTE.match(m.group(2)) and m.group(2) not in allowed:
            found.append((first_line + text.count("\n", 0, m.start()), m.group(2)))
    return found


def remote_message(url: str) -> str:
    """The one reason given for every remote load refused (Markdown, HTML, SVG, CSS), after the
    element that names it: `<image> loads 'https://...' from a third party`. One wording, so a
    reader learns it once and `statics._hint` can tell it from the other refusals."""
    return f"loads {url[:80]!r} from a third party"
