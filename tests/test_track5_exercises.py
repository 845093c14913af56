"""Track 5's checked exercises judge as a teacher would (issue 71).

Every `/// runnable` exercise of the transformers track is run through the page's own runner
(theme/assets/tracksite/runner.py, loaded here in-process, the file Pyodide runs in the page): the
author's solution must pass and the starting code must fail, and then each exercise meets
solutions a learner might write. Wrong-but-plausible ones (a softmax that subtracts the minimum,
a bigram denominator that counts the corpus's last token, a routing softmax over every expert)
must fail, with a message that names the mistake in the learner's terms; right-but-different ones
(a log-sum-exp softmax, `u <= total` in a sampler, memory counted in GiB) must pass.

A variant is the author's solution with one or more functions written again after it: Python
binds the later definition, so the tests meet the variant while the solution's own prints ran
with the original. Exercises that are not listed here fail `test_every_exercise_has_variants`.
"""

from __future__ import annotations

import importlib.util
import re
import textwrap
from dataclasses import dataclass

import pytest

from course import REPO
from tracksite import theme
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.widgets.runnable import parse_runnable

TRACK = REPO / "lessons" / "transformers-and-llms"
_SPEC = importlib.util.spec_from_file_location("tracksite_page_runner", theme.ASSETS / "tracksite" / "runner.py")
assert _SPEC is not None and _SPEC.loader is not None
RUNNER = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(RUNNER)


@dataclass(frozen=True)
class Exercise:
    lesson: str
    line: int
    title: str
    code: str
    tests: str
    solution: str


def exercises() -> dict[str, Exercise]:
    """Every checked runnable exercise of Track 5, by its title."""
    found: dict[str, Exercise] = {}
    for path in sorted(TRACK.glob("*/lesson.md")):
        blocks, _ = find_blocks(path.read_text(encoding="utf-8"), 1)
        for block in iter_blocks(blocks):
            if block.name != "runnable":
                continue
            value, _ = parse_runnable("\n".join(block.body_lines) + "\n")
            if value is None or not value.tests:
                continue
            title = (block.argument or "").strip()
            assert title not in found, f"two exercises titled {title!r}"
            found[title] = Exercise(path.parent.name, block.line, title, value.code, value.tests, value.solution or "")
    return found


EXERCISES = exercises()


def run(code: str, tests: str) -> dict:
    return RUNNER.run(code, tests)


def variant(exercise: Exercise, redefine: str) -> str:
    """The solution with `redefine` (whole functions) written after it."""
    return exercise.solution + "\n\n" + textwrap.dedent(redefine)


# -- the variants, per exercise: (what the learner did, the code, a word the message must hold) --

WRONG: dict[str, list[tuple[str, str, str]]] = {}
RIGHT: dict[str, list[tuple[str, str]]] = {}

# Track 5, lesson 4: next-token prediction

WRONG["A bigram model and its perplexity"] = [
    (
        "divides by the corpus length",
        """
        def prob(prev, nxt):
            return pairs[(prev, nxt)] / len(corpus)
        """,
        "followed by something 6 times",
    ),
    (
        "divides by how often prev occurs, the corpus's last token included",
        """
        def prob(prev, nxt):
            return pairs[(prev, nxt)] / corpus.count(prev)
        """,
        "ends the corpus",
    ),
    (
        "reports the average loss, not its exponential",
        """
        def perplexity(tokens):
            losses = [-log(prob(a, b)) for a, b in zip(tokens, tokens[1:])]
            return sum(losses) / len(losses)
        """,
        "e to",
    ),
    (
        "averages over every token instead of every prediction",
        """
        def perplexity(tokens):
            losses = [-log(prob(a, b)) for a, b in zip(tokens, tokens[1:])]
            return exp(sum(losses) / len(tokens))
        """,
        "36 ** (1/6)",
    ),
]
RIGHT["A bigram model and its perplexity"] = [
    (
        "counts followers with a loop and takes a geometric mean",
        """
        def prob(prev, nxt):
            after = sum(1 for a, _ in zip(corpus, corpus[1:]) if a == prev)
            return pairs[(prev, nxt)] / after

        def perplexity(tokens):
            product = 1.0
            for a, b in zip(tokens, tokens[1:]):
                product *= prob(a, b)
            return product ** (-1 / (len(tokens) - 1))
        """,
    ),
    (
        "uses statistics.fmean and the follower counter's total",
        """
        from statistics import fmean

        def prob(prev, nxt):
            return pairs[(prev, nxt)] / sum(c for (a, _), c in pairs.items() if a == prev)

        def perplexity(tokens):
            return exp(fmean(-log(prob(a, b)) for a, b in zip(tokens, tokens[1:])))
        """,
    ),
]

