"""Issue 87: what a build remembers has one owner. `mkdocs build` starts from a fresh memory
(nothing an earlier build in the process held leaks in); the `mkdocs serve` process keeps one
across its rebuilds, so that a save's check works from what the last one found."""

from __future__ import annotations

from tracksite.adapter.serve import process
from tracksite.core import memo


def test_a_build_remembers_afresh_and_the_serve_process_keeps_its_memory():
    with memo.using(memo.Memory()):
        proc = process.Process()
        proc.start("build", False)
        first = proc.build_memory()
        first.keep("test", "the first build's")
        second = proc.build_memory()
        assert second is not first and memo.current() is second
        assert second.owned("test", lambda: None) is None
        proc.start("serve", False)
        served = proc.build_memory()
        served.keep("test", "the first serve build's")
        assert proc.build_memory() is served and memo.current() is served
        assert served.owned("test", lambda: None) == "the first serve build's"


def test_a_memory_in_use_only_inside_its_block():
    outer = memo.current()
    with memo.using(memo.Memory()) as inner:
        memo.memo(("test-using", 1), lambda: "inner")
        assert memo.current() is inner and inner.results[("test-using", 1)] == "inner"
    assert memo.current() is outer and ("test-using", 1) not in outer.results
