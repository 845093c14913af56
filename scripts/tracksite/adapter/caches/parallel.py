"""`mkdocs build` converts and renders its pages in more than one process, one per core.

MkDocs converts every page's Markdown, then renders every page into its template, one page at a
time in one process: on a 300-lesson course those two loops are two thirds of a cold build, and
a second core sits idle. The build cache already turns a page's conversion (buildcache.py) and
its whole output (pagecache.py) into entries that a later build replays byte for byte. So in
each loop the build forks one helper per other core (`os.fork`: a helper has every page,
the navigation and the templates as the build has them). A helper takes a contiguous share of the
pages from the end of the list, does for each what MkDocs' loop does (`_populate_page`,
`_build_page`), and hands back through a pipe the cache entries it made. Meanwhile the build does
its own share; at the first page of a helper's share it waits for that helper and takes its
entries, and the helper's pages are then replayed as in a warm build (core/forked.py).

A helper is forked only where it has work, and late enough to share what the build already
did: the conversion helpers at the page where the cache first looks cold (`MIN_MISSES` pages
converted, at least half of those reached), for the pages after it, since in a warm build a
helper would only replay pages the build replays again; the rendering helpers at the first page
rendered, when enough pages are not kept whole, after the theme's own pages (404.html) have
compiled the templates that a helper would otherwise compile again.

Whatever a helper did not keep, the build does itself: a page that logged (its warning must be
said by the build, once), a page that raised, a helper that died. Only `mkdocs build` forks: not
with the build cache off, not under `mkdocs serve`, whose rebuilds render a few pages.
`TRACKSITE_PROCESSES` sets how many processes (1: none forked); by default one per core, up to
four, each with at least `MIN_SHARE` pages.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Navigation
from mkdocs.structure.pages import Page

from tracksite.adapter import mkdocsinternals
from tracksite.adapter.caches import buildcache, pagecache, spill
from tracksite.adapter.caches.buildcache import log
from tracksite.core import forked, keptfiles, memo, sources
from tracksite.core.forked import affordable, resident

#: Pages a process must have to be worth forking (a fork and a hand-over cost a few milliseconds).
MIN_SHARE = 40
#: Conversions missed in the cache before helpers are forked for the rest (see above).
MIN_MISSES = 3
#: The build's own share against a helper's: it also replays the helpers' pages (measured on
#: 300 lessons, two processes: each loop's helper then ends as the build reaches its pages).
OWN_WEIGHT = 0.92


def engine(config: Any) -> ModuleType | None:
    """The build module of the engine running this build (MkDocs or ProperDocs), when it has the
    two per-page functions a helper calls (mkdocsinternals.build_module)."""
    return mkdocsinternals.build_module(config)


def give_back(collect: bool = True) -> None:
    """Hand the memory the check let go of back to the system, before the pages are converted
    and helpers forked: C's allocator keeps freed blocks in the process (a fork copies them, and
    they count in the build's memory) until asked to trim them. Where there is no `malloc_trim`
    (not glibc), nothing is given back. `collect`: the cycles the collector finds freed first."""
    if collect:
        gc.collect()
    with contextlib.suppress(OSError, AttributeError, TypeError):  # (TypeError: Windows' CDLL)
        ctypes.CDLL(None).malloc_trim(0)


def markdown_unread(config: Any) -> bool:
    """Whether nothing reads a page's Markdown once it is converted, so that the build can let it
    go (17 MB at 1,000 lessons, held until the page is written and copied into every rendering
    helper): no plugin but tracksite's, and no template of the course's own that names
    `page.markdown` (a reading time drawn from it, say). Otherwise the Markdown stays."""
    if any(name != "tracksite" for name in config.plugins):
        return False
    custom = config.theme.custom_dir
    if not custom or not os.path.isdir(custom):
        return True
    for folder, _, names in os.walk(custom):
        for name in names:
            if name.endswith(".html"):
                with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as fh:
                    if "markdown" in fh.read():
                        return False
    return True


@dataclass
class _Share:
    helper: forked.Helper
    pages: list[Page]


@dataclass
class Pool:
    """One build's helpers: `convert` and `render` fork them, `before` and `after` wait for them.
    From `render` on, the engine's writes into the site go through the pages' kept copies
    (keptfiles.py), which `close` stops; the pool exists exactly when those copies can be kept."""

    cache: buildcache.BuildCache
    outputs: pagecache.Outputs | None
    module: ModuleType
    dirty: bool
    nav: Navigation
    _kept: keptfiles.Kept | None = None
    _unroute: Callable[[], None] | None = None
    _at: dict[str, _Share] = field(default_factory=dict)  # page src_uri -> the helper to wait for there
    _waiting: Callable[[Page], None] | None = None  # forks the conversion helpers at a page (`missed`)
    _rendering: Callable[[Page], None] | None = None  # forks the rendering helpers (`building`)
    _reached: int = 0  # pages the conversion loop reached
    _missed: int = 0  # of which were converted (not in the cache)
    rendered: int = 0  # pages a helper rendered that the build wrote as kept

    @classmethod
    def start(
        cls, command: str, cache: Any, outputs: Any, dirty: bool, config: Any, files: Files, nav: Navigation
    ) -> Pool | None:
        """At the end of `on_nav`: the build's pool, its conversion helpers started, or None."""
        if command == "build":  # checked and planned: each page needs its own results once now,
            memo.limit(memo.RENDERING_MAX)  # and a helper would copy the course's (core/memo.py)
            sources.forget()  # (the sources' texts: read again, if ever, from the disk)
            give_back()
            if outputs is not None:  # each page's HTML on disk between the two loops, in the state folder
                outputs.spill = spill.Spill.open(
                    str(cache.path.parent) if cache is not None and not cache.off else None
                )
                outputs.forget_markdown = markdown_unread(config)
        if command != "build" or cache is None or cache.off:
            return None
        module = engine(config)
        if module is None:
            return None
        pool = cls(cache, outputs, module, dirty, nav)
        pool.convert(config, files)
        return pool

    # -- the conversion loop ------------------------------------------------------------------
    def convert(self, config: Any, files: Files) -> None:
        """Get ready to fork helpers that convert the end of the list of pages (`missed`)."""
        docs = files.documentation_pages(inclusion=InclusionLevel.is_included)
        order = {f.src_uri: i for i, f in enumerate(docs)}

        def work(file: File) -> None:
            if file.page is None:
                Page(None, file, config)
            mkdocsinternals.populate_page(self.module, file.page, config, files, self.dirty)

        def fork(page: Page) -> None:
            rest = docs[order.get(page.file.src_uri, len(docs)) + 1 :]
            for share, first in self._fork(rest, work):
                self._at[first.src_uri] = share

        self._waiting = fork

    def before(self, page: Page) -> None:
        """As the build reaches a page: at a helper's first page, take what that helper converted."""
        self._reached += 1
        share = self._at.pop(page.file.src_uri, None)
        if share is not None:
            self.cache.take(share.helper.result() or [])

    def missed(self, page: Page) -> None:
        """The build converts `page` (not in the cache): where the cache looks cold, the pages
        after it go to helpers (before this one is converted: they are forked idle)."""
        self._missed += 1
        if self._waiting is not None and self._missed >= MIN_MISSES and 2 * self._missed >= self._reached:
            fork, self._waiting = self._waiting, None
            fork(page)

    # -- the rendering loop -------------------------------------------------------------------
    def render(self, config: Any, files: Files, env: Any) -> None:
        """Route the engine's writes into the site through the kept copies of the last build
        (keptfiles.py); get ready to fork helpers that render the end of the pages not kept whole
        (`building`)."""
        self._kept = keptfiles.Kept(self.cache.path.parent / "pages")
        self._unroute = _route_writes(self.module.utils, self._kept, config.site_dir)
        if self.outputs is None or self.dirty:
            return
        outputs = self.outputs

        def fork(current: Page) -> None:
            docs = files.documentation_pages(inclusion=InclusionLevel.is_included)
            todo = [f for f in docs if f.page is not None and not outputs.replayed(f.page)]
            order = {f.src_uri: i for i, f in enumerate(docs)}

            def work(file: File) -> None:
                current.active = False  # (forked as the build renders it: not active in a helper's pages)
                mkdocsinternals.build_page(self.module, file.page, config, docs, self.nav, env, self.dirty)

            for share, first in self._fork(todo, work, quiet_writes=True):
                self._at[docs[order[first.src_uri] - 1].src_uri] = share  # (the build's own share is first)

        self._rendering = fork

    def building(self, page: Page) -> None:
        """As the build renders its first page, the theme's pages (404.html) rendered: the
        rendering helpers are forked now, so that they have the templates compiled."""
        fork, self._rendering = self._rendering, None
        if fork is not None:
            self.cache.flush()  # (the conversions made so far: not held, and not copied, by both)
            give_back(collect=False)  # (each page's Markdown, let go of as it was converted)
            fork(page)

    def after(self, page: Page) -> None:
        """As a page is written: when a helper's share comes next, take its pages, which are then
        written as kept (their template is chosen before the next event)."""
        share = self._at.pop(page.file.src_uri, None)
        if share is not None and self.outputs is not None:
            self.cache.take(share.helper.result() or [])
            self.rendered += sum(self.outputs.adopt(done) for done in share.pages)

    # -- the helpers ----------------------------------------------------------------------------
    def _fork(self, items: Sequence[File], work: Callable[[File], None], quiet_writes: bool = False):
        n = affordable(forked.processes(len(items), MIN_SHARE), resident())
        if n < 2 or len(items) < 2:
            return
        for share in forked.shares(len(items), n, OWN_WEIGHT)[1:]:
            mine = [items[i] for i in share]
            helper = forked.start(functools.partial(self._helper, mine, work, quiet_writes))
            if helper is None:
                return
            yield _Share(helper, [f.page for f in mine if f.page is not None]), mine[0]

    def _helper(self, files: list[File], work: Callable[[File], None], quiet_writes: bool) -> list:
        """In the helper: its share, then the cache entries it made."""
        self.cache.forked()
        if quiet_writes:  # the build writes every page itself
            mkdocsinternals.silence_writes(self.module.utils)
        for file in files:
            try:
                work(file)
            except Exception:  # the build converts it, and says why
                break
        return self.cache.made()

    def close(self, prune: bool = False) -> None:
        """Say what the helpers did; stop those still running (a build that failed first); after
        a whole build, drop the kept copies of pages it no longer writes."""
        if self.cache.handed or self.rendered:
            log.info("tracksite: helper processes converted %d pages, rendered %d", self.cache.handed, self.rendered)
        for share in self._at.values():
            share.helper.stop()
        self._at.clear()
        self._waiting = self._rendering = None
        if self._unroute is not None:
            self._unroute()
            self._unroute = None
        if self._kept is not None and prune:
            self._kept.prune()


