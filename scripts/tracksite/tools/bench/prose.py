"""The benchmark's synthetic prose: seeded sentences, paragraphs and titles from small word lists.

Apart from the course's shape (`course.py`) so the words can change without touching the
tracks, lessons and links; the same seed always gives the same text, so two runs build the
same course.
"""

from __future__ import annotations

import random

NOUNS = (
    "gradient",
    "tensor",
    "layer",
    "kernel",
    "token",
    "embedding",
    "optimizer",
    "batch",
    "epoch",
    "feature",
    "encoder",
    "decoder",
    "vector",
    "matrix",
    "activation",
    "weight",
    "bias",
    "loss",
    "dataset",
    "label",
    "signal",
    "filter",
    "sequence",
    "window",
    "channel",
    "probability",
    "sample",
    "baseline",
    "network",
    "model",
    "pattern",
    "estimate",
    "update",
    "parameter",
    "benchmark",
    "schedule",
    "pipeline",
    "threshold",
    "margin",
    "budget",
    "error",
    "output",
)
ADJECTIVES = (
    "small",
    "noisy",
    "sparse",
    "dense",
    "stable",
    "shallow",
    "deep",
    "careful",
    "simple",
    "robust",
    "linear",
    "hidden",
    "prior",
    "final",
    "local",
    "global",
    "random",
    "steady",
    "useful",
    "clear",
)
VERBS = (
    "changes",
    "controls",
    "limits",
    "shapes",
    "measures",
    "reduces",
    "explains",
    "predicts",
    "follows",
    "improves",
    "smooths",
    "balances",
    "tracks",
    "splits",
    "combines",
    "scales",
)
CONNECTIVES = (
    "In practice",
    "As a rule",
    "For example",
    "In a small model",
    "On real data",
    "At first",
    "Later on",
    "Put simply",
    "By contrast",
    "In most cases",
)
HEADINGS = (
    "Why this matters",
    "Core ideas",
    "A worked example",
    "Common pitfalls",
    "Comparing approaches",
    "Putting it together",
)
ANCHORS = {h: h.lower().replace(" ", "-") for h in HEADINGS}


def sentence(rng: random.Random) -> str:
    a, b = rng.sample(NOUNS, 2)
    pattern = rng.randrange(4)
    if pattern == 0:
        s = f"the {rng.choice(ADJECTIVES)} {a} {rng.choice(VERBS)} the {b} of each {rng.choice(NOUNS)}"
    elif pattern == 1:
        s = f"{rng.choice(CONNECTIVES).lower()}, a {rng.choice(ADJECTIVES)} {a} {rng.choice(VERBS)} how the {b} behaves"
    elif pattern == 2:
        s = f"every {a} {rng.choice(VERBS)} a {rng.choice(ADJECTIVES)} {b}, and the {rng.choice(NOUNS)} {rng.choice(VERBS)} the rest"
    else:
        s = f"when the {a} is {rng.choice(ADJECTIVES)}, the {b} {rng.choice(VERBS)} the {rng.choice(ADJECTIVES)} {rng.choice(NOUNS)}"
    return s[0].upper() + s[1:] + "."


def paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(sentence(rng) for _ in range(sentences))


def title(rng: random.Random) -> str:
    a, b = rng.sample(NOUNS, 2)
    return f"{rng.choice(ADJECTIVES).capitalize()} {a}s and the {b}"