WRONG["Sample with temperature"] = [
    (
        "multiplies the logits by tau",
        """
        def softmax_t(logits, tau):
            e = [exp(z * tau) for z in logits]
            return [x / sum(e) for x in e]
        """,
        "divide each logit by tau",
    ),
    (
        "greedy decoding",
        """
        def sample(probs, u):
            return probs.index(max(probs))
        """,
        "greedy",
    ),
    (
        "compares u with each probability on its own",
        """
        def sample(probs, u):
            for i, p in enumerate(probs):
                if u < p:
                    return i
            return len(probs) - 1
        """,
        "u from 0.5 to 0.8",
    ),
    (
        "walks the tokens from the likeliest down",
        """
        def sample(probs, u):
            total = 0.0
            for i in sorted(range(len(probs)), key=lambda i: -probs[i]):
                total += probs[i]
                if u < total:
                    return i
            return len(probs) - 1
        """,
        "keep the tokens in their order",
    ),
]
RIGHT["Sample with temperature"] = [
    (
        "u <= total, and a softmax that subtracts the largest logit",
        """
        def softmax_t(logits, tau):
            top = max(logits)
            e = [exp((z - top) / tau) for z in logits]
            total = sum(e)
            return [x / total for x in e]

        def sample(probs, u):
            total = 0.0
            for i, p in enumerate(probs):
                total += p
                if u <= total:
                    return i
            return len(probs) - 1
        """,
    ),
    (
        "itertools.accumulate and bisect",
        """
        from bisect import bisect_right
        from itertools import accumulate

        def sample(probs, u):
            return min(bisect_right(list(accumulate(probs)), u), len(probs) - 1)
        """,
    ),
]

WRONG["Mask the future, then count the lessons"] = [
    (
        "masks a position's own score too",
        """
        def masked_weights(scores):
            rows = []
            for i, row in enumerate(scores):
                allowed = row[:i] or [float("-inf")]
                top = max(allowed)
                e = [exp(s - top) if s != float("-inf") else 0.0 for s in allowed]
                total = sum(e) or 1.0
                rows.append([x / total for x in e] + [0.0] * (len(row) - len(allowed)))
            return rows
        """,
        "sum to 1",
    ),
    (
        "sets masked scores to 0 instead of minus infinity",
        """
        def masked_weights(scores):
            rows = []
            for i, row in enumerate(scores):
                masked = [s if j <= i else 0.0 for j, s in enumerate(row)]
                top = max(masked)
                e = [exp(s - top) for s in masked]
                rows.append([x / sum(e) for x in e])
            return rows
        """,
        "exactly 0",
    ),
    (
        "zeroes the future after the softmax without renormalising",
        """
        def masked_weights(scores):
            rows = []
            for i, row in enumerate(scores):
                top = max(row)
                e = [exp(s - top) for s in row]
                rows.append([x / sum(e) if j <= i else 0.0 for j, x in enumerate(e)])
            return rows
        """,
        "mask before the softmax",
    ),
    (
        "masks the past instead of the future",
        """
        def masked_weights(scores):
            rows = []
            for i, row in enumerate(scores):
                allowed = row[i:]
                top = max(allowed)
                e = [exp(s - top) for s in allowed]
                rows.append([0.0] * i + [x / sum(e) for x in e])
            return rows
        """,
        "later positions",
    ),
    (
        "no largest-score subtraction: exp(800) overflows",
        """
        def masked_weights(scores):
            rows = []
            for i, row in enumerate(scores):
                e = [exp(s) for s in row[: i + 1]]
                rows.append([x / sum(e) for x in e] + [0.0] * (len(row) - i - 1))
            return rows
        """,
        "OverflowError",
    ),
    (
        "counts a prediction for the last token too",
        """
        def training_pairs(tokens):
            return [(tokens[:t], tokens[t] if t < len(tokens) else None) for t in range(1, len(tokens) + 1)]
        """,
        "3 predictions",
    ),
]
RIGHT["Mask the future, then count the lessons"] = [
    (
        "minus infinity, then a softmax over the whole row",
        """
        def masked_weights(scores):
            rows = []
            for i, row in enumerate(scores):
                masked = [s if j <= i else float("-inf") for j, s in enumerate(row)]
                top = max(masked)
                e = [exp(s - top) for s in masked]
                rows.append([x / sum(e) for x in e])
            return rows

        def training_pairs(tokens):
            pairs = []
            for t in range(len(tokens) - 1):
                pairs.append((tokens[: t + 1], tokens[t + 1]))
            return pairs
        """,
    ),
    (
        "a large negative number for the mask",
        """
        def masked_weights(scores):
            out = []
            for i, row in enumerate(scores):
                masked = [s if j <= i else -1e30 for j, s in enumerate(row)]
                top = max(masked)
                e = [exp(s - top) for s in masked]
                out.append([x / sum(e) for x in e])
            return out
        """,
    ),
]

