"""A course's list of exercises whose check is known to fail (issue 85), declared by the plugin's
`known_failures:`: a listed failure is one warning (TS446) instead of errors, in CPython and in
the page's Python; an entry that no longer fails is an error (TS444), so the list only shrinks;
an entry naming no exercise is TS445, and a file that is not such a list, or lies outside the
project, TS443. On the old code the listed failures stayed errors (TS431) and nothing was said
of the entries."""

from __future__ import annotations

import json

import pytest

from support.course import lesson_md, make_course, run_cli, write

EXERCISES = """## Practice

/// runnable | Broken in CPython
code: x = 1
tests: assert x == 2, "x should be 2"
solution: x = 3
///

/// runnable | Fine
code: x = 1
tests: assert x == 2, "x should be 2"
solution: x = 2
///

/// runnable | Only on the web
code: x = 1
tests: |
  import sys
  assert sys.platform != "emscripten", "not in a browser"
  assert x == 2, "x should be 2"
solution: x = 2
///
"""
KNOWN = """\
# exercises whose check is known to fail: the list only shrinks
- page: lessons/alpha/a1/lesson.md
  title: Broken in CPython
  python: cpython
  why: the solution waits for a fix
- page: lessons/alpha/a1/lesson.md
  title: Fine
  python: cpython
  why: it failed once
- page: lessons/alpha/a1/lesson.md
  title: Only on the web
  python: page
  why: the tests refuse Pyodide
- page: lessons/alpha/a2/lesson.md
  title: Gone
  python: cpython
  why: a lesson rewritten since
"""


def _course(tmp_path, known: str = KNOWN, declared: str = "known-failures.yml"):
    root = make_course(tmp_path / "course")
    write(root, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body=EXERCISES + "Words here. " * 40))
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    assert "  - tracksite\n" in text
    config.write_text(text.replace("  - tracksite\n", f"  - tracksite:\n      known_failures: {declared}\n"), "utf-8")
    write(root, "known-failures.yml", known)
    return root


def _found(root, *options: str) -> list[tuple[str, str, str, int]]:
    result = run_cli(root, ["check", "--run-code", "--format", "json", *options])
    problems = json.loads(result.stdout)
    return sorted(
        (p["code"], p["severity"], p["path"], p["line"]) for p in problems if p["code"].startswith(("TS43", "TS44"))
    )


def _line(root, rel: str, needle: str) -> int:
    return next(n for n, line in enumerate((root / rel).read_text().split("\n"), 1) if needle in line)


@pytest.mark.usefixtures("needs_sandbox")
def test_known_failures_are_warnings_and_the_list_only_shrinks(tmp_path):
    root = _course(tmp_path)
    lesson = "lessons/alpha/a1/lesson.md"
    broken = _line(root, lesson, "| Broken in CPython")
    web = _line(root, lesson, "| Only on the web")
    fine, gone = _line(root, "known-failures.yml", "title: Fine") - 1, _line(root, "known-failures.yml", "a2/") + 0
    assert _found(root) == [
        ("TS444", "error", "known-failures.yml", fine),  # it passes now: delete the entry
        ("TS445", "error", "known-failures.yml", gone),
        ("TS446", "warning", lesson, broken),  # its TS431 is known
    ]
    # in the page's Python too: the listed page-only failure is known, not an error
    found = _found(root, "--in-page-python")
    assert ("TS446", "warning", lesson, web) in found and not [f for f in found if f[0] == "TS431"], found
    # the entries fixed: the check is clean but for the known failures
    write(root, "known-failures.yml", "\n".join(KNOWN.split("\n")[:5] + KNOWN.split("\n")[9:13]) + "\n")
    assert [f[0] for f in _found(root, "--in-page-python")] == ["TS446", "TS446"]


@pytest.mark.usefixtures("needs_sandbox")
@pytest.mark.parametrize(
    ("known", "declared", "says"),
    [
        ("- page: x\n", "known-failures.yml", "expected exactly the fields"),
        ("- {page: a, title: b, python: java, why: c}\n", "known-failures.yml", "neither page nor cpython"),
        ("page: [\n", "known-failures.yml", "not valid YAML"),
        ("[]\n", "../outside.yml", "outside the project"),
        ("[]\n", "missing.yml", "is not a file"),
    ],
)
def test_a_known_failures_file_that_is_not_a_list_of_entries_is_an_error(tmp_path, known, declared, says):
    root = _course(tmp_path, known, declared)
    result = run_cli(root, ["check", "--run-code", "--format", "json"])
    found = [p for p in json.loads(result.stdout) if p["code"] == "TS443"]
    assert len(found) == 1 and says in found[0]["message"] and found[0]["severity"] == "error", found
    assert result.returncode != 0
