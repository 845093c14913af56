"""Runnable exercises proved at check time: the author's solution passes its own tests, and the
starting code does not (an exercise the starting code already passes checks nothing).

The code is run only when the person who runs the command asks: `tracksite check --run-code`,
or TRACKSITE_RUN_CODE=1 in the environment (`SiteConfig.run_code`), never mkdocs.yml, which a pull
request changes as easily as a lesson (its `run_code: true` is TS436). A pull request writes `solution:`
and `tests:` as easily as prose, so a check, a build, `mkdocs serve`, the language server and an
import run none of it by default; they judge what can be judged without running it (the solution
and the tests must be Python, TS433; imports the browser lacks are TS430, core/widgets/pagepython.py)
and say how many exercises were not run (`not_run`).

When asked, each exercise is run by the page's own runner (theme/assets/tracksite/runner.py) in
the sandbox of core/sandbox.py: no files, no network, no other process, limits on time, memory
and writes. Without a sandbox nothing runs, and the check says why (TS434). Its solution must
pass, its starting code must not, and each mistake its author lists (`mistakes:`) must fail with
the feedback the author gave (TS436). With `--in-page-python` the same runs happen again in the
page's own Python (the section at the end of this module).

Verdicts are kept by content in the course's state folder (core/localstate.py), keyed by the
runner, the Python that ran it and the block's code, tests, output, solution and time limit: a
check of an unchanged course starts no process, and an edit runs only the block it changed.
"""

from __future__ import annotations

import ast
import contextlib
import hashlib
import json
import os
import shutil
import sys
import tempfile
import textwrap
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from tracksite import theme
from tracksite.core import localstate, sandbox
from tracksite.core import widgetregistry as W
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.problems.problem import ProblemList
from tracksite.core.widgets import knownfailures as known
from tracksite.core.widgets.body import read_body
from tracksite.core.widgets.pagepython import first_code_line
from tracksite.core.widgets.runnable.body import RUNNABLE, Runnable, parse_runnable

RUNNER = theme.ASSETS / "tracksite" / "runner.py"
#: The verdicts kept, in the course's "tracksite" state folder.
FILE = "runnable.json"
#: Seconds a process may take beyond the block's limits, to start Python.
SLACK = 3
#: Part of every verdict's key: a verdict found outside the sandbox (before it) is not reused.
HOW = "bubblewrap-2"  # 2: no capability, nobody's uid, read-only /dev and /proc (issue 81)


@dataclass(frozen=True, eq=False)  # told apart by identity: its `lines` is a dict
class Exercise:
    path: Path
    line: int  # the file line of the block's header
    lines: dict  # body key path -> body line
    body_line: int
    value: Runnable
    starts: dict  # field -> body line of its code's first line
    title: str = ""  # the block's title (`/// runnable | Title`): knownfailures.py's entries name it

    def at(self, key: str | tuple) -> int:
        return self.body_line + self.lines.get(key if isinstance(key, tuple) else (key,), 1) - 1

    def code_line(self, key: str, line: int) -> int:
        """The file line of line `line` of a field's code."""
        return self.body_line + self.starts.get(key, 1) + line - 2


def exercises(project) -> list:
    """Every checked runnable exercise whose solution passes its tests and whose starting code
    does not; problems at the `solution:` or `code:` line."""
    found = list(_exercises(project))
    if not found:
        return []
    out = ProblemList(project.root)  # paths shown relative to the project root
    found = [ex for ex in found if not _syntax(out, ex)]
    if not found or not runs_code(project):
        return out.items
    reason = sandbox.unavailable()
    if reason:
        out.add(
            found[0].path,
            found[0].at("solution"),
            f"the exercises were not run: {reason}",
            field="runnable.solution",
            hint=f"run them where bubblewrap can make a user namespace (Linux, as CI runs), or unset {sandbox.ASK}",
            code="TS434",
        )
        return out.items
    keys = {ex: _key(ex.value) for ex in found}
    kept = _load(project.root)
    missing = sorted({keys[ex]: ex for ex in found if keys[ex] not in kept}.items())
    if missing:
        with ThreadPoolExecutor(max_workers=max(1, min(4, os.cpu_count() or 1))) as pool:
            for key, verdicts in zip([k for k, _ in missing], pool.map(_run, [ex.value for _, ex in missing])):
                kept[key] = verdicts
    clean, failing = [], {}  # failing: (exercise, "cpython" or "page") -> the problems its runs added
    for ex in found:
        before = len(out.items)
        _report(out, ex, kept[keys[ex]], "in CPython")
        failing[(ex, "cpython")] = out.items[before:]
        if len(out.items) == before:
            clean.append(ex)
    page = _in_page(project, out, found, clean, kept, failing) if in_page(project) else {}
    known.apply(project, out, found, failing, "keys" in page)
    if missing or page.get("ran"):
        _save(project.root, {k: kept[k] for k in [*keys.values(), *page.get("keys", ())]})
    return out.items


