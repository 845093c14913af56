"""What a test drives that makes it slow, noted as it happens, so that `slow` is marked by what a
test does rather than guessed from the fixtures it names (issue 87): a build, serve, export or
print of the whole bundled course (in the test's process or in a process of its own), a copy of
the repository with its code (the tree a wheel or a patched tracksite is made from), R (a knit).
Chromium is the `browser` mark's (tests/conftest.py). A copy of the course's lessons alone (1 MB)
or a `tracksite check` of it (its verdicts shared) cost a second or two, and are left alone.

tests/conftest.py starts a list before each test's setup and reads it after its call: a test that
drove one of these (itself or through a fixture it uses) and is not marked `slow` fails, naming
what it drove, so the quick tier (`-m "not browser and not slow"`) stays quick as tests are added.
Everything is seen through the interpreter's audit events (a copy, a process started) and the
harness's in-process runs (`note`); a fork's own work is the fork's, and not seen.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from support.course import REPO

BUILD = "a whole-course build"
COPY = "a repository copy"
KNIT = "an R knit"

#: the bundled course's tracks: a folder holding all of them is the bundled course or a copy of it
_TRACKS = tuple(sorted(p.name for p in (REPO / "lessons").iterdir() if p.is_dir()))
#: the commands that build every page of the course they run in
_WHOLE = {"build", "serve", "export", "pdf", "bench"}
_COPIED = {REPO, REPO / "scripts"}
_TOOLS = ("mkdocs", "tracksite", "tracksite.commands.cli")
_noted: list[str] | None = None


def bundled(folder: Path | str | None) -> bool:
    """Whether `folder` holds the bundled course (the repository, or a copy of its lessons)."""
    if folder is None:
        return False
    lessons = Path(folder) / "lessons"
    return bool(_TRACKS) and all((lessons / track).is_dir() for track in _TRACKS)


def note(kind: str, what: str) -> None:
    """Note that the running test drives `kind` (`what`: the command or the folder)."""
    if _noted is not None and len(_noted) < 20:
        _noted.append(f"{kind}: {what}")


def command(args: list[str] | tuple[str, ...], cwd: Path | str | None) -> None:
    """Note a `mkdocs` or `tracksite` command run in `cwd` (or its `--root`) if it builds the whole
    bundled course."""
    args = [str(a) for a in args]
    root = args[args.index("--root") + 1] if "--root" in args[:-1] else cwd or os.getcwd()
    words = [a for a in args if not a.startswith("-")][:3]  # the command, after --root's folder
    if _WHOLE.intersection(words) and bundled(root):
        note(BUILD, f"{' '.join(args[:4])} in {root}")


def start() -> None:
    global _noted
    _noted = []


def taken() -> list[str]:
    """What was noted since the last `start()` or `taken()`, emptied."""
    if _noted is None:
        return []
    out = list(_noted)
    _noted.clear()
    return out


def _audit(event: str, args: tuple) -> None:
    if _noted is None or event not in ("shutil.copytree", "subprocess.Popen"):
        return
    try:
        if event == "shutil.copytree":
            if Path(args[0]).resolve() in _COPIED:
                note(COPY, str(args[0]))
            return
        given = args[1] if isinstance(args[1], (list, tuple)) else str(args[1]).split()
        argv = [str(a) for a in ([args[0]] if args[0] else []) + list(given)]
        if any(Path(a).name in ("Rscript", "R") for a in argv):
            note(KNIT, " ".join(argv[:4]))
        elif any(Path(a).name in _TOOLS for a in argv):
            command(argv[next(i for i, a in enumerate(argv) if Path(a).name in _TOOLS) + 1 :], args[2])
    except Exception:  # noqa: BLE001 - an audit hook must never break what it watches
        return


def install() -> None:
    """Watch this process's copies and subprocesses (once; an audit hook stays for the process)."""
    if not getattr(install, "done", False):
        sys.addaudithook(_audit)
        install.done = True  # type: ignore[attr-defined]
