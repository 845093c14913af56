"""From a project folder to the model: tracks, lessons, their pages and files, and docs/ pages.

The loader only loads: it reads every file it can, reports what cannot be read (broken YAML,
a missing lesson.md, a front-matter that does not fit its schema) and puts whatever is sound
into the model. Everything that compares files with each other or with the site (links,
anchors, images, prerequisites, URLs, redirects) is a pass in `checks/`, run on that model by
both `tracksite check` and the build. Nothing here stops at the first error.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from tracksite.core import localstate, sources
from tracksite.core.learning import glossary as glossary_mod
from tracksite.core.markdown import complexity
from tracksite.core.markdown import references as refs
from tracksite.core.markdown.complexity import parse_markdown
from tracksite.core.memo import kept_fact, kept_track, memo, stable_text
from tracksite.core.model.course import Curriculum, Imported, Lesson, LessonSources, Phase, Track
from tracksite.core.model.lesson import lesson_from
from tracksite.core.model.project import Document, Project
from tracksite.core.problems.problem import Problem, ProblemList
from tracksite.core.remote import files as remotefiles
from tracksite.core.schema import specs as schema
from tracksite.core.site import plan as siteplan
from tracksite.core.site.published import ASSET_SUFFIXES, BY_TOOLS
from tracksite.core.sources import MarkdownSource, read_text
from tracksite.core.yaml import safe as yamlsafe
from tracksite.core.yaml.safe import Located
from tracksite.errors import SourceProblem

#: The journal of `tracksite new`, `move` and `rename` (commands/changes.py), a folder of the
#: course's state (core/localstate.py; never the checkout): while it exists the course is
#: half-changed.
JOURNAL = "journal"


def read(
    root: Path,
    *,
    include_drafts: bool = False,
    docs_dir: Path | None = None,
    config=None,
    serving: bool = False,
    measure: bool = True,
) -> Project:
    """Only load: the model and the problems of files that cannot be read or do not fit their
    schema. `config` (siteconfig.SiteConfig) and `serving` say which docs/ files the engine
    leaves out. `measure` False: no page is measured for shapes too complex to build, the
    caller knows none is (the same files, found none in last time: core/checks/__init__.py)."""
    root = root.resolve()
    problems = ProblemList(root)
    loader = _Loader(root, problems, include_drafts, config, serving)
    loader.measure = measure
    project = loader.run(docs_dir)
    project.problems = problems
    return project


class _Loader:
    def __init__(
        self, root: Path, problems: ProblemList, include_drafts: bool, config=None, serving: bool = False
    ) -> None:
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
        self._plain_folders: dict[Path, bool] = {}
        self._track_texts: dict[int, tuple[Track, str]] = {}  # each track as text, for the lessons' keys
        self.measure = True  # pages measured for shapes too complex to build (`read`)

    # -- driving -----------------------------------------------------------------------------
    def run(self, docs_dir: Path | None) -> Project:
        tracks: list[Track] = []
        lessons: dict[str, Lesson] = {}
        drafts: set[str] = set()
        documents: list[Document] = []
        assets: dict[str, Path] = {}
        journal, interrupted = localstate.path(self.root, JOURNAL), False
        with contextlib.suppress(OSError):  # where this user cannot look (another's state folder): none of theirs
            interrupted = journal.exists()
        if interrupted:
            self.problems.add(
                journal,
                None,
                "an interrupted `tracksite new`, `move` or `rename` left the course half-changed",
                hint="run that command again: it first undoes the half-made change, then makes it",
                code="TS005",
            )
        if not self.lessons_dir.is_dir():
            self.problems.add(
                self.lessons_dir, None, "no lessons/ folder; create one track folder per track in it", code="TS201"
            )
        else:
            for folder in sorted(p for p in self.lessons_dir.iterdir()):
                if folder.name.startswith(".") or not folder.is_dir() or self.escapes(folder):
                    continue
                loaded = kept_track(self, folder)
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
            walk = siteplan.walk_docs(self.root, Path(os.path.abspath(docs_dir)), self.config, serving=self.serving)
            documents += self.load_docs(walk)
        curriculum = Curriculum(tracks, lessons, draft_keys=drafts)
        taught = {lesson.track for lesson in lessons.values()}  # (once: not once a track, 3,000 at 10,000 lessons)
        project = Project(
            self.root,
            curriculum,
            documents,
            assets=assets,
            track_files=self.track_files,
            drafts=self.drafts,
            docs_walk=walk,
            lesson_links=self.links,
            left_out=[p for key, paths in self.left_out.items() if key not in drafts for p in paths],
            glossary=self.load_glossaries([t for t in tracks if t.slug in taught]),
            remote=remotefiles.load(self.root, self.yaml, self.report_schema, self.problems.add),
        )
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
        if not self.track_folder_ok(folder, track_file):
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
            expects=tuple(str(e) for e in schema.value(schema.TRACK, data, "expects") or ()),
            practice=schema.value(schema.TRACK, data, "practice"),
            imported=_imported(data),
            language=schema.value(schema.TRACK, data, "language"),
            stage=schema.value(schema.TRACK, data, "stage"),
        )
        self.track_files[slug] = (track_file, located)
        folders = {p.name: p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")}
        self.compare_folders(slug, track_file, seen, folders)
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

    def track_folder_ok(self, folder: Path, track_file: Path) -> bool:
        """Whether a folder under lessons/ can be a track: a slug for a name, and a track.yml."""
        slug = folder.name
        if not schema.SLUG_RE.match(slug):
            self.problems.add(
                folder,
                None,
                f"track folder name {slug!r} is not a slug",
                hint="use lower-case letters, digits and hyphens, e.g. deep-learning-survey",
                code="TS202",
            )
            return False
        if not track_file.is_file():
            self.problems.add(
                folder,
                None,
                "track folder has no track.yml",
                hint=f"create it with `tracksite new track {slug} --number N --title ...`",
                code="TS203",
            )
            return False
        return True

    def compare_folders(self, slug: str, track_file: Path, seen: dict[str, int], folders: dict[str, Path]) -> None:
        """track.yml's lesson slugs against the track's lesson folders: each side missing from
        the other is a problem."""
        for s, line in seen.items():
            if s not in folders:
                self.problems.add(
                    track_file,
                    line,
                    f"lesson {s!r} is listed but lessons/{slug}/{s}/ does not exist",
                    hint=f"create it with `tracksite new lesson {slug} {s} --title ...` or remove the line",
                    code="TS204",
                )
        for name, path in sorted(folders.items()):
            if name not in seen:
                self.problems.add(
                    path,
                    None,
                    f"lesson folder {name!r} is not listed in {slug}/track.yml",
                    hint="add its slug to a phase's `lessons:` list, or delete the folder",
                    code="TS205",
                )

    def phases(self, track_file: Path, located: Located, data: dict) -> tuple[list[Phase], dict[str, int]]:
        """track.yml's phases, and each listed lesson slug with its line (a slug listed twice is
        a problem, and counted once)."""
        phases: list[Phase] = []
        seen: dict[str, int] = {}
        for pi, phase in enumerate(data.get("phases") or [] if isinstance(data.get("phases"), list) else []):
            if not isinstance(phase, dict):
                continue
            slugs = []
            raw = r if isinstance(r := phase.get("lessons"), list) else []
            for li, s in enumerate(raw):
                if not isinstance(s, str) or not schema.SLUG_RE.match(s):
                    continue
                line = located.line("phases", pi, "lessons", li)
                if s in seen:
                    self.problems.add(
                        track_file,
                        line,
                        f"lesson {s!r} is listed twice (first on line {seen[s]})",
                        field=f"phases[{pi}].lessons",
                        code="TS206",
                    )
                    continue
                seen[s] = line or 0
                slugs.append(s)
            phases.append(Phase(title=str(phase.get("title") or f"Phase {pi + 1}"), lessons=tuple(slugs)))
        return phases, seen

    def load_lesson(self, track: Track, slug: str, folder: Path):
        """The lesson, its pages and files; a lesson whose folder and cheatsheet have the stamps
        a load of this process found (`sources.stamps`) is taken as that load made it, with the
        problems it found (a `mkdocs serve` rebuild loads again only what the save changed)."""
        if self.escapes(folder):
            return None
        cheatsheet = self.cheatsheets_dir / track.slug / f"{slug}.md"
        stamp = sources.stamps(folder, cheatsheet) if self._plain(folder) and self._plain(cheatsheet) else None
        if stamp is None:
            return self._load_lesson(track, slug, folder)
        if id(track) not in self._track_texts:
            self._track_texts[id(track)] = (track, stable_text(track))  # (the track kept: its id stays its own)
        key = ("lesson", str(folder), self._track_texts[id(track)][1], self.include_drafts, self.measure, stamp)
        key_out = f"{track.slug}/{slug}"

        ran = []

        def load() -> tuple:
            ran.append(True)
            problems, links, left = len(self.problems.items), len(self.links), len(self.left_out.get(key_out, []))
            loaded = self._load_lesson(track, slug, folder)
            return loaded, self.problems.items[problems:], self.links[links:], self.left_out.get(key_out, [])[left:]

        loaded, problems, links, left = memo(key, load)
        if not ran:  # remembered: what that load found, found again
            self.problems.items += problems
            self.links += links
            if left:
                self.left_out.setdefault(key_out, []).extend(left)
            if loaded is not None and loaded[0].is_draft:
                self.drafts.add(loaded[0].key)
        return loaded

    def _load_lesson(self, track: Track, slug: str, folder: Path):
        lesson_file = folder / "lesson.md"
        if not lesson_file.exists():
            self.problems.add(folder, None, "lesson folder has no lesson.md", code="TS207")
            return None
        src = self.markdown(lesson_file)
        if src is None:
            return None
        self.report_schema(lesson_file, schema.LESSON, src.meta)
        if not src.has_front_matter:
            self.problems.add(
                lesson_file,
                1,
                "lesson.md must start with front-matter between `---` lines",
                hint="see docs/authoring.md for the fields",
                code="TS021",
            )
        status = schema.value(schema.LESSON, src.meta.value, "status")
        overview_file = folder / "overview.md"
        cheatsheet_file = self.cheatsheets_dir / track.slug / f"{slug}.md"
        overview = self.markdown(overview_file) if overview_file.exists() else None
        cheatsheet = self.markdown(cheatsheet_file) if cheatsheet_file.exists() else None
        for path, page, what in ((overview_file, overview, "overview"), (cheatsheet_file, cheatsheet, "cheatsheet")):
            self.check_companion(path, page, what, f"{track.slug}/{slug}", status)
        assets = self.lesson_files(track, slug, folder)
        sources = LessonSources(
            folder,
            lesson_file,
            overview_file if overview else None,
            cheatsheet_file if cheatsheet else None,
            tuple(assets.values()),
        )
        lesson = lesson_from(track, slug, src, status, sources, overview, cheatsheet)
        if lesson.is_draft:
            self.drafts.add(lesson.key)
        pages = {"lesson": (lesson_file, src), "overview": (overview_file, overview)}
        pages["cheatsheet"] = (cheatsheet_file, cheatsheet)
        docs = [
            Document(
                path, kind, refs.src_uri(kind, track.slug, slug), page.body, page.body_line, page.meta, track.slug, slug
            )
            for kind, (path, page) in pages.items()
            if page
        ]
        return lesson, docs, assets

    def check_companion(self, path: Path, page: MarkdownSource | None, what: str, key: str, status) -> None:
        """A lesson's overview or cheatsheet fits the page schema; a published lesson without
        one is a problem."""
        if page is not None:
            self.report_schema(path, schema.PAGE, page.meta)
        elif status == "published" and not path.exists():
            self.problems.add(
                path,
                None,
                f"published lesson {key} has no {what}",
                hint=f"write {self.problems.relative(path)} or set `status: draft`",
                code="TS208",
            )

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
            elif not p.name.endswith("~") and p.name not in BY_TOOLS:
                self.left_out.setdefault(f"{track.slug}/{slug}", []).append(p)
        return assets

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
        if self._plain(path) or _inside(Path(os.path.realpath(path)), self.root):
            return False
        try:
            shown = path.relative_to(self.root).as_posix()
        except ValueError:
            shown = path.as_posix()
        self.problems.items.append(
            Problem(shown, None, "symbolic link points outside the project; copy the files in instead", code="TS004")
        )
        return True

    def yaml(self, path: Path) -> Located | None:
        if self.escapes(path):
            return None
        try:
            text = read_text(path)
        except SourceProblem as e:
            self.problems.add(path, e.line, e.message, code=e.code, column=e.column)
            return None
        parsed = memo(("yaml", path, text), lambda: _parse_or_problem(text))  # as `markdown` below
        if isinstance(parsed, SourceProblem):
            self.problems.add(path, parsed.line, parsed.message, code=parsed.code, column=parsed.column)
            return None
        return parsed

    def markdown(self, path: Path) -> MarkdownSource | None:
        if self.escapes(path):
            return None
        try:
            text = read_text(path)
        except SourceProblem as e:
            self.problems.add(path, e.line, e.message, code=e.code, column=e.column)
            return None
        parsed = memo(("markdown", path, text, self.measure), lambda: parse_markdown(path, text, self.measure))
        if isinstance(parsed, SourceProblem):
            self.problems.add(path, parsed.line, parsed.message, code=parsed.code, column=parsed.column)
            return None
        src, too_complex = parsed
        if too_complex:
            self.problems.add(path, *too_complex, hint="split the page or the paragraph", code=complexity.CODE)
            return None
        return src

    def _plain(self, path: Path) -> bool:
        """True when `path` lies in the project with no symbolic link on the way: one `lstat`
        for the file, the folders above it remembered (a course has thousands of files in a few
        hundred folders, and resolving each file's whole path was most of the loader's calls)."""
        folder = path.parent
        plain = self._plain_folders.get(folder)
        if plain is None:
            if folder == self.root:
                plain = True
            elif folder == folder.parent or not str(folder).startswith(str(self.root)):
                plain = False
            else:
                plain = not _islink(folder) and self._plain(folder)
            self._plain_folders[folder] = plain
        return plain and not _islink(path)

    def report_schema(self, path: Path, spec: schema.Mapping, located: Located) -> None:
        if located.value is None:
            self.problems.add(path, 1, f"file is empty; expected {spec.name}", code="TS006")
            return
        for f in _findings(spec, located):
            self.problems.add(path, f.line, f.message, field=f.field, hint=f.hint, code=f.code, column=f.column)


def _islink(path: Path) -> bool:
    """Whether `path` is a symbolic link, asked again under serve only after a change there (core/memo.py)."""
    return kept_fact("islink", (str(path),), lambda: os.path.islink(path))


def _parse_or_problem(text: str) -> Located | SourceProblem:
    try:
        return yamlsafe.parse(text)
    except SourceProblem as e:
        return e


def _findings(spec: schema.Mapping, located: Located) -> list:
    """The schema's findings in a parsed file, remembered for as long as its parse is: the
    Markdown parse is remembered by text (`markdown` above), so a serve rebuild checks the
    front-matter of the files that changed only. Keyed by identity, and the parse is kept with
    its findings, so a recycled id can never answer for another file."""
    kept, found = memo(("schema", id(spec), id(located)), lambda: (located, schema.findings(spec, located)))
    return found if kept is located else schema.findings(spec, located)


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def _imported(data: dict) -> Imported | None:
    """track.yml `imported:`: where an imported track came from, and how check treats its broken anchors."""
    imported = schema.value(schema.TRACK, data, "imported")
    if not isinstance(imported, dict):
        return None
    return Imported(
        source=str(imported.get("source") or ""),
        broken_links=schema.value(schema.IMPORTED, imported, "broken_links"),
    )
