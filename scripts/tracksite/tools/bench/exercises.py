"""`tracksite bench --exercises N`: what proving N exercises costs (issue 85).

A synthetic course (`tools/bench/course.py`, a lesson per 10 exercises) gets N runnable
exercises, 10 a lesson, each with starting code, a solution, two tests with messages and a listed
mistake (which passes the first test and fails the second, with its feedback): what an author
writes. Each differs by a constant, so no two share a verdict. The benchmark times, each in a
process of its own with a state folder of its own (no verdicts kept from elsewhere):

1. `tracksite check`: the course read and checked, no code run (the baseline);
2. `tracksite check --run-code`: every exercise's solution, starting code and mistake run in
   CPython, in the sandbox (core/sandbox.py), a process per exercise;
3. the same again: the verdicts kept by content, no process started;
4. `tracksite check --run-code --in-page-python`: CPython's verdicts kept, the 3 N runs again in
   the page's Pyodide under Node, in the sandbox, one process for all (skipped, and said, where
   Node or the sandbox is missing).

The runs are timed by the clock, which the machine's load stretches (the benchmark says the load):
the sandboxed programs' processor time is not counted to the check that waited for them
(bubblewrap's PID namespace; measured: a second of Python in it adds 2 ms to the caller's
children's time), so only the check's own is given. A run that reports an error ends the benchmark:
the figures would time something else.

    tracksite bench --exercises 500 --markdown docs/benchmarks.md

`--markdown` replaces the part of the page between `<!-- exercises-bench -->` and
`<!-- /exercises-bench -->` (appending it the first time), leaving the rest as it is.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tracksite.core import localstate
from tracksite.core.widgets.runnable import check
from tracksite.tools.bench.course import plan_course, write_tracksite_project
from tracksite.tools.bench.measure import ENV, BenchError, Run, byte_compile, run_timed
from tracksite.tools.bench.run import _log, keep_bench_section, machine_info, write_bench_section

START, END = "<!-- exercises-bench -->", "<!-- /exercises-bench -->"
PER_LESSON = 10


def exercise(n: int) -> str:
    """The `n`th synthetic exercise: `scale` multiplies by k = n + 2; the mistake adds 3 (k - 1),
    right at 3 and wrong at -2."""
    k = n + 2
    return f"""
/// runnable | Scale by {k}
code: |
  def scale(x):
      return x
tests: |
  assert scale(3) == {3 * k}, "scale(3) should be {3 * k}"
  assert scale(-2) == {-2 * k}, "scale(-2) should be {-2 * k}"
solution: |
  def scale(x):
      return {k} * x
mistakes:
  - code: |
      def scale(x):
          return x + {3 * (k - 1)}
    feedback: scale(-2) should be {-2 * k}
