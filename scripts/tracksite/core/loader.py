"""From a project folder to the model: tracks, lessons, their pages and files, and docs/ pages.

The loader only loads: it reads every file it can, reports what cannot be read (broken YAML,
a missing lesson.md, a front-matter that does not fit its schema) and puts whatever is sound
into the model. Everything that compares files with each other or with the site (links,
anchors, images, prerequisites, URLs, redirects) is a pass in `checks/`, run on that model by
both `tracksite check` and the build. Nothing here stops at the first error.
"""
from __future__ import annotations

import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tracksite.core import references as refs
from tracksite.core import schema
from tracksite.core import siteplan
from tracksite.core.memo import memo
from tracksite.core import glossary as glossary_mod
from tracksite.core.blocksyntax import blank_data_blocks
from tracksite.core.model import Curriculum, Lesson, LessonSources, Phase, Prerequisite, Track
from tracksite.core.problems import Problem, ProblemList
from tracksite.core.sources import MarkdownSource, SourceProblem, read_text, read_yaml, split_front_matter
from tracksite.core.yamlsafe import Located

#: The files a lesson folder publishes beside its pages: images, widget and data files, and the
#: downloads a course hands out (slides, notebooks, scripts, archives, audio and video). Anything
#: else stays in the source tree, and `tracksite check` says so (`unpublished_reason`).
ASSET_SUFFIXES = {
    ".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp", ".avif",  # images
    ".json", ".yml", ".yaml", ".csv", ".tsv", ".txt",  # widget data and data sets
    ".pdf", ".ipynb", ".py", ".r", ".zip",  # downloads
    ".mp3", ".ogg", ".mp4", ".webm",  # audio and video
}


#: What tools leave in a folder (Python's bytecode cache beside a lesson's script, Windows'
#: thumbnails), like an editor's backup copy (`name~`): nobody's download, so never warned about.
_BY_TOOLS = {"__pycache__", "Thumbs.db", "desktop.ini"}


def unpublished_reason(folder: Path, path: Path) -> tuple[str, str]:
    """Why a file or folder inside a lesson folder is not part of the site, and what to do."""
    if path.parent != folder or path.is_dir():
        return ("only the files directly beside lesson.md are published, not those in its subfolders",
                "move the file beside lesson.md and link it by its name")
    kind = f"{path.suffix} files" if path.suffix else "files without an extension"
    return (f"{kind} are not published from a lesson folder (published: {', '.join(sorted(ASSET_SUFFIXES))})",
            "save it as one of those types, or put it under docs/ and link to it there")


@dataclass
class Document:
    """One Markdown page of the site, as loaded: where it comes from and where it goes."""

    path: Path
    kind: str  # lesson | overview | cheatsheet | page
    src_uri: str
    body: str
    body_line: int
    meta: Located
    track: str | None = None
    lesson: str | None = None

    @property
    def lesson_key(self) -> str | None:
        return f"{self.track}/{self.lesson}" if self.lesson else None


@dataclass
class Project:
    root: Path
    curriculum: Curriculum
    documents: list[Document] = field(default_factory=list)
    problems: ProblemList | None = None
    assets: dict[str, Path] = field(default_factory=dict)  # virtual src_uri -> file
    track_files: dict[str, tuple[Path, Located]] = field(default_factory=dict)  # slug -> track.yml
    drafts: set[str] = field(default_factory=set)  # every draft lesson, built or not
    docs_walk: Any = None  # siteplan.DocsWalk of docs/, when there is one
    lesson_links: list[Path] = field(default_factory=list)  # symbolic links in lesson folders, not published
    left_out: list[Path] = field(default_factory=list)  # other files and folders in them, not published
    site: Any = None  # the siteplan.SitePlan, once checks.check made it
    glossary: glossary_mod.Glossary = field(default_factory=glossary_mod.Glossary)

    def document(self, src_uri: str) -> Document | None:
        return self._by_src.get(src_uri)

    def index(self) -> None:
        # Two sources for one address is reported by checks/urls.py; links into that address
        # are checked against the course page (listed first), not against the docs/ file.
        self._by_src = {}
        for d in self.documents:
            self._by_src.setdefault(d.src_uri, d)


