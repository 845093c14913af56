"""The benchmark (`tracksite bench`, issue 8): its synthetic course is valid, and one small run of
the whole thing (builds, page weight, both link checkers, mkdocs serve) works end to end.

The figures themselves are not asserted: they are for docs/benchmarks.md, not pass/fail."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from support.course import load
from tracksite.commands.cli import main
from tracksite.core import localstate
from tracksite.core.learning.readingtime import estimate
from tracksite.errors import UserError
from tracksite.tools import bench
from tracksite.tools.bench import peers, report

IN_CI = os.environ.get("CI", "").lower() == "true"


@pytest.mark.parametrize("n", [1, 9, 10, 20, 21, 35, 100, 1000])
def test_tracks_hold_10_to_20_lessons(n):
    sizes = bench.track_sizes(n)
    assert sum(sizes) == n
    assert all(10 <= s <= 20 for s in sizes) or sizes == [n]
    assert bench.track_sizes(n) == sizes  # reproducible


def test_synthetic_course_is_clean_and_realistic(tmp_path):
    tracks = bench.plan_course(25)
    root = bench.write_tracksite_project(tmp_path / "course", tracks)
    project = load(root)
    assert [p.text() for p in project.problems.items] == []  # no errors and no warnings
    assert [len(t.lessons) for t in tracks] == [len(project.curriculum.lessons_of(t.slug)) for t in tracks]
    lesson = next(d for d in project.documents if d.kind == "lesson" and d.track == "track-002")
    assert 1_000 <= estimate(lesson.body).words <= 1_450
    for needle in (
        "\n## ",
        "\n### ",
        "\n- ",
        "\n1. ",
        "\n| ",
        "/// note |",
        "```python",
        "//// exercise",
        "/// quiz",
        "](lesson:track-001/",
        "#core-ideas)",
        "](overview:",
        "](cheatsheet:",
        "](track:",
    ):
        assert needle in lesson.body, needle


def test_plain_project_has_the_same_pages_with_relative_links(tmp_path):
    tracks = bench.plan_course(25)
    root = bench.write_plain_project(tmp_path / "plain", tracks)
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    assert "search" in config["plugins"] and "tracksite" not in str(config["plugins"])
    assert "custom_dir" not in config["theme"] and config["theme"]["features"]
    assert [list(item)[0] for item in config["nav"]] == ["Home"] + [f"Track {t.number}: {t.title}" for t in tracks]
    page = (root / "docs" / "track-002" / "lesson-01" / "index.md").read_text()
    assert page.startswith("# ")
    assert not re.search(r"\]\((lesson|overview|cheatsheet|track):", page)
    assert "](../../track-001/lesson-01/index.md#core-ideas)" in page
    assert "/// question | Quiz" in page and "/// quiz" not in page
    pages = sorted(p.relative_to(root / "docs").as_posix() for p in (root / "docs").rglob("*.md"))
    assert len(pages) == 3 * 25 + len(tracks) + 1


@pytest.mark.slow
def test_benchmark_runs_end_to_end_at_2_lessons(tmp_path, capsys):
    """Every part of a run and every table of its page, on the smallest courses that have them
    all: 2 lessons (a lesson's link to the next one's heading, where a broken anchor is planted)
    and 3 at the large size. The figures grow with the course, not the code that measures them:
    at 20 lessons linkchecker alone ran into its time limit (12 s of processor time)."""
    if bench.linkchecker_binary() is None and not IN_CI:
        pytest.skip("linkchecker is not installed (pip install linkchecker)")
    md, js = tmp_path / "benchmarks.md", tmp_path / "bench.json"
    code = main(
        [
            "bench",
            "--sizes",
            "2",
            "--repeat",
            "1",
            "--serve-edits",
            "1",
            # serve measured on the large size only (the bundled course's serve is the browser
            # tests' ground: tests/browser/test_live_reload.py), and no Zensical install in a test
            "--serve-size",
            "0",
            "--large",
            "3",
            "--serve-beside-build",
            "--no-zensical",
            "--linkchecker-limit",
            "15",
            "--markdown",
            str(md),
            "--json",
            str(js),
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert "### Builds" in out and "| 2 | 8 |" in out
    import json

    data = json.loads(js.read_text())
    size, large = data["sizes"]
    assert data["pending"] == [] and (size["large"], large["large"]) == (False, True)
    assert len(size["tracksite_build"]) == len(size["plain_build"]) == 1
    # every build's peak memory, all its processes summed, was sampled (a Python build holds MBs)
    builds = ("tracksite_build", "tracksite_warm_build", "prune_build", "plain_build")
    assert all(run["memory"] > 10e6 for name in builds for run in size[name])
    # ... two ways: shared pages once (PSS), and each process in full (RSS), never less
    assert all(run["resident"] >= run["memory"] for name in builds for run in size[name])
    # the large size: one run of each, no Material without prune, no link checking, serve measured
    assert [len(large[name]) for name in builds] == [1, 1, 1, 0]
    assert all(run["memory"] > 10e6 for name in builds[:3] for run in large[name])
    assert large["tracksite_linkcheck"] == [] and large["linkchecker"] is None
    assert len(large["serve"]["edits"]) == 1 and large["serve"]["memory"] > 10e6
    # each save also timed in the page fetched every 20 ms, quiet and beside a second build that ran
    # (at least one run of it started), with the load average before and after each set of saves
    beside = large["serve"]["beside"]
    assert len(large["serve"]["polled"]) == len(beside["edits"]) == len(beside["polled"]) == 1
    assert 0 < large["serve"]["polled"][0] < 30 and 0 < beside["polled"][0] < 30 and beside["started"] >= 1
    assert all(isinstance(x, float) for x in large["serve"]["load"] + beside["load"])
    assert large["serve_restart"]["ready"] > 0 and size["serve"] is None
    assert size["weight_tracksite"]["weight_gzip"] > size["weight_tracksite"]["html_gzip"] > 1_000
    assert size["weight_tracksite"]["missing"] == []
    # Both broken links planted in the built site are found by tracksite linkcheck, and by
    # linkchecker unless it was stopped at its time limit first.
    assert len(size["planted"]) == 2 and size["tracksite_linkcheck_targets"] == size["planted"]
    lc = size["linkchecker"]
    assert lc["stopped"] or lc["targets"] == size["planted"]
    page = md.read_text()
    assert page.startswith("# Benchmarks") and "tracksite bench --sizes 2 --repeat 1" in page
    assert "--large 3 --markdown" in page and "Not measured yet" not in page
    assert "--serve-edits 1 --serve-beside-build" in page
    assert "cores" in page and "### Targets" in page
    memory = _table(page, "### Peak memory")
    assert memory[0][:7] == ["Lessons", "A: tracksite", "A, warm", "B: Material + prune"] + [
        "C: Material, no prune",
        "Z: Zensical",
        "Z, warm",
    ]
    assert memory[1][0] == "2" and all(cell.endswith(" MB") for cell in memory[1][1:5])
    assert memory[2][0] == "3" and memory[2][4] == "not run" and memory[2][1].endswith(" MB")
    assert _table(page, "### Link checking")[2][:2] == ["3", "not run at the large size (`--large`)"]
    serve = _table(page, "### `mkdocs serve`")
    assert serve[0][5] == "peak memory, first start and edits" and serve[1][0] == "3"
    assert serve[1][5].endswith(" MB") and float(serve[1][3]) < 30 and float(serve[1][4]) < 30
    assert serve[2][0].startswith("3, beside a second build (") and float(serve[2][3]) < 30
    assert " → " in serve[1][-1] and " → " in serve[2][-1]


def _table(page: str, heading: str) -> list[list[str]]:
    """The rows of the Markdown table under `heading` (its separator row left out), as cells."""
    section = page.split(heading, 1)[1].split("\n### ", 1)[0]
    rows = [line.strip("|").split(" | ") for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in row] for row in rows]


def test_the_fair_peer_is_the_plain_project_with_navigation_prune(tmp_path):
    tracks = bench.plan_course(25)
    root = peers.write_pruned_project(tmp_path / "pruned", tracks, bench.REPO)
    config = yaml.safe_load((root / "mkdocs.yml").read_text())
    assert {"navigation.prune", "navigation.indexes"} <= set(config["theme"]["features"])
    plain = bench.write_plain_project(tmp_path / "plain", tracks)
    assert "navigation.prune" not in yaml.safe_load((plain / "mkdocs.yml").read_text())["theme"]["features"]
    # the same pages, word for word
    pages = sorted(p.relative_to(root).as_posix() for p in (root / "docs").rglob("*.md"))
    assert all((root / p).read_text() == (plain / p).read_text() for p in pages)


def _run(wall: float) -> bench.Run:
    return bench.Run(wall, wall, 0, "", "")


def test_the_cost_of_one_more_lesson_and_the_targets_come_from_the_measured_builds():
    def size(n: int, ts: float, prune: float, warm: float) -> bench.SizeResult:
        r = bench.SizeResult(n, 1, 3 * n + 2, 1200, "t/l/")
        r.tracksite, r.prune, r.warm = [_run(ts)], [_run(prune)], [_run(warm)]
        r.weight_tracksite = {"html": 40_000, "html_gzip": 9_000, "weight_gzip": 90_000}
        return r

    rows = [size(30, 3.0, 2.0, 1.0), size(300, 30.0, 20.0, 8.0)]
    assert report.marginal(rows, "tracksite") == [(30, 300, pytest.approx(0.1))]
    assert report.marginal(rows, "prune") == [(30, 300, pytest.approx(18 / 270))]
    tables = report.render_tables({"sizes": rows, "bundled_serve": None})
    assert "| 30 → 300 | 100.0 | 25.9 | 66.7 | n/a | n/a | 1.50x |" in tables
    goals = {goal: (what, met) for goal, what, met in report.targets({"sizes": rows, "bundled_serve": None})}
    assert goals["30 → 300 lessons: a lesson's build cost at most 1.0x Material + prune"][1] is False
    assert goals["N = 300: a warm build of unchanged sources at most 30% of the cold build"] == (
        "8.00 s of 30.0 s: 27%",
        True,
    )


def test_a_new_run_keeps_the_profile_section_before_the_search_section():
    """The hand-made profile of where a lesson's time goes stays when the tables are rewritten."""
    profile = "<!-- build-profile -->\n## Where a lesson's time goes\n\nfigures\n<!-- /build-profile -->"
    old = f"# Benchmarks\n\nold tables\n\n{profile}\n\n<!-- search-bench -->\nsearch\n<!-- /search-bench -->\n"
    new = "# Benchmarks\n\nnew tables\n\n<!-- search-bench -->\nsearch\n<!-- /search-bench -->\n"
    kept = report.keep_profile(old, new)
    assert kept.index("new tables") < kept.index(profile) < kept.index("<!-- search-bench -->")
    assert "old tables" not in kept and kept.count("<!-- build-profile -->") == 1
    assert report.keep_profile(kept, kept) == kept
    assert report.keep_profile("# no profile yet", new) == new
    assert profile in report.keep_profile(old, "# Benchmarks\n\nnew tables\n")


