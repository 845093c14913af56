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
        "contexts as tuples",
        """
        def training_pairs(tokens):
            return [(tuple(tokens[:t]), tokens[t]) for t in range(1, len(tokens))]
        """,
    ),
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


# Track 5, lesson 1: tokens and embeddings

WRONG["Learn BPE merges"] = [
    (
        "counts each pair once per word, not per occurrence",
        """
        def learn(corpus, n):
            words = {w: list(w) for w in corpus}
            merges = []
            for _ in range(n):
                pairs = Counter()
                for w, symbols in words.items():
                    for a, b in zip(symbols, symbols[1:]):
                        pairs[a, b] += 1
                (a, b), count = pairs.most_common(1)[0]
                merges.append((a, b))
                words = {w: merge(s, a, b) for w, s in words.items()}
            return merges
        """,
        "weight each pair",
    ),
    (
        "never applies a merge before counting again",
        """
        def learn(corpus, n):
            pairs = Counter()
            for w in corpus:
                for a, b in zip(w, w[1:]):
                    pairs[a, b] += corpus[w]
            return [pair for pair, _ in pairs.most_common(n)]
        """,
        "apply each merge",
    ),
    (
        "tokenises by applying only the first merge",
        """
        def tokenise(word, merges):
            return merge(list(word), *merges[0])
        """,
        "sea",
    ),
]
RIGHT["Learn BPE merges"] = [
    (
        "Counter.update with a generator, and most_common",
        """
        def learn(corpus, n):
            words = {w: list(w) for w in corpus}
            merges = []
            for _ in range(n):
                pairs = Counter()
                for w, s in words.items():
                    pairs.update({p: 0 for p in zip(s, s[1:])})
                    for p in zip(s, s[1:]):
                        pairs[p] += corpus[w]
                best = pairs.most_common(1)[0][0]
                merges.append(best)
                words = {w: merge(s, *best) for w, s in words.items()}
            return merges
        """,
    ),
    (
        "counts with a dict and picks the pair with max()",
        """
        def learn(corpus, n):
            words = {w: list(w) for w in corpus}
            merges = []
            for _ in range(n):
                pairs = {}
                for w, symbols in words.items():
                    for pair in zip(symbols, symbols[1:]):
                        pairs[pair] = pairs.get(pair, 0) + corpus[w]
                best = max(pairs, key=pairs.get)
                merges.append(best)
                words = {w: merge(s, *best) for w, s in words.items()}
            return merges
        """,
    ),
]

# Track 5, lesson 2: positional encoding

WRONG["Sinusoidal encodings on plain lists"] = [
    (
        "one frequency per dimension instead of per pair",
        """
        def pe(pos, d_model):
            out = []
            for i in range(d_model):
                omega = 1 / 10000 ** (i / d_model)
                out.append(sin(pos * omega) if i % 2 == 0 else cos(pos * omega))
            return out
        """,
        "row 1 of the table",
    ),
    (
        "the exponent uses i / d_model, not 2i / d_model",
        """
        def pe(pos, d_model):
            out = []
            for i in range(d_model // 2):
                omega = 1 / 10000 ** (i / d_model)
                out += [sin(pos * omega), cos(pos * omega)]
            return out
        """,
        "row 1 of the table",
    ),
    (
        "all sines first, then all cosines",
        """
        def pe(pos, d_model):
            omegas = [1 / 10000 ** (2 * i / d_model) for i in range(d_model // 2)]
            return [sin(pos * w) for w in omegas] + [cos(pos * w) for w in omegas]
        """,
        "row 1 of the table",
    ),
]
RIGHT["Sinusoidal encodings on plain lists"] = [
    (
        "a comprehension over dimensions, pairing by index",
        """
        def pe(pos, d_model):
            return [
                (sin if j % 2 == 0 else cos)(pos / 10000 ** ((j - j % 2) / d_model))
                for j in range(d_model)
            ]
        """,
    ),
]

