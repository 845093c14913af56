"""From a project folder to a validated curriculum and every problem in it, all at once.

Nothing here stops at the first error: each file is checked as far as it can be, and whatever
is sound still goes into the model so that references into it can be checked too.
"""
from __future__ import annotations

import contextlib
import functools
import itertools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.core import anchors as anchor_ids
from tracksite.core import glossary as glossary_mod
from tracksite.core import readingtime
from tracksite.core import references as refs
from tracksite.core import schema, siteconfig
from tracksite.core import statics
from tracksite.core import trackpages
from tracksite.core.blocksyntax import blank_data_blocks
from tracksite.core.model import Curriculum, Lesson, LessonSources, Phase, Prerequisite, Track
from tracksite.core import bodychecks, rootcause
from tracksite.core.problems import Problem, ProblemList
from tracksite.core.sources import MarkdownSource, SourceProblem, read_text, read_yaml, split_front_matter
from tracksite.core.yamlsafe import Located

ASSET_SUFFIXES = {".png", ".svg", ".jpg", ".jpeg", ".gif", ".webp", ".json", ".yml", ".yaml", ".csv"}
_IMAGE = re.compile(r"!\[([^\]]*)\]\(\s*<?([^)\s>]+)>?")
# `![](fig.png){alt='...'}`: attr_list's alt attribute is alt text too (Carpentries writes it so).
_ALT_ATTR = re.compile(r"""[^)]*\)\{[^}]*\balt\s*=\s*(?:"[^"]*\S[^"]*"|'[^']*\S[^']*'|[^\s}'"]+)""")
_VAGUE_LINK = re.compile(r"(?<!!)\[(here|click here|this link|this|link|read more|more)\]\(", re.I)
_ACTIVE_TAG = re.compile(r"<\s*(script|iframe|frame|frameset|object|embed|applet|base|meta|foreignobject)\b", re.I)
_TAG_HANDLER = re.compile(r"<[a-zA-Z][^<>]*?[\s/\"'](on[a-zA-Z]+)\s*=")
_ATTR_LIST_HANDLER = re.compile(r"\{:?[^{}\n]{0,300}?(?<![\w-])(on[a-zA-Z]+)\s*=[^{}\n]{0,300}\}")


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
    glossary: glossary_mod.Glossary = field(default_factory=glossary_mod.Glossary)

    def document(self, src_uri: str) -> Document | None:
        return self._by_src.get(src_uri)

    def index(self) -> None:
        self._by_src = {d.src_uri: d for d in self.documents}


def load(root: Path, *, include_drafts: bool = False, docs_dir: Path | None = None) -> Project:
    """Load and validate the whole project under `root`."""
    root = root.resolve()
    problems = ProblemList(root)
    loader = _Loader(root, problems, include_drafts)
    project = loader.run(docs_dir)
    bodychecks.check_documents(project, problems)
    rootcause.refine(problems, project.curriculum)
    project.problems = problems
    return project


