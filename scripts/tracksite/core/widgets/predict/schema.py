"""The body of a `/// predict` block, described in the schema language: only the description.

It lives apart from the widget's code (core/widgets/predict/body.py) so that core/model/generate.py
can read it without importing the widget, whose `Prediction` is generated from `PREDICT` into
core/widgets/predict/shapes.py: the validator, the editor schema, the guide's table and the dataclass
come from this one description.
"""

from __future__ import annotations

import re

from tracksite.core import widgetregistry as W
from tracksite.core.schema.language import Bool, Field, Mapping, Text

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
        Field(
            "runnable",
            Bool(
                help="Once the learner has seen the output, the code becomes editable and runs in the page "
                "(Python with the standard library only, as in a `/// runnable` block)."
            ),
            default=False,
        ),
    ),
)


#: The dataclass core/model/generate.py writes from this description (core/widgets/predict/shapes.py).
SHAPES = (("Prediction", PREDICT, "The body of a `/// predict` block."),)