WRONG["RoPE on whole vectors"] = [
    (
        "every pair turns at the same speed",
        """
        def rope(v, pos, base=10000):
            out = []
            for i in range(len(v) // 2):
                x, y = v[2 * i], v[2 * i + 1]
                out += [x * cos(pos) - y * sin(pos), x * sin(pos) + y * cos(pos)]
            return out
        """,
        "pair 1 of a 4-number vector",
    ),
    (
        "the exponent uses i / d, not 2i / d",
        """
        def rope(v, pos, base=10000):
            out = []
            for i in range(len(v) // 2):
                a = pos / base ** (i / len(v))
                x, y = v[2 * i], v[2 * i + 1]
                out += [x * cos(a) - y * sin(a), x * sin(a) + y * cos(a)]
            return out
        """,
        "pair 1 of a 4-number vector",
    ),
    (
        "adds a sinusoidal position vector instead of rotating",
        """
        def rope(v, pos, base=10000):
            out = []
            for i in range(len(v) // 2):
                a = pos / base ** (2 * i / len(v))
                out += [v[2 * i] + sin(a), v[2 * i + 1] + cos(a)]
            return out
        """,
        "pair 0 turns by 1 radian",
    ),
    (
        "pairs dimension i with i + d/2, as some libraries lay them out",
        """
        def rope(v, pos, base=10000):
            h = len(v) // 2
            out = list(v)
            for i in range(h):
                a = pos / base ** (2 * i / len(v))
                x, y = v[i], v[i + h]
                out[i], out[i + h] = x * cos(a) - y * sin(a), x * sin(a) + y * cos(a)
            return out
        """,
        "pair 0 turns by 1 radian",
    ),
    (
        "ignores the base it is given",
        """
        def rope(v, pos, base=10000):
            out = []
            for i in range(len(v) // 2):
                a = pos / 10000 ** (2 * i / len(v))
                x, y = v[2 * i], v[2 * i + 1]
                out += [x * cos(a) - y * sin(a), x * sin(a) + y * cos(a)]
            return out
        """,
        "base",
    ),
]
RIGHT["RoPE on whole vectors"] = [
    (
        "turns the other way round, with complex numbers",
        """
        def rope(v, pos, base=10000):
            out = []
            for i in range(len(v) // 2):
                z = complex(v[2 * i], v[2 * i + 1]) * complex(cos(pos / base ** (2 * i / len(v))),
                                                             -sin(pos / base ** (2 * i / len(v))))
                out += [z.real, z.imag]
            return out
        """,
    ),
    (
        "cmath.exp on each pair",
        """
        import cmath

        def rope(v, pos, base=10000):
            d = len(v)
            out = []
            for i in range(0, d, 2):
                z = complex(v[i], v[i + 1]) * cmath.exp(1j * pos * base ** (-i / d))
                out.extend((z.real, z.imag))
            return out
        """,
    ),
]

# Track 5, lesson 3: the attention mechanism

WRONG["Attention on plain lists"] = [
    (
        "subtracts the minimum score",
        """
        def softmax(scores):
            low = min(scores)
            e = [exp(s - low) for s in scores]
            return [x / sum(e) for x in e]
        """,
        "subtract the maximum score",
    ),
    (
        "no shift at all",
        """
        def softmax(scores):
            e = [exp(s) for s in scores]
            return [x / sum(e) for x in e]
        """,
        "subtract the maximum score",
    ),
    (
        "divides by d_k instead of its square root",
        """
        def attend(q, keys, values):
            scores = [sum(a * b for a, b in zip(q, k)) / len(q) for k in keys]
            weights = softmax(scores)
            output = [sum(w * v[j] for w, v in zip(weights, values)) for j in range(len(values[0]))]
            return weights, output
        """,
        "sqrt(d_k)",
    ),
    (
        "does not scale the scores",
        """
        def attend(q, keys, values):
            scores = [sum(a * b for a, b in zip(q, k)) for k in keys]
            weights = softmax(scores)
            output = [sum(w * v[j] for w, v in zip(weights, values)) for j in range(len(values[0]))]
            return weights, output
        """,
        "sqrt(d_k)",
    ),
    (
        "normalises by the sum of the scores, not of their exponentials",
        """
        def softmax(scores):
            top = max(scores)
            return [exp(s - top) / sum(scores) for s in scores]
        """,
        "sum to 1",
    ),
]
RIGHT["Attention on plain lists"] = [
    (
        "log-sum-exp softmax",
        """
        from math import log

        def softmax(scores):
            top = max(scores)
            lse = top + log(sum(exp(s - top) for s in scores))
            return [exp(s - lse) for s in scores]
        """,
    ),
    (
        "fsum and the total computed once",
        """
        from math import fsum

        def softmax(scores):
            top = max(scores)
            e = [exp(s - top) for s in scores]
            total = fsum(e)
            return [x / total for x in e]
        """,
    ),
]

