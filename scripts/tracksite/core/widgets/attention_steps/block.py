"""`/// attention-steps`: scaled dot-product attention worked through on small matrices.

Every number is computed at build time from tokens, x, w_q, w_k and w_v. All steps are in the HTML
(readable without scripts and in print); attention.js shows one at a time with Back/Next."""

from __future__ import annotations

import math
import xml.etree.ElementTree as etree
from collections.abc import Sequence

from tracksite.core import widgetregistry as W
from tracksite.core.markdown.texspeech import speak
from tracksite.core.messages import Catalogue
from tracksite.core.widgets.attention_steps.body import StepsData, fmt_matrix, parse_attention_steps
from tracksite.core.widgets.common import DataBlock, el, el_math, tail
from tracksite.core.widgets.decimals import fmt


def _m(parent, tag, text=None):
    return el(parent, tag, text)


def _sub(parent, base, sub, tag="msub"):
    node = _m(parent, tag)
    _m(node, "mi", base)
    _m(node, "mi", sub)
    return node


def _math(parent) -> etree.Element:
    return el(parent, "math", None, "ts-steps__formula", display="block")


_TEX_OPERATORS = {"\u22a4": "\\top", "\u00d7": "\\times", "\u2212": "-"}


def _tex(node: etree.Element) -> str:
    """A step's formula (MathML built here) as the TeX it stands for, so that it is spoken as
    every other formula of the course is (core/markdown/texspeech.py): "S equals Q K transpose"."""
    inner = [_tex(child) for child in node]
    if node.tag in ("mi", "mn", "mtext"):
        text = node.text or ""
        return f"\\mathrm{{{text}}}" if node.tag == "mi" and len(text) > 1 else text
    if node.tag == "mo":
        return _TEX_OPERATORS.get(node.text or "", node.text or "")
    if node.tag in ("msub", "msup") and len(inner) == 2:
        return f"{{{inner[0]}}}{'_' if node.tag == 'msub' else '^'}{{{inner[1]}}}"
    if node.tag == "mfrac" and len(inner) == 2:
        return f"\\frac{{{inner[0]}}}{{{inner[1]}}}"
    if node.tag == "msqrt":
        return f"\\sqrt{{{' '.join(inner)}}}"
    return " ".join(inner)


class AttentionSteps(DataBlock):
    WIDGET = W.ATTENTION_STEPS
    NAME = W.ATTENTION_STEPS.name

    def parse(self, raw: str):
        return parse_attention_steps(raw)

    ROOT_ID = "ts-steps"
    TITLE = "wSteps"

    def render(self, block: etree.Element, data, number: int) -> None:
        sid = block.get("id")
        ol = el(block, "ol", None, "ts-steps__list")
        words = self.words()  # the page's language, from its state
        steps = _steps(data, words)
        for index, (name, formula, text, tables, example) in enumerate(steps, start=1):
            li = el(ol, "li", None, "ts-steps__step", id=f"{sid}-{index}")
            p = el(li, "p", None, "ts-steps__name")
            tail(el(p, "span", words.text("stStep", n=index, of=len(steps)) + ":", "ts-steps__count"), " " + name)
            if formula is not None:
                shown = _math(li)
                formula(shown)
                spoken = speak(_tex(shown))  # its name, as every formula has one (issue 56)
                shown.set("alttext", spoken)
                shown.set("aria-label", spoken)
            el_math(li, "p", text, "ts-steps__text")  # W_Q, d_k, $...$ drawn as math
            wrap = el(li, "div", None, "ts-steps__tables")
            for caption, rows, cols, matrix in tables:
                _table(wrap, caption, rows, cols, matrix)
            if example:
                el_math(li, "p", example, "ts-steps__example")


def _table(parent, caption: str, rows: Sequence[str], cols: Sequence[str], cells) -> None:
    scroll = el(parent, "div", None, "ts-matrix-wrap")
    table = el(scroll, "table", None, "ts-matrix")
    el_math(table, "caption", caption)
    tr = el(el(table, "thead"), "tr")
    el(tr, "td")
    for col in cols:
        el(tr, "th", col, scope="col")
    tbody = el(table, "tbody")
    for name, values in zip(rows, cells):
        tr = el(tbody, "tr")
        el(tr, "th", name, scope="row")
        for value in values:
            el(tr, "td", value)


def _dot_text(a: Sequence[float], b: Sequence[float], limit: int = 6) -> str:
    if len(a) > limit:
        return ""
    return " + ".join(f"{fmt_num(x)} \u00d7 {fmt_num(y)}" for x, y in zip(a, b)) + " = "


