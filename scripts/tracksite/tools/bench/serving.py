"""The benchmark's `mkdocs serve` table and targets: the first page served, a restart, a saved
lesson shown on the open page, and the server's peak memory.

An instructor's edit loop is where a course's size is felt most: a server that re-checks the
whole course on each save, or holds every page, shows it at 1,000 lessons long before a build
does. The peak is the server's processes summed (`measure.PeakMemory`), over its first build
and the edits, so that what `mkdocs serve` keeps between rebuilds shows beside the builds'.
"""

from __future__ import annotations

from typing import Any

from tracksite.tools.bench.run import _median, _s, _spread

#: Issue 57: a save shown on the open page at 1,000 lessons, and on the bundled course (median).
SAVE_LIMITS = {1000: 1.0}
BUNDLED_LIMIT = 0.5


def _mb(serve: dict[str, Any] | None) -> str:
    memory = (serve or {}).get("memory")
    return f"{memory / 1e6:,.0f} MB" if memory else "not measured"


def serve_table(data: dict[str, Any]) -> list[str]:
    """A row for the bundled course and for each size served."""
    served = [r for r in data["sizes"] if r.serve]
    if not served:
        return []
    lines = [
        "",
        "### `mkdocs serve`: a saved lesson shown on the open page",
        "",
        "| Lessons | first page served after (s), cache empty | after a restart, cache kept (s) "
        "| save to the new text on the open page (s) | peak memory, first start and edits |",
        "|---:|---:|---:|---:|---:|",
    ]
    bundled = data.get("bundled_serve")
    if bundled:
        lines.append(
            f"| bundled course | {_s(bundled['ready'])} | not measured | {_spread(bundled['edits'])} | {_mb(bundled)} |"
        )
    for r in served:
        again = _s(r.restart["ready"]) if r.restart else "not measured"
        lines.append(f"| {r.n:,} | {_s(r.serve['ready'])} | {again} | {_spread(r.serve['edits'])} | {_mb(r.serve)} |")
    return lines


def serve_targets(data: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """Issue 57's targets for a saved lesson on the open page (median of the edits)."""
    out: list[tuple[str, str, bool | None]] = []
    rows: list[tuple[str, dict[str, Any] | None, float]] = [
        ("bundled course", data.get("bundled_serve"), BUNDLED_LIMIT)
    ]
    rows += [(f"N = {r.n:,}", r.serve, SAVE_LIMITS[r.n]) for r in data["sizes"] if r.n in SAVE_LIMITS]
    for where, serve, limit in rows:
        if serve and serve["edits"]:
            median, worst = _median(serve["edits"]), max(serve["edits"])
            out.append(
                (
                    f"{where}: `mkdocs serve` shows a saved lesson on the open page within {limit} s (median)",
                    f"median {_s(median)} s, worst {_s(worst)} s of {len(serve['edits'])} edits",
                    median <= limit,
                )
            )
    return out
