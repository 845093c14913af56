"""`tracksite check --watch`: the checks of `tracksite check`, run again on every save.

An editor that reads a background task's output (VS Code's problem matchers, and any editor that
runs a compiler in watch mode) gets squiggles in Markdown files, front-matter and `///` block
bodies included, with nothing to install: each run is printed between a begin line and an end
line (`BEGIN`, `END` below), which `.vscode/tasks.json` matches, and the problem lines between
them are exactly `tracksite check`'s (tests/commands/test_check_watch.py holds the two together).

The watch is robust to what an editor and an instructor do: a YAML slip mid-edit is a problem
in the output, not a crash; a folder deleted and created again is watched again; Ctrl-C and
SIGTERM end it cleanly.
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from watchdog.events import FileSystemEventHandler
from watchdog.observers import Observer

from tracksite.errors import UserError

if TYPE_CHECKING:  # watchdog is imported when watching starts
    from watchdog.observers.api import ObservedWatch

BEGIN = "tracksite check --watch: checking"
END = "tracksite check --watch: done:"
SOURCES = ("lessons", "cheatsheets", "docs")
CONFIG_SUFFIXES = (".yml", ".yaml")  # mkdocs.yml, a file given with -f, a file they INHERIT
QUIET = 0.3
"""Seconds without a change before a run: an editor's save is several events (a temporary file,
a rename, a folder's times), and one run should see all of them."""
CHANGES = frozenset({"created", "modified", "deleted", "moved"})
"""Not `opened` or `closed`: the checks read every file, and a run must not start the next."""


def is_source_change(root: Path, event) -> bool:
    """Whether a file-system event can change what `tracksite check` reports: a change under
    lessons/, cheatsheets/ or docs/, or to a YAML file beside mkdocs.yml (the configuration, the
    one given with -f, a file it INHERITs); not an editor's swap or backup file."""
    if event.event_type not in CHANGES:
        return False
    for raw in (event.src_path, getattr(event, "dest_path", "") or ""):
        if not raw:
            continue
        path = Path(raw if isinstance(raw, str) else raw.decode(errors="replace"))
        try:
            rel = path.relative_to(root)
        except ValueError:
            continue
        name = rel.name
        if name.startswith(".") or name.endswith(("~", ".swp", ".swx", ".tmp")) or name == "4913":
            continue  # vim, emacs and atomic-save droppings: the real save follows
        if rel.parts and (rel.parts[0] in SOURCES or (len(rel.parts) == 1 and rel.suffix in CONFIG_SUFFIXES)):
            return True
    return False


class Watch:
    """The watched folders: mkdocs.yml's folder without its subfolders (so .venv/ and site/ cost
    nothing), and each source folder with its subfolders, watched again when it is created anew."""

    def __init__(self, root: Path, changed: Callable[[], None]) -> None:
        root_ = root

        class Handler(FileSystemEventHandler):
            def on_any_event(self, event) -> None:
                if is_source_change(root_, event):
                    changed()

        self.root = root
        self.handler = Handler()
        self.observer = Observer()
        self.observer.schedule(self.handler, str(root), recursive=False)
        self.watches: dict[str, tuple[ObservedWatch, int]] = {}  # folder -> (watch, inode when scheduled)
        self.refresh()
        self.observer.start()

    def refresh(self) -> None:
        """Watch each source folder that exists, again if it was deleted and created since (the
        operating system's watch of a deleted folder ends with it)."""
        for name in SOURCES:
            folder = self.root / name
            try:
                inode = folder.stat().st_ino if folder.is_dir() else None
            except OSError:
                inode = None
            old = self.watches.get(name)
            if old and (inode is None or old[1] != inode or not self._alive(old[0])):
                try:
                    self.observer.unschedule(old[0])
                except (KeyError, OSError):
                    pass
                del self.watches[name]
            if inode is not None and name not in self.watches:
                try:
                    self.watches[name] = (self.observer.schedule(self.handler, str(folder), recursive=True), inode)
                except OSError:  # deleted again meanwhile: the next refresh tries again
                    pass

    def _alive(self, watch) -> bool:
        emitter = getattr(self.observer, "_emitter_for_watch", {}).get(watch)
        return emitter is None or emitter.is_alive()

    def stop(self) -> None:
        self.observer.stop()
        self.observer.join(timeout=5)


def run_once(run: Callable[[], tuple[str, str, int]], why: str) -> None:
    """One check between the begin and end lines; whatever goes wrong is reported in between."""
    print(f"{BEGIN} ({why})" if why else BEGIN, flush=True)
    try:
        out, summary, _ = run()
    except UserError as e:
        out, summary = f"tracksite check: error: {e}", "the check could not run"
    except OSError as e:  # a folder deleted while it was being read: the next save checks again
        out, summary = f"tracksite check: error: {e}", "the check could not run"
    except Exception as e:  # noqa: BLE001 - a bug in a check must not end the watch
        out, summary = (
            (
                f"tracksite check: internal error ({type(e).__name__}: {e}). This is a bug in tracksite: "
                "please report it"
            ),
            "the check could not run",
        )
    if out:
        print(out, flush=True)
    print(
        f"{END} {summary}; watching {', '.join(s + '/' for s in SOURCES)} and the settings beside mkdocs.yml (Ctrl-C stops)",
        flush=True,
    )


def watch(root: Path, run: Callable[[], tuple[str, str, int]]) -> int:
    """Check, then check again after every change, until Ctrl-C or SIGTERM; exit 0 when stopped."""
    pending = threading.Event()
    stop = threading.Event()
    previous = signal.signal(signal.SIGTERM, lambda *_: stop.set())
    watcher = None
    try:
        watcher = Watch(root, pending.set)  # before the first run: a save during it counts
        run_once(run, "")
        while not stop.is_set():
            if not pending.wait(0.5):
                watcher.refresh()
                continue
            while pending.is_set() and not stop.is_set():  # wait for the save to settle
                pending.clear()
                time.sleep(QUIET)
            if stop.is_set():
                break
            watcher.refresh()
            run_once(run, "a file changed")
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        if watcher:
            watcher.stop()
    print("tracksite check --watch: stopped", file=sys.stderr, flush=True)
    return 0
