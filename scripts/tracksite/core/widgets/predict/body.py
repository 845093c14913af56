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
from tracksite.core.widgets.body import Body, read_body
from tracksite.core.widgets.pagepython import first_code_line, import_findings
from tracksite.core.widgets.predict.schema import PREDICT
from tracksite.core.widgets.predict.shapes import Prediction

# The body's description (PREDICT) is core/widgets/predict/schema.py; `Prediction` is generated from it
# (core/widgets/predict/shapes.py, `tracksite docs --write`).


def parse_predict(body: str) -> tuple[Prediction | None, list[Finding]]:
    value, findings, lines = read_body(body, PREDICT, "expected a mapping with code, output and explain")
    if value is INVALID:
        return None, findings
    if value["runnable"]:
        findings = findings + _runnable_findings(value, body, lines)
    return Prediction(**value), findings


def _runnable_findings(value: dict, body: str, lines: dict) -> list[Finding]:
    """A predict block the learner may run is Python with the browser's standard library."""
    line = lines.get(("runnable",))
    if value["language"] != "python":
        return [Finding(line, f"only Python runs in the page, not {value['language']}", "runnable", code="TS406")]
    return import_findings(value["code"], first_code_line(body, lines.get(("code",))), "code")


BODY = Body(
    W.PREDICT,
    PREDICT,
    lambda body, _: parse_predict(body),
    tables=((W.PREDICT.name, PREDICT),),
    practice=lambda p: [f"{p.code}\n{p.output}\n{p.explain}"],
)
