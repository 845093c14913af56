"""The benchmark's synthetic course: N lessons in tracksite's format, and the same pages as a
plain MkDocs project (the floor tracksite's build time is compared with)."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from tracksite import theme as theme_files
from tracksite.core.learning.readingtime import reading_minutes
from tracksite.core.markdown import references as refs
from tracksite.tools.bench import prose

REPO = Path(__file__).resolve().parents[4]


# -- the synthetic course ------------------------------------------------------------------------


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
            title = prose.title(lrng)
            lessons.append(LessonPlan(slug, f"lesson-{j:02d}", title, prose.sentence(lrng), seed=t * 1000 + j))
        cuts = sorted(rng.sample(range(1, size), min(size - 1, rng.randint(2, 4) - 1))) if size > 1 else []
        bounds = [0, *cuts, size]
        phases = [(f"{prose.title(rng)}", lessons[a:b]) for a, b in zip(bounds, bounds[1:])]
        tracks.append(TrackPlan(slug, t, f"{prose.title(rng)}", prose.paragraph(rng, 1), phases))
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
        prose.paragraph(rng, 5),
        f"This lesson builds on [{prev.title}](lesson:{prev.slug}) and prepares "
        f"[{nxt.title}, in particular its worked example](lesson:{nxt.slug}#{prose.ANCHORS['A worked example']}). "
        f"For the longer story, read [{other.title}](lesson:{cross}{other.slug}#{prose.ANCHORS['Core ideas']}).",
    ]
    for heading in prose.HEADINGS:
        parts.append(f"## {heading}")
        parts.append(prose.paragraph(rng, 8))
        if heading == "Core ideas":
            parts.append(
                "\n".join(f"- **{rng.choice(prose.NOUNS).capitalize()}**: {prose.sentence(rng)}" for _ in range(5))
            )
            parts.append(f"### The {rng.choice(prose.NOUNS)} in detail")
            parts.append(prose.paragraph(rng, 5))
            parts.append(f"### Where the {rng.choice(prose.NOUNS)} fits")
            parts.append(prose.paragraph(rng, 5))
        elif heading == "A worked example":
            parts.append("\n".join(f"{i}. {prose.sentence(rng)}" for i in range(1, 5)))
            parts.append(
                "```python\n"
                f"def step({rng.choice(prose.NOUNS)}s, rate=0.{rng.randint(1, 9)}):\n"
                f"    total = sum({rng.choice(prose.NOUNS)} * rate for {rng.choice(prose.NOUNS)} in range(10))\n"
                "    return round(total, 3)\n\n\n"
                f"print(step([{rng.randint(1, 9)}, {rng.randint(1, 9)}, {rng.randint(1, 9)}]))\n"
                "```"
            )
            parts.append(prose.paragraph(rng, 4))
        elif heading == "Common pitfalls":
            parts.append(f"/// note | About the {rng.choice(prose.NOUNS)}\n{prose.paragraph(rng, 3)}\n///")
            parts.append("\n".join(f"- {prose.sentence(rng)}" for _ in range(4)))
        elif heading == "Comparing approaches":
            rows = "\n".join(
                f"| {rng.choice(prose.ADJECTIVES)} {rng.choice(prose.NOUNS)} | {rng.randint(1, 99)} | "
                f"{rng.choice(prose.ADJECTIVES)} | {rng.choice(prose.VERBS)} the {rng.choice(prose.NOUNS)} |"
                for _ in range(5)
            )
            parts.append("| Approach | Cost | Stability | What it does |\n|---|---:|---|---|\n" + rows)
            parts.append(prose.paragraph(rng, 4))
        elif heading == "Putting it together":
            parts.append(
                f"Before the next lesson, skim [the overview of {nxt.title}](overview:{nxt.slug}) and keep "
                f"[the cheatsheet for {lesson.title}](cheatsheet:{lesson.slug}) at hand. "
                f"[The track page](track:{lesson.track}) lists every lesson of this track."
            )
            parts.append(prose.paragraph(rng, 6))
    return "\n\n".join(parts) + "\n"


def practice(tracks: list[TrackPlan], t: int, j: int) -> tuple[str, str]:
    """The Practice section: an exercise with a solution and a quiz question per objective, as
    tracksite widget blocks, and the same text as plain Markdown admonitions for the floor."""
    lesson = tracks[t].lessons[j]
    rng = random.Random(lesson.seed * 3)
    words = objective_words(lesson)
    task, solution = prose.paragraph(rng, 3), prose.paragraph(rng, 3)
    title = f"Trace the {words[0]} by hand"
    questions = []
    for w in words:
        right, wrong = prose.sentence(rng).rstrip("."), prose.sentence(rng).rstrip(".")
        questions.append(
            (
                f"What does the {w} do in this lesson?",
                [
                    (f"The {w} {rng.choice(prose.VERBS)} the {rng.choice(prose.NOUNS)}", True, right),
                    # as long as the answer, or longer: a quiz whose answer is the longest option is
                    # warned about (TS420), and the synthetic course is a clean one
                    (f"The {w} is never used by the {rng.choice(prose.NOUNS)} in this lesson", False, wrong),
                ],
            )
        )
    quiz = "\n".join(
        f"- question: {q}\n  options:\n"
        + "\n".join(
            f"    - text: {text}\n" + ("      correct: true\n" if ok else "") + f"      explain: {why}"
            for text, ok, why in options
        )
        for q, options in questions
    )
    widgets = (
        f"## Practice\n\n//// exercise | {title}\n{task}\n\n/// solution\n{solution}\n///\n////\n\n"
        f"/// quiz\n{quiz}\n///\n"
    )
    plain_quiz = "\n\n".join(
        f"**{q}**\n\n"
        + "\n".join(f"- {text}. *{'Correct' if ok else 'Not quite'}:* {why}." for text, ok, why in options)
        for q, options in questions
    )
    plain = (
        f"## Practice\n\n/// note | Exercise: {title}\n{task}\n///\n\n/// details | Solution\n{solution}\n///\n\n"
        f"/// question | Quiz\n{plain_quiz}\n///\n"
    )
    return widgets, plain


def objective_words(lesson: LessonPlan) -> list[str]:
    return random.Random(lesson.seed).sample(prose.NOUNS, 3)


def overview_body(tracks: list[TrackPlan], t: int, j: int) -> str:
    lesson = tracks[t].lessons[j]
    rng = random.Random(-lesson.seed)
    near = _neighbours(tracks, t, j)
    return (
        f"## What you'll learn\n\n{prose.paragraph(rng, 3)}\n\n"
        f"## Where this fits\n\n{prose.paragraph(rng, 2)} It follows [{near['prev'].title}](lesson:{near['prev'].slug}).\n\n"
        f"## Before you start\n\n{prose.paragraph(rng, 2)}\n\n"
        f"## About the math\n\n{prose.paragraph(rng, 2)}\n"
    )


def cheatsheet_body(tracks: list[TrackPlan], t: int, j: int) -> str:
    lesson = tracks[t].lessons[j]
    rng = random.Random(lesson.seed * 7)
    rows = "\n".join(
        f"| {rng.choice(prose.NOUNS)} | {rng.choice(prose.VERBS)} the {rng.choice(prose.NOUNS)} | {rng.randint(1, 50)} |"
        for _ in range(6)
    )
    return (
        "## Key ideas\n\n" + "\n".join(f"- {prose.sentence(rng)}" for _ in range(5)) + "\n\n"
        f"## At a glance\n\n| Term | What it does | Typical value |\n|---|---|---:|\n{rows}\n\n"
        "## Pitfalls\n\n" + "\n".join(f"- {prose.sentence(rng)}" for _ in range(3)) + "\n\n"
        f"Back to [the lesson](lesson:{lesson.slug}#{prose.ANCHORS['Common pitfalls']}).\n"
    )


def _read_minutes(body: str) -> int:
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
            yield (
                Page("lesson", track.slug, lesson.slug, lesson.title, body, "\n" + widgets, "\n" + plain),
                front_matter(tracks, t, j, body + "\n" + widgets),
            )
            yield (
                Page("overview", track.slug, lesson.slug, f"Overview: {lesson.title}", overview_body(tracks, t, j)),
                "",
            )
            yield (
                Page(
                    "cheatsheet", track.slug, lesson.slug, f"Cheatsheet: {lesson.title}", cheatsheet_body(tracks, t, j)
                ),
                "",
            )


def _base_config(repo: Path) -> dict[str, Any]:
    """The configuration `tracksite init` starts every course with (the bundled course's too)."""
    config = yaml.safe_load((theme_files.STARTER / "mkdocs.yml").read_text(encoding="utf-8"))
    config["site_name"] = "Benchmark course"
    config["site_description"] = "A synthetic course written by tracksite bench."
    config["plugins"] = [{"tracksite": {"course_id": "benchmark-course"}}]  # the starter's placeholder
    return config


def _copy_assets(repo: Path, root: Path) -> None:
    """The plain site loads tracksite's stylesheets and scripts too, as files of its own."""
    shutil.copytree(theme_files.ASSETS, root / "docs" / "assets")


#: Glossary terms of every synthetic track: the learner features (tooltips on each page's first
#: use of a term, the glossary page, "used in" lists) are part of what the build is timed on.
GLOSSARY_TERMS = prose.NOUNS[:12]


def glossary(track: TrackPlan) -> dict[str, Any]:
    """A track's glossary.yml: the same terms in every track, with the same definitions (a term
    defined twice must read alike), taught in the track's first lesson."""
    first = track.lessons[0].slug
    return {
        "terms": [
            {
                "term": noun.capitalize(),
                "lesson": first,
                "definition": f"What the course means by a {noun}, defined once for every lesson.",
            }
            for noun in GLOSSARY_TERMS
        ]
    }


def write_tracksite_project(root: Path, tracks: list[TrackPlan], repo: Path = REPO) -> Path:
    """The course in tracksite's authoring format: lessons/, cheatsheets/; the theme from the package."""
    root.mkdir(parents=True)
    (root / "overrides").mkdir()  # the course's own partials: none; the theme comes from the package
    (root / "docs").mkdir()
    (root / "mkdocs.yml").write_text(yaml.safe_dump(_base_config(repo), sort_keys=False), encoding="utf-8")
    for track in tracks:
        folder = root / "lessons" / track.slug
        folder.mkdir(parents=True)
        data = {
            "number": track.number,
            "title": track.title,
            "summary": track.summary,
            "phases": [{"title": title, "lessons": [l.slug for l in ls]} for title, ls in track.phases],
        }
        (folder / "track.yml").write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
        (folder / "glossary.yml").write_text(yaml.safe_dump(glossary(track), sort_keys=False), encoding="utf-8")
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
            f"#{ref.anchor}" if ref.anchor else ""
        )
    return f"# {page.title}\n\n" + refs.rewrite(page.body, replacements) + page.plain_tail


def write_plain_project(root: Path, tracks: list[TrackPlan], repo: Path = REPO) -> Path:
    """The same pages for MkDocs + Material alone: no plugin, no overrides, the full nav in `nav:`."""
    root.mkdir(parents=True)
    _copy_assets(repo, root)
    docs = root / "docs"
    config = _base_config(repo)
    config["theme"].pop("custom_dir", None)
    config["markdown_extensions"] = [e for e in config["markdown_extensions"] if e != "tracksite.guard"]
    config["extra_css"] = list(theme_files.STYLESHEETS)
    config["extra_javascript"] = [{"path": js, "defer": True} for js in theme_files.SCRIPTS]
    # Material's own search, as a plain MkDocs site has it: the floor for builds and the baseline
    # the search benchmark (tools/bench/search.py) compares the course search with
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
