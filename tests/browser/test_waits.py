"""The browser tests' waits hold across a navigation: Playwright runs a `wait_for_function`
predicate again in each new document, and ends the wait at the first exception it throws. A
page between two documents (a reload, a live reload, a link followed) has no body yet, and a
widget's status is not drawn yet: a predicate that reads `document.body.x` or
`document.querySelector(...).x` failed there instead of waiting (CI failed on it once). Each
predicate reads such an element only through `?.`. And a predicate is never `async`: Playwright
takes the promise it returns as true at once (measured: `async () => false` ended the wait in
0.28 s), so the test went on before what it waited for."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

TESTS = Path(__file__).resolve().parents[1]
CALL = re.compile(r"wait_for_function\(")
# what may be null while a document loads, read without `?.`
UNGUARDED = re.compile(
    r"document\.(?:body|activeElement)\.(?!\?)|document\.querySelector\((?:'[^']*'|\"[^\"]*\"|[^()]*)\)\.(?!\?)"
)


def _predicates(text: str):
    """Each `wait_for_function(...)` call's arguments, and its line."""
    for call in CALL.finditer(text):
        depth, end = 1, call.end()
        while depth and end < len(text):
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        yield text.count("\n", 0, call.start()) + 1, text[call.end() : end]


ASYNC = re.compile(r"^\s*[\"']async\b")


def unguarded(text: str) -> list[tuple[int, str]]:
    found = [(line, hit.group()) for line, args in _predicates(text) for hit in UNGUARDED.finditer(args)]
    return found + [
        (line, "async (poll with support.waits.until)") for line, args in _predicates(text) if ASYNC.match(args)
    ]


def test_no_wait_reads_an_element_that_a_loading_page_lacks():
    found = [
        f"{path.relative_to(TESTS)}:{line}: {read} (read it as `?.`)"
        for path in sorted(TESTS.rglob("*.py"))
        if path != Path(__file__).resolve()  # its own samples, below
        for line, read in unguarded(path.read_text(encoding="utf-8"))
    ]
    assert not found, "\n".join(found)


def test_the_check_finds_what_it_looks_for():
    old = """page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
page.wait_for_function(
    "() => document.querySelector('.ts-search__status').textContent.includes('x')", timeout=5000)
page.wait_for_function("() => document.activeElement.classList.contains('x')")"""
    assert [line for line, _ in unguarded(old)] == [1, 2, 4]
    new = old.replace("body.", "body?.").replace("status').", "status')?.").replace("Element.", "Element?.")
    assert unguarded(new) == []
    assert unguarded('page.evaluate("document.body.dataset.x")') == []  # a read at rest is not a wait
    assert unguarded('page.wait_for_function(\n    "async () => (await caches.keys()).length")') == [
        (1, "async (poll with support.waits.until)")
    ]
