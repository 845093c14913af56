"""This widget's values, as dataclasses: GENERATED from its body's description (schema.py
beside it) by core/model/generate.py. Do not edit: change the description, then run
`tracksite docs --write`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Flashcard:
    """One card of a `/// flashcards` block (a YAML item or a definition list's term)."""

    #: The front of the card.
    term: str
    #: The back of the card.
    answer: str