def in_page(project) -> bool:
    """Whether this check also runs the exercises in the page's own Python (`--in-page-python`)."""
    site = getattr(project, "site", None)
    return bool(site is not None and getattr(site.config, "run_code_in_page", False))


def _in_page(project, out, found: list, clean: list, kept: dict, failing: dict) -> dict:
    """The exercises run again in the page's Python (inpage.py), all in one process; what fails
    there but not in CPython is reported as CPython's failures are, saying where."""
    reason = page_unavailable()
    if reason:
        out.add(found[0].path, found[0].at("solution"), f"the exercises were not run in the page's Python: {reason}",
                field="runnable.solution", hint="install Node where the check runs, or leave out --in-page-python",
                code="TS434")  # fmt: skip
        return {}
    keys = {ex: page_key(_blob(ex.value).encode("utf-8")) for ex in found}
    todo = sorted({keys[ex]: ex for ex in found if keys[ex] not in kept}.items())
    runs: list[dict] = []
    spans = []
    for key, ex in todo:
        spans.append((key, len(runs), len(_runs(ex.value))))
        runs += _runs(ex.value)
    if runs:
        verdicts = run_in_page(runs, sum(ex.value.timeout * len(_runs(ex.value)) for _, ex in todo))
        for key, start, n in spans:
            kept[key] = verdicts[start : start + n]
    for ex in clean:  # a failure CPython shares is said once, by CPython
        before = len(out.items)
        _report(out, ex, kept[keys[ex]], "in the page's Python (Pyodide)")
        failing[(ex, "page")] = out.items[before:]
    return {"keys": list(keys.values()), "ran": bool(runs)}


#: The pass every check runs (core/checks/__init__.py finds it from the registry's `check`).
PASS = exercises


def _exercises(project):
    return exercises_in(project.documents)


def runs_code(project) -> bool:
    """Whether this check runs the exercises: only when asked (`SiteConfig.run_code`)."""
    site = getattr(project, "site", None)
    return bool(site is not None and getattr(site.config, "run_code", False))


def not_run(project) -> int:
    """How many exercises this check judged without running them (0 when it ran them): what
    `tracksite check` and the build say in a note."""
    return 0 if runs_code(project) else sum(1 for _ in exercises_in(project.documents))


def _syntax(out, ex: Exercise) -> bool:
    """Whether the solution or the tests are not Python (reported at their line): judged without
    running them. The starting code may be broken on purpose (an exercise in fixing it)."""
    bad = False
    for name, code in (("solution", ex.value.solution), ("tests", ex.value.tests)):
        try:
            compile(code or "", f"<{name}>", "exec", flags=ast.PyCF_ONLY_AST, dont_inherit=True)
        except (SyntaxError, ValueError) as e:
            line = getattr(e, "lineno", None) or 1
            out.add(
                ex.path,
                ex.code_line(name, line),
                f"the {name} is not valid Python: {getattr(e, 'msg', None) or e}",
                field=f"runnable.{name}",
                hint="fix it as Python reports it; the page would fail the same way",
                code="TS433",
            )
            bad = True
    return bad


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
            starts = {name: first_code_line(body, lines.get((name,))) for name in ("solution", "tests")}
            yield Exercise(doc.path, block.line, lines, block.body_line, value, starts, (block.argument or "").strip())


def _key(r: Runnable) -> str:
    blob = json.dumps([HOW, sys.version, _blob(r)])
    return hashlib.sha256(RUNNER.read_bytes() + blob.encode("utf-8")).hexdigest()


def _blob(r: Runnable) -> str:
    """What an exercise's verdicts depend on, besides the runner and the Python that runs it."""
    mistakes = [m.code for m in r.mistakes]
    return json.dumps([r.code, r.tests, r.output, r.solution, r.timeout, mistakes])


