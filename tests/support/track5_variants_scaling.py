"""Solutions a learner might write for the exercises of Track 5's lesson 5 (scaling laws and context windows).

tests/content/test_track5_exercises.py joins the dictionaries of every part. WRONG[title] lists (what the
learner did, the functions written again, words the failure message must hold): each must fail.
RIGHT[title] lists (what the learner did, the functions written again): each must pass.
"""

from __future__ import annotations

WRONG: dict[str, list[tuple[str, str, str]]] = {}
RIGHT: dict[str, list[tuple[str, str]]] = {}

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
WRONG["Route a token to its top-k experts"].append(
    (
        "ranks the experts by the size of their scores",
        """
        def route(scores, k):
            chosen = sorted(range(len(scores)), key=lambda e: abs(scores[e]), reverse=True)[:k]
            top = max(scores[c] for c in chosen)
            e = [exp(scores[c] - top) for c in chosen]
            return [(c, x / sum(e)) for c, x in zip(chosen, e)]
        """,
        "not their sizes",
    )
)
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
