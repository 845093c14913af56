"""Building sites for tests: `mkdocs build --strict` through tests/support/harness.py, and a folder
built once a test run however many xdist workers ask for it (the session fixtures in
tests/conftest.py and the tests' own module fixtures use it)."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from support import harness

#: a CI run fails where a local run skips (a missing browser, sandbox or tool)
IN_CI = os.environ.get("CI", "").lower() == "true"


def run_mkdocs(
    project: Path, *args: str, site: Path | None = None, processes: int | None = None, process: bool = False
) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of `project`, with output captured: in this process through MkDocs' own command
    line (tests/support/harness.py), or as a user runs it in a process of its own with `process=True`;
    `processes` sets TRACKSITE_PROCESSES for it (the test session's own setting otherwise)."""
    return harness.mkdocs(project, *args, site=site, processes=processes, process=process)


try:
    import fcntl
except ImportError:  # (Windows: no such lock; each worker builds its own)
    fcntl = None  # type: ignore[assignment]


def build_once(tmp_path_factory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder `build` makes, made once a test run however many xdist workers ask for it: each
    worker is a process with its own session and module fixtures, and a course build takes tens
    of seconds on the two cores CI has. The first worker to ask builds under a lock; the others
    wait and read the same folder (tests only read it). A build that failed leaves no mark, so the
    next worker to ask builds again and fails with its own message."""
    shared = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER") and fcntl is not None:
        shared = shared.parent  # the run's folder, above each worker's own
    shared = shared / "built-once"
    shared.mkdir(exist_ok=True)
    folder, done = shared / name, shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        if fcntl is not None:
            fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)  # what a failed build left
            folder.mkdir()
            build(folder)
            done.touch()
    return folder
