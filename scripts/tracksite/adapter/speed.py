"""The build's speed machinery behind one object: the caches and the helpers of one build.

Two caches and a pool make a build fast (buildcache.py: each page's converted Markdown;
pagecache.py: whole rendered pages; parallel.py: helpers on the other cores). Each needs to hear
of the build at fixed points of MkDocs' event order, and in a fixed order among themselves (the
pool takes a helper's pages before the kept pages are asked about them). Spliced into the plugin's
events, that order was spread over ten of them in a class that also held the course; here it is
one object the plugin calls as a build starts (`start`, then `files`, `nav`, `templates` as MkDocs
reaches those steps), as each page passes (`markdown`, `content`, `context`, `written`, `keep`)
and as the build ends (`finish`). Its state lives for one build; `finish` drops it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from tracksite.adapter.caches import buildcache, pagecache, pagedeps, parallel


class Speed:
    """One build's caches and helpers (all None when the cache is off or the build failed)."""

    def __init__(self) -> None:
        self.cache: buildcache.BuildCache | None = None  # converted pages kept across processes
        self.outputs: pagecache.Outputs | None = None  # whole rendered pages kept across processes
        self.pool: parallel.Pool | None = None  # the processes that share the build's pages

    # -- the build starts ------------------------------------------------------------------
    def start(self, root: Path, config: Any, extra: list[str], *, keep: bool) -> None:
        """In `on_config`, before the site folder is staged (the cache skips the real one): the
        last build's machinery stopped, this build's cache opened if `keep`."""
        self.finish(prune=False)
        if keep:
            self.cache = buildcache.BuildCache(root, config, extra=extra)

    def files(self, config: Any, reads: Callable[[], pagedeps.Reads], extra: list[str]) -> None:
        """At the end of `on_files`: the kept whole pages, with what notes each page's reads."""
        self.outputs = pagecache.start(self.cache, config, reads, extra)

    def nav(self, command: str, dirty: bool, config: Any, files: Files, nav: Navigation) -> None:
        """At the end of `on_nav`: the helpers that convert the pages the cache misses."""
        if self.outputs is not None:  # (a page's reads of the navigation are looked up in it)
            self.outputs.reads.files, self.outputs.reads.nav = files, nav
        self.pool = parallel.Pool.start(command, self.cache, self.outputs, dirty, config, files, nav)

    def templates(self, config: Any, files: Files, env: Any) -> Path | None:
        """In `on_env`, its globals installed: the engine's writes routed through the kept pages,
        what its templates read noted; the folder of the compiled templates (None: kept in memory
        only)."""
        folder = buildcache.subfolder(self.cache, "templates")
        if self.outputs is not None:
            self.outputs.reads.install(env)
        if self.pool is not None:
            self.pool.render(config, files, env)
        return folder

    # -- each page -------------------------------------------------------------------------
    def markdown(self, page: Page, prepare: Callable[[], tuple[str, Path, list[str]]]) -> str:
        """In `on_page_markdown`: a helper's first page takes what it converted, then the
        plugin `prepare`s the page (its Markdown, its folder, what the key holds besides the
        Markdown), whose conversion then goes through the cache."""
        if self.pool is not None:
            self.pool.before(page)
        markdown, source_dir, context = prepare()
        if self.cache is not None and not self.cache.off:
            replay = self.outputs.replay if self.outputs is not None else None
            missed = self.pool.missed if self.pool is not None else None
            buildcache.wrap(page, self.cache, source_dir, context, replay, missed)
        return markdown

    def content(self, page: Page, html: str, convert: Callable[[str], str]) -> tuple[str, bool]:
        """In `on_page_content`: the page's HTML, `convert`ed unless the whole page is kept; and
        whether it is (then it is printed through pagecache's one-line template)."""
        if self.outputs is not None and self.outputs.replayed(page):  # (its output is read when written)
            return html, True
        html = convert(html)
        if self.outputs is not None:  # (kept only if it logged nothing; its HTML on disk until rendered)
            html = self.outputs.converted(page, html)
        return html, False

    def context(self, page: Page, context: dict[str, Any]) -> str | None:
        """In `on_page_context`: the kept output of the page, or None when it renders now (with
        `context`: what its templates read of it is noted)."""
        if self.pool is not None:
            self.pool.building(page)  # the first page: the theme's templates are compiled for the helpers
        if self.outputs is None:
            return None
        kept = self.outputs.kept(page)
        if kept is not None:
            return kept["output"]
        self.outputs.begin(page, context)
        return None

    def written(self, page: Page) -> dict[str, Any] | None:
        """In `on_post_page`: a helper's share comes next (its pages taken); the page as the
        last build wrote it, when kept (its output, search record and key), or None."""
        if self.pool is not None:
            self.pool.after(page)
        return self.outputs.written(page) if self.outputs is not None else None

    def keep(self, page: Page, output: str, record: dict | None) -> str | None:
        """After a page is rendered and indexed (`keeping` only): kept for the next build with
        its search `record`; its key, or None."""
        assert self.outputs is not None
        return self.outputs.keep(page, output, record)

    def note(self, page: Page, kind: str, name: str = "") -> None:
        """The plugin's passes over the page read `name` of `kind` (pagedeps.py)."""
        if self.outputs is not None:
            self.outputs.reads.note(page, kind, name)

    @property
    def keeping(self) -> bool:
        """Whether rendered pages are kept (then the search index records their keys)."""
        return self.outputs is not None

    # -- the build ends --------------------------------------------------------------------
    def finish(self, *, prune: bool, wait: bool = True) -> threading.Thread | None:
        """Stop this build's helpers and caches; the thread still writing the cache, if any."""
        pool, outputs, cache = self.pool, self.outputs, self.cache
        self.pool = self.outputs = self.cache = None
        return parallel.finish(pool, outputs, cache, prune=prune, wait=wait)
