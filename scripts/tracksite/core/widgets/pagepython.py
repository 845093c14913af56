"""What the page's Python can import: the standard library's modules that work in the browser's
runtime, and a located error for each import of anything else (TS430).

Two widgets run Python in the page, a `/// runnable` block and a `/// predict` block with
`runnable: true`, and both tell the author at check time what the page lacks, in the same
words. This module is theirs to share (neither widget's folder imports the other's,
tests/architecture/test_widget_home.py); the page says the same to the learner at run time
(theme/assets/tracksite/runner.py's AVAILABLE).
"""

from __future__ import annotations

import ast
import re

from tracksite.core.memo import memo
from tracksite.core.problems.findings import Finding

#: The standard library's modules that work in the browser's runtime (Pyodide 314.0.7, CPython
#: 3.14): `sys.stdlib_module_names` of that runtime, less those whose import fails there (curses,
#: dbm, tkinter, readline, venv, pwd, grp, resource...), tried one by one in Pyodide itself, and
#: less those that import but cannot do what they are for in a page, which has no processes, no
#: sockets, no native libraries and no terminal (subprocess, multiprocessing, concurrent, socket,
#: socketserver, ssl, the mail and FTP clients, xmlrpc, wsgiref, webbrowser, ctypes, mmap, signal,
#: select, selectors, fcntl, pty, tty, termios): an exercise using them fails in the page.
#: Private modules (`_name`) are left to the runtime.
BROWSER_MODULES = frozenset(
    """
    abc annotationlib argparse array ast asyncio atexit base64 bdb binascii bisect builtins bz2 cProfile
    calendar cmath cmd code codecs codeop collections colorsys compileall compression
    configparser contextlib contextvars copy copyreg csv dataclasses datetime decimal difflib dis
    doctest email encodings enum errno faulthandler filecmp fileinput fnmatch fractions
    functools gc genericpath getopt getpass gettext glob graphlib gzip hashlib heapq hmac html http
    importlib inspect io ipaddress itertools json keyword linecache locale logging lzma mailbox
    marshal math mimetypes modulefinder netrc ntpath nturl2path numbers opcode
    operator optparse os pathlib pdb pickle pickletools pkgutil platform plistlib
    pprint profile pstats py_compile pyclbr pydoc pyexpat queue quopri random re reprlib rlcompleter
    runpy sched secrets shelve shlex shutil site
    sqlite3 sre_compile sre_constants sre_parse stat statistics string stringprep struct
    symtable sys sysconfig tabnanny tarfile tempfile textwrap this threading time timeit token
    tokenize tomllib trace traceback tracemalloc types typing unicodedata unittest urllib uuid
    warnings wave weakref zipapp zipfile zipimport zlib zoneinfo
    """.split()
)
#: Submodules of allowed packages that need the network the page does not have.
NO_NETWORK = frozenset({"urllib.request", "http.client", "http.server", "http.cookiejar"})
#: What of `os` starts, replaces or signals processes: nothing the page can do.
OS_PROCESSES = re.compile(r"^(system|popen|fork|forkpty|exec\w*|spawn\w*|posix_spawnp?|kill|killpg|setsid|startfile)$")
#: What a message names as the modules a learner can import, in words.
AVAILABLE = "Python's standard library only (math, random, collections, itertools, statistics, json, re, ...)"
_BLOCK_SCALAR = re.compile(r"^[^:]*:\s*[|>]")


def first_code_line(body: str, key_line: int | None) -> int:
    """The body line of a field's first line of code: the line after `code: |`, or the key's own
    line when the code is written beside it."""
    if key_line is None:
        return 1
    rows = body.split("\n")
    row = rows[key_line - 1] if 0 < key_line <= len(rows) else ""
    return key_line + 1 if _BLOCK_SCALAR.match(row) else key_line


def imported(code: str) -> list[tuple[int, str]]:
    """(line in the code, module) of every absolute import the code makes, `__import__("name")`
    and `importlib.import_module("name")` included ("" where the name is made at run time); none
    when the code does not parse (TS433, or the page, says why)."""
    try:
        return _imports(ast.parse(code))
    except (SyntaxError, ValueError):
        return []


def _imports(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
        elif isinstance(node, ast.Call) and _dynamic_import(node.func):
            name = node.args[0] if node.args else None
            is_text = isinstance(name, ast.Constant) and isinstance(name.value, str)
            found.append((node.lineno, name.value if is_text else ""))  # type: ignore[union-attr]
    return found


def _dynamic_import(func: ast.expr) -> bool:
    """`__import__(...)`, `importlib.import_module(...)`, `import_module(...)`."""
    if isinstance(func, ast.Name):
        return func.id in ("__import__", "import_module")
    return isinstance(func, ast.Attribute) and func.attr in ("__import__", "import_module")


def _lacks(name: str) -> str | None:
    """What the page's Python lacks for an import of `name` (a module, or `module.name` from a
    `from` import), or None."""
    top = name.split(".")[0]
    if not name:
        return "imports a module named only when it runs"
    if top.startswith("_"):
        return None
    if top not in BROWSER_MODULES:
        return f"imports {top!r}, which the page's Python does not have"
    parts = name.split(".")
    network = [".".join(parts[:n]) for n in range(2, len(parts) + 1) if ".".join(parts[:n]) in NO_NETWORK]
    if network:
        return f"imports {network[0]!r}, which needs the network the page's Python does not have"
    if top == "os" and len(parts) == 2 and OS_PROCESSES.match(parts[1]):
        return f"imports {name!r}: the page's Python has no processes"
    return None


def _process_calls(tree: ast.AST) -> list[tuple[int, str]]:
    """`os.system(...)` and the like: (line, name) of each use of what starts processes."""
    return [
        (node.lineno, f"os.{node.attr}")
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
        and OS_PROCESSES.match(node.attr)
    ]


def import_findings(code: str, first_line: int, field: str) -> list[Finding]:
    """A located error for each import the browser's runtime cannot satisfy (`first_line`: the
    body line of the code's first line). A help to authors, not a defence: code can always hide
    an import from a reader (docs/security.md), which is why the check runs code only in a
    sandbox and the page runs it under the page's policy."""
    return [
        Finding(
            first_line + line - 1,
            why,
            field,
            f"the browser runs {AVAILABLE}; third-party packages such as numpy are not available, "
            "nor processes, sockets or native code",
            code="TS430",
        )
        for line, why in _lacking(code)
    ]


def _lacking(code: str) -> tuple[tuple[int, str], ...]:
    """(line, what the page lacks) of the code, sorted, from one parse, remembered by the code's
    text (core/memo.py): under `mkdocs serve` a save checks and renders the saved page's blocks
    again, whose code has mostly not changed, and these parses were a fifth of a bundled save."""
    return memo(("page-python", code), lambda: _parse_lacking(code))


def _parse_lacking(code: str) -> tuple[tuple[int, str], ...]:
    try:
        tree = ast.parse(code)
    except (SyntaxError, ValueError):
        return ()
    found = {(line, why) for line, name in _imports(tree) if (why := _lacks(name))}
    found |= {(line, f"uses {name}: the page's Python has no processes") for line, name in _process_calls(tree)}
    return tuple(sorted(found))
