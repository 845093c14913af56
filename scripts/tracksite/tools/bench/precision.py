"""Precision at 3 of the course search against Pagefind's, on the same built pages (issue 42).

A fixed set of queries on the bundled course, each with the lessons that teach it, in four kinds:
whole words, other word forms of the course's words, typos and partial words. A result is
relevant when it is one of those lessons' pages (the lesson, its overview or its cheatsheet, by
URL); precision at 3 is the share of the top three results that are relevant, averaged over the
queries (a query with fewer than three results counts the missing ones as misses).

Ours runs the engine the browser runs (search-engine.js) in Node on the index files; a typo is
searched again with the "Did you mean" suggestion, as a learner takes it with one click or Enter.
Pagefind (the `pagefind[extended]` package) indexes a copy of the same site and is queried in
Chromium through its own pagefind.js, on a blank page of the same origin (the course's pages
forbid WebAssembly).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

from tracksite.adapter.published import searchengine as search_engine
from tracksite.localserver import serve_folder

ENGINE = search_engine.ENGINE

T5 = "transformers-and-llms"
T4 = "deep-learning-survey"
#: (query, kind, lessons that teach it as "track/lesson")
QUERIES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("attention", "whole", (f"{T5}/attention-mechanism", f"{T4}/attention-and-transformers")),
    (
        "softmax",
        "whole",
        (f"{T5}/attention-mechanism", f"{T5}/next-token-prediction", f"{T4}/attention-and-transformers"),
    ),
    ("kv cache", "whole", (f"{T5}/scaling-and-context", f"{T5}/adapting-and-serving-llms")),
    ("rlhf", "whole", (f"{T5}/next-token-prediction", f"{T4}/language-models-at-scale")),
    ("mixture of experts", "whole", (f"{T5}/scaling-and-context", f"{T4}/language-models-at-scale")),
    ("convolution", "whole", (f"{T4}/convolutions",)),
    ("diffusion", "whole", (f"{T4}/gans-and-diffusion",)),
    ("positional encoding", "whole", (f"{T5}/positional-encoding",)),
    ("tokenization", "forms", (f"{T5}/tokens-and-embeddings",)),
    ("tokenizing", "forms", (f"{T5}/tokens-and-embeddings",)),
    ("embedded", "forms", (f"{T5}/tokens-and-embeddings", f"{T5}/positional-encoding")),
    ("multihead", "forms", (f"{T5}/attention-mechanism",)),
    ("convolutional", "forms", (f"{T4}/convolutions",)),
    ("autoencoding", "forms", (f"{T4}/autoencoders-and-vaes",)),
    ("atention", "typo", (f"{T5}/attention-mechanism", f"{T4}/attention-and-transformers")),
    ("transfomer", "typo", (f"{T5}/attention-mechanism", f"{T4}/attention-and-transformers")),
    ("embeding", "typo", (f"{T5}/tokens-and-embeddings", f"{T5}/positional-encoding")),
    ("difusion", "typo", (f"{T4}/gans-and-diffusion",)),
    ("tokeni", "partial", (f"{T5}/tokens-and-embeddings",)),
    ("convol", "partial", (f"{T4}/convolutions",)),
    ("reinforc", "partial", (f"{T4}/reinforcement-learning",)),
    ("autoenc", "partial", (f"{T4}/autoencoders-and-vaes",)),
)

_OURS = r"""
const fs = require("fs");
const [site, engine, queries] = [process.argv[1], process.argv[2], JSON.parse(process.argv[3])];
globalThis.document = { baseURI: "https://course.invalid/" };
globalThis.fetch = async (href) => {
  const path = site + decodeURIComponent(new URL(href).pathname);
  return fs.existsSync(path) ? { ok: true, json: async () => JSON.parse(fs.readFileSync(path, "utf8")) } : { ok: false, status: 404 };
};
import("data:text/javascript;base64," + fs.readFileSync(engine).toString("base64")).then(async (m) => {
  const index = await new m.Index("search-index/index.json").ready;
  const out = {};
  for (const q of queries) {
    let found = await index.search(q);
    if (!found.results.length && Object.keys(found.suggestions).length) {
      let again = q;
      for (const [typed, near] of Object.entries(found.suggestions)) again = again.replace(typed, near);
      found = await index.search(again);
    }
    out[q] = await Promise.all(found.results.slice(0, 3).map(async (r) => (await r.data()).url));
  }
  console.log(JSON.stringify(out));
});
"""


def ours(site: Path, queries: list[str]) -> dict[str, list[str]]:
    """The top three result URLs of each query, by the browser's engine on the site's index."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node is not installed: the search's precision needs Node 20")
    result = subprocess.run(
        [node, "-e", _OURS, str(site), str(ENGINE), json.dumps(queries)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return {q: [u.replace("https://course.invalid", "") for u in urls] for q, urls in json.loads(result.stdout).items()}


def pagefind(site: Path, work: Path, queries: list[str]) -> dict[str, list[str]]:
    """The top three result URLs of each query by Pagefind, on a copy of the same site."""
    from playwright.sync_api import sync_playwright

    copy = work / "pagefind-site"
    if copy.exists():
        shutil.rmtree(copy)
    shutil.copytree(site, copy)
    subprocess.run(
        [sys.executable, "-m", "pagefind", "--site", str(copy)], capture_output=True, check=True, timeout=600
    )
    out: dict[str, list[str]] = {}
    with serve_folder(copy) as base, sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=shutil.which("chromium"), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.route(
            base + "__bench.html",
            lambda route: route.fulfill(body="<!doctype html><title>b</title>", content_type="text/html"),
        )
        page.goto(base + "__bench.html")
        page.evaluate("async () => { window.pf = await import('/pagefind/pagefind.js'); await window.pf.init(); }")
        for q in queries:
            out[q] = page.evaluate(
                "async (q) => { const r = await window.pf.search(q);"
                " return Promise.all(r.results.slice(0, 3).map(async (x) => (await x.data()).url)); }",
                q,
            )
        browser.close()
    return out


def precision(tops: dict[str, list[str]]) -> dict[str, Any]:
    """Precision at 3 over all the queries and by kind."""
    per_query: dict[str, float] = {}
    for query, _, lessons in QUERIES:
        relevant = sum(1 for url in tops.get(query, [])[:3] if any(f"/{lesson}/" in url for lesson in lessons))
        per_query[query] = relevant / 3
    kinds: dict[str, list[float]] = {}
    for query, kind, _ in QUERIES:
        kinds.setdefault(kind, []).append(per_query[query])
    return {
        "all": round(sum(per_query.values()) / len(per_query), 2),
        "kinds": {k: round(sum(v) / len(v), 2) for k, v in kinds.items()},
        "queries": per_query,
    }


def compare(site: Path, work: Path) -> dict[str, Any]:
    """Ours and Pagefind's precision at 3 on the same built site."""
    queries = [q for q, _, _ in QUERIES]
    ours_top = ours(site, queries)
    theirs = pagefind(site, work, queries)
    return {
        "tracksite": precision(ours_top),
        "pagefind": precision(theirs),
        "tops": {"tracksite": ours_top, "pagefind": theirs},
    }


def describe() -> list[str]:
    """What the precision table measures, for docs/benchmarks.md."""
    return [
        f"Precision at 3 on the bundled course: {len(QUERIES)} fixed queries "
        "(`tracksite.tools.bench.precision.QUERIES`: "
        + ", ".join(f"`{q}`" for q, _, _ in QUERIES)
        + "), each with the lessons that teach it; the share of the top three results that are one of "
        "those lessons' pages (lesson, overview, cheatsheet), averaged. Ours: the browser's engine on the "
        'index, a typo searched again with its "Did you mean" suggestion (one click or Enter for a '
        "learner). Pagefind: `pagefind[extended]` on a copy of the same built site, queried through its "
        "own pagefind.js in Chromium.",
    ]


def render(data: dict[str, Any]) -> list[str]:
    """The precision table for docs/benchmarks.md."""
    ours_p, theirs = data["tracksite"], data["pagefind"]
    lines = [
        "| queries (bundled course) | tracksite | Pagefind |",
        "|---|---|---|",
    ]
    names = {
        "whole": "whole words",
        "forms": "other word forms",
        "typo": "typos (ours: the suggestion taken)",
        "partial": "partial words",
    }
    for kind, name in names.items():
        count = sum(1 for _, k, _ in QUERIES if k == kind)
        lines.append(f"| {name} ({count}) | {ours_p['kinds'][kind]:.2f} | {theirs['kinds'][kind]:.2f} |")
    lines.append(f"| **all ({len(QUERIES)})** | **{ours_p['all']:.2f}** | **{theirs['all']:.2f}** |")
    return lines
