"""Which watcher `mkdocs serve` uses: inotify where the system has it, so that a save is seen at
once, with the polling observer MkDocs uses everywhere else (adapter/serve/devserver.py); and
whether what it reports can be trusted (`LostEvents`: the kernel's queue overflowed)."""

from __future__ import annotations

import inspect
import logging
import os
from collections.abc import Sequence
from typing import Any

import watchdog.events as ev

try:  # inotify is Linux's: elsewhere (ImportError, or watchdog's UnsupportedLibcError) the polling observer stays
    from watchdog.observers import inotify_c
    from watchdog.observers.inotify import InotifyObserver
except Exception:  # noqa: BLE001 - a platform without inotify: both checked before use
    inotify_c = InotifyObserver = None  # type: ignore[misc,assignment]


def quicker_observer(paths: Sequence[str], timeout: float) -> Any:
    """An inotify observer (a save is seen at once) instead of the polling one, which scans every
    watched file every half second: on a large course that scan, and the wait for it, were a good
    part of the time from save to page. None where inotify is missing or refuses (too many
    watches: tried first on every folder to watch), and the polling observer stays."""
    if InotifyObserver is None or "event_filter" not in inspect.signature(InotifyObserver.schedule).parameters:
        return None  # watchdog before 4.0: reads could not be told apart from writes
    try:
        trial = _WritesObserver()
        for path in {p for p in paths if os.path.exists(p)}:
            trial.schedule(ev.FileSystemEventHandler(), path, recursive=True)
        trial.start()
        trial.stop()
        trial.join(5)
    except (OSError, RuntimeError):
        return None
    return _WritesObserver(timeout=timeout)


def _WritesObserver(**kwargs: Any) -> Any:
    """An inotify observer that reports changes only: to inotify, opening and reading a file (as
    every build does with every source) is an event too, and the server rebuilds on any event."""
    files = [ev.FileCreatedEvent, ev.FileDeletedEvent, ev.FileModifiedEvent, ev.FileMovedEvent, ev.FileClosedEvent]
    changes = [*files, ev.DirCreatedEvent, ev.DirDeletedEvent, ev.DirMovedEvent]

    class Writes(InotifyObserver):
        def schedule(
            self,
            event_handler: Any,
            path: Any,
            *,
            recursive: bool = False,
            event_filter: Any = None,
            follow_symlink: bool = False,
        ) -> Any:
            return super().schedule(
                event_handler,
                path,
                recursive=recursive,
                event_filter=event_filter or changes,
                follow_symlink=follow_symlink,
            )

    return Writes(**kwargs)


class LostEvents(logging.Handler):
    """When the kernel's inotify queue overflows, watchdog (7.x) logs it and the lost saves are
    never reported: the next build then asks about every file again, as after a start."""

    LOGGER = "watchdog.observers.inotify_c"

    def __init__(self, server: Any) -> None:
        super().__init__(logging.WARNING)
        self.server = server

    @classmethod
    def listen(cls, server: Any) -> bool:
        """Listen for the overflow; False where this watchdog does not say it (nothing trusted)."""
        if inotify_c is None or not hasattr(inotify_c.InotifyEvent, "is_queue_overflow"):
            return False  # (no inotify: the polling observer, which is never trusted)
        logger = logging.getLogger(cls.LOGGER)
        if not logger.isEnabledFor(logging.WARNING):
            logger.setLevel(logging.WARNING)
        for handler in logger.handlers:
            if isinstance(handler, cls):  # one a process: the server serving now is the one told
                handler.server = server
                return True
        logger.addHandler(cls(server))
        return True

    def emit(self, record: logging.LogRecord) -> None:
        if "overflow" in record.getMessage():
            self.server.request_build()  # (no event: no path to name, every file asked about)