WRONG["Split into heads, attend, merge"] = [
    (
        "deals the numbers out to the heads in turn",
        """
        def split_heads(X, h):
            return [[x[i::h] for x in X] for i in range(h)]

        def merge_heads(heads):
            h = len(heads)
            return [[heads[j % h][t][j // h] for j in range(h * len(heads[0][0]))] for t in range(len(heads[0]))]
        """,
        "head 0 holds each token's first 2 numbers",
    ),
    (
        "gives each head a slice of the sentence",
        """
        def split_heads(X, h):
            size = -(-len(X) // h)
            return [X[i * size:(i + 1) * size] for i in range(h)]

        def merge_heads(heads):
            return [x for head in heads for x in head]
        """,
        "heads divide each token's vector, not the sentence",
    ),
    (
        "attends on the whole vectors, then splits",
        """
        def multi_head(X, h):
            return merge_heads(split_heads(attention(X), h))
        """,
        "each head scores its own 2 numbers",
    ),
    (
        "merges by adding the heads' outputs",
        """
        def merge_heads(heads):
            return [[sum(vals) for vals in zip(*(head[t] for head in heads))] for t in range(len(heads[0]))]
        """,
        "give back the vectors you split",
    ),
]
RIGHT["Split into heads, attend, merge"] = [
    (
        "tuples for the pieces",
        """
        def split_heads(X, h):
            d_k = len(X[0]) // h
            return [[tuple(x[i * d_k:(i + 1) * d_k]) for x in X] for i in range(h)]

        def merge_heads(heads):
            return [tuple(v for head in heads for v in head[t]) for t in range(len(heads[0]))]

        def multi_head(X, h):
            return merge_heads([attention([list(v) for v in head]) for head in split_heads(X, h)])
        """,
    ),
    (
        "itertools.chain to merge, range steps to split",
        """
        from itertools import chain

        def split_heads(X, h):
            d_k = len(X[0]) // h
            return [[x[start:start + d_k] for x in X] for start in range(0, len(X[0]), d_k)]

        def merge_heads(heads):
            return [list(chain.from_iterable(parts)) for parts in zip(*heads)]
        """,
    ),
]

# Track 5, lesson 5: scaling laws and context windows

WRONG["Route a token to its top-k experts"] = [
    (
        "a softmax over every expert, then the top k",
        """
        def route(scores, k):
            top = max(scores)
            e = [exp(s - top) for s in scores]
            probs = [x / sum(e) for x in e]
            chosen = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)[:k]
            return [(c, probs[c]) for c in chosen]
        """,
        "softmax over the k chosen scores only",
    ),
    (
        "equal gates for the chosen experts",
        """
        def route(scores, k):
            chosen = sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)[:k]
            return [(c, 1 / k) for c in chosen]
        """,
        "0.622",
    ),
    (
        "the chosen experts in index order, not best first",
        """
        def route(scores, k):
            chosen = sorted(sorted(range(len(scores)), key=lambda i: scores[i], reverse=True)[:k])
            top = max(scores[c] for c in chosen)
            e = [exp(scores[c] - top) for c in chosen]
            return [(c, x / sum(e)) for c, x in zip(chosen, e)]
        """,
        "expert 3 (2.0), then expert 1",
    ),
    (
        "the lowest scores",
        """
        def route(scores, k):
            chosen = sorted(range(len(scores)), key=lambda i: scores[i])[:k]
            top = max(scores[c] for c in chosen)
            e = [exp(scores[c] - top) for c in chosen]
            return [(c, x / sum(e)) for c, x in zip(chosen, e)]
        """,
        "best scores",
    ),
    (
        "adds the experts' outputs without their gates",
        """
        def moe(x, scores, experts, k):
            out = [0.0] * len(x)
            for e, _ in route(scores, k):
                out = [o + v for o, v in zip(out, experts[e](x))]
            return out
        """,
        "gate times",
    ),
]
RIGHT["Route a token to its top-k experts"] = [
    (
        "lists for the picks, and a loop that removes the best each time",
        """
        def route(scores, k):
            left, chosen = list(range(len(scores))), []
            for _ in range(k):
                best = max(left, key=lambda e: scores[e])
                chosen.append(best)
                left.remove(best)
            total = sum(exp(scores[c]) for c in chosen)
            return [[c, exp(scores[c]) / total] for c in chosen]
        """,
    ),
    (
        "heapq.nlargest and a softmax without a shift",
        """
        import heapq

        def route(scores, k):
            chosen = heapq.nlargest(k, range(len(scores)), key=scores.__getitem__)
            e = [exp(scores[c]) for c in chosen]
            total = sum(e)
            return [(c, x / total) for c, x in zip(chosen, e)]

        def moe(x, scores, experts, k):
            outs = [[g * v for v in experts[e](x)] for e, g in route(scores, k)]
            return [sum(col) for col in zip(*outs)]
        """,
    ),
]

