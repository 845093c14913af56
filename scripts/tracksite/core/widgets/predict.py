"""`/// predict`: a short program and what it prints; the learner predicts the output first.

Reading code and saying what it does before running it is the skill a "predict the output"
question practises: the page shows the code and asks "What will this print?", and the output
and its explanation come after the learner's answer. The body is YAML, like a quiz's, so that
the code is taken literally (never Markdown) and the expected output is stated once.
"""

from __future__ import annotations

from tracksite.core import widgetregistry as W
from tracksite.core.problems.findings import Finding
from tracksite.core.schema.language import INVALID
from tracksite.core.schema.predict import PREDICT
from tracksite.core.widgets.body import Body, read_body
from tracksite.core.widgets.shapes import Prediction

# The body's description (PREDICT) is core/schema/predict.py; `Prediction` is generated from it
# (core/widgets/shapes.py, `tracksite docs --write`).


def parse_predict(body: str) -> tuple[Prediction | None, list[Finding]]:
    value, findings, _ = read_body(body, PREDICT, "expected a mapping with code, output and explain")
    if value is INVALID:
        return None, findings
    return Prediction(
        code=value["code"], language=value["language"], output=value["output"], explain=value["explain"]
    ), findings


BODY = Body(
    W.PREDICT,
    PREDICT,
    lambda body, _: parse_predict(body),
    tables=((W.PREDICT.name, PREDICT),),
    practice=lambda p: [f"{p.code}\n{p.output}\n{p.explain}"],
)
