"""The site plan: every file the site publishes, where each comes from, and where it goes.

The build and `tracksite check` both look at this one list. It holds the pages generated from
the course (lessons, overviews, cheatsheets, the home, track and schedule pages), the lessons'
files, every file under `docs/` (pages with their front-matter, and static files), and the
redirect pages of renamed lessons. Each entry knows its output path, so two sources for one
address are found before anything is written (checks/urls.py), and the adapter publishes
exactly the entries listed here, nothing it decided on its own.

Walking `docs/` never raises: a symbolic link loop, a broken link, a pipe or an unreadable file
becomes a located problem (checks/urls.py), not a traceback halfway through the build.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from tracksite import theme as theme_files
from tracksite.core import widgetregistry as W
from tracksite.core.learning import schedule
from tracksite.core.markdown import references as refs
from tracksite.core.problems.findings import Finding
from tracksite.core.site import coursejson, published, redirects, scripts, sheets, statics, trackpages
from tracksite.core.siteconfig import SiteConfig
from tracksite.core.widgets.runnable import body as runnable

#: The folder the search index is written to, after the build, replacing what was there.
SEARCH_FOLDER = "search-index"


@dataclass(frozen=True)
class Entry:
    """One published file. `path` is its source file; generated entries have `origin` instead
    (the file that makes them: track.yml, redirects.yml) and, when known, their `content`."""

    src_uri: str
    kind: str  # lesson overview cheatsheet asset home track track-page schedule docs-page docs-file redirect theme course-data
    path: Path | None = None
    origin: Path | None = None
    line: int | None = None
    content: str | None = None

    @property
    def source(self) -> Path | None:
        return self.path or self.origin

    @property
    def from_docs(self) -> bool:
        return self.kind in ("docs-page", "docs-file")


@dataclass
class SitePlan:
    config: SiteConfig
    entries: list[Entry] = field(default_factory=list)
    walk_problems: list = field(default_factory=list)  # docs/ links that could not be followed
    unreadable: list[tuple[Path, str]] = field(default_factory=list)  # (file, why) under docs/
    redirect_files: list[tuple[Path, list[redirects.Redirect], list[Finding]]] = field(
        default_factory=list
    )  # (redirects.yml, its redirects, its problems)

    def dest(self, entry: Entry) -> str:
        return output_path(entry.src_uri, self.config.use_directory_urls)

    def generated(self) -> list[Entry]:
        """What the adapter adds to the engine's files: everything not under docs/."""
        return [e for e in self.entries if not e.from_docs]

    def written_after(self, dest: str) -> str | None:
        """What writes `dest` after the plan's files are published, overwriting them: the
        theme's static pages (404.html, sitemap.xml and its .gz) and the search index."""
        templates = self.config.static_templates
        if dest in templates or (dest.endswith(".gz") and dest[:-3] == "sitemap.xml" and dest[:-3] in templates):
            return f"the theme's {dest}"
        if dest.split("/")[0] == SEARCH_FOLDER:
            return f"the search index (written to {SEARCH_FOLDER}/ after the build)"
        return None

    def by_src_uri(self) -> dict[str, Entry]:
        out: dict[str, Entry] = {}
        for e in self.entries:
            out.setdefault(e.src_uri, e)
        return out


def output_path(src_uri: str, directory_urls: bool = True) -> str:
    """Where a source lands in the site, as the engine writes it (`a/b.md` -> `a/b/index.html`)."""
    if not src_uri.endswith(".md"):
        return src_uri
    folder, _, name = src_uri.rpartition("/")
    stem = name[:-3]
    prefix = f"{folder}/" if folder else ""
    if stem in ("index", "README"):
        return f"{prefix}index.html"
    return f"{prefix}{stem}/index.html" if directory_urls else f"{prefix}{stem}.html"


