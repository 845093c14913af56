"""The bodies of the data widgets (quiz, flashcards, attention, attention-steps) and the attention
data file, in the schema language: split from tracksite.core.schema.specs, which re-exports them, so
that the front-matter descriptions and the widget bodies each stay a readable size.
"""

from __future__ import annotations

import math
import re
from typing import Any

from tracksite.core import widgetregistry as W
from tracksite.core.schema.language import (
    INVALID,
    Bool,
    Either,
    Field,
    ListOf,
    MapOf,
    Mapping,
    Real,
    Spec,
    Text,
    Whole,
    unique,
)

# -- widget bodies ----------------------------------------------------------------------------
# Widget texts keep a number as written (`text: 42` is the option "42"), so an answer can be one.


def _one_correct(options, path, ctx):
    if not any(o["correct"] for o in options):
        ctx.report(path, "no correct option", "mark at least one option with 'correct: true'", code="TS406")


OPTION = Mapping(
    help="One answer to choose: its text, whether it is right, and why.",
    name="option",
    fields=(
        Field(
            "text",
            Text(numbers=True, max_length=500, help="What the learner picks (inline Markdown)."),
            required=True,
            example="text: A softmax over the scores",
        ),
        Field("correct", Bool(help="Whether this option is right; at least one per question is."), default=False),
        Field(
            "explain",
            Text(numbers=True, help="Why the option is right or wrong, shown after answering."),
            required=True,
            example="explain: Each row of weights sums to 1.",
        ),
    ),
)

QUESTION = Mapping(
    help="A question and its options.",
    name="question",
    fields=(
        Field(
            "question",
            Text(numbers=True, max_length=1000, help="The question (inline Markdown)."),
            required=True,
            example="question: What turns scores into weights?",
        ),
        Field(
            "options",
            ListOf(
                item=OPTION,
                min_items=2,
                max_items=12,
                noun="option",
                help="Two or more options, at least one correct, each text once.",
                rules=(unique("text", "option text", "option"), _one_correct),
                json_extra={"contains": {"required": ["correct"], "properties": {"correct": {"const": True}}}},
            ),
            required=True,
        ),
    ),
)

QUIZ = ListOf(
    item=QUESTION,
    min_items=1,
    max_items=50,
    noun="question",
    help="The body of a `/// quiz` block: a list of questions.",
)

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

DATA_FILE_RE = re.compile(r"^(?![/\\])(?!.*\.\.)(?!.*\\)(?!.*://)[^\n]*\.(?:[jJ][sS][oO][nN]|[yY][aA]?[mM][lL])$")
_DATA_FILE: dict[str, Any] = dict(
    pattern=DATA_FILE_RE, pattern_help="a .json, .yaml or .yml file beside the lesson, e.g. it-tired.json"
)

ATTENTION = Mapping(
    help="The body of an `/// attention` block: which data file to draw, and what to point at.",
    name=W.ATTENTION.name,
    fields=(
        Field(
            "data",
            Text(**_DATA_FILE, help="The data file `tracksite attention` wrote, beside lesson.md."),
            required=True,
            example="data: it-tired.json",
        ),
        Field("compare", Text(**_DATA_FILE, help="A second data file from the same model: a minimal pair.")),
        Field("focus", Text(numbers=True, max_length=100, help="The token whose attention opens the widget.")),
        Field(
            "target",
            Text(
                numbers=True, max_length=100, help="The token it should attend to: opens on the head that attends most."
            ),
        ),
    ),
)

MAX_FINDINGS_PER_FILE = 12


