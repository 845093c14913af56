"""Exercises whose check is known to fail, listed in a file the course declares (issue 85).

Peers prove every exercise in the learner's runtime in CI with a list of known failures that may
only shrink: an exercise that fails in the page's Python for a reason the author cannot fix yet
(a module Pyodide lacks, a smaller stack) is listed, so that the check stays useful for the
rest. The plugin's `known_failures:` names the file (a path under the project's root):

    - page: lessons/alpha/a1/lesson.md    # the lesson's file, from the project's root
      title: Double it                    # the block's title (`/// runnable | Double it`)
      python: page                        # page (Pyodide, `--in-page-python`) | cpython
      why: Pyodide's stack is smaller     # for the reader; required

`tracksite check --run-code` reports a listed exercise's failures in that Python as one warning
(TS446, naming the entry) instead of errors; an entry whose exercise no longer fails there is an
error (TS444: delete it, the list only shrinks), as is one naming no exercise of the course
(TS445) and a file that is not such a list (TS443). An entry for the page's Python is judged
only when the check runs it (`--in-page-python`). The file is the course's, as hostile as a
lesson: read as strict YAML, only under the project's root, at most MAX_BYTES.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tracksite.core.yaml.safe import parse
from tracksite.errors import SourceProblem

PYTHONS = {"page": "the page's Python (Pyodide)", "cpython": "CPython"}
FIELDS = ("page", "title", "python", "why")
MAX_BYTES = 1_000_000


@dataclass(frozen=True)
class Entry:
    page: str
    title: str
    python: str
    line: int


def declared(project) -> str:
    site = getattr(project, "site", None)
    return str(getattr(site.config, "known_failures", "") or "") if site is not None else ""


def _file_problem(out, path: Path, line: int, message: str, hint: str) -> None:
    out.add(path, line, message, field="known_failures", hint=hint, code="TS443")


def load(root: Path, rel: str, out) -> tuple[Path, list[Entry]]:
    """The entries of the declared file (`rel`), or none with a TS443 saying why."""
    path = (root / rel).resolve()
    hint = "list entries with page:, title:, python: (page | cpython) and why: (docs/authoring.md)"
    if not path.is_relative_to(root.resolve()):
        _file_problem(out, root / "mkdocs.yml", 1, f"known_failures: {rel!r} is outside the project", hint)
        return path, []
    if not path.is_file() or path.stat().st_size > MAX_BYTES:
        what = "is not a file" if not path.is_file() else f"is larger than {MAX_BYTES:,} bytes"
        _file_problem(out, root / "mkdocs.yml", 1, f"known_failures: {rel!r} {what}", hint)
        return path, []
    try:
        located = parse(path.read_text(encoding="utf-8"))
    except (SourceProblem, UnicodeDecodeError) as e:
        _file_problem(out, path, getattr(e, "line", None) or 1, f"the known failures are not valid YAML: {e}", hint)
        return path, []
    data = located.value if located.value is not None else []
    if not isinstance(data, list):
        _file_problem(out, path, 1, "expected a list of known failures", hint)
        return path, []
    entries = []
    for n, item in enumerate(data):
        line = located.lines.get((n,), 1)
        if not isinstance(item, dict) or set(item) != set(FIELDS) or not all(isinstance(v, str) for v in item.values()):
            _file_problem(out, path, line, f"entry {n + 1}: expected exactly the fields {', '.join(FIELDS)}", hint)
        elif item["python"] not in PYTHONS:
            _file_problem(
                out, path, line, f"entry {n + 1}: python: {item['python']!r} is neither page nor cpython", hint
            )
        else:
            entries.append(Entry(item["page"], item["title"], item["python"], line))
    return path, entries


def apply(project, out, found: list, failing: dict, in_page: bool) -> None:
    """Turn the listed exercises' failures (`failing`: (exercise, python) -> the problems its
    runs there added to `out`) into one warning each; an entry that no longer fails, or that names
    no exercise, is an error."""
    rel = declared(project)
    if not rel:
        return
    path, entries = load(project.root, rel, out)
    for entry in entries:
        where = f"{out.relative(path)}:{entry.line}"
        named = [ex for ex in found if out.relative(ex.path) == entry.page and ex.title == entry.title]
        if not named:
            out.add(path, entry.line, f"no exercise {entry.title!r} in {entry.page}", field="known_failures",
                    hint="name the lesson's file from the project's root and the block's title", code="TS445")  # fmt: skip
            continue
        if entry.python == "page" and not in_page:
            continue  # not run here: nothing to say
        for ex in named:
            problems = failing.get((ex, entry.python), [])
            if not problems:
                out.add(path, entry.line, f"{entry.title!r} no longer fails in {PYTHONS[entry.python]}",
                        field="known_failures", hint="delete the entry: the list of known failures only shrinks",
                        code="TS444")  # fmt: skip
                continue
            out.items[:] = [p for p in out.items if not any(p is q for q in problems)]
            out.add(ex.path, ex.line, f"known to fail in {PYTHONS[entry.python]} ({where}): {problems[0].message}",
                    field="known_failures", hint="fix it and delete the entry, or leave it listed", severity="warning",
                    code="TS446")  # fmt: skip
