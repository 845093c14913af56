"""`--report FILE`: what each episode held in the source and what its built learner page shows.

The counts are verify.py's: the source counted by its own small parser (counting.py), the page
counted in the HTML the strict build wrote, and between them the changes the import listed with
file:line and reason. `differences` holds what the page shows that neither the source nor a
listed change explains; each is also an error of the import.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

from tracksite.commands.importers.pipeline.counting import KEYS

NO_EQUIVALENT = re.compile(
    r"no tracksite equivalent|kept as (?:plain )?text|left out|not found|not available|"
    r"kept as a link|no page in the site|not run",
    re.I,
)


def build(p, verified, rerun: str = "the import again") -> dict:
    """The report of an import (plan.Planned, verify.Verified): per episode, the counts and notes.
    `rerun`: the command that adds what this run could not (in the warnings)."""
    prepared = p.prepared
    episodes = []
    for path in p.src.episodes:
        rel = path.relative_to(p.src.root).as_posix()
        source, listed = verified.source.get(rel, Counter()), verified.listed.get(rel, Counter())
        entry: dict = {
            "source": rel,
            "lesson": p.plan.sources.get(rel, ""),
            "source_counts": {k: source[k] for k in KEYS},
            "listed_changes": {k: listed[k] for k in KEYS if listed[k]},
            "page_counts": ({k: verified.rendered[rel][k] for k in KEYS} if rel in verified.rendered else None),
            "differences": verified.differences(rel),
        }
        if prepared and path.name in prepared.unrun:
            u = prepared.unrun[path.name]
            entry["not_run"] = {
                "chunks_without_output": u.chunks,
                "plots_missing": u.plots,
                "hidden_chunks_left_out": u.hidden,
            }
            if path.name in prepared.offline:  # not run only because these could not be reached
                entry["not_run"]["unreachable"] = prepared.offline[path.name]
        entry["notes"] = [n for n in p.plan.notes if n.startswith(rel + ":")]
        # the source's own problems (a link to a file the lesson does not have), file:line, kept as text
        entry["warnings"] = [w for w in p.plan.warnings if w.startswith(rel + ":")]
        episodes.append(entry)
    mentioned = {n for e in episodes for n in (*e["notes"], *e["warnings"])}
    report: dict = {
        "lesson": getattr(p.src, "title", ""),
        "episodes": episodes,
        "other_notes": [n for n in p.plan.notes if n not in mentioned],
        "other_warnings": [w for w in p.plan.warnings if w not in mentioned],  # learner pages, the home page
        "no_equivalent": [n for n in p.plan.notes if NO_EQUIVALENT.search(n)],
    }
    if prepared:
        report["r_markdown"] = {
            "executed": prepared.executed,
            "not_run": sorted(prepared.unrun),
            "plots": prepared.plots,
            "missing_packages": prepared.missing_packages,
            "problems": prepared.problems,
            "why_not_run": prepared.why_not,
            "unreachable": prepared.offline,
            "warnings": prepared.warnings(rerun),
        }
    return report


def write_report(path: Path, p, verified, rerun: str = "the import again", *, fmt: str) -> dict:
    """Write the JSON report and print the counts that differ; returns the report (`fmt`: the
    source's name, for the command that compares later)."""
    report = build(p, verified, rerun)
    path.parent.mkdir(parents=True, exist_ok=True)
    differ = [(e["source"], k, c) for e in report["episodes"] for k, c in e["differences"].items()]
    for source, key, (s, expected, shown) in differ:
        listed = f" ({expected} after the listed changes)" if expected != s else ""
        print(f"report: {source}: {key.replace('_', ' ')}: {s} in the source{listed}, {shown} on the built page")
    report["errors"] = verified.errors
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    warned = sum(len(e["warnings"]) for e in report["episodes"]) + len(report["other_warnings"])
    compared = sum(e["page_counts"] is not None for e in report["episodes"])
    # only what was compared: no built page, no claim about the built pages
    pages = (
        f"{compared} compared with their built pages, {len(differ)} count(s) differ"
        if compared
        else f"no page was built, so none was compared (run `tracksite import {fmt} PATH --track SLUG "
        "--verify` once `tracksite check` passes)"
    )
    print(
        f"report: {len(report['episodes'])} episode(s) counted in the source, {pages}; "
        f"{len(report['no_equivalent'])} element(s) had no equivalent; {warned} warning(s) about the source "
        f"lesson; written to {path}"
    )
    return report
