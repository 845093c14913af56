"""The benchmark's memory table: each build's peak resident memory, all its processes summed.

A wall-clock figure hides what a build holds: a course of 10,000 lessons must build on a laptop
or a small CI runner, and a build that keeps every page's HTML until its end grows with the
course until the machine runs out. `measure.run_timed` samples the memory of every process of
a build's session every `MEMORY_EVERY` seconds (a helper process counts in full, its pages shared
with the build included, as the kernel charges a container); this module prints the peaks, and
the targets of issue 57.
"""

from __future__ import annotations

from typing import Any

from tracksite.tools.bench.run import _median

#: Issue 57: a cold build's peak memory against Material with navigation.prune at 1,000 lessons.
PEER_RATIO = 2.5
#: Issue 57: a cold build of 10,000 lessons in at most this many bytes.
LARGE_LIMIT = 1.5e9
LARGE = 10_000

_COLUMNS = (
    ("tracksite", "A: tracksite"),
    ("warm", "A, warm"),
    ("prune", "B: Material + prune"),
    ("plain", "C: Material, no prune"),
    ("zensical", "Z: Zensical"),
    ("zensical_warm", "Z, warm"),
)


def peak(runs: list) -> float | None:
    """The median of the runs' peaks, in bytes (None: not run, or not sampled)."""
    sampled = [r.memory for r in runs if getattr(r, "memory", 0)]
    return _median(sampled) if sampled else None


def _mb(value: float | None) -> str:
    return "not run" if value is None else f"{value / 1e6:,.0f} MB"


def table(rows: list) -> list[str]:
    """Every configuration's peak memory at every size."""
    if not any(peak(r.tracksite) for r in rows):
        return []
    lines = [
        "",
        "### Peak memory",
        "",
        "The highest resident memory of the build's processes summed (a helper process counts in full), "
        "sampled every 0.1 s; the median over the runs. The columns are those of the builds above.",
        "",
        "| Lessons | " + " | ".join(title for _, title in _COLUMNS) + " | A / B |",
        "|---:|" + "---:|" * (len(_COLUMNS) + 1),
    ]
    for r in rows:
        peaks = {name: peak(getattr(r, name)) for name, _ in _COLUMNS}
        a, b = peaks["tracksite"], peaks["prune"]
        ratio = f"{a / b:.2f}x" if a and b else "n/a"
        cells = ["stopped" if name in r.stopped and not peaks[name] else _mb(peaks[name]) for name, _ in _COLUMNS]
        lines.append(f"| {r.n:,} | " + " | ".join(cells) + f" | {ratio} |")
    return lines


def targets(data: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """Issue 57's memory targets, where the run measured their size."""
    out: list[tuple[str, str, bool | None]] = []
    by_n = {r.n: r for r in data["sizes"]}
    r = by_n.get(1000)
    if r is not None:
        a, b = peak(r.tracksite), peak(r.prune)
        if a and b:
            out.append(
                (
                    f"N = 1,000: a cold build's peak memory at most {PEER_RATIO}x Material + prune",
                    f"{_mb(a)} vs {_mb(b)}: {a / b:.2f}x",
                    a <= PEER_RATIO * b,
                )
            )
    r = by_n.get(LARGE)
    if r is not None and peak(r.tracksite):
        a = peak(r.tracksite)
        assert a is not None
        out.append((f"N = {LARGE:,}: a cold build in at most {LARGE_LIMIT / 1e9:.1f} GB", _mb(a), a <= LARGE_LIMIT))
    return out