WRONG["DPO over a batch of preference pairs"] = [
    (
        "averages the token log-probabilities",
        """
        def answer_logp(token_logps):
            return sum(token_logps) / len(token_logps)
        """,
        "sum",
    ),
    (
        "a log-sigmoid that overflows",
        """
        def log_sigmoid(z):
            return -log(1 + exp(-z))
        """,
        "overflowed",
    ),
    (
        "leaves out the reference model",
        """
        def dpo(pairs, beta):
            losses, above = [], 0
            for p in pairs:
                margin = answer_logp(p["pw"]) - answer_logp(p["pl"])
                losses.append(-log_sigmoid(beta * margin))
                above += margin > 0
            return sum(losses) / len(losses), above / len(pairs)
        """,
        "margin",
    ),
    (
        "turns the margin round",
        """
        def dpo(pairs, beta):
            losses, above = [], 0
            for p in pairs:
                margin = (answer_logp(p["pl"]) - answer_logp(p["rl"])) - (answer_logp(p["pw"]) - answer_logp(p["rw"]))
                losses.append(-log_sigmoid(beta * margin))
                above += margin > 0
            return sum(losses) / len(losses), above / len(pairs)
        """,
        "0.474",
    ),
    (
        "adds the losses instead of averaging them",
        """
        def dpo(pairs, beta):
            total, above = 0.0, 0
            for p in pairs:
                margin = (answer_logp(p["pw"]) - answer_logp(p["rw"])) - (answer_logp(p["pl"]) - answer_logp(p["rl"]))
                total += -log_sigmoid(beta * margin)
                above += margin > 0
            return total, above / len(pairs)
        """,
        "mean",
    ),
    (
        "counts a margin of 0 as right",
        """
        def dpo(pairs, beta):
            losses, above = [], 0
            for p in pairs:
                margin = (answer_logp(p["pw"]) - answer_logp(p["rw"])) - (answer_logp(p["pl"]) - answer_logp(p["rl"]))
                losses.append(-log_sigmoid(beta * margin))
                above += margin >= 0
            return sum(losses) / len(losses), above / len(pairs)
        """,
        "not above 0",
    ),
]
RIGHT["DPO over a batch of preference pairs"] = [
    (
        "log1p and a softplus written once",
        """
        from math import log1p

        def log_sigmoid(z):
            return -(max(-z, 0.0) + log1p(exp(-abs(z))))
        """,
    ),
    (
        "fsum, and the margin as a difference of log-ratios",
        """
        from math import fsum

        def answer_logp(token_logps):
            return fsum(token_logps)

        def dpo(pairs, beta):
            margins = [
                (answer_logp(p["pw"]) - answer_logp(p["pl"])) - (answer_logp(p["rw"]) - answer_logp(p["rl"]))
                for p in pairs
            ]
            loss = fsum(-log_sigmoid(beta * m) for m in margins) / len(margins)
            return loss, sum(m > 0 for m in margins) / len(margins)
        """,
    ),
]

