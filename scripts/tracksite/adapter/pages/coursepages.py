"""The course as MkDocs shows it: the navigation, each page's title, template and description,
the course links rewritten to relative ones, and the course map.

The plugin (`plugin.py`) follows MkDocs' build events and calls these for the course's pages;
what they show comes from the core (`views`, `trackpages`, `coursemap`, `references`), and
only the MkDocs objects they fill in (pages, sections, the navigation) are engine knowledge.
"""

from __future__ import annotations

import posixpath
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from tracksite.adapter.pages import language
from tracksite.core import messages
from tracksite.core.learning import coursemap, schedule
from tracksite.core.markdown import references as refs
from tracksite.core.model.course import Curriculum
from tracksite.core.model.project import Document, Project
from tracksite.core.site import trackpages, views


def navigation(project: Project, files: Files) -> Navigation:
    """Tracks, phases, lessons in track.yml order, then the docs/ pages as "Guides"."""
    c = project.curriculum
    items: list[Any] = []
    pages: list[Page] = []

    by_uri = files.src_uris  # (not `get_file_from_path`, which parses each address as a path first)

    def page(src_uri: str) -> Page | None:
        f = by_uri.get(src_uri)
        return f.page if f is not None else None

    # docs/ pages, listed once (not once per track: 65 tracks times 3,200 files at 1,000 lessons);
    # docs/<track>/... are that track's own pages, in the files' order
    docs = [f.page for f in files.documentation_pages() if f.page and _docs_page(project, f.src_uri)]
    track_docs: dict[str, list[Any]] = {}
    for p in docs:
        head, sep, _ = p.file.src_uri.partition("/")
        if sep:
            track_docs.setdefault(head, []).append(p)
    home = page("index.md")
    if home:
        items.append(home)
        pages.append(home)
    for track in c.tracks:
        lessons = c.lessons_of(track.slug)
        track_page = page(refs.src_uri("track", track.slug))
        if not lessons or track_page is None:
            continue
        children: list[Any] = [track_page]
        pages.append(track_page)
        for phase, phase_lessons in c.phases_of(track):
            phase_pages: list[Any] = [
                p for p in (page(refs.src_uri("lesson", l.track, l.slug)) for l in phase_lessons) if p
            ]
            section = Section(safe(phase.title), phase_pages)
            for p in phase_pages:
                p.parent = section
            pages += phase_pages
            children.append(section)
        own = track_docs.get(track.slug, [])  # the track's own pages (an imported lesson's Setup), not guides
        children += own
        pages += own
        section = Section(safe(f"{views.track_label(track)}: {track.title}"), children)
        for child in children:
            child.parent = section
        items.append(section)
    guides: list[Any] = [
        p for p in docs if p.file.src_uri != "index.md" and c.track(p.file.src_uri.split("/")[0]) is None
    ]
    if guides:
        items.append(Section("Guides", guides))
        pages += guides
    return Navigation(items, pages)


def _docs_page(project: Project, src_uri: str) -> bool:
    doc = project.document(src_uri)
    return doc is not None and doc.kind == "page"


def drop_instructor_pages(files: Files, project: Project, *, instructor: bool) -> None:
    """The learner build leaves out the docs pages for instructors (`audience: instructors`)."""
    if instructor:
        return
    for f in [f for f in files.documentation_pages() if trackpages.instructors_only(project.document(f.src_uri))]:
        files.remove(f)


def track_of_page(c: Curriculum, src_uri: str) -> str | None:
    """The track a docs page belongs to (`docs/<track>/...`), or None for a guide."""
    head, sep, _ = src_uri.partition("/")
    return head if sep and c.track(head) is not None else None


