"""This widget's values, as dataclasses: GENERATED from its body's description (schema.py
beside it) by core/model/generate.py. Do not edit: change the description, then run
`tracksite docs --write`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class RunnableFields:
    """The body of a `/// runnable` block (core/widgets/runnable/body.py's `Runnable` adds what it computes)."""

    #: The starting code the learner sees and edits: Python 3 with the standard library only; write it as a literal
    #: block (`code: |`).
    code: str
    #: Python run after the learner's code in the same namespace, usually `assert` lines: with them the block is a
    #: checked exercise (a Check button).
    tests: str | None = None
    #: The exact output expected, instead of (or besides) tests: compared as a predict block's output is, forgiving
    #: blank lines and runs of spaces.
    output: str | None = None
    #: The author's answer, folded until the learner opens it; needed with `tests` or `output`. `tracksite check` runs
    #: it and the tests in CPython.
    solution: str | None = None
    #: Shown when Check fails (inline Markdown).
    hint: str | None = None
    #: A run longer than this is stopped, and the learner can run again.
    timeout: int = 10
