"""Every Python block the course publishes runs, with numpy only and no network.

The test reads every ```python fence of every lesson, overview and cheatsheet, and runs each one
on its own, in a fresh interpreter and namespace, as a learner who copies it would: with the
standard library and numpy, no other package, no network, a time limit, and it must print
something (a block that prints nothing teaches nothing the prose can point at). A failure names
the file and the line of the fence.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from course import REPO

TIMEOUT = 30  # seconds per block; every block of the course runs in well under one
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)")

# Runs in the child: refuses imports beyond the standard library and numpy, and any socket
# connection, then executes the block as a script.
RUNNER = textwrap.dedent("""
    import importlib.abc, socket, sys

    ALLOWED = set(sys.stdlib_module_names) | {"numpy"}

    class NumpyOnly(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            top = name.partition(".")[0]
            if path is None and top not in ALLOWED and not top.startswith("_"):
                raise ImportError(f"course code may import numpy and the standard library only, not {name!r}")
            return None

    def no_network(*args, **kwargs):
        raise OSError("course code must not use the network")

    sys.meta_path.insert(0, NumpyOnly())
    socket.socket.connect = socket.socket.connect_ex = no_network
    socket.create_connection = socket.getaddrinfo = no_network
    code = sys.stdin.read()
    exec(compile(code, sys.argv[1], "exec"), {"__name__": "__main__"})
""")


@dataclass(frozen=True)
class Block:
    path: str  # relative to the repository
    line: int  # line of the opening fence, from 1
    code: str

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def course_files(root: Path = REPO) -> list[Path]:
    return sorted([*root.glob("lessons/*/*/*.md"), *root.glob("cheatsheets/*/*.md")])


def python_blocks(text: str, path: str) -> list[Block]:
    """Every ```python (or ```py) fence of a Markdown text, dedented to its fence's indent."""
    blocks, lines, i = [], text.splitlines(), 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        close = re.compile(rf"^[ \t]*{re.escape(m['fence'][0])}{{{len(m['fence'])},}}\s*$")
        end = next((j for j in range(i + 1, len(lines)) if close.match(lines[j])), len(lines))
        if m["lang"].lower() in ("python", "py"):
            body = "\n".join(l[len(m["indent"]) :] if l.startswith(m["indent"]) else l for l in lines[i + 1 : end])
            blocks.append(Block(path, i + 1, body + "\n"))
        i = end + 1
    return blocks


def all_blocks(root: Path = REPO) -> list[Block]:
    return [
        b
        for f in course_files(root)
        for b in python_blocks(f.read_text(encoding="utf-8"), f.relative_to(root).as_posix())
    ]


def run(block: Block) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-I", "-c", RUNNER, block.where],
        input=block.code,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=REPO,
    )


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