def set_meta(markdown: str, page: Page, doc: Document | None, c: Curriculum, config: MkDocsConfig) -> str:
    """The title, template, description and kind (`tracksite`) of a course page, which the
    templates read; a generated exercises page has its course links rewritten here."""
    src_uri = page.file.src_uri
    lang = language.page_language(config, c, src_uri)
    words = messages.catalogue(lang)
    if doc is not None and doc.lesson:
        lesson = c.lesson(doc.lesson_key or "")
        assert lesson is not None
        title = lesson.title
        if doc.kind == "overview":
            title = lesson.overview_title or words.text("overviewOf", title=lesson.title)
        elif doc.kind == "cheatsheet":
            title = lesson.cheatsheet_title or words.text("cheatsheetOf", title=lesson.title)
        page.meta = {"title": safe(title), "description": safe(lesson.summary), "tracksite": doc.kind}
    elif src_uri == "index.md" and doc is None:
        page.meta = {
            "title": safe(config.site_name),
            "template": "home.html",
            "tracksite": "home",
            "description": safe(config.site_description or ""),
        }
    elif (kind_slug := trackpages.kind_of(src_uri)) and doc is None:
        kind, slug = kind_slug
        track = c.track(slug)
        assert track is not None
        title, about = trackpages.page_words(kind, lang)
        label = views.track_label(track, lang)
        page.meta = {
            "title": safe(f"{title}: {label}, {track.title}"),
            "tracksite": kind,
            "description": safe(f"{about}: {label}, {track.title}."),
        }
        if kind == "exercises":
            markdown = rewrite_links(markdown, Generated(src_uri, slug))
        else:
            page.meta["template"] = f"{kind}.html"
    elif src_uri == schedule.schedule_src_uri(src_uri.split("/")[0]) and doc is None:
        page.meta = {"tracksite": "schedule", "description": safe(words.text("instructorSchedule"))}
    elif src_uri.endswith("/index.md") and c.track(src_uri.split("/")[0]) and doc is None:
        track = c.track(src_uri.split("/")[0])
        assert track is not None
        page.meta = {
            "title": safe(f"{views.track_label(track, lang)}: {track.title}"),
            "template": "track.html",
            "tracksite": "track",
            "description": safe(track.summary),
        }
    return markdown


class Generated:
    """What `rewrite_links` needs of a generated page: where it lives and its track."""

    def __init__(self, src_uri: str, track: str) -> None:
        self.src_uri, self.track = src_uri, track


def rewrite_links(markdown: str, doc: Document | Generated) -> str:
    """Course links (`lesson:slug`) made relative to the page: checked before the build."""
    replacements = {}
    for link in refs.find_links(markdown, 1):
        if refs.scheme_of(link.target) is None:
            continue
        ref = refs.parse(link.target, doc.track)
        if isinstance(ref, str):  # validated before the build: cannot happen with a clean check
            continue
        target = refs.relative_src(doc.src_uri, ref.src_uri) + (f"#{ref.anchor}" if ref.anchor else "")
        replacements[(link.start, link.end)] = target
    return refs.rewrite(markdown, replacements)


def course_map(c: Curriculum, page: Page, track, lang: str = "en", others: list | None = None) -> dict[str, Any]:
    """The course map (all tracks, on the home page) or one track's, with its neighbours in
    other tracks (`others`, when already known: `coursemap.every_neighbours`), drawn as SVG with
    links relative to `page`, and its text alternative."""
    here = page.file.url if page.file.url.endswith("/") else posixpath.dirname(page.file.url)

    def url(lesson) -> str:
        return refs.relative(refs.url("lesson", lesson.track, lesson.slug), here or ".") + "/"

    tracks = [track] if track else [t for t in c.tracks if c.lessons_of(t.slug)]
    if others is None:
        others = coursemap.neighbours(c, track) if track else []
    words = messages.catalogue(lang)
    if track:
        title = words.text("mapOf", track=views.track_label(track, lang), title=track.title)
    else:
        title = words.text("mapOfCourse")
    if not track and len(c.lessons) > coursemap.LESSON_MAP_LIMIT:  # a box per track, not per lesson

        def track_url(t) -> str:
            return refs.relative(refs.url("track", t.slug), here or ".") + "/"

        return {
            "title": title,
            "legend": words.text("mapTrackLegend"),
            "svg": Markup(coursemap.render_tracks_svg(c, track_url, title)),
            "text": Markup(coursemap.render_tracks_text(c, track_url)),
        }
    return {
        "title": title,
        "legend": words.text("mapLegend"),
        "svg": Markup(coursemap.render_svg(c, tracks, url, title, "ts-map", others, lang)),
        "text": Markup(coursemap.render_text(c, tracks, url, others, lang)),
    }


def escaped_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """A docs page's front-matter with every string escaped: Material prints some (the title in
    the header) without escaping, and the search index shows titles as HTML."""
    return {key: safe(value) if isinstance(value, str) else value for key, value in meta.items()}


def safe(text: str) -> Markup:
    """Instructor text made safe for every template that prints it, escaped or not."""
    return escape(text)
