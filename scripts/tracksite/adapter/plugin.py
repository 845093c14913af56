"""The MkDocs adapter: the only module that knows MkDocs' build events.

It follows the build in order (config, files, nav, page markdown, content, context, post build),
and delegates every decision about the course to the core: loading and validation (`loader`),
links (`references`) and what a page shows (`views`); the MkDocs navigation and page titles it
fills in from them are `coursepages.py`, what each page's templates read is `pagecontext.py`.
A move to another engine rewrites these files and the templates, nothing else.
"""

from __future__ import annotations

import functools
import logging
import os
import posixpath
import shutil
import threading
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config import config_options as c
from mkdocs.config.base import Config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from tracksite.adapter import (
    buildcache,
    console,
    coursepages,
    csp,
    figures,
    language,
    lastsite,
    mkdocsconfig,
    mkdocsinternals,
    notfound,
    pagecache,
    pagecontext,
    parallel,
    rebuild,
    sitedir,
    statichtml,
    widgetassets,
)
from tracksite.adapter import serve as serving_tools
from tracksite.adapter.blocks import TracksiteBlocksExtension
from tracksite.adapter.markup_fixes import code_block_ids, table_code_pipes
from tracksite.adapter.mathml import render_math, render_text
from tracksite.adapter.remotecopy import Copies
from tracksite.adapter.search import engine as search_engine
from tracksite.adapter.search import index as search
from tracksite.adapter.search.page import unmarked
from tracksite.adapter.theme import COMPILED, drop_source_maps, drop_unused_search_files, install_theme
from tracksite.core import localstate
from tracksite.core import widgetregistry as W
from tracksite.core.checks import check
from tracksite.core.checks import links as link_checks
from tracksite.core.learning.termlinks import mark_first_uses
from tracksite.core.loader import JOURNAL
from tracksite.core.memo import stable_text
from tracksite.core.model.project import Project
from tracksite.core.problems.problem import format_text, os_error, sorted_problems
from tracksite.core.remote import files as remotefiles
from tracksite.core.site import trackpages
from tracksite.core.siteconfig import ConfigProblem

log = logging.getLogger("mkdocs.plugins.tracksite")
GUARD = "tracksite.guard"


class TracksiteConfig(Config):
    drafts = c.Type(bool, default=False)
    """Build draft lessons too (always on under `mkdocs serve`)."""
    instructor = c.Type(bool, default=False)
    """Show `/// instructor` notes and the per-track schedule pages."""
    atomic = c.Type(bool, default=True)
    """Build into a staging folder and replace the site only when the build succeeded."""
    pdfs = c.Type(bool, default=False)
    """Track pages link the PDFs (cheatsheets, exercise pack) that `tracksite pdf --publish`
    prints into the site; that command turns it on for its own build."""
    cache = c.Type(bool, default=True)
    """Keep each page's converted Markdown in the course's state folder for the next build
    (buildcache.py, core/localstate.py)."""


