"""Whole rendered pages kept across processes: a warm build writes what the last one wrote.

The conversion cache (buildcache.py) spares a new process the Markdown; the page's template, the
plugin's passes over its HTML and the search index's reading of it were still most of a build
of unchanged sources. This layer keeps, in the same database (table `outputs`), each page's
final HTML and what the search index read of it, keyed on everything the page's output depends
on, conservatively:

- the key of its conversion (its Markdown as the plugins left it, the site's files, the Markdown
  extensions and their settings, mkdocs.yml's bytes, the versions of Python, MkDocs, Material,
  Python-Markdown, pymdown-extensions and Pygments, the digest of tracksite's own files);
- the page's digest in the edit loop of `mkdocs serve` (`rebuild.page_digests`: its source and
  folder, the tracks it shows, the glossary, the guides' titles, the drafts, the plugin's options,
  the templates of the course's `custom_dir` and tracksite's theme);
- the configuration as MkDocs resolved it (an `!ENV` value the file does not show), the page's
  front-matter as the plugins left it, and the copies of remote-files.yml.

MkDocs picks a page's template after `on_page_content`, from `page.meta["template"]`: a page
whose output is kept gets `CACHED_TEMPLATE`, a one-line template that prints the kept output,
and the plugin's `on_page_context` and `on_post_page` skip their work for it while still feeding
the search index the page's kept reading. A page is kept only when nothing was logged while it
was converted and while it was built (its warning must be said again by the next build).

Whole pages are not kept when another plugin is configured (it may read a page's content or
context as it is built, which a kept page does not have), and a course template that shows the
build's date (`build_date_utc`) puts that date in the key.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.utils import get_build_date

from tracksite.adapter.caches import buildcache
from tracksite.adapter.caches.spill import Spill
from tracksite.core.memo import digest, stable_text

#: Bumped when what an entry holds changes.
FORMAT = "1"
#: The template of a page whose output is kept (theme/templates/).
CACHED_TEMPLATE = "tracksite-cached.html"
#: What the cached template prints.
CONTEXT_KEY = "ts_cached"
TABLE = "outputs"
#: Settings that say where this build writes or watches, not what a page shows.
_UNSHOWN = {"site_dir", "watch", "dev_addr", "config_file_path", "markdown_extensions", "mdx_configs", "plugins"}


def settings(config: Any) -> str:
    """The configuration as MkDocs resolved it, as text that is the same in every process."""
    shown = {k: v for k, v in config.items() if k not in _UNSHOWN}
    theme = config.theme
    shown["theme"] = {"name": theme.name, "dirs": list(theme.dirs), **dict(theme.items())}
    plugins = {  # (a `hooks:` file is a module among them, with no settings: its bytes are a source)
        name: (type(p).__module__, type(p).__qualname__, dict(getattr(p, "config", None) or {}))
        for name, p in config.plugins.items()
    }
    return stable_text([shown, plugins])


_SAID: set[str] = set()  # the refusals this process logged (once, not at every serve rebuild)


def start(
    cache: buildcache.BuildCache | None,
    config: Any,
    digests: Callable[[], dict[str, tuple[str, str]]],
    extra: list[str],
) -> Outputs | None:
    """This build's kept pages, or None when the cache is off or cannot keep whole pages."""
    if cache is None or cache.off:
        return None
    why = refusal(config)
    if why is not None:
        if why not in _SAID:
            buildcache.log.info("tracksite: whole pages are not kept in the build cache: %s", why)
            _SAID.add(why)
        return None
    return Outputs(cache, config, digests(), extra)


def refusal(config: Any) -> str | None:
    """Why whole pages cannot be kept in this build, or None."""
    others = sorted(name for name in config.plugins if name != "tracksite")
    if others:
        return f"the plugin {others[0]} may read the pages as they are built"
    return None


def dated(config: Any) -> list[str]:
    """The build's date, when one of the course's own templates shows it."""
    folder = config.theme.custom_dir
    for dirpath, _, names in os.walk(folder) if folder else ():
        for name in names:
            try:
                with open(os.path.join(dirpath, name), "rb") as fh:
                    if b"build_date_utc" in fh.read():
                        return [get_build_date()]
            except OSError:
                return [get_build_date()]
    return []


