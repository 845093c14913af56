"""`tracksite bench`: how fast tracksite builds, checks and serves a large course, against a floor.

The benchmark writes a synthetic course of N lessons (tracks of 10 to 20 lessons; each lesson
with a 1,200-word body, an overview and a cheatsheet) in our authoring format, and the very same
pages as a plain MkDocs project (same theme, extensions, assets and navigation, links already
rewritten to relative `.md` paths, no tracksite plugin). It then measures, alternating the two
builds and repeating them:

1. `mkdocs build` with tracksite;
2. `mkdocs build` of the plain project: the floor our plugin adds to;
3. one lesson page's HTML size and first-visit weight (HTML, CSS, JS, fonts and images the page
   loads, each gzip -9, search included: Material's worker and whole index on the plain site,
   our search script on ours, whose engine loads only when the search is opened), for both sites;
4. `tracksite linkcheck` against `linkchecker` on the same site (internal links only), with a few
   broken links planted so that both have something to find;
5. `mkdocs serve` on the bundled course and each size: seconds from saving an edited lesson to
   the new text on the page open in Chromium, and in the page fetched every 20 ms; with
   `--serve-beside-build`, the saves again while a second `mkdocs build` runs.

Every build's peak memory is sampled (all its processes summed). `--large` adds a course of
10,000 lessons after the other sizes, measured once: opt-in, as it takes an hour or more.

    tracksite bench --sizes 10,100,1000 --repeat 3 --markdown docs/benchmarks.md

Everything runs in a temporary folder; the course in the project is not touched.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tracksite.errors import USAGE, UserError
from tracksite.tools.bench import exercises, runnable, search
from tracksite.tools.bench.course import (
    LessonPlan,
    Page,
    TrackPlan,
    cheatsheet_body,
    course_pages,
    front_matter,
    lesson_body,
    objective_words,
    overview_body,
    plain_markdown,
    plan_course,
    practice,
    track_sizes,
    write_plain_project,
    write_tracksite_project,
)
from tracksite.tools.bench.measure import (
    BROKEN_ANCHOR,
    BenchError,
    Run,
    byte_compile,
    linkchecker,
    linkchecker_binary,
    mkdocs_build,
    page_weight,
    plant_broken_links,
    run_timed,
    tracksite_linkcheck,
)
from tracksite.tools.bench.memory import LARGE
from tracksite.tools.bench.prose import ANCHORS
from tracksite.tools.bench.report import keep_profile, print_report, render_markdown, render_tables, targets
from tracksite.tools.bench.run import SizeResult, _log, bench_size, machine_info, run_benchmark
from tracksite.tools.bench.servemeasure import measure_serve

__all__ = [
    "ANCHORS",
    "LessonPlan",
    "Page",
    "TrackPlan",
    "cheatsheet_body",
    "course_pages",
    "front_matter",
    "lesson_body",
    "objective_words",
    "overview_body",
    "plain_markdown",
    "plan_course",
    "practice",
    "track_sizes",
    "write_plain_project",
    "write_tracksite_project",
    "BROKEN_ANCHOR",
    "BenchError",
    "Run",
    "byte_compile",
    "linkchecker",
    "linkchecker_binary",
    "measure_serve",
    "mkdocs_build",
    "page_weight",
    "plant_broken_links",
    "run_timed",
    "tracksite_linkcheck",
    "SizeResult",
    "bench_size",
    "machine_info",
    "run_benchmark",
    "print_report",
    "render_markdown",
    "render_tables",
    "targets",
    "register",
    "cmd_bench",
    "to_json",
]

REPO = Path(__file__).resolve().parents[4]


# -- command line --------------------------------------------------------------------------------


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a comma-separated list of numbers, e.g. 10,100,1000"
        ) from None
    if not sizes or any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive numbers of lessons")
    return sizes


def _limit(text: str) -> float | str | None:
    if text == "auto":
        return text
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds or `auto`") from None
    return value if value > 0 else None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench",
        help="benchmark builds, page weight, link checking and serve on synthetic courses",
        description="Generate synthetic courses of N lessons and time tracksite against plain MkDocs "
        "(same pages and theme), tracksite linkcheck against linkchecker, and mkdocs serve.",
    )
    p.add_argument(
        "--sizes",
        type=_sizes,
        default=[10, 100, 1000],
        metavar="N,N,...",
        help="course sizes in lessons (default 10,100,1000)",
    )
    p.add_argument(
        "--repeat", type=int, default=3, metavar="K", help="runs of each build and of tracksite linkcheck (default 3)"
    )
    p.add_argument(
        "--markdown", metavar="FILE", help="also write the results as a Markdown page (e.g. docs/benchmarks.md)"
    )
    p.add_argument("--json", metavar="FILE", help="also write the raw figures as JSON")
    p.add_argument(
        "--serve-size",
        type=int,
        metavar="N",
        help="measure mkdocs serve at this size only, and not on the bundled course (default: every size and the "
        "bundled course; 0: never)",
    )
    p.add_argument("--serve-edits", type=int, default=3, metavar="K", help="edits timed under mkdocs serve (default 3)")
    p.add_argument(
        "--serve-beside-build",
        action="store_true",
        help="time as many saves again on the same server while a second, unrelated mkdocs build (a copy of "
        "the served course, its own state folder) runs in a loop in another process: the saves under load",
    )
    p.add_argument(
        "--linkchecker-limit",
        type=_limit,
        default="auto",
        metavar="SECONDS",
        help="stop linkchecker after this long (default auto: 10.5x tracksite linkcheck's time, "
        "at least 90 s; 0: no limit)",
    )
    p.add_argument("--no-linkchecker", action="store_true", help="do not run linkchecker")
    p.add_argument("--keep", metavar="DIR", help="copy the generated projects here")
    p.add_argument("--timeout", type=float, default=1800, metavar="SECONDS", help="stop any one build after this long")
    _peer_options(p)
    _other_benchmarks(p)
    p.set_defaults(handler=cmd_bench)


def _peer_options(p: argparse.ArgumentParser) -> None:
    """What is built beside tracksite, and the large size."""
    p.add_argument(
        "--unpruned-up-to",
        type=int,
        metavar="N",
        help="build the plain project without navigation.prune only at sizes up to N lessons (its build grows "
        "with the square of the course: minutes at 1,000 lessons); default every size",
    )
    p.add_argument(
        "--no-zensical",
        action="store_true",
        help="do not install and time Zensical (by default: pip install zensical into a virtual environment "
        "in the benchmark's temporary folder)",
    )
    p.add_argument(
        "--large",
        type=int,
        nargs="?",
        const=LARGE,
        metavar="N",
        help=f"after the other sizes, a course of N lessons ({LARGE:,} when no number is given), measured once: "
        "builds A, A warm, B and Z with their peak memory, then mkdocs serve (first start, restart, saves); "
        "Material without prune and link checking are not run at that size. An hour or more at 10,000 lessons "
        "on two cores, so not in a default run",
    )


def _other_benchmarks(p: argparse.ArgumentParser) -> None:
    """The benchmarks run instead of the builds' (each writes its own part of the page)."""
    p.add_argument(
        "--search",
        action="store_true",
        help="benchmark the course search instead (tracksite's index against Material's search: index build, "
        "size, bytes and time to first result in Chromium; tracksite.tools.bench.search)",
    )
    p.add_argument(
        "--runnable",
        action="store_true",
        help="benchmark runnable code instead: the interpreter's bytes and the seconds from the first click on "
        "Run to the first output in Chromium (tracksite.tools.bench.runnable)",
    )
    p.add_argument(
        "--exercises",
        type=int,
        metavar="N",
        help="benchmark proving exercises instead: `check --run-code` (CPython in the sandbox), again with the "
        "verdicts kept, and `--in-page-python` (Pyodide under Node) on N synthetic exercises "
        "(tracksite.tools.bench.exercises)",
    )


