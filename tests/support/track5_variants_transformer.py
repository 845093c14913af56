"""Solutions a learner might write for Track 5's transformer trained in the page (issue 86).

The exercise "Train a one-layer transformer to reverse a word" (next-token prediction) asks for
causal attention's backward pass; the page then trains the model with it. Each variant below
redefines `attention_backward`, so the training in the solution ran with the author's version,
and the tests meet the variant both in their numerical gradient checks and, through `generate`
and `history`, only as far as the solution's own training went. A wrong backward must be caught
by the gradient checks, with a message that names the mistake; a right one written another way
must pass. WRONG and RIGHT have the shapes test_track5_exercises.py reads.
"""

from __future__ import annotations

TITLE = "Train a one-layer transformer to reverse a word"

WRONG: dict[str, list[tuple[str, str, str]]] = {}
RIGHT: dict[str, list[tuple[str, str]]] = {}

# The shape every variant shares: per-query loops, with `{dv}`, `{ds}` and `{qk}` filled in.
_TEMPLATE = """
def attention_backward(q, k, v, weights, d_out):
    n, d = len(q), len(q[0])
    dq = [[0.0] * d for _ in range(n)]
    dk = [[0.0] * d for _ in range(n)]
    dv = [[0.0] * len(v[0]) for _ in range(n)]
    for i in range(n):
        w = weights[i]
        for j in range(i + 1):
            for c in range(len(v[0])):
{dv}
        dw = [sum(g * x for g, x in zip(d_out[i], v[j])) for j in range(i + 1)]
        mean = sum(wj * g for wj, g in zip(w, dw))
{ds}
        for j in range(i + 1):
            for c in range(d):
{qk}
    return dq, dk, dv
"""
_DV = "                dv[j][c] += w[j] * d_out[i][c]"
_DS = "        ds = [wj * (g - mean) / math.sqrt(d) for wj, g in zip(w, dw)]"
_QK = "                dq[i][c] += ds[j] * k[j][c]\n                dk[j][c] += ds[j] * q[i][c]"


def _backward(dv: str = _DV, ds: str = _DS, qk: str = _QK) -> str:
    return _TEMPLATE.format(dv=dv, ds=ds, qk=qk)


WRONG[TITLE] = [
    (
        "only dv: the gradient stops at the values",
        _backward(qk="                pass"),
        "back through the softmax",
    ),
    (
        "the exponential's derivative instead of the softmax's (no mean subtracted)",
        _backward(ds="        ds = [wj * g / math.sqrt(d) for wj, g in zip(w, dw)]"),
        "back through the softmax",
    ),
    (
        "forgets the 1 / sqrt(d) of the scores",
        _backward(ds="        ds = [wj * (g - mean) for wj, g in zip(w, dw)]"),
        "divided by sqrt(d)",
    ),
    (
        "scales by sqrt(d) instead of dividing by it",
        _backward(ds="        ds = [wj * (g - mean) * math.sqrt(d) for wj, g in zip(w, dw)]"),
        "divided by sqrt(d)",
    ),
    (
        "dk[j] set, not added: only the last query that reads key j counts",
        _backward(qk="                dq[i][c] += ds[j] * k[j][c]\n                dk[j][c] = ds[j] * q[i][c]"),
        "+=, not =",
    ),
    (
        "dq and dk swapped: each takes its own side of the dot product",
        _backward(qk="                dq[i][c] += ds[j] * q[i][c]\n                dk[j][c] += ds[j] * k[j][c]"),
        "back through the softmax",
    ),
    (
        "dv indexed the wrong way round: d_out of the key's position",
        _backward(dv="                dv[i][c] += w[j] * d_out[j][c]"),
        "over every query i >= j",
    ),
    (
        "the weight's gradient taken against the key, not the value",
        _backward().replace("zip(d_out[i], v[j])", "zip(d_out[i], k[j])"),
        "back through the softmax",
    ),
]

RIGHT[TITLE] = [
    (
        "the softmax's Jacobian written out in full",
        _backward(
            ds="        ds = [sum(dw[l] * w[l] * ((l == j) - w[j]) for l in range(i + 1)) / math.sqrt(d) for j in range(i + 1)]"
        ),
    ),
    (
        "the scale applied to dq and dk at the end, not to ds",
        """
        def attention_backward(q, k, v, weights, d_out):
            n, d = len(q), len(q[0])
            dq = [[0.0] * d for _ in range(n)]
            dk = [[0.0] * d for _ in range(n)]
            dv = [[0.0] * len(v[0]) for _ in range(n)]
            for i, w in enumerate(weights):
                dw = [sum(a * b for a, b in zip(d_out[i], v[j])) for j in range(len(w))]
                mean = sum(a * b for a, b in zip(w, dw))
                for j in range(len(w)):
                    dv[j] = [x + w[j] * g for x, g in zip(dv[j], d_out[i])]
                    ds = w[j] * (dw[j] - mean)
                    dq[i] = [x + ds * y for x, y in zip(dq[i], k[j])]
                    dk[j] = [x + ds * y for x, y in zip(dk[j], q[i])]
            s = 1 / math.sqrt(d)
            return [[x * s for x in row] for row in dq], [[x * s for x in row] for row in dk], dv
        """,
    ),
    (
        "matrices padded to n by n, the masked weights as zeros, and transposes",
        """
        def attention_backward(q, k, v, weights, d_out):
            n, d = len(q), len(q[0])
            W = [list(w) + [0.0] * (n - len(w)) for w in weights]
            dW = [[sum(g * x for g, x in zip(d_out[i], v[j])) for j in range(n)] for i in range(n)]
            dS = []
            for i in range(n):
                mean = sum(W[i][j] * dW[i][j] for j in range(n))
                dS.append([W[i][j] * (dW[i][j] - mean) / d ** 0.5 for j in range(n)])
            def mm(a, b):
                return [[sum(x * y for x, y in zip(row, col)) for col in zip(*b)] for row in a]
            def t(a):
                return [list(col) for col in zip(*a)]
            return mm(dS, k), mm(t(dS), q), mm(t(W), d_out)
        """,
    ),
    (
        "the weights computed again from q and k, not taken from the argument, and rows returned as tuples",
        """
        def attention_backward(q, k, v, weights, d_out):
            n, d = len(q), len(q[0])
            scale = 1 / math.sqrt(d)
            dq, dk, dv = [[0.0] * d for _ in q], [[0.0] * d for _ in k], [[0.0] * len(v[0]) for _ in v]
            for i in range(n):
                s = [scale * sum(a * b for a, b in zip(q[i], k[j])) for j in range(i + 1)]
                e = [math.exp(x - max(s)) for x in s]
                w = [x / sum(e) for x in e]
                dw = [sum(g * x for g, x in zip(d_out[i], v[j])) for j in range(i + 1)]
                mean = sum(a * b for a, b in zip(w, dw))
                for j in range(i + 1):
                    g = w[j] * (dw[j] - mean) * scale
                    for c in range(d):
                        dq[i][c] += g * k[j][c]
                        dk[j][c] += g * q[i][c]
                    for c in range(len(v[0])):
                        dv[j][c] += w[j] * d_out[i][c]
            return tuple(map(tuple, dq)), tuple(map(tuple, dk)), tuple(map(tuple, dv))
        """,
    ),
]