def _runs(r: Runnable) -> list[dict]:
    """The runs that prove an exercise: its solution, its starting code, then each listed mistake."""
    codes = [r.solution, r.code, *(m.code for m in r.mistakes)]
    return [{"code": code, "tests": r.tests, "expected": r.output} for code in codes]


def _run(r: Runnable) -> list:
    """[the solution's verdict, the starting code's, then each listed mistake's] from the runner,
    or verdicts that say why there are none (the limit passed, the process failed)."""
    runs = _runs(r)
    n = len(runs)
    try:
        done = sandbox.run_python(RUNNER, json.dumps(runs), n * r.timeout + SLACK)
    except (sandbox.Unavailable, OSError) as e:
        return [{"status": "crashed", "detail": str(e)}] * n
    if done.returncode is None:
        return [{"status": "timeout"}] * n
    try:
        verdicts = json.loads(done.stdout.strip().rsplit("\n", 1)[-1])
    except (ValueError, IndexError):
        return [{"status": "crashed", "detail": done.stderr.strip()[-300:]}] * n
    return verdicts if isinstance(verdicts, list) and len(verdicts) == n else [{"status": "crashed"}] * n


def _report(out, ex: Exercise, verdicts: list, where: str) -> None:
    solution, start = verdicts[:2]
    for number, (mistake, verdict) in enumerate(zip(ex.value.mistakes, verdicts[2:])):
        _report_mistake(out, ex, number, mistake, verdict, where)
    if solution.get("status") != "passed":
        out.add(
            ex.path,
            ex.at("solution"),
            f"the solution does not pass its own tests {where}: {_why(solution, ex.value.timeout)}",
            field="runnable.solution",
            hint="run the solution and the tests together in Python, then fix whichever is wrong",
            code="TS431",
        )
    elif start.get("status") == "passed":
        out.add(
            ex.path,
            ex.at("code"),
            f"the starting code already passes the tests {where}, so the exercise checks nothing",
            field="runnable.code",
            hint="leave the part the learner writes undone in `code:`, or make the tests ask for it",
            code="TS432",
        )


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def _report_mistake(out, ex: Exercise, number: int, mistake, verdict: dict, where: str) -> None:
    """A listed mistake must fail the checks, and what the learner is told (runner.py's `said`)
    must hold its `feedback:`: TS436 at the mistake's line otherwise."""
    status = verdict.get("status")
    if status in ("failed", "error") and _words(mistake.feedback) in _words(verdict.get("said", "")):
        return
    if status == "passed":
        message = f"mistake {number + 1} passes the checks {where}: the tests do not catch it"
        hint = "add a test that this wrong answer fails, with a message that says what is wrong"
    elif status in ("failed", "error"):
        told = " ".join(verdict.get("said", "").split())[:300]
        message = (
            f"mistake {number + 1} is caught {where}, but the learner is told {told!r}, without {mistake.feedback!r}"
        )
        hint = "make the test that catches it say so (the assert's message), or change `feedback:`"
    else:
        message = f"mistake {number + 1} could not be judged {where}: {_why(verdict, ex.value.timeout)}"
        hint = "a mistake must finish within the block's timeout, as a learner's code must"
    out.add(ex.path, ex.at(("mistakes", number)), message, field="runnable.mistakes", hint=hint, code="TS436")


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
    return {k: v for k, v in data.items() if isinstance(v, list) and len(v) >= 2} if isinstance(data, dict) else {}


def _save(root: Path, verdicts: dict) -> None:
    """Keep the verdicts of the course's exercises as they are now (older ones go)."""
    with contextlib.suppress(OSError, TypeError, ValueError, localstate.StateError):
        path = localstate.folder(root, "tracksite") / FILE
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(verdicts), encoding="utf-8")
        os.replace(tmp, path)