def test_a_cold_build_follows_no_mass_deletion(tmp_path):
    """Before a timed cold build the last build cache and site are moved out of the way, not
    deleted (deleting thousands of files would slow the next build's file creation); they are
    removed after the size's builds."""
    from tracksite.tools.bench import measure

    measure.drop_aside()  # (what an earlier run in this process left)
    project = tmp_path / "course"
    project.mkdir()
    cache = localstate.folder(project, "tracksite")  # the course's state folder (core/localstate.py)
    (cache / "pages").mkdir(parents=True)
    (cache / "pages" / "index.html").write_text("kept")
    (project / "site").mkdir()
    peers.clear_cache(project)
    measure.aside(project / "site")
    assert not cache.exists() and not (project / "site").exists()
    moved = sorted(p.name for p in cache.parent.iterdir())  # beside it, on its own file system
    assert moved == ["tracksite.old-0"] and (cache.parent / moved[0] / "pages" / "index.html").read_text() == "kept"
    assert sorted(p.name for p in project.iterdir()) == ["site.old-0"]
    measure.drop_aside()
    assert list(cache.parent.iterdir()) == [] and list(project.iterdir()) == []


def test_a_page_written_during_a_long_run_names_what_is_not_measured_yet():
    """After each build the page is written (a run stopped during `--large` keeps what it
    finished): it says which size is being measured, with the memory and serve figures so far."""
    r = bench.SizeResult(1000, 67, 3067, 1200, "track-001/lesson-03/")
    r.tracksite = [bench.Run(60, 70, 0, "", "", 400_000_000, 450_000_000)]
    r.warm = [bench.Run(11, 12, 0, "", "", 300_000_000)]
    r.prune = [bench.Run(70, 70, 0, "", "", 130_000_000, 140_000_000)]
    r.weight_tracksite = r.weight_prune = {"html": 40_000, "html_gzip": 9_000, "weight_gzip": 90_000}
    r.serve, r.restart = {"ready": 80.0, "edits": [0.8, 0.9, 1.4], "memory": 512_000_000}, {"ready": 1.2}
    big = bench.SizeResult(10_000, 667, 30_668, 1200, "track-001/lesson-03/", large=True)
    big.tracksite = [bench.Run(600, 650, 0, "", "", 1_400_000_000)]  # its first build only, so far
    data = {
        "machine": bench.machine_info(),
        "sizes": [r, big],
        "current": 10_000,
        "pending": [10_000],
        "repeat": 1,
        "seconds": 600.0,
        "bundled_serve": None,
        "date": "2026-11-27 14:00 UTC",
        "linkchecker_limit": "auto",
        "zensical": None,
    }
    page = report.render_markdown(data, "tracksite bench --sizes 1000 --repeat 1 --large")
    assert "- Being measured when this page was written: 10,000 lessons (its rows hold the builds done)\n" in page
    assert "Not measured yet" not in page
    memory = _table(page, "### Peak memory")
    assert memory[1] == ["1,000", "400 MB", "300 MB", "130 MB"] + ["not run"] * 3 + ["3.08x", "450 MB", "3.21x"]
    assert memory[2] == ["10,000", "1,400 MB"] + ["not run"] * 5 + ["n/a", "not run", "n/a"]
    assert _table(page, "### Builds")[2][-3:] == ["n/a", "n/a", "n/a"]
    assert _table(page, "### One lesson page")[2][2] == "not measured yet"
    # a run from before the page was polled: its cells say so, its target reads as it did
    assert _table(page, "### `mkdocs serve`")[1] == ["1,000", "80.0", "1.20", "0.90 (0.80–1.40)"] + [
        "n/a",
        "512 MB",
        "not measured",
    ]
    goals = {goal: (what, met) for goal, what, met in report.targets(data)}
    assert goals["N = 1,000: `mkdocs serve` shows a saved lesson on the open page within 1.0 s (median)"] == (
        "median 0.90 s, worst 1.40 s of 3 edits",
        True,
    )
    assert goals["N = 1,000: a cold build's peak memory at most 2.5x Material + prune"] == (
        "400 MB vs 130 MB: 3.08x (each process in full: 450 MB, 3.21x)",
        False,
    )
    assert goals["N = 10,000: a cold build in at most 1.5 GB"] == ("1,400 MB", True)
    del data["current"]
    assert "- Not measured yet when this page was written: 10,000 lessons\n" in report.render_markdown(data, "x")
    data["pending"] = []
    assert "when this page was written" not in report.render_markdown(data, "x")


