"""Timing builds, weighing pages and checking links (tracksite linkcheck against linkchecker);
`mkdocs serve`'s saves are timed in servemeasure.py."""

from __future__ import annotations

import compileall
import contextlib
import csv
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import tracksite
from tracksite.core.markdown import references as refs
from tracksite.errors import USAGE, UserError
from tracksite.localserver import QuietHandler, serve_folder
from tracksite.tools.bench.course import TrackPlan
from tracksite.tools.bench.prose import ANCHORS
from tracksite.tools.weight import first_visit_weight, gzip_size

REPO = Path(__file__).resolve().parents[4]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}


def byte_compile() -> None:
    """Compile tracksite's modules to bytecode before anything is timed, as pip does for MkDocs
    and Material when it installs them. An editable install only writes bytecode on a first
    import, and not at all where PYTHONDONTWRITEBYTECODE is set: every timed build would then
    compile tracksite from source (about 60 ms of each build here), which an instructor's
    builds after the first one never do."""
    compileall.compile_dir(str(Path(tracksite.__file__).parent), quiet=1)


# -- measuring -----------------------------------------------------------------------------------


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def BenchError(message: str) -> UserError:  # noqa: N802 - a build or checker the benchmark needs failed
    return UserError(message, exit_code=USAGE)


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and of the children it waited for
    returncode: int
    stdout: str
    stderr: str
    memory: int = 0  # bytes: the peak, sampled, of all its processes' memory summed (PSS: shared pages once)
    resident: int = 0  # bytes: the same peak with each process's resident memory counted in full (RSS)


#: Seconds between two samples of a run's memory.
MEMORY_EVERY = 0.1


def _proportional(pid: str) -> int | None:
    """A process's proportional set size in bytes (a page shared by two processes counts half in
    each); None where the kernel does not say (no smaps_rollup: before Linux 4.14)."""
    with contextlib.suppress(OSError, ValueError, IndexError):
        with open(f"/proc/{pid}/smaps_rollup", encoding="ascii", errors="replace") as fh:
            for line in fh:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    return None


def session_memory(session: int) -> tuple[int, int]:
    """The memory of every process in a session (a build and its helpers), summed, in bytes, as
    (proportional, resident). PSS counts each physical page once however many processes share it,
    as a container's memory controller charges it; RSS counts each process in full, as `ps` does, so
    a forked helper's shared pages count twice. (0, 0) without /proc; RSS stands in for a PSS not known."""
    pss = rss = 0
    with contextlib.suppress(OSError):
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
                if int(fields[3]) != session:  # (state, ppid, pgrp, session)
                    continue
                with open(f"/proc/{name}/statm", encoding="ascii") as fh:
                    resident = int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
            except (OSError, ValueError, IndexError):
                continue
            rss += resident
            proportional = _proportional(name)
            pss += resident if proportional is None else proportional
    return pss, rss


class PeakMemory:
    """The peak of `session_memory`, sampled by a thread every `MEMORY_EVERY` s while a process
    that does not end by itself runs (`mkdocs serve`: its first build, its rebuilds and what it
    keeps between them); `run_timed` samples between its own waits instead."""

    def __init__(self, session: int) -> None:
        self.session, self.peak, self.resident = session, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop.wait(MEMORY_EVERY):
            pss, rss = session_memory(self.session)
            self.peak, self.resident = max(self.peak, pss), max(self.resident, rss)

    def stop(self) -> int:
        self._stop.set()
        self._thread.join()
        return self.peak


def run_timed(cmd: list[str], cwd: Path, timeout: float, env: dict | None = None) -> Run:
    """Run a command to its end, with its wall-clock and CPU time; killed after `timeout` s.
    Files written before (the generated course, the last build's 2 GB) are flushed to disk first,
    so that their write-back does not land in this run's time."""
    if hasattr(os, "sync"):
        os.sync()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env or ENV, start_new_session=True
        )
        memory, resident, sampled = 0, 0, 0.0
        while True:
            if time.perf_counter() - sampled >= MEMORY_EVERY:
                sampled = time.perf_counter()
                pss, rss = session_memory(proc.pid)
                memory, resident = max(memory, pss), max(resident, rss)
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise BenchError(f"`{' '.join(cmd[1:4])} ...` took more than {timeout:.0f} s and was stopped")
            time.sleep(0.005)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(
            wall,
            usage.ru_utime + usage.ru_stime,
            proc.returncode,
            out.read().decode("utf-8", "replace"),
            err.read().decode("utf-8", "replace"),
            memory,
            resident,
        )


