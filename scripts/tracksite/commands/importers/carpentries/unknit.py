"""An R Markdown episode as learners see it where its code is not run (no `--execute`).

Hidden chunks (`include=FALSE`, `echo=FALSE`) are left out and the rest shown as code; what the
page then lacks is counted for the import's summary (`Unrun`). A chunk `child="files/part.Rmd"`
is knitr's child document, which held-out lessons use for text shared by episodes: knitr puts the
child's text in the chunk's place, and so does this (its own chunks treated alike). Before, the
chunk became an empty code block and the child's text was lost without a word.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.commands.importers.carpentries.chunkheaders import chunks, join_headers
from tracksite.commands.importers.pipeline import confine
from tracksite.core.sources import read_text


@dataclass
class Unrun:
    """What an episode imported without R will lack."""

    chunks: int = 0  # evaluated chunks whose output is missing
    plots: int = 0  # of those, the ones that most likely draw a plot
    hidden: int = 0  # include=FALSE / echo=FALSE chunks left out
    children: list[tuple[int, str, bool]] = field(default_factory=list)  # (line, child=, found)


def without_r(text: str, child: Callable[[str], str | None] | None = None) -> tuple[str, Unrun]:
    """The episode as learners may see it without running it: hidden chunks blanked (the line
    count stays, so notes keep pointing at the source's lines); shown chunks are left as written.
    A chunk `child="files/part.Rmd"` is knitr's child document: its text stands in the chunk's
    place, as knitr puts it there (`child` reads it, None when the lesson has no such file; the
    line count then changes, which `Unrun.children` says)."""
    lines = join_headers(text)[0].splitlines()
    missing = Unrun()
    for chunk in reversed(chunks(lines)):  # (from the end: a child's lines move none above it)
        name = chunk.options.get("child", "").strip().strip("'\"")
        if name and chunk.flag("include") and child is not None:
            body = child(name)
            missing.children.insert(0, (chunk.start + 1, name, body is not None))
            inner, more = without_r(body or "")
            missing.chunks, missing.plots, missing.hidden = (
                missing.chunks + more.chunks,
                missing.plots + more.plots,
                missing.hidden + more.hidden,
            )
            lines[chunk.start : chunk.end + 1] = ["", *inner.splitlines(), ""] if body is not None else [""]
            continue
        if chunk.runs and chunk.flag("include"):
            missing.chunks += 1
            missing.plots += chunk.plots
        if not chunk.shown:
            missing.hidden += 1
            lines[chunk.start : chunk.end + 1] = [""] * (chunk.end + 1 - chunk.start)
    return "\n".join(lines) + "\n", missing


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
