"""The benchmark (`tracksite bench`, issue 8): its synthetic course is valid, and one small run of
the whole thing (builds, page weight, both link checkers, mkdocs serve) works end to end.

The figures themselves are not asserted: they are for docs/benchmarks.md, not pass/fail."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from course import load
from tracksite.commands.cli import main
from tracksite.core import localstate
from tracksite.core.learning.readingtime import estimate
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
def test_benchmark_runs_end_to_end_at_20_lessons(tmp_path, capsys):
    if bench.linkchecker_binary() is None and not IN_CI:
        pytest.skip("linkchecker is not installed (pip install linkchecker)")
    md, js = tmp_path / "benchmarks.md", tmp_path / "bench.json"
    code = main(
        [
            "bench",
            "--sizes",
            "20",
            "--repeat",
            "1",
            "--serve-edits",
            "1",
            # serve measured on the synthetic course only (the bundled course's serve is the browser
            # tests' ground: tests/browser/test_live_reload.py), and no Zensical install in a test
            "--serve-size",
            "20",
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
    assert "### Builds" in out and "| 20 | 62 |" in out
    import json

    data = json.loads(js.read_text())
    (size,) = data["sizes"]
    assert len(size["tracksite_build"]) == len(size["plain_build"]) == 1
    assert size["weight_tracksite"]["weight_gzip"] > size["weight_tracksite"]["html_gzip"] > 1_000
    assert size["weight_tracksite"]["missing"] == []
    # Both broken links planted in the built site are found by tracksite linkcheck, and by
    # linkchecker unless it was stopped at its time limit first.
    assert len(size["planted"]) == 2 and size["tracksite_linkcheck_targets"] == size["planted"]
    lc = size["linkchecker"]
    assert lc["stopped"] or lc["targets"] == size["planted"]
    assert len(size["serve"]["edits"]) == 1 and size["serve"]["edits"][0] < 30
    page = md.read_text()
    assert page.startswith("# Benchmarks") and "tracksite bench --sizes 20 --repeat 1" in page
    assert "cores" in page and "### Targets" in page


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
