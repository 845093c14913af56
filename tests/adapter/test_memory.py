"""A build's memory stays flat as the course grows (issue 57): each page's cache entries are
written as the build goes (adapter/caches/buildcache.py `FLUSH_AT`), the search index keeps a few
fields of each page rather than its words (search/index.py), and the results remembered
while the course was checked are let go before its pages render (core/memo.py `limit`)."""

from __future__ import annotations

import gc
import os
import re
import tracemalloc
from pathlib import Path

import pytest

from support.builds import cache_file, same_trees
from support.course import load, make_course
from support.harness import forked as in_fork
from support.harness import mkdocs
from tracksite.adapter import buildstate
from tracksite.adapter.caches import buildcache
from tracksite.adapter.caches.spill import Spill
from tracksite.core import forked, memo
from tracksite.tools.bench.course import plan_course, write_tracksite_project


def _build(root: Path, site: Path, processes: int = 1):
    run = mkdocs(root, site=site, processes=processes, strict=False)
    assert run.returncode == 0, run.stderr[-3000:]
    return run


def test_a_build_holds_a_few_pages_cache_entries_not_the_courses(tmp_path, monkeypatch):
    root = write_tracksite_project(tmp_path / "course", plan_course(8))
    _build(root, tmp_path / "whole")  # every entry held to the end, as before
    monkeypatch.setattr(buildcache, "FLUSH_AT", 60_000)  # a few pages' entries
    held: list[int] = []
    keep = buildcache.BuildCache.keep

    def counting_keep(self, key, entry, table="pages"):
        keep(self, key, entry, table)
        held.append(sum(len(v) + len(t) for v, t in self._new.values()))

    monkeypatch.setattr(buildcache.BuildCache, "keep", counting_keep)
    cache_file(root).unlink()  # cold again
    _build(root, tmp_path / "cold")
    assert len(held) > 50 and max(held) < 60_000 + 200_000  # (at most one page more than the limit)
    assert same_trees(tmp_path / "whole", tmp_path / "cold") == []
    # what was written on the way is the next build's: every page replayed whole
    warm = _build(root, tmp_path / "warm")
    counts = re.search(r"build cache: (\d+) pages converted, \d+ from the cache, (\d+) written as kept", warm.stderr)
    assert counts and int(counts[1]) == 0 and int(counts[2]) > 20, warm.stderr[-3000:]
    assert same_trees(tmp_path / "whole", tmp_path / "warm") == []


def _peak(root: Path, site: Path) -> int:
    cache_file(root).unlink(missing_ok=True)  # cold: every page converted and kept
    tracemalloc.reset_peak()
    _build(root, site)
    return tracemalloc.get_traced_memory()[1]


@pytest.mark.slow
def test_a_builds_peak_memory_grows_little_with_its_lessons(tmp_path, monkeypatch):
    # 2 and 12 lessons, each course one track: the 10 lessons between them are all that differs
    # (with every cache entry held to the end, as before FLUSH_AT, they cost 0.8 MB a lesson)
    small = write_tracksite_project(tmp_path / "small", plan_course(2))
    large = write_tracksite_project(tmp_path / "large", plan_course(12))
    _build(small, tmp_path / "warm-up")  # (imports, compiled templates: paid once per process)
    monkeypatch.setattr(buildcache, "FLUSH_AT", 100_000)  # (its bound would hide a small course's growth)
    tracemalloc.start()
    try:
        peaks = [_peak(small, tmp_path / "s"), _peak(large, tmp_path / "l")]
    finally:
        tracemalloc.stop()
    per_lesson = (peaks[1] - peaks[0]) / 10
    # A lesson is 3 pages of about 50 KB of HTML each. Holding each page's output, converted
    # HTML and search words to the build's end cost 1.2 MB a lesson here; 0.3 MB is left (its
    # sources, front-matter and what the check found: docs/benchmarks.md, "Memory").
    assert per_lesson < 500_000, f"{per_lesson / 1e3:.0f} KB a lesson ({peaks})"


def test_the_memo_remembers_less_once_limited_and_all_again_after():
    memo.limit()
    for i in range(50):
        memo.memo(("test-limit", i), lambda i=i: i)
    memo.limit(10)  # more than that held: let go
    assert memo.memo(("test-limit", 3), lambda: "again") == "again"
    for i in range(30):
        memo.memo(("test-limit-2", i), lambda i=i: i)
    assert len(memo.current().results) <= 10
    memo.limit()
    for i in range(30):
        memo.memo(("test-limit-3", i), lambda i=i: i)
    assert len(memo.current().results) >= 30


class _File:
    def __init__(self, src_uri: str) -> None:
        self.src_uri = src_uri


class _Page:
    def __init__(self, src_uri: str) -> None:
        self.file, self.content = _File(src_uri), None


@pytest.mark.skipif(not hasattr(os, "fork"), reason="a helper is a forked copy of the build")
def test_a_page_waits_on_disk_and_comes_back_whole_in_the_build_and_in_a_helper():
    spill = Spill.open()
    assert spill is not None
    pages = {n: _Page(f"lessons/t/l{n}/lesson.md") for n in range(3)}
    texts = {n: f"<p>page {n}: √2 ≈ 1.41 — 𝔼[x] \\udc80</p>" * (n * 500 + 1) for n in range(3)}
    assert spill.put(pages[0], texts[0]) == "" and spill.put(pages[1], texts[1]) == ""
    helper = forked.start(lambda: _in_helper(spill, pages, texts))  # reads the build's, writes its own
    assert helper is None or helper.result() == "ok"  # (None: threads here, no fork; test_parallel.py forks)
    assert spill.put(pages[2], texts[2]) == ""  # (after the helper's own writes: nothing overwritten)
    for n in range(3):
        assert spill.take(pages[n]) and pages[n].content == texts[n]
    assert not spill.take(pages[0])  # taken once
    spill.close()


