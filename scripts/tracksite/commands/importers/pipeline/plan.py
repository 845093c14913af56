"""An import's plan: the lesson as read, the files the import writes, and the R run behind them.

`carpentries` reads the lesson and makes the plan, `pages` adds to it, `flow` runs it and
`verify` checks what it built; all of them name these shapes, so the shapes sit here, below them.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.commands.importers.carpentries import knitr
from tracksite.commands.importers.carpentries.workbench import Layout


@dataclass
class Source:
    """The parts of a Workbench lesson the import reads."""

    root: Path
    title: str
    licence: str
    url: str
    episodes: list[Path]
    learners: list[Path] = field(default_factory=list)
    instructors: list[Path] = field(default_factory=list)
    profiles: list[Path] = field(default_factory=list)
    authors: str = ""  # plain names (credits.py)
    credit_notes: list[str] = field(default_factory=list)  # what reading the authors left out
    link_defs: dict[str, str] = field(default_factory=dict)  # links.md, shared by every episode
    unlisted: list[Path] = field(default_factory=list)  # learner pages config.yaml does not list
    lang: str = ""  # config.yaml `lang:` (a language tag), the track's `language:` when not English
    life_cycle: str = ""  # config.yaml `life_cycle:` (pre-alpha, alpha, beta, stable): the lesson's status
    layout: Layout = field(init=False)

    def __post_init__(self) -> None:
        self.layout = Layout.of(
            self.root, episode=self.episodes, learner=self.learners, instructor=self.instructors, profile=self.profiles
        )


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
    src: Source  # of the folder the plan was made from (the knitted copy for R Markdown)
    plan: Plan
    prepared: knitr.Prepared | None
