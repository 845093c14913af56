"""What a lesson format must give the import pipeline: the `Source` protocol.

The pipeline (flow.py, write.py, verify.py, report.py, update.py) is the same for every format:
it plans, writes through the journal, checks, builds and compares, reports, and merges a newer
release. What differs is how a format's lesson is recognised, read, run (when it holds code that
makes its output), converted, and counted for the comparison. A source gives exactly that, and
the pipeline never imports one: `commands/importers/sources.py` names each source once, and the
command hands the chosen one down. A new format is a folder beside `carpentries/` with a class
that meets this protocol, and one entry in that registry (docs/architecture.md, "Adding an
import source").
"""

from __future__ import annotations

import argparse
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, TypeVar

from tracksite.commands.importers.pipeline.plan import Plan, Planned
from tracksite.commands.importers.pipeline.protocols import Lesson, Run

L = TypeVar("L", bound=Lesson)


@dataclass(frozen=True)
class Execution:
    """How the command line asks a format to run its lesson's code, and the words the pipeline
    says of that code: the source declares them, so the pipeline names no option and no language.
    `--update` and `--verify` of a track whose pages hold the code's output ask which the user
    wants; a run that left output out says which command brings it in (`flow.rerun_hint`)."""

    run: str  # the option that runs the code: "--execute" (command.py defines the options)
    skip: str  # the option that runs none: "--no-execute"
    held: str  # what the pages hold when it ran, `{n}` the episodes it ran in
    again: str  # what `run` does to such a track
    drop: str  # what `skip` does to it

    def asked(self, args: argparse.Namespace) -> bool:
        """Whether this import runs the code: `run` given, `skip` not."""
        return _given(args, self.run) and not _given(args, self.skip)

    def chosen(self, args: argparse.Namespace) -> bool:
        """Whether the user said either way."""
        return _given(args, self.run) or _given(args, self.skip)


def _given(args: argparse.Namespace, option: str) -> bool:
    return bool(getattr(args, option.lstrip("-").replace("-", "_"), False))


class Source(Protocol[L]):
    """A lesson format, as the pipeline calls it (every path it reads confined: confine.py)."""

    @property
    def name(self) -> str: ...  # the command line's format: `tracksite import NAME PATH --track T`

    @property
    def label(self) -> str: ...  # what the format is, for the command's help and its errors

    @property
    def execution(self) -> Execution | None: ...  # how its code is asked to run; None: it runs none

    def detect(self, folder: Path) -> bool:
        """Whether `folder` looks like a lesson of this format (cheap: a file or folder present)."""
        ...

    def read(self, folder: Path) -> L:
        """The lesson's metadata and its episodes in order; a UserError (file:line) when it cannot."""
        ...

    def prepare(self, lesson: L, work: Path, *, execute: bool, allow_errors: bool) -> Run | None:
        """Run the code that makes the lesson's output, in a private copy under `work` (None when
        the lesson has none, or the format runs nothing). The pipeline reads the copy again."""
        ...

    def plan(self, lesson: L, track: str, number: int, defined: dict[str, str] | None) -> Plan:
        """Convert: every file of the new track (`lessons/<track>/...`, `cheatsheets/<track>/...`,
        `docs/<track>/...`), each episode's lesson named in `plan.sources`, what changed in
        `plan.notes` and `plan.changes` (what each change adds to or takes from the counts)."""
        ...

    def count(self, planned: Planned) -> dict[str, Counter]:
        """Per episode (its path in the lesson), what a learner sees in the source, with the keys
        of counting.KEYS: verify.py compares it with the built page (counting.count_page)."""
        ...

    def version(self, folder: Path) -> dict[str, str]:
        """What names the release beyond its git commit and its files' digest (update.py)."""
        ...

    def settings(self, root: Path, plan: Plan) -> list[str]:
        """The course's mkdocs.yml given what the track needs (courseconfig.py); the notes."""
        ...
