"""`tracksite bench --runnable`: what runnable code costs a learner (issue 55).

A synthetic course of 10 lessons (`tools/bench/course.py`) gets one `/// runnable` block in its
first lesson; the benchmark builds it and measures:

1. the bytes: every file the build publishes for the interpreter (`theme.RUNTIME`: Pyodide, the
   worker, the runner), and those a learner's browser requested for a first run, each raw and as
   a server sends it compressed (gzip -9, `tools/weight.py`'s measure);
2. in Chromium (Debian's), on an empty cache each time: the seconds from the click on Run to the
   program's first output on screen (the interpreter downloaded, compiled and started, the code
   run), and a second run on the same page, once Python is up;
3. a second and a third lesson's first Run (issue 70), as a learner meets them: a browser with a
   profile on disk (its HTTP cache, compiled WebAssembly and Cache Storage kept between pages, as
   a learner's browser keeps them), the first lesson run, then the next lesson opened and Run
   clicked as soon as it shows, then the third likewise; a fresh profile for each repeat. It
   notes how each page's Python started (`<html data-ts-python-start>`: "saved", from the
   interpreter's memory the first start kept; "fresh", started afresh).

    tracksite bench --runnable --repeat 3 --markdown docs/benchmarks.md

`--markdown` replaces the part of the page between `<!-- runnable-bench -->` and
`<!-- /runnable-bench -->` (appending it the first time), leaving the rest as it is.
"""

from __future__ import annotations

import re
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from tracksite import theme
from tracksite.core import widgetregistry as W
from tracksite.localserver import serve_folder
from tracksite.tools.bench.course import plan_course, write_tracksite_project
from tracksite.tools.bench.measure import byte_compile, mkdocs_build
from tracksite.tools.bench.run import (
    _log,
    chromium,
    chromium_profile,
    keep_bench_section,
    machine_info,
    write_bench_section,
)
from tracksite.tools.weight import first_visit_weight, gzip_size

START, END = "<!-- runnable-bench -->", "<!-- /runnable-bench -->"
BLOCK = """

/// runnable | Benchmark
code: |
  total = sum(i * i for i in range(1000))
  print("sum of squares:", total)
///
"""


#: Issue 83's budget: a runnable lesson's first visit loads at most this many bytes of assets
#: (every file but the page's HTML, gzip -9), the editor and Python left for the learner's intent.
FIRST_VISIT_BUDGET = 90_000


def write_course(work: Path) -> tuple[Path, list[str]]:
    """The synthetic course with a runnable block in its first three lessons: (its folder, their
    pages)."""
    tracks = plan_course(10)
    root = write_tracksite_project(work / "course", tracks)
    pages = []
    for lesson in tracks[0].phases[0][1][:3]:
        path = root / "lessons" / tracks[0].slug / lesson.slug / "lesson.md"
        path.write_text(path.read_text(encoding="utf-8") + BLOCK, encoding="utf-8")
        pages.append(f"{tracks[0].slug}/{lesson.slug}/")
    return root, pages


def build(work: Path, timeout: float) -> tuple[Path, list[str]]:
    """The synthetic course of `write_course`, built: (site, the runnable pages)."""
    root, pages = write_course(work)
    mkdocs_build(root, work / "site", timeout)
    return work / "site", pages


def first_visit(site: Path, page_url: str) -> dict[str, Any]:
    """A runnable lesson's first visit (`tools/weight.py`, gzip -9): its assets (every file but the
    HTML), what loads on intent (the editor), and whether the assets keep `FIRST_VISIT_BUDGET`."""
    weight = first_visit_weight(site, page_url)
    assets = sum(r["gzip"] for r in weight["resources"] if r["kind"] != "html")
    return {
        "assets_gzip": assets,
        "on_intent_gzip": weight["on_intent_gzip"],
        "budget": FIRST_VISIT_BUDGET,
        "within": assets <= FIRST_VISIT_BUDGET,
    }


