"""Builds compared file by file: the incremental build's cache file, a site read into a tree of bytes, and the
files two trees differ by (the build cache, memory and parallel-build tests)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from support import harness
from tracksite.core import localstate


def cache_file(root: Path) -> Path:
    """The build cache's database: in the course's state folder (core/localstate.py)."""
    return localstate.path(root, "tracksite") / "build.sqlite"


def build(root: Path, out: Path) -> str:
    """`mkdocs build` in its own process, as a second build or a restarted server runs; its log."""
    run = harness.forked(lambda: new_process_build(root, out))
    assert run.returncode == 0, run.stderr[-3000:]
    return run.stderr


def tree(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def same_trees(a: Path, b: Path) -> list[str]:
    ta, tb = tree(a), tree(b)
    return sorted(k for k in ta.keys() | tb.keys() if ta.get(k) != tb.get(k))


def new_process_build(root: Path, out: Path) -> subprocess.CompletedProcess:
    """In the fork: the build as a new process's first (MkDocs' kept plugin instance dropped)."""
    harness.forget_plugins()
    return harness.mkdocs(root, site=out, strict=False)