def _in_helper(spill: Spill, pages: dict, texts: dict) -> str:
    spill.put(_Page("lessons/t/other/lesson.md"), "x" * 100_000)
    assert spill.take(pages[1]) and pages[1].content == texts[1]
    return "ok"


def test_a_build_too_large_for_the_memory_budget_forks_fewer_helpers(monkeypatch):
    monkeypatch.delenv(forked.ENV, raising=False)
    budget = forked.MEMORY_BUDGET
    assert forked.affordable(2, 250_000_000) == 2  # 1,000 lessons: a helper
    assert forked.affordable(4, budget // 4) == 3  # (each counted as it grows beside its helpers)
    assert forked.affordable(2, 900_000_000) == 1  # 10,000 lessons: the build alone
    assert forked.affordable(2, 750_000_000) == 1  # (its check: 1.56 GB summed with a helper)
    assert forked.affordable(2, 0) == 2  # (no /proc: no bound)
    monkeypatch.setenv(forked.ENV, "2")  # asked for: as many as asked
    assert forked.affordable(2, 900_000_000) == 2
    assert 0 < forked.resident() < 10 * budget or forked.resident() == 0


def test_the_checks_helper_is_bound_by_the_same_budget(tmp_path, monkeypatch):
    """At 10,000 lessons the check's helper was forked from a build of 0.75 GB, both grew beside
    each other to 1.56 GB: the check forks it only within `forked.MEMORY_BUDGET`, as the pages' do."""
    root = make_course(tmp_path / "course")
    started: list[int] = []
    monkeypatch.delenv(forked.ENV, raising=False)
    monkeypatch.setattr(forked, "processes", lambda items, share: 2)
    monkeypatch.setattr(forked, "start", lambda work: started.append(1))  # (no helper: all passes here)
    monkeypatch.setattr(forked, "resident", lambda: 200_000_000)
    small = load(root)
    assert started == [1]
    monkeypatch.setattr(forked, "resident", lambda: 750_000_000)
    large = load(root)
    assert started == [1]  # not forked this time
    assert small.problems is not None and large.problems is not None
    assert small.problems.items == large.problems.items


_GC_PROBE = """
import gc
from pathlib import Path

def on_post_page(output, page, config, **kwargs):
    with open(Path(config.config_file_path).parent / "gc-seen", "a") as f:
        f.write(f"{gc.get_freeze_count()} {gc.get_threshold()[0]}\\n")
    if page.file.src_uri.endswith("a2/index.md") and (Path(config.config_file_path).parent / "fail").exists():
        raise RuntimeError("a page that fails after the course was frozen")
    return output
"""


def _probed(course: Path) -> Path:
    (course / "gcprobe.py").write_text(_GC_PROBE, encoding="utf-8")
    yml = course / "mkdocs.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "\nhooks:\n  - gcprobe.py\n", encoding="utf-8")
    return course / "gc-seen"


def _fresh_process_build(course: Path, site: Path):
    """A build in a fork whose collector has nothing frozen, as in a new `mkdocs build`: the
    collector's state while the pages rendered (the probe's lines) and after the build."""

    def run():
        gc.unfreeze()  # (the test session's freeze, inherited: a new process has none)
        threshold = gc.get_threshold()
        result = mkdocs(course, site=site, processes=1)
        return result.returncode, result.stderr, threshold, gc.get_threshold(), gc.get_freeze_count()

    return in_fork(run)


def test_a_build_sets_its_checked_course_aside_from_the_collector_while_pages_render(course, tmp_path):
    seen = _probed(course)
    code, err, threshold, after, frozen = _fresh_process_build(course, tmp_path / "site")
    assert code == 0, err[-3000:]
    rows = [tuple(map(int, line.split())) for line in seen.read_text(encoding="utf-8").splitlines()]
    assert len(rows) > 5
    assert all(count > 1000 and young == buildstate.YOUNG_THRESHOLD for count, young in rows)
    assert (after, frozen) == (threshold, 0)  # given back as it was, the build over

    (course / "fail").write_text("", encoding="utf-8")  # a build that stops on a page: as it was too
    seen.unlink()
    code, _, threshold, after, frozen = _fresh_process_build(course, tmp_path / "site2")
    assert code != 0 and seen.exists()
    assert (after, frozen) == (threshold, 0)


def test_a_build_leaves_a_freeze_it_did_not_make_as_it_is(course, tmp_path):
    """In a process that froze its own objects first (a serve run, this test session), the build
    neither freezes nor lets go of theirs."""
    seen = _probed(course)
    gc.freeze()
    frozen, threshold = gc.get_freeze_count(), gc.get_threshold()
    _build(course, tmp_path / "site")
    assert gc.get_freeze_count() > frozen // 2 and gc.get_threshold() == threshold  # (not 0: not let go)
    assert {line.split()[1] for line in seen.read_text(encoding="utf-8").splitlines()} == {str(threshold[0])}
