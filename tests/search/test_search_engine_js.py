"""Issue 42: the search engine's JavaScript tests (tests/js/, `node --test`) run with the one test
command, and the browser reads a query into the same words as the indexer reads a page."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from support.course import REPO
from support.sites import IN_CI
from tracksite.search import words as searchwords

ENGINE = REPO / "scripts/tracksite/search/search-engine.js"


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


# The issue's table: each query finds, in its top three, the lesson that teaches it (a typo
# through its suggestion, as the benchmark and a learner take it).
T5, T4 = "/transformers-and-llms/", "/deep-learning-survey/"
TAUGHT = {
    "tokenization": T5 + "tokens-and-embeddings/",
    "tokenizing": T5 + "tokens-and-embeddings/",
    "tokenizer": T5 + "tokens-and-embeddings/",
    "normalization": T5 + "attention-mechanism/",
    "embedded": T5 + "tokens-and-embeddings/",
    "multihead": T5 + "attention-mechanism/",
    "multi-head": T5 + "attention-mechanism/",
    "multi head": T5 + "attention-mechanism/",
    "atention": T5 + "attention-mechanism/",
    "transfomer": T4 + "attention-and-transformers/",
    "embeding": T5 + "tokens-and-embeddings/",
    "softmax": T5 + "attention-mechanism/",
    "kv cache": T5 + "scaling-and-context/",
    "rlhf": T5 + "next-token-prediction/",
    "dpo": T5 + "next-token-prediction/",
    "moe": T4 + "language-models-at-scale/",
    "mixture of experts": T5 + "scaling-and-context/",
    "grad": T4 + "recurrence-and-its-limits/",  # gradients through time; since issue 55 also taught by hand in lesson 1
}


def test_the_issues_queries_find_the_lesson_that_teaches_them(built_site):
    _node()
    from tracksite.tools.bench import precision

    tops = precision.ours(built_site, list(TAUGHT))
    missed = {q: tops[q] for q, lesson in TAUGHT.items() if not any(u.startswith(lesson) for u in tops[q][:3])}
    assert not missed, missed
    # no glossary entry above the lessons, and one definition is not shown twice by two glossaries
    assert all("/glossary/" not in tops[q][0] for q in TAUGHT), tops


# Issue 56: each query -> (the lesson its first result is in, a word its section's anchor has;
# "" for any section). "encoder" led to three positional-encoding sections (Snowball stems
# encoder and encoding alike), "tokenisation" to "Similar tokens end up near each other" (today
# the lesson says "tokenisation" only in its objectives: the result is the lesson's top).
FIRST = {
    "encoder": (T5 + "attention-mechanism/", "encoder"),
    "encoders": (T5 + "attention-mechanism/", "encoder"),
    "decoder": (T5 + "attention-mechanism/", "decoder"),
    "encoding": (T5 + "positional-encoding/", "encoding"),
    "positional encoding": (T5 + "positional-encoding/", "encoding"),
    "tokenisation": (T5 + "tokens-and-embeddings/", ""),
    "normalisation": (T5 + "attention-mechanism/", "encoder-block"),
    "attention": (T5 + "attention-mechanism/", "attention"),
}


def _lesson_of(url: str) -> str:
    """A result's lesson: its overview and cheatsheet are the lesson's own pages."""
    page = url.split("#")[0]
    for part in ("overview/", "cheatsheet/"):
        page = page.removesuffix(part)
    return page


def test_each_query_leads_first_to_the_section_that_teaches_it(built_site):
    _node()
    from tracksite.tools.bench import precision

    tops = precision.ours(built_site, list(FIRST))
    wrong = {}
    for query, (lesson, anchor_word) in FIRST.items():
        first = tops[query][0]
        page, _, anchor = first.partition("#")
        if page != lesson or anchor_word not in anchor:
            wrong[query] = tops[query]
    assert not wrong, wrong
    assert "similar-tokens" not in tops["tokenisation"][0], tops["tokenisation"]
    # the brief lesson on attention (Track 4) is in the top three beside Track 5's lesson and one of its parts
    assert T4 + "attention-and-transformers/" in {_lesson_of(u) for u in tops["attention"]}, tops["attention"]


def test_one_lesson_holds_at_most_two_of_the_top_three(built_site):
    """In 25 of 51 queries a lesson, its cheatsheet and its overview were the top three, pushing a
    second lesson that teaches the query down."""
    _node()
    from tracksite.tools.bench import precision

    queries = [q for q, _, _ in precision.QUERIES] + list(FIRST)
    tops = precision.ours(built_site, queries)
    crowded = {q: urls for q, urls in tops.items() if len(urls) == 3 and len({_lesson_of(u) for u in urls}) == 1}
    assert not crowded, crowded


def test_precision_at_3_counts_the_relevant_share_of_the_top_three():
    from tracksite.tools.bench import precision

    query, _, lessons = precision.QUERIES[0]
    tops = {q: [] for q, _, _ in precision.QUERIES}
    tops[query] = [f"/{lessons[0]}/#a", f"/{lessons[0]}/cheatsheet/", "/elsewhere/"]
    found = precision.precision(tops)
    assert found["queries"][query] == 2 / 3
    assert found["all"] == round(2 / 3 / len(precision.QUERIES), 2)