class _Loader:
    def __init__(self, root: Path, problems: ProblemList, include_drafts: bool) -> None:
        self.root = root
        self.problems = problems
        self.include_drafts = include_drafts
        self.lessons_dir = root / "lessons"
        self.cheatsheets_dir = root / "cheatsheets"

    # -- driving -----------------------------------------------------------------------------
    def run(self, docs_dir: Path | None) -> Project:
        tracks: list[Track] = []
        lessons: dict[str, Lesson] = {}
        drafts: set[str] = set()
        documents: list[Document] = []
        assets: dict[str, Path] = {}
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
        self.check_unique_numbers(tracks)
        self.check_orphan_cheatsheets(tracks)
        if docs_dir is not None and docs_dir.is_dir():
            documents += self.load_docs(docs_dir)
        curriculum = Curriculum(tracks, lessons, self.include_drafts, drafts)
        project = Project(self.root, curriculum, documents, assets=assets,
                          glossary=self.load_glossaries([t for t in tracks if t.slug in {l.track for l in lessons.values()}]))
        project.index()
        self.check_lesson_links(curriculum)
        self.check_bodies(project)
        glossary_mod.check(project, project.glossary, self.problems)
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
        track = Track(
            slug=slug,
            number=schema.value(schema.TRACK, data, "number") or 0,
            title=str(data.get("title") or slug),
            summary=str(data.get("summary") or ""),
            phases=tuple(phases),
            path=track_file,
        )
        self._track_lines = getattr(self, "_track_lines", {})
        self._track_lines[slug] = (track_file, located.line("number"))
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
        for s, line in seen.items():
            if s in trackpages.RESERVED_SLUGS:
                self.problems.add(track_file, line, f"lesson slug {s!r} is taken by the track's own {s} page",
                                  hint="rename the lesson, e.g. with `tracksite rename`")
        for s in seen:
            if s in folders:
                loaded = self.load_lesson(track, s, folders[s])
                if loaded:
                    lesson, docs, lesson_assets = loaded
                    lessons.append(lesson)
                    documents += docs
                    assets.update(lesson_assets)
        return track, lessons, documents, assets

    def check_unique_numbers(self, tracks: list[Track]) -> None:
        by_number: dict[int, Track] = {}
        lines = getattr(self, "_track_lines", {})
        for t in tracks:
            if not t.number:
                continue
            if t.number in by_number:
                first = by_number[t.number]
                path, line = lines[t.slug]
                self.problems.add(path, line, f"track number {t.number} is already used by {first.slug}/track.yml",
                                  field="number", hint="each track needs its own number")
            else:
                by_number[t.number] = t

    # -- lessons -----------------------------------------------------------------------------
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
        assets: dict[str, Path] = {}
        for p in sorted(folder.iterdir()):
            if p.name in ("lesson.md", "overview.md") or p.name.startswith("."):
                continue
            published = p.suffix.lower() in ASSET_SUFFIXES and not p.is_dir()
            if published or p.is_symlink():
                found = statics.static_problems(self.root, p)
                self.problems.extend(found)
                if published and not found:
                    assets[f"{track.slug}/{slug}/{p.name}"] = p
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
        self._lesson_meta = getattr(self, "_lesson_meta", {})
        self._lesson_meta[lesson.key] = (lesson_file, src.meta)
        docs = [Document(lesson_file, "lesson", refs.src_uri("lesson", track.slug, slug), src.body,
                         src.body_line, src.meta, track.slug, slug)]
        if overview:
            docs.append(Document(overview_file, "overview", refs.src_uri("overview", track.slug, slug),
                                 overview.body, overview.body_line, overview.meta, track.slug, slug))
        if cheatsheet:
            docs.append(Document(cheatsheet_file, "cheatsheet", refs.src_uri("cheatsheet", track.slug, slug),
                                 cheatsheet.body, cheatsheet.body_line, cheatsheet.meta, track.slug, slug))
        return lesson, docs, assets

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

    def check_orphan_cheatsheets(self, tracks: list[Track]) -> None:
        if not self.cheatsheets_dir.is_dir():
            return
        known = {t.slug: set(t.lesson_slugs) for t in tracks}
        for path in sorted(self.cheatsheets_dir.rglob("*")):
            if path.is_dir() or path.name.startswith("."):
                continue
            rel = path.relative_to(self.cheatsheets_dir).parts
            if len(rel) != 2 or path.suffix != ".md":
                self.problems.add(path, None, "unexpected file; cheatsheets live at cheatsheets/<track>/<lesson>.md")
            elif rel[0] not in known:
                self.problems.add(path, None, f"cheatsheet for unknown track {rel[0]!r}")
            elif path.stem not in known[rel[0]]:
                self.problems.add(path, None, f"cheatsheet has no lesson: {rel[0]}/track.yml lists no {path.stem!r}",
                                  hint=_near(path.stem, known[rel[0]]))

    def check_lesson_links(self, curriculum: Curriculum) -> None:
        """Prerequisites and deep dives name real lessons; deep dives leave the track."""
        all_lessons = list(curriculum.all_lessons())
        for lesson in all_lessons:
            path, meta = self._lesson_meta[lesson.key]
            for i, pre in enumerate(lesson.prerequisites):
                if pre.lesson is None:
                    continue
                ref = refs.parse(f"lesson:{pre.lesson}", lesson.track)
                why = ref if isinstance(ref, str) else refs.resolve(ref, curriculum)
                if why:
                    self.problems.add(path, pre.line, why, field=f"prerequisites[{i}].lesson",
                                      hint=_near(pre.lesson, [l.slug for l in curriculum.lessons_of(lesson.track)]))
                elif isinstance(ref, refs.Ref) and ref.track == lesson.track and ref.lesson == lesson.slug:
                    self.problems.add(path, pre.line, "a lesson cannot be its own prerequisite",
                                      field=f"prerequisites[{i}].lesson")
            for i, target in enumerate(lesson.deep_dives):
                ref = refs.parse(f"lesson:{target}", None)
                why = ref if isinstance(ref, str) else refs.resolve(ref, curriculum)
                if why:
                    self.problems.add(path, meta.line("deep_dives", i), why, field=f"deep_dives[{i}]",
                                      hint=_near(target, [l.key for l in all_lessons]))

    # -- bodies: links, anchors, images, widgets ----------------------------------------------
    def check_bodies(self, project: Project) -> None:
        stamps: dict[Path, tuple] = {}
        ids: dict[str, set[str]] = {d.src_uri: _memo(("anchors", d.body), functools.partial(anchor_ids.anchors, d.body))
                                    for d in project.documents}
        from tracksite.core.widgets import validate_widgets

        known_blocks = siteconfig.markdown_blocks(self.root)
        for doc in project.documents:
            self.check_active_content(doc)
            for link in _memo(("links", doc.body, doc.body_line), lambda: list(refs.find_links(doc.body, doc.body_line))):
                if refs.is_unsafe(link.target):
                    continue  # reported by check_active_content
                if refs.scheme_of(link.target) is None:
                    continue
                ref = refs.parse(link.target, doc.track)
                why = ref if isinstance(ref, str) else refs.resolve(ref, project.curriculum)
                if why:
                    self.problems.add(doc.path, link.line, f"broken link {link.target!r}: {why}")
                    continue
                if ref.anchor and ref.src_uri in ids and ref.anchor not in ids[ref.src_uri]:
                    self.problems.add(doc.path, link.line, f"broken link {link.target!r}: no heading with anchor #{ref.anchor} on that page",
                                      hint=_near(ref.anchor, ids[ref.src_uri]))
                elif ref.anchor and ref.src_uri not in ids:
                    self.problems.add(doc.path, link.line, f"broken link {link.target!r}: anchors can only point into lesson, overview and cheatsheet pages")
            self.check_images(doc, project)
            shown, folder = self.problems.relative(doc.path), doc.path.parent
            if folder not in stamps:  # widget data files live beside the page
                stamps[folder] = _folder_stamp(folder)
            self.problems.extend(_memo(("widgets", shown, doc.body, doc.body_line, folder, stamps[folder], known_blocks),
                                       lambda: validate_widgets(shown, doc.body, doc.body_line, folder,
                                                                known_blocks=known_blocks)))
            if doc.kind == "lesson":
                self.check_reading_time(doc, project)
            for n, line in enumerate(doc.body.split("\n")):
                m = _VAGUE_LINK.search(line)
                if m:
                    self.problems.add(doc.path, doc.body_line + n, f"link text {m.group(1)!r} does not say where it goes",
                                      hint="name the target, e.g. [the attention lesson](lesson:...)", severity="warning")
        from tracksite.core.coverage import objective_warnings  # issue 7: objectives no quiz or flashcard practises
        for doc in project.documents:  # issue 7 (warnings only; see coverage.py), one lesson at a time
            if doc.kind != "lesson":
                continue
            # A lesson's warnings depend on its own file only; its parsed front-matter is the same
            # object for as long as the file's text is unchanged (see `markdown`).
            key = ("coverage", doc.path, id(doc.meta))
            hit = _MEMO.get(key)
            if hit is None or hit[0] is not doc.meta:
                one = Project(project.root, project.curriculum, [doc], assets=project.assets)
                one.index()
                hit = _MEMO[key] = (doc.meta, objective_warnings(one))
            self.problems.extend(hit[1])

    def check_active_content(self, doc: Document) -> None:
        """No code reaches a learner's browser from a course page: no script-like HTML elements,
        no `on...=` event handlers (in HTML or `{: attr_list }`), no javascript:, vbscript:,
        data: or file: URLs. Code blocks and the data of widget blocks (rendered as text) are
        not looked at."""
        found = _memo(("active", doc.body, doc.body_line), lambda: _active_content(doc.body, doc.body_line))
        for line, message, hint in found:
            self.problems.add(doc.path, line, message, hint=hint)

    def check_images(self, doc: Document, project: Project) -> None:
        for n, line in enumerate(refs.mask_code(doc.body).split("\n")):  # an image shown as code is no image
            for m in _IMAGE.finditer(line):
                alt, target = m.group(1), m.group(2)
                lineno = doc.body_line + n
                if not alt.strip() and not _ALT_ATTR.match(line, m.end()):
                    self.problems.add(doc.path, lineno, f"image {target!r} has no alt text",
                                      hint="describe what the image shows: ![Encoder block: ...](file.svg)", severity="warning")
                if re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I) or target.startswith("#"):
                    continue
                if target.startswith("/") or ".." in target.split("/"):
                    self.problems.add(doc.path, lineno, f"image path {target!r} leaves the lesson folder",
                                      hint="put the image beside lesson.md and write its file name")
                    continue
                if doc.kind == "page":
                    exists = (doc.path.parent / target).is_file()
                else:
                    exists = f"{doc.track}/{doc.lesson}/{target}" in project.assets
                if not exists:
                    self.problems.add(doc.path, lineno, f"image {target!r} not found",
                                      hint=f"expected it at lessons/{doc.track}/{doc.lesson}/{target}" if doc.lesson else None)

    def check_reading_time(self, doc: Document, project: Project) -> None:
        lesson = project.curriculum.lesson(doc.lesson_key or "")
        if lesson is None:
            return
        reading = readingtime.estimate(doc.body)
        expected, suggested = reading.minutes, readingtime.reading_minutes(doc.body)
        if expected and lesson.read != suggested and abs(lesson.read - expected) > 0.3 * expected:
            self.problems.add(doc.path, doc.meta.line("time", "read"),
                              f"read time {lesson.read} min is more than 30% off the prose estimate ({reading.describe()})",
                              field="time.read", hint=f"set `read: {suggested}`", severity="warning")

    def load_docs(self, docs_dir: Path) -> list[Document]:
        """docs/ as the build collects it: Markdown pages, and static files held to the same
        rules as a lesson's (an SVG or HTML file there is served from the site's origin too)."""
        docs = []
        docs_dir = Path(os.path.abspath(docs_dir))
        files, problems = statics.walk(self.root, docs_dir)
        self.problems.extend(problems)
        for path in files:
            if path.suffix != ".md":
                self.problems.extend(statics.static_problems(self.root, path))
                continue
            src = self.markdown(path)
            if src is not None:
                docs.append(Document(path, "page", path.relative_to(docs_dir).as_posix(), src.body, src.body_line, src.meta))
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
        parsed = _memo(("markdown", path, text), lambda: _parse_markdown(path, text))
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