def _dot_shown(a: Sequence[str], b: Sequence[str], limit: int = 6) -> str:
    if len(a) > limit:
        return ""
    return " + ".join(f"{x} \u00d7 {y}" for x, y in zip(a, b)) + " = "


def fmt_num(value: float) -> str:
    """An input number as the instructor typed it (1, 0.5, -2.25); results use `fmt`."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e9 else f"{value:.4g}"


def _inputs(matrix) -> list[list[str]]:
    return [[fmt_num(v) for v in row] for row in matrix]


def _most(name: str, tokens: Sequence[str], row: Sequence[float], words: Catalogue) -> str:
    if len(tokens) < 2:
        return ""
    top = max(row)
    best = [_q(t, words) for t, w in zip(tokens, row) if abs(w - top) < 5e-4]
    if len(best) == len(tokens):
        return " " + words.text("spEven", token=_q(name, words))
    if len(best) > 1:
        return " " + words.text("spEqual", token=_q(name, words), list=", ".join(best[:-1]), last=best[-1])
    return " " + words.text("spMost", token=_q(name, words), other=best[0])


def _q(token: str, words: Catalogue) -> str:
    """A token in the page's language's quotation marks."""
    return words.text("quoted", text=token)


def _dims(k: int) -> list[str]:
    """Column labels 1..k for a weight or output matrix (its columns have no token names)."""
    return [f"{i + 1}" for i in range(k)]


def _f_inputs(m) -> None:
    """Formula of step 1: X, W_Q, W_K, W_V."""
    _m(m, "mi", "X")
    _m(m, "mo", ",")
    _sub(m, "W", "Q")
    _m(m, "mo", ",")
    _sub(m, "W", "K")
    _m(m, "mo", ",")
    _sub(m, "W", "V")


def _f_projection(letter: str):
    """Formula of a projection step, e.g. Q = X W_Q."""

    def formula(m) -> None:
        _m(m, "mi", letter)
        _m(m, "mo", "=")
        _m(m, "mi", "X")
        _sub(m, "W", letter)

    return formula


def _f_scores(m) -> None:
    """Formula of the scores step: S = Q K^T."""
    _m(m, "mi", "S")
    _m(m, "mo", "=")
    _m(m, "mi", "Q")
    sup = _m(m, "msup")
    _m(sup, "mi", "K")
    _m(sup, "mo", "\u22a4")


def _frac(m, numer: str) -> None:
    """`numer / sqrt(d_k)`, shared by the scale and softmax formulas."""
    fr = _m(m, "mfrac")
    _m(fr, "mi", numer)
    sq = _m(fr, "msqrt")
    _sub(sq, "d", "k")


def _f_scaled(d_k: int):
    """Formula of the scale step: S / sqrt(d_k) = S / sqrt(<the actual d_k>)."""

    def formula(m) -> None:
        _frac(m, "S")
        _m(m, "mo", "=")
        fr = _m(m, "mfrac")
        _m(fr, "mi", "S")
        sq = _m(fr, "msqrt")
        _m(sq, "mn", str(d_k))

    return formula


def _f_softmax(m) -> None:
    """Formula of the softmax step: A = softmax(S / sqrt(d_k))."""
    _m(m, "mi", "A")
    _m(m, "mo", "=")
    _m(m, "mi", "softmax")
    _m(m, "mo", "(")
    _frac(m, "S")
    _m(m, "mo", ")")


def _f_out(m) -> None:
    """Formula of the output step: Z = A V."""
    _m(m, "mi", "Z")
    _m(m, "mo", "=")
    _m(m, "mi", "A")
    _m(m, "mi", "V")


def _step_inputs(d: StepsData, words: Catalogue):
    """Step 1: the given matrices, so the learner sees where every later number comes from."""
    tokens = list(d.tokens)
    n, d_model, d_k, d_v = len(tokens), len(d.x[0]), d.d_k, len(d.w_v[0])
    return (
        words.text("spInputs"),
        _f_inputs,
        words.text("spInputsText", n=n, d_model=d_model, d_k=d_k, d_v=d_v),
        [
            (f"X ({n} \u00d7 {d_model})", tokens, _dims(d_model), _inputs(d.x)),
            (f"W_Q ({d_model} \u00d7 {d_k})", _dims(d_model), _dims(d_k), _inputs(d.w_q)),
            (f"W_K ({d_model} \u00d7 {d_k})", _dims(d_model), _dims(d_k), _inputs(d.w_k)),
            (f"W_V ({d_model} \u00d7 {d_v})", _dims(d_model), _dims(d_v), _inputs(d.w_v)),
        ],
        None,
    )


def _step_projections(d: StepsData, words: Catalogue) -> list:
    """Steps 2-4: queries, keys and values, each with one entry worked out as a dot product."""
    tokens = list(d.tokens)
    n, d_k, d_v = len(tokens), d.d_k, len(d.w_v[0])
    steps = []
    for letter, name, w, result, width in (
        ("Q", "spQueries", d.w_q, d.q, d_k),
        ("K", "spKeys", d.w_k, d.k, d_k),
        ("V", "spValues", d.w_v, d.v, d_v),
    ):
        col = [row[0] for row in w]
        shown = fmt_matrix(result)
        example = words.text(
            "spProjectionExample",
            small=letter.lower(),
            token=_q(tokens[0], words),
            letter=letter,
            sum=_dot_text(d.x[0], col),
            value=shown[0][0],
        )
        steps.append(
            (
                words.text(name),
                _f_projection(letter),
                words.text("spProjection", letter=letter, role=words.text(name + "Role")),
                [(f"{letter} = X W_{letter} ({n} \u00d7 {width})", tokens, _dims(width), shown)],
                example,
            )
        )
    return steps


def _step_scores_and_scale(d: StepsData, words: Catalogue) -> list:
    """Steps 5-6: raw scores, then scaled; the example follows the first token's query to the second key."""
    tokens = list(d.tokens)
    q_tok, d_k, rt = tokens[0], d.d_k, math.sqrt(d.d_k)
    qi, qi_k = 0, (1 if len(tokens) > 1 else 0)
    q_shown, k_shown = fmt_matrix(d.q), fmt_matrix(d.k)
    s_shown, scaled_shown = fmt_matrix(d.scores), fmt_matrix(d.scaled)
    scores = (
        words.text("spScores"),
        _f_scores,
        words.text("spScoresText"),
        [(words.text("spScoresCaption"), tokens, tokens, s_shown)],
        words.text(
            "spScoresExample",
            token=_q(q_tok, words),
            other=_q(tokens[qi_k], words),
            sum=_dot_shown(q_shown[qi], k_shown[qi_k]),
            value=s_shown[qi][qi_k],
        ),
    )
    scale = (
        words.text("spScale"),
        _f_scaled(d_k),
        words.text("spScaleText", d_k=d_k, root=fmt(rt)),
        [(f"S / \u221a{d_k}", tokens, tokens, scaled_shown)],
        words.text("spScaleExample", score=s_shown[qi][qi_k], root=fmt(rt), value=scaled_shown[qi][qi_k]),
    )
    return [scores, scale]


