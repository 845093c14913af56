"""A formula the build cannot draw fails `tracksite check` and the build with its file and line
(issue 30): before, the build showed it silently as a grey box of TeX (`ts-math-error`)."""

from __future__ import annotations

from bs4 import BeautifulSoup

from support.course import load, run_cli
from support.sites import run_mkdocs

A1 = "lessons/alpha/a1/lesson.md"


def edit(root, old, new):
    path = root / A1
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def tex_problems(root):
    return [p for p in load(root).problems.errors if p.code == "TS513"]


def test_a_formula_that_cannot_be_drawn_fails_check_and_build_with_its_line(course, tmp_path):
    edit(course, "math: none", "math: light")
    edit(course, "## Details", "## Details\n\nThe ratio $\\frac{a}{b$ and the norm\n\n$$\nx^\n$$\n")
    found = tex_problems(course)
    assert [(p.path, p.line) for p in found] == [(A1, 18), (A1, 20)], [p.text() for p in found]
    assert "never closed" in found[0].message and "MissingSuperScriptOrSubscript" in found[1].message
    check = run_cli(course, ["check"])
    assert check.returncode == 1 and "Traceback" not in check.stderr
    assert f"{A1}:18" in check.stdout + check.stderr
    build = run_mkdocs(course, site=tmp_path / "site")
    assert build.returncode != 0 and f"{A1}:18" in build.stdout + build.stderr
    assert not (tmp_path / "site").exists()


def test_an_unknown_command_would_show_as_raw_tex_and_is_refused(course):
    edit(course, "math: none", "math: light")
    edit(course, "## Details", "## Details\n\nWith $\\sofmax(x)$ here.\n")
    (found,) = tex_problems(course)
    assert "unknown command \\sofmax" in found.message and found.line == 18


def test_front_matter_formulas_are_checked_where_they_are_written(course):
    edit(course, "  - do the thing", "  - do the thing\n  - compute $\\left( x$ by hand")
    (found,) = tex_problems(course)
    assert (found.line, found.field) == (6, "objectives[1]")


def test_code_and_good_formulas_pass_and_draw(course, tmp_path):
    edit(course, "math: none", "math: light")
    edit(
        course,
        "## Details",
        "## Details\n\nThe score $\\frac{QK^\\top}{\\sqrt{d_k}}$ and $\\{x\\}$.\n\n"
        "```latex\n$\\frac{a}{b$\n```\n\nInline `$\\foo$` code.\n",
    )
    assert tex_problems(course) == []
    build = run_mkdocs(course, site=tmp_path / "site")
    assert build.returncode == 0, build.stderr[-3000:]
    soup = BeautifulSoup((tmp_path / "site/alpha/a1/index.html").read_text(), "lxml")
    assert len(soup.find_all("math")) == 2 and not soup.select(".ts-math-error")
