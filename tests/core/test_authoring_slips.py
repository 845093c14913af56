"""Slips that used to pass without a word, and remote files that would let a third party see the
learners: `tracksite check` names each at its file:line, with what to do."""

from __future__ import annotations

import subprocess
from pathlib import Path

from support import harness
from support.course import lesson_md, write


def check(root: Path) -> subprocess.CompletedProcess:
    return harness.tracksite("check", cwd=root)


def test_an_over_indented_list_item_is_reported_at_its_line(course):
    text = lesson_md("First lesson").replace(
        "objectives:\n  - do the thing\n", "objectives:\n  - do the thing\n    - do another thing\n  - a third\n"
    )
    write(course, "lessons/alpha/a1/lesson.md", text)
    result = check(course)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    line = text.split("\n").index("    - do another thing") + 1
    assert f"lessons/alpha/a1/lesson.md:{line}" in out, out
    assert "indented deeper than the item above" in out and "indent its `-` like the other items" in out


def test_a_broken_quiz_comes_without_a_coverage_warning_before_it(course):
    body = "## Practice\n\n" + "Words to read here. " * 40 + "\n\n/// quiz\n- question: What?\n  options: []\n///\n"
    write(course, "lessons/alpha/a1/lesson.md", lesson_md("First lesson", body=body))
    result = check(course)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    mine = [l for l in out.splitlines() if l.startswith("lessons/alpha/a1/lesson.md")]
    assert len(mine) == 1 and "quiz[0].options" in mine[0], out


def test_remote_files_are_refused_wherever_they_are_published(course):
    write(
        course,
        "docs/about.html",
        '<!doctype html><html><body><p>Hi</p>\n<img src="https://tracker.example/p.png" alt="x">\n</body></html>\n',
    )
    write(
        course, "docs/extra.css", 'body { color: black; }\n@font-face { src: url("https://fonts.example/f.woff2"); }\n'
    )
    write(
        course,
        "lessons/alpha/a2/diagram.svg",
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">\n'
        '<image href="//cdn.example/i.png" width="10" height="10"/></svg>',
    )
    write(
        course,
        "lessons/alpha/a3/lesson.md",
        lesson_md(
            "Third lesson",
            body="## Start\n\n"
            + "Words to read here. " * 40
            + '\n\n<video src="https://videos.example/v.mp4"></video>\n',
        ),
    )
    result = check(course)
    out = result.stdout + result.stderr
    assert result.returncode == 1, out
    for where, what in [
        ("docs/about.html:2", "https://tracker.example/p.png"),
        ("docs/extra.css:2", "https://fonts.example/f.woff2"),
        ("lessons/alpha/a2/diagram.svg:2", "//cdn.example/i.png"),
        ("lessons/alpha/a3/lesson.md:", "https://videos.example/v.mp4"),
    ]:
        lines = [l for l in out.splitlines() if where in l and what in l]
        assert lines, f"{where} {what} not reported:\n{out}"
        assert "third party" in lines[0], lines[0]
    assert out.count("download the file") >= 4


def test_a_table_header_with_an_empty_cell_is_named_at_its_line(course):
    """axe's empty-table-header on the built page starts as `| | A | B |` in Markdown: check says
    so at the header's line; the same row inside a code fence is an example, not a table."""
    body = (
        "## Compare\n\n| | RNN | Transformer |\n|---|---|---|\n| Parallel | no | yes |\n\n"
        "```text\n| | shown | as code |\n|---|---|---|\n```\n"
    )
    text = lesson_md("First lesson", body=body)
    write(course, "lessons/alpha/a1/lesson.md", text)
    out = check(course).stdout
    line = text.split("\n").index("| | RNN | Transformer |") + 1
    reported = [l for l in out.splitlines() if "header row has an empty cell" in l]
    assert reported == [f"lessons/alpha/a1/lesson.md:{line}: warning: " + reported[0].split(": warning: ")[1]], out
    assert "name the column, e.g. `| Name | RNN | Transformer |`" in out, "the hint shows the table found"