#: The last runs' sites and caches, moved aside before a build and removed after a size's builds.
_ASIDE: list[Path] = []


def aside(folder: Path, into: Path | None = None) -> None:
    """Move the last run's site (or cache) out of the way, into `into` (beside it by default),
    rather than delete it just before a timed build: on ext4 without a journal (this machine's),
    an inode freed in the last minute is skipped, with a lookup, by the next allocations, so
    thousands of files deleted here put seconds of the kernel's time into the next build,
    whichever tool it is."""
    if folder.exists():
        into = into or folder.parent
        n = 0
        while (moved := into / f"{folder.name}.old-{n}").exists():
            n += 1
        folder.rename(moved)
        _ASIDE.append(moved)


def drop_aside() -> None:
    """Remove the sites moved aside (after a size's builds, before what is not a build)."""
    while _ASIDE:
        shutil.rmtree(_ASIDE.pop(), ignore_errors=True)


def mkdocs_build(project: Path, site: Path, timeout: float) -> Run:
    """`mkdocs build` as a user runs it (strict, from mkdocs.yml), into a fresh folder."""
    aside(site)
    run = run_timed([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)], project, timeout)
    if run.returncode != 0:
        raise BenchError(f"mkdocs build failed in {project}:\n{run.stderr[-3000:]}")
    return run


def page_weight(site: Path, url: str) -> dict[str, Any]:
    """The page's HTML size and its first-visit weight (tracksite.tools.weight: HTML, CSS, JS, fonts,
    images, widget data and the search files the page loads, each gzip -9)."""
    html = (site / url / "index.html").read_bytes()
    weight = first_visit_weight(site, url)
    return {
        "html": len(html),
        "html_gzip": gzip_size(html),
        "weight_gzip": weight["total_gzip"],
        "by_kind": weight["by_kind"],
        "missing": weight["missing"],
    }


# -- link checking -------------------------------------------------------------------------------

BROKEN_ANCHOR = "no-such-heading"


def plant_broken_links(site: Path, tracks: list[TrackPlan]) -> set[str]:
    """Break the built site in two known ways, so that both checkers have something to find:
    delete one page (the last lesson's cheatsheet) and point one link at a missing heading.
    Returns the broken targets as site paths (`track/lesson/page/`, `...#anchor`)."""
    last = tracks[-1].lessons[-1]
    gone = refs.url("cheatsheet", last.track, last.slug)
    shutil.rmtree(site / gone)
    first = tracks[0].lessons[0]
    page_url = refs.url("lesson", first.track, first.slug)
    page = site / page_url / "index.html"
    html = page.read_text(encoding="utf-8")
    # The lesson's link to the next lesson's worked example (not the page's own table of contents).
    m = re.search(r'href="([^"#]+)#' + ANCHORS["A worked example"] + '"', html)
    if m is None:
        raise BenchError(f"no link to #{ANCHORS['A worked example']} in {page}")
    page.unlink()  # a new file: the built one may be a link to the build cache's copy (keptfiles.py)
    page.write_text(html[: m.start()] + f'href="{m.group(1)}#{BROKEN_ANCHOR}"' + html[m.end() :], encoding="utf-8")
    target = _site_path(urljoin("/" + page_url, m.group(1)))
    return {gone, f"{target}#{BROKEN_ANCHOR}"}


def _site_path(path: str) -> str:
    """`/a/b/index.html` and `/a/b/` both as `a/b/`: one spelling per page for comparing findings."""
    path = unquote(path).lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return path


# How `tracksite linkcheck` names a broken target in its messages: a missing page (`no page X in
# the site`, `X is not in the site`, `the folder X of the site has no index.html`, a search result
# that `leads to "X#y": no such page`) or a missing id (`X has no element with id "y"`).
_OUR_FRAGMENT = re.compile(r"(?:(\S+)|leads to \"([^\"#]*)(?:#[^\"]*)?\":?) has no element with id \"([^\"]*)\"")
_OUR_MISSING = (
    re.compile(r"no page (\S+) in the site"),
    re.compile(r"the folder (\S+) of the site has no"),
    re.compile(r"leads to \"([^\"#]*)(?:#[^\"]*)?\""),
    re.compile(r"(\S+) is not in the site"),
)