class Outputs:
    """One build's view of the kept pages: `replay` as a page renders, `keep` after it is built."""

    def __init__(
        self, cache: buildcache.BuildCache, config: Any, digests: dict[str, tuple[str, str]], extra: list[str]
    ):
        self.cache = cache
        self.digests = digests
        self.hits = 0
        self._common = digest([FORMAT, settings(config), *dated(config), *extra])
        self._replayed: dict[str, dict[str, Any]] = {}  # src_uri -> its entry
        self._pending: dict[str, tuple[str, int]] = {}  # src_uri -> its key, the log count it began at
        self._spilled: set[str] = set()  # pages whose HTML was read back from the spill
        self._counter = buildcache.Said()
        self._counter.install()
        #: `mkdocs build` only (parallel.Pool.start): each page's HTML waits for its template on
        #: disk, not in memory (spill.py)
        self.spill: Spill | None = None

    def close(self) -> None:
        self._counter.remove()
        if self.spill is not None:
            self.spill.close()
            self.spill = None

    def replay(self, page: Page, files: Files, conversion_key: str) -> bool:
        """Restore what rendering the page leaves on it (title, table of contents, anchors) when
        its whole output is kept; otherwise remember its key, for `keep`."""
        src = page.file.src_uri
        site = self.digests.get(src)
        if site is None or self.cache.off:
            return False
        key = digest([self._common, conversion_key, site[0], stable_text(dict(page.meta))])
        entry = self.cache.get(key, TABLE)
        if entry is None or not isinstance(entry.get("conversion"), dict):
            self._pending[src] = (key, self._counter.count)
            return False
        buildcache.restore(page, files, {**entry["conversion"], "content": ""})
        self.cache.touch(conversion_key)
        entry["key"] = key  # (the search index of pages all kept is kept too: search/index.py)
        self._replayed[src] = entry
        self.hits += 1
        return True

    def adopt(self, page: Page) -> bool:
        """A page a helper process rendered (parallel.py): written as kept when the helper kept
        it, otherwise rendered by this build as any page."""
        pending = self._pending.get(page.file.src_uri)
        if pending is None:
            return False
        if self.cache.has(pending[0], TABLE):  # (its output is read as the page is written:
            del self._pending[page.file.src_uri]  # a helper's share is not all held at once)
            self._replayed[page.file.src_uri] = {"key": pending[0]}
            page.meta["template"] = CACHED_TEMPLATE
            return True
        return False

    def kept(self, page: Page) -> dict[str, Any] | None:
        """The page's kept entry ("output", "search"), when its output is replayed in this build."""
        entry = self._replayed.get(page.file.src_uri)
        if entry is not None and "output" not in entry:  # adopted: read now
            loaded = self.cache.get(entry["key"], TABLE)
            if loaded is None or not isinstance(loaded.get("output"), str):
                raise OSError(f"the page {page.file.src_uri} a helper process rendered could not be read back")
            loaded["key"] = entry["key"]
            self._replayed[page.file.src_uri] = entry = loaded
        return entry

    def written(self, page: Page) -> dict[str, Any] | None:
        """The kept entry, for the page's `on_post_page`, forgotten then (a large course's kept
        pages are not all held until the build ends); a page whose HTML waited on disk lets go
        of it again."""
        if self.spill is not None and page.file.src_uri in self._spilled:
            self._spilled.discard(page.file.src_uri)
            page.content = ""  # (what a kept page holds: conversion() keeps none either)
        entry = self.kept(page)
        self._replayed.pop(page.file.src_uri, None)
        return entry

    def converted(self, page: Page, html: str) -> str:
        """After the page's `on_page_content`: a page that logged while it converted is not kept;
        what MkDocs should hold of its HTML until its template is rendered (spill.py)."""
        pending = self._pending.get(page.file.src_uri)
        if pending is not None and pending[1] != self._counter.count:
            del self._pending[page.file.src_uri]
        return html if self.spill is None else self.spill.put(page, html)

    def begin(self, page: Page) -> None:
        """As the page is built (its context): its HTML back from the disk; what is logged from
        now on stops it being kept."""
        if self.spill is not None and self.spill.take(page):
            self._spilled.add(page.file.src_uri)
        pending = self._pending.get(page.file.src_uri)
        if pending is not None:
            self._pending[page.file.src_uri] = (pending[0], self._counter.count)

    def keep(self, page: Page, output: str, search: dict | None) -> str | None:
        """Keep the page's output, with what the search index read of it, for the next build;
        the key it is kept under, or None."""
        pending = self._pending.pop(page.file.src_uri, None)
        if pending is None or pending[1] != self._counter.count or buildcache.log.getEffectiveLevel() <= logging.DEBUG:
            return None  # (at DEBUG, MkDocs leaves links_to_anchors unset: see buildcache.py)
        conversion = buildcache.conversion(page)
        conversion["content"] = ""
        self.cache.keep(pending[0], {"output": output, "search": search, "conversion": conversion}, TABLE)
        return pending[0]
