"""Runnable exercises proved at check time: the author's solution passes its own tests, and the
starting code does not (an exercise the starting code already passes checks nothing).

Each exercise is run by the page's own runner (theme/assets/tracksite/runner.py) in a separate
CPython process: isolated (`-I`: no site-packages of the user, no PYTHON* variables, the script's
folder not on the path), in an empty temporary folder, with the block's time limit. The code is
the course's own, as trusted as the course's tests, which run in CPython too (docs/security.md).

Verdicts are kept by content in the course's state folder (core/localstate.py), keyed by the
runner, the Python that ran it and the block's code, tests, output, solution and time limit: a
check of an unchanged course starts no process, and an edit runs only the block it changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tracksite import theme
from tracksite.core import localstate
from tracksite.core import widgetregistry as W
from tracksite.core.checks.common import problems_of
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.schema.runnable import RUNNABLE
from tracksite.core.widgets.body import read_body
from tracksite.core.widgets.runnable import Runnable, parse_runnable

RUNNER = theme.ASSETS / "tracksite" / "runner.py"
#: The verdicts kept, in the course's "tracksite" state folder.
FILE = "runnable.json"
#: Seconds a process may take beyond the block's limits, to start Python.
SLACK = 3


@dataclass(frozen=True, eq=False)  # told apart by identity: its `lines` is a dict
class Exercise:
    path: Path
    line: int  # the file line of the block's header
    lines: dict  # body key path -> body line
    body_line: int
    value: Runnable

    def at(self, key: str) -> int:
        return self.body_line + self.lines.get((key,), 1) - 1


def exercises(project) -> list:
    """Every checked runnable exercise whose solution passes its tests and whose starting code
    does not; problems at the `solution:` or `code:` line."""
    found = list(_exercises(project))
    if not found:
        return []
    keys = {ex: _key(ex.value) for ex in found}
    kept = _load(project.root)
    missing = sorted({keys[ex]: ex for ex in found if keys[ex] not in kept}.items())
    if missing:
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            for key, verdicts in zip([k for k, _ in missing], pool.map(_run, [ex.value for _, ex in missing])):
                kept[key] = verdicts
        _save(project.root, {keys[ex]: kept[keys[ex]] for ex in found})
    out = problems_of(project)
    for ex in found:
        _report(out, ex, kept[keys[ex]])
    return out.items


#: The pass every check runs (core/checks/__init__.py finds it from the registry's `check`).
PASS = exercises


def _exercises(project):
    return exercises_in(project.documents)


def exercises_in(documents):
    """The checked runnable exercises of `documents`, in order."""
    for doc in documents:
        if W.RUNNABLE.name not in doc.body:
            continue
        blocks, _ = find_blocks(doc.body, doc.body_line)
        for block in iter_blocks(blocks):
            if block.name != W.RUNNABLE.name:
                continue
            body = textwrap.dedent(block.body)
            value, findings = parse_runnable(body)
            if value is None or not value.checked or not value.solution or any(f.severity == "error" for f in findings):
                continue
            lines = read_body(body, RUNNABLE, "expected a mapping with at least code:")[2]
            yield Exercise(doc.path, block.line, lines, block.body_line, value)


def _key(r: Runnable) -> str:
    blob = json.dumps([sys.version, r.code, r.tests, r.output, r.solution, r.timeout])
    return hashlib.sha256(RUNNER.read_bytes() + blob.encode("utf-8")).hexdigest()


def _run(r: Runnable) -> list:
    """[the solution's verdict, the starting code's] from the runner, or a verdict that says why
    there is none (the limit passed, the process failed)."""
    runs = [{"code": code, "tests": r.tests, "expected": r.output} for code in (r.solution, r.code)]
    with tempfile.TemporaryDirectory(prefix="tracksite-run-") as folder:
        try:
            done = subprocess.run(
                [sys.executable, "-I", str(RUNNER)],
                input=json.dumps(runs),
                capture_output=True,
                text=True,
                encoding="utf-8",
                cwd=folder,
                env={"PATH": os.environ.get("PATH", ""), "PYTHONIOENCODING": "utf-8"},
                timeout=2 * r.timeout + SLACK,
            )
        except subprocess.TimeoutExpired:
            return [{"status": "timeout"}, {"status": "timeout"}]
    try:
        verdicts = json.loads(done.stdout.strip().rsplit("\n", 1)[-1])
    except (ValueError, IndexError):
        return [{"status": "crashed", "detail": done.stderr.strip()[-300:]}] * 2
    return verdicts if isinstance(verdicts, list) and len(verdicts) == 2 else [{"status": "crashed"}] * 2


def _report(out, ex: Exercise, verdicts: list) -> None:
    solution, start = verdicts
    if solution.get("status") != "passed":
        out.add(
            ex.path,
            ex.at("solution"),
            f"the solution does not pass its own tests in CPython: {_why(solution, ex.value.timeout)}",
            field="runnable.solution",
            hint="run the solution and the tests together in Python, then fix whichever is wrong",
            code="TS431",
        )
    elif start.get("status") == "passed":
        out.add(
            ex.path,
            ex.at("code"),
            "the starting code already passes the tests, so the exercise checks nothing",
            field="runnable.code",
            hint="leave the part the learner writes undone in `code:`, or make the tests ask for it",
            code="TS432",
        )


def _why(verdict: dict, timeout: int) -> str:
    status = verdict.get("status")
    if status == "timeout":
        return f"it did not finish within {timeout} seconds"
    if status == "error":
        return f"the code raised {verdict.get('detail')} (line {verdict.get('line')})"
    if verdict.get("output"):
        return "it prints something other than `output:`"
    if status == "failed":
        return f"test line {verdict.get('line')} failed: {verdict.get('source')} ({verdict.get('detail')})"
    return f"Python stopped: {verdict.get('detail') or status}"


def _load(root: Path) -> dict:
    try:
        data = json.loads((localstate.folder(root, "tracksite", create=False) / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError, localstate.StateError):
        return {}
    return {k: v for k, v in data.items() if isinstance(v, list) and len(v) == 2} if isinstance(data, dict) else {}


def _save(root: Path, verdicts: dict) -> None:
    """Keep the verdicts of the course's exercises as they are now (older ones go)."""
    with contextlib.suppress(OSError, TypeError, ValueError, localstate.StateError):
        path = localstate.folder(root, "tracksite") / FILE
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(verdicts), encoding="utf-8")
        os.replace(tmp, path)