WRONG["A KV cache, one token at a time"] = [
    (
        "attends before storing the new key and value",
        """
        def decode_step(cache, q, k, v):
            out = attend(q, cache["keys"], cache["values"])
            cache["keys"].append(k)
            cache["values"].append(v)
            return out
        """,
        "attend to itself",
    ),
    (
        "replaces the cache instead of adding to it",
        """
        def decode_step(cache, q, k, v):
            cache["keys"] = [k]
            cache["values"] = [v]
            return attend(q, cache["keys"], cache["values"])
        """,
        "never replace it",
    ),
    (
        "caches the queries in place of the keys",
        """
        def decode_step(cache, q, k, v):
            cache["keys"].append(q)
            cache["values"].append(v)
            return attend(q, cache["keys"], cache["values"])
        """,
        "queries are used once and never cached",
    ),
    (
        "attends with the new key instead of the new query",
        """
        def decode_step(cache, q, k, v):
            cache["keys"].append(k)
            cache["values"].append(v)
            return attend(k, cache["keys"], cache["values"])
        """,
        "attention over all",
    ),
]
RIGHT["A KV cache, one token at a time"] = [
    (
        "keys and values stored as tuples",
        """
        def decode_step(cache, q, k, v):
            cache.setdefault("keys", []).append(tuple(k))
            cache.setdefault("values", []).append(tuple(v))
            return attend(q, cache["keys"], cache["values"])
        """,
    ),
    (
        "extends with +=, and attends through a copy of the lists",
        """
        def decode_step(cache, q, k, v):
            cache["keys"] += [k]
            cache["values"] += [v]
            return attend(q, list(cache["keys"]), list(cache["values"]))
        """,
    ),
]

WRONG["A sliding window and how far it reaches"] = [
    (
        "lets w positions before the token through, w + 1 in all",
        """
        def window_mask(n, w):
            return [[i - w <= j <= i for j in range(n)] for i in range(n)]
        """,
        "itself and the one before it",
    ),
    (
        "keeps the window but forgets the causal mask",
        """
        def window_mask(n, w):
            return [[abs(i - j) < w for j in range(n)] for i in range(n)]
        """,
        "itself and the one before it",
    ),
    (
        "a stack reaches w positions per layer",
        """
        def reach(layers, w):
            return layers * w
        """,
        "4,095",
    ),
    (
        "a stack reaches no further than one layer",
        """
        def reach(layers, w):
            return w - 1
        """,
        "131,040",
    ),
]
RIGHT["A sliding window and how far it reaches"] = [
    (
        "ones and zeros instead of True and False, and reach as a sum",
        """
        def window_mask(n, w):
            return [[1 if 0 <= i - j < w else 0 for j in range(n)] for i in range(n)]

        def reach(layers, w):
            return sum(w - 1 for _ in range(layers))
        """,
    ),
    (
        "max() for the window's first position, and a loop",
        """
        def window_mask(n, w):
            rows = []
            for i in range(n):
                first = max(0, i - w + 1)
                rows.append([first <= j <= i for j in range(n)])
            return rows
        """,
    ),
]