# -- the page's own Python: `check --run-code --in-page-python` -------------------------------
# Exercises proved in the learners' own Python: `tracksite check --run-code --in-page-python`.
#
# CPython and the page's Python differ (Pyodide: CPython compiled to WebAssembly, `sys.platform`
# "emscripten", a smaller stack, no threads or processes), so a solution can pass the check and
# fail in the page. Asked for, every exercise's solution, starting code and listed mistakes also
# run in the Pyodide the site ships (theme/assets/tracksite/pyodide/), under Node, inside the same
# sandbox as CPython's runs (core/sandbox.py's `run_program`: an empty read-only root, no network,
# no other process, limits), through the page's own runner (runner.py's `run_all`, inpage.mjs).
#
# Pyodide takes seconds to start, so one process runs every exercise that needs it, and the
# verdicts are kept by content beside CPython's (check.py's state file), under keys of their own.
# V8 reserves gigabytes of address space for a WebAssembly memory unless its bounds are checked
# inline (`--disable-wasm-trap-handler`): with it, the run fits `MEMORY` of address space.

PYODIDE = theme.ASSETS / "tracksite" / "pyodide"
DRIVER = Path(__file__).with_name("inpage.mjs")
#: Address space for Node and Pyodide; seconds for Node to load Pyodide, beyond the runs' limits.
PAGE_MEMORY = 3 * 2**30
PAGE_START = 90
#: What the sandbox shows of Pyodide, under the names Node imports modules by.
PAGE_FILES = {
    "pyodide.mjs": "pyodide.js",
    "pyodide.asm.mjs": "pyodide.asm.js",
    "pyodide.asm.wasm": "pyodide.asm.wasm",
    "python_stdlib.zip": "python_stdlib.zip",
    "pyodide-lock.json": "pyodide-lock.json",
}
INSIDE = "/tracksite/"


def page_unavailable() -> str | None:
    """Why the page's Python cannot run here (None: it can)."""
    reason = sandbox.unavailable()
    if reason:
        return reason
    if _node() is None:
        return "the page's Python runs under Node, which is not installed (install `nodejs`, 18 or later)"
    missing = [name for name in PAGE_FILES.values() if not (PYODIDE / name).is_file()]
    return f"the site's Pyodide lacks {', '.join(missing)}" if missing else None


def _node() -> str | None:
    found = shutil.which("node") or shutil.which("nodejs")
    return str(Path(found).resolve()) if found else None


def page_key(blob: bytes) -> str:
    """A verdict's key in the page's Python: the CPython key's content, Pyodide's lock file (its
    version and build) and this driver."""
    lock = (PYODIDE / "pyodide-lock.json").read_bytes() if (PYODIDE / "pyodide-lock.json").is_file() else b""
    return "pyodide:" + hashlib.sha256(lock + DRIVER.read_bytes() + blob).hexdigest()


def run_in_page(runs: list[dict], seconds: float) -> list[dict]:
    """The verdicts of `runs` in the page's Python, or as many verdicts that say why there are
    none (the time passed, Node failed)."""
    node = _node()
    if node is None:
        return [{"status": "crashed", "detail": "Node is not installed"}] * len(runs)
    with tempfile.TemporaryDirectory(prefix="tracksite-inpage-") as folder:
        given = Path(folder) / "runs.json"
        given.write_text(json.dumps(runs), encoding="utf-8")
        files = {INSIDE + "pyodide/" + inside: PYODIDE / name for inside, name in PAGE_FILES.items()}
        files |= {INSIDE + "runner.py": RUNNER, INSIDE + "inpage.mjs": DRIVER, INSIDE + "runs.json": given}
        argv = [node, "--disable-wasm-trap-handler", INSIDE + "inpage.mjs", INSIDE + "pyodide/", INSIDE + "runner.py"]
        limits = sandbox.Limits(seconds=PAGE_START + seconds, memory=PAGE_MEMORY, scratch=sandbox.SCRATCH)
        with tempfile.TemporaryFile() as handed:
            try:
                done = sandbox.run_program(
                    [*argv, INSIDE + "runs.json"],
                    readonly=[Path(node).parent.parent],
                    files=files,
                    env={"HOME": "/tmp"},
                    limits=limits,
                    output=handed.fileno(),
                )
            except (sandbox.Unavailable, OSError) as e:
                return [{"status": "crashed", "detail": str(e)}] * len(runs)
    if done.returncode is None:
        return [{"status": "timeout"}] * len(runs)
    try:
        verdicts = json.loads(done.stdout.strip().rsplit("\n", 1)[-1])
    except (ValueError, IndexError):
        return [{"status": "crashed", "detail": done.stderr.strip()[-300:]}] * len(runs)
    ok = isinstance(verdicts, list) and len(verdicts) == len(runs)
    return verdicts if ok else [{"status": "crashed"}] * len(runs)
