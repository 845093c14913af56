"""The benchmark's `mkdocs serve` table and targets: the first page served, a restart, a saved
lesson shown on the open page (and in the page fetched every 20 ms), quiet and beside a second
build, with the load average each set of saves ran under, and the server's peak memory.

An instructor's edit loop is where a course's size is felt most: a server that re-checks the
whole course on each save, or holds every page, shows it at 1,000 lessons long before a build
does. The peak is the server's processes summed (`measure.PeakMemory`), over its first build
and the edits, so that what `mkdocs serve` keeps between rebuilds shows beside the builds'.
Issue 76 judges a save on a quiet machine and beside a second build apart, so each set of saves
says how busy the machine was (the load average before its first save and after its last).
"""

from __future__ import annotations

from typing import Any

from tracksite.tools.bench.run import _median, _s, _spread

#: Issue 57: a save shown on the open page at 1,000 lessons, and on the bundled course (median).
SAVE_LIMITS = {1000: 1.0}
BUNDLED_LIMIT = 0.5
#: Issue 76: the same save at 1,000 lessons while a second, unrelated build runs (median).
BESIDE_LIMITS = {1000: 1.5}
BESIDE = "beside a second build"


def _mb(serve: dict[str, Any] | None) -> str:
    memory = (serve or {}).get("memory")
    return f"{memory / 1e6:,.0f} MB" if memory else "not measured"


def _load(saves: dict[str, Any]) -> str:
    """The load average (1 minute) before the first save and after the last."""
    load = saves.get("load") or [None, None]
    return " → ".join("?" if x is None else f"{x:.2f}" for x in load) if saves.get("load") else "not measured"


def _rows(data: dict[str, Any]) -> list[tuple[str, int | None, dict[str, Any]]]:
    """(label, lessons or None for the bundled course, serve figures) for each course served."""
    rows: list[tuple[str, int | None, dict[str, Any]]] = []
    if data.get("bundled_serve"):
        rows.append(("bundled course", None, data["bundled_serve"]))
    rows += [(f"{r.n:,}", r.n, r.serve) for r in data["sizes"] if r.serve]
    return rows


def serve_table(data: dict[str, Any]) -> list[str]:
    """A row for the bundled course and for each size served; below each, with
    `--serve-beside-build`, a row for its saves beside a second build."""
    rows = _rows(data)
    if not rows:
        return []
    restarts = {r.n: r.restart for r in data["sizes"]}
    lines = [
        "",
        "### `mkdocs serve`: a saved lesson shown on the open page",
        "",
        "| Lessons | first page served after (s), cache empty | after a restart, cache kept (s) "
        "| save to the new text on the open page, Chromium (s) | save to the new text in the page fetched "
        "every 20 ms (s) | peak memory, first start and edits | load average (1 min), before → after the saves |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for label, n, serve in rows:
        restart = restarts.get(n) if n is not None else None
        again = _s(restart["ready"]) if restart else "not measured"
        lines.append(
            f"| {label} | {_s(serve['ready'])} | {again} | {_spread(serve['edits'])} "
            f"| {_spread(serve.get('polled') or [])} | {_mb(serve)} | {_load(serve)} |"
        )
        beside = serve.get("beside")
        if beside:
            runs = f"{beside['started']} run{'s' if beside['started'] != 1 else ''} of it"
            lines.append(
                f"| {label}, {BESIDE} ({runs}) | same server | – | {_spread(beside['edits'])} "
                f"| {_spread(beside['polled'])} | – | {_load(beside)} |"
            )
    return lines


def serve_targets(data: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """Issue 57's and 76's targets for a saved lesson on the open page (median of the edits in
    Chromium), with the page fetched every 20 ms and the load average beside them."""
    cores = (data.get("machine") or {}).get("cores")
    on = f" on {cores} cores" if cores else ""
    out: list[tuple[str, str, bool | None]] = []
    for label, n, serve in _rows(data):
        where = label if n is None else f"N = {label}"
        limits = [(serve, BUNDLED_LIMIT if n is None else SAVE_LIMITS.get(n), "")]
        if n is not None and serve.get("beside"):
            limits.append((serve["beside"], BESIDE_LIMITS.get(n), f"{BESIDE}, "))
        for saves, limit, how in limits:
            if limit is None or not saves["edits"]:
                continue
            median, worst = _median(saves["edits"]), max(saves["edits"])
            polled = f"; page fetched every 20 ms {_spread(saves['polled'])} s" if saves.get("polled") else ""
            load = f"; load average {_load(saves)}{on}" if saves.get("load") else ""
            out.append(
                (
                    f"{where}: {how}`mkdocs serve` shows a saved lesson on the open page within {limit} s (median)",
                    f"median {_s(median)} s, worst {_s(worst)} s of {len(saves['edits'])} edits{polled}{load}",
                    median <= limit,
                )
            )
    return out


#: How the serve figures are measured, for the page's "What is measured" (servemeasure.py, besidebuild.py).
SERVE_TEXT = """- **`mkdocs serve`** on the bundled course and on each synthetic course, the edited lesson open in
  Chromium as an instructor previews it: seconds until the first page is served (the build cache
  moved aside before; then once more after the server is stopped and started again on the same
  sources, with the cache its first build left), then for each
  edit of the lesson (a sentence added to its text), from saving the file to the new sentence on the
  open page (its text checked every 10 ms): the server noticing the save, its rebuild (only the pages
  the save can change are rendered again, `tracksite/adapter/serve/rebuild.py`; the file system is
  asked only about the paths the watcher reported changed, `core/memo.py` `watching`), its reload
  signal, and the browser's reload.
- **The page fetched every 20 ms**: the same saves timed a second way at the same time, the saved
  page fetched over HTTP every 20 ms (each fetch begun 20 ms after the last one began, at once when
  that one took longer) until it holds the new sentence: the server's side alone, without its
  reload signal and the browser's reload. The fetches add some 50 requests a second to the server's
  work during a save, in both measures. Each set of saves shows its median and, in brackets, the
  fastest and slowest, and the machine's load average over the last minute (`os.getloadavg`) before
  its first save (for the first set: before the server started) and after its last, in the table
  and in its target: near 0 is a quiet machine, the number of cores or more a busy one.
- **Beside a second build** (`--serve-beside-build`): after those saves, as many more on the same
  server and page while a second, unrelated `mkdocs build` runs in another process: a copy of the
  same course (the bundled course, or the synthetic course of that size) in a folder of its own,
  built cold again and again into its own site, with a state folder of its own
  (`TRACKSITE_CACHE_DIR` pointed into that folder: no cache shared with the served course), the
  next run started as soon as one ends. The first of these saves waits until the second build has
  run 3 s; before and after each save the benchmark checks that a run is in progress (a failed run
  ends the benchmark with its output), and the runs are stopped and their folder removed however
  the measure ends. These saves have their own rows and, at 1,000 lessons, their own target
  (1.5 s, median, issue 76).
"""