def _our_target(message: str) -> str:
    if m := _OUR_FRAGMENT.search(message):
        return f"{_site_path(m.group(1) or m.group(2))}#{m.group(3)}"
    for rx in _OUR_MISSING:
        if m := rx.search(message):
            return _site_path(m.group(1))
    return message


def tracksite_linkcheck(site: Path, timeout: float) -> tuple[Run, list[dict], set[str]]:
    """`tracksite linkcheck SITE --format json`: the run, its problems and their targets."""
    run = run_timed(
        [sys.executable, "-m", "tracksite.commands.cli", "linkcheck", str(site), "--format", "json"],
        site.parent,
        timeout,
    )
    if run.returncode not in (0, 1):
        raise BenchError(f"tracksite linkcheck failed ({run.returncode}):\n{run.stderr[-2000:]}")
    problems = json.loads(run.stdout) if run.stdout.strip() else []
    return run, problems, {_our_target(p["message"]) for p in problems}


class _Handler(QuietHandler):
    def end_headers(self) -> None:
        # linkchecker sends at most 10 requests a second to a server unless the server answers
        # with this header; the site is ours and local, so let it go as fast as it can.
        self.send_header("LinkChecker", "tracksite-bench")
        super().end_headers()


def linkchecker_binary() -> str | None:
    here = Path(sys.executable).parent / "linkchecker"
    return str(here) if here.exists() else shutil.which("linkchecker")


def linkchecker(site: Path, work: Path, limit: float | None) -> dict[str, Any]:
    """linkchecker (PyPI) over HTTP on 127.0.0.1: internal links only (its default), anchors
    checked (its AnchorCheck plugin, as `tracksite linkcheck` checks fragments), no rate limit;
    stopped after `limit` seconds when given."""
    exe = linkchecker_binary()
    if exe is None:
        return {"error": "linkchecker is not installed (pip install linkchecker)"}
    work.mkdir(parents=True, exist_ok=True)
    config = work / "linkcheckerrc"
    config.write_text(
        # maxfilesizeparse: linkchecker skips the links of a page over 1 MB by default; no page of
        # the synthetic courses is that large now, but a limit must not decide what is checked
        "[checking]\nthreads=10\nmaxrequestspersecond=1000000\nmaxfilesizeparse=100000000\n"
        + (f"maxrunseconds={max(1, int(limit))}\n" if limit else "")
        + "[filtering]\ncheckextern=0\n[AnchorCheck]\n",
        encoding="utf-8",
    )
    # Run as root, linkchecker drops privileges to `nobody`, which must still read its config.
    os.chmod(work, 0o755)
    os.chmod(config, 0o644)
    with serve_folder(site, _Handler) as base:
        try:
            run = run_timed(
                [exe, "-f", str(config), "--no-status", "-o", "csv", base], work, timeout=(limit or 3600) + 120
            )
        except UserError as e:  # it hung past its own time limit: said in the table, the run goes on
            return {"error": f"linkchecker did not stop at its own limit and was killed ({e})"}
    if run.returncode not in (0, 1):
        raise BenchError(f"linkchecker failed ({run.returncode}):\n{run.stderr[-2000:]}")
    rows = [line for line in run.stdout.splitlines() if line and not line.startswith("#")]
    problems, targets = [], set()
    if rows:
        for row in csv.DictReader(rows, delimiter=";"):
            if row.get("urlname") == "urlname":
                continue
            warning = row.get("warningstring") or ""
            if row.get("valid") == "True" and "Anchor" not in warning:
                continue
            problems.append(row)
            parts = urlsplit(row.get("url") or "")
            target = _site_path(parts.path)
            if "Anchor" in warning and parts.fragment:
                target += f"#{parts.fragment}"
            targets.add(target)
    stopped = bool(limit) and "Interrupt after" in run.stderr  # linkchecker's word for maxrunseconds
    return {"run": run, "problems": problems, "targets": targets, "stopped": stopped}
