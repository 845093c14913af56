"""The Content-Security-Policy each page ships in a `<meta>` tag, made exact per page.

Our own widgets use external scripts only. Material's theme still writes a few small inline
scripts (scope, palette, tabs), so rather than allowing every inline script with
'unsafe-inline', each page's policy lists the SHA-256 hashes of exactly the inline scripts the
*templates* wrote. A template's `<script>` tags are marked while the template's source is
loaded (`mark`), with a token drawn at random when this module is imported and never written
to the site: page content reaches the templates only as variables, after loading, so a script
that slipped into a page (a title, a Markdown body) carries no mark, is not hashed, and the
browser blocks it and reports the violation.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import re
import secrets

import jinja2

from tracksite.core import widgetregistry as W

# The policy, one list of sources per directive (docs/security.md says why each one).
DIRECTIVES: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
_TOKEN = secrets.token_hex(16)
_MARK = f' data-tracksite-theme="{_TOKEN}"'
_META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="[^"]*">')
_INLINE_SCRIPT = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>(?P<body>.*?)</script>", re.S | re.I)
_OPEN_TAG = re.compile(r"<script(?P<attrs>(?:\s[^>]*)?)>", re.I)  # (`_INLINE_SCRIPT` in two parts)
_CLOSE_TAG = re.compile(r"</script>", re.I)
_SCRIPT_TAG = re.compile(r"<script(?=[\s>])", re.I)


def mark(template_source: str) -> str:
    """Mark every `<script` a template's source writes as the theme's own."""
    return _SCRIPT_TAG.sub(lambda m: m.group(0) + _MARK, template_source)


_SRC = re.compile(r"\bsrc\s*=", re.I)
_TYPE = re.compile(r"""\btype\s*=\s*["']?([^"'\s>]+)""", re.I)


def _executes(attrs: str) -> bool:
    if _SRC.search(attrs):
        return False
    m = _TYPE.search(attrs)
    return m is None or m.group(1).lower() in ("text/javascript", "module", "application/javascript")


@functools.lru_cache(maxsize=256)
def _hash(body: str) -> str:
    """Remembered: the theme writes the same few inline scripts into every page."""
    digest = hashlib.sha256(body.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def inline_script_hashes(html: str) -> list[str]:
    """Hashes of every executable inline script of a page (the theme's or not): what the tests
    compare a page's policy with."""
    found = set()
    for m in _INLINE_SCRIPT.finditer(html):
        if _executes(m.group("attrs")):
            found.add(_hash(m.group("body")))
    return sorted(found)


def _marks(html: str) -> list[int]:
    """Where the theme's marks are: found as plain text (the token is random), not by scanning
    the page for every `<script` without regard to case, which was most of a page's policy."""
    found, at = [], html.find(_MARK)
    while at >= 0:
        found.append(at)
        at = html.find(_MARK, at + len(_MARK))
    return found


def _theme_hashes(html: str, marks: list[int]) -> list[str]:
    """Hashes of the theme's executable inline scripts, each read from its tag's start (the mark
    follows the tag's name, `mark`); a mark inside the script read before it (whose end tag is
    missing) is no script of its own, as for a scan of the whole page."""
    found, end = set(), 0
    for at in marks:
        start = at - len("<script")
        tag = _OPEN_TAG.match(html, start) if start >= end else None
        close = _close(html, tag.end()) if tag is not None else -1
        if tag is not None and close >= 0:
            end = close + len("</script>")
            if _executes(tag.group("attrs")):
                found.add(_hash(html[tag.end() : close]))
    return sorted(found)


def _close(html: str, at: int) -> int:
    """Where the first `</script>` after `at` is (as `_INLINE_SCRIPT` reads it, case aside), or
    -1: looked for at each `</` (a few in a script), not tried at each character of its body."""
    at = html.find("</", at)
    while at >= 0 and _CLOSE_TAG.match(html, at) is None:
        at = html.find("</", at + 2)
    return at


def policy(hashes: list[str], *, wasm: bool = False) -> str:
    """The policy with these script hashes; `wasm`: for a page that runs Python, WebAssembly may
    compile (`'wasm-unsafe-eval'`, never `'unsafe-eval'`) and the only worker is one started from
    a `blob:` URL (`worker-src blob:`), which inherits this policy: a worker loaded from a URL of
    the site would run under its response's headers alone, none under a `<meta>` policy, and its
    code could reach any host and eval (issue 69; docs/security.md says why)."""
    parts = []
    for name, sources in DIRECTIVES.items():
        extra = [*hashes, *([WASM] if wasm else [])] if name == "script-src" else []
        if wasm and name == "worker-src":
            sources = [WORKER]
        parts.append(" ".join([name, *sources, *extra]))
    return "; ".join(parts)


#: What a page that runs Python adds to `script-src`: its worker compiles Pyodide's WebAssembly.
WASM = "'wasm-unsafe-eval'"
#: A page that runs Python's `worker-src`: runnable.js starts the worker from a `blob:` URL.
WORKER = "blob:"
#: The marks of a page that runs Python: a runnable block, or a predict block made runnable.
_RUNS_PYTHON = (f'data-widget="{W.RUNNABLE.name}"', 'data-runnable="true"')


def _runs_python(html: str) -> bool:
    return any(mark in html for mark in _RUNS_PYTHON)


def apply(html: str) -> str:
    """Fill the page's CSP meta tag with the hashes of the theme's inline scripts on this page,
    and drop the marks (the token never reaches the site): the page cut once where its marks and
    its tag are (a page's marks are found once, for its hashes and to be dropped)."""
    marks = _marks(html)
    cuts = [(at, at + len(_MARK), "") for at in marks]
    tag = _META.search(html)  # (a mark holds quotes: never inside the tag's content)
    if tag is not None:
        content = policy(_theme_hashes(html, marks), wasm=_runs_python(html))
        cuts.append((tag.start(), tag.end(), f'<meta http-equiv="Content-Security-Policy" content="{content}">'))
        cuts.sort()
    if not cuts:
        return html
    out: list[str] = []
    done = 0
    for start, end, text in cuts:
        out += (html[done:start], text)
        done = end
    out.append(html[done:])
    return "".join(out)


class ThemeLoader(jinja2.BaseLoader):
    """The theme's template loader, with every template's `<script>` tags marked (see `mark`)."""

    def __init__(self, inner: jinja2.BaseLoader) -> None:
        self.inner = inner

    def get_source(self, environment: jinja2.Environment, template: str):
        source, filename, uptodate = self.inner.get_source(environment, template)
        return mark(source), filename, uptodate

    def list_templates(self) -> list[str]:
        return self.inner.list_templates()
