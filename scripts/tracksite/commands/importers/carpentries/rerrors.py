"""R's errors in a knitted episode: which come from this machine, and which the lesson does not allow.

knitr runs every chunk with `error = TRUE` here, so that one failing chunk does not hide the
rest of the episode's output, and then the errors are judged: a missing or older package is the
machine's fault (`environment_errors`); any other error in a chunk that does not allow errors
(knitr's `error=TRUE`, on the chunk or set for every chunk by the lesson's own
`knitr::opts_chunk$set(error = TRUE)`) stops the import, as it stops the Workbench's build and as
`--help` says, unless `--allow-errors` publishes it. An error a lesson teaches is marked
`error=TRUE` in the lesson, and is output. Not every lesson marks every one: knitr's own default
lets any chunk fail, and r-novice-gapminder leaves six taught errors unmarked (its 04, 06, 07 and
10 episodes), which stop the import until marked upstream or published with `--allow-errors`.
"""

from __future__ import annotations

import re

# R's messages for a package that is missing or too old: the machine's fault, never the lesson's
ENVIRONMENT_ERROR = re.compile(
    r"there is no package called .(?P<a>[\w.]+).|"
    r"namespace .(?P<b>[\w.]+). [\w.-]+ is (?:already loaded|being loaded), but [^\n]* is required|"
    r"package .(?P<c>[\w.]+). was built under R version|"
    r"package or namespace load failed for .(?P<d>[\w.]+)."
)


def environment_errors(knitted: str, name: str, lines: list[int]) -> list[str]:
    """ "episodes/NAME:LINE: the package X: R's message" for each error block of the knitted
    episode that a missing or older package caused (the lesson's own errors: `unallowed`)."""
    found, output = [], False  # inside an output, error or warning fence: what R printed
    for n, line in enumerate(knitted.splitlines(), 1):
        fence = re.match(r"^\s*`{3,}\s*(\w*)", line)
        if fence:
            output = not output and fence.group(1) in ("output", "error", "warning")
            continue
        m = ENVIRONMENT_ERROR.search(line) if output else None
        if m:
            package = m["a"] or m["b"] or m["c"] or m["d"]
            found.append(
                f"episodes/{name}:{lines[min(n, len(lines) - 1)]}: the R package {package}: {line.strip()[:160]}"
            )
    return found


GLOBAL_ERRORS = re.compile(r"opts_chunk\$set\([^)]*\berror\s*=\s*(?:TRUE|T)\b")
STOPPED = (
    "R stopped with an error in chunks that do not allow errors (no error=TRUE):\n{errors}\n"
    "fix the lesson's code (or this machine's R), mark the chunk error=TRUE where the lesson teaches "
    "the error, or import with --allow-errors to publish R's errors, or without --execute to run nothing. "
    "Nothing was written"
)


def unallowed(source: str, spans: list, knitted: str, name: str, lines: list[int]) -> list[str]:
    """ "episodes/NAME:LINE: R's error in chunk LABEL: its first line" for each error block of the
    knitted episode whose chunk does not allow errors; `spans`, the source's chunks (knitr.chunks),
    `lines` maps knitted lines to the source's (knitr.line_map): the chunk is the one around."""
    if GLOBAL_ERRORS.search(source):
        return []
    spans = [c for c in spans if c.engine == "r"]
    found, block = [], None
    knitted_lines = knitted.splitlines()
    for n, line in enumerate(knitted_lines, 1):
        fence = re.match(r"^\s*`{3,}\s*(\w*)\s*$", line)
        if fence and block is None and fence.group(1) == "error":
            block = n
        elif fence and block is not None:
            block = None
        elif block is not None and block == n - 1:  # the error's first line
            chunk = _chunk_of(spans, lines, knitted_lines, n)
            mine = ENVIRONMENT_ERROR.search(line) is None  # (the machine's: environment_errors)
            if chunk is not None and mine and not chunk.flag("error", default=False):
                label = f" {chunk.label}" if chunk.label else ""
                found.append(f"episodes/{name}:{chunk.start + 1}: R's error in chunk{label}: {line.strip()[:160]}")
    return found


def _chunk_of(spans: list, lines: list[int], knitted: list[str], n: int):
    """The chunk that printed the error whose first line is knitted line `n`. The last written
    line above the error, mapped to the `.Rmd`, is inside the chunk when knitr echoed its code;
    a chunk with echo=FALSE echoes none, and that line is the prose above it: the chunk is then
    the one between that prose and the next line knitr copied, not the chunk above the prose."""
    above = next((k for k in range(n - 2, 0, -1) if knitted[k - 1].strip()), 0)  # (n - 1: the fence)
    here = lines[min(above, len(lines) - 1)]
    inside = next((c for c in spans if c.start + 1 < here <= c.end + 1), None)
    if inside is not None:
        return inside
    ahead = next((line for line in lines[n + 1 :] if line > here), float("inf"))
    hidden = next((c for c in reversed(spans) if here < c.start + 1 < ahead), None)
    return hidden or next((c for c in reversed(spans) if c.start + 1 <= here), None)