WRONG["How many conversations fit?"] = [
    (
        "a key but no value",
        """
        def kv_bytes_per_token(layers, kv_heads, head_dim, bytes_per_value=2):
            return layers * kv_heads * head_dim * bytes_per_value
        """,
        "the factor 2",
    ),
    (
        "the whole GPU for caches",
        """
        def conversations_that_fit(gpu_gb, weights_gb, tokens, layers, kv_heads, head_dim):
            per_conversation = kv_bytes_per_token(layers, kv_heads, head_dim) * tokens
            return int(gpu_gb * 1e9 // per_conversation)
        """,
        "16 GB of weights come first",
    ),
    (
        "the whole GPU, counted in GiB",
        """
        def conversations_that_fit(gpu_gb, weights_gb, tokens, layers, kv_heads, head_dim):
            per_conversation = kv_bytes_per_token(layers, kv_heads, head_dim) * tokens
            return int(gpu_gb * 2**30 // per_conversation)
        """,
        "16 GB of weights come first",
    ),
    (
        "rounds to the nearest conversation",
        """
        def conversations_that_fit(gpu_gb, weights_gb, tokens, layers, kv_heads, head_dim):
            per_conversation = kv_bytes_per_token(layers, kv_heads, head_dim) * tokens
            return round((gpu_gb - weights_gb) * 1e9 / per_conversation)
        """,
        "round down",
    ),
]
RIGHT["How many conversations fit?"] = [
    (
        "memory counted in GiB",
        """
        def conversations_that_fit(gpu_gb, weights_gb, tokens, layers, kv_heads, head_dim):
            free = (gpu_gb - weights_gb) * 2**30
            return int(free // (kv_bytes_per_token(layers, kv_heads, head_dim) * tokens))
        """,
    ),
    (
        "math.floor on a true division",
        """
        from math import floor

        def conversations_that_fit(gpu_gb, weights_gb, tokens, layers, kv_heads, head_dim):
            return floor((gpu_gb - weights_gb) * 10**9 / (kv_bytes_per_token(layers, kv_heads, head_dim) * tokens))
        """,
    ),
]

# Track 5, lesson 6: using LLMs

WRONG["Error bars for a benchmark score"] = [
    (
        "divides the spread by n, not its square root",
        """
        def standard_error(p, n):
            return sqrt(p * (1 - p)) / n
        """,
        "SE of about 0.018",
    ),
    (
        "an interval of one standard error",
        """
        def interval(p, n):
            se = standard_error(p, n)
            return p - se, p + se
        """,
        "1.96 SE",
    ),
    (
        "an interval from the score up only",
        """
        def interval(p, n):
            return p, p + 2 * 1.96 * standard_error(p, n)
        """,
        "centred",
    ),
]
WRONG["Error bars for a benchmark score"] += [
    (
        "combines two independent standard errors for the gap",
        """
        def paired_gap(a, b):
            n = len(a)
            pa, pb = sum(a) / n, sum(b) / n
            return pa - pb, sqrt(standard_error(pa, n) ** 2 + standard_error(pb, n) ** 2)
        """,
        "ignore that both models got the same 150 right",
    ),
    (
        "calls a gap clearly better when it is one standard error above 0",
        """
        def clearly_better(a, b):
            gap, se = paired_gap(a, b)
            return gap - se > 0
        """,
        "not clearly better",
    ),
    (
        "calls any positive gap clearly better",
        """
        def clearly_better(a, b):
            return paired_gap(a, b)[0] > 0
        """,
        "not clearly better",
    ),
]
RIGHT["Error bars for a benchmark score"] = [
    (
        "the sample standard deviation of the differences, and a lower bound compared with 0",
        """
        from statistics import fmean, stdev

        def paired_gap(a, b):
            d = [x - y for x, y in zip(a, b)]
            return fmean(d), stdev(d) / len(d) ** 0.5

        def clearly_better(a, b):
            gap, se = paired_gap(a, b)
            low = gap - 1.96 * se
            return low > 0
        """,
    ),
    (
        "the variance written as p - p**2, and statistics.NormalDist for 1.96",
        """
        from statistics import NormalDist

        def standard_error(p, n):
            return ((p - p**2) / n) ** 0.5

        def interval(p, n):
            z = NormalDist().inv_cdf(0.975)
            return p - z * standard_error(p, n), p + z * standard_error(p, n)
        """,
    ),
]

