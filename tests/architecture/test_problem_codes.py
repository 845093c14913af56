"""Every problem carries a code from one catalogue (tracksite/core/problems/codes.py), and a
column where its place is known: the catalogue and the sources agree, and the code and column
reach every output (text, JSON, GitHub annotations, the language server)."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from support import package_source
from support.course import run_cli
from tracksite.core.problems.codes import AREAS, CATALOGUE, CODES, table
from tracksite.core.problems.problem import Problem, format_github, format_json, format_text

PACKAGE = Path(__file__).resolve().parents[2] / "scripts" / "tracksite"
CODE = re.compile(r"""["'](TS\d{3})["']""")

#: Calls that make a problem: each must say its code.
MAKERS = {"Problem", "Finding", "Issue", "SourceProblem"}
#: `x.add(...)` / `x.report(...)` on these receivers make a problem too.
RECEIVERS = {"out", "problems", "self.problems", "report", "self.report", "checker.report", "ctx"}


def _sources() -> dict[Path, str]:
    return {p: package_source.text(p) for p in PACKAGE.rglob("*.py") if p.name != "problemcodes.py"}


def test_codes_are_unique_well_formed_and_grouped():
    codes = [c.code for c in CATALOGUE]
    assert len(codes) == len(set(codes)) == len(CODES)
    assert len({c.name for c in CATALOGUE}) == len(CATALOGUE)
    assert all(re.fullmatch(r"TS\d{3}", c) for c in codes)
    assert codes == sorted(codes)
    assert all(c[2] in AREAS for c in codes)
    assert all(c.summary and "|" not in c.summary for c in CATALOGUE)


def test_every_code_used_is_listed_and_every_listed_code_is_used():
    used = {m for text in _sources().values() for m in CODE.findall(text)}
    assert used - set(CODES) == set(), "codes used but not in core/problems/codes.py"
    assert set(CODES) - used == set(), "codes listed but never used (dead codes)"


def _receiver(node: ast.expr) -> str:
    return ast.unparse(node)


def test_every_place_that_makes_a_problem_names_its_code():
    missing = []
    for path in _sources():
        for node in package_source.nodes(path):
            if not isinstance(node, ast.Call):
                continue
            f = node.func
            makes = (isinstance(f, ast.Name) and f.id in MAKERS) or (
                isinstance(f, ast.Attribute) and f.attr in ("add", "report") and _receiver(f.value) in RECEIVERS
            )
            if makes and not any(k.arg in ("code", None) for k in node.keywords):
                missing.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert missing == []


def test_a_problem_cannot_be_made_without_a_code():
    with pytest.raises(TypeError):
        Problem("a.md", 1, "x")  # type: ignore[call-arg]


def test_the_reference_table_lists_every_code():
    rows = table().splitlines()
    assert all(any(f"`{c.code}`" in r for r in rows) for c in CATALOGUE)
    guide = (PACKAGE.parents[1] / "docs" / "authoring.md").read_text(encoding="utf-8")
    assert table() in guide, "run `tracksite docs --write`"


def test_outputs_carry_code_and_column():
    p = Problem("lessons/t/l/lesson.md", 3, "unknown key 'sumary'", "sumary", "did you mean?", column=1, code="TS101")
    assert format_text([p]) == "lessons/t/l/lesson.md:3:1: [TS101] sumary: unknown key 'sumary' (did you mean?)"
    assert format_github([p]) == (
        "::error file=lessons/t/l/lesson.md,line=3,col=1,title=TS101::sumary: unknown key 'sumary' (did you mean?)"
    )
    (row,) = json.loads(format_json([p]))
    assert (row["code"], row["line"], row["column"]) == ("TS101", 3, 1)
    w = Problem("a.md", 2, "vague", severity="warning", code="TS307")
    assert w.text() == "a.md:2: warning: [TS307] vague"


# -- through `tracksite check` ---------------------------------------------------------------


def _break(course: Path) -> Path:
    """A1's lesson with a YAML slip in its front-matter; A3's with an <iframe> in its body."""
    a1 = course / "lessons/alpha/a1/lesson.md"
    # line 3 becomes `summary: [an unclosed ...`: the parser stops at the `:` of line 4, `objectives:` (column 11)
    a1.write_text(a1.read_text(encoding="utf-8").replace("summary: A lesson", "summary: [an unclosed", 1))
    a3 = course / "lessons/alpha/a3/lesson.md"
    a3.write_text(a3.read_text(encoding="utf-8").replace("More text.", "More text. <iframe src=x></iframe>", 1))
    return a3


def _expected_iframe(a3: Path) -> tuple[int, int]:
    lines = a3.read_text(encoding="utf-8").split("\n")
    line = next(i for i, text in enumerate(lines, 1) if "<iframe" in text)
    return line, lines[line - 1].index("<iframe") + 1


def test_check_reports_line_and_column_of_a_yaml_slip_and_a_body_problem(course):
    a3 = _break(course)
    result = run_cli(course, ["check", "--errors-only"])
    assert result.returncode == 1, result.stderr
    lines = result.stdout.splitlines()
    slip = [l for l in lines if l.startswith("lessons/alpha/a1/lesson.md:")]
    assert slip and slip[0].startswith("lessons/alpha/a1/lesson.md:4:11: [TS010] YAML syntax error: "), slip
    line, column = _expected_iframe(a3)
    assert f"lessons/alpha/a3/lesson.md:{line}:{column}: [TS501] HTML <iframe> is not allowed in course pages " in (
        result.stdout
    )


def test_check_json_carries_code_and_column(course):
    a3 = _break(course)
    result = run_cli(course, ["check", "--format", "json"])
    rows = json.loads(result.stdout)
    line, column = _expected_iframe(a3)
    iframe = [r for r in rows if r["path"] == "lessons/alpha/a3/lesson.md" and r["code"] == "TS501"]
    assert [(r["line"], r["column"]) for r in iframe] == [(line, column)]
    slip = [r for r in rows if r["path"] == "lessons/alpha/a1/lesson.md" and r["code"] == "TS010"]
    assert [(r["line"], r["column"]) for r in slip] == [(4, 11)]
    assert all(r["code"] in CODES for r in rows)


def test_github_annotations_carry_code_and_column(course):
    a3 = _break(course)
    result = run_cli(course, ["check", "--format", "github"])
    line, column = _expected_iframe(a3)
    assert f"::error file=lessons/alpha/a3/lesson.md,line={line},col={column},title=TS501::HTML <iframe>" in (
        result.stdout
    )


def test_language_server_diagnostics_carry_code_and_column(course):
    pytest.importorskip("pygls")
    from tracksite.commands.lspserver import diagnostics

    a3 = _break(course)
    line, column = _expected_iframe(a3)
    found = diagnostics(course)[a3.resolve()]
    iframe = [d for d in found if d.code == "TS501"]
    assert [(d.range.start.line, d.range.start.character) for d in iframe] == [(line - 1, column - 1)]
    assert all(d.code in CODES for items in diagnostics(course).values() for d in items)
