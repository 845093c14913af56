"""The forward pass of all-MiniLM-L6-v2 in numpy: the numeric half of `tracksite attention`.

tools/minilm.py is the command and the data file; it loads this module only once it has
checked that the optional extra [attention] (numpy, safetensors, tokenizers) is installed, so
these imports stay at the top here and `tracksite --help` never loads numpy.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from safetensors.numpy import load_file
from tokenizers import Tokenizer


@dataclass(frozen=True)
class _Config:
    layers: int
    heads: int
    hidden: int
    eps: float
    max_positions: int
    max_tokens: int


@dataclass(frozen=True)
class _Model:
    config: _Config
    weights: dict[str, Any]  # name -> float64 numpy array
    tokenizer: Any  # tokenizers.Tokenizer, padding off, truncation at max_tokens


def load(folder: Path) -> _Model:
    """The model in `folder`; a ValueError says what in it does not fit (the caller adds how to reinstall)."""
    raw = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    if raw.get("model_type") != "bert" or raw.get("hidden_act") != "gelu":
        raise ValueError(f"{folder / 'config.json'} does not describe a BERT model with GELU")
    if raw.get("position_embedding_type", "absolute") != "absolute":
        raise ValueError("only absolute position embeddings are supported")
    max_tokens = int(raw["max_position_embeddings"])
    sbert = folder / "sentence_bert_config.json"
    if sbert.is_file():  # sentence-transformers truncates at max_seq_length (256 for this model)
        max_tokens = min(max_tokens, int(json.loads(sbert.read_text("utf-8"))["max_seq_length"]))
    config = _Config(
        layers=int(raw["num_hidden_layers"]),
        heads=int(raw["num_attention_heads"]),
        hidden=int(raw["hidden_size"]),
        eps=float(raw["layer_norm_eps"]),
        max_positions=int(raw["max_position_embeddings"]),
        max_tokens=max_tokens,
    )
    weights = {
        name: array.astype(np.float64)
        for name, array in load_file(str(folder / "model.safetensors")).items()
        if not name.endswith("position_ids")
    }
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()  # the shipped tokenizer.json pads every sentence to 128 tokens
    tokenizer.enable_truncation(max_length=config.max_tokens)
    return _Model(config=config, weights=weights, tokenizer=tokenizer)


# --- the forward pass ---------------------------------------------------------------------


def _layer_norm(x: np.ndarray, gamma: np.ndarray, beta: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(axis=-1, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=-1, keepdims=True)  # biased, as torch.nn.LayerNorm
    return (x - mean) / np.sqrt(var + eps) * gamma + beta


_ERF = np.frompyfunc(math.erf, 1, 1)


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU, x * Phi(x), as BERT's `gelu` (not the tanh approximation)."""
    # numpy's stubs type a ufunc's result as possibly a scalar; on an array it is an array
    return 0.5 * x * (1.0 + _ERF(x / math.sqrt(2.0)).astype(np.float64))  # type: ignore[union-attr]


def _linear(x: np.ndarray, w: dict[str, Any], name: str) -> np.ndarray:
    # torch.nn.Linear stores weight as (out, in)
    return x @ w[f"{name}.weight"].T + w[f"{name}.bias"]


def _softmax(scores: np.ndarray) -> np.ndarray:
    shifted = scores - scores.max(axis=-1, keepdims=True)
    exp = np.exp(shifted)
    return exp / exp.sum(axis=-1, keepdims=True)


def forward(model: _Model, ids: list[int], type_ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """Run the encoder on one unpadded sequence.

    Returns (last hidden state [tokens, hidden], attentions [layer, head, query, key]).
    """
    cfg, w = model.config, model.weights
    n = len(ids)
    if n > cfg.max_positions:
        raise ValueError(f"{n} tokens is more than the model's {cfg.max_positions} positions")
    head_dim = cfg.hidden // cfg.heads

    x = (
        w["embeddings.word_embeddings.weight"][np.asarray(ids)]
        + w["embeddings.position_embeddings.weight"][:n]
        + w["embeddings.token_type_embeddings.weight"][np.asarray(type_ids)]
    )
    x = _layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], cfg.eps)

    attentions = np.empty((cfg.layers, cfg.heads, n, n), dtype=np.float64)
    for layer in range(cfg.layers):
        p = f"encoder.layer.{layer}"

        def heads(t: np.ndarray) -> np.ndarray:  # [n, hidden] -> [heads, n, head_dim]
            return t.reshape(n, cfg.heads, head_dim).transpose(1, 0, 2)

        q = heads(_linear(x, w, f"{p}.attention.self.query"))
        k = heads(_linear(x, w, f"{p}.attention.self.key"))
        v = heads(_linear(x, w, f"{p}.attention.self.value"))
        probs = _softmax(q @ k.transpose(0, 2, 1) / math.sqrt(head_dim))  # no padding: no mask
        attentions[layer] = probs
        context = (probs @ v).transpose(1, 0, 2).reshape(n, cfg.hidden)

        attended = _linear(context, w, f"{p}.attention.output.dense")
        x = _layer_norm(
            attended + x,
            w[f"{p}.attention.output.LayerNorm.weight"],
            w[f"{p}.attention.output.LayerNorm.bias"],
            cfg.eps,
        )
        inner = _gelu(_linear(x, w, f"{p}.intermediate.dense"))
        out = _linear(inner, w, f"{p}.output.dense")
        x = _layer_norm(out + x, w[f"{p}.output.LayerNorm.weight"], w[f"{p}.output.LayerNorm.bias"], cfg.eps)
    return x, attentions


def mean_pooled(hidden: np.ndarray) -> np.ndarray:
    """The sentence vector: mean over the attention mask, L2-normalised.

    One unpadded sentence has an all-ones mask, so the mean runs over every token including
    [CLS] and [SEP], exactly as sentence-transformers' Pooling(mean) + Normalize does.
    """
    mask = np.ones(len(hidden), dtype=np.float64)
    pooled = (hidden * mask[:, None]).sum(axis=0) / max(mask.sum(), 1e-9)
    return pooled / max(float(np.linalg.norm(pooled)), 1e-12)


def round_rows(rows: np.ndarray, decimals: int) -> np.ndarray:
    """Round probabilities to `decimals` places so every row still sums to exactly 1.

    Largest-remainder (Hamilton) rounding in units of 10**-decimals: floor every entry, then give
    the units still missing to the entries with the largest remainders. Returns integer units.
    """
    scale = 10**decimals
    scaled = np.asarray(rows, dtype=np.float64) * scale
    units = np.floor(scaled).astype(np.int64)
    missing = scale - units.sum(axis=-1)  # >= 0 when rows sum to 1
    order = np.argsort(-(scaled - units), axis=-1, kind="stable")
    ranks = np.argsort(order, axis=-1, kind="stable")  # rank of each entry's remainder
    units += (ranks < missing[..., None]).astype(np.int64)
    return units