WRONG["Retrieve a passage by cosine similarity"] = [
    (
        "ranks by the raw dot product",
        """
        def cosine(u, v):
            return sum(a * b for a, b in zip(u, v))
        """,
        "whatever their length",
    ),
    (
        "ranks by the dot product, with a right cosine unused",
        """
        def retrieve(question, passages, k=1):
            vocab = sorted({w for text in passages + [question] for w in text.split()})
            q = embed(question, vocab)
            ranked = sorted(passages, key=lambda p: sum(a * b for a, b in zip(embed(p, vocab), q)), reverse=True)
            return ranked[:k]
        """,
        "divide by both vectors' lengths",
    ),
    (
        "ranks by the number of shared words",
        """
        def retrieve(question, passages, k=1):
            asked = set(question.split())
            ranked = sorted(passages, key=lambda p: len(asked & set(p.split())), reverse=True)
            return ranked[:k]
        """,
        "divide by both vectors' lengths",
    ),
    (
        "sorts the least similar first",
        """
        def retrieve(question, passages, k=1):
            vocab = sorted({w for text in passages + [question] for w in text.split()})
            q = embed(question, vocab)
            return sorted(passages, key=lambda p: cosine(embed(p, vocab), q))[:k]
        """,
        "passage 1",
    ),
]
RIGHT["Retrieve a passage by cosine similarity"] = [
    (
        "math.hypot for the lengths and heapq to pick",
        """
        import heapq
        from math import hypot

        def cosine(u, v):
            return sum(a * b for a, b in zip(u, v)) / (hypot(*u) * hypot(*v))

        def retrieve(question, passages, k=1):
            vocab = sorted(set(" ".join(passages + [question]).split()))
            q = embed(question, vocab)
            return heapq.nlargest(k, passages, key=lambda p: cosine(embed(p, vocab), q))
        """,
    ),
    (
        "normalises each vector first, then takes the dot product",
        """
        def cosine(u, v):
            nu = sqrt(sum(a * a for a in u))
            nv = sqrt(sum(b * b for b in v))
            return sum((a / nu) * (b / nv) for a, b in zip(u, v))
        """,
    ),
]

WRONG["Write a few-shot prompt"] = [
    (
        "writes the label on the review's line",
        """
        def few_shot_prompt(task, labels, examples, query):
            lines = [task + " Labels: " + ", ".join(labels) + "."]
            lines += [f"Review: {t} -> Sentiment: {l}" for t, l in examples]
            lines.append(f"Review: {query}\\nSentiment:")
            return "\\n".join(lines)
        """,
        "write every example the same way",
    ),
    (
        "fills the query's slot with a placeholder",
        """
        def few_shot_prompt(task, labels, examples, query):
            parts = [task + " Answer " + " or ".join(labels) + "."]
            parts += [f"Review: {t}\\nSentiment: {l}" for t, l in examples]
            parts.append(f"Review: {query}\\nSentiment: ?")
            return "\\n\\n".join(parts)
        """,
        "empty 'Sentiment:' slot",
    ),
    (
        "puts the instruction after the examples",
        """
        def few_shot_prompt(task, labels, examples, query):
            parts = [f"Review: {t}\\nSentiment: {l}" for t, l in examples]
            parts.append(task + " Answer " + " or ".join(labels) + ".")
            parts.append(f"Review: {query}\\nSentiment:")
            return "\\n\\n".join(parts)
        """,
        "start with the instruction",
    ),
    (
        "never names the labels allowed",
        """
        def few_shot_prompt(task, labels, examples, query):
            parts = [task]
            parts += [f"Review: {t}\\nSentiment: {l}" for t, l in examples]
            parts.append(f"Review: {query}\\nSentiment:")
            return "\\n\\n".join(parts)
        """,
        "name the allowed labels",
    ),
]
RIGHT["Write a few-shot prompt"] = [
    (
        "a list of lines and a labels sentence after the task",
        """
        def few_shot_prompt(task, labels, examples, query):
            lines = [task, "Reply with " + ", ".join(labels[:-1]) + " or " + labels[-1] + ".", ""]
            for review, label in examples:
                lines += ["Review: " + review, "Sentiment: " + label, ""]
            lines += ["Review: " + query, "Sentiment:"]
            return "\\n".join(lines)
        """,
    ),
    (
        "labels on a line of their own, examples joined with single newlines",
        """
        def few_shot_prompt(task, labels, examples, query):
            text = task + "\\n" + "Possible answers: " + " / ".join(labels) + "\\n"
            for review, label in examples:
                text += "Review: " + review + "\\n" + "Sentiment: " + label + "\\n"
            return text + "Review: " + query + "\\n" + "Sentiment:"
        """,
    ),
]