def load(root: Path, *, include_drafts: bool = False, docs_dir: Path | None = None,
         instructor: bool = False) -> Project:
    """Load the project under `root` and run every check on it (`checks.check`): what the
    build and `tracksite check` both do."""
    from tracksite.core.checks import check

    return check(root, include_drafts=include_drafts, docs_dir=docs_dir, instructor=instructor)


def read(root: Path, *, include_drafts: bool = False, docs_dir: Path | None = None, config=None,
         serving: bool = False) -> Project:
    """Only load: the model and the problems of files that cannot be read or do not fit their
    schema. `config` (siteconfig.SiteConfig) and `serving` say which docs/ files the engine
    leaves out."""
    root = root.resolve()
    problems = ProblemList(root)
    project = _Loader(root, problems, include_drafts, config, serving).run(docs_dir)
    project.problems = problems
    return project


class _Loader:
    def __init__(self, root: Path, problems: ProblemList, include_drafts: bool, config=None,
                 serving: bool = False) -> None:
        self.config, self.serving = config, serving  # which docs/ files the engine leaves out
        self.root = root
        self.problems = problems
        self.include_drafts = include_drafts
        self.lessons_dir = root / "lessons"
        self.cheatsheets_dir = root / "cheatsheets"
        self.track_files: dict[str, tuple[Path, Located]] = {}
        self.links: list[Path] = []
        self.left_out: dict[str, list[Path]] = {}  # lesson key -> what its folder holds unpublished
        self.drafts: set[str] = set()

    # -- driving -----------------------------------------------------------------------------
    def run(self, docs_dir: Path | None) -> Project:
        tracks: list[Track] = []
        lessons: dict[str, Lesson] = {}
        drafts: set[str] = set()
        documents: list[Document] = []
        assets: dict[str, Path] = {}
        if (self.root / ".tracksite-journal").exists():
            self.problems.add(self.root / ".tracksite-journal", None, "an interrupted `tracksite new`, `move` or "
                              "`rename` left the course half-changed",
                              hint="run that command again: it first undoes the half-made change, then makes it")
        if not self.lessons_dir.is_dir():
            self.problems.add(self.lessons_dir, None, "no lessons/ folder; create one track folder per track in it")
        else:
            for folder in sorted(p for p in self.lessons_dir.iterdir()):
                if folder.name.startswith(".") or not folder.is_dir() or self.escapes(folder):
                    continue
                loaded = self.load_track(folder)
                if loaded is None:
                    continue
                track, track_lessons, track_docs, track_assets = loaded
                tracks.append(track)
                for lesson in track_lessons:
                    if lesson.is_draft and not self.include_drafts:
                        drafts.add(lesson.key)
                    else:
                        lessons[lesson.key] = lesson
                documents += [d for d in track_docs if d.lesson_key not in drafts]
                assets.update({k: v for k, v in track_assets.items() if "/".join(k.split("/")[:2]) not in drafts})
        walk = None
        if docs_dir is not None and docs_dir.is_dir():
            walk = siteplan.walk_docs(self.root, Path(os.path.abspath(docs_dir)), self.config,
                                      serving=self.serving)
            documents += self.load_docs(walk)
        curriculum = Curriculum(tracks, lessons, draft_keys=drafts)
        project = Project(self.root, curriculum, documents, assets=assets, track_files=self.track_files,
                          drafts=self.drafts, docs_walk=walk, lesson_links=self.links,
                          left_out=[p for key, paths in self.left_out.items() if key not in drafts for p in paths],
                          glossary=self.load_glossaries([t for t in tracks if t.slug in {l.track for l in lessons.values()}]))
        project.index()
        return project

    def load_glossaries(self, tracks: list[Track]) -> glossary_mod.Glossary:
        """Each track's optional glossary.yml, validated like every other source."""
        terms = []
        for track in tracks:
            path = track.path.parent / glossary_mod.FILE_NAME
            if not path.is_file():
                continue
            located = self.yaml(path)
            if located is None:
                continue
            before = len(self.problems.items)
            self.report_schema(path, schema.GLOSSARY, located)
            if len(self.problems.items) == before:  # only a valid file feeds the pages and checks
                terms += glossary_mod.terms_from(track.slug, path, located)
        return glossary_mod.Glossary(terms)

    # -- tracks ------------------------------------------------------------------------------
    def load_track(self, folder: Path):
        slug = folder.name
        track_file = folder / "track.yml"
        if not schema.SLUG_RE.match(slug):
            self.problems.add(folder, None, f"track folder name {slug!r} is not a slug",
                              hint="use lower-case letters, digits and hyphens, e.g. deep-learning-survey")
            return None
        if not track_file.is_file():
            self.problems.add(folder, None, "track folder has no track.yml",
                              hint=f"create it with `tracksite new track {slug} --number N --title ...`")
            return None
        located = self.yaml(track_file)
        if located is None:
            return None
        self.report_schema(track_file, schema.TRACK, located)
        data = located.value if isinstance(located.value, dict) else {}
        phases, seen = self.phases(track_file, located, data)
        track = Track(
            slug=slug,
            number=schema.value(schema.TRACK, data, "number") or 0,
            title=str(data.get("title") or slug),
            summary=str(data.get("summary") or ""),
            phases=tuple(phases),
            path=track_file,
        )
        self.track_files[slug] = (track_file, located)
        # folders vs slugs
        folders = {p.name: p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")}
        for s, line in seen.items():
            if s not in folders:
                self.problems.add(track_file, line, f"lesson {s!r} is listed but lessons/{slug}/{s}/ does not exist",
                                  hint=f"create it with `tracksite new lesson {slug} {s} --title ...` or remove the line")
        for name, path in sorted(folders.items()):
            if name not in seen:
                self.problems.add(path, None, f"lesson folder {name!r} is not listed in {slug}/track.yml",
                                  hint="add its slug to a phase's `lessons:` list, or delete the folder")
        lessons, documents, assets = [], [], {}
        for s in seen:
            if s in folders:
                loaded = self.load_lesson(track, s, folders[s])
                if loaded:
                    lesson, docs, lesson_assets = loaded
                    lessons.append(lesson)
                    documents += docs
                    assets.update(lesson_assets)
        return track, lessons, documents, assets

    def phases(self, track_file: Path, located: Located, data: dict) -> tuple[list[Phase], dict[str, int]]:
        """track.yml's phases, and each listed lesson slug with its line (a slug listed twice is
        a problem, and counted once)."""
        phases: list[Phase] = []
        seen: dict[str, int] = {}
        for pi, phase in enumerate(data.get("phases") or [] if isinstance(data.get("phases"), list) else []):
            if not isinstance(phase, dict):
                continue
            slugs = []
            raw = phase.get("lessons") if isinstance(phase.get("lessons"), list) else []
            for li, s in enumerate(raw):
                if not isinstance(s, str) or not schema.SLUG_RE.match(s):
                    continue
                line = located.line("phases", pi, "lessons", li)
                if s in seen:
                    self.problems.add(track_file, line, f"lesson {s!r} is listed twice (first on line {seen[s]})",
                                      field=f"phases[{pi}].lessons")
                    continue
                seen[s] = line or 0
                slugs.append(s)
            phases.append(Phase(str(phase.get("title") or f"Phase {pi + 1}"), tuple(slugs)))
        return phases, seen

    def load_lesson(self, track: Track, slug: str, folder: Path):
        if self.escapes(folder):
            return None
        lesson_file = folder / "lesson.md"
        if not lesson_file.exists():
            self.problems.add(folder, None, "lesson folder has no lesson.md")
            return None
        src = self.markdown(lesson_file)
        if src is None:
            return None
        self.report_schema(lesson_file, schema.LESSON, src.meta)
        if not src.has_front_matter:
            self.problems.add(lesson_file, 1, "lesson.md must start with front-matter between `---` lines",
                              hint="see docs/authoring.md for the fields")
        meta = src.meta.value
        status = schema.value(schema.LESSON, meta, "status")
        overview_file = folder / "overview.md"
        cheatsheet_file = self.cheatsheets_dir / track.slug / f"{slug}.md"
        overview = self.markdown(overview_file) if overview_file.exists() else None
        cheatsheet = self.markdown(cheatsheet_file) if cheatsheet_file.exists() else None
        for path, page, what in ((overview_file, overview, "overview"), (cheatsheet_file, cheatsheet, "cheatsheet")):
            if page is not None:
                self.report_schema(path, schema.PAGE, page.meta)
            elif status == "published" and not path.exists():
                self.problems.add(path, None, f"published lesson {track.slug}/{slug} has no {what}",
                                  hint=f"write {self.problems.relative(path)} or set `status: draft`")
        assets = self.lesson_files(track, slug, folder)
        lesson = Lesson(
            track=track.slug,
            slug=slug,
            title=_text(meta.get("title"), slug),
            summary=_text(meta.get("summary"), ""),
            objectives=tuple(o for o in meta.get("objectives") or [] if isinstance(o, str)) if isinstance(meta.get("objectives"), list) else (),
            prerequisites=self.prerequisites(src),
            read=_minutes(meta.get("time"), "read") or 1,
            practice=_minutes(meta.get("time"), "practice"),
            difficulty=schema.value(schema.LESSON, meta, "difficulty"),
            math=schema.value(schema.LESSON, meta, "math"),
            deep_dives=tuple(d for d in meta.get("deep_dives") or [] if isinstance(d, str)) if isinstance(meta.get("deep_dives"), list) else (),
            credits=meta.get("credits") if isinstance(meta.get("credits"), str) else None,
            status=status,
            sources=LessonSources(folder, lesson_file, overview_file if overview else None,
                                  cheatsheet_file if cheatsheet else None, tuple(assets.values())),
            overview_title=_text(overview.meta.value.get("title"), None) if overview else None,
            cheatsheet_title=_text(cheatsheet.meta.value.get("title"), None) if cheatsheet else None,
            questions=_texts(meta.get("questions")),
            keypoints=_texts(meta.get("keypoints")),
        )
        if lesson.is_draft:
            self.drafts.add(lesson.key)
        docs = [Document(lesson_file, "lesson", refs.src_uri("lesson", track.slug, slug), src.body,
                         src.body_line, src.meta, track.slug, slug)]
        if overview:
            docs.append(Document(overview_file, "overview", refs.src_uri("overview", track.slug, slug),
                                 overview.body, overview.body_line, overview.meta, track.slug, slug))
        if cheatsheet:
            docs.append(Document(cheatsheet_file, "cheatsheet", refs.src_uri("cheatsheet", track.slug, slug),
                                 cheatsheet.body, cheatsheet.body_line, cheatsheet.meta, track.slug, slug))
        return lesson, docs, assets

    def lesson_files(self, track: Track, slug: str, folder: Path) -> dict[str, Path]:
        """The files a lesson publishes beside its pages (src_uri -> file); its other symbolic
        links are kept for the static files' link rules."""
        assets: dict[str, Path] = {}
        for p in sorted(folder.iterdir()):
            if p.name in ("lesson.md", "overview.md") or p.name.startswith("."):
                continue
            published = p.suffix.lower() in ASSET_SUFFIXES and not p.is_dir()
            if published:
                assets[f"{track.slug}/{slug}/{p.name}"] = p
            elif p.is_symlink():
                self.links.append(p)  # not published, but held to the static files' link rules
            elif not p.name.endswith("~") and p.name not in _BY_TOOLS:
                self.left_out.setdefault(f"{track.slug}/{slug}", []).append(p)
        return assets

    def prerequisites(self, src: MarkdownSource) -> tuple[Prerequisite, ...]:
        items = src.meta.value.get("prerequisites")
        if not isinstance(items, list):
            return ()
        out = []
        for i, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("lesson"), str):
                out.append(Prerequisite(lesson=item["lesson"], line=src.meta.line("prerequisites", i)))
            elif isinstance(item, dict) and isinstance(item.get("text"), str):
                out.append(Prerequisite(text=item["text"], line=src.meta.line("prerequisites", i)))
        return tuple(out)

    def load_docs(self, walk: siteplan.DocsWalk) -> list[Document]:
        docs = []
        for src_uri, path in walk.files:
            if not src_uri.endswith(".md"):
                continue
            src = self.markdown(path)
            if src is not None:
                docs.append(Document(path, "page", src_uri, src.body, src.body_line, src.meta))
        return docs

    # -- helpers -----------------------------------------------------------------------------
    def escapes(self, path: Path) -> bool:
        """True (and a problem) when a symbolic link, of `path` or of a folder above it, leads out
        of the project: course sources never pull in files from elsewhere on the machine."""
        if _inside(Path(os.path.realpath(path)), self.root):
            return False
        try:
            shown = path.relative_to(self.root).as_posix()
        except ValueError:
            shown = path.as_posix()
        self.problems.items.append(Problem(
            shown, None, "symbolic link points outside the project; copy the files in instead"))
        return True

    def yaml(self, path: Path) -> Located | None:
        if self.escapes(path):
            return None
        try:
            return read_yaml(path)
        except SourceProblem as e:
            self.problems.add(path, e.line, e.message)
            return None

    def markdown(self, path: Path) -> MarkdownSource | None:
        if self.escapes(path):
            return None
        try:
            text = read_text(path)
        except SourceProblem as e:
            self.problems.add(path, e.line, e.message)
            return None
        parsed = memo(("markdown", path, text), lambda: _parse_markdown(path, text))
        if isinstance(parsed, SourceProblem):
            self.problems.add(path, parsed.line, parsed.message)
            return None
        src, too_complex = parsed
        if too_complex:
            self.problems.add(path, *too_complex, hint="split the page or the paragraph")
            return None
        return src

    def report_schema(self, path: Path, spec: schema.Mapping, located: Located) -> None:
        if located.value is None:
            self.problems.add(path, 1, f"file is empty; expected {spec.name}")
            return
        for line, field_, message, hint in schema.validate(spec, located):
            self.problems.add(path, line, message, field=field_ or None, hint=hint)


