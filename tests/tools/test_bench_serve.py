"""The serve benchmark's measures for issue 76: each save timed in Chromium and in the page fetched
every 20 ms, quiet and beside a second build (`--serve-beside-build`), with the load average each
set of saves ran under, in the table, the targets and the JSON."""

from __future__ import annotations

import json
import os
import threading
import time

import pytest

from tracksite.core import localstate
from tracksite.localserver import serve_folder
from tracksite.tools import bench
from tracksite.tools.bench import report, servemeasure
from tracksite.tools.bench.besidebuild import SecondBuild

QUIET = "N = 1,000: `mkdocs serve` shows a saved lesson on the open page within 1.0 s (median)"
BESIDE = "N = 1,000: beside a second build, `mkdocs serve` shows a saved lesson on the open page within 1.5 s (median)"


def _served() -> dict:
    """A run's figures at 1,000 lessons and on the bundled course, each with saves beside a build."""
    r = bench.SizeResult(1000, 67, 3067, 1200, "track-001/lesson-03/")
    r.restart = {"ready": 0.7}
    r.serve = {
        "ready": 31.0,
        "edits": [0.9, 0.8, 1.1],
        "polled": [0.6, 0.5, 0.7],
        "load": [0.31, 0.52],
        "memory": 466_000_000,
        "beside": {
            "edits": [1.4, 1.7, 1.6],
            "polled": [1.2, 1.3, 1.1],
            "load": [1.9, 2.75],
            "started": 2,
            "finished": 1,
        },
    }
    bundled = {
        "ready": 3.8,
        "edits": [0.45, 0.4, 0.6],
        "polled": [0.3, 0.31, 0.35],
        "load": [0.2, 0.25],
        "memory": 114_000_000,
        "beside": {"edits": [0.9, 0.8, 0.7], "polled": [0.5, 0.6, 0.4], "load": [1.5, 2.0], "started": 3},
    }
    return {"sizes": [r], "bundled_serve": bundled, "machine": {"cores": 2}}


def _table(text: str, heading: str) -> list[list[str]]:
    section = text.split(heading, 1)[1].split("\n### ", 1)[0]
    return [[c.strip() for c in line.strip("|").split(" | ")] for line in section.splitlines() if line.startswith("| ")]


def test_the_serve_table_has_a_row_beside_a_second_build_with_both_measures_and_the_load():
    rows = _table(report.render_tables(_served()), "### `mkdocs serve`")
    assert rows[0][3:] == [
        "save to the new text on the open page, Chromium (s)",
        "save to the new text in the page fetched every 20 ms (s)",
        "peak memory, first start and edits",
        "load average (1 min), before → after the saves",
    ]
    assert rows[1:] == [
        ["bundled course", "3.80", "not measured", "0.45 (0.40–0.60)", "0.31 (0.30–0.35)", "114 MB", "0.20 → 0.25"],
        ["bundled course, beside a second build (3 runs of it)", "same server", "–"]
        + ["0.80 (0.70–0.90)", "0.50 (0.40–0.60)", "–", "1.50 → 2.00"],
        ["1,000", "31.0", "0.70", "0.90 (0.80–1.10)", "0.60 (0.50–0.70)", "466 MB", "0.31 → 0.52"],
        ["1,000, beside a second build (2 runs of it)", "same server", "–"]
        + ["1.60 (1.40–1.70)", "1.20 (1.10–1.30)", "–", "1.90 → 2.75"],
    ]


def test_the_saves_beside_a_second_build_have_their_own_target_with_the_load():
    data = _served()
    goals = {goal: (what, met) for goal, what, met in report.targets(data)}
    assert goals[QUIET] == (
        "median 0.90 s, worst 1.10 s of 3 edits; page fetched every 20 ms 0.60 (0.50–0.70) s; "
        "load average 0.31 → 0.52 on 2 cores",
        True,
    )
    assert goals[BESIDE] == (
        "median 1.60 s, worst 1.70 s of 3 edits; page fetched every 20 ms 1.20 (1.10–1.30) s; "
        "load average 1.90 → 2.75 on 2 cores",
        False,
    )
    # the bundled course's target is the quiet one (issue 76 sets no limit for it beside a build)
    bundled = [goal for goal in goals if goal.startswith("bundled course")]
    assert bundled == ["bundled course: `mkdocs serve` shows a saved lesson on the open page within 0.5 s (median)"]
    assert goals[bundled[0]][1] is True
    data["sizes"][0].serve["beside"]["edits"] = [1.4, 1.5, 2.9]  # the median is what is judged
    assert {goal: met for goal, _, met in report.targets(data)}[BESIDE] is True
    data["sizes"][0].serve["beside"] = None
    assert BESIDE not in {goal for goal, _, _ in report.targets(data)}


