"""The data widgets' values, as dataclasses: GENERATED from their bodies' descriptions
(core/schema/flashcards.py, core/schema/predict.py) by core/model/generate.py. Do not edit: change
the description, then run `tracksite docs --write`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Flashcard:
    """One card of a `/// flashcards` block (a YAML item or a definition list's term)."""

    #: The front of the card.
    term: str
    #: The back of the card.
    answer: str


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
