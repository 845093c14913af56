"""`/// runnable`: Python the learner edits and runs in the page, and an exercise the page checks.

Reading code is half of learning it; changing it and seeing what happens is the other half. The
block holds the starting code and, for an exercise, the tests (asserts, or the exact output) and
the author's solution. The page runs it in Pyodide, CPython compiled to WebAssembly and served by
the site itself (theme/assets/tracksite/pyodide/), so only the standard library is there: an
import of anything else is reported here, at its line, with the modules that are.

The body is YAML, like a predict block's, so the code is taken literally. Running the solution
against its tests happens in `tracksite check` (core/checks/runnable.py), not here: a parse is
memoised text to value and must stay cheap, because the build's renderer calls it too.
"""

from __future__ import annotations

import ast
import re

from tracksite.core import widgetregistry as W
from tracksite.core.markdown.blocks import find_blocks, iter_blocks
from tracksite.core.problems.findings import Finding
from tracksite.core.schema.language import INVALID
from tracksite.core.schema.runnable import RUNNABLE
from tracksite.core.widgets.body import Body, read_body
from tracksite.core.widgets.shapes import RunnableFields

#: The standard library's modules that import in the browser's runtime (Pyodide 314.0.7, CPython
#: 3.14): `sys.stdlib_module_names` of that runtime, less those whose import fails there (curses,
#: dbm, tkinter, readline, venv, pwd, grp, resource...), tried one by one in Pyodide itself.
#: Private modules (`_name`) are left to the runtime.
BROWSER_MODULES = frozenset(
    """
    abc annotationlib argparse array ast asyncio atexit base64 bdb binascii bisect builtins bz2 cProfile
    calendar cmath cmd code codecs codeop collections colorsys compileall compression concurrent
    configparser contextlib contextvars copy copyreg csv ctypes dataclasses datetime decimal difflib dis
    doctest email encodings enum errno faulthandler fcntl filecmp fileinput fnmatch fractions ftplib
    functools gc genericpath getopt getpass gettext glob graphlib gzip hashlib heapq hmac html http
    imaplib importlib inspect io ipaddress itertools json keyword linecache locale logging lzma mailbox
    marshal math mimetypes mmap modulefinder multiprocessing netrc ntpath nturl2path numbers opcode
    operator optparse os pathlib pdb pickle pickletools pkgutil platform plistlib poplib posix posixpath
    pprint profile pstats pty py_compile pyclbr pydoc pyexpat queue quopri random re reprlib rlcompleter
    runpy sched secrets select selectors shelve shlex shutil signal site smtplib socket socketserver
    sqlite3 sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct subprocess
    symtable sys sysconfig tabnanny tarfile tempfile termios textwrap this threading time timeit token
    tokenize tomllib trace traceback tracemalloc tty types typing unicodedata unittest urllib uuid
    warnings wave weakref webbrowser wsgiref xml xmlrpc zipapp zipfile zipimport zlib zoneinfo
    """.split()
)
#: What a message names as the modules a learner can import, in words.
AVAILABLE = "Python's standard library only (math, random, collections, itertools, statistics, json, re, ...)"
_BLOCK_SCALAR = re.compile(r"^[^:]*:\s*[|>]")


class Runnable(RunnableFields):
    """A runnable block's body, with what the page and the check ask of it."""

    @property
    def checked(self) -> bool:
        """An exercise the page checks (a Check button and a verdict), not a free snippet."""
        return bool(self.tests or self.output)


def parse_runnable(body: str) -> tuple[Runnable | None, list[Finding]]:
    value, findings, lines = read_body(body, RUNNABLE, "expected a mapping with at least code:")
    if value is INVALID:
        return None, findings
    findings = list(findings)  # the read is memoised: never extend its list
    for name in ("code", "tests", "solution"):
        if value[name]:
            findings += import_findings(value[name], first_code_line(body, lines.get((name,))), name)
    return Runnable(**value), findings


def first_code_line(body: str, key_line: int | None) -> int:
    """The body line of a field's first line of code: the line after `code: |`, or the key's own
    line when the code is written beside it."""
    if key_line is None:
        return 1
    rows = body.split("\n")
    row = rows[key_line - 1] if 0 < key_line <= len(rows) else ""
    return key_line + 1 if _BLOCK_SCALAR.match(row) else key_line


def imported(code: str) -> list[tuple[int, str]]:
    """(line in the code, top-level module) of every absolute import the code makes; none when
    the code does not parse (the run at check time says why)."""
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module.split(".")[0]))
    return found


def import_findings(code: str, first_line: int, field: str) -> list[Finding]:
    """A located error for each import the browser's runtime cannot satisfy (`first_line`: the
    body line of the code's first line)."""
    return [
        Finding(
            first_line + line - 1,
            f"imports {module!r}, which the page's Python does not have",
            field,
            f"the browser runs {AVAILABLE}; third-party packages such as numpy are not available",
            code="TS430",
        )
        for line, module in imported(code)
        if module not in BROWSER_MODULES and not module.startswith("_")
    ]


_RUNS_IN_PREDICT = re.compile(r"^\s*runnable:\s*true\s*$", re.M)


def runs_code(text: str) -> bool:
    """Whether a page's Markdown runs Python in the page: a runnable block, or a predict block
    with `runnable: true`. The site publishes the interpreter only when some page does."""
    if W.RUNNABLE.name not in text:
        return False
    blocks, _ = find_blocks(text)
    return any(
        b.name == W.RUNNABLE.name or (b.name == W.PREDICT.name and _RUNS_IN_PREDICT.search(b.body))
        for b in iter_blocks(blocks)
    )


def practice_items(r: Runnable) -> list[str]:
    """The text an objective's coverage reads: a checked exercise practises; a snippet shows."""
    return [f"{r.code}\n{r.tests or ''}\n{r.hint or ''}"] if r.checked else []


BODY = Body(
    W.RUNNABLE,
    RUNNABLE,
    lambda body, _: parse_runnable(body),
    tables=((W.RUNNABLE.name, RUNNABLE),),
    practice=practice_items,
    checks_answer=lambda r: r.checked,
)
