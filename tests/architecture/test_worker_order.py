"""Issue 87: the run's two xdist workers share its long tests. tests/conftest.py puts the slow tests
first so that they start early on both workers; xdist's `load` scheduler, with the options
pyproject.toml gives it, must then hand the tests out as workers free up. Without
`--maxschedchunk` it sent each worker an eighth of the suite at the start, one block after the
other, and the first block held every slow test: one worker ran them all in a row (the edit loop,
the release job, the benchmark, the R knits) while the other ran quick tests.

xdist's own scheduler class is driven here, with the options of pyproject.toml, over a suite of
the shape the real one has (a few long tests, many quick ones, the browser tests last); no worker
is started and nothing is timed: each test's duration is a number the simulation adds up."""

from __future__ import annotations

import argparse
import shlex
import tomllib
from types import SimpleNamespace

from xdist.scheduler.load import LoadScheduling

from support.course import REPO


class _Worker:
    """What the scheduler sees of a worker: the tests sent to it, in order."""

    def __init__(self, name: str) -> None:
        self.gateway = SimpleNamespace(id=name)
        self.queue: list[int] = []
        self.shutting_down = False
        self.clock = 0.0

    def send_runtest_some(self, indices: list[int]) -> None:
        self.queue.extend(indices)

    def shutdown(self) -> None:
        self.shutting_down = True


def _options() -> argparse.Namespace:
    ini = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["pytest"]["ini_options"]
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--dist", default="load")
    parser.add_argument("--maxschedchunk", type=int)
    return parser.parse_known_args(shlex.split(ini["addopts"]))[0]


def _run(durations: list[float]) -> list[_Worker]:
    """Each test run by the worker that is free first, as the scheduler hands them out."""
    options = _options()
    assert options.dist == "load", "conftest's order is the load scheduler's: its tests go out in that order"
    config = SimpleNamespace(
        getvalue=lambda name: ["2*popen"], getoption=lambda name: {"maxschedchunk": options.maxschedchunk}[name]
    )
    scheduler = LoadScheduling(config)  # type: ignore[arg-type]
    workers = [_Worker("gw0"), _Worker("gw1")]
    names = [f"test_{i}" for i in range(len(durations))]
    for worker in workers:
        scheduler.add_node(worker)  # type: ignore[arg-type]
        scheduler.add_node_collection(worker, names)  # type: ignore[arg-type]
    scheduler.schedule()
    while busy := [w for w in workers if w.queue]:
        worker = min(busy, key=lambda w: w.clock)
        index = worker.queue.pop(0)
        worker.clock += durations[index]
        scheduler.mark_test_complete(worker, index, durations[index])  # type: ignore[arg-type]
    return workers


def test_the_slow_tests_are_shared_by_both_workers_and_both_finish_together():
    # as conftest orders the suite: 12 slow tests of 30 s, 900 quick ones of 0.1 s, 100 browser tests of 2 s
    durations = [30.0] * 12 + [0.1] * 900 + [2.0] * 100
    workers = _run(durations)
    ends = sorted(w.clock for w in workers)
    total = sum(durations)
    assert abs(sum(ends) - total) < 1e-6  # every test ran once
    # the run ends when the last worker does: within one slow test of half the suite
    assert ends[1] - total / 2 <= 30.0, ends
