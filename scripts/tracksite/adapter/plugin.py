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
from pathlib import Path
from typing import Any

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, PluginError
from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from tracksite.adapter import build as sitebuild
from tracksite.adapter import buildstate, mkdocsinternals, speed
from tracksite.adapter.blocks import TracksiteBlocksExtension
from tracksite.adapter.caches import buildcache, pagecache, pagedeps, sitedir
from tracksite.adapter.config import console, mkdocsconfig
from tracksite.adapter.config.pluginsettings import TracksiteConfig
from tracksite.adapter.config.theme import compiled_templates, drop_source_maps, drop_unused_search_files, install_theme
from tracksite.adapter.pages import coursepages, csp, language, notfound, pagecontext
from tracksite.adapter.pages.markup_fixes import code_block_ids, drop_materials_skip_link, table_code_pipes
from tracksite.adapter.published import figures, statichtml, widgetassets
from tracksite.adapter.published import searchengine as search_engine
from tracksite.adapter.serve import lastsite, process
from tracksite.adapter.serve import serve as serving_tools
from tracksite.core import localstate, messages
from tracksite.core import widgetregistry as W
from tracksite.core.checks import check, rawhtml
from tracksite.core.checks import links as link_checks
from tracksite.core.learning.termlinks import mark_first_uses
from tracksite.core.loader import JOURNAL
from tracksite.core.markdown import references as refs
from tracksite.core.markdown.mathml import render_math, render_text
from tracksite.core.memo import digest, stable_text
from tracksite.core.problems.problem import format_text, os_error, sorted_problems
from tracksite.core.remote import files as remotefiles
from tracksite.core.site import trackpages
from tracksite.core.siteconfig import ConfigProblem
from tracksite.core.widgets.runnable import check as runnable
from tracksite.search import index as search
from tracksite.search.page import unmarked

log = logging.getLogger("mkdocs.plugins.tracksite")
GUARD = "tracksite.guard"


