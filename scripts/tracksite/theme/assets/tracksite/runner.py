"""The Python that runs a learner's code and checks it: one file for the page and the check.

The page's worker (runnable-worker.js) loads this file into Pyodide and calls `run` for every Run
and Check; `tracksite check` (core/checks/runnable.py) runs it with CPython as a script, with the
author's solution and the starting code, to prove that the solution passes its own tests and the
starting code does not. So "passed" means the same in both places: the code runs in a namespace
of its own, then the tests (asserts) run in that namespace, then the output it printed is
compared with the expected output, forgiving blank lines, runs of spaces and the spaces beside
brackets and commas, as a predict block compares an answer (predict.js's `canon`).

It imports only the standard library and nothing of tracksite: the browser has no tracksite.
"""

import builtins
import io
import json
import linecache
import re
import sys
import traceback

CODE, TESTS = "<code>", "<tests>"
#: Said with an import of what the page's Python does not have (core/widgets/pagepython.py's
#: AVAILABLE says the same to the author at check time).
AVAILABLE = (
    "Only Python's standard library is available here (math, random, collections, itertools, "
    "statistics, json, re, functools, ...): packages such as numpy or pandas are not installed."
)
NO_INPUT = (
    "input() cannot ask for text in this page: give the value in the code instead, "
    'for example name = "Ada" rather than name = input().'
)


def _no_input(prompt=""):
    """input() in the page: nobody can type into a Web Worker's stdin, so it says so plainly
    rather than raising the OSError or EOFError of an empty stdin."""
    raise RuntimeError(NO_INPUT)


def _register(source, filename):
    """The source under its name in linecache, so a traceback shows the learner's line, not just
    its number (`File "<code>", line 3` followed by the line itself)."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)


def _explain(exc):
    """A note on an exception the learner cannot act on from its message alone."""
    if isinstance(exc, ModuleNotFoundError) and exc.name and exc.name.split(".")[0] not in sys.stdlib_module_names:
        if hasattr(exc, "add_note") and AVAILABLE not in getattr(exc, "__notes__", ()):
            exc.add_note(AVAILABLE)


def canon(text):
    """Output as it is compared: the same forgiveness as predict.js's `canon`."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept = (re.sub(r" ?([,;:()\[\]{}]) ?", r"\1", re.sub(r"[ \t]+", " ", line.strip())) for line in lines)
    return "\n".join(line for line in kept if line)


class Tee(io.TextIOBase):
    """The code's stdout: written on as usual (the page shows it as it comes) and kept, for the
    comparison with the expected output."""

    def __init__(self, out):
        self.out, self.kept = out, io.StringIO()

    def writable(self):
        return True

    def write(self, text):
        self.kept.write(text)
        written = self.out.write(text)
        if "\n" in text:  # a line shows as it is printed, even before an endless loop
            self.out.flush()
        return written

    def flush(self):
        self.out.flush()


def _frames(tb):
    """The traceback's frames from the learner's code or the tests, not this runner's."""
    while tb is not None and tb.tb_frame.f_code.co_filename not in (CODE, TESTS):
        tb = tb.tb_next
    return tb


def _source_line(text, number):
    rows = text.split("\n")
    return rows[number - 1].strip() if 0 < number <= len(rows) else ""


def _run_part(source, filename, namespace):
    """Execute one part; None, or (the exception, its innermost line in `filename`)."""
    _register(source, filename)
    try:
        exec(compile(source, filename, "exec"), namespace)
    except BaseException as exc:  # noqa: BLE001 - the learner's code may raise anything, SystemExit too
        tb, line = _frames(exc.__traceback__), None
        for frame, number in traceback.walk_tb(tb):
            if frame.f_code.co_filename == filename:
                line = number
        if line is None and isinstance(exc, SyntaxError) and exc.filename == filename:
            line = exc.lineno
        _explain(exc)
        shown = traceback.TracebackException(type(exc), exc, _frames(exc.__traceback__))
        # this file's own frames (input() refused) are no part of the learner's story
        shown.stack = traceback.StackSummary.from_list([f for f in shown.stack if f.filename != __file__])
        sys.stderr.write("".join(shown.format()))
        return exc, line
    return None


def _detail(exc):
    """`NameError: name 'x' is not defined`, with the exception's notes (what is available)."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return " ".join([text, *getattr(exc, "__notes__", ())])


def run(code, tests=None, expected=None):
    """Run `code`, then `tests`, and compare the output with `expected`: a verdict as a dict.

    status: "ok" (ran, nothing to check), "error" (the code raised: its traceback went to
    stderr), "passed", or "failed" with `line` and `source` (the test that failed), `detail`
    (the exception's message) or `output` True (the printed output differs)."""
    namespace = {"__name__": "__main__", "__builtins__": builtins, "input": _no_input}
    out, sys.stdout = sys.stdout, Tee(sys.stdout)
    try:
        failed = _run_part(code, CODE, namespace)
        if failed is not None:
            return {"status": "error", "detail": _detail(failed[0]), "line": failed[1]}
        if tests:
            failed = _run_part(tests, TESTS, namespace)
            if failed is not None:
                exc, line = failed
                return {
                    "status": "failed",
                    # a test that does not hold (assert), or a test that could not run (a name
                    # the learner's code does not define): told apart on the page
                    "kind": "assert" if isinstance(exc, AssertionError) else "error",
                    "line": line,
                    "source": _source_line(tests, line or 0),
                    "message": str(exc),  # an assert's own message, as the author wrote it
                    "detail": _detail(exc),
                }
        printed = sys.stdout.kept.getvalue()
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout = out
    if expected is not None and canon(printed) != canon(expected):
        return {"status": "failed", "output": True, "printed": printed}
    return {"status": "passed" if tests or expected is not None else "ok"}


def main():
    """`python -I runner.py`: a JSON list of runs on stdin, each {code, tests, expected}; their
    verdicts as a JSON list on stdout, after whatever the runs printed has been set aside (and
    without it: the check needs the verdict, not the output, which a run can make huge)."""
    runs = json.loads(sys.stdin.read())
    real, sys.stdout, sys.stderr = sys.stdout, io.StringIO(), io.StringIO()
    verdicts = [run(r["code"], r.get("tests"), r.get("expected")) for r in runs]
    for verdict in verdicts:
        verdict.pop("printed", None)
    real.write("\n" + json.dumps(verdicts) + "\n")


if __name__ == "__main__":
    main()
