"""`/// predict`: a short program and what it prints; the learner predicts the output first.

Reading code and saying what it does before running it is the skill a "predict the output"
question practises: the page shows the code and asks "What will this print?", and the output
and its explanation come after the learner's answer. The body is YAML, like a quiz's, so that
the code is taken literally (never Markdown) and the expected output is stated once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracksite.core import widgetregistry as W
from tracksite.core.problems.findings import Finding
from tracksite.core.schema.language import INVALID, Field, Mapping, Text
from tracksite.core.widgets.body import Body, read_body

PREDICT = Mapping(
    help="The body of a `/// predict` block: a short program, what it prints, and why.",
    name=W.PREDICT.name,
    fields=(
        Field(
            "code",
            Text(max_length=3000, help="The program the learner reads; write it as a literal block (`code: |`)."),
            required=True,
            example="code: |\n  x = [1, 2, 3]\n  print(x[-1] * 2)",
        ),
        Field(
            "language",
            Text(
                max_length=30,
                pattern=re.compile(r"^[a-z0-9][a-z0-9+#._-]*$(?!\n)"),
                pattern_help="a language name in lower case, e.g. python, bash or r",
                help="The code's language, for highlighting (a Pygments name).",
            ),
            default="python",
        ),
        Field(
            "output",
            Text(
                numbers=True,
                max_length=2000,
                help="Exactly what the program prints. An answer matches it when they differ only in "
                "blank lines, runs of spaces and the spaces beside brackets, commas and colons.",
            ),
            required=True,
            example='output: "6"',
        ),
        Field(
            "explain",
            Text(numbers=True, help="Why it prints that, shown with the output (inline Markdown)."),
            required=True,
            example="explain: Negative indices count from the end, so x[-1] is 3.",
        ),
    ),
)


@dataclass(frozen=True)
class Prediction:
    code: str
    language: str
    output: str
    explain: str


def parse_predict(body: str) -> tuple[Prediction | None, list[Finding]]:
    value, findings, _ = read_body(body, PREDICT, "expected a mapping with code, output and explain")
    if value is INVALID:
        return None, findings
    return Prediction(value["code"], value["language"], value["output"], value["explain"]), findings


BODY = Body(
    W.PREDICT,
    PREDICT,
    lambda body, _: parse_predict(body),
    tables=((W.PREDICT.name, PREDICT),),
    practice=lambda p: [f"{p.code}\n{p.output}\n{p.explain}"],
)
