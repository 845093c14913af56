"""What each page's templates read as `ts`: the course model's views of the page (its lesson,
track, navigation, map, the track's extra pages) in the page's language. Built here rather than
in the plugin's event so that the plugin stays a list of events; what every page of a build
shares (the home page's totals, each track's extra pages per language) is made once per build."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.pages import Page

from tracksite.adapter.pages import coursepages, language
from tracksite.core.learning import coursemap
from tracksite.core.model.project import Document, Project
from tracksite.core.site import trackpages, views
from tracksite.core.widgets.common import WidgetContext

#: Where the instructor view is published, inside the learner site (as the Workbench publishes it).
VIEW_FOLDER = "instructor"


class Contexts:
    """The `ts` of each page of one build (a new one per build: the course may have changed)."""

    def __init__(self, project: Project, options: Any, *, serving: bool = False) -> None:
        """`options`: the plugin's (pdfs, instructor, instructor_view); no other view under serve."""
        self.project = project
        self.pdfs: bool = options.pdfs
        self.instructor: bool = options.instructor
        self.instructor_view: bool = options.instructor_view and not serving  # published under instructor/
        self._home: dict[str, Any] | None = None
        self._track_pages: dict[tuple[str, str], list[dict[str, str]]] = {}  # (track, language) -> its pages
        self._languages: dict[str, dict[str, Any]] = {}  # language -> what the templates need of it
        self._navs: dict[tuple[str, str], dict[str, Any]] = {}  # (track, language) -> its sidebar
        self._neighbours: dict[str, list] | None = None  # track -> its map's lessons of other tracks

    def key(self) -> str:
        """What of the build's options every page's HTML depends on (the build cache's key)."""
        return f"{self.pdfs} {self.instructor} {self.instructor_view}"

    def home(self, config: MkDocsConfig) -> dict[str, Any]:
        """Every track's totals, in the course's language (the home page, the 404 page, every page's footer)."""
        if self._home is None:
            self._home = views.home_view(self.project.curriculum, language.course_language(config))
        return self._home

    def track_pages(self, track: str, lang: str) -> list[dict[str, str]]:
        """The glossary, key points, review and exercise pages a track has."""
        if (track, lang) not in self._track_pages:
            track_obj = self.project.curriculum.track(track)
            assert track_obj is not None
            self._track_pages[track, lang] = trackpages.links(self.project, track_obj, lang, instructor=self.instructor)
        return self._track_pages[track, lang]

    def nav(self, track: str, lang: str) -> dict[str, Any]:
        """A track's sidebar, the same object for each of its pages (caches/pagedeps.py digests
        it once)."""
        if (track, lang) not in self._navs:
            track_obj = self.project.curriculum.track(track)
            assert track_obj is not None
            self._navs[track, lang] = views.nav_view(self.project.curriculum, track_obj, lang)
        return self._navs[track, lang]

    def page(self, page: Page, config: MkDocsConfig) -> dict[str, Any]:
        """The page's `ts`: what kind of page it is and the views its templates draw."""
        c = self.project.curriculum
        doc = self.project.document(page.file.src_uri)
        kind = (page.meta or {}).get("tracksite", "page")
        ts: dict[str, Any] = {"kind": kind}
        lang = language.page_language(config, c, page.file.src_uri)
        if kind in ("home", "page"):
            ts["home"] = self.home(config)
        if kind == "home":
            ts["map"] = coursepages.course_map(c, page, None, lang)
            ts["home_pages"] = {t["slug"]: self.track_pages(t["slug"], lang) for t in ts["home"]["tracks"]}
        if doc is not None and doc.lesson:
            lesson = c.lesson(doc.lesson_key or "")
            assert lesson is not None
            ts["lesson"] = views.lesson_view(c, lesson, doc.kind, lang)
            ts["nav"] = self.nav(lesson.track, lang)
            if doc.kind == "cheatsheet" and self.pdfs:  # `pdf --publish` prints every one it links
                ts["pdf"] = trackpages.pdf_url("cheatsheet", lesson.track, lesson.slug)
        elif kind in ("track", "schedule", *trackpages.PAGES):
            self._track_context(ts, page, kind, lang)
        elif kind == "page" and (own := coursepages.track_of_page(c, page.file.src_uri)):
            # a track's own page (an imported lesson's Setup): the track's bar, in its language
            ts["of_track"] = own
            ts["nav"] = self.nav(own, lang)
        if ts.get("nav"):
            ts["pages"] = self.track_pages(ts["nav"]["track"]["slug"], lang)
        ts["instructor"] = self.instructor
        ts["twin"] = self.twin(page, kind, doc) if self.instructor_view else None
        if lang not in self._languages:  # (its strings as JSON: once per build, not per page)
            self._languages[lang] = language.context(lang, config)
        ts.update(self._languages[lang])
        return ts

    def twin(self, page: Page, kind: str, doc: Document | None) -> str:
        """The same page in the other view, relative to this page: the instructor view is published
        under `instructor/` of the learner site (VIEW_FOLDER). A page only the instructor view
        has (a schedule, an instructor page) leads back to its track's page, else to the home page."""
        here = page.url or ""
        up = "../" * here.count("/") or "./"  # to the site's root (MkDocs' `url` filter drops a leading ../)
        if not self.instructor:
            return f"{up}{VIEW_FOLDER}/{here}"
        if kind == "schedule" or trackpages.instructors_only(doc):
            head = here.split("/")[0]
            return f"{up}../{head}/" if self.project.curriculum.track(head) is not None else f"{up}../"
        return f"{up}../{here}"

    def _track_context(self, ts: dict[str, Any], page: Page, kind: str, lang: str) -> None:
        c = self.project.curriculum
        track = c.track(page.file.src_uri.split("/")[0])
        assert track is not None
        ts["track"] = views.track_view(c, track, lang)
        ts["nav"] = self.nav(track.slug, lang)
        if kind == "track":
            if self._neighbours is None:  # (one walk of the course for every track page)
                self._neighbours = coursemap.every_neighbours(c)
            others = self._neighbours.get(track.slug)
            ts["map"] = coursepages.course_map(c, page, track, lang, others)
            if self.pdfs:
                ts["downloads"] = trackpages.downloads(self.project, track, lang)
        elif kind == "glossary":
            ts["glossary"] = trackpages.glossary_view(self.project, track, lang)
        elif kind == "keypoints":
            ts["keypoints"] = trackpages.keypoints_view(c, track)
        elif kind == "review":
            ts["review"] = trackpages.review_view(self.project, track)


def widget_context(
    page: Page, doc: Document | None, instructor: bool, islands: bool = False, lang: str = "en"
) -> WidgetContext:
    """What the widget blocks know of the page they render on: its id, its folder (data files),
    where its data files are published, whether the instructor's notes show, whether the
    widgets give an export their data (an export's build), and its language."""
    src_dir = doc.path.parent if doc is not None else Path(page.file.abs_src_path or ".").parent
    page_id = doc.lesson_key if doc is not None and doc.lesson_key else page.file.src_uri.removesuffix(".md")
    src_dir_uri = os.path.dirname(page.file.src_uri)
    lesson_dir = (
        f"{doc.track}/{doc.lesson}/" if doc is not None and doc.lesson else (f"{src_dir_uri}/" if src_dir_uri else "")
    )
    page_dir = page.file.url if page.file.url.endswith("/") else os.path.dirname(page.file.url) + "/"

    def data_url(name: str) -> str:
        target = f"{lesson_dir}{name}"
        rel = os.path.relpath(target, page_dir or ".")
        return rel.replace(os.sep, "/")

    return WidgetContext(page_id, src_dir, data_url, instructor=instructor, islands=islands, lang=lang)