# Track 5, lesson 7: adapting and serving LLMs

WRONG["Count a LoRA adapter for a whole model"] = [
    (
        "counts the full product B A",
        """
        def lora_params(shapes, r):
            return sum(d * k for d, k in shapes)
        """,
        "one square 4,096 matrix",
    ),
    (
        "counts r times d times k",
        """
        def lora_params(shapes, r):
            return sum(r * d * k for d, k in shapes)
        """,
        "one square 4,096 matrix",
    ),
    (
        "counts two d by r matrices, as if every matrix were square",
        """
        def lora_params(shapes, r):
            return sum(2 * d * r for d, k in shapes)
        """,
        "r(d + k)",
    ),
]
WRONG["Count a LoRA adapter for a whole model"] += [
    (
        "rounds the rank to the nearest whole number",
        """
        def largest_rank(shapes, budget):
            return round(budget / lora_params(shapes, 1))
        """,
        "round down",
    ),
    (
        "counts a rank's cost as if every matrix were square",
        """
        def largest_rank(shapes, budget):
            return budget // sum(2 * d for d, k in shapes)
        """,
        "allows rank 16",
    ),
]
RIGHT["Count a LoRA adapter for a whole model"] = [
    (
        "raises the rank one step at a time until the next would not fit",
        """
        def largest_rank(shapes, budget):
            r = 0
            while lora_params(shapes, r + 1) <= budget:
                r += 1
            return r
        """,
    ),
    (
        "a loop that adds B and A separately",
        """
        def lora_params(shapes, r):
            total = 0
            for d, k in shapes:
                total += d * r
                total += r * k
            return total
        """,
    ),
]

WRONG["Quantise a block of weights"] = [
    (
        "15 steps a side at 4 bits (2 ** bits - 1)",
        """
        def quantise(block, bits):
            biggest = max(abs(w) for w in block)
            if biggest == 0:
                return [0.0 for _ in block]
            scale = biggest / (2**bits - 1)
            return [round(w / scale) * scale for w in block]
        """,
        "scale 1/7",
    ),
    (
        "truncates instead of rounding",
        """
        def quantise(block, bits):
            biggest = max(abs(w) for w in block)
            if biggest == 0:
                return [0.0 for _ in block]
            scale = biggest / (2 ** (bits - 1) - 1)
            return [int(w / scale) * scale for w in block]
        """,
        "scale 1/7",
    ),
    (
        "divides by the scale when the block is all zeros",
        """
        def quantise(block, bits):
            scale = max(abs(w) for w in block) / (2 ** (bits - 1) - 1)
            return [round(w / scale) * scale for w in block]
        """,
        "ZeroDivisionError",
    ),
]
RIGHT["Quantise a block of weights"] = [
    (
        "keeps the integers, then rebuilds",
        """
        def quantise(block, bits):
            top = (1 << (bits - 1)) - 1
            biggest = max(map(abs, block))
            scale = biggest / top if biggest else 1.0
            integers = [max(-top, min(top, round(w / scale))) for w in block]
            return [q * scale for q in integers]
        """,
    ),
]

