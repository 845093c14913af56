"""The package's source as the architecture tests read it: each file read, parsed and walked once
a test process, however many tests ask (issue 75: each of about 80 tests parsed the whole package
again, 67 s of the suite). The tests only read what they are given.

A file is known by its path, its modification time and its size, so a file a test writes (a
made-up package under tmp_path, a copy it edits) is read again once it changed."""

from __future__ import annotations

import ast
import functools
from pathlib import Path


def text(path: Path) -> str:
    """The file's text (UTF-8)."""
    return _text(*stamp(path))


def tree(path: Path) -> ast.Module:
    """The file's syntax tree, parsed once; never to be changed."""
    return _tree(*stamp(path))


def nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of the file's tree, as `ast.walk` gives them, walked once."""
    return _nodes(*stamp(path))


def stamp(path: Path) -> tuple[Path, int, int]:
    """What a file is known by: its path, modification time and size."""
    stat = Path(path).stat()
    return Path(path), stat.st_mtime_ns, stat.st_size


@functools.cache
def _text(path: Path, mtime: int, size: int) -> str:
    return path.read_text(encoding="utf-8")


@functools.cache
def _tree(path: Path, mtime: int, size: int) -> ast.Module:
    return ast.parse(_text(path, mtime, size))


@functools.cache
def _nodes(path: Path, mtime: int, size: int) -> tuple[ast.AST, ...]:
    return tuple(ast.walk(_tree(path, mtime, size)))