///
"""


def write_course(root: Path, n: int) -> Path:
    """The synthetic course with `n` exercises, PER_LESSON a lesson, in its first lessons."""
    tracks = plan_course(max(1, -(-n // PER_LESSON)))
    root = write_tracksite_project(root, tracks)
    lessons = [root / "lessons" / t.slug / lesson.slug / "lesson.md" for t in tracks for lesson in t.lessons]
    for at, path in enumerate(lessons):
        numbers = range(at * PER_LESSON, min(n, (at + 1) * PER_LESSON))
        if numbers:
            text = path.read_text(encoding="utf-8").rstrip("\n") + "\n\n## Exercises\n"
            path.write_text(text + "".join(exercise(i) for i in numbers), encoding="utf-8")
    return root


def _check(root: Path, state: Path, timeout: float, *options: str) -> Run:
    cmd = [sys.executable, "-m", "tracksite", "--root", str(root), "check", "--format", "json", *options]
    run = run_timed(cmd, root, timeout, env={**ENV, localstate.ENV: str(state)})
    try:
        errors = [p for p in json.loads(run.stdout) if p.get("severity") == "error"]
    except ValueError:
        errors = [{"message": (run.stderr or run.stdout)[-500:]}]
    if run.returncode != 0 or errors:
        shown = "; ".join(f"{p.get('path', '?')}:{p.get('line', '?')}: {p.get('message')}" for p in errors[:3])
        raise BenchError(f"`tracksite check {' '.join(options)}` on the synthetic exercises failed: {shown}")
    return run


def run(n: int, timeout: float) -> dict[str, Any]:
    """The four checks' times on a course of `n` exercises (see the module's docstring)."""
    byte_compile()
    with tempfile.TemporaryDirectory(prefix="tracksite-exercises-bench-") as tmp:
        root = write_course(Path(tmp) / "course", n)
        state = Path(tmp) / "state"
        data: dict[str, Any] = {"machine": machine_info(), "date": time.strftime("%Y-%m-%d"), "exercises": n}
        _log(f"{n} exercises: the check alone")
        data["check"] = _check(root, state, timeout)
        _log("--run-code: CPython in the sandbox")
        data["cpython"] = _check(root, state, timeout, "--run-code")
        data["kept"] = _check(root, state, timeout, "--run-code")
        reason = check.page_unavailable()
        if reason:
            data["page_unavailable"] = reason
        else:
            _log("--run-code --in-page-python: Pyodide under Node in the sandbox")
            data["page"] = _check(root, state, timeout, "--run-code", "--in-page-python")
        data["load_after"] = round(os.getloadavg()[0], 2)
        return data


def _row(what: str, r: Run, base: Run | None, n: int) -> str:
    added = (
        "| | |"
        if base is None
        else f"| {max(0.0, r.wall - base.wall):.1f} s | {max(0.0, r.wall - base.wall) * 1000 / n:.0f} ms |"
    )
    return f"| {what} | {r.wall:.1f} s | {r.cpu:.1f} s {added}"


def render(data: dict[str, Any], command: str) -> str:
    n, m, base = data["exercises"], data["machine"], data["check"]
    rows = [
        _row("`tracksite check` (no code run)", base, None, n),
        _row("`check --run-code`: CPython in the sandbox", data["cpython"], base, n),
        _row("`check --run-code` again: verdicts kept", data["kept"], base, n),
    ]
    if "page" in data:
        rows.append(_row("`check --run-code --in-page-python`: Pyodide under Node", data["page"], data["kept"], n))
    else:
        rows.append(f"| `--in-page-python` | not measured: {data['page_unavailable']} | | | |")
    return "\n".join(
        [
            START,
            "",
            f"## Proving {n:,} exercises: `check --run-code` and `--in-page-python`",
            "",
            f"Measured {data['date']} with `{command}` ({m.get('cpu', '?')}, {m.get('cores', '?')} cores shared "
            f"with other jobs, load average {m.get('load_before', '?')} before the run and "
            f"{data.get('load_after', '?')} after). A synthetic course of {n:,} runnable exercises, "
            f"{PER_LESSON} a lesson, each with starting code, a solution, two tests and a listed mistake: "
            "each check runs 3 programs an exercise (the solution must pass, the starting code and the "
            "mistake must fail, the mistake with its feedback). Each command in a process of its own, with a "
            "state folder of its own. The added time is over the row the run builds on: the check alone "
            "for CPython, the kept verdicts for the page's Python (whose CPython verdicts are kept). "
            "Processor time is the check's own: the operating system does not count the sandboxed "
            "programs' to it (bubblewrap runs them in a PID namespace of their own), so the runs are "
            "timed by the clock, which the machine's load stretches.",
            "",
            "| command | wall | the check's processor time | added wall | added an exercise |",
            "|---|---|---|---|---|",
            *rows,
            "",
            END,
            "",
        ]
    )


def keep_section(path: Path, text: str) -> str:
    """`text` (the page another benchmark writes) with this benchmark's section from `path`."""
    return keep_bench_section(path, text, START, END)


def cmd(args) -> int:
    command = f"tracksite bench --exercises {args.exercises}"
    section = render(run(args.exercises, args.timeout), command)
    print(section)
    if args.markdown:
        write_bench_section(Path(args.markdown), section, START, END)
        _log(f"wrote {args.markdown}")
    return 0