class TracksitePlugin(BasePlugin[TracksiteConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.command = "build"
        self.project: Project | None = None
        self.failed: list[str] = []
        self.real_site_dir: str | None = None
        self.staging_dir: str | None = None
        self.widget_context: Any = None
        self.contexts: pagecontext.Contexts | None = None  # per build: each page's `ts` (pagecontext.py)
        # Under `mkdocs serve` only: problems MkDocs found, to show on the problems page.
        self.forced_problems: list[str] = []
        self._mkdocs_warnings: serving_tools.MkDocsWarnings | None = None
        self.indexer: search.Indexer | None = None  # per build: the search index, read as pages render
        self._background: search.Background | None = None  # serve: the last build's index, finishing
        self._pages: list[tuple[str, str]] = []  # per build: every page's URL and file in the site
        self.dirty = False
        self.edits = rebuild.EditLoop()  # serve: what the last build rendered, for the next one
        self.remote = Copies()  # per build: the files of remote-files.yml, copied into the site
        self.kept: lastsite.LastSite | None = None  # serve: the site kept for the next start
        #: what mkdocsconfig.guard found in the config file while MkDocs loaded it (None: not guarded)
        self.config_problems: tuple[ConfigProblem, ...] | None = None
        self.cache: buildcache.BuildCache | None = None  # per build: converted pages kept across processes
        self.outputs: pagecache.Outputs | None = None  # per build: whole rendered pages kept across processes
        self.pool: parallel.Pool | None = None  # per build: the processes that share its pages

    # -- 1. startup and config: load and validate before anything is cleaned ------------------
    def load_config(self, options: dict[str, Any], config_file_path: str | None = None):
        """MkDocs loads the plugins while it validates mkdocs.yml, and then writes every setting
        out in a debug line, aliases expanded: a "billion laughs" in `extra:` would keep it busy
        for minutes before `on_config`. So the file's aliases are counted here, as the check
        counts them (mkdocsconfig.guard), and such a file stops the build with the same line."""
        self.config_problems = None
        if config_file_path:
            path = Path(config_file_path)
            self.config_problems = mkdocsconfig.guard(path)  # its warnings are reported in on_config
            stop = mkdocsconfig.refusal(path, self.config_problems)  # (with every file it INHERITs)
            if stop:
                raise Abort(stop)
        return super().load_config(options, config_file_path)

    def on_startup(self, *, command: str, dirty: bool) -> None:
        # Defining this hook also keeps the plugin instance alive across `mkdocs serve` rebuilds.
        self.command, self.dirty = command, dirty
        console.install("mkdocs", "tracksite.serve")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        serving = self.command == "serve"
        try:  # a state folder that is a link or another user's: refused before anything reads it
            localstate.check(root)
        except localstate.StateError as e:
            raise PluginError(str(e)) from None
        self.on_shutdown()  # a serve rebuild: the last build's index, if still being finished, is replaced
        if serving and self.config.cache:
            self.kept = self.kept or lastsite.LastSite(root)
            self.kept.configure(config, root, first=self.project is None)
        if not serving:
            self._check_site_dir(config, root)
        # The same entry point as `tracksite check`, on the config MkDocs validated for this
        # build (-f, INHERIT, !ENV, overrides): one load, every pass, one site plan.
        self.project = check(
            mkdocsconfig.from_mkdocs(config, self.config_problems),
            include_drafts=self.config.drafts or serving,
            instructor=self.config.instructor,
            serving=serving,
            # the process's first build only: a `mkdocs serve` rebuild follows a save, which
            # changes what the passes read, and walking every file would slow the edit loop
            cached=self.config.cache and self.project is None,
        )
        self.contexts = pagecontext.Contexts(self.project, pdfs=self.config.pdfs, instructor=self.config.instructor)
        assert self.project.problems is not None
        if not self.project.problems.errors:  # remote-files.yml: downloaded once, then from the cache
            self.project.problems.extend(self.remote.fetch(self.project))
        for warning in self.project.problems.warnings:
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
            serving_tools.terminal_log().error(
                "ERROR    -  tracksite: %d problems in the course sources:\n%s", len(errors), report
            )
        self._register_markdown(config)
        install_theme(config)
        self._close_cache(prune=False)
        if self.config.cache and not errors:
            self.cache = buildcache.BuildCache(root, config, extra=[stable_text(dict(self.config))])
        for folder in ("lessons", "cheatsheets", remotefiles.FILE_NAME):  # remote-files.yml, if there is one
            path = str(root / folder)
            if os.path.exists(path) and path not in config.watch:
                config.watch.append(path)
        if self.command == "build" and self.config.atomic:
            self._stage(config)
        return config

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        root = Path(config.config_file_path or ".").resolve().parent
        watched = [config.docs_dir, str(root / "lessons"), str(root / "cheatsheets")]
        journal = localstate.path(root, JOURNAL)  # (the editing commands' journal: core/localstate.py)
        session = serving_tools.ServeSession(server, self, watched, markers=(str(journal),))
        serving_tools.settle_memory()  # after the first build: the next one walks less
        self.edits.session = session
        pending = serving_tools.take_mkdocs_problems(self)
        if pending:  # the first build, made before this event, met problems only MkDocs reports
            session.show_problems(pending)
        return session.server  # MkDocs serves with the server returned here

    def _register_markdown(self, config: MkDocsConfig) -> None:
        # The guard stops engines that do not run this plugin (tracksite/guard.py); here it is not needed.
        config.markdown_extensions = [
            e for e in config.markdown_extensions if not isinstance(e, TracksiteBlocksExtension) and e != GUARD
        ]
        config.mdx_configs.pop(GUARD, None)
        config.markdown_extensions.append(TracksiteBlocksExtension(context=lambda: self.widget_context))

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
            self.edits.forget()
            return serving_tools.problems_files(files, config, self.failed)
        # Exactly the site plan's entries: the checks already refused two sources for one address.
        assert self.project.site is not None
        for entry in self.project.site.generated():
            # INCLUDED: mkdocs.yml's exclude_docs and draft_docs are patterns for docs/ only;
            # what the course publishes is decided by track.yml and `status:`.
            source = {"abs_src_path": str(entry.path)} if entry.path is not None else {"content": entry.content or ""}
            files.append(File.generated(config, entry.src_uri, inclusion=InclusionLevel.INCLUDED, **source))
        figures.strip_svgs(files, config, self.project.remote.urls)
        statichtml.protect(files, config)  # HTML beside pages: the pages' policy first in its head
        drop_unused_search_files(files, config)
        drop_source_maps(files, config)
        search_engine.publish(files, config)  # the browser's engine, kept beside the indexer
        self.remote.add_files(files, config)
        if self.command == "serve":  # the edit loop: only the pages this save can change (rebuild.py)
            self.edits.plan(self.project, config, self.config, files, incremental=True)
        self.outputs = pagecache.start(  # with each page's digest: the edit loop's under serve
            self.cache,
            config,
            lambda: self.edits.digests or rebuild.page_digests(self.project, config, self.config),
            self.remote.digest_parts(),
        )
        return files

    # -- 3. nav: tracks, phases, lessons in track.yml order ----------------------------------
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.failed or self.project is None:
            return nav
        nav = coursepages.navigation(self.project, files)
        self.pool = parallel.Pool.start(self.command, self.cache, self.outputs, self.dirty, config, files, nav)
        return nav

    # -- 4. page markdown: resolve course links, set titles and templates ---------------------
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.failed or self.project is None:
            return markdown
        if self.pool is not None:
            self.pool.before(page)  # a helper's first page: take the pages it converted
        doc = self.project.document(page.file.src_uri)
        if doc is not None:
            markdown = coursepages.rewrite_links(markdown, doc)
            if doc.kind == "page":
                page.meta = coursepages.escaped_meta(dict(page.meta))
        self.widget_context = ctx = pagecontext.widget_context(page, doc, self.config.instructor)
        lang = language.page_language(config, self.project.curriculum, page.file.src_uri)
        language.begin_page(lang)
        if self.cache is not None and not self.cache.off:
            # the page's language is part of the key: the blocks write its interface strings
            replay = self.outputs.replay if self.outputs is not None else None
            missed = self.pool.missed if self.pool is not None else None
            buildcache.wrap(page, self.cache, ctx.source_dir, [ctx.page_id, str(ctx.instructor), lang], replay, missed)
        return coursepages.set_meta(markdown, page, doc, self.project.curriculum, config)

    # -- 5. content: formulas to MathML -----------------------------------------------------
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not isinstance(page.title, Markup):  # a docs page titled by its first heading or file name
            from_heading = mkdocsinternals.render_title(page)  # already HTML: tags stripped
            page.meta["title"] = (
                Markup(from_heading) if from_heading == page.title else coursepages.safe(page.title or "")
            )
        if self.outputs is not None and self.outputs.kept(page) is not None:  # printed as kept (pagecache.py)
            page.meta["template"] = pagecache.CACHED_TEMPLATE
            return html
        html = self._page_content(html, page)
        if self.outputs is not None:  # (kept only if it logged nothing; its HTML on disk until rendered)
            html = self.outputs.converted(page, html)
        return html

    def _page_content(self, html: str, page: Page) -> str:
        html = search.weigh_code(code_block_ids(table_code_pipes(render_math(unmarked(html)))))
        if self.failed or self.project is None:
            return html
        html = self.remote.page(html, page.file.url)  # the copies of remote-files.yml, and their credits
        # `glossary:term` links (on lessons, and on the exercise pack that copies their text):
        # check finds the term, which the glossary template draws where MkDocs' anchor check cannot see it
        anchors = page.links_to_anchors or {}
        for to_file in [f for f in anchors if (trackpages.kind_of(f.src_uri) or ("",))[0] == "glossary"]:
            del anchors[to_file]
        doc = self.project.document(page.file.src_uri)
        if doc is not None and doc.lesson and doc.kind in ("lesson", "overview", "cheatsheet"):
            here = posixpath.dirname(page.file.url.rstrip("/")) if not page.file.url.endswith("/") else page.file.url
            assert doc.track is not None
            glossary_url = trackpages.url("glossary", doc.track)
            html, _ = mark_first_uses(
                html,
                self.project.glossary,
                doc.track,
                lambda term: posixpath.relpath(glossary_url, here or ".") + "/#" + term.anchor,
            )
            if link_checks.tolerated(self.project, doc):
                # The lesson's own broken anchors are check's warnings (TS308); MkDocs' validation,
                # which runs after every page is rendered, would make them warnings that fail --strict.
                page.links_to_anchors = None
        elif (page.meta or {}).get("tracksite") == "exercises" and self.config.instructor:
            for kind in W.ANSWERS:  # the instructor's copy shows every answer
                html = html.replace(f'<details class="{kind}', f'<details open class="{kind} ts-print-answers')
        return html

    # -- 6. context: what the theme's partials draw -----------------------------------------
    def on_env(self, env, *, config: MkDocsConfig, files: Files):
        self._pages = [("/" + f.url, f.dest_uri) for f in files.documentation_pages()]
        self.edits.restore(files, failed=bool(self.failed))  # serve: the unrendered pages' titles
        env.filters["ts_text"] = render_text  # front-matter strings: `$...$` as math, the rest escaped
        env.loader = csp.ThemeLoader(env.loader)  # the templates' own inline scripts, marked for the CSP
        env.bytecode_cache = COMPILED.using(env, buildcache.subfolder(self.cache, "templates"))
        language.install(env)  # `t("key")`: the interface's strings in the page's language
        if self.pool is not None:
            self.pool.render(config, files, env)
        return env

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation):  # type: ignore[override]  # mkdocs types the context as a closed TypedDict; plugins add keys
        if self.failed or self.project is None:
            context["ts"] = {"kind": "error"}
            return context
        if self.pool is not None:
            self.pool.building(page)  # the first page: the theme's templates are compiled for the helpers
        if self.outputs is not None:
            kept = self.outputs.kept(page)
            if kept is not None:
                context[pagecache.CONTEXT_KEY] = kept["output"]
                return context
            self.outputs.begin(page)
        assert self.contexts is not None
        context["ts"] = self.contexts.page(page, config)
        return context

    @event_priority(-100)  # last: under serve the page may be written here, as MkDocs writes it
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        if self.pool is not None:
            self.pool.after(page)  # a helper's share comes next: take the pages it rendered
        kept = self.outputs.written(page) if self.outputs is not None else None
        if kept is not None:  # as the last build wrote it, read for the search index as it was read
            output = kept["output"]
            self.edits.write_early(output, page)
            if not self.failed:
                self.indexer = self.indexer or search.Indexer()
                self.indexer.add_record("/" + page.file.url, output, kept["search"], kept["key"])
            return output
        output = csp.apply(widgetassets.link(output, page.url))
        if self.project is not None:
            lang = language.page_language(config, self.project.curriculum, page.file.src_uri)
            output = language.mark_html(output, lang)
        self.edits.write_early(output, page)  # under serve, the saved page: the browsers may reload
        # Read for the search index now (under serve too: the rebuilds render only what changed,
        # and the first build's pages are then read in the build, not in the background)
        if not self.failed:
            url, self.indexer = "/" + page.file.url, self.indexer or search.Indexer()
            try:
                self.indexer.add(output, url)
            except search.SearchIndexError as e:
                raise PluginError(str(e)) from None
            if self.outputs is not None:
                self.indexer.keys[url] = self.outputs.keep(page, output, self.indexer.record(url))
        return output

    def on_template_context(self, context: dict[str, Any], *, template_name: str, config: MkDocsConfig):  # type: ignore[override]  # as on_page_context
        if template_name == "404.html" and not self.failed and self.project is not None:  # the course's tracks
            assert self.contexts is not None
            context["ts"] = {"kind": "notfound", "home": self.contexts.home(config)}
        return context

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name == "404.html":  # shown at any missing address: links from the root
            output_content = notfound.from_root(output_content, config.site_url)
        return csp.apply(output_content)  # 404.html and other theme pages

    # -- 7. post build: index the pages for search, swap the staged site in -----------------
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        if self.command == "serve" and config.strict and self._mkdocs_warnings and self._mkdocs_warnings.seen:
            serving_tools.forget_strict_warnings()  # shown on the problems page, not a stuck server
        strict_failed = config.strict and _strict_warnings()
        self.edits.finish(config.site_dir, bool(self.failed) or strict_failed)  # serve: reload, tidy
        indexer, self.indexer = self.indexer, None
        prune = self.command == "build" and not self.dirty and not strict_failed
        writer = self._close_cache(prune=prune, wait=self.command != "build")
        if not self.failed and not strict_failed and self.command == "serve":  # search while authoring
            self._background = search.Background(
                indexer or search.Indexer(),
                config.site_dir,
                list(self._pages),
                functools.partial(_log_index, kept=self.kept),
                lambda e: serving_tools.terminal_log().error("ERROR    -  tracksite: %s", e),
                delay=search.SERVE_DELAY,
            )
        elif not self.failed and not strict_failed:
            self._write_index(indexer, config)
        elif indexer is not None:
            indexer.close()
        if writer is not None:  # (it wrote the cache while the index was written)
            writer.join()
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

    def _write_index(self, indexer: search.Indexer | None, config: MkDocsConfig) -> None:
        """Finish the search index: the pages `--dirty` did not render are read from the site;
        its files are kept in the build cache's folder, linked into the next build's site."""
        root = Path(config.config_file_path or ".").resolve().parent
        state = localstate.path(root, buildcache.STATE)  # (checked in on_config)
        kept = state / search.OUTPUT if self.config.cache and self.command == "build" else None
        try:
            indexer = indexer or search.Indexer()
            indexer.finish(config.site_dir, self._pages, kept)
        except search.SearchIndexError as e:
            raise PluginError(str(e)) from None
        _log_index(indexer)

    def _close_cache(self, *, prune: bool, wait: bool = True) -> threading.Thread | None:
        """Stop this build's helpers and caches; the thread still writing the cache, if any."""
        pool, outputs, cache = self.pool, self.outputs, self.cache
        self.pool = self.outputs = self.cache = None
        return parallel.finish(pool, outputs, cache, prune=prune, wait=wait)

    def on_shutdown(self) -> None:
        if self._background is not None:
            self._background.stop()
            self._background = None
        if self.kept is not None:
            self.kept.close()  # (after the first build it has nothing to close)

    def on_build_error(self, *, error: Exception) -> None:
        """Drop this build's staging folder (the last good site was never touched), and say in
        one line what the machine refused: a read-only folder, a full disk, a permission."""
        if self.indexer is not None:
            self.indexer.close()
            self.indexer = None
        self.edits.forget()
        self._close_cache(prune=False)
        if self.real_site_dir is not None and self.staging_dir is not None:
            shutil.rmtree(self.staging_dir, ignore_errors=True)
        self.real_site_dir = self.staging_dir = None
        if isinstance(error, OSError) and self.command != "serve":
            raise PluginError(os_error("the build could not write or read a file", error)) from None


def _log_index(indexer: search.Indexer, kept: lastsite.LastSite | None = None) -> None:
    log.info("tracksite: search index of %d pages: %.2f s of the build's time", indexer.indexed, indexer.seconds)
    if kept is not None:
        kept.built()  # the serve run's site is whole: a restart may answer from it


def _refusal(errors: list) -> str:
    return (
        f"tracksite found {len(errors)} problem{'s' if len(errors) > 1 else ''} in the course sources; "
        f"nothing was built and the previous site is untouched:\n{format_text(errors)}"
    )


def _strict_warnings() -> bool:
    """Whether MkDocs' strict-mode counter has seen a warning in this build."""
    return mkdocsinternals.strict_warnings()
