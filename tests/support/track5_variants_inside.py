"""Learners' solutions to the exercises of Track 5's lessons 1 to 3 (tokens, positions, attention).

tests/content/test_track5_exercises.py joins the dictionaries of every part. WRONG[title] lists (what the
learner did, the functions written again, words the failure message must hold): each must fail.
RIGHT[title] lists (what the learner did, the functions written again): each must pass.
"""

from __future__ import annotations

WRONG: dict[str, list[tuple[str, str, str]]] = {}
RIGHT: dict[str, list[tuple[str, str]]] = {}

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
        "pairs dimension i with i + d/2, as Hugging Face lays them out (the other convention, not the one asked for)",
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
        "Hugging Face's layout",
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
