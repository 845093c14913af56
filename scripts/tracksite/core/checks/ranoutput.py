"""Output that a run of the lesson's code wrote beside it, checked against that code.

`tracksite import ... --execute` runs an R Markdown lesson's chunks (in the sandbox) and writes
each chunk as a code block followed by its output: output fences (```` ```output ````, `error`,
`warning`) and plots. Nothing runs the code again when an author edits it on the page, so the
output below it would go on showing what the old code printed, with check and the strict build
silent. The import therefore records, per lesson it ran, a digest of each chunk (its code and the
output that code made) in the track's import record (`lessons/<track>/.import/record.json`,
`outputs`); this pass reads the lessons again and warns at each chunk whose digest is not one the
run made: its code (or its output) changed since. `chunks` is the one reading of a chunk, for
the import's record, for this pass and for `import --verify`.

A chunk whose output was never separate from its code (knitr's `collapse=TRUE`), or whose code
is hidden (`echo=FALSE`), has no code block followed by output, and is not checked.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from tracksite.core.checks.common import problems_of

RECORD = Path(".import") / "record.json"
OUTPUT_INFO = frozenset({"output", "error", "warning", "message"})
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*\{?\s*\.?(?P<info>[\w+-]*)")
_IMAGE = re.compile(r"^\s*!\[")
_CAPTION = re.compile(r"^\s*/{3,}\s*caption\b")
_BLOCK_END = re.compile(r"^\s*/{3,}\s*$")


def _blocks(lines: list[str]) -> list[tuple[int, int, str, str]]:
    """(first line index, index after the closing fence, info, text) of each fenced block."""
    out, i = [], 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, end = m["fence"], i + 1
        close = re.compile(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$")
        while end < len(lines) and not close.match(lines[end]):
            end += 1
        out.append((i, end + 1, m["info"].lower(), "\n".join(line.strip() for line in lines[i + 1 : end])))
        i = end + 1
    return out


def _between(lines: list[str], *, leading: bool = False) -> list[str] | None:
    """The plots between a code block and the next block, or None where anything else stands there
    (prose: the code block's output, if any, ended before it); `leading`: the plots before it."""
    plots, caption = [], False
    for line in lines:
        if caption:
            caption = not _BLOCK_END.match(line)
        elif _CAPTION.match(line):
            caption = True
        elif _IMAGE.match(line):
            plots.append(line.strip())
        elif line.strip():
            return plots if leading else None
    return plots


def chunks(body: str, body_line: int = 1) -> list[tuple[int, str]]:
    """(line of the code block, digest of the code and its output) of each code block of `body`
    that output follows: output fences and plots, with nothing else between."""
    lines = body.split("\n")
    blocks = _blocks(lines)
    found = []
    for n, (start, end, info, code) in enumerate(blocks):
        if info in OUTPUT_INFO:
            continue
        made: list[str] = []
        after = end
        for nxt_start, nxt_end, nxt_info, text in blocks[n + 1 :]:
            plots = _between(lines[after:nxt_start])
            if plots is None or nxt_info not in OUTPUT_INFO:
                break
            made += [*plots, f"{nxt_info}\0{text}"]
            after = nxt_end
        made += _between(lines[after : next((b[0] for b in blocks if b[0] >= after), len(lines))], leading=True) or []
        if made:
            digest = hashlib.sha256("\0\0".join([code, *made]).encode("utf-8")).hexdigest()[:32]
            found.append((body_line + start, digest))
    return found


def recorded(lessons: Path, track: str) -> tuple[str, dict[str, list[str]]]:
    """The source's format and the digests the last import's run made, by lesson file (course-
    relative): none when the track was not imported with its code run, or its record cannot be
    read (the import and its --update report that)."""
    try:
        record = json.loads((lessons / track / RECORD).read_text(encoding="utf-8"))
        fmt, outputs = str(record.get("format") or "FORMAT"), record.get("outputs")
    except (OSError, ValueError, AttributeError):
        return "FORMAT", {}
    return fmt, outputs if isinstance(outputs, dict) else {}


def stale_outputs(project) -> list:
    """A warning at each chunk of a lesson whose code or output is not what the import's run made."""
    out = problems_of(project)
    runs: dict[str, tuple[str, dict[str, list[str]]]] = {}
    for doc in project.documents:
        try:
            rel = Path(doc.path).relative_to(project.root)  # (the loader's paths are under its root)
        except ValueError:
            continue
        if len(rel.parts) < 3 or rel.parts[0] != "lessons":
            continue
        track = rel.parts[1]
        fmt, outputs = runs.setdefault(track, recorded(project.root / "lessons", track))
        made = outputs.get(rel.as_posix())
        if not made:
            continue
        for line, digest in chunks(doc.body, doc.body_line):
            if digest in made:
                continue
            out.add(
                doc.path,
                line,
                "this code block and the output below it are not what the import's run made: the code or "
                "its output changed since, so the page may show output this code does not print",
                hint=f"make the change in the source lesson and run it again with `tracksite import {fmt} "
                f"PATH --track {track} --update --execute`, or take the output out",
                severity="warning",
                code="TS713",
            )
    return out.items
