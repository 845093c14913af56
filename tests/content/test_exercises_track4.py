"""Track 4's checked exercises judge like a teacher (issue 71): each is run in-process through the
page's own runner (theme/assets/tracksite/runner.py, the file Pyodide runs) with its tests, and

- the author's solution passes and the starting code does not;
- every wrong-but-plausible solution a learner might write (the look-alike of the idea, a missing
  factor, the formula the text gave applied to the wrong case) fails;
- every right-but-different solution (another algorithm, another order of the same arithmetic,
  floats that differ in the last bits) passes.

A variant is the author's solution with some exact passages replaced, so a variant whose passage
is no longer in the solution fails loudly instead of silently testing the solution itself.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import textwrap
from dataclasses import dataclass

import pytest

from support.course import REPO
from tracksite import theme
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.widgets.runnable.body import Runnable, parse_runnable

TRACK = REPO / "lessons/deep-learning-survey"


def _runner():
    spec = importlib.util.spec_from_file_location("course_runner", theme.ASSETS / "tracksite" / "runner.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


RUNNER = _runner()


def exercise(slug: str, title: str) -> Runnable:
    """The checked runnable block of a Track 4 lesson with this title."""
    text = (TRACK / slug / "lesson.md").read_text(encoding="utf-8")
    blocks, _ = find_blocks(text)
    [block] = [b for b in iter_blocks(blocks) if b.name == "runnable" and (b.argument or "").strip() == title]
    value, findings = parse_runnable(textwrap.dedent(block.body))
    assert value is not None and value.checked and value.solution, findings
    return value


def verdict(ex: Runnable, code: str) -> dict:
    """The runner's verdict on `code` against the exercise's tests, as the page would give it."""
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return RUNNER.run(code, ex.tests, ex.output)


@dataclass(frozen=True)
class Variant:
    slug: str
    title: str
    name: str
    swaps: tuple[tuple[str, str], ...]  # (passage of the solution, what the learner wrote instead)
    right: bool

    def code(self, ex: Runnable) -> str:
        code = ex.solution or ""
        for old, new in self.swaps:
            assert old in code, f"{self.name}: {old!r} is not in the solution of {self.title!r}"
            code = code.replace(old, new)
        return code


def wrong(slug: str, title: str, name: str, *swaps: tuple[str, str]) -> Variant:
    return Variant(slug, title, name, swaps, False)


def right(slug: str, title: str, name: str, *swaps: tuple[str, str]) -> Variant:
    return Variant(slug, title, name, swaps, True)


# -- Lesson 1: gradient descent on two parameters ------------------------------------------------------

ERA, GRAD = "deep-learning-era", "Gradient descent on two parameters"
GRAD_DW = "dw = sum(2 * (w * x + b - y) * x for x, y in data) / len(data)"
GRAD_DB = "db = sum(2 * (w * x + b - y) for x, y in data) / len(data)"
GRAD_VARIANTS = [
    wrong(ERA, GRAD, "no factor 2", (GRAD_DW, GRAD_DW.replace("2 * ", "")), (GRAD_DB, GRAD_DB.replace("2 * ", ""))),
    wrong(ERA, GRAD, "slope for b times x, like w's", (GRAD_DB, GRAD_DW.replace("dw", "db"))),
    wrong(
        ERA,
        GRAD,
        "sum, not mean",
        (GRAD_DW, GRAD_DW.replace(" / len(data)", "")),
        (GRAD_DB, GRAD_DB.replace(" / len(data)", "")),
    ),  # fmt: skip
    wrong(
        ERA,
        GRAD,
        "error as y minus prediction",
        (GRAD_DW, GRAD_DW.replace("(w * x + b - y)", "(y - w * x - b)")),
        (GRAD_DB, GRAD_DB.replace("(w * x + b - y)", "(y - w * x - b)")),
    ),  # fmt: skip
    wrong(
        ERA,
        GRAD,
        "the bias left out of the error",
        (GRAD_DW, GRAD_DW.replace(" + b", "")),
        (GRAD_DB, GRAD_DB.replace(" + b", "")),
    ),  # fmt: skip
    wrong(ERA, GRAD, "slopes swapped", ("return dw, db", "return db, dw")),
    wrong(ERA, GRAD, "slope for b is the mean error", (GRAD_DB, GRAD_DB.replace("2 * ", ""))),
    right(
        ERA,
        GRAD,
        "numerical slopes by central differences",
        (GRAD_DW, "h = 1e-6\n    dw = (loss(w + h, b) - loss(w - h, b)) / (2 * h)"),
        (GRAD_DB, "db = (loss(w, b + h) - loss(w, b - h)) / (2 * h)"),
    ),  # fmt: skip
    right(
        ERA,
        GRAD,
        "one loop over the points",
        (
            GRAD_DW,
            "dw = db = 0.0\n    for x, y in data:\n        err = w * x + b - y\n        dw += 2 * err * x / len(data)\n        db += 2 * err / len(data)",
        ),
        (GRAD_DB, ""),
    ),  # fmt: skip
    right(
        ERA,
        GRAD,
        "expanded algebra",
        (
            GRAD_DW,
            "n = len(data)\n    sx = sum(x for x, _ in data); sy = sum(y for _, y in data)\n    sxx = sum(x * x for x, _ in data); sxy = sum(x * y for x, y in data)\n    dw = 2 * (w * sxx + b * sx - sxy) / n",
        ),
        (GRAD_DB, "db = 2 * (w * sx + b * n - sy) / n"),
    ),  # fmt: skip
]

# -- Lesson 1: backpropagation and a training step -----------------------------------------------------

BP = "Backpropagation, then train a network with it"
BP_TOPO = """        order, seen = [], set()
        def visit(node):   # a node goes into `order` after everything it was computed from
            if id(node) not in seen:
                seen.add(id(node))
                for parent in node.parents:
                    visit(parent)
                order.append(node)
        visit(self)
        self.grad = 1.0
        for node in reversed(order):   # the output first, each node once all its uses are in
            node._backward()"""
BP_STEP = """    for p in params:
        p.grad = 0.0               # gradients add up, so clear last step's first
    loss.backward()
    for p in params:
        p.data -= learning_rate * p.grad"""
BP_VARIANTS = [
    wrong(
        ERA,
        BP,
        "recursion without an order: a shared value passes its gradient on early and twice",
        (
            BP_TOPO,
            """        self.grad = 1.0
        def push(node):
            node._backward()
            for parent in node.parents:
                push(parent)
        push(self)""",
        ),
    ),
    wrong(
        ERA,
        BP,
        "breadth-first from the output, each value once",
        (
            BP_TOPO,
            """        self.grad = 1.0
        queue, seen = [self], {id(self)}
        while queue:
            node = queue.pop(0)
            node._backward()
            for parent in node.parents:
                if id(parent) not in seen:
                    seen.add(id(parent))
                    queue.append(parent)""",
        ),
    ),
    wrong(ERA, BP, "topological order not reversed", ("for node in reversed(order):", "for node in order:")),
    wrong(ERA, BP, "output's gradient not seeded with 1", ("        self.grad = 1.0\n", "")),
    wrong(
        ERA,
        BP,
        "no visited set: shared values listed twice",
        (
            "            if id(node) not in seen:\n                seen.add(id(node))\n                for parent",
            "            if True:\n                for parent",
        ),
    ),  # fmt: skip
    wrong(
        ERA,
        BP,
        "gradients never cleared",
        ("        p.grad = 0.0               # gradients add up, so clear last step's first\n", "        pass\n"),
    ),  # fmt: skip
    wrong(ERA, BP, "step up the gradient", ("p.data -= learning_rate * p.grad", "p.data += learning_rate * p.grad")),
    wrong(
        ERA,
        BP,
        "gradients cleared after backward",
        (
            BP_STEP,
            """    loss.backward()
    for p in params:
        p.grad = 0.0
    for p in params:
        p.data -= learning_rate * p.grad""",
        ),
    ),
    wrong(
        ERA,
        BP,
        "update before backward, with last step's gradients",
        (
            BP_STEP,
            """    for p in params:
        p.data -= learning_rate * p.grad
    for p in params:
        p.grad = 0.0
    loss.backward()""",
        ),
    ),
    wrong(ERA, BP, "learning rate left out", ("p.data -= learning_rate * p.grad", "p.data -= p.grad")),
    right(
        ERA,
        BP,
        "iterative depth-first walk with a stack",
        (
            BP_TOPO,
            """        order, seen, stack = [], set(), [(self, False)]
        while stack:
            node, done = stack.pop()
            if done:
                order.append(node)
            elif id(node) not in seen:
                seen.add(id(node))
                stack.append((node, True))
                stack.extend((p, False) for p in node.parents)
        self.grad = 1.0
        for node in reversed(order):
            node._backward()""",
        ),
    ),
    right(
        ERA,
        BP,
        "Kahn's algorithm: a value goes once all its users have",
        (
            BP_TOPO,
            """        users, todo, found = {}, [self], {id(self): self}
        while todo:
            node = todo.pop()
            for p in node.parents:
                users[id(p)] = users.get(id(p), 0) + 1
                if id(p) not in found:
                    found[id(p)] = p
                    todo.append(p)
        self.grad = 1.0
        ready = [self]
        while ready:
            node = ready.pop()
            node._backward()
            for p in node.parents:
                users[id(p)] -= 1
                if users[id(p)] == 0:
                    ready.append(p)""",
        ),
    ),
    right(
        ERA,
        BP,
        "zero_grad through a list comprehension, update by a new float",
        (
            BP_STEP,
            """    [setattr(p, "grad", 0.0) for p in params]
    loss.backward()
    for p in params:
        p.data = p.data - p.grad * learning_rate""",
        ),
    ),
]

# -- Lesson 1: one AdamW step --------------------------------------------------------------------------

ADAM = "One AdamW step, on lists"
ADAM_UPDATE = "p - lr * (mh / (math.sqrt(vh) + eps) + weight_decay * p)"
ADAM_VARIANTS = [
    wrong(
        ERA,
        ADAM,
        "Adam with L2: the decay added to the gradient",
        (
            "    m = [beta1 * mi + (1 - beta1) * g for mi, g in zip(m, grads)]",
            "    grads = [g + weight_decay * p for g, p in zip(grads, params)]\n    m = [beta1 * mi + (1 - beta1) * g for mi, g in zip(m, grads)]",
        ),
        (ADAM_UPDATE, "p - lr * mh / (math.sqrt(vh) + eps)"),
    ),  # fmt: skip
    wrong(ERA, ADAM, "no bias correction", ("mi / (1 - beta1**t)", "mi"), ("vi / (1 - beta2**t)", "vi")),
    wrong(
        ERA,
        ADAM,
        "bias correction with the first step's factor",
        ("1 - beta1**t", "1 - beta1"),
        ("1 - beta2**t", "1 - beta2"),
    ),  # fmt: skip
    wrong(
        ERA,
        ADAM,
        "decay not scaled by the learning rate",
        (ADAM_UPDATE, "p - lr * mh / (math.sqrt(vh) + eps) - weight_decay * p"),
    ),  # fmt: skip
    wrong(
        ERA, ADAM, "divided by v, not its square root", (ADAM_UPDATE, "p - lr * (mh / (vh + eps) + weight_decay * p)")
    ),
    wrong(ERA, ADAM, "v averages the gradient, not its square", ("(1 - beta2) * g * g", "(1 - beta2) * abs(g)")),
    wrong(ERA, ADAM, "no decay at all (plain Adam)", (ADAM_UPDATE, "p - lr * mh / (math.sqrt(vh) + eps)")),
    right(
        ERA,
        ADAM,
        "PyTorch's order: shrink the weight, then the Adam step",
        (ADAM_UPDATE, "p * (1 - lr * weight_decay) - lr * mh / (math.sqrt(vh) + eps)"),
    ),  # fmt: skip
    right(
        ERA,
        ADAM,
        "the decay taken from the weight after the Adam step (issue 85, N20: the paper's order)",
        (ADAM_UPDATE, "(p - lr * mh / (math.sqrt(vh) + eps)) * (1 - lr * weight_decay)"),
    ),  # fmt: skip
    right(
        ERA,
        ADAM,
        "the decay after the step, as two statements",
        (
            """    params = [
        p - lr * (mh / (math.sqrt(vh) + eps) + weight_decay * p)
        for p, mh, vh in zip(params, m_hat, v_hat)
    ]""",
            """    params = [p - lr * mh / (math.sqrt(vh) + eps) for p, mh, vh in zip(params, m_hat, v_hat)]
    params = [p - lr * weight_decay * p for p in params]""",
        ),
    ),  # fmt: skip
    wrong(
        ERA,
        ADAM,
        "the decay after the step, by the decay rate alone",
        (ADAM_UPDATE, "(p - lr * mh / (math.sqrt(vh) + eps)) * (1 - weight_decay)"),
    ),  # fmt: skip
    right(
        ERA,
        ADAM,
        "Kingma and Ba's folded step size",
        (
            "    m_hat = [mi / (1 - beta1**t) for mi in m]\n    v_hat = [vi / (1 - beta2**t) for vi in v]\n",
            "    step = lr * math.sqrt(1 - beta2**t) / (1 - beta1**t)\n",
        ),
        (
            """    params = [
        p - lr * (mh / (math.sqrt(vh) + eps) + weight_decay * p)
        for p, mh, vh in zip(params, m_hat, v_hat)
    ]""",
            "    params = [p - step * mi / (math.sqrt(vi) + eps) - lr * weight_decay * p for p, mi, vi in zip(params, m, v)]",
        ),
    ),  # fmt: skip
    right(
        ERA,
        ADAM,
        "epsilon inside the square root, loops by index",
        (
            """    params = [
        p - lr * (mh / (math.sqrt(vh) + eps) + weight_decay * p)
        for p, mh, vh in zip(params, m_hat, v_hat)
    ]""",
            """    out = []
    for i in range(len(params)):
        out.append(params[i] - lr * m_hat[i] / math.sqrt(v_hat[i] + eps * eps) - lr * weight_decay * params[i])
    params = out""",
        ),
    ),  # fmt: skip
]

# -- Lesson 3: softmax and attention (issue 71: the minimum passed, a log-sum-exp failed) -------------

ATT, SOFT = "attention-and-transformers", "Softmax and attention on lists"
SOFT_BODY = """    top = max(scores)
    exps = [math.exp(s - top) for s in scores]
    total = sum(exps)
    return [e / total for e in exps]"""
SOFT_VARIANTS = [
    wrong(ATT, SOFT, "subtract the minimum", ("top = max(scores)", "top = min(scores)")),
    wrong(ATT, SOFT, "no shift at all", ("top = max(scores)", "top = 0.0")),
    wrong(ATT, SOFT, "subtract the mean", ("top = max(scores)", "top = sum(scores) / len(scores)")),
    wrong(
        ATT,
        SOFT,
        "shares of the scores themselves",
        (SOFT_BODY, "    total = sum(scores)\n    return [s / total for s in scores]"),
    ),  # fmt: skip
    wrong(
        ATT,
        SOFT,
        "shifted scores normalised without exp",
        (
            SOFT_BODY,
            "    top = max(scores)\n    exps = [1 + s - top for s in scores]\n    total = sum(exps)\n    return [e / total for e in exps]",
        ),
    ),  # fmt: skip
    wrong(
        ATT,
        SOFT,
        "scores by distance, not dot product",
        (
            "scores = [sum(q * k for q, k in zip(query, key)) for key in keys]",
            "scores = [-sum((q - k) ** 2 for q, k in zip(query, key)) for key in keys]",
        ),
    ),  # fmt: skip
    right(
        ATT,
        SOFT,
        "log-sum-exp",
        (
            SOFT_BODY,
            "    top = max(scores)\n    lse = top + math.log(sum(math.exp(s - top) for s in scores))\n    return [math.exp(s - lse) for s in scores]",
        ),
    ),  # fmt: skip
    right(
        ATT,
        SOFT,
        "the maximum by sorting, fsum for the total",
        (
            SOFT_BODY,
            "    top = sorted(scores)[-1]\n    exps = [math.exp(s - top) for s in scores]\n    total = math.fsum(exps)\n    return [e / total for e in exps]",
        ),
    ),  # fmt: skip
    right(
        ATT,
        SOFT,
        "divide by the total through a loop",
        (
            SOFT_BODY,
            "    top = max(scores)\n    out = []\n    for s in scores:\n        out.append(math.exp(s - top))\n    total = sum(out)\n    for i in range(len(out)):\n        out[i] /= total\n    return out",
        ),
    ),  # fmt: skip
]

# -- Lesson 6: the reparameterisation trick and the KL term, from a log-variance -----------------------

VAE, KL = "autoencoders-and-vaes", "The reparameterisation trick and the KL term, from a log-variance"
KL_SUM = "return sum(0.5 * (math.exp(lv) + m**2 - 1 - lv) for m, lv in zip(mu, logvar))"
KL_VARIANTS = [
    wrong(VAE, KL, "sigma = exp(logvar), the variance", ("math.exp(lv / 2) * e", "math.exp(lv) * e")),
    wrong(VAE, KL, "sigma = logvar / 2", ("math.exp(lv / 2) * e", "(lv / 2) * e")),
    wrong(
        VAE, KL, "the mean over dimensions", (KL_SUM, KL_SUM.replace("return sum(", "return (1 / len(mu)) * sum("))
    ),  # fmt: skip
    wrong(VAE, KL, "log of sigma for log of sigma squared", (KL_SUM, KL_SUM.replace("- 1 - lv)", "- 1 - lv / 2)"))),
    wrong(
        VAE,
        KL,
        "logvar read as log sigma",
        (KL_SUM, KL_SUM.replace("math.exp(lv)", "math.exp(2 * lv)").replace("- 1 - lv)", "- 1 - 2 * lv)")),
    ),  # fmt: skip
    wrong(VAE, KL, "no factor one half", (KL_SUM, KL_SUM.replace("0.5 * ", ""))),
    wrong(VAE, KL, "the mean left out", (KL_SUM, KL_SUM.replace(" + m**2", ""))),
    right(
        VAE,
        KL,
        "back to sigma, then the text's formula",
        ("math.exp(lv / 2) * e", "math.sqrt(math.exp(lv)) * e"),
        (
            KL_SUM,
            "total = 0.0\n    for m, lv in zip(mu, logvar):\n        sigma = math.sqrt(math.exp(lv))\n        total += 0.5 * (sigma**2 + m**2 - 1 - math.log(sigma**2))\n    return total",
        ),
    ),  # fmt: skip
    right(
        VAE,
        KL,
        "a half outside the sum",
        (KL_SUM, "return 0.5 * sum(math.exp(lv) + m * m - 1 - lv for m, lv in zip(mu, logvar))"),
    ),  # fmt: skip
    right(VAE, KL, "exp of a half-log", ("math.exp(lv / 2) * e", "math.exp(0.5 * lv) * e")),
]

# -- Lesson 7: two noise schedules ------------------------------------------------------------------

GAN, SCHED = "gans-and-diffusion", "Two noise schedules, from betas and back"
BARS = """    out, product = [], 1.0
    for beta in betas:
        product *= 1 - beta
        out.append(product)
    return out"""
FROM = "return [1 - bar / prev for prev, bar in zip([1.0] + bars[:-1], bars)]"
HALF = "return next(t for t, bar in enumerate(alpha_bars(betas), start=1) if bar < 0.5)"
SCHED_VARIANTS = [
    wrong(
        GAN,
        SCHED,
        "one minus the summed betas",
        (BARS, "    return [1 - sum(betas[:t]) for t in range(1, len(betas) + 1)]"),
    ),  # fmt: skip
    wrong(
        GAN,
        SCHED,
        "the product before the step is multiplied in",
        (
            BARS,
            "    out, product = [], 1.0\n    for beta in betas:\n        out.append(product)\n        product *= 1 - beta\n    return out",
        ),
    ),  # fmt: skip
    wrong(
        GAN,
        SCHED,
        "betas as differences of alpha_bar",
        (FROM, "return [prev - bar for prev, bar in zip([1.0] + bars[:-1], bars)]"),
    ),  # fmt: skip
    wrong(
        GAN,
        SCHED,
        "betas as ratios, without one minus",
        (FROM, "return [bar / prev for prev, bar in zip([1.0] + bars[:-1], bars)]"),
    ),  # fmt: skip
    wrong(
        GAN,
        SCHED,
        "halfway by the image weight, not its variance",
        (HALF, "return next(t for t, bar in enumerate(alpha_bars(betas), start=1) if bar ** 0.5 < 0.5)"),
    ),  # fmt: skip
    wrong(
        GAN,
        SCHED,
        "halfway counted from 0",
        (HALF, "return next(t for t, bar in enumerate(alpha_bars(betas)) if bar < 0.5)"),
    ),  # fmt: skip
    wrong(
        GAN,
        SCHED,
        "exp of minus the summed betas, as if 1 - beta were exp(-beta)",
        (BARS, "    return [math.exp(-sum(betas[:t])) for t in range(1, len(betas) + 1)]"),
    ),  # fmt: skip
    right(
        GAN,
        SCHED,
        "in log space, log1p summed with accumulate (issue 86: crashed on the cosine's beta of 1)",
        (
            BARS,
            "    import itertools\n    return [math.exp(s) for s in itertools.accumulate(math.log1p(-b) for b in betas)]",
        ),
    ),  # fmt: skip
    right(
        GAN,
        SCHED,
        "in log space with math.log, a running sum",
        (
            BARS,
            "    total, out = 0.0, []\n    for beta in betas:\n        total += math.log(1 - beta)\n        out.append(math.exp(total))\n    return out",
        ),
    ),  # fmt: skip
    right(
        GAN,
        SCHED,
        "betas_from caps at 0.999 itself, as the text says Nichol and Dhariwal do",
        (FROM, "return [min(1 - bar / prev, 0.999) for prev, bar in zip([1.0] + bars[:-1], bars)]"),
    ),  # fmt: skip
    right(
        GAN,
        SCHED,
        "math.prod over each prefix",
        (BARS, "    return [math.prod(1 - b for b in betas[:t]) for t in range(1, len(betas) + 1)]"),
    ),  # fmt: skip
    right(
        GAN,
        SCHED,
        "betas by index, halfway where the noise's variance overtakes",
        (
            FROM,
            "out = []\n    for i, bar in enumerate(bars):\n        prev = bars[i - 1] if i else 1.0\n        out.append((prev - bar) / prev)\n    return out",
        ),
        (HALF, "for t, bar in enumerate(alpha_bars(betas), start=1):\n        if 1 - bar > bar:\n            return t"),
    ),  # fmt: skip
]

# -- Lesson 10: the smallest nudge that flips a linear classifier ---------------------------------------

LIM, FLIP = "limits-and-frontiers", "The smallest nudge that flips a linear classifier"
FLIP_RETURN = "return abs(score(w, x)) / sum(abs(wi) for wi in w)"
FLIP_VARIANTS = [
    wrong(
        LIM,
        FLIP,
        "always nudge downwards",
        ("moved.append(xi - step if down else xi + step)", "moved.append(xi - step)"),
    ),  # fmt: skip
    wrong(
        LIM,
        FLIP,
        "nudge by epsilon times the weight",
        ("step = epsilon if wi > 0 else -epsilon if wi < 0 else 0.0", "step = epsilon * wi"),
    ),  # fmt: skip
    wrong(LIM, FLIP, "divide by the signed sum of the weights", (FLIP_RETURN, "return abs(score(w, x)) / abs(sum(w))")),
    wrong(
        LIM,
        FLIP,
        "divide by the weights' length (an L2 step)",
        (FLIP_RETURN, "return abs(score(w, x)) / sum(wi * wi for wi in w) ** 0.5"),
    ),  # fmt: skip
    wrong(
        LIM, FLIP, "every weight as large as the first", (FLIP_RETURN, "return abs(score(w, x)) / (len(w) * abs(w[0]))")
    ),  # fmt: skip
    wrong(LIM, FLIP, "a signed epsilon", (FLIP_RETURN, "return score(w, x) / sum(abs(wi) for wi in w)")),
    right(
        LIM,
        FLIP,
        "copysign and a measured rate",
        (
            "        step = epsilon if wi > 0 else -epsilon if wi < 0 else 0.0\n",
            "        step = math.copysign(epsilon, wi) if wi else 0.0\n",
        ),
        ("import random", "import math, random"),
        (FLIP_RETURN, "s = score(w, x)\n    return abs(s) / abs(s - score(w, nudge(w, x, 1.0)))"),
    ),  # fmt: skip
    right(
        LIM,
        FLIP,
        "sign as a difference of comparisons",
        ("step = epsilon if wi > 0 else -epsilon if wi < 0 else 0.0", "step = epsilon * ((wi > 0) - (wi < 0))"),
    ),  # fmt: skip
]

# -- Lesson 2: teacher forcing and free running -------------------------------------------------------

REC, TF = "recurrence-and-its-limits", "Teacher forcing and free running"
TF_LOSS = "return sum(-math.log(model[prev].get(word, 1e-9)) for prev, word in zip(inputs, target)) / len(target)"
TF_VARIANTS = [
    wrong(REC, TF, "inputs without the start marker", ('return ["<s>"] + target[:-1]', "return target[:-1]")),
    wrong(REC, TF, "inputs that include the last word", ('return ["<s>"] + target[:-1]', 'return ["<s>"] + target')),
    wrong(
        REC,
        TF,
        "the loss fed the model's own guesses",
        (
            "    inputs = teacher_forced_inputs(target)\n",
            '    inputs = ["<s>"] + free_running(model, len(target) - 1)\n',
        ),
    ),  # fmt: skip
    wrong(REC, TF, "summed, not averaged", (TF_LOSS, TF_LOSS.replace(" / len(target)", ""))),
    wrong(
        REC,
        TF,
        "scored on the most likely word, not the target",
        (TF_LOSS, "return sum(-math.log(max(model[prev].values())) for prev in inputs) / len(target)"),
    ),  # fmt: skip
    wrong(
        REC,
        TF,
        "generation fed the target sentence",
        (
            "        prev = max(model[prev], key=model[prev].get)\n        words.append(prev)",
            "        words.append(max(model[prev], key=model[prev].get))\n        prev = target[len(words) - 1] if len(words) <= len(target) else words[-1]",
        ),
    ),  # fmt: skip
    wrong(
        REC,
        TF,
        "generation that never moves on from <s>",
        (
            "        prev = max(model[prev], key=model[prev].get)\n        words.append(prev)",
            '        words.append(max(model["<s>"], key=model["<s>"].get))',
        ),
    ),  # fmt: skip
    right(
        REC,
        TF,
        "inputs by a loop, loss by math.fsum",
        (
            'return ["<s>"] + target[:-1]',
            'out = ["<s>"]\n    for word in target[:-1]:\n        out.append(word)\n    return out',
        ),
        (TF_LOSS, "return math.fsum(-math.log(model[p][w]) for p, w in zip(inputs, target)) / len(target)"),
    ),  # fmt: skip
    right(
        REC,
        TF,
        "the most likely word by sorting",
        (
            "prev = max(model[prev], key=model[prev].get)",
            "prev = sorted(model[prev].items(), key=lambda kv: kv[1])[-1][0]",
        ),
    ),  # fmt: skip
]

VARIANTS = (
    GRAD_VARIANTS
    + BP_VARIANTS
    + ADAM_VARIANTS
    + SOFT_VARIANTS
    + KL_VARIANTS
    + SCHED_VARIANTS
    + FLIP_VARIANTS
    + TF_VARIANTS
)
EXERCISES = sorted({(v.slug, v.title) for v in VARIANTS})


@pytest.mark.parametrize("slug, title", EXERCISES, ids=[t for _, t in EXERCISES])
def test_the_solution_passes_and_the_starting_code_does_not(slug, title):
    ex = exercise(slug, title)
    assert verdict(ex, ex.solution or "")["status"] == "passed"
    assert verdict(ex, ex.code)["status"] != "passed"


@pytest.mark.parametrize("variant", VARIANTS, ids=[f"{'right' if v.right else 'wrong'}: {v.name}" for v in VARIANTS])
def test_variants_are_judged_as_a_teacher_would(variant):
    ex = exercise(variant.slug, variant.title)
    got = verdict(ex, variant.code(ex))
    if variant.right:
        assert got["status"] == "passed", got
    else:
        assert got["status"] != "passed", f"{variant.name} passed {variant.title!r}"
        assert got.get("detail"), got  # the learner is told what is wrong, in the test's words


def test_every_exercise_has_wrong_and_right_variants():
    for slug, title in EXERCISES:
        kinds = {v.right for v in VARIANTS if (v.slug, v.title) == (slug, title)}
        assert kinds == {True, False}, title


def test_training_in_the_page_prints_a_falling_loss():
    """The backpropagation exercise trains a network: its printed loss falls below 0.1."""
    ex = exercise(ERA, BP)
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert RUNNER.run(ex.solution, ex.tests)["status"] == "passed"
    losses = [float(line.rsplit(" ", 1)[1]) for line in out.getvalue().splitlines() if line.startswith("step")]
    assert len(losses) >= 5 and losses == sorted(losses, reverse=True) and losses[-1] < 0.1 < 0.6 < losses[0]
