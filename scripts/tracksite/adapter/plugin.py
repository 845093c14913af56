"""The MkDocs adapter: the only module that knows MkDocs' build events.

It follows the build in order (config, files, nav, page markdown, content, context, post build),
and delegates every decision about the course to the core: loading and validation (`loader`),
links (`references`) and what a page shows (`views`). A move to another engine rewrites this
file and the templates, nothing else.
"""
from __future__ import annotations

import logging
import os
import posixpath
import re
import shutil
from pathlib import Path
from typing import Any

from markupsafe import Markup, escape
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation, Section
from mkdocs.structure.pages import Page

from tracksite.adapter import console, csp, rebuild, search, sitedir
from tracksite.adapter import serve as serving_tools
from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext
from tracksite.adapter.laterchecks import LaterChecks
from tracksite.adapter.markup_fixes import code_block_ids, table_code_pipes
from tracksite.adapter.mathml import render_math, render_text
from tracksite.core import coursemap, schedule, trackpages, views
from tracksite.core import references as refs
from tracksite.core.checks import check, finish, later_problems
from tracksite.core.loader import Document, Project
from tracksite.core.problems import format_text, os_error, sorted_problems
from tracksite.core.termlinks import mark_first_uses

log = logging.getLogger("mkdocs.plugins.tracksite")


class TracksiteConfig(Config):
    drafts = c.Type(bool, default=False)
    """Build draft lessons too (always on under `mkdocs serve`)."""
    instructor = c.Type(bool, default=False)
    """Show `/// instructor` notes and the per-track schedule pages."""
    atomic = c.Type(bool, default=True)
    """Build into a staging folder and replace the site only when the build succeeded."""


