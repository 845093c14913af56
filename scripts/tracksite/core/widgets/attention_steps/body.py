"""`/// attention-steps`: attention computed step by step at build time from the tokens,
embeddings and weight matrices of the body (`ATTENTION_STEPS`, core/widgets/attention_steps/schema.py)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from tracksite.core import widgetregistry as W
from tracksite.core.problems.findings import Finding
from tracksite.core.schema.language import INVALID
from tracksite.core.widgets.attention_steps.schema import ATTENTION_STEPS, MAX_STEP_DIM, MAX_STEP_TOKENS
from tracksite.core.widgets.attention_steps.shapes import StepsFields
from tracksite.core.widgets.body import Body, read_body
from tracksite.core.widgets.decimals import fmt

# The body's description (ATTENTION_STEPS) is core/widgets/attention_steps/schema.py; `StepsFields` is generated
# from it (core/widgets/attention_steps/shapes.py, `tracksite docs --write`).

MAX_STEP_TOKENS = MAX_STEP_TOKENS
MAX_STEP_DIM = MAX_STEP_DIM


@dataclass(frozen=True, kw_only=True)
class StepsData(StepsFields):
    """The body as written, and every matrix computed from it at build time."""

    q: list[list[float]]
    k: list[list[float]]
    v: list[list[float]]
    scores: list[list[float]]
    scaled: list[list[float]]
    weights: list[list[float]]
    output: list[list[float]]

    @property
    def d_k(self) -> int:
        return len(self.w_q[0])


def matmul(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]]) -> list[list[float]]:
    cols = list(zip(*b))
    return [[math.fsum(x * y for x, y in zip(row, col)) for col in cols] for row in a]


def transpose(a: Sequence[Sequence[float]]) -> list[list[float]]:
    return [list(col) for col in zip(*a)]


def softmax_rows(a: Sequence[Sequence[float]]) -> list[list[float]]:
    out = []
    for row in a:
        top = max(row)
        exps = [math.exp(v - top) for v in row]
        total = math.fsum(exps)
        out.append([e / total for e in exps])
    return out


def _shapes(data: dict, lines: dict) -> list[Finding]:
    """The matrices fit together: x has a row per token, the weights a row per column of x, and
    w_k has the columns of w_q."""
    found = []
    n, d_model, d_k = len(data["tokens"]), len(data["x"][0]), len(data["w_q"][0])
    for key, rows, cols, what in (
        ("x", n, None, "one embedding row per token"),
        ("w_q", d_model, None, "d_model rows (the width of x)"),
        ("w_k", d_model, d_k, "d_model rows and d_k columns, like w_q"),
        ("w_v", d_model, None, "d_model rows (the width of x)"),
    ):
        m = data[key]
        if len(m) != rows:
            found.append(
                Finding(lines.get((key,)), f"{key} has {len(m)} rows; expected {rows} ({what})", key, code="TS406")
            )
        elif cols is not None and len(m[0]) != cols:
            found.append(
                Finding(
                    lines.get((key,)),
                    f"{key} rows have {len(m[0])} entries; expected {cols} ({what})",
                    key,
                    code="TS406",
                )
            )
    return found


def parse_attention_steps(body: str) -> tuple[StepsData | None, list[Finding]]:
    data, findings, lines = read_body(body, ATTENTION_STEPS, "expected a mapping with tokens, x, w_q, w_k and w_v")
    if data is INVALID:
        return None, findings
    findings += _shapes(data, lines)
    if findings:
        return None, findings
    x, w_q, w_k, w_v = data["x"], data["w_q"], data["w_k"], data["w_v"]
    q, k, v = matmul(x, w_q), matmul(x, w_k), matmul(x, w_v)
    scores = matmul(q, transpose(k))
    scale = math.sqrt(len(w_q[0]))
    scaled = [[s / scale for s in row] for row in scores]
    weights = softmax_rows(scaled)
    output = matmul(weights, v)
    steps = StepsData(
        tokens=tuple(data["tokens"]),
        x=_rows(x),
        w_q=_rows(w_q),
        w_k=_rows(w_k),
        w_v=_rows(w_v),
        q=q,
        k=k,
        v=v,
        scores=scores,
        scaled=scaled,
        weights=weights,
        output=output,
    )
    return steps, findings


def _rows(matrix: list[list[float]]) -> tuple[tuple[float, ...], ...]:
    """A written matrix as the generated field holds it (the numbers as read)."""
    return tuple(tuple(row) for row in matrix)


def fmt_matrix(matrix: Sequence[Sequence[float]], decimals: int = 2) -> list[list[str]]:
    """Whole numbers stay whole (as the instructor typed them); otherwise fixed decimals."""
    if all(float(v).is_integer() and abs(v) < 1e9 for row in matrix for v in row):
        return [[str(int(v)) for v in row] for row in matrix]
    return [[fmt(v, decimals) for v in row] for row in matrix]


BODY = Body(
    W.ATTENTION_STEPS,
    ATTENTION_STEPS,
    lambda body, _: parse_attention_steps(body),
    tables=((W.ATTENTION_STEPS.name, ATTENTION_STEPS),),
)
