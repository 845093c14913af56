"""The body of an `/// attention-steps` block, described in the schema language: only the description.

It lives apart from the widget's code (core/widgets/attention_steps/body.py) so that core/model/generate.py can
read it without importing the widget, whose `StepsData` extends the `StepsFields` generated from
`ATTENTION_STEPS` into core/widgets/attention_steps/shapes.py with the matrices it computes.
"""

from __future__ import annotations

from tracksite.core import widgetregistry as W
from tracksite.core.schema.language import Field, ListOf, Mapping, Real, Text

MAX_STEP_TOKENS = 12
MAX_STEP_DIM = 12


def _rectangular(rows, path, ctx):
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            ctx.report(
                path + (i,),
                f"row {i + 1} has {len(row)} entries, row 1 has {width}: every row needs the same length",
                code="TS406",
            )
            return


def _matrix(help: str) -> ListOf:
    return ListOf(
        item=ListOf(item=Real(), min_items=1, max_items=MAX_STEP_DIM, noun="entry"),
        min_items=1,
        max_items=MAX_STEP_TOKENS,
        noun="row",
        rules=(_rectangular,),
        help=help,
    )


ATTENTION_STEPS = Mapping(
    help="The body of an `/// attention-steps` block: tokens, embeddings and weight matrices; "
    "the page computes Q, K, V, the scores, the softmax and the output.",
    name=W.ATTENTION_STEPS.name,
    fields=(
        Field(
            "tokens",
            ListOf(
                item=Text(numbers=True, max_length=40),
                min_items=1,
                max_items=MAX_STEP_TOKENS,
                noun="token",
                help="The tokens, e.g. [it, animal].",
            ),
            required=True,
            example="tokens: [it, animal]",
        ),
        Field("x", _matrix("One embedding row per token."), required=True, example="x: [[1, 0], [0, 1]]"),
        Field("w_q", _matrix("Query weights: d_model rows (the width of x)."), required=True),
        Field("w_k", _matrix("Key weights: d_model rows and d_k columns, like w_q."), required=True),
        Field("w_v", _matrix("Value weights: d_model rows (the width of x)."), required=True),
    ),
)


#: The dataclass core/model/generate.py writes from this description (core/widgets/attention_steps/shapes.py).
SHAPES = (
    (
        "StepsFields",
        ATTENTION_STEPS,
        "The body of an `/// attention-steps` block (core/widgets/attention_steps/body.py's `StepsData` adds what it computes).",
    ),
)
