"""`tracksite bench --exercises N` (issue 85): a synthetic course of N exercises, each with
starting code, a solution, tests and a listed mistake, proven by `check --run-code` (CPython in
the sandbox), again with kept verdicts, and `--in-page-python`; one small run end to end (5
exercises), its section written into a page whose other sections stay.

The figures are not asserted: they are for docs/benchmarks.md. What is asserted is that every
synthetic exercise passes its own check (a run that reports an error ends the benchmark)."""

from __future__ import annotations

import pytest

from support.course import load
from tracksite.commands.cli import main
from tracksite.core.widgets.runnable import check
from tracksite.tools.bench import exercises


def test_the_synthetic_exercises_are_what_an_author_writes(tmp_path):
    root = exercises.write_course(tmp_path / "course", 23)
    project = load(root)
    assert [p.text() for p in project.problems.items] == []
    found = list(check.exercises_in(project.documents))
    assert len(found) == 23 and len({check._key(ex.value) for ex in found}) == 23  # no verdict shared
    assert all(ex.value.tests and ex.value.solution and len(ex.value.mistakes) == 1 for ex in found)


@pytest.mark.usefixtures("needs_sandbox")
def test_the_benchmark_proves_5_exercises_and_writes_its_section(tmp_path, capsys):
    page = tmp_path / "benchmarks.md"
    page.write_text("# Benchmarks\n\nKept.\n\n<!-- runnable-bench -->\nold runnable\n<!-- /runnable-bench -->\n")
    assert main(["bench", "--exercises", "5", "--markdown", str(page)]) == 0
    text = page.read_text(encoding="utf-8")
    assert "Kept." in text and "old runnable" in text  # the other sections stay
    section = text.split(exercises.START, 1)[1].split(exercises.END, 1)[0]
    assert "## Proving 5 exercises" in section
    assert "| `check --run-code`: CPython in the sandbox | " in section
    assert "| `check --run-code` again: verdicts kept | " in section
    reason = check.page_unavailable()
    assert ("not measured: " in section) == bool(reason), section
    assert main(["bench", "--exercises", "0"]) != 0  # a clear refusal
    assert "positive number of exercises" in capsys.readouterr().err
