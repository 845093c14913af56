"""An import's plan: the lesson as read, the files the import writes, and the code run behind them.

A source (source.py) reads the lesson and makes the plan, `flow` runs it and `verify` checks
what it built; all of them name these shapes, so the shapes sit here, below them. The lesson as
read and the run of its code are the source's own classes, read through protocols.py.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.commands.importers.pipeline.protocols import Lesson, Run


@dataclass
class Plan:
    """Every file the import writes, relative to the project root, plus what it reports."""

    files: dict[str, str | Path | bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # what the import changed
    sources: dict[str, str] = field(default_factory=dict)  # episode file (in the lesson) -> its lesson.md
    warnings: list[str] = field(default_factory=list)  # the source's own problems (file:line), kept as text
    changes: dict[str, Counter] = field(default_factory=dict)  # source file -> what the listed changes add or take
    instructor_text: dict[str, list[str]] = field(default_factory=dict)  # source file -> its instructor-only parts


@dataclass
class Planned:
    """A planned import: the lesson as read (original folder), as converted, and the R run."""

    original: Path
    src: Lesson  # of the folder the plan was made from (the knitted copy for R Markdown)
    plan: Plan
    prepared: Run | None
    counts: dict[str, Counter] = field(default_factory=dict)  # source file -> what must survive (verify.py)


INSTRUCTOR_BLOCK = re.compile(r"^(/{3,}) instructor\b.*?^\1[ \t]*$", re.M | re.S)


def learner_only(body: str) -> str:
    """`body` without its instructor blocks: what summaries, cheatsheets and glossaries are made
    from, since they are shown to learners (and printed, and indexed for search)."""
    return INSTRUCTOR_BLOCK.sub("", body)


def ran_lessons(p: Planned) -> dict[str, str]:
    """The lesson files of the episodes whose code the import ran, with the text the run gave
    them: what `tracksite check` and `--verify` compare each chunk of the track with."""
    executed = set(p.prepared.executed if p.prepared else ())
    lessons = [lesson for rel, lesson in p.plan.sources.items() if Path(rel).name in executed]
    return {lesson: text for lesson in lessons if isinstance(text := p.plan.files.get(lesson), str)}
