"""The check's findings kept across processes, for a build of sources that did not change.

The passes of `checks.check` read every source again in every build: a second `mkdocs build`,
or `mkdocs serve` started again, spends seconds on a large course to find what the last build
found. When nothing the passes can read has changed, the build takes their findings from
`checks.json` in the course's state folder instead (the loader and the site plan still run: the
build needs the model). That folder is the user's, never the checkout (core/localstate.py): a
`checks.json` a pull request planted would silence every check. What the passes can read is
taken conservatively: every file under the project's root, by content (a large one by size and
time), with its permissions, except hidden folders (git's) and folders a tracksite build wrote (their marker file); the site
configuration as the engine resolved it; the check's options; and the versions of tracksite's
own code and of Python. Anything else, or a file that cannot be read as it was written, and the
passes run again. Only the build uses this (`tracksite check` always runs every pass).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import json
import os
import platform
from collections.abc import Collection
from pathlib import Path
from typing import Any

import tracksite
from tracksite.core import localstate
from tracksite.core.memo import digest, kept_fact, stable_text
from tracksite.core.problems.problem import Problem

#: The file, in the course's "tracksite" state folder.
FILE = "checks.json"
#: Marks a folder a tracksite build wrote (adapter/caches/sitedir.py): not a source.
SITE_MARKER = ".tracksite-build"
_WHOLE = 2_000_000  # bytes: files up to this size are read whole; larger ones by size and time


def _file(path: str, st: os.stat_result) -> str:
    if st.st_size > _WHOLE:
        return f"{st.st_size}:{st.st_mtime_ns}"
    with open(path, "rb") as fh:
        return digest([fh.read()])


def tree(root: Path, *, by_content: bool = True, skip: Collection[str] = ()) -> list[str]:
    """Every file under `root` a build can read, by content or (`by_content=False`, stat calls
    only: 45 ms for the 3,100 files of a 1,000-lesson course, taken at every `mkdocs serve`
    save by adapter/serve/lastsite.py) by size and modification time. Not read: hidden folders (the
    caches, git's), folders a tracksite build wrote (their marker file), the absolute paths in
    `skip` (a site being built into, not yet marked), linked folders."""
    kind = f"tree:{by_content}:{sorted(skip)}"  # (a folder's listing kept under serve: core/memo.py)

    def walk(folder: str, rel: str) -> list[str]:
        out: list[str] = []
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
        if rel and any(e.name == SITE_MARKER for e in entries):
            return out
        for e in entries:
            try:
                if e.is_dir():
                    if (
                        not e.is_symlink()
                        and not e.name.startswith(".")
                        and e.name != "__pycache__"
                        and e.path not in skip
                    ):
                        sub = f"{rel}{e.name}/"
                        out += kept_fact(f"{kind}:{sub}", (e.path,), lambda e=e, sub=sub: walk(e.path, sub))
                    continue
                st = e.stat()
                what = _file(e.path, st) if by_content else f"{st.st_size}:{st.st_mtime_ns}"
                out.append(f"{rel}{e.name}:{st.st_mode:o}:{what}")
            except OSError as x:
                out.append(f"{rel}{e.name}:unreadable:{x.errno}")
        return out

    return walk(str(root), "")


@functools.cache
def code_digest() -> str:
    """tracksite's own files (modules, templates, assets) by content, once per process: a
    changed install, an editable one included, invalidates what was kept."""
    package = Path(tracksite.__file__).parent
    parts = [tracksite.__version__]
    for dirpath, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            path = os.path.join(dirpath, name)
            with contextlib.suppress(OSError):
                parts.append(f"{os.path.relpath(path, package)}:{_file(path, os.stat(path))}")
    return digest(parts)


def key(config: Any, options: dict[str, Any]) -> str:
    """Everything the passes can read, as one digest (computed before the loader runs)."""
    return digest(
        [
            platform.python_version(),
            code_digest(),
            stable_text(config),
            repr(sorted(options.items())),
            *tree(Path(config.root)),
        ]
    )


def load(root: Path, wanted: str) -> tuple[list[Problem], list[list[str]]] | None:
    """The findings kept for the key `wanted` and the lessons each glossary term is used in (in
    the glossary's order), or None (none kept, another digest, or unreadable)."""
    try:
        data = json.loads((localstate.folder(root, "tracksite", create=False) / FILE).read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("key") != wanted:
            return None
        items, uses = data["problems"], data["uses"]
        if digest([json.dumps([items, uses], sort_keys=True)]) != data.get("sum"):
            return None
        if not all(isinstance(u, list) and all(isinstance(k, str) for k in u) for u in uses):
            return None
        return [Problem(**item) for item in items], uses
    except (OSError, ValueError, KeyError, TypeError, localstate.StateError):
        return None


def save(root: Path, wanted: str, problems: list[Problem], uses: list[list[str]]) -> None:
    """Keep the findings, and where each term is used (what the glossary pages show, found by
    the same reading of every page), for the next build; a folder that cannot be written keeps
    nothing."""
    items = [dataclasses.asdict(p) for p in problems]
    data = {"key": wanted, "problems": items, "uses": uses, "sum": digest([json.dumps([items, uses], sort_keys=True)])}
    with contextlib.suppress(OSError, TypeError, ValueError, localstate.StateError):
        path = localstate.folder(root, "tracksite") / FILE
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, path)
