"""A second lesson's start, step by step (issue 81: as fast as before the frame of no origin).

The page marks each step of a start (`performance.mark("ts-python:<step>")`), the frame's and
the worker's among them, which `docs/benchmarks.md`'s measures read. What made the start shorter,
without touching the boundary, is held here by what happened, never by how long it took:

- the page takes the digests of the files and of the saved memory (44 MB of SHA-256) only once
  the frame has its files: taken while they were read, they slowed the reading on the start's
  path (0.2-0.4 s at load 6-7);
- the frame compiles the WebAssembly and reads the saved memory while its worker evaluates its
  script, and passes both over (before, the worker did both after evaluating it).
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from support.course import intend
from support.runnable import START

pytestmark = pytest.mark.browser

# every SHA-256 the page takes, with the page's time (the frame's and the worker's are not the page's)
DIGESTS = """
if (window.top === window && window.crypto && crypto.subtle) {
  window.tsDigests = [];
  const digest = crypto.subtle.digest.bind(crypto.subtle);
  crypto.subtle.digest = (algorithm, data) => {
    window.tsDigests.push([performance.now(), data.byteLength]);
    return digest(algorithm, data);
  };
}
"""
MARKS = """() => Object.fromEntries(performance.getEntriesByType('mark')
  .filter((m) => m.name.startsWith('ts-python:')).map((m) => [m.name.slice(10), m.startTime]))"""


def _run(page, url) -> None:
    page.goto(url)
    intend(page)
    exercise = page.locator("#ts-run-1")
    exercise.get_by_role("button", name="Run").click()
    expect(exercise.locator(".ts-run__output")).to_have_text("1.0\n", timeout=START)


def test_a_second_start_hashes_after_handing_over_and_the_frame_prepares_the_worker(learner_page, runnable_url):
    """The second start is a page of conftest.py's `ran_once`, whose first start kept the files
    and the memory (it checks both)."""
    page = learner_page
    page.add_init_script(DIGESTS)
    _run(page, runnable_url + "alpha/a1/")
    expect(page.locator("html")).to_have_attribute("data-ts-python-start", "saved")
    marks = page.evaluate(MARKS)
    digests = page.evaluate("window.tsDigests")

    # the page's steps, then the frame's and the worker's, each marked once
    for step in ("asked", "frame", "hello", "read", "files", "handed", "memory", "checked", "ready"):
        assert step in marks, f"the page did not mark {step!r}: {sorted(marks)}"
    for step in ("frame-script", "frame-worker", "frame-module", "frame-memory"):
        assert step in marks, f"the frame did not mark {step!r}: {sorted(marks)}"
    for step in ("worker-origin", "evaluated", "files-in", "compiled", "memory-in", "loaded", "runner"):
        assert step in marks, f"the worker did not mark {step!r}: {sorted(marks)}"
    # the digests: the 5 kept files (the largest 9.6 MB) and the memory (15-16 MB as kept), every one
    # taken after the frame had its files
    assert len(digests) >= 6, digests
    assert max(size for _, size in digests) > 12_000_000, "the saved memory was not checked"
    assert all(at >= marks["handed"] for at, _ in digests), (digests, marks["handed"])
    # and the frame's run was held until they were the ones named
    assert marks["checked"] <= marks["ready"]
