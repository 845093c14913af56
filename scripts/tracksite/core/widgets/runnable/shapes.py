"""This widget's values, as dataclasses: GENERATED from its body's description (schema.py
beside it) by core/model/generate.py. Do not edit: change the description, then run
`tracksite docs --write`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class RunnableMistake:
    """A wrong answer a `/// runnable` exercise must catch, with its feedback."""

    #: The wrong answer, whole, as a learner would write it in place of the starting code.
    code: str
    #: Words the learner must be told for it: a part of what the failing check says (your assert's message, the check
    #: written from the assert, the values it compared or the error), compared ignoring case and runs of spaces.
    feedback: str


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
    #: When the learner may open the solution: `from the start` (folded, as a quiz explanation is), `after N checks` of
    #: their code, `on pass` (to compare with theirs) or `never`. The count is kept with the learner's progress.
    show_solution: str = "from the start"
    #: Wrong answers the exercise must catch, each with the feedback it must give (`code:` and `feedback:`): `tracksite
    #: check --run-code` proves each one fails its check with that feedback (TS436). Never shown to the learner.
    mistakes: tuple[RunnableMistake, ...] = ()
    #: A run longer than this is stopped, and the learner can run again.
    timeout: int = 10
