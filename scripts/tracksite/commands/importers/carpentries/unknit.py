"""An R Markdown episode as learners see it where its code is not run (no `--execute`).

Hidden chunks (`include=FALSE`, `echo=FALSE`) are left out and the rest shown as code; what the
page then lacks is counted for the import's summary (`Unrun`). A chunk `child="files/part.Rmd"`
is knitr's child document, which held-out lessons use for text shared by episodes: knitr puts the
child's text in the chunk's place, and so does this (its own chunks treated alike). Before, the
chunk became an empty code block and the child's text was lost without a word.

knitr also reads options inside a chunk (`#| echo: false`, or `#| label = "a", eval = FALSE`) and
shows the code without those lines; `file=` and `code = readLines("files/a.R")[2:9]` give the chunk
its code from a lesson file. Before, the `#|` lines were shown as code and such a chunk was empty.

A hidden chunk that makes output (`echo=FALSE` around a plot or a printed table), alone in a
block (`::: solution`, any kind), stands as a placeholder in the lesson's words, and the import
warns at its line (`Unrun.placeholders`): before, the block was empty and the import failed (TS404).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.commands.importers.carpentries import echolines
from tracksite.commands.importers.carpentries.chunkheaders import Chunk, chunks, join_headers, option_lines
from tracksite.commands.importers.pipeline import confine, counting
from tracksite.core.sources import read_text


@dataclass
class Unrun:
    """What an episode imported without R will lack."""

    chunks: int = 0  # evaluated chunks whose output is missing
    plots: int = 0  # of those, the ones that most likely draw a plot
    hidden: int = 0  # include=FALSE / echo=FALSE chunks left out
    children: list[tuple[int, str, bool]] = field(default_factory=list)  # (line, child=, found)
    sourced: list[tuple[int, str, bool]] = field(default_factory=list)  # (line, file= or code=, found)
    figures: int = 0  # include_graphics() chunks shown as their figures
    placeholders: list[int] = field(default_factory=list)  # lines of hidden output chunks alone in a block


# knitr::include_graphics("fig/a.png"), a chunk's only call: the figure, shown as it is
_GRAPHICS = re.compile(
    r"""^\s*(?:knitr::)?include_graphics\(\s*(?:path\s*=\s*)?(['"])(?P<path>[^'"]+)\1\s*\)\s*;?\s*$"""
)
_MARK = "\x00unrun:"  # a hidden output chunk's first line until _placed() decides what stands there
# code = readLines("files/plan.R")[2:19], as lessons write it; any other R expression needs R
_READ = re.compile(
    r"""^(?:readLines|xfun::read_utf8)\(\s*(['"])(?P<path>[^'"]+)\1\s*\)"""
    r"""\s*(?:\[\s*(?P<a>\d+)\s*:\s*(?P<b>\d+)\s*\])?$"""
)


def without_r(text: str, child: Callable[[str], str | None] | None = None, placeholder: str = "") -> tuple[str, Unrun]:
    """The episode as learners may see it without running it: hidden chunks blanked (the line
    count stays, so notes keep pointing at the source's lines); shown chunks are left as written.
    A chunk `child="files/part.Rmd"` is knitr's child document: its text stands in the chunk's
    place, as knitr puts it there (`child` reads it, None when the lesson has no such file; the
    line count then changes, which `Unrun.children` says). `placeholder` stands where a hidden
    chunk that makes output is all a block holds (_placed)."""
    lines = join_headers(text)[0].splitlines()
    missing = Unrun()
    for chunk in reversed(chunks(lines)):  # (from the end: a child's lines move none above it)
        name = chunk.value("child")
        if name and chunk.flag("include") and child is not None:
            body = child(name)
            missing.children.insert(0, (chunk.start + 1, name, body is not None))
            inner, more = without_r(body or "", None, placeholder)
            missing.chunks, missing.plots, missing.hidden = (
                missing.chunks + more.chunks,
                missing.plots + more.plots,
                missing.hidden + more.hidden,
            )
            lines[chunk.start : chunk.end + 1] = ["", *inner.splitlines(), ""] if body is not None else [""]
            continue
        figures = _figures(chunk)
        if figures and not chunk.shown:  # knitr's include_graphics(): a figure, no R to run
            span = chunk.end + 1 - chunk.start
            lines[chunk.start : chunk.end + 1] = [*figures, *[""] * span][: max(span, len(figures))]
            missing.figures += len(figures)
            continue
        if chunk.runs and chunk.flag("include"):
            missing.chunks += 1
            missing.plots += chunk.plots
        if not chunk.shown:
            missing.hidden += 1
            lines[chunk.start : chunk.end + 1] = [""] * (chunk.end + 1 - chunk.start)
            if chunk.runs and chunk.flag("include") and _makes_output(chunk):
                lines[chunk.start] = f"{_MARK}{chunk.start + 1}"
        else:
            lines[chunk.start : chunk.end + 1] = _shown(chunk, lines[chunk.start : chunk.end + 1], child, missing)
    missing.placeholders[:0] = _placed(lines, placeholder)
    return "\n".join(lines) + "\n", missing


def _makes_output(chunk: Chunk) -> bool:
    """Whether a hidden chunk most likely puts something on the page (knitr's `results="hide"`
    with `fig.show="hide"` puts nothing; any other chunk that runs may print or draw)."""
    return not (chunk.value("results") == "hide" and chunk.value("fig.show") == "hide")


def _placed(lines: list[str], placeholder: str) -> list[int]:
    """Each hidden output chunk's mark made a placeholder where the chunk is all its block holds
    besides headings and other such chunks (knitr would show its output there; without R the block
    would be empty), else a blank line. Returns the source lines of the placeholders."""
    placed = []
    for i, line in enumerate(lines):
        if not line.startswith(_MARK):
            continue
        above = next((x for x in reversed(lines[:i]) if x.strip() and not _filler(x)), "")
        below = next((x for x in lines[i + 1 :] if x.strip() and not x.startswith(_MARK)), "")
        alone = bool(placeholder) and bool(counting.DIV.match(above)) and bool(counting.DIV_END.match(below))
        if alone:
            placed.append(int(line[len(_MARK) :]))
        lines[i] = placeholder if alone else ""
    return placed


def _filler(line: str) -> bool:
    """A line that is no content of a block's body: its heading, or another hidden chunk's mark."""
    return line.startswith(_MARK) or line.lstrip().startswith("#")


def _shown(chunk: Chunk, block: list[str], child: Callable[[str], str | None] | None, missing: Unrun) -> list[str]:
    """A shown chunk's lines as knitr shows its code: without its `#|` option lines (moved above
    the fence as blank lines, so the line count stays), with the code its `file=` or
    `code = readLines(...)` names from the lesson (which changes the count, `Unrun.sourced` says
    where), only the expressions a numeric `echo` names (echolines), and nothing at all when no
    code is left (knitr shows no empty block)."""
    n = option_lines(chunk.code)
    closed = len(block) > len(chunk.code) + 1
    body = chunk.code[n:]
    name, first, last = _source(chunk)
    if name:
        text = child(name) if child is not None else None
        missing.sourced.insert(0, (chunk.start + 1, name, text is not None))
        body = (text or "").splitlines()[first:last]
    if not any(line.strip() for line in body):
        return [""] * len(block)
    shown = None if name else echolines.chosen(chunk.options.get("echo", ""), body)
    after = 0  # knitr's echo=2:3: the lines left out become blank lines outside the fences
    if shown is not None and not any(shown):
        return [""] * len(block)
    if shown is not None:
        after = len(shown) - 1 - max(i for i, keep in enumerate(shown) if keep)
        n, body = n + shown.count(False) - after, [line for line, keep in zip(body, shown, strict=True) if keep]
    return [""] * n + [block[0], *body, *block[-1:] * closed] + [""] * after


def _figures(chunk: Chunk) -> list[str]:
    """The figures a chunk made only of `knitr::include_graphics("fig/a.png")` calls shows, as
    Markdown images with the chunk's `fig.alt` (or `fig.cap`) and `fig.cap` as knitr writes them;
    [] for any other chunk. Such a chunk runs nothing the page needs: before, without R, a hidden
    (`echo=FALSE`) one was left out, and a solution made of it was empty (TS404, import failed)."""
    if not (chunk.flag("eval") and chunk.flag("include")):
        return []
    calls = [_GRAPHICS.match(line) for line in chunk.code[option_lines(chunk.code) :] if line.strip()]
    if not calls or not all(calls):
        return []
    cap, alt = chunk.value("fig.cap"), chunk.value("fig.alt")
    alt = (alt or cap).replace("'", "&#39;")
    return [f"![{cap}]({m['path']}){{alt='{alt}'}}" if alt else f"![]({m['path']})" for m in calls if m]


def _source(chunk: Chunk) -> tuple[str, int | None, int | None]:
    """The lesson file a chunk's code comes from (knitr's `file=`, or `code=` reading a file),
    and the slice of its lines; ("", None, None) when the chunk's own code stands."""
    file = chunk.value("file")
    if file:
        return file, None, None
    m = _READ.match(chunk.options.get("code", "").strip())
    if not m:
        return "", None, None
    return m["path"], int(m["a"]) - 1 if m["a"] else None, int(m["b"]) if m["b"] else None


def child_reader(root: Path, folder: Path) -> Callable[[str], str | None]:
    """knitr's `child=` path, read from the episode's folder and confined to the lesson."""

    def read(name: str) -> str | None:
        path = folder / name
        if not confine.inside(root, path) or not path.is_file():
            return None
        return confine.read(root, path)

    return read


def page_text(root: Path, page: Path) -> str:
    """A learner, instructor or profile page's text as learners see it: an `.Rmd` one (sandpaper
    knits those too) with its hidden chunks out and its child documents in, since this import
    runs only episodes. Before, a setup page's `include=FALSE` chunk was shown as code."""
    text = read_text(page)
    return without_r(text, child_reader(root, page.parent))[0] if page.suffix.lower() == ".rmd" else text