def plan(project, config: SiteConfig, *, instructor: bool = False) -> SitePlan:
    """The site plan of a loaded project (`loader.Project`)."""
    site = SitePlan(config)
    c = project.curriculum
    for doc in project.documents:
        if doc.kind != "page":
            site.entries.append(Entry(doc.src_uri, doc.kind, path=doc.path))
    for src_uri, path in project.assets.items():
        site.entries.append(Entry(src_uri, "asset", path=path))
        if unsafe := published.unsafe_name(src_uri):  # a lesson's file, named as docs/ files may not be
            site.unreadable.append((path, f"{unsafe}; rename the file"))
    for track in c.tracks:
        if c.lessons_of(track.slug):
            site.entries.append(Entry(refs.src_uri("track", track.slug), "track", origin=track.path, content=""))
            for kind in trackpages.pages_of(project, track):  # glossary, key points, review, exercises
                lang = track.language or config.language
                content = trackpages.exercises_markdown(project, track, instructor, lang) if kind == "exercises" else ""
                site.entries.append(
                    Entry(trackpages.src_uri(kind, track.slug), "track-page", origin=track.path, content=content)
                )
            if instructor:
                site.entries.append(
                    Entry(
                        schedule.schedule_src_uri(track.slug),
                        "schedule",
                        origin=track.path,
                        content=schedule.schedule_markdown(project, track.slug, track.language or config.language),
                    )
                )
    if project.docs_walk is not None:
        site.unreadable += project.docs_walk.unreadable
        site.walk_problems += project.docs_walk.problems
        for src_uri, path in project.docs_walk.files:
            if not instructor and trackpages.instructors_only(project.document(src_uri)):
                continue  # an instructor page: in the instructor view only
            site.entries.append(Entry(src_uri, "docs-page" if src_uri.endswith(".md") else "docs-file", path=path))
    if not any(e.src_uri == "index.md" and e.from_docs for e in site.entries):
        site.entries.append(Entry("index.md", "home", content=""))  # a docs/index.md is the home page
    # the outline the exports read (core/site/coursejson.py); a docs/course.json is a collision
    site.entries.append(Entry(coursejson.SRC_URI, "course-data", content=coursejson.text(project, config)))
    own = {e.src_uri for e in site.entries if e.from_docs}
    runs = any(runnable.runs_code(doc.body) for doc in project.documents)  # else no Python is published
    # the theme's files and the widgets' own (in their homes); the course's own docs/ file wins, as custom_dir does
    for src_uri, path in sorted([*theme_files.asset_files(), *W.home_asset_files()]):
        if src_uri in own or (not runs and src_uri.startswith(theme_files.RUNTIME)):
            continue
        if src_uri.endswith(".css"):  # published without its comments (sheets.py: issue 83's budget)
            site.entries.append(Entry(src_uri, "theme", origin=path, content=_published(path, sheets.published)))
        elif scripts.minified(src_uri):  # and its scripts without theirs (scripts.py: the same budget)
            site.entries.append(Entry(src_uri, "theme", origin=path, content=_published(path, scripts.published)))
        else:
            site.entries.append(Entry(src_uri, "theme", path=path))
    _add_redirects(site, project)
    return site


def _published(path: Path, publish: Callable[[str], str]) -> str:
    """`publish` of the package file at `path`, worked out once per version of it (the edit loop
    plans again on every save; the package's sheets and scripts rarely change)."""
    st = path.stat()
    return _publish_once(str(path), st.st_mtime_ns, st.st_size, publish)


@lru_cache(maxsize=128)
def _publish_once(path: str, mtime_ns: int, size: int, publish: Callable[[str], str]) -> str:
    return publish(Path(path).read_text(encoding="utf-8"))


def _add_redirects(site: SitePlan, project) -> None:
    lessons_dir = project.root / "lessons"
    if not lessons_dir.is_dir():
        return
    for track_dir in sorted(p for p in lessons_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
        path = redirects.path_for(track_dir)
        if not path.is_file() and not path.is_symlink():
            continue
        found, bad = redirects.read(track_dir)
        site.redirect_files.append((path, found, bad))
        for r in found:
            for src_uri, html in redirects.pages_for(r, project.root, project.curriculum, site.config.site_url):
                site.entries.append(Entry(src_uri, "redirect", origin=path, line=r.line, content=html))


@dataclass
class DocsWalk:
    files: list[tuple[str, Path]] = field(default_factory=list)  # (src_uri, file)
    problems: list = field(default_factory=list)  # links the walk could not follow (statics.walk)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)  # (file, why the engine cannot copy it)


def walk_docs(root: Path, docs_dir: Path, config: SiteConfig | None = None, *, serving: bool = False) -> DocsWalk:
    """Every file the engine would publish from docs/, as statics.walk lists it (folder links
    followed once, links that loop or leave the project refused), less what the engine leaves
    out (templates/, mkdocs.yml's `exclude_docs`, and `draft_docs` unless serving), with pipes
    and unreadable files recorded instead of raised."""
    walk = DocsWalk()
    config = config or SiteConfig(root, docs_dir)
    files, walk.problems = statics.walk(root, docs_dir)
    for path in files:
        uri = path.relative_to(docs_dir).as_posix()
        if config.leaves_out(uri, serving=serving):
            continue
        why = _unreadable(path)
        if not why and (unsafe := published.unsafe_name(uri)):
            why = f"{unsafe}; rename the file (the site's file names go into the exports' zip files as they are)"
        if why:
            walk.unreadable.append((path, why))
        else:
            walk.files.append((uri, path))
    return walk


def _unreadable(path: Path) -> str | None:
    """Why the engine could not read `path`, or None."""
    try:
        st = os.stat(path)
    except OSError as e:
        if path.is_symlink():
            if e.errno == errno.ELOOP:
                return "symbolic link loop: the link leads back to itself"
            return f"broken symbolic link to {os.readlink(path)!r}"
        return f"cannot read file: {e.strerror or e}"
    if stat.S_ISDIR(st.st_mode):
        return None if os.access(path, os.R_OK | os.X_OK) else "cannot read folder: permission denied"
    if not stat.S_ISREG(st.st_mode):
        return "not a regular file (a pipe, socket or device); the site can only publish files"
    try:
        with open(path, "rb") as f:
            f.read(1)
    except OSError as e:
        return f"cannot read file: {e.strerror or e}"
    return None