def runtime_bytes(site: Path) -> dict[str, int]:
    """What the build publishes for the interpreter: files, bytes, bytes gzip -9."""
    files = [p for p in site.rglob("*") if p.is_file() and p.relative_to(site).as_posix().startswith(theme.RUNTIME)]
    return {
        "files": len(files),
        "raw": sum(p.stat().st_size for p in files),
        "gzip": sum(gzip_size(p.read_bytes()) for p in files),
    }


def first_runs(site: Path, page_url: str, repeat: int) -> list[dict[str, Any]]:
    """Each run in a fresh browser context (an empty cache): seconds to first output, to a
    second run's output, and the bytes of what the browser requested for Python."""
    with serve_folder(site) as base, chromium("runnable") as browser:
        return [_one_run(browser, base, site, page_url) for _ in range(repeat)]


def _run_block(page) -> tuple[Any, Any, float]:
    """Click the page's Run as soon as it shows, the pointer over the block (its script loads on
    that intent): (the block, its Run, seconds to the output)."""
    block = page.locator(f"[data-widget={W.RUNNABLE.name}]").first
    # the output and Run as a learner finds them: their names begin with the words they show
    output = block.get_by_role("region", name=re.compile(r"^Output\b"))
    run = block.get_by_role("button", name=re.compile(r"^Run\b"))
    block.hover()  # the learner's pointer on its way to Run: the editor loads on intent (issue 83)
    run.wait_for(timeout=60_000)
    t0 = time.monotonic()
    run.click()
    output.filter(has_text="sum of squares").wait_for(timeout=180_000)
    return block, run, time.monotonic() - t0


def _one_run(browser, base: str, site: Path, page_url: str) -> dict[str, Any]:
    context = browser.new_context()
    page = context.new_page()
    asked: list[str] = []
    context.on("request", lambda r: asked.append(r.url))
    page.goto(base + page_url, wait_until="networkidle")
    block, run, first = _run_block(page)
    output = block.get_by_role("region", name=re.compile(r"^Output\b"))
    block.get_by_role("status").filter(has_text="Finished").wait_for(timeout=60_000)
    t1 = time.monotonic()
    run.click()
    output.filter(has_text="sum of squares").wait_for(timeout=60_000)
    again = time.monotonic() - t1
    context.close()
    files = {u.removeprefix(base) for u in asked if u.startswith(base)}
    python = [site / f for f in files if f.startswith(theme.RUNTIME) or "/runnable." in f"/{f}"]
    python = [f for f in python if f.is_file()]
    return {
        "first_s": first,
        "again_s": again,
        "asked_raw": sum(f.stat().st_size for f in python),
        "asked_gzip": sum(gzip_size(f.read_bytes()) for f in python),
    }


def next_lessons(site: Path, pages: list[str], repeat: int) -> list[dict[str, Any]]:
    """Each repeat in a fresh profile on disk: the first lesson run, then each next lesson's first
    Run clicked as soon as it shows: seconds to its output, and how its Python started."""
    runs = []
    with serve_folder(site) as base:
        for _ in range(repeat):
            with (
                tempfile.TemporaryDirectory(prefix="tracksite-runnable-profile-") as profile,
                chromium_profile("runnable", profile) as context,
            ):
                page = context.pages[0] if context.pages else context.new_page()
                seconds, started = [], []
                for address in pages:
                    page.goto(base + address)
                    seconds.append(_run_block(page)[2])
                    started.append(page.evaluate("() => document.documentElement.dataset.tsPythonStart || ''"))
            runs.append({"seconds": seconds, "started": started})
    return runs


def run(repeat: int, timeout: float) -> dict[str, Any]:
    byte_compile()
    with tempfile.TemporaryDirectory(prefix="tracksite-runnable-bench-") as tmp:
        site, pages = build(Path(tmp), timeout)
        _log("built the course; timing the first runs in Chromium")
        data = {
            "machine": machine_info(),
            "date": time.strftime("%Y-%m-%d"),
            "repeat": repeat,
            "published": runtime_bytes(site),
            "first_visit": first_visit(site, pages[0]),
            "runs": first_runs(site, pages[0], repeat),
        }
        _log("timing the next lessons' first runs in a browser profile")
        data["next"] = next_lessons(site, pages, repeat)
        return data


def _mb(n: float) -> str:
    return f"{n / 1_000_000:.1f} MB"