class Weights(Spec):
    """weights[layer][head][query][key]: every layer the same number of heads, every head a
    square of rows, every row a softmax output (numbers from 0 to 1 summing to 1)."""

    def _read(self, value, path, ctx):
        before = len(ctx.findings)

        def bad(p, message):
            if len(ctx.findings) - before < MAX_FINDINGS_PER_FILE:
                ctx.report(path + p, message, code="TS406")

        if not isinstance(value, list) or not value:
            bad((), "expected weights[layer][head][query][key]: a list of at least one layer")
            return INVALID
        heads = len(value[0]) if isinstance(value[0], list) else None
        for li, layer in enumerate(value):
            if not isinstance(layer, list) or not layer:
                bad((li,), f"layer {li + 1}: expected a list of at least one head")
            elif len(layer) != heads:
                bad(
                    (li,),
                    f"layer {li + 1} has {len(layer)} heads, layer 1 has {heads}: every layer needs the same number",
                )
            else:
                for hi, head in enumerate(layer):
                    self._head(head, (li, hi), bad)
        return value if len(ctx.findings) == before else INVALID

    @staticmethod
    def _head(head, p, bad):
        where = f"layer {p[0] + 1}, head {p[1] + 1}"
        if not isinstance(head, list) or not head:
            bad(p, f"{where}: expected one row per token")
            return
        n = max((len(r) for r in head if isinstance(r, list)), default=len(head))  # tokens, as most rows say
        if len(head) != n:
            bad(p, f"{where}: expected {n} rows (one per token, as many as each row has weights), found {len(head)}")
            return
        for qi, row in enumerate(head):
            if not isinstance(row, list) or len(row) != n:
                bad(p + (qi,), f"{where}, query {qi + 1}: expected {n} weights (one per token)")
            elif not all(isinstance(w, (int, float)) and not isinstance(w, bool) and math.isfinite(w) for w in row):
                bad(p + (qi,), f"{where}, query {qi + 1}: every weight must be a number")
            elif any(w < 0 or w > 1 for w in row):
                bad(p + (qi,), f"{where}, query {qi + 1}: weights must lie between 0 and 1")
            elif abs(sum(row) - 1) > 1e-3:
                bad(
                    p + (qi,),
                    f"{where}, query {qi + 1}: weights sum to {sum(row):.4f}; expected 1 (within 0.001): "
                    "each row is a softmax output",
                )

    def _json(self):
        row = {"type": "array", "items": {"type": "number", "minimum": 0, "maximum": 1}, "minItems": 1}
        return {
            "type": "array",
            "minItems": 1,
            "items": {"type": "array", "minItems": 1, "items": {"type": "array", "minItems": 1, "items": row}},
        }

    def describe(self):
        return "weights[layer][head][query][key], each row summing to 1"


def _fits_tokens(data, path, ctx):
    n = len(data["tokens"])
    if len(data["weights"][0][0]) != n:
        ctx.report(
            path + ("weights",),
            f"each head has {len(data['weights'][0][0])} rows; expected {n}, one per token",
            code="TS406",
        )
    words = data["words"]
    if words and [i for w in words for i in w] != list(range(n)):
        ctx.report(
            path + ("words",),
            "expected words as lists of token indices covering every token once, in order, e.g. [[0], [1], [2, 3]]",
            f"token indices run from 0 to {n - 1}",
            code="TS406",
        )


ATTENTION_DATA = Mapping(
    help="An attention data file (JSON or YAML) beside the lesson, as `tracksite attention` writes it.",
    name="attention data",
    rules=(_fits_tokens,),
    fields=(
        Field("sentence", Text(help="The sentence, as written."), required=True),
        Field(
            "tokens",
            ListOf(
                item=Text(max_length=100),
                min_items=1,
                max_items=512,
                noun="token",
                help="The tokens, as the model's tokenizer split the sentence.",
            ),
            required=True,
        ),
        Field(
            "words",
            ListOf(
                item=ListOf(item=Whole(minimum=0, maximum=511), min_items=1, noun="index"),
                noun="word",
                help="Which tokens make each word, e.g. [[0], [1], [2, 3]].",
            ),
        ),
        Field("weights", Weights(help="weights[layer][head][query][key]: each row a softmax output."), required=True),
        Field(
            "source",
            Either(options=(Text(), MapOf(key=Text(max_length=100), value=Text(numbers=True), name="a mapping"))),
            required=True,
            example="source: {model: ..., package: ..., package_version: ..., tokenizer: ...}",
        ),
        Field("label", Text(max_length=60, help="A short label for the widget's sentence switch, e.g. tired.")),
    ),
)

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