def test_the_json_carries_both_measures_of_each_save_and_the_load():
    data = {**_served(), "date": "d", "repeat": 1, "seconds": 1.0}
    out = json.loads(json.dumps(bench.to_json(data)))
    serve = out["sizes"][0]["serve"]
    assert serve["polled"] == [0.6, 0.5, 0.7] and serve["load"] == [0.31, 0.52]
    assert serve["beside"]["edits"] == [1.4, 1.7, 1.6] and serve["beside"]["started"] == 2
    assert out["bundled_serve"]["beside"]["polled"] == [0.5, 0.6, 0.4]
    assert {t["target"]: t["met"] for t in out["targets"]}[BESIDE] is False


def test_serve_beside_build_is_an_option_passed_to_the_run_and_named_on_the_page(monkeypatch, tmp_path, capsys):
    seen = {}

    def run_benchmark(sizes, repeat, **kwargs):
        seen.update(kwargs)
        return {"sizes": [], "bundled_serve": None}

    monkeypatch.setattr(bench, "run_benchmark", run_benchmark)
    monkeypatch.setattr(bench, "render_markdown", lambda data, command: command)
    monkeypatch.setattr(bench, "print_report", lambda data: None)
    page = tmp_path / "bench.md"
    args = ["--root", str(tmp_path), "bench", "--sizes", "10", "--serve-size", "10", "--markdown", str(page)]
    assert bench.cmd_bench(_parse(args)) == 0
    assert seen["serve_beside_build"] is False and "--serve-beside-build" not in page.read_text()
    assert bench.cmd_bench(_parse([*args, "--serve-beside-build"])) == 0
    assert seen["serve_beside_build"] is True
    assert "--serve-size 10 --serve-beside-build" in page.read_text()


def _parse(argv: list[str]):
    import argparse

    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default=".")
    bench.register(parser.add_subparsers())
    return parser.parse_args(argv)


def test_the_page_is_fetched_every_20_ms_until_it_holds_the_saved_sentence(tmp_path):
    """`PagePoll` times the server's side of a save: fetched 50 times a second, from the save on."""
    (tmp_path / "index.html").write_text("<p>before</p>")
    with serve_folder(tmp_path) as base:
        saved = time.perf_counter()
        threading.Timer(0.3, lambda: (tmp_path / "index.html").write_text("<p>the marker xyz</p>")).start()
        poll = servemeasure.PagePoll(base, "marker xyz", saved, timeout=10)
        seconds = poll.result()
    assert 0.3 <= seconds < 3.0
    # every 20 ms: never more than one fetch begun per 20 ms, and (a loaded machine slows each
    # fetch) at least one per 100 ms over the wait
    assert seconds / 0.1 <= poll.fetches <= seconds / servemeasure.POLL_EVERY + 2
    with serve_folder(tmp_path) as base, pytest.raises(bench.UserError, match="did not hold the saved sentence"):
        servemeasure.PagePoll(base, "never there", time.perf_counter(), timeout=0.3).result()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.slow
def test_the_second_build_runs_in_a_loop_apart_from_the_course_and_is_stopped(tmp_path):
    """A copy of the course built again and again, cold, with a state folder of its own: the
    served course's state folder stays empty; leaving the block kills the run in progress,
    whatever ends it, and `remove` deletes the copy and its state."""
    course = bench.write_tracksite_project(tmp_path / "course", bench.plan_course(2))
    second = SecondBuild(course, tmp_path / "beside")
    with pytest.raises(RuntimeError, match="the saves failed"), second.running(settle=0.5):
        second.check()
        deadline = time.perf_counter() + 240
        while second.finished < 1 or second.started < 2:  # a run ended, the next one started
            assert time.perf_counter() < deadline and second.error is None, second.error
            time.sleep(0.1)
        second.check()
        pid = second._proc.pid
        assert _alive(pid)
        raise RuntimeError("the saves failed")
    assert not _alive(pid) and second._proc.poll() is not None
    assert (tmp_path / "beside" / "site" / "index.html").is_file()
    # nothing in the served course's state folder, nor in the copy's usual one: its own, in its folder
    assert not localstate.project_folder(course).exists() and not localstate.project_folder(second.course).exists()
    assert not (tmp_path / "beside" / "state-0").exists()  # each run cold: the last run's state removed
    second.remove()
    assert not (tmp_path / "beside").exists()


def test_a_second_build_that_fails_stops_the_benchmark_with_its_output(tmp_path):
    course = tmp_path / "course"
    (course / "docs").mkdir(parents=True)
    (course / "mkdocs.yml").write_text("site_name: broken\nplugins:\n  - no-such-plugin\n")
    second = SecondBuild(course, tmp_path / "beside")
    with pytest.raises(bench.UserError, match="(?s)the second build .* failed.*no-such-plugin"):
        with second.running(settle=0):
            deadline = time.perf_counter() + 60
            while time.perf_counter() < deadline:
                second.check()
                time.sleep(0.05)
    second.remove()
