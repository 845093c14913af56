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

import tinycss2

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


def is_remote(url: str) -> bool:
    """Whether a browser would fetch `url` from another host, read as its URL parser reads it:
    spaces and control characters around it ignored, tabs and newlines inside dropped, `\\` a `/`,
    and `http:host` (no slashes) a host too, because the scheme differs from the page's."""
    plain = _URL_DROPS.sub("", url.strip(_URL_STRIP)).replace("\\", "/")
    return bool(REMOTE.match(plain) or _SPECIAL.match(plain))


_URL_STRIP = "".join(map(chr, range(33)))
_URL_DROPS = re.compile(r"[\t\n\r]")
_SPECIAL = re.compile(r"^(?:https?|wss?|ftp):", re.I)


def unlisted(value: str, allowed: frozenset[str] = frozenset()) -> str | None:
    """The first address in an attribute value (`src`, or a `srcset` of candidates) that loads
    from another host and is not listed; None when every one is local or listed. The whole value
    is tried first, so a listed address that holds a comma is one address."""
    value = value.strip()
    if value in allowed:
        return None
    for candidate in value.split(","):
        url = (candidate.split() or [""])[0]
        if is_remote(url) and url not in allowed:
            return url
    return None


def remote_in_css(text: str, first_line: int = 1, allowed: frozenset[str] = frozenset()) -> list[tuple[int, str]]:
    """(line, URL) of every `url(...)`, `@import` and `image-set()` of a style sheet that names
    another host (a listed one, in `allowed`, is the build's to copy when it is written as listed).
    The text is read by a CSS tokenizer (tinycss2), as browsers read it: escapes (`u\\72l(`,
    `\\68ttps:`) and comments (`@import/**/"..."`) hide nothing."""
    found: list[tuple[int, str]] = []
    for line, url in _css_urls(tinycss2.parse_component_value_list(text)):
        if is_remote(url) and not (url in allowed and url in text):
            found.append((first_line + line - 1, url))
    return found


def css_imports(text: str) -> bool:
    """Whether a style sheet `@import`s another (however the at-rule's name is escaped)."""
    return "@" in text and any(
        token.type == "at-keyword" and token.lower_value == "import"
        for token in _flat(tinycss2.parse_component_value_list(text))
    )


def _flat(tokens):
    for token in tokens:
        yield token
        inner = getattr(token, "content", None) if token.type != "function" else token.arguments
        if isinstance(inner, list):
            yield from _flat(inner)


_URL_FUNCTIONS = {"url", "src"}
_STRING_FUNCTIONS = {"image-set", "-webkit-image-set", "image", "cross-fade", "-webkit-cross-fade"}


def _css_urls(tokens) -> list[tuple[int, str]]:
    """(line, URL) of each address a browser fetches in a list of CSS component values, nested
    blocks and functions included: url tokens, `url("...")`, `@import "..."` and the plain
    strings `image-set()` takes as images."""
    found: list[tuple[int, str]] = []
    importing = False
    for token in tokens:
        kind = token.type
        if kind in ("whitespace", "comment"):
            continue
        if kind == "url":
            found.append((token.source_line, token.value))
        elif kind == "string" and importing:
            found.append((token.source_line, token.value))
        elif kind == "function":
            name = token.lower_name
            strings = [t for t in token.arguments if t.type == "string"]
            if name in _URL_FUNCTIONS:
                found += [(t.source_line, t.value) for t in strings[:1]]
            elif name in _STRING_FUNCTIONS:
                found += [(t.source_line, t.value) for t in strings]
            found += _css_urls(token.arguments)
        elif kind in ("{} block", "[] block", "() block"):
            found += _css_urls(token.content)
        importing = kind == "at-keyword" and token.lower_value == "import"
    return found


def remote_message(url: str) -> str:
    """The one reason given for every remote load refused (Markdown, HTML, SVG, CSS), after the
    element that names it: `<image> loads 'https://...' from a third party`. One wording, so a
    reader learns it once and `statics._hint` can tell it from the other refusals."""
    return f"loads {url[:80]!r} from a third party"
