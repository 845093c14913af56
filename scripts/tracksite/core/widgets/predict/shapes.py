"""This widget's values, as dataclasses: GENERATED from its body's description (schema.py
beside it) by core/model/generate.py. Do not edit: change the description, then run
`tracksite docs --write`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Prediction:
    """The body of a `/// predict` block."""

    #: The program the learner reads; write it as a literal block (`code: |`).
    code: str
    #: The code's language, for highlighting (a Pygments name).
    language: str = "python"
    #: Exactly what the program prints. An answer matches it when they differ only in blank lines, runs of spaces and
    #: the spaces beside brackets, commas and colons.
    output: str
    #: Why it prints that, shown with the output (inline Markdown).
    explain: str
    #: Once the learner has seen the output, the code becomes editable and runs in the page (Python with the standard
    #: library only, as in a `/// runnable` block).
    runnable: bool = False
