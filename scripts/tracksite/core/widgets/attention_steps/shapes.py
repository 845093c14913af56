"""This widget's values, as dataclasses: GENERATED from its body's description (schema.py
beside it) by core/model/generate.py. Do not edit: change the description, then run
`tracksite docs --write`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class StepsFields:
    """The body of an `/// attention-steps` block (core/widgets/attention_steps/body.py's `StepsData` adds what it computes)."""

    #: The tokens, e.g. [it, animal].
    tokens: tuple[str, ...]
    #: One embedding row per token.
    x: tuple[tuple[float, ...], ...]
    #: Query weights: d_model rows (the width of x).
    w_q: tuple[tuple[float, ...], ...]
    #: Key weights: d_model rows and d_k columns, like w_q.
    w_k: tuple[tuple[float, ...], ...]
    #: Value weights: d_model rows (the width of x).
    w_v: tuple[tuple[float, ...], ...]
