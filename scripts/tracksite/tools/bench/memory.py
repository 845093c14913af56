"""The benchmark's memory table: each build's peak memory, all its processes summed.

A wall-clock figure hides what a build holds: a course of 10,000 lessons must build on a laptop
or a small CI runner, and a build that keeps every page's HTML until its end grows with the
course until the machine runs out. `measure.run_timed` samples the memory of every process of
a build's session every `MEMORY_EVERY` seconds, two ways: proportional (PSS: a page that a forked
helper still shares with the build counts once, as a container's memory controller charges it),
the figure the table and issue 57's targets use, and resident (RSS: each process in full, a shared
page once per process, as `ps` shows), printed beside it for tracksite's builds, the only ones
that fork. This module prints the peaks, and the targets of issue 57.
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


def peak(runs: list, field: str = "memory") -> float | None:
    """The median of the runs' peaks, in bytes (None: not run, or not sampled); `field`
    "resident" for the peaks with each process counted in full."""
    sampled = [getattr(r, field) for r in runs if getattr(r, field, 0)]
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
        "The highest memory of the build's processes summed, sampled every 0.1 s: proportional set "
        "size (PSS), where a page a forked helper still shares with the build counts once, as a "
        "container's memory controller charges it; the median over the runs. The columns are those of "
        "the builds above. The last two count each process in full (resident memory summed, a shared "
        "page once per process, as `ps` shows): tracksite's peak that way, against B's that way "
        "(only tracksite's builds fork).",
        "",
        "| Lessons | " + " | ".join(title for _, title in _COLUMNS) + " | A / B | A, each process in full | its / B |",
        "|---:|" + "---:|" * (len(_COLUMNS) + 3),
    ]
    for r in rows:
        peaks = {name: peak(getattr(r, name)) for name, _ in _COLUMNS}
        a, b = peaks["tracksite"], peaks["prune"]
        ratio = f"{a / b:.2f}x" if a and b else "n/a"
        cells = ["stopped" if name in r.stopped and not peaks[name] else _mb(peaks[name]) for name, _ in _COLUMNS]
        full, b_full = peak(r.tracksite, "resident"), peak(r.prune, "resident")
        full_ratio = f"{full / b_full:.2f}x" if full and b_full else "n/a"
        lines.append(f"| {r.n:,} | " + " | ".join(cells) + f" | {ratio} | {_mb(full)} | {full_ratio} |")
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
                    f"{_mb(a)} vs {_mb(b)}: {a / b:.2f}x{_in_full(r.tracksite, peak(r.prune, 'resident'))}",
                    a <= PEER_RATIO * b,
                )
            )
    r = by_n.get(LARGE)
    if r is not None and peak(r.tracksite):
        a = peak(r.tracksite)
        assert a is not None
        title = f"N = {LARGE:,}: a cold build in at most {LARGE_LIMIT / 1e9:.1f} GB"
        out.append((title, _mb(a) + _in_full(r.tracksite, None), a <= LARGE_LIMIT))
    return out


def _in_full(runs: list, b: float | None) -> str:
    """The same peak with each process counted in full, said beside the target's figure (against
    `b`, the peer's peak counted in the same way)."""
    full = peak(runs, "resident")
    if not full:
        return ""
    return f" (each process in full: {_mb(full)}" + (f", {full / b:.2f}x)" if b else ")")