WRONG["Verifiable rewards and group advantages"] = [
    (
        "looks for the truth anywhere in the text",
        """
        def reward(answer, truth):
            return 1.0 if str(truth) in answer else 0.0
        """,
        "only the final number counts",
    ),
    (
        "takes the first number",
        """
        def reward(answer, truth):
            numbers = re.findall(r"-?\\d+", answer)
            return 1.0 if numbers and int(numbers[0]) == truth else 0.0
        """,
        "final number",
    ),
    (
        "drops the minus sign",
        """
        def reward(answer, truth):
            numbers = re.findall(r"\\d+", answer)
            return 1.0 if numbers and int(numbers[-1]) == truth else 0.0
        """,
        "minus sign",
    ),
    (
        "normalises over the whole batch",
        """
        def advantages(groups, eps=1e-6):
            every = [r for g in groups for r in g]
            mu, sigma = mean(every), pstdev(every)
            return [[(r - mu) / (sigma + eps) for r in g] for g in groups]
        """,
        "own group",
    ),
    (
        "divides by the spread with no eps",
        """
        def advantages(groups, eps=1e-6):
            return [[(r - mean(g)) / pstdev(g) for r in g] for g in groups]
        """,
        "add eps",
    ),
    (
        "subtracts the mean but does not divide by the spread",
        """
        def advantages(groups, eps=1e-6):
            return [[r - mean(g) for r in g] for g in groups]
        """,
        "spread",
    ),
]
RIGHT["Verifiable rewards and group advantages"] = [
    (
        "the sample standard deviation, and a reward that scans words",
        """
        from statistics import stdev

        def reward(answer, truth):
            last = None
            for word in re.split(r"[^0-9-]+", answer):
                if re.fullmatch(r"-?\\d+", word):
                    last = int(word)
            return float(last == truth)

        def advantages(groups, eps=1e-6):
            out = []
            for g in groups:
                mu = sum(g) / len(g)
                out.append([(r - mu) / (stdev(g) + eps) for r in g])
            return out
        """,
    ),
    (
        "the spread computed by hand",
        """
        def advantages(groups, eps=1e-6):
            out = []
            for g in groups:
                mu = sum(g) / len(g)
                spread = (sum((r - mu) ** 2 for r in g) / len(g)) ** 0.5
                out.append([(r - mu) / (spread + eps) for r in g])
            return out
        """,
    ),
]


# -- the tests ---------------------------------------------------------------------------------


def test_track_5_has_enough_checked_exercises():
    assert len(EXERCISES) >= 16, sorted(EXERCISES)


def test_every_exercise_has_variants():
    """An exercise is tried before it lands: two wrong solutions or more and a right one."""
    missing = [t for t in EXERCISES if len(WRONG.get(t, [])) < 2 or len(RIGHT.get(t, [])) < 1]
    assert missing == []
    assert set(WRONG) <= set(EXERCISES) and set(RIGHT) <= set(EXERCISES), "a variant names an exercise that is gone"


@pytest.mark.parametrize("title", sorted(EXERCISES))
def test_solution_passes_and_starting_code_fails(title):
    exercise = EXERCISES[title]
    assert run(exercise.solution, exercise.tests) == {"status": "passed"}
    assert run(exercise.code, exercise.tests)["status"] != "passed"


WRONG_CASES = [(t, label, code, words) for t, items in WRONG.items() for label, code, words in items]
RIGHT_CASES = [(t, label, code) for t, items in RIGHT.items() for label, code in items]


@pytest.mark.parametrize("title,label,code,words", WRONG_CASES, ids=[f"{c[0]}: {c[1]}" for c in WRONG_CASES])
def test_a_wrong_solution_fails_with_a_message_that_names_the_mistake(title, label, code, words):
    verdict = run(variant(EXERCISES[title], code), EXERCISES[title].tests)
    assert verdict["status"] == "failed", verdict
    assert words in verdict.get("detail", ""), verdict


@pytest.mark.parametrize("title,label,code", RIGHT_CASES, ids=[f"{c[0]}: {c[1]}" for c in RIGHT_CASES])
def test_a_right_solution_written_differently_passes(title, label, code):
    assert run(variant(EXERCISES[title], code), EXERCISES[title].tests) == {"status": "passed"}


def test_a_variant_replaces_what_it_names():
    """The variants' trick (a later definition wins) holds in the runner: without it every wrong
    variant would be judged as the solution."""
    exercise = EXERCISES["A bigram model and its perplexity"]
    code = variant(exercise, "def prob(prev, nxt):\n    return 0.5\n")
    assert re.search(r"def prob\(prev, nxt\):\n    return 0\.5", code)
    assert run(code, exercise.tests)["status"] == "failed"
