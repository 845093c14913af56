"""Solutions a learner might write for the exercises of Track 5's lesson 4 (next-token prediction).

tests/content/test_track5_exercises.py joins the dictionaries of every part. WRONG[title] lists (what the
learner did, the functions written again, words the failure message must hold): each must fail.
RIGHT[title] lists (what the learner did, the functions written again): each must pass.
"""

from __future__ import annotations

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
        "reads the last word as a number (issue 86: '...so 12 eggs' scored 0)",
        """
        def reward(answer, truth):
            words = answer.split()
            try:
                return float(int(words[-1]) == truth)
            except (ValueError, IndexError):
                return 0.0
        """,
        "need not be the final word",
    ),
    (
        "reads the last word, its punctuation stripped",
        """
        def reward(answer, truth):
            words = answer.replace(",", " ").replace(".", " ").split()
            return 1.0 if words and words[-1].lstrip("-").isdigit() and int(words[-1]) == truth else 0.0
        """,
        "need not be the final word",
    ),
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
        "divides by max(sigma, eps) (issue 86: rejected by the old tolerance)",
        """
        def advantages(groups, eps=1e-6):
            out = []
            for group in groups:
                mu, sigma = mean(group), pstdev(group)
                out.append([(r - mu) / max(sigma, eps) for r in group])
            return out
        """,
    ),
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
