"""tracksite's own scripts as a site publishes them: without their comments and spare whitespace.

The package's scripts explain themselves in comments (why a key, which browser quirk, which
issue); a learner's browser needs none of it, and on a runnable lesson's first visit those
comments and the indentation were about 7 kB of gzip, which put the bundled course's heaviest
lessons over issue 83's budget of 90 kB of assets (docs/benchmarks.md). So the site plan
publishes each of tracksite's classic scripts as `published(text)`: rjsmin (a maintained
minifier of jsmin's rules: comments and whitespace out, a line break kept wherever leaving it
out could change how the script is read; names and statements untouched).
tests/core/test_published_scripts.py parses every script and its published form with a real
JavaScript parser (espree, ESLint's) and compares the trees, so a form the minifier misreads
fails there, not in a learner's browser.

Left as written: module scripts (`import`/`export` statements), which the offline copy turns
into classic ones and the page-weight tool reads line by line; the interpreter's side
(`theme.RUNTIME`: Pyodide and CodeMirror as vendored, and the worker, frame and editor scripts
the runnable block fetches on a learner's intent); a course's own scripts (docs/, `extra_javascript`).
The package's sources keep their comments.
"""

from __future__ import annotations

import re

import rjsmin

from tracksite import theme

#: a module script: the offline copy's `classic()` and tools/weight.py find these statements at a line's start
_MODULE = re.compile(r"^\s*(?:import|export)\b(?!\s*\()", re.M)


def published(text: str) -> str:
    """`text` without its comments and the whitespace no statement needs (rjsmin), ending in a
    newline; a module script as written (see the module's docstring)."""
    if _MODULE.search(text):
        return text
    out = rjsmin.jsmin(text)
    return out if out.endswith("\n") or not out else out + "\n"


def minified(src_uri: str) -> bool:
    """Whether the site publishes the package's script at `src_uri` through `published`: its
    own scripts, not the interpreter's side (theme.RUNTIME)."""
    return src_uri.endswith(".js") and not src_uri.startswith(theme.RUNTIME)