def _step_softmax_and_output(d: StepsData, words: Catalogue) -> list:
    """Steps 7-8: attention weights, then the weighted average of values, both for the first token."""
    tokens = list(d.tokens)
    n, d_v, q_tok = len(tokens), len(d.w_v[0]), tokens[0]
    row = d.weights[0]
    softmax = (
        words.text("spSoftmax"),
        _f_softmax,
        words.text("spSoftmaxText"),
        [
            (
                words.text("spSoftmaxCaption"),
                tokens,
                tokens,
                [[fmt(v) for v in r] for r in d.weights],
            )
        ],
        words.text("spRow", token=_q(q_tok, words), sum=" + ".join(fmt(v) for v in row), total=fmt(math.fsum(row)))
        + _most(q_tok, tokens, row, words),
    )
    col_v = [r[0] for r in fmt_matrix(d.v)]
    output = (
        words.text("spOutput"),
        _f_out,
        words.text("spOutputText"),
        [(f"Z = A V ({n} \u00d7 {d_v})", tokens, _dims(d_v), fmt_matrix(d.output))],
        words.text(
            "spOutputExample",
            token=_q(q_tok, words),
            sum=(" + ".join(f"{fmt(a)} \u00d7 {v}" for a, v in zip(row, col_v)) + " = " if n <= 6 else ""),
            value=fmt(d.output[0][0]),
        ),
    )
    return [softmax, output]


def _steps(d: StepsData, words: Catalogue) -> list:
    """The steps as (name, formula builder, text, tables, example), in the order a reader follows."""
    return [
        _step_inputs(d, words),
        *_step_projections(d, words),
        *_step_scores_and_scale(d, words),
        *_step_softmax_and_output(d, words),
    ]
