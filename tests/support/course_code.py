"""The Python blocks of the bundled course's pages, found and run as a learner would paste them: the course-code
tests and the per-track course facts."""

from __future__ import annotations

import functools
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from support.course import REPO


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


@functools.cache
def run(block: Block) -> subprocess.CompletedProcess:
    """The block run as a learner who pastes it would (RUNNER, in a fresh interpreter). Once a
    process: the course-code test runs every block and the per-track course facts run many of
    the same blocks again (the same file, line and code) to compare what they print with the
    page; a fresh interpreter with numpy costs about a fifth of a second of processor time."""
    return subprocess.run(
        [sys.executable, "-I", "-c", RUNNER, block.where],
        input=block.code,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        cwd=REPO,
    )


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
