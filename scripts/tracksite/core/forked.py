"""Work done beside the build in a forked copy of this process, its result handed back by a pipe.

A build on a machine with more than one core leaves all but one idle: the checks' passes and the
pages' conversion and rendering are each a loop over the course that one process runs. A fork
starts a helper that already has everything loaded (the model, the pages, the templates), so
the build can hand it part of a loop and take back only the result. The result is a value to
trust no more than its absence: whoever started a helper does the work itself when the helper
returns nothing (it raised, it died, it was killed).

A helper writes nothing but its pipe (its standard output and error go to /dev/null: what it
would say, the build says) and leaves by `os._exit` (no exit handler, no buffer flushed twice).
There is none where `os.fork` is missing, nor while another thread runs (a lock it holds would
stay locked in the copy).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tracksite.core import memo

ENV = "TRACKSITE_PROCESSES"
MAX_AUTO = 4


def processes(items: int, min_share: int) -> int:
    """How many processes should share `items` units of work: TRACKSITE_PROCESSES when set (1:
    no helper), otherwise one per core (at most MAX_AUTO), each with `min_share` units at least."""
    text = os.environ.get(ENV, "").strip()
    if text.isdigit():
        return max(1, int(text))
    if not hasattr(os, "fork"):
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, MAX_AUTO, items // max(1, min_share)))


#: The build's processes together stay under this many bytes: a helper starts with the build's
#: memory mapped, which counts in both, so a course whose build holds more than half of it is
#: built by fewer processes (at 10,000 lessons, about 0.75-0.9 GB each: one process;
#: docs/benchmarks.md). The checks' helper (core/checks) and the pages' (adapter/caches/parallel.py)
#: are both bound by it.
MEMORY_BUDGET = 1_500_000_000
#: A process keeps growing while its helpers work, and they with it: at 10,000 lessons the checks'
#: helper was forked from a build of 0.75 GB, which grew to 0.81 GB beside it (1.56 GB summed).
GROWTH = 1.25


def resident() -> int:
    """This process's resident memory in bytes (0 where /proc is not: no bound then)."""
    try:
        with open("/proc/self/statm", encoding="ascii") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError, AttributeError):
        return 0


def affordable(processes: int, memory: int) -> int:
    """Of `processes` (the build and its helpers), how many a build holding `memory` bytes may
    run within `MEMORY_BUDGET`, each counted as it will grow; as many as asked when
    TRACKSITE_PROCESSES says how many."""
    if memory <= 0 or os.environ.get(ENV, "").strip():
        return processes
    return max(1, min(processes, int(MEMORY_BUDGET // (memory * GROWTH))))


def shares(count: int, n: int, own: float) -> list[range]:
    """`count` items in `n` contiguous shares; the first, the caller's own, weighs `own` of another."""
    weights = [own] + [1.0] * (n - 1)
    total, edges, start = sum(weights), [0], 0.0
    for w in weights[:-1]:
        start += w * count / total
        edges.append(round(start))
    edges.append(count)
    return [range(a, b) for a, b in zip(edges, edges[1:]) if b > a]


@dataclass
class Helper:
    pid: int
    fd: int
    done: bool = False

    def result(self) -> Any | None:
        """What the helper's work returned, or None when it returned nothing (waits for it)."""
        if self.done:
            return None
        self.done = True
        try:
            with os.fdopen(self.fd, "rb") as pipe:
                value = pickle.load(pipe)
        except (EOFError, OSError, pickle.UnpicklingError, AttributeError, ImportError):
            value = None
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)
        return value

    def stop(self) -> None:
        """Kill it, if its result is no longer wanted."""
        if self.done:
            return
        self.done = True
        with contextlib.suppress(OSError):
            os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(self.fd)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self.pid, 0)


def start(work: Callable[[], Any]) -> Helper | None:
    """Run `work` in a forked copy of this process; None when no helper can be started here."""
    if not hasattr(os, "fork") or threading.active_count() > 1:
        return None
    sys.stdout.flush()
    sys.stderr.flush()
    parent, frozen = os.getpid(), gc.get_freeze_count()
    read, write = os.pipe()
    gc.freeze()  # (the helper's collector leaves the build's objects alone: its passes would copy their pages)
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    finally:
        if os.getpid() == parent and not frozen:  # (frozen by whoever forked this process: left so)
            gc.unfreeze()
    if pid == 0:  # the helper: never returns
        try:
            os.close(read)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, 1)
            os.dup2(null, 2)
            memo.inherit()  # (what it works out for itself is not kept after the page it is on)
            value = work()
            with os.fdopen(write, "wb") as pipe:
                pickle.dump(value, pipe, protocol=pickle.HIGHEST_PROTOCOL)
        finally:
            os._exit(0)
    os.close(write)
    return Helper(pid, read)
