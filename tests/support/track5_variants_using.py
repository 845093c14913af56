"""Learners' solutions to the exercises of Track 5's lessons 6 and 7 (using, adapting and serving LLMs).

tests/content/test_track5_exercises.py joins the dictionaries of every part. WRONG[title] lists (what the
learner did, the functions written again, words the failure message must hold): each must fail.
RIGHT[title] lists (what the learner did, the functions written again): each must pass.
"""

from __future__ import annotations

WRONG: dict[str, list[tuple[str, str, str]]] = {}
RIGHT: dict[str, list[tuple[str, str]]] = {}

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
