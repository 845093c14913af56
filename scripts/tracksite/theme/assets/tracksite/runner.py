"""The Python that runs a learner's code and checks it: one file for the page and the check.

The page's worker (runnable-worker.js) loads this file into Pyodide and calls `run` for every Run
and Check; `tracksite check` (core/widgets/runnable/check.py) runs it with CPython as a script, with the
author's solution and the starting code, to prove that the solution passes its own tests and the
starting code does not. So "passed" means the same in both places: the code runs in a namespace
of its own, then the tests (asserts) run in that namespace, then the output it printed is
compared with the expected output, forgiving blank lines, runs of spaces and the spaces beside
brackets and commas, as a predict block compares an answer (predict.js's `canon`).

It imports only the standard library and nothing of tracksite: the browser has no tracksite.
"""

import ast
import builtins
import io
import json
import linecache
import re
import reprlib
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


#: Operators an assert's comparison is told with (what the written message quotes).
_OPS = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
    ast.Is: "is",
    ast.IsNot: "is not",
    ast.In: "in",
    ast.NotIn: "not in",
}
FAILED = "_tracksite_failed_"


class Compared(AssertionError):
    """A test's assert that did not hold, with the values it compared (`assert got == want`:
    both), so that the learner reads what their code gave, not only that it was wrong. A kind of
    AssertionError: a test that catches AssertionError still catches it."""

    def __init__(self, message, test, sides, op):
        super().__init__(*(() if message is None else (message,)))
        self.message, self.test, self.sides, self.op = message, test, sides, op


# the learner's traceback names it as the assert it stands for
Compared.__name__ = Compared.__qualname__ = "AssertionError"
Compared.__module__ = "builtins"


class _Asserts(ast.NodeTransformer):
    """The tests' asserts that compare two values (`a == b`) or call a function on some
    (`isclose(a, b)`), rewritten to keep those values: each part is evaluated once, as the
    assert would, and given to Compared when the assert does not hold."""

    def __init__(self, source):
        self.source = source

    def visit_Assert(self, node):
        test = node.test
        if isinstance(test, ast.Compare) and len(test.ops) == 1:
            parts, op = [test.left, test.comparators[0]], _OPS.get(type(test.ops[0]))
        elif (
            isinstance(test, ast.Call)
            and 0 < len(test.args) <= 4
            # a generator's or a function's value says nothing to the learner: `all(...)` is told by its source
            and not any(isinstance(a, (ast.Starred, ast.GeneratorExp, ast.Lambda)) for a in test.args)
        ):
            parts, op = list(test.args), None
        else:
            return node
        kept = {id(n) for part in (test, node.msg) if part is not None for n in ast.walk(part)}
        names = [f"_tracksite_{i}_" for i in range(len(parts))]

        def value(i):
            return ast.Name(names[i], ast.Load())

        if op is None:
            check = ast.Call(test.func, [value(i) for i in range(len(parts))], test.keywords)
        else:
            check = ast.Compare(value(0), test.ops, [value(1)])
        segment = lambda n: ast.get_source_segment(self.source, n) or ""  # noqa: E731
        sides = ast.Tuple(
            [ast.Tuple([ast.Constant(segment(p)), value(i)], ast.Load()) for i, p in enumerate(parts)], ast.Load()
        )
        message = node.msg or ast.Constant(None)
        fail = ast.Call(
            ast.Name(FAILED, ast.Load()), [message, ast.Constant(segment(test)), sides, ast.Constant(op)], []
        )
        keep = ast.Assign(
            [ast.Tuple([ast.Name(n, ast.Store()) for n in names], ast.Store())], ast.Tuple(parts, ast.Load())
        )
        out = [keep, ast.If(ast.UnaryOp(ast.Not(), check), [ast.Raise(fail, None)], [])]
        for new in out:  # the new nodes stand at the assert's place; its own parts keep theirs
            for child in ast.walk(new):
                if id(child) not in kept:
                    ast.copy_location(child, node)
        return out


def _compile(source, filename):
    """The code as Python compiles it; the tests with their asserts rewritten (_Asserts)."""
    if filename != TESTS:
        return compile(source, filename, "exec")
    tree = _Asserts(source).visit(ast.parse(source, filename))
    return compile(ast.fix_missing_locations(tree), filename, "exec")


def _run_part(source, filename, namespace):
    """Execute one part; None, or the exception it raised (its traceback written to stderr)."""
    _register(source, filename)
    try:
        exec(_compile(source, filename), namespace)
    except BaseException as exc:  # noqa: BLE001 - the learner's code may raise anything, SystemExit too
        _explain(exc)
        shown = traceback.TracebackException(type(exc), exc, _frames(exc.__traceback__))
        # this file's own frames (input() refused) are no part of the learner's story
        shown.stack = traceback.StackSummary.from_list([f for f in shown.stack if f.filename != __file__])
        sys.stderr.write("".join(shown.format()))
        return exc
    return None


