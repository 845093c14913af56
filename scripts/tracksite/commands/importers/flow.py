"""One import, from a lesson folder to the files it would write: shared by import, --update and --report.

R Markdown episodes are knitted first (knitr.py) in a private copy of the lesson, and the plan is
made from that copy; the copy lives until the caller has written what it needs, so the plan's
image paths stay valid inside the `with` block.
"""

from __future__ import annotations

import argparse
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tracksite.commands.importers import carpentries, knitr

if TYPE_CHECKING:
    from tracksite.commands.importers.carpentries import Plan, Source


@dataclass
class Planned:
    """A planned import: the lesson as read (original folder), as converted, and the R run."""

    original: Path
    src: Source  # of the folder the plan was made from (the knitted copy for R Markdown)
    plan: Plan
    prepared: knitr.Prepared | None


@contextmanager
def planned(
    args: argparse.Namespace, track: str, number: int, defined: dict[str, str] | None = None
) -> Iterator[Planned]:
    """`defined`: the glossary terms of the course's other tracks (carpentries.course_terms)."""
    original = Path(args.path).resolve()
    src = carpentries.read_source(original)
    with tempfile.TemporaryDirectory(prefix="tracksite-import-") as work:
        prepared = knitr.prepare(
            original, [p.name for p in src.episodes], Path(work), execute=not getattr(args, "no_execute", False)
        )
        if prepared is not None:
            src = carpentries.read_source(prepared.root)
        plan = carpentries.plan_import(src, track, number, defined)
        if prepared is not None:
            plan.notes = [prepared.source_line(n) for n in plan.notes]
        yield Planned(original, src, plan, prepared)


def rerun_hint(args: argparse.Namespace) -> str:
    """The command that brings a later run (with R, or a newer release) into the track."""
    return f"`tracksite import carpentries {args.path} --track {args.track} --update`"