def cmd_bench(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    repo = root if (root / "mkdocs.yml").is_file() and (root / "lessons").is_dir() else REPO
    if args.repeat < 1:
        raise UserError("--repeat must be at least 1", exit_code=USAGE)
    if args.search:
        return search.cmd(args, repo)
    if args.runnable:
        return runnable.cmd(args)
    if args.exercises is not None:
        if args.exercises < 1:
            raise UserError("--exercises takes a positive number of exercises, e.g. --exercises 500", exit_code=USAGE)
        return exercises.cmd(args)
    if args.large is not None and args.large < 1:
        raise UserError("--large takes a positive number of lessons, e.g. --large 10000", exit_code=USAGE)
    serve_size = set(args.sizes) if args.serve_size is None else {args.serve_size}
    command = _command(args)
    data = run_benchmark(
        args.sizes,
        args.repeat,
        repo=repo,
        serve_size=serve_size or None,
        serve_bundled=args.serve_size is None,
        serve_edits=args.serve_edits,
        serve_beside_build=args.serve_beside_build,
        linkchecker_limit=args.linkchecker_limit,
        use_linkchecker=not args.no_linkchecker,
        timeout=args.timeout,
        keep=Path(args.keep).resolve() if args.keep else None,
        unpruned_up_to=args.unpruned_up_to,
        zensical=not args.no_zensical,
        large=args.large,
        progress=lambda data: _write(args, data, command),
    )
    print_report(data)
    _write(args, data, command)
    return 0


def _command(args: argparse.Namespace) -> str:
    """The command line that reproduces the run, for the page."""
    command = "tracksite bench --sizes " + ",".join(map(str, args.sizes)) + f" --repeat {args.repeat}"
    if args.serve_size is not None:
        command += f" --serve-size {args.serve_size}"
    if args.serve_edits != 3:
        command += f" --serve-edits {args.serve_edits}"
    if args.serve_beside_build:
        command += " --serve-beside-build"
    if args.linkchecker_limit != "auto":
        command += f" --linkchecker-limit {args.linkchecker_limit or 0:g}"
    if args.no_linkchecker:
        command += " --no-linkchecker"
    if args.unpruned_up_to is not None:
        command += f" --unpruned-up-to {args.unpruned_up_to}"
    if args.no_zensical:
        command += " --no-zensical"
    if args.large is not None:
        command += " --large" + ("" if args.large == LARGE else f" {args.large}")
    if args.markdown:
        command += f" --markdown {args.markdown}"
    return command


def _write(args: argparse.Namespace, data: dict[str, Any], command: str) -> None:
    """The page and the JSON, after each build and at the end: a run stopped during a long size
    (`--large`) leaves the builds it finished, and says which size it was measuring."""
    if args.markdown:
        page = Path(args.markdown)  # the search part of the page stays, and the profile
        old = page.read_text(encoding="utf-8") if page.is_file() else ""
        text = render_markdown(data, command)
        text = exercises.keep_section(page, runnable.keep_section(page, search.keep_section(page, text)))
        page.write_text(keep_profile(old, text), encoding="utf-8")
        _log(f"wrote {args.markdown}")
    if args.json:
        Path(args.json).write_text(json.dumps(to_json(data), indent=2), encoding="utf-8")
        _log(f"wrote {args.json}")


def to_json(data: dict[str, Any]) -> dict[str, Any]:
    def run(r: Run) -> dict[str, float]:
        return {"wall": round(r.wall, 4), "cpu": round(r.cpu, 4), "memory": r.memory, "resident": r.resident}

    sizes = []
    for r in data["sizes"]:
        lc = r.linkchecker
        sizes.append(
            {
                "lessons": r.n,
                "large": r.large,
                "stopped": r.stopped,
                "tracks": r.tracks,
                "pages": r.pages,
                "lesson_words": r.lesson_words,
                "lesson_url": r.lesson_url,
                "tracksite_build": [run(x) for x in r.tracksite],
                "plain_build": [run(x) for x in r.plain],
                "prune_build": [run(x) for x in r.prune],
                "tracksite_warm_build": [run(x) for x in r.warm],
                "zensical_build": [run(x) for x in r.zensical],
                "zensical_warm_build": [run(x) for x in r.zensical_warm],
                "weight_prune": r.weight_prune,
                "serve_restart": r.restart,
                "weight_tracksite": r.weight_tracksite,
                "weight_plain": r.weight_plain,
                "planted": sorted(r.planted),
                "tracksite_linkcheck": [run(x) for x in r.ours],
                "tracksite_linkcheck_problems": r.ours_problems,
                "tracksite_linkcheck_targets": sorted(r.ours_targets),
                "linkchecker": None
                if lc is None
                else lc
                if "error" in lc
                else {
                    **run(lc["run"]),
                    "problems": len(lc["problems"]),
                    "targets": sorted(lc["targets"]),
                    "stopped": lc["stopped"],
                },
                "serve": r.serve,
            }
        )
    return {
        "machine": data["machine"],
        "date": data["date"],
        "repeat": data["repeat"],
        "seconds": data["seconds"],
        "zensical": data.get("zensical"),
        "pending": data.get("pending", []),
        "bundled_serve": data.get("bundled_serve"),
        "sizes": sizes,
        "targets": [{"target": t, "measured": m, "met": ok} for t, m, ok in targets(data)],
    }
