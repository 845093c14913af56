"""What the pipeline reads of a source's lesson and of the run of its code: two protocols.

A source's own classes (carpentries/workbench.py's `Lesson`, carpentries/knitr.py's `Prepared`)
carry more; the pipeline (plan.py's `Planned`, report.py, update.py) reads only this much, so
any class with these attributes fits.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol


class Lesson(Protocol):
    """What the pipeline reads of a lesson as its source read it."""

    @property
    def root(self) -> Path: ...  # the folder read (the copy the code ran in, when it ran)

    @property
    def title(self) -> str: ...

    @property
    def episodes(self) -> Sequence[Path]: ...  # in order; each becomes a lesson of the track


class Run(Protocol):
    """What running the lesson's code gave (knitr for R Markdown), in the words the import prints
    and reports: the pipeline shows it, it does not know how the code ran."""

    @property
    def root(self) -> Path: ...  # the private copy the code ran in

    @property
    def executed(self) -> list[str]: ...  # episode file names whose code ran

    @property
    def unrun(self) -> Mapping[str, Any]: ...  # episode -> what was left out (chunks, plots, hidden)

    @property
    def offline(self) -> Mapping[str, list[str]]: ...  # episode -> addresses it could not reach

    @property
    def plots(self) -> int: ...

    @property
    def missing_packages(self) -> list[str]: ...

    @property
    def problems(self) -> list[str]: ...

    @property
    def why_not(self) -> str: ...

    def source_line(self, note: str) -> str: ...  # a note's file:line, pointed at the file as written

    def summary(self, rerun: str) -> list[str]: ...

    def warnings(self, rerun: str) -> list[str]: ...
