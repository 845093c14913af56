"""The body of a `/// flashcards` block, described in the schema language: only the description.

It lives apart from the widget's code (core/widgets/flashcards/body.py) so that core/model/generate.py
can read it without importing the widget, whose `Flashcard` is generated from `CARD` into
core/widgets/flashcards/shapes.py: the validator, the editor schema, the guide's table and the dataclass
come from this one description.
"""

from __future__ import annotations

from tracksite.core.schema.language import Field, ListOf, Mapping, Text, unique

CARD = Mapping(
    help="A flashcard: a term and what it means.",
    name="card",
    fields=(
        Field(
            "term",
            Text(numbers=True, max_length=300, help="The front of the card."),
            required=True,
            example="term: Softmax",
        ),
        Field(
            "answer",
            Text(numbers=True, help="The back of the card."),
            required=True,
            example="answer: Turns scores into weights that sum to 1.",
        ),
    ),
)

FLASHCARDS = ListOf(
    item=CARD,
    min_items=1,
    max_items=100,
    noun="card",
    rules=(unique("term", "term", "card"),),
    help="The body of a `/// flashcards` block: a list of cards, each term once (or a Markdown definition list).",
)


#: The dataclass core/model/generate.py writes from this description (core/widgets/flashcards/shapes.py).
SHAPES = (("Flashcard", CARD, "One card of a `/// flashcards` block (a YAML item or a definition list's term)."),)
