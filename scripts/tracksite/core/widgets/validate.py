"""Validating the widget blocks of a lesson body: every block's name, header options and body,
with lines made absolute and data-file problems reported at the data file."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path, PurePosixPath
from typing import Any

from tracksite.core import siteconfig
from tracksite.core import widgetregistry as W
from tracksite.core.markdown.blocks import BlockSource, find_blocks, iter_blocks
from tracksite.core.problems.findings import Finding
from tracksite.core.problems.problem import Problem, Severity
from tracksite.core.widgets.bodies import BODIES
from tracksite.core.yaml.safe import parse
from tracksite.errors import SourceProblem

Issue = Finding

WIDGET_BLOCKS = tuple(w.name for w in W.WIDGETS)
#: The blocks of the bundled mkdocs.yml's pymdownx extensions, for a body checked without a project.
DEFAULT_MARKDOWN_BLOCKS = frozenset(
    {
        "admonition",
        "details",
        "caption",
        "figure-caption",
        "table-caption",
        *siteconfig.DEFAULT_TYPES["pymdownx.blocks.admonition"],
    }
)


def content_key(*parts: Any) -> str:
    """A short fingerprint of a widget's content, so saved answers of an edited quiz are dropped."""
    blob = json.dumps(parts, default=lambda o: o.__dict__, ensure_ascii=False, sort_keys=True)
    return hashlib.sha1(blob.encode("utf-8")).hexdigest()[:8]


#: The options a block takes besides `attrs`: pymdownx.blocks.tab's `new` (a tab that starts a
#: new set, not the last set's next tab) and `select` (the set's tab shown first).
OPTIONS: dict[str, tuple[str, ...]] = {"tab": ("new", "select")}


def _check_options(block: BlockSource) -> list[Finding]:
    if not block.options.strip():
        return []
    line = block.line + 1
    try:
        located = parse(_dedent(block.options))
    except SourceProblem as exc:
        return [Finding(line, f"block options: {exc.message}", code=exc.code)]
    if not isinstance(located.value, dict):
        return [
            Finding(
                line,
                "lines indented 4 spaces right after a block header are read as "
                "block options, and these are not a YAML mapping",
                hint="start the body at the same indentation as the /// line",
                code="TS403",
            )
        ]
    return [
        Finding(
            line + (located.lines.get((key,), 1) - 1),
            f"unknown block option {key!r} for {block.name}",
            field=str(key),
            hint=f"the block options of {block.name} are {', '.join(('attrs', *OPTIONS[block.name]))}"
            if block.name in OPTIONS
            else "the only block option is attrs; other settings go in the body, not indented",
            code="TS403",
        )
        for key in located.value
        if key != "attrs" and key not in OPTIONS.get(block.name, ())
    ]


def _dedent(text: str) -> str:
    lines = text.split("\n")
    width = min((len(x) - len(x.lstrip(" ")) for x in lines if x.strip()), default=0)
    return "\n".join(x[width:] for x in lines)


def block_issues(block: BlockSource, source_dir: Path) -> list[Issue]:
    """Issues of one block: lines relative to the body, data-file issues with `file` set."""
    spec = BODIES.get(block.name)  # every data widget's (core/widgets/bodies.py)
    return spec.parse(_dedent(block.body), source_dir)[1] if spec is not None else []


def validate_widgets(
    display_path: str, text: str, first_line: int, source_dir: Path, *, known_blocks: Iterable[str] | None = None
) -> list[Problem]:
    """Every problem with the widget blocks of one Markdown body (front-matter removed).

    `first_line` is the 1-based file line of the body's first line; data-file problems are
    reported at the data file (a path beside `display_path`). `known_blocks`: the block names
    the site's Markdown extensions define (tracksite.core.siteconfig), besides the widgets."""
    known = frozenset(WIDGET_BLOCKS) | (
        frozenset(known_blocks) if known_blocks is not None else DEFAULT_MARKDOWN_BLOCKS
    )
    problems: list[Problem] = []

    def add(issue: Issue, line_offset: int | None, block: BlockSource | None) -> None:
        if issue.file is not None:
            path = (
                str(PurePosixPath(display_path).parent / issue.file.name)
                if issue.file.parent == Path(source_dir)
                else issue.file.as_posix()
            )
            line = issue.line
        else:
            path = display_path
            if issue.line is None:
                line = block.line if block is not None else None
            else:
                line = issue.line + (line_offset or 0)
        name = issue.field
        if block is not None and issue.file is None:  # "quiz[0].options", "attention.focus"
            name = block.name + (("" if name.startswith("[") else ".") + name if name else "")
        severity: Severity = "warning" if issue.severity == "warning" else "error"
        problems.append(
            Problem(path, line, issue.message, name, issue.hint, severity, column=issue.column, code=issue.code)
        )

    # No guard here: bad input is a finding of the parsers, and an exception is the program's own
    # bug, which the command boundary reports as one (commands/cli.py) instead of a problem
    # that blames the instructor's block.
    blocks, issues = find_blocks(text, first_line)
    for issue in issues:
        add(issue, None, None)
    for block in iter_blocks(blocks):
        _validate_block(block, known, source_dir, add)
    return problems


def _solution_issues(block: BlockSource) -> list[Issue]:
    """A solution sits in an exercise, has no title (its button names it) and is not empty."""
    issues = []
    if block.parent is None or block.parent.name != W.EXERCISE.name:
        issues.append(
            Issue(
                block.line,
                "a solution block must sit inside an exercise block",
                hint="//// exercise | Title, the task, then /// solution ... /// and finally ////",
                code="TS405",
            )
        )
    if block.argument:
        title = 'solution takes no title (the button reads "Show solution")'
        issues.append(Issue(block.line, title, severity="warning", code="TS405"))
    if not block.body.strip() and not block.children:  # (tabs alone, one a platform, are a solution)
        issues.append(Issue(block.line, "the solution is empty", code="TS404"))
    return issues


def _validate_block(block: BlockSource, known: frozenset, source_dir: Path, add) -> None:
    name = block.name
    if name not in known:
        known_names = ", ".join(sorted(known))
        add(Issue(block.line, f"unknown block '{name}'", hint=f"expected one of: {known_names}", code="TS402"), 0, None)
        return
    for issue in _check_options(block):
        add(issue, 0, block)
    if name not in WIDGET_BLOCKS:
        return
    offset = block.body_line - 1
    if name == W.SOLUTION.name:
        for issue in _solution_issues(block):
            add(issue, 0, block)
        return
    if name == W.EXERCISE.name:
        solutions = [c for c in block.children if c.name == W.SOLUTION.name]
        task = "\n".join(block.body_lines).strip()
        if not task:
            add(Issue(block.line, "the exercise has no task text", code="TS404"), 0, block)
        if not solutions:
            add(
                Issue(
                    block.line,
                    "the exercise has no solution",
                    hint="add /// solution ... /// inside it (the exercise uses ////)",
                    severity="warning",
                    code="TS405",
                ),
                0,
                block,
            )
        if block.length == 3 and solutions:
            pass  # reported by find_blocks as a slash clash
        return
    if name == W.INSTRUCTOR.name:
        if not block.body.strip():
            add(Issue(block.line, "the instructor block is empty", code="TS404"), 0, block)
        return
    if not block.body.strip():
        add(Issue(block.line, f"the {name} block is empty", code="TS404"), 0, block)
        return
    for issue in block_issues(block, source_dir):
        add(issue, offset, block)
