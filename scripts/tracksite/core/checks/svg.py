"""Today's rules for one static file: it stays inside the project, and an SVG is a plain drawing.

An SVG is served from the site's origin, where opening it directly would run any script in
it. These pattern checks stand in until the static-file rules of core/statics.py (a real XML
parser, an allow-list of elements) replace `svg_problems` in checks/urls.py.
"""
from __future__ import annotations

import itertools
import os
from pathlib import Path

from tracksite.core import references as refs
from tracksite.core.checks.content import ACTIVE_TAG, MAX_FINDINGS, TAG_HANDLER
from tracksite.core.sources import SourceProblem, read_text


def svg_problems(path: Path, root: Path) -> list[tuple[int | None, str, str | None]]:
    real = Path(os.path.realpath(path))
    try:
        real.relative_to(root)
    except ValueError:
        return [(None, "symbolic link points outside the project; copy the files in instead", None)]
    if path.suffix.lower() != ".svg":
        return []
    try:
        text = read_text(real)  # a link inside the project is fine
    except SourceProblem as e:
        return [(e.line, e.message, None)]
    line_at = refs.line_finder(text, 1)
    found = [(line_at(m.start()), f"<{m.group(1)}> element")
             for m in itertools.islice(ACTIVE_TAG.finditer(text), MAX_FINDINGS)]
    found += [(line_at(m.start(1)), f"{m.group(1)}= event handler")
              for m in itertools.islice(TAG_HANDLER.finditer(text), MAX_FINDINGS)]
    found += [(line, f"{scheme}: URL") for line, scheme, _ in
              itertools.islice(refs.unsafe_urls(text, 1), MAX_FINDINGS) if scheme != "data"]
    return [(line, f"SVG contains a {what}; diagrams must be plain drawings",
             "remove scripts, event handlers and javascript: links from the file") for line, what in found]