#: Frames of their own before Python 3.12 (PEP 709), none of the learner's story.
_COMPREHENSIONS = ("<listcomp>", "<dictcomp>", "<setcomp>", "<genexpr>")


def _lines(exc, filename):
    """The lines of `filename` the traceback passes through, outermost first, each with its
    function: [(line, name)]; a SyntaxError's own line when it is one of `filename`'s."""
    found = [
        (n, f.f_code.co_name)
        for f, n in traceback.walk_tb(exc.__traceback__)
        if f.f_code.co_filename == filename and f.f_code.co_name not in _COMPREHENSIONS
    ]
    if not found and isinstance(exc, SyntaxError) and exc.filename == filename and exc.lineno:
        found = [(exc.lineno, "<module>")]
    return found


def _detail(exc):
    """`NameError: name 'x' is not defined`, with the exception's notes (what is available)."""
    text = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    return " ".join([text, *getattr(exc, "__notes__", ())])


def _in_code(exc, code):
    """Where the learner's code raised: its innermost line (marked in the editor), that line's
    text, and the lines of the code that led there (`calls`: outermost first, with functions)."""
    found = _lines(exc, CODE)
    if not found:
        return {}
    line, name = found[-1]
    out = {"line": line, "codeSource": _source_line(code, line)}
    if name != "<module>":
        out["function"] = name
    if len(found) > 1:
        out["calls"] = [[n, f] for n, f in found[:-1]]
    return out


def _code_error(exc, code):
    return {"status": "error", "detail": _detail(exc), "line": None, **_in_code(exc, code)}


def _shown(value):
    return _REPR.repr(value)


_REPR = reprlib.Repr()
_REPR.maxstring, _REPR.maxother, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict = 120, 120, 12, 12, 8


