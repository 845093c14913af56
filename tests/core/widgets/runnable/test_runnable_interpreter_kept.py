"""The interpreter's files kept by the page (issue 83): a private window's HTTP cache lives in
memory and keeps no entry as large as pyodide.asm.wasm, so every lesson fetched its 9.6 MB again
(measured in a fresh context, the second lesson's start: 14 requests, 9,599,663 bytes, where 13
were answered from the cache or as unchanged). The page keeps Pyodide's files in Cache Storage
under the SHA-256 runnable-sandbox.js carries: the second start asks the site for none of them.
A copy there that is not the file named (planted by another course's script, issue 81's rule) is
refused, deleted and fetched again, and Python still runs."""

from __future__ import annotations

import hashlib

import pytest
from playwright.sync_api import expect

from support.course import REPO, intend
from support.runnable import START
from support.waits import until

pytestmark = pytest.mark.browser

PYODIDE = REPO / "scripts/tracksite/theme/assets/tracksite/pyodide"
# the SHA-256 of what the page's Cache Storage holds under a key ("" when it holds nothing)
HELD = """async (key) => {
  const found = await (await caches.open('tracksite-interpreter')).match(key);
  if (!found) return "";
  const digest = await crypto.subtle.digest('SHA-256', await found.arrayBuffer());
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}"""
PLANT = """async ([key, text]) => {
  await (await caches.open('tracksite-interpreter')).put(key, new Response(text));
}"""


@pytest.fixture
def kept(learner_page):
    """A page of conftest.py's `ran_once`: a first lesson's run in a context of its own (its HTTP
    cache lives in memory, like a private window's), until the page had kept the files and the
    memory. Shared by the tests of a start from those (each test's own first lesson cost about
    11 of its 14-16 processor seconds), since each plants or reads only what it then checks, and
    a planted file is fetched again before its test ends."""
    return learner_page


def _second_lesson(page, url) -> list[str]:
    """The next lesson's start and run; the addresses of Pyodide's files the page asked for."""
    asked: list[str] = []

    def ask(request) -> None:
        if "/pyodide/" in request.url:
            asked.append(request.url)

    page.on("request", ask)
    page.goto(url)
    intend(page)
    exercise = page.locator("#ts-run-1")
    exercise.get_by_role("button", name="Run").click()
    expect(exercise.locator(".ts-run__output")).to_have_text("1.0\n", timeout=START)
    expect(page.locator("html")).to_have_attribute("data-ts-python-start", "saved")
    page.remove_listener("request", ask)
    return asked


def test_a_second_lesson_in_a_private_window_asks_for_no_interpreter_file(kept, runnable_url):
    assert _second_lesson(kept, runnable_url + "alpha/a1/") == []


@pytest.mark.parametrize(
    "name",
    [
        "pyodide.asm.wasm",  # bytes: refused by its digest while the frame starts, the frame removed
        "pyodide.asm.js",  # a script: refused by its digest before any frame runs it
    ],
)
def test_a_planted_interpreter_file_is_refused_and_fetched_again(kept, runnable_url, name):
    page = kept
    digest = hashlib.sha256((PYODIDE / name).read_bytes()).hexdigest()
    key = "https://tracksite.invalid/pyodide/sha256/" + digest  # (one entry per file, named by its digest)
    assert page.evaluate(HELD, key) == digest
    page.evaluate(PLANT, [key, "self.postMessage({kind: 'ready', restored: true}); // planted"])
    assert page.evaluate(HELD, key) not in ("", digest)
    asked = _second_lesson(page, runnable_url + "alpha/a1/")
    assert [url.rsplit("/", 1)[-1] for url in asked] == [name]  # fetched again, and only it
    assert until(page, lambda: page.evaluate(HELD, key) == digest, 60)