def test_a_peer_that_does_not_finish_at_the_large_size_is_noted_and_the_run_goes_on(monkeypatch, tmp_path):
    """At 10,000 lessons Material's build may pass the time limit: the table says so, and
    tracksite's figures (what the large size is for) are still measured; at other sizes it stops."""
    from tracksite.tools.bench import run as bench_run

    calls = []

    def build(name, project, site, timeout, zensical, *, cold):
        calls.append((name, cold))
        if name == "prune":
            raise bench.BenchError("`-m mkdocs build ...` took more than 60 s and was stopped")
        return bench.Run(1.0, 1.0, 0, "", "", 50_000_000)

    monkeypatch.setattr(bench_run, "_build_once", build)
    order = [("tracksite", tmp_path, tmp_path), ("prune", tmp_path, tmp_path)]
    big = bench.SizeResult(10_000, 667, 30_668, 1200, "track-001/lesson-03/", large=True)
    bench_run._builds(big, order, 1, 60, None)
    assert calls == [("tracksite", True), ("tracksite", False), ("prune", True)]
    assert big.stopped == {"prune": "more than 60 s"} and len(big.tracksite) == len(big.warm) == 1
    tables = report.render_tables({"sizes": [big], "bundled_serve": None})
    assert _table(tables, "### Builds")[1][2:5] == ["1.00", "1.00", "more than 60 s, stopped"]
    assert _table(tables, "### Peak memory")[1][1:4] == ["50 MB", "50 MB", "stopped"]
    with pytest.raises(UserError, match="took more than 60 s"):
        bench_run._builds(bench.SizeResult(30, 2, 93, 1200, "track-001/lesson-03/"), order, 1, 60, None)