def _fragment(node):
    """An author's message as text without running it: an f-string's words with … for its values."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "…" for v in node.values)
    return ""


def _prepared(tests, line):
    """When a test that is not an assert (`wide = f(...)`) raised, the assert it prepares: the first
    later assert that reads a name the statement binds, with the author's message for it (what the
    learner should have been told), as {line, message}; None when there is none."""
    try:
        tree = ast.parse(tests)
    except SyntaxError:
        return None
    body = tree.body
    at = next((i for i, s in enumerate(body) if s.lineno <= line <= (s.end_lineno or s.lineno)), None)
    if at is None or isinstance(body[at], ast.Assert):
        return None
    bound = {n.id for n in ast.walk(body[at]) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    for statement in body[at + 1 :]:
        for node in ast.walk(statement):
            if isinstance(node, ast.Assert) and bound & {n.id for n in ast.walk(node.test) if isinstance(n, ast.Name)}:
                said = _fragment(node.msg) if node.msg else ""
                return {"line": node.lineno, "message": said} if said else None
    return None


def _test_failure(exc, tests, code):
    """A test that did not hold (an assert of the tests) or could not run (it raised, in the
    tests or in the learner's code it called): what failed, the author's message, the values
    compared, and the learner's line when the error came from their code."""
    in_tests = _lines(exc, TESTS)
    line = in_tests[-1][0] if in_tests else None
    innermost = next(
        (
            f.f_code.co_filename
            for f, _ in reversed(list(traceback.walk_tb(exc.__traceback__)))
            if f.f_code.co_filename in (CODE, TESTS)
        ),
        TESTS,
    )
    asserted = isinstance(exc, AssertionError) and innermost == TESTS
    verdict = {
        "status": "failed",
        "kind": "assert" if asserted else "error",
        "line": line,
        "source": _source_line(tests, line or 0),
        "message": str(exc) if asserted else "",
        "detail": _detail(exc),
    }
    if asserted and line:
        written = _assert_test(tests, line)
        if written:
            verdict["test"] = written
    if isinstance(exc, Compared):
        verdict["message"] = exc.message if exc.message is not None else ""
        verdict["test"] = exc.test  # the message written from the assert when the author wrote none
        verdict["sides"] = [[source, _shown(value), _literal(source)] for source, value in exc.sides]
        verdict["op"] = exc.op
    if not asserted:
        code_at = _in_code(exc, code)
        if code_at:
            verdict["code"] = code_at
        verdict["missing"] = isinstance(exc, NameError) and innermost == TESTS
        prepared = _prepared(tests, in_tests[0][0]) if in_tests else None
        if prepared:
            verdict["prepares"] = prepared
    return verdict


def _assert_test(tests, line):
    """The condition of the assert at `line` of the tests, as written: the message of an assert
    that has none of its own."""
    try:
        tree = ast.parse(tests)
    except SyntaxError:
        return ""
    found = [n for n in ast.walk(tree) if isinstance(n, ast.Assert) and n.lineno == line]
    return (ast.get_source_segment(tests, found[0].test) or "") if found else ""


def _literal(source):
    """Whether a compared side is written out in the test (`[1.0, 0.0]`): the value expected."""
    try:
        ast.literal_eval(source)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False
    return True


def _run_tests(tests, namespace, code):
    """The tests, after the code, in its namespace: a passed verdict when they hold, else a failed one.
    What they print (a learner's function called by them prints too) and their traceback are kept
    apart from the learner's own output, as `checksPrinted`."""
    out, err = sys.stdout, sys.stderr
    sys.stdout = sys.stderr = apart = io.StringIO()
    try:
        exc = _run_part(tests, TESTS, namespace)
    finally:
        sys.stdout, sys.stderr = out, err
    verdict = {"status": "passed"} if exc is None else _test_failure(exc, tests, code)
    printed = apart.getvalue()
    if printed:
        verdict["checksPrinted"] = printed[:SHOWN_APART]
    return verdict


#: Characters of what the tests printed that a verdict carries.
SHOWN_APART = 4000


def run(code, tests=None, expected=None):
    """Run `code`, then `tests`, and compare the output with `expected`: a verdict as a dict.

    status: "ok" (ran, nothing to check), "error" (the code raised: its traceback went to
    stderr; `line` is the learner's), "passed", or "failed": a test (`kind` "assert" or "error",
    its `line` and `source`, the author's `message`, the exception's `detail`, for an assert that
    compares the compared `sides`, for an error raised in the learner's code that code's `code`
    line) or the printed output (`output` True). When the code raised and a test's assert then
    fails too, the test is the verdict (its author wrote its message for the learner) and the
    code's error goes with it as `codeError`."""
    namespace = {"__name__": "__main__", "__builtins__": builtins, "input": _no_input, FAILED: Compared}
    out, sys.stdout = sys.stdout, Tee(sys.stdout)
    try:
        exc = _run_part(code, CODE, namespace)
        printed = sys.stdout.kept.getvalue()
        crashed = _code_error(exc, code) if exc is not None else None
        verdict = None
        if tests and not isinstance(exc, SyntaxError):
            verdict = _run_tests(tests, namespace, code)
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        sys.stdout = out
    if crashed is not None:
        if verdict is None or verdict.get("kind") != "assert":
            return crashed
        verdict["codeError"] = crashed
    if verdict is not None and verdict["status"] != "passed":
        return verdict
    apart = {"checksPrinted": verdict["checksPrinted"]} if verdict and "checksPrinted" in verdict else {}
    if expected is not None and canon(printed) != canon(expected):
        return {"status": "failed", "output": True, "printed": printed, **apart}
    return {"status": "passed" if tests or expected is not None else "ok", **apart}


def said(verdict):
    """The words a verdict gives the learner, whatever the page's language: the author's
    message (or the one the check it prepares carries), the test, the values compared, the error.
    What an author's `mistakes:` feedback is looked for in (core/widgets/runnable/check.py)."""
    message, detail = verdict.get("message"), verdict.get("detail")
    parts = [message, verdict.get("test"), detail if not message or message not in (detail or "") else None]
    parts += [(verdict.get("prepares") or {}).get("message")]
    parts += [f"{source} = {value}" for source, value, _ in verdict.get("sides") or ()]
    parts += [(verdict.get("codeError") or {}).get("detail")]
    if verdict.get("output"):
        parts.append("the output is not the expected one")
    return " ".join(p for p in parts if p)


def run_all(text):
    """A JSON list of runs, each {code, tests, expected}: their verdicts as a JSON list, each with
    what it says (`said`) and without what the code printed. What `tracksite check --run-code`
    reads, from CPython (main) and from the page's own Python under Node (pyodide-check.mjs)."""
    verdicts = [run(r["code"], r.get("tests"), r.get("expected")) for r in json.loads(text)]
    for verdict in verdicts:
        verdict.pop("printed", None)
        verdict["said"] = said(verdict)
    return json.dumps(verdicts)


def main():
    """`python -I runner.py`: the runs on stdin; their verdicts on stdout's last line, after
    whatever the runs printed has been set aside (the check needs the verdict, not the output,
    which a run can make huge)."""
    text = sys.stdin.read()
    real, sys.stdout, sys.stderr = sys.stdout, io.StringIO(), io.StringIO()
    real.write("\n" + run_all(text) + "\n")


if __name__ == "__main__":
    main()