def _parse_markdown(path: Path, text: str):
    """(source, too-complex finding) of a Markdown file's text, or the SourceProblem it raises."""
    try:
        src = split_front_matter(path, text)
    except SourceProblem as e:
        return e
    return src, _too_complex(src.body, src.body_line)


MAX_HEADINGS = 300
MAX_BRACKETS_PER_PARAGRAPH = 400
MAX_HTML_TAGS = 1000
_HTML_TAG = re.compile(r"<[A-Za-z]")
_HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")


def _too_complex(body: str, first_line: int) -> tuple[int, str] | None:
    """Shapes that take the build minutes: thousands of `[` in one paragraph or thousands of
    headings (Python-Markdown's link parser and heading ids are quadratic), thousands of HTML
    tags (the search index's parser is quadratic in their nesting). No real page comes near."""
    headings = brackets = 0
    start = first_line
    masked = blank_data_blocks(refs.mask_code(body))
    tags = list(itertools.islice(_HTML_TAG.finditer(masked), MAX_HTML_TAGS + 1))
    if len(tags) > MAX_HTML_TAGS:
        return refs.line_finder(masked, first_line)(tags[-1].start()), f"page has more than {MAX_HTML_TAGS} HTML tags"
    for n, line in enumerate(masked.split("\n")):
        if not line.strip():
            brackets, start = 0, first_line + n + 1
            continue
        if _HEADING_LINE.match(line):
            headings += 1
            if headings > MAX_HEADINGS:
                return first_line + n, f"page has more than {MAX_HEADINGS} headings"
        brackets += line.count("[")
        if brackets > MAX_BRACKETS_PER_PARAGRAPH:
            return start, f"paragraph has more than {MAX_BRACKETS_PER_PARAGRAPH} `[` characters; Markdown would take minutes over it"
    return None


def _texts(value) -> tuple[str, ...]:
    return tuple(v for v in value if isinstance(v, str)) if isinstance(value, list) else ()


def _text(value, default):
    return value if isinstance(value, str) and value.strip() else default


def _minutes(time, key) -> int | None:
    if isinstance(time, dict):
        v = schema.value(schema.TIME, time, key)
        if v:
            return v
    return None


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False