class TracksitePlugin(BasePlugin[TracksiteConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.project: Project | None = None
        self.failed: list[str] = []
        self.real_site_dir: str | None = None
        self.staging_dir: str | None = None
        self.widget_context: Any = None
        self._home: dict[str, Any] | None = None
        self._track_pages: dict[str, list[dict[str, str]]] = {}  # per build: track -> its learner pages
        # Under `mkdocs serve` only: problems MkDocs found, to show on the problems page.
        self.forced_problems: list[str] = []
        self._mkdocs_warnings: serving_tools.MkDocsWarnings | None = None
        self.indexer: search.Indexer | None = None  # per build: Pagefind, fed as pages render
        self._background: search.Background | None = None  # serve: the last build's index, finishing
        self._pages: list[tuple[str, str]] = []  # per build: every page's URL and file in the site
        self.dirty = False
        self._generated = rebuild.GeneratedPages()  # serve --dirty: what the last build rendered
        self._later: LaterChecks | None = None  # build: the checks running beside the rendering

    # -- 1. startup and config: load and validate before anything is cleaned ------------------
    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this hook also keeps the plugin instance alive across `mkdocs serve` rebuilds.
        self.command, self.dirty = command, dirty
        console.install("mkdocs", "tracksite.serve")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        serving = self.command == "serve"
        self.on_shutdown()  # a serve rebuild: the last build's index, if still being finished, is replaced
        if not serving:
            self._check_site_dir(config, root)
        # The same entry point as `tracksite check`: one load, every pass, one site plan; a staged
        # build runs the passes that do not shape the pages beside the rendering (laterchecks.py).
        staged = self.command == "build" and self.config.atomic
        self.project = check(root, include_drafts=self.config.drafts or serving, docs_dir=Path(config.docs_dir),
                             instructor=self.config.instructor, serving=serving, later=not staged)
        self._home, self._track_pages, self._later = None, {}, None
        assert self.project.problems is not None
        if staged and not self.project.problems.errors:
            self._later = LaterChecks(self.project)
        elif staged:  # the build stops here: every problem at once
            finish(self.project, later_problems(self.project))
        for warning in self.project.problems.warnings if self._later is None else ():
            log.info(warning.text())
        errors = self.project.problems.errors
        self.failed = [p.text() for p in sorted_problems(errors)] + list(self.forced_problems)  # causes first
        if serving:
            self._mkdocs_warnings = serving_tools.MkDocsWarnings.install(self._mkdocs_warnings)
        if errors:
            report = format_text(errors)
            if not serving:
                raise PluginError(_refusal(errors))
            # Not through MkDocs' logger: under `strict: true` an error logged there would abort
            # the build, and `mkdocs serve` would exit instead of showing the problems.
            serving_tools.terminal_log().error("ERROR    -  tracksite: %d problems in the course sources:\n%s", len(errors), report)
        self._register_markdown(config)
        for folder in ("lessons", "cheatsheets"):
            path = str(root / folder)
            if os.path.isdir(path) and path not in config.watch:
                config.watch.append(path)
        if self.command == "build" and self.config.atomic:
            self._stage(config)
        return config

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        root = Path(config.config_file_path or ".").resolve().parent
        watched = [config.docs_dir, str(root / "lessons"), str(root / "cheatsheets")]
        session = serving_tools.ServeSession(server, self, watched)
        pending = serving_tools.take_mkdocs_problems(self)
        if pending:  # the first build, made before this event, met problems only MkDocs reports
            session.show_problems(pending)
        return server

    def _register_markdown(self, config: MkDocsConfig) -> None:
        config.markdown_extensions = [
            e for e in config.markdown_extensions if not isinstance(e, TracksiteBlocksExtension)
        ]
        config.markdown_extensions.append(
            TracksiteBlocksExtension(context=lambda: self.widget_context)
        )

    def _check_site_dir(self, config: MkDocsConfig, root: Path) -> None:
        """Refuse, before anything is written, an output folder the build must not replace."""
        sources = [Path(config.docs_dir), root / "lessons", root / "cheatsheets"]
        if config.theme.custom_dir:
            sources.append(Path(config.theme.custom_dir))
        try:
            sitedir.check(Path(config.site_dir), root, sources)
        except sitedir.Refused as e:
            raise PluginError(str(e)) from None

    def _stage(self, config: MkDocsConfig) -> None:
        """Build into a sibling folder so a failed build leaves the last good site as it was."""
        real = os.path.abspath(config.site_dir)
        try:
            self.staging_dir, left = sitedir.stage(Path(real))
        except OSError as e:
            raise PluginError(os_error("cannot prepare the site folder", e)) from None
        for path in left:
            log.info("tracksite: could not remove %s, left by an interrupted build; remove it by hand", path)
        self.real_site_dir = real
        config.site_dir = self.staging_dir

    # -- 2. files: the course's sources become pages and assets at the contract's URLs --------
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        assert self.project is not None
        if self.failed:
            self._generated.forget()
            return serving_tools.problems_files(files, config, self.failed)
        # Exactly the site plan's entries: the checks already refused two sources for one address.
        assert self.project.site is not None
        keep = (self._generated.unchanged(self.project, config, self.config)
                if self.dirty and self.command == "serve" else set())
        for entry in self.project.site.generated():
            # INCLUDED: mkdocs.yml's exclude_docs and draft_docs are patterns for docs/ only;
            # what the course publishes is decided by track.yml and `status:`.
            source = {"abs_src_path": str(entry.path)} if entry.path is not None else {"content": entry.content or ""}
            kind = rebuild.Kept if entry.src_uri in keep else File
            files.append(kind.generated(config, entry.src_uri, inclusion=InclusionLevel.INCLUDED, **source))
        return files

    def track_pages(self, track: str) -> list[dict[str, str]]:
        """The glossary, key points, review and exercise pages a track has (once per build)."""
        if track not in self._track_pages:
            assert self.project is not None
            self._track_pages[track] = trackpages.links(self.project, self.project.curriculum.track(track))
        return self._track_pages[track]

    # -- 3. nav: tracks, phases, lessons in track.yml order ----------------------------------
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.failed or self.project is None:
            return nav
        c = self.project.curriculum
        items: list[Any] = []
        pages: list[Page] = []

        def page(src_uri: str) -> Page | None:
            f = files.get_file_from_path(src_uri)
            return f.page if f is not None else None

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
                phase_pages = [p for p in (page(refs.src_uri("lesson", l.track, l.slug)) for l in phase_lessons) if p]
                section = Section(_safe(phase.title), phase_pages)
                for p in phase_pages:
                    p.parent = section
                pages += phase_pages
                children.append(section)
            section = Section(_safe(f"{views.track_label(track)}: {track.title}"), children)
            for child in children:
                child.parent = section
            items.append(section)
        guides = [f.page for f in files.documentation_pages() if f.page and f.src_uri != "index.md"
                  and self.project.document(f.src_uri) is not None and self.project.document(f.src_uri).kind == "page"]
        if guides:
            items.append(Section("Guides", guides))
            pages += guides
        return Navigation(items, pages)

    # -- 4. page markdown: resolve course links, set titles and templates ---------------------
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.failed or self.project is None:
            return markdown
        src_uri = page.file.src_uri
        doc = self.project.document(src_uri)
        c = self.project.curriculum
        if doc is not None:
            markdown = self._rewrite_links(markdown, doc)
            if doc.kind == "page":
                page.meta = _escaped_meta(page.meta)
        self.widget_context = self._widget_context(page, doc)
        if doc is not None and doc.lesson:
            lesson = c.lesson(doc.lesson_key)
            assert lesson is not None
            title = lesson.title
            if doc.kind == "overview":
                title = lesson.overview_title or f"Overview: {lesson.title}"
            elif doc.kind == "cheatsheet":
                title = lesson.cheatsheet_title or f"Cheatsheet: {lesson.title}"
            page.meta = {"title": _safe(title), "description": _safe(lesson.summary), "tracksite": doc.kind}
        elif src_uri == "index.md" and doc is None:
            page.meta = {"title": _safe(config.site_name), "template": "home.html", "tracksite": "home",
                         "description": _safe(config.site_description or "")}
        elif trackpages.kind_of(src_uri) and doc is None:
            kind, slug = trackpages.kind_of(src_uri)
            track = c.track(slug)
            title, about = trackpages.PAGES[kind]
            page.meta = {"title": _safe(f"{title}: {views.track_label(track)}, {track.title}"), "tracksite": kind,
                         "description": _safe(f"{about}: {views.track_label(track)}, {track.title}.")}
            if kind == "exercises":
                markdown = self._rewrite_links(markdown, _Generated(src_uri, slug))
            else:
                page.meta["template"] = f"{kind}.html"
        elif src_uri == schedule.schedule_src_uri(src_uri.split("/")[0]) and doc is None:
            page.meta = {"tracksite": "schedule", "description": _safe("Instructor schedule")}
        elif src_uri.endswith("/index.md") and c.track(src_uri.split("/")[0]) and doc is None:
            track = c.track(src_uri.split("/")[0])
            page.meta = {"title": _safe(f"{views.track_label(track)}: {track.title}"), "template": "track.html",
                         "tracksite": "track", "description": _safe(track.summary)}
        return markdown

    def _rewrite_links(self, markdown: str, doc: Document) -> str:
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

    def _widget_context(self, page: Page, doc: Document | None):
        src_dir = doc.path.parent if doc is not None else Path(page.file.abs_src_path or ".").parent
        page_id = doc.lesson_key if doc is not None and doc.lesson_key else page.file.src_uri.removesuffix(".md")
        src_dir_uri = os.path.dirname(page.file.src_uri)
        lesson_dir = f"{doc.track}/{doc.lesson}/" if doc is not None and doc.lesson else (f"{src_dir_uri}/" if src_dir_uri else "")
        page_dir = page.file.url if page.file.url.endswith("/") else os.path.dirname(page.file.url) + "/"

        def data_url(name: str) -> str:
            target = f"{lesson_dir}{name}"
            rel = os.path.relpath(target, page_dir or ".")
            return rel.replace(os.sep, "/")

        return WidgetContext(page_id=page_id, source_dir=src_dir, data_url=data_url,
                             instructor=self.config.instructor)

    # -- 5. content: formulas to MathML -----------------------------------------------------
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not isinstance(page.title, Markup):  # a docs page titled by its first heading or file name
            from_heading = getattr(page, "_title_from_render", None)  # already HTML: tags stripped
            page.meta["title"] = Markup(from_heading) if from_heading == page.title else _safe(page.title or "")
        html = search.weigh_code(code_block_ids(table_code_pipes(render_math(html))))
        if self.failed or self.project is None:
            return html
        doc = self.project.document(page.file.src_uri)
        if doc is not None and doc.lesson and doc.kind in ("lesson", "overview", "cheatsheet"):
            here = posixpath.dirname(page.file.url.rstrip("/")) if not page.file.url.endswith("/") else page.file.url
            glossary_url = trackpages.url("glossary", doc.track)
            html, _ = mark_first_uses(html, self.project.glossary, doc.track,
                                      lambda term: posixpath.relpath(glossary_url, here or ".") + "/#" + term.anchor)
        elif (page.meta or {}).get("tracksite") == "exercises" and self.config.instructor:
            for kind in ("ts-solution", "ts-quiz__answers"):  # the instructor's copy shows every answer
                html = html.replace(f'<details class="{kind}', f'<details open class="{kind}')
        return html

    # -- 6. context: what the theme's partials draw -----------------------------------------
    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        self._pages = [("/" + f.url, f.dest_uri) for f in files.documentation_pages()]
        env.filters["ts_text"] = render_text  # front-matter strings: `$...$` as math, the rest escaped
        env.loader = csp.ThemeLoader(env.loader)  # the templates' own inline scripts, marked for the CSP
        return env

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation):
        if self.failed or self.project is None:
            context["ts"] = {"kind": "error"}
            return context
        c = self.project.curriculum
        doc = self.project.document(page.file.src_uri)
        kind = (page.meta or {}).get("tracksite", "page")
        ts: dict[str, Any] = {"kind": kind}
        if kind in ("home", "page"):
            if self._home is None:  # once per build: every track's totals
                self._home = views.home_view(c)
            ts["home"] = self._home
        if kind == "home":
            ts["map"] = self._course_map(page, None)
            ts["home_pages"] = {t["slug"]: self.track_pages(t["slug"]) for t in ts["home"]["tracks"]}
        if doc is not None and doc.lesson:
            lesson = c.lesson(doc.lesson_key)
            ts["lesson"] = views.lesson_view(c, lesson, doc.kind)
            ts["nav"] = ts["lesson"]["nav"]
        elif kind in ("track", "schedule", *trackpages.PAGES):
            track = c.track(page.file.src_uri.split("/")[0])
            ts["track"] = views.track_view(c, track)
            ts["nav"] = views.nav_view(c, track, None)
            if kind == "track":
                ts["map"] = self._course_map(page, track)
            elif kind == "glossary":
                ts["glossary"] = trackpages.glossary_view(self.project, track)
            elif kind == "keypoints":
                ts["keypoints"] = trackpages.keypoints_view(c, track)
            elif kind == "review":
                ts["review"] = trackpages.review_view(self.project, track)
        if ts.get("nav"):
            ts["pages"] = self.track_pages(ts["nav"]["track"]["slug"])
        ts["instructor"] = self.config.instructor
        context["ts"] = ts
        return context

    def _course_map(self, page: Page, track) -> dict[str, Any]:
        """The course map (all tracks, on the home page) or one track's, with its neighbours in
        other tracks, drawn as SVG with links relative to `page`, and its text alternative."""
        c = self.project.curriculum
        here = page.file.url if page.file.url.endswith("/") else posixpath.dirname(page.file.url)

        def url(lesson) -> str:
            return posixpath.relpath(refs.url("lesson", lesson.track, lesson.slug), here or ".") + "/"

        tracks = [track] if track else [t for t in c.tracks if c.lessons_of(t.slug)]
        others = coursemap.neighbours(c, track) if track else []
        title = f"Map of {views.track_label(track)}: {track.title}" if track else "Map of the course"
        if not track and len(c.lessons) > coursemap.LESSON_MAP_LIMIT:  # a box per track, not per lesson

            def track_url(t) -> str:
                return posixpath.relpath(refs.url("track", t.slug), here or ".") + "/"

            return {"title": title, "legend": coursemap.TRACK_LEGEND,
                    "svg": Markup(coursemap.render_tracks_svg(c, track_url, title)),
                    "text": Markup(coursemap.render_tracks_text(c, track_url))}
        return {"title": title, "legend": coursemap.LEGEND,
                "svg": Markup(coursemap.render_svg(c, tracks, url, title, "ts-map", others)),
                "text": Markup(coursemap.render_text(c, tracks, url, others))}

    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        output = csp.apply(output)
        if not self.failed:  # to Pagefind now, so it indexes while the next pages render
            try:
                if self.indexer is None:
                    self.indexer = search.Indexer()
                self.indexer.add(output, "/" + page.file.url)
            except search.SearchIndexError as e:
                raise PluginError(str(e)) from None
        return output

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        return csp.apply(output_content)  # 404.html and other theme pages

    # -- 7. post build: index the pages for search, swap the staged site in -----------------
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self._later is not None:  # before anything is published
            later, self._later = self._later, None
            finish(self.project, later.result())
            for warning in self.project.problems.warnings:
                log.info(warning.text())
            if self.project.problems.errors:
                raise PluginError(_refusal(self.project.problems.errors))
        if self.command == "serve" and config.strict and self._mkdocs_warnings and self._mkdocs_warnings.seen:
            serving_tools.forget_strict_warnings()  # shown on the problems page, not a stuck server
        strict_failed = config.strict and _strict_warnings()
        indexer, self.indexer = self.indexer, None
        if not self.failed and not strict_failed and self.command == "serve":  # search while authoring
            self._background = search.Background(indexer or search.Indexer(), config.site_dir, list(self._pages),
                                                 _log_index, lambda e: serving_tools.terminal_log().error("ERROR    -  tracksite: %s", e))
        elif not self.failed and not strict_failed:
            self._write_index(indexer, config.site_dir)
        elif indexer is not None:
            indexer.close()
        if self.real_site_dir is None:
            if self.command != "serve":
                sitedir.mark(Path(config.site_dir))  # built in place (`atomic: false`)
            return
        if strict_failed:
            return  # MkDocs aborts right after this event; on_build_error drops the staging folder
        staged, real = config.site_dir, self.real_site_dir
        sitedir.swap(staged, Path(real))
        config.site_dir = real
        self.real_site_dir = self.staging_dir = None

    def _write_index(self, indexer: search.Indexer | None, site_dir: str) -> None:
        """Finish the search index: the pages `--dirty` did not render are read from the site."""
        try:
            indexer = indexer or search.Indexer()
            indexer.finish(site_dir, self._pages)
        except search.SearchIndexError as e:
            raise PluginError(str(e)) from None
        _log_index(indexer)

    def on_shutdown(self) -> None:
        if self._background is not None:
            self._background.stop()
            self._background = None

    def on_build_error(self, *, error: Exception) -> None:
        """Drop this build's staging folder (the last good site was never touched), and say in
        one line what the machine refused: a read-only folder, a full disk, a permission."""
        if self.indexer is not None:
            self.indexer.close()
            self.indexer = None
        if self._later is not None:
            self._later.cancel()
            self._later = None
        self._generated.forget()
        if self.real_site_dir is not None and self.staging_dir is not None:
            shutil.rmtree(self.staging_dir, ignore_errors=True)
        self.real_site_dir = self.staging_dir = None
        if isinstance(error, OSError) and self.command != "serve":
            raise PluginError(os_error("the build could not write or read a file", error)) from None


class _Generated:
    """What `_rewrite_links` needs of a generated page: where it lives and its track."""

    def __init__(self, src_uri: str, track: str) -> None:
        self.src_uri, self.track = src_uri, track


def _log_index(indexer: search.Indexer) -> None:
    log.info("tracksite: search index of %d pages: %.2f s of the build's time, %.2f s of Pagefind's CPU "
             "beside the rendering", indexer.indexed, indexer.seconds, indexer.cpu_seconds)


def _refusal(errors: list) -> str:
    return (f"tracksite found {len(errors)} problem{'s' if len(errors) > 1 else ''} in the course sources; "
            f"nothing was built and the previous site is untouched:\n{format_text(errors)}")


def _strict_warnings() -> bool:
    """Whether MkDocs' strict-mode counter has seen a warning in this build."""
    from mkdocs.utils import CountHandler

    return any(isinstance(h, CountHandler) and h.get_counts() for h in logging.getLogger("mkdocs").handlers)


def _escaped_meta(meta: dict[str, Any]) -> dict[str, Any]:
    """A docs page's front-matter with every string escaped: Material prints some (the title in
    the header) without escaping, and the search index shows titles as HTML."""
    return {key: _safe(value) if isinstance(value, str) else value for key, value in meta.items()}


def _safe(text: str) -> Markup:
    """Instructor text made safe for every template that prints it, escaped or not."""
    return escape(text)
