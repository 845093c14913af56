"""The site's addresses and files: every output path has exactly one source, every file under
docs/ can be read, and every static file (lessons' and docs/') follows the same rules."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tracksite.core.checks.common import problems_of
from tracksite.core.site import statics

if TYPE_CHECKING:
    from tracksite.core.site.plan import Entry

_WHAT = {
    "lesson": "the lesson page",
    "overview": "the overview page",
    "cheatsheet": "the cheatsheet page",
    "asset": "the lesson file",
    "home": "the home page",
    "track": "the track page",
    "track-page": "the track's page",
    "schedule": "the schedule page",
    "docs-page": "the docs page",
    "docs-file": "the docs file",
    "redirect": "the redirect page",
    "theme": "tracksite's theme file",
    "course-data": "the course's outline for the exports",
}


def collisions(project) -> list:
    """Two sources for one address: the error names both; it is reported at the source an
    author can move (a docs/ file, else the later one)."""
    out = problems_of(project)
    site = project.site
    if site is None:
        return []
    first: dict[str, Entry] = {}
    taken = _taken_track_folders(project, out)
    for entry in site.entries:
        dest = site.dest(entry)
        later = site.written_after(dest)
        if later and not entry.from_docs and dest.split("/")[0] in taken:
            continue  # reported once, at track.yml
        if later:
            out.add(
                entry.source or project.root,
                entry.line,
                f"{_describe(project, entry)} is published at {dest}, which {later} overwrites",
                hint="rename or move it" if entry.from_docs else "choose another slug",
                code="TS213",
            )
        other = first.setdefault(dest, entry)
        if other is entry or _reserved_slug(entry, other):
            continue
        here, there = (entry, other) if entry.from_docs or not other.from_docs else (other, entry)
        url = dest.removesuffix("index.html") or "/"
        out.add(
            here.source or project.root,
            here.line,
            f"{_describe(project, here)} and {_describe(project, there)} are both published at {url}; "
            "one address, one source",
            hint=_hint(here, there),
            code="TS213",
        )
    return out.items


def _taken_track_folders(project, out) -> set[str]:
    """Tracks whose folder name is an address the site writes after the build (the search
    index's folder): every page of such a track would be overwritten, and the fix is one rename
    of the folder, so that is reported once, at its track.yml, instead of once a page."""
    site, taken = project.site, set()
    for entry in site.entries:
        dest = site.dest(entry)
        later = site.written_after(dest) if entry.kind == "track" else None
        if later:
            slug = dest.split("/")[0]
            taken.add(slug)
            out.add(
                entry.source or project.root,
                None,
                f"track folder name {slug!r} is taken: every page of the track is published under "
                f"{slug}/, which {later} overwrites",
                hint=f"rename the folders lessons/{slug}/ and cheatsheets/{slug}/",
                code="TS213",
            )
    return taken


def _reserved_slug(a, b) -> bool:
    """A lesson on a track page's address: structure.reserved_slugs reports it at its line."""
    kinds = {a.kind, b.kind}
    return bool(kinds & {"track-page", "schedule"}) and bool(kinds & {"lesson", "overview", "cheatsheet"})


def _describe(project, entry) -> str:
    what = _WHAT.get(entry.kind, entry.kind)
    source = entry.source
    if source is None:
        return f"{what} tracksite generates"
    made = "generated from " if entry.path is None else "from "
    shown = project.problems.relative(source) if project.problems is not None else str(source)
    return f"{what} {made}{shown}"


def _hint(here, there) -> str:
    if here.from_docs and there.kind in ("track", "home", "lesson", "overview", "cheatsheet", "asset"):
        return "rename or move the docs/ file; course pages and their files come from lessons/ and cheatsheets/"
    return "rename one of them"


def unreadable_files(project) -> list:
    """docs/ files the engine could not publish: links that loop, leave the project or lead
    nowhere (statics.walk), pipes and unreadable files."""
    out = problems_of(project)
    if project.site is None:
        return []
    out.extend(project.site.walk_problems)
    for path, why in project.site.unreadable:
        out.add(path, None, why, code="TS703")
    return out.items


def static_files(project) -> list:
    """One rule set (core/site/statics.py) for every static file the site publishes, lessons' and
    docs/' alike, and for the symbolic links in lesson folders (a remote file listed in
    remote-files.yml is not refused: the build copies it)."""
    if project.site is None:
        return []
    paths = [e.path for e in project.site.entries if e.kind in ("asset", "docs-file") and e.path is not None]
    allowed = project.remote.urls
    return [
        p for path in paths + list(project.lesson_links) for p in statics.static_problems(project.root, path, allowed)
    ]
