"""`--report FILE`: what each episode held in the source and what its imported lesson holds.

The two sides are counted by two small parsers of their own formats (the Workbench's fenced
divs, code fences, images and links; tracksite's `///` blocks, front matter and fences), never
by the converter, so an element the conversion lost or added shows up as a difference. For an R
Markdown episode the source is what the Workbench would show: the knitted Markdown when R ran,
else the `.Rmd` with its hidden chunks (`include=FALSE`, `echo=FALSE`) not counted.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import yaml

from tracksite.commands.importers import knitr

KEYS = (
    "objectives",
    "questions",
    "keypoints",
    "challenges",
    "solutions",
    "hints",
    "code_blocks",
    "output_blocks",
    "figures",
    "links",
)
OUTPUT_INFO = {"output", "error", "warning", "message"}
FENCE = re.compile(r"^\s*(`{3,}|~{3,})\s*\{?\s*\.?(?P<info>[\w+-]*)")
DIV = re.compile(r"^\s*:{3,}\s*(?:\{[^}]*?\.(?P<a>[\w-]+)[^}]*\}|(?P<b>[A-Za-z][\w-]*))\s*:*\s*$")
DIV_END = re.compile(r"^\s*:{3,}\s*$")
BLOCK = re.compile(r"^\s*(?P<slashes>/{3,})\s*(?P<name>[\w-]+)\s*(?:\|\s*(?P<title>.*?))?\s*$")
BLOCK_END = re.compile(r"^\s*/{3,}\s*$")
ITEM = re.compile(r"^( {0,1})(?:[-*+]|\d+\.)\s+\S")
HEADING = re.compile(r"^#{1,6}\s")
IMAGE = re.compile(r"!\[[^\]]*\]\([^)]+\)|<img\b", re.I)
LINK = re.compile(r"(?<![!\\])\[[^\]]+\](?:\([^)]+\)|\[[^\]]*\])|<https?://[^>\s]+>")
LIST_FIELDS = {"objectives": "objectives", "questions": "questions", "keypoints": "keypoints"}
# The lesson's instructor pages, added to the first lesson's instructor block: not from the episode.
ADDED_PAGES = re.compile(r"^(/{3,}) instructor\n\*\*[^\n]*\(from the source lesson's `[^`]*`\).*?^\1\s*$", re.M | re.S)
MORE = {"**More objectives**": "objectives", "**More questions**": "questions", "**More key points**": "keypoints"}


def _inline(counts: Counter, line: str) -> None:
    plain = re.sub(r"`+[^`]*`+", "", line)
    counts["figures"] += len(IMAGE.findall(plain))
    counts["links"] += len(LINK.findall(re.sub(r"!\[[^\]]*\]\([^)]+\)", "", plain)))


def count_source(text: str) -> Counter:
    """Counts in Workbench Markdown (front matter, if any, already removed or skipped)."""
    counts: Counter = Counter()
    stack: list[list] = []  # [kind, seen_solution]
    fence = None
    for line in _body(text).splitlines():
        if fence:
            fence = None if re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", line) else fence
            continue
        f = FENCE.match(line)
        if f:
            fence = f.group(1)
            counts["output_blocks" if f["info"].lower() in OUTPUT_INFO else "code_blocks"] += 1
            continue
        d = DIV.match(line)
        if d and not DIV_END.match(line):
            kind = (d["a"] or d["b"]).lower()
            if stack and kind == "solution":
                stack[-1][1] = True
            stack.append([kind, False])
            key = {"challenge": "challenges", "solution": "solutions", "hint": "hints"}.get(kind)
            if key:
                counts[key] += 1
            continue
        if DIV_END.match(line) and stack:
            stack.pop()
            continue
        kind = stack[-1][0] if stack else ""
        if kind in LIST_FIELDS and ITEM.match(line):
            counts[LIST_FIELDS[kind]] += 1
        elif kind == "challenge" and stack[-1][1] and HEADING.match(line):
            counts["challenges"] += 1  # a second titled exercise in one challenge box
            stack[-1][1] = False
        _inline(counts, line)
    return counts


def count_rmd(text: str) -> Counter:
    """Counts in an R Markdown file that was not run: what learners would see of its code."""
    shown, _ = knitr.without_r(text)
    return count_source(shown)


def count_result(text: str) -> Counter:
    """Counts in an imported lesson.md: its front-matter lists, `///` blocks, fences, images, links."""
    counts: Counter = Counter()
    meta, body = _front(text)
    for key in LIST_FIELDS:
        counts[key] += len(meta.get(key) or [])
    if str((meta.get("objectives") or [""])[0]).startswith("work through the episode"):
        counts["objectives"] -= 1  # the import's stand-in for a lesson that states none
    fence: str | None = None
    more = None
    for line in ADDED_PAGES.sub("", body).splitlines():
        if fence:
            fence = None if re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", line) else fence
            continue
        f, b = FENCE.match(line), BLOCK.match(line)
        if f:
            fence = f.group(1)
            counts["output_blocks" if f["info"].lower() in OUTPUT_INFO else "code_blocks"] += 1
        elif b:
            block_key = _block_key(b["name"].lower(), (b["title"] or "").strip().lower())
            if block_key:
                counts[block_key] += 1
        elif line.strip() in MORE:
            more = MORE[line.strip()]
        elif more and ITEM.match(line):
            counts[more] += 1
        else:
            more = None if line.strip() else more
            _inline(counts, line)
    return +counts


def _block_key(name: str, title: str) -> str | None:
    if name == "exercise":
        return "challenges"
    if name == "solution" or (name == "details" and title == "solution"):
        return "solutions"
    if name == "hint" or title.startswith("hint"):
        return "hints"
    return None


def _body(text: str) -> str:
    return _front(text)[1]


def _front(text: str) -> tuple[dict, str]:
    if text.startswith("---"):
        parts = text.split("\n---", 1)
        if len(parts) == 2:
            try:
                meta = yaml.safe_load(parts[0][3:])
            except yaml.YAMLError:
                meta = {}
            return (meta if isinstance(meta, dict) else {}), parts[1].split("\n", 1)[-1]
    return {}, text


NO_EQUIVALENT = re.compile(
    r"no tracksite equivalent|kept as (?:plain )?text|left out|not found|not available|"
    r"kept as a link|no page in the site|not run",
    re.I,
)


def build(p) -> dict:
    """The report of a planned import (flow.Planned): per episode, both counts and the notes."""
    prepared = p.prepared
    episodes = []
    for path in p.src.episodes:
        rel = path.relative_to(p.src.root).as_posix()
        original = (p.original / rel).read_text(encoding="utf-8", errors="replace")
        if prepared and path.name in prepared.executed:
            source = count_source(path.read_text(encoding="utf-8", errors="replace"))  # the knitted episode
        elif path.suffix.lower() == ".rmd":
            source = count_rmd(original)
        else:
            source = count_source(original)
        lesson = p.plan.sources.get(rel, "")
        result = count_result(str(p.plan.files.get(lesson, "")))
        entry: dict = {
            "source": rel,
            "lesson": lesson,
            "source_counts": {k: source.get(k, 0) for k in KEYS},
            "result_counts": {k: result.get(k, 0) for k in KEYS},
        }
        entry["differences"] = {
            k: [source.get(k, 0), result.get(k, 0)] for k in KEYS if source.get(k, 0) != result.get(k, 0)
        }
        if prepared and path.name in prepared.unrun:
            u = prepared.unrun[path.name]
            entry["not_run"] = {
                "chunks_without_output": u.chunks,
                "plots_missing": u.plots,
                "hidden_chunks_left_out": u.hidden,
            }
        entry["notes"] = [n for n in p.plan.notes if n.startswith(rel + ":")]
        episodes.append(entry)
    mentioned = {n for e in episodes for n in e["notes"]}
    report: dict = {
        "lesson": getattr(p.src, "title", ""),
        "episodes": episodes,
        "other_notes": [n for n in p.plan.notes if n not in mentioned],
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
        }
    return report


def write_report(path: Path, p) -> dict:
    """Write the JSON report and print the counts that differ; returns the report."""
    report = build(p)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    differ = [(e["source"], k, s, r) for e in report["episodes"] for k, (s, r) in e["differences"].items()]
    for source, key, s, r in differ:
        print(f"report: {source}: {key.replace('_', ' ')}: {s} in the source, {r} in the lesson")
    print(
        f"report: {len(report['episodes'])} episode(s) counted, {len(differ)} count(s) differ; "
        f"{len(report['no_equivalent'])} element(s) had no equivalent; written to {path}"
    )
    return report