class TracksitePlugin(BasePlugin[TracksiteConfig]):
    supports_multiple_instances = False

    def __init__(self) -> None:
        self.process = process.Process()  # the process: across `mkdocs serve` rebuilds
        self.build = buildstate.BuildState()  # this build: replaced in on_config
        self.speed = speed.Speed()  # this build's caches and helpers
        #: what mkdocsconfig.guard found in the config file while MkDocs loaded it (None: not guarded)
        self.config_problems: tuple[ConfigProblem, ...] | None = None
        self.own_build = True  # asked by the user: builds the instructor view beside, prunes the cache

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
        self.process.start(command, dirty)
        console.install("mkdocs", "tracksite.serve")

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        root = Path(config.config_file_path or ".").resolve().parent
        proc, serving = self.process, self.process.serving
        try:  # refused before anything reads them: a state folder that is a link or another user's,
            localstate.check(root)
            messages.catalogue("en")  # a key in two widgets' words files (core/messages.py)
        except (localstate.StateError, messages.WordsError) as e:
            raise PluginError(str(e)) from None
        self.on_shutdown()  # a serve rebuild: the last build's index, if still being finished, is replaced
        first = self.build.project is None  # the process's first build
        memory = proc.build_memory()  # (under serve the process's, asking only of what the watcher saw change)
        if serving and self.config.cache:
            proc.kept = proc.kept or lastsite.LastSite(root)
            proc.kept.configure(config, root, first=first)
        if not serving:
            self._check_site_dir(config, root)
        # The same entry point as `tracksite check`, on the config MkDocs validated for this
        # build (-f, INHERIT, !ENV, overrides): one load, every pass, one site plan.
        project = check(
            mkdocsconfig.from_mkdocs(config, self.config_problems),
            memory,
            include_drafts=self.config.drafts or serving,
            instructor=self.config.instructor,
            serving=serving,
            # the process's first build only: a `mkdocs serve` rebuild follows a save, which
            # changes what the passes read, and walking every file would slow the edit loop
            cached=self.config.cache and first,
            # under serve, what each pass finds per file is remembered: a rebuild works on the changed files
            incremental=serving,
        )
        self.build = build = buildstate.BuildState(project)
        build.contexts = pagecontext.Contexts(project, self.config, serving=serving)
        assert project.problems is not None
        if not project.problems.errors:  # remote-files.yml: downloaded once, then from the cache
            project.problems.extend(proc.remote.fetch(project))
        _log_findings(project, first)
        errors = project.problems.errors
        build.failed = [p.text() for p in sorted_problems(errors)] + list(proc.forced_problems)  # causes first
        if serving:
            proc.mkdocs_warnings = serving_tools.MkDocsWarnings.install(proc.mkdocs_warnings)
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
        keep = self.config.cache and not errors
        self.speed.start(root, config, [stable_text(dict(self.config))], keep=keep)
        for folder in ("lessons", "cheatsheets", remotefiles.FILE_NAME):  # remote-files.yml, if there is one
            path = str(root / folder)
            if os.path.exists(path) and path not in config.watch:
                config.watch.append(path)
        if proc.command == "build" and self.config.atomic:
            self._stage(config)
        return config

    def on_serve(self, server, *, config: MkDocsConfig, builder):
        root = Path(config.config_file_path or ".").resolve().parent
        watched = [config.docs_dir, str(root / "lessons"), str(root / "cheatsheets")]
        journal = localstate.path(root, JOURNAL)  # (the editing commands' journal: core/localstate.py)
        run = serving_tools.ServeRun(server, self.process, lambda: self.build, watched, markers=(str(journal),))
        self.process.edits.run = run
        self.process.settle()  # after the first build: the next one walks less (and checks less)
        pending = serving_tools.take_mkdocs_problems(self.process, self.build)
        if pending:  # the first build, made before this event, met problems only MkDocs reports
            run.show_problems(pending)
        return run.server  # MkDocs serves with the server returned here

    def _register_markdown(self, config: MkDocsConfig) -> None:
        # The guard stops engines that do not run this plugin (tracksite/guard.py); here it is not needed.
        config.markdown_extensions = [
            e for e in config.markdown_extensions if not isinstance(e, TracksiteBlocksExtension) and e != GUARD
        ]
        config.mdx_configs.pop(GUARD, None)
        config.markdown_extensions.append(TracksiteBlocksExtension(context=lambda: self.build.widget_context))

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
            self.build.staging_dir, left = sitedir.stage(Path(real))
        except OSError as e:
            raise PluginError(os_error("cannot prepare the site folder", e)) from None
        for path in left:
            log.info("tracksite: could not remove %s, left by an interrupted build; remove it by hand", path)
        self.build.real_site_dir = real
        config.site_dir = self.build.staging_dir

    # -- 2. files: the course's sources become pages and assets at the contract's URLs --------
    def on_files(self, files: Files, *, config: MkDocsConfig) -> Files:
        project, proc = self.build.project, self.process
        assert project is not None
        if self.build.failed:
            proc.edits.forget()
            return serving_tools.problems_files(files, config, self.build.failed)
        # Exactly the site plan's entries: the checks already refused two sources for one address.
        assert project.site is not None
        for entry in project.site.generated():
            # INCLUDED: mkdocs.yml's exclude_docs and draft_docs are patterns for docs/ only;
            # what the course publishes is decided by track.yml and `status:`.
            source = {"abs_src_path": str(entry.path)} if entry.path is not None else {"content": entry.content or ""}
            files.append(File.generated(config, entry.src_uri, inclusion=InclusionLevel.INCLUDED, **source))
        coursepages.drop_instructor_pages(files, project, instructor=self.config.instructor)
        figures.strip_svgs(files, config, project.remote.urls)
        statichtml.protect(files, config)  # HTML beside pages: the pages' policy first in its head
        drop_unused_search_files(files, config)
        drop_source_maps(files, config)
        search_engine.publish(files, config)  # the browser's engine, kept beside the indexer
        proc.remote.add_files(files, config)
        if proc.serving:  # the edit loop: only the pages this save can change (rebuild.py)
            proc.edits.plan(project, config, self.config, files, incremental=True)
        contexts = self.build.contexts
        assert contexts is not None
        self.speed.files(  # with what notes each page's reads, and looks them up again
            config,
            lambda: pagedeps.Reads(
                config,
                project,
                lambda page: contexts.page(page, config),
                model=project.model_key and digest([project.model_key, contexts.key()]),
            ),
            proc.remote.digest_parts(),
        )
        return files

    # -- 3. nav: tracks, phases, lessons in track.yml order ----------------------------------
    def on_nav(self, nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation:
        if self.build.failed or self.build.project is None:
            return nav
        nav = self.build.nav = coursepages.navigation(self.build.project, files)
        self.speed.nav(self.process.command, self.process.dirty, config, files, nav)
        if self.process.command == "build":  # (the check's garbage just collected: speed.nav)
            self.build.freeze()
        return nav

    # -- 4. page markdown: resolve course links, set titles and templates ---------------------
    def on_page_markdown(self, markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if self.build.failed or self.build.project is None:
            return markdown
        return self.speed.markdown(page, lambda: self._page_markdown(markdown, page, config))

    def _page_markdown(self, markdown: str, page: Page, config: MkDocsConfig) -> tuple[str, Path, list[str]]:
        """The page's Markdown with the course's links and titles; its folder and what its
        conversion's cache key holds besides the Markdown."""
        project = self.build.project
        assert project is not None
        doc = project.document(page.file.src_uri)
        if doc is not None:
            markdown = coursepages.rewrite_links(markdown, doc)
            if doc.kind == "page":
                page.meta = coursepages.escaped_meta(dict(page.meta))
        lang = language.page_language(config, project.curriculum, page.file.src_uri)
        self.build.widget_context = ctx = pagecontext.widget_context(
            page, doc, self.config.instructor, self.config.export_data, lang
        )
        language.page_catalogue(lang)  # (a language's missing strings warned about once)
        # the page's language is part of the key: the blocks write its interface strings
        key = [ctx.page_id, str(ctx.instructor), lang] + (["islands"] if ctx.islands else [])
        return coursepages.set_meta(markdown, page, doc, project.curriculum, config), ctx.source_dir, key

    # -- 5. content: formulas to MathML -----------------------------------------------------
    def on_page_content(self, html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
        if not isinstance(page.title, Markup):  # a docs page titled by its first heading or file name
            from_heading = mkdocsinternals.render_title(page)  # already HTML: tags stripped
            page.meta["title"] = (
                Markup(from_heading) if from_heading == page.title else coursepages.safe(page.title or "")
            )
        html, kept = self.speed.content(page, html, lambda html: self._page_content(html, page))
        if kept:  # printed as kept (pagecache.py)
            page.meta["template"] = pagecache.CACHED_TEMPLATE
        return html

    def _page_content(self, html: str, page: Page) -> str:
        if (equiv := rawhtml.published_refresh(html)) is not None:  # (check named it first: issue 74)
            raise PluginError(
                f"{page.file.src_uri}: the page would publish <meta http-equiv={equiv!r}>, which may send "
                "readers elsewhere or change the page's rules; remove it (tracksite check names its line)"
            )
        html = search.weigh_code(code_block_ids(table_code_pipes(render_math(unmarked(html)))))
        project = self.build.project
        if self.build.failed or project is None:
            return html
        html = self.process.remote.page(html, page.file.url)  # the copies of remote-files.yml, and their credits
        # `glossary:term` links (on lessons, and on the exercise pack that copies their text):
        # check finds the term, which the glossary template draws where MkDocs' anchor check cannot see it
        anchors = page.links_to_anchors or {}
        for to_file in [f for f in anchors if (trackpages.kind_of(f.src_uri) or ("",))[0] == "glossary"]:
            del anchors[to_file]
        doc = project.document(page.file.src_uri)
        if doc is not None and doc.lesson and doc.kind in ("lesson", "overview", "cheatsheet"):
            here = posixpath.dirname(page.file.url.rstrip("/")) if not page.file.url.endswith("/") else page.file.url
            assert doc.track is not None
            glossary_url = trackpages.url("glossary", doc.track)
            self.speed.note(page, "glossary")  # (its terms are linked: a kept output depends on it)
            to_glossary = refs.relative(glossary_url, here or ".") + "/#"  # once a page, not once a term
            html, _ = mark_first_uses(html, project.glossary, doc.track, lambda term: to_glossary + term.anchor)
            self.speed.note(page, "track", doc.track)
            if link_checks.tolerated(project, doc):
                # The lesson's own broken anchors are check's warnings (TS308); MkDocs' validation,
                # which runs after every page is rendered, would make them warnings that fail --strict.
                page.links_to_anchors = None
        elif (page.meta or {}).get("tracksite") == "exercises" and self.config.instructor:
            for kind in W.ANSWERS:  # the instructor's copy shows every answer
                html = html.replace(f'<details class="{kind}', f'<details open class="{kind} ts-print-answers')
        generated = trackpages.kind_of(page.file.src_uri)
        if generated and link_checks.tolerates(project, generated[1]) or doc and link_checks.tolerated(project, doc):
            page.links_to_anchors = None  # the exercise pack copies the lessons' text; learner pages: as check
        return html

    # -- 6. context: what the theme's partials draw -----------------------------------------
    def _env(self, env, *, config: MkDocsConfig, files: Files):
        self.build.pages = [("/" + f.url, f.dest_uri) for f in files.documentation_pages()]
        self.process.edits.restore(files, failed=bool(self.build.failed))  # serve: the unrendered pages' titles
        env.filters["ts_text"] = render_text  # front-matter strings: `$...$` as math, the rest escaped
        env.loader = csp.ThemeLoader(env.loader)  # the templates' own inline scripts, marked for the CSP
        language.install(env)  # `t("key")`: the interface's strings in the page's language
        folder = self.speed.templates(config, files, env)  # (the helpers fork later: `speed.context`)
        env.bytecode_cache = compiled_templates().using(env, folder)
        return env

    @event_priority(-100)  # last: every plugin's globals are in the environment
    def _saved_first(self, env, *, config: MkDocsConfig, files: Files):
        if not self.build.failed and self.build.nav is not None:  # serve: the saved page, before the sitemap
            self.process.edits.render_saved(config, files, self.build.nav, env)
            self.process.edits.keep_static(config)  # (and the sitemap only when it changed)
        return env

    on_env = CombinedEvent(_env, _saved_first)

    def on_page_context(self, context: dict[str, Any], *, page: Page, config: MkDocsConfig, nav: Navigation):  # type: ignore[override]  # mkdocs types the context as a closed TypedDict; plugins add keys
        if self.build.failed or self.build.project is None:
            context["ts"] = {"kind": "error"}
            return context
        kept = self.speed.context(page, context)
        if kept is not None:
            context[pagecache.CONTEXT_KEY] = kept
            return context
        assert self.build.contexts is not None
        context["ts"] = self.build.contexts.page(page, config)
        return context

    @event_priority(-100)  # last: under serve the page may be written here, as MkDocs writes it
    def on_post_page(self, output: str, *, page: Page, config: MkDocsConfig) -> str:
        build, edits = self.build, self.process.edits
        kept = self.speed.written(page)
        if kept is not None:  # as the last build wrote it, read for the search index as it was read
            output = kept["output"]
            edits.write_early(output, page)
            if not build.failed:
                build.indexer = build.indexer or self._indexer(config)
                build.indexer.add_record("/" + page.file.url, output, kept["search"], kept["key"])
            return output
        output = csp.apply(widgetassets.link(drop_materials_skip_link(output), page.url))
        if build.project is not None:
            lang = language.page_language(config, build.project.curriculum, page.file.src_uri)
            output = language.mark_html(output, lang)
        edits.write_early(output, page)  # under serve, the saved page: the browsers may reload
        # Read for the search index now (under serve too: the rebuilds render only what changed,
        # and the first build's pages are then read in the build, not in the background)
        if not build.failed:
            url, build.indexer = "/" + page.file.url, build.indexer or self._indexer(config)
            try:
                build.indexer.add(output, url)
            except search.SearchIndexError as e:
                raise PluginError(str(e)) from None
            if self.speed.keeping:
                build.indexer.keys[url] = self.speed.keep(page, output, build.indexer.record(url))
        return output

    def on_template_context(self, context: dict[str, Any], *, template_name: str, config: MkDocsConfig):  # type: ignore[override]  # as on_page_context
        build = self.build
        if template_name == "404.html" and not build.failed and build.project is not None:  # the course's tracks
            assert build.contexts is not None
            context["ts"] = {"kind": "notfound", "home": build.contexts.home(config)}
        return context

    def on_post_template(self, output_content: str, *, template_name: str, config: MkDocsConfig) -> str:
        if template_name == "404.html":  # shown at any missing address: links from the root
            output_content = notfound.from_root(output_content, config.site_url)
        return csp.apply(output_content)  # 404.html and other theme pages

    # -- 7. post build: index the pages for search, swap the staged site in -----------------
    @event_priority(-100)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        try:
            self._post_build(config)
        finally:
            self.build.thaw()

    def _post_build(self, config: MkDocsConfig) -> None:
        build, proc = self.build, self.process
        warnings = proc.mkdocs_warnings
        if proc.serving and config.strict and warnings and warnings.seen:
            serving_tools.forget_strict_warnings()  # shown on the problems page, not a stuck server
        strict_failed = config.strict and mkdocsinternals.strict_warnings()
        proc.edits.finish(config.site_dir, bool(build.failed) or strict_failed)  # serve: reload, tidy
        indexer, build.indexer = build.indexer, None
        prune = proc.command == "build" and not proc.dirty and not strict_failed and self.own_build
        writer = self.speed.finish(prune=prune, wait=proc.command != "build")
        if not build.failed and not strict_failed and proc.serving:  # search while authoring
            proc.background = process.Background(
                indexer or search.Indexer(),
                config.site_dir,
                list(build.pages),
                functools.partial(_log_index, kept=proc.kept),
                lambda e: serving_tools.terminal_log().error("ERROR    -  tracksite: %s", e),
                delay=process.SERVE_DELAY,
            )
        elif not build.failed and not strict_failed:
            self._write_index(indexer, config)
        elif indexer is not None:
            indexer.close()
        if writer is not None:  # (it wrote the cache while the index was written)
            writer.join()
        if not build.failed and not strict_failed and not proc.serving:  # pages link it: built with them
            sitebuild.instructor_beside(config, self.config, command=proc.command, wanted=self.own_build)
        if build.real_site_dir is None:
            if not proc.serving:
                sitedir.mark(Path(config.site_dir))  # built in place (`atomic: false`)
            return
        if strict_failed:
            return  # MkDocs aborts right after this event; on_build_error drops the staging folder
        staged, real = config.site_dir, build.real_site_dir
        sitedir.swap(staged, Path(real))
        config.site_dir = real
        build.real_site_dir = build.staging_dir = None

    def _indexer(self, config: MkDocsConfig) -> search.Indexer:
        """This build's search index: under serve each page's reading stays in memory for the next
        build; in `mkdocs build` it waits in a temporary file in the state folder (search/stream.py)."""
        if self.process.serving:
            return search.Indexer()
        state = localstate.path(Path(config.config_file_path or ".").resolve().parent, buildcache.STATE)
        return search.Indexer.streamed(str(state) if state.is_dir() else None)

    def _write_index(self, indexer: search.Indexer | None, config: MkDocsConfig) -> None:
        """Finish the search index (pages `--dirty` skipped are read from the site), kept for the next build."""
        root = Path(config.config_file_path or ".").resolve().parent
        state = localstate.path(root, buildcache.STATE)  # (checked in on_config)
        kept = state / search.OUTPUT if self.config.cache and self.process.command == "build" else None
        try:
            indexer = indexer or search.Indexer()
            indexer.finish(config.site_dir, self.build.pages, kept)
        except search.SearchIndexError as e:
            raise PluginError(str(e)) from None
        _log_index(indexer)

    def on_shutdown(self) -> None:
        self.process.stop()
        self.build.thaw()  # (also at each build's start: one that stopped with neither event)

    def on_build_error(self, *, error: Exception) -> None:
        """Drop this build's staging folder (the last good site was never touched), and say in
        one line what the machine refused: a read-only folder, a full disk, a permission."""
        build = self.build
        build.thaw()
        if build.indexer is not None:
            build.indexer.close()
            build.indexer = None
        self.process.edits.forget()
        self.speed.finish(prune=False)
        if build.real_site_dir is not None and build.staging_dir is not None:
            shutil.rmtree(build.staging_dir, ignore_errors=True)
        build.real_site_dir = build.staging_dir = None
        if isinstance(error, OSError) and not self.process.serving:
            raise PluginError(os_error("the build could not write or read a file", error)) from None


def _log_index(indexer: search.Indexer, kept: lastsite.LastSite | None = None) -> None:
    log.info("tracksite: search index of %d pages: %.2f s of the build's time", indexer.indexed, indexer.seconds)
    if kept is not None:
        kept.built()  # the serve run's site is whole: a restart may answer from it


def _log_findings(project, first: bool) -> None:
    """The check's warnings, and (the process's first build) how many exercises were not run: a
    note, since not running them is the default, not a fault (issue 69)."""
    for warning in project.problems.warnings:
        log.info(warning.text())
    unrun = runnable.not_run(project) if first else 0
    if unrun:
        log.info(
            "tracksite: %d runnable exercise(s) judged without running them; TRACKSITE_RUN_CODE=1 in the "
            "environment (or `tracksite check --run-code`) runs them in a sandbox",
            unrun,
        )


def _refusal(errors: list) -> str:
    return (
        f"tracksite found {len(errors)} problem{'s' if len(errors) > 1 else ''} in the course sources; "
        f"nothing was built and the previous site is untouched:\n{format_text(errors)}"
    )