def render(data: dict[str, Any], command: str) -> str:
    runs, pub = data["runs"], data["published"]
    first = [r["first_s"] for r in runs]
    again = statistics.median(r["again_s"] for r in runs)
    asked = runs[0]
    m = data["machine"]
    return "\n".join(
        [
            START,
            "",
            "## Runnable code: the interpreter's bytes and the first run",
            "",
            f"Measured {data['date']} with `{command}` ({m.get('cpu', '?')}, {m.get('cores', '?')} cores "
            f"shared with other jobs, load average {m.get('load_before', '?')} before the run; Chromium "
            "headless, an empty cache for each run, the site served from this machine). First output: from "
            "the click on Run to the program's output on screen, the interpreter downloaded, compiled and "
            "started in a Web Worker; a second run on the same page reuses it. The lessons' first runs: a "
            "browser profile on disk (a fresh one for each repeat), the first lesson run, then the next lesson "
            "opened and Run clicked as soon as it shows, then the third; Python started from the memory the "
            "first start saved (saved) or afresh (fresh). Bytes: raw, and as a server sends them compressed "
            "(gzip -9).",
            "",
            "| what | measured |",
            "|---|---|",
            f"| published in a site that runs code ({pub['files']} files) | {_mb(pub['raw'])} ({_mb(pub['gzip'])} gzip) |",
            f"| requested by a learner's first run | {_mb(asked['asked_raw'])} ({_mb(asked['asked_gzip'])} gzip) |",
            "| published in a site that runs no code | 0 bytes |",
            *_first_visit_row(data.get("first_visit")),
            f"| click on Run to first output (median of {len(first)}; fastest, slowest) | "
            f"{statistics.median(first):.2f} s ({min(first):.2f}, {max(first):.2f}) |",
            f"| a second run, Python already up (median) | {again * 1000:.0f} ms |",
            *_next_rows(data.get("next") or []),
            "",
            END,
            "",
        ]
    )


def _first_visit_row(visit: dict[str, Any] | None) -> list[str]:
    """The row of the lesson's first visit against the budget (none in data from before it)."""
    if not visit:
        return []
    verdict = "within" if visit["within"] else "**over**"
    return [
        f"| a runnable lesson's first visit, assets (budget {visit['budget']:,} B) | "
        f"{visit['assets_gzip']:,} B gzip, {verdict} the budget; the editor on intent: "
        f"{visit['on_intent_gzip']:,} B gzip |"
    ]


def _next_rows(runs: list[dict[str, Any]]) -> list[str]:
    """The rows of the next lessons' first runs (a profile on disk, Run clicked as the page shows)."""
    rows = []
    for n, name in ((0, "the first lesson"), (1, "a second lesson"), (2, "a third lesson")):
        times = [r["seconds"][n] for r in runs if len(r["seconds"]) > n]
        if not times:
            continue
        how = sorted({r["started"][n] for r in runs if len(r["started"]) > n} - {""})
        rows.append(
            f"| {name}'s first Run, a browser profile kept (median of {len(times)}; fastest, slowest; "
            f"Python started: {', '.join(how) or '?'}) | "
            f"{statistics.median(times):.2f} s ({min(times):.2f}, {max(times):.2f}) |"
        )
    return rows


def keep_section(path: Path, text: str) -> str:
    """`text` (the page another benchmark writes) with this benchmark's section from `path`."""
    return keep_bench_section(path, text, START, END)


def write_markdown(path: Path, section: str) -> None:
    write_bench_section(path, section, START, END)


def cmd(args) -> int:
    command = f"tracksite bench --runnable --repeat {args.repeat}"
    data = run(args.repeat, args.timeout)
    section = render(data, command)
    print(section)
    if args.markdown:
        write_markdown(Path(args.markdown), section)
        _log(f"wrote {args.markdown}")
    visit = data["first_visit"]
    if not visit["within"]:  # the budget is a result of the benchmark: over it, the command fails
        _log(f"a runnable lesson's first visit loads {visit['assets_gzip']:,} B of assets, over {visit['budget']:,} B")
        return 1
    return 0