WRONG["A LoRA layer's forward pass"] = [
    (
        "forgets the scale",
        """
        def lora_forward(W, A, B, x, alpha):
            return [w + c for w, c in zip(matvec(W, x), matvec(B, matvec(A, x)))]
        """,
        "scaled by alpha / r",
    ),
    (
        "scales by alpha, not alpha over the rank",
        """
        def lora_forward(W, A, B, x, alpha):
            return [w + alpha * c for w, c in zip(matvec(W, x), matvec(B, matvec(A, x)))]
        """,
        "alpha / r = 2",
    ),
    (
        "takes the rank from B's rows (d) instead of A's",
        """
        def lora_forward(W, A, B, x, alpha):
            scale = alpha / len(B)
            return [w + scale * c for w, c in zip(matvec(W, x), matvec(B, matvec(A, x)))]
        """,
        "alpha / r",
    ),
    (
        "merges by adding A B's shape the wrong way round",
        """
        def merge(W, A, B, alpha):
            scale = alpha / len(A)
            return [[W[i][j] + scale * B[i][0] * A[0][j] for j in range(len(W[0]))] for i in range(len(W))]
        """,
        "same output as the adapter",
    ),
]
RIGHT["A LoRA layer's forward pass"] = [
    (
        "merges first, then multiplies",
        """
        def lora_forward(W, A, B, x, alpha):
            return matvec(merge(W, A, B, alpha), x)
        """,
    ),
    (
        "zip(*A) to read A's columns",
        """
        def merge(W, A, B, alpha):
            s = alpha / len(A)
            cols = list(zip(*A))
            return [[w + s * sum(b * a for b, a in zip(brow, col)) for w, col in zip(wrow, cols)]
                    for wrow, brow in zip(W, B)]
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


# -- choose-all items and punctuation: no count or full stop gives an answer away ---------------


def track5_questions() -> list[tuple[str, object]]:
    from tracksite.core.widgets import parse_quiz

    found = []
    for path in sorted(TRACK.glob("*/lesson.md")):
        blocks, _ = find_blocks(path.read_text(encoding="utf-8"), 1)
        for block in iter_blocks(blocks):
            if block.name == "quiz":
                found += [(path.parent.name, q) for q in parse_quiz("\n".join(block.body_lines) + "\n")[0]]
    return found


def test_choose_all_counts_do_not_follow_the_option_count():
    """How many options are right varies from 1 to 4, and not as a function of how many there are."""
    multi = [(slug, q) for slug, q in track5_questions() if q.multiple]
    shapes = {(len(q.options), sum(o.correct for o in q.options)) for _, q in multi}
    rights = {right for _, right in shapes}
    assert {1, 2, 3, 4} <= rights, sorted(shapes)
    by_options: dict[int, set[int]] = {}
    for options, right in shapes:
        by_options.setdefault(options, set()).add(right)
    assert any(len(r) > 1 for r in by_options.values()), f"each option count has a single right count: {by_options}"
    assert all(not q.question.lower().startswith("which two") for _, q in track5_questions())


def test_the_right_option_is_not_the_only_one_with_a_full_stop():
    def ends(text: str) -> bool:
        return text.rstrip().endswith(".")

    cues = []
    for slug, q in track5_questions():
        right = {ends(o.text) for o in q.options if o.correct}
        wrong = {ends(o.text) for o in q.options if not o.correct}
        if len(right) == 1 and len(wrong) == 1 and right != wrong:
            cues.append((slug, q.question))
    assert cues == []


def test_overviews_say_what_the_learner_writes():
    """An overview beside runnable exercises says the learner writes code, never that none is needed."""
    for path in sorted(TRACK.glob("*/overview.md")):
        text = " ".join(path.read_text(encoding="utf-8").split())
        assert not re.search(r"no (coding|programming) is (required|needed)", text, re.I), path.parent.name
        if "/// runnable" in (path.parent / "lesson.md").read_text(encoding="utf-8"):
            assert re.search(r"\bwrite\b|\bfinish\b", text) and "in the page" in text.lower(), path.parent.name
