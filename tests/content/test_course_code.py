"""Every Python block the course publishes runs, with numpy only and no network.

The test reads every ```python fence of every lesson, overview and cheatsheet, and runs each one
on its own, in a fresh interpreter and namespace, as a learner who copies it would: with the
standard library and numpy, no other package, no network, a time limit, and it must print
something (a block that prints nothing teaches nothing the prose can point at). A failure names
the file and the line of the fence.
"""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

import pytest

from support.course import REPO
from support.course_code import TIMEOUT, Block, course_files, python_blocks, run


def all_blocks(root: Path = REPO) -> list[Block]:
    return [
        b
        for f in course_files(root)
        for b in python_blocks(f.read_text(encoding="utf-8"), f.relative_to(root).as_posix())
    ]


def failure(block: Block) -> str | None:
    """Why a block fails as published, or None when it runs and prints."""
    try:
        result = run(block)
    except subprocess.TimeoutExpired:
        return f"{block.where}: still running after {TIMEOUT} s"
    if result.returncode != 0:
        return f"{block.where}: exited with {result.returncode}\n{result.stderr.strip()}"
    if not result.stdout.strip():
        return f"{block.where}: prints nothing; show the learner a result"
    return None


BLOCKS = all_blocks()


@pytest.mark.parametrize("block", BLOCKS, ids=lambda b: b.where)
def test_course_code_runs(block):
    problem = failure(block)
    assert problem is None, problem


def test_code_where_the_course_promises_it():
    """Every Track 5 lesson carries code, and at least three Track 4 lessons do."""
    with_code = {
        "/".join(b.path.split("/")[1:3])
        for b in BLOCKS
        if b.path.startswith("lessons/") and b.path.endswith("/lesson.md")
    }
    t5 = {p.parent.name for p in (REPO / "lessons/transformers-and-llms").glob("*/lesson.md")}
    t4 = {p.parent.name for p in (REPO / "lessons/deep-learning-survey").glob("*/lesson.md")}
    assert {f"transformers-and-llms/{s}" for s in t5} <= with_code
    assert len({f"deep-learning-survey/{s}" for s in t4} & with_code) >= 3, sorted(with_code)


def test_extraction_and_failures_name_the_file_and_line(tmp_path):
    """The checks above can fail: a broken, a silent, a forbidden and a hanging block are caught."""
    text = textwrap.dedent("""\
        Intro.

        ```python
        print(sum(range(4)))
        ```

        1. A list item with code:

            ```py
            import numpy as np
            print(np.arange(3).sum())
            ```

        ```text
        not python
        ```

        ```python
        x = 1 / 0
        ```

        ```python
        y = 2
        ```

        ```python
        import json, urllib.request
        urllib.request.urlopen("http://127.0.0.1:9/")
        ```

        ```python
        import yaml
        print(yaml)
        ```
        """)
    blocks = python_blocks(text, "lessons/t/l/lesson.md")
    assert [b.line for b in blocks] == [3, 9, 18, 22, 26, 31]
    assert failure(blocks[0]) is None and failure(blocks[1]) is None
    assert "lessons/t/l/lesson.md:18: exited" in failure(blocks[2]) and "ZeroDivisionError" in failure(blocks[2])
    assert failure(blocks[3]) == "lessons/t/l/lesson.md:22: prints nothing; show the learner a result"
    assert "must not use the network" in failure(blocks[4])
    assert "numpy and the standard library only, not 'yaml'" in failure(blocks[5])