# `mkdocs serve` loads the whole project again after every save. What depends on one file's text
# alone (its parsed front-matter, its anchors, links and active-content findings) is remembered,
# keyed by that text, so a rebuild redoes it only for the files that changed.
_MEMO: dict[tuple, object] = {}
_MEMO_MAX = 50_000


def _memo(key: tuple, compute):
    try:
        return _MEMO[key]
    except KeyError:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        value = _MEMO[key] = compute()
        return value


def _folder_stamp(folder: Path) -> tuple:
    """Names, sizes and times of the files under a page's folder (its widgets' data files)."""
    out = []
    for dirpath, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                st = os.stat(os.path.join(dirpath, name))
                out.append((dirpath, name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


def _parse_markdown(path: Path, text: str):
    """(source, too-complex finding) of a Markdown file's text, or the SourceProblem it raises."""
    try:
        src = split_front_matter(path, text)
    except SourceProblem as e:
        return e
    return src, _too_complex(src.body, src.body_line)


def _active_content(body: str, body_line: int) -> list[tuple[int, str, str]]:
    """(line, message, hint) of every script-like element, event handler and unsafe URL."""
    found = []
    masked = blank_data_blocks(refs.mask_code(body))
    line_at = refs.line_finder(masked, body_line)
    for line, scheme, target in itertools.islice(refs.unsafe_urls(masked, body_line), MAX_FINDINGS):
        found.append((line, f"link to {scheme}: URL {target[:60]!r} is not allowed",
                      "course pages link only to pages, files and http(s) addresses"))
    for m in itertools.islice(_ACTIVE_TAG.finditer(masked), MAX_FINDINGS):
        found.append((line_at(m.start()), f"HTML <{m.group(1).lower()}> is not allowed in course pages",
                      "write Markdown; interactive parts come from the widget blocks"))
    for rx in (_TAG_HANDLER, _ATTR_LIST_HANDLER):
        for m in itertools.islice(rx.finditer(masked), MAX_FINDINGS):
            found.append((line_at(m.start(1)),
                          f"event handler attribute {m.group(1).lower()}= is not allowed in course pages",
                          "interactive parts come from the widget blocks"))
    return found


MAX_FINDINGS = 20  # of one kind in one file: enough to act on, never a flood


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


def _near(word: str, options) -> str | None:
    import difflib

    near = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f"did you mean {near[0]!r}?" if near else None