def finish(
    pool: Pool | None,
    outputs: pagecache.Outputs | None,
    cache: buildcache.BuildCache | None,
    *,
    prune: bool,
    wait: bool,
) -> threading.Thread | None:
    """At the end of a build: stop its helpers and kept pages, say what the cache did, and write
    it (`wait` False: by a thread, returned, that the build joins once its search index is written)."""
    if pool is not None:
        pool.close(prune)
    if outputs is not None:
        outputs.close()
    if cache is None:
        return None
    if cache.hits or cache.misses or (outputs and outputs.hits):
        log.info(
            "tracksite: build cache: %d pages converted, %d from the cache, %d written as kept",
            cache.misses + cache.handed,
            cache.hits - cache.handed,
            outputs.hits if outputs else 0,
        )
    return cache.close(prune=prune, wait=wait)


def _route_writes(utils: Any, kept: keptfiles.Kept, site_dir: str) -> Callable[[], None]:
    """Send the engine's writes into `site_dir` (its pages, 404.html, the sitemap) through `kept`;
    the function that undoes it. A file already there is replaced, not truncated: it may be a
    link to a kept file that other sites share. Where the engine's write is its own, a file is
    made only where none is (a staged site is new: nothing to remove first), and each folder once."""
    site = os.path.abspath(site_dir)
    plain = mkdocsinternals.plain_writes(utils)
    folders: set[str] = set()  # made already

    def write_file(content: bytes, output_path: str, original: Callable[[bytes, str], None]) -> None:
        path = os.path.abspath(output_path)
        if not path.startswith(site + os.sep):
            return original(content, output_path)
        folder, rel = os.path.dirname(path), path[len(site) + 1 :].replace(os.sep, "/")
        if folder not in folders:
            os.makedirs(folder, exist_ok=True)
            folders.add(folder)
        if plain:
            try:
                return kept.put(rel, path, content, new=True)
            except FileExistsError:  # (written before: `--dirty`, a second write of the same file)
                pass
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)
        kept.put(rel, path, content, None if plain else original)

    return mkdocsinternals.reroute_writes(utils, write_file)
