"""Issue 42: the search engine's JavaScript tests (tests/js/, `node --test`) run with the one test
command, and the browser reads a query into the same words as the indexer reads a page."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from conftest import IN_CI
from course import REPO
from tracksite.adapter.search import words as searchwords

ENGINE = REPO / "scripts/tracksite/theme/assets/tracksite/search-engine.js"


def _node() -> str:
    found = shutil.which("node")
    if found is None:
        if IN_CI:
            pytest.fail("node is not installed; the search engine's tests need Node 20")
        pytest.skip("node is not installed")
    return found


def test_the_engines_javascript_tests_pass():
    result = subprocess.run(
        [_node(), "--test", str(REPO / "tests/js")], capture_output=True, text=True, timeout=300, cwd=REPO
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout


SAMPLES = [
    ("Multi-Head Attention, self-attention and KV-cache", "en"),
    ("Normalise the tokenisation; organised optimisers", "en"),
    ("Atención: la información y las funciones de Python", "es"),
    ("Réseaux de neurones: l'entraînement", "fr"),
    ("Übungen zu neuronalen Netzwerken", "de"),
    ("Informações e funções em Python", "pt"),
    ("注意力机制 と トランスフォーマー", "zh"),
]


@pytest.mark.parametrize("text, lang", SAMPLES)
def test_the_browser_reads_words_as_the_indexer_does(text, lang):
    script = (
        "const fs = require('fs');"
        f"import('data:text/javascript;base64,' + fs.readFileSync({json.dumps(str(ENGINE))}).toString('base64'))"
        f".then((m) => console.log(JSON.stringify(m.words({json.dumps(text)}, {json.dumps(lang)}))))"
    )
    result = subprocess.run([_node(), "-e", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    browser = json.loads(result.stdout)
    indexer = [searchwords.fold(w) for w in searchwords.words(text, lang)]
    assert browser == indexer
