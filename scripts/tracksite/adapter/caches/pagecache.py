"""Whole rendered pages kept across processes: a warm build writes what the last one wrote.

The conversion cache (buildcache.py) spares a new process the Markdown; the page's template, the
plugin's passes over its HTML and the search index's reading of it were still most of a build
of unchanged sources. This layer keeps, in the same database (table `outputs`), each page's
final HTML and what the search index read of it, under a key made of two parts:

- what the page is made from, known before it renders: the key of its conversion (its Markdown
  as the plugins left it, the site's files, the Markdown extensions and their settings,
  mkdocs.yml's bytes, the plugin's options, the versions of Python, MkDocs, Material,
  Python-Markdown, pymdown-extensions and Pygments, the digest of tracksite's own files), its
  front-matter as the plugins left it, and the copies of remote-files.yml;
- what it read while it was built, with each read's value (pagedeps.py): the templates Jinja
  loaded for it, the parts of `ts` and of the configuration they drew, the navigation's shape
  and the other pages' titles they showed, the interface strings, the glossary its terms link
  to. These are noted as they happen, not listed here: the read's names are kept beside the
  output (under `READS` + the first part), and the next build looks them up again, so a change
  to anything the page read misses, and a change to anything else still finds it.

MkDocs picks a page's template after `on_page_content`, from `page.meta["template"]`: a page
whose output is kept gets `CACHED_TEMPLATE`, a one-line template that prints the kept output,
and the plugin's `on_page_context` and `on_post_page` skip their work for it while still feeding
the search index the page's kept reading. A page is kept only when nothing was logged while it
was converted and while it was built (its warning must be said again by the next build).

Whole pages are not kept when another plugin is configured (it may read a page's content or
context as it is built, which a kept page does not have); a page whose template shows the build's
date (`build_date_utc`) reads a value that differs in every build.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

from tracksite.adapter.caches import buildcache, pagedeps
from tracksite.adapter.caches.spill import Spill
from tracksite.core import memo
from tracksite.core.memo import digest, stable_text

#: Bumped when what an entry holds changes.
FORMAT = "3"
#: The template of a page whose output is kept (theme/templates/).
CACHED_TEMPLATE = "tracksite-cached.html"
#: What the cached template prints.
CONTEXT_KEY = "ts_cached"
TABLE = "outputs"
#: The prefix of the key under which a page's reads are kept (pagedeps.py), beside its output: a
#: line per read, its kind, name and value's digest apart by tabs; and in the same entry
#: ("model"), the model its noted reads of `ts` are valid for (pagedeps.Reads.model), written when
#: the page is kept or found again with every value as noted (one row a page to read, not two).
READS = "reads:"
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


def start(
    cache: buildcache.BuildCache | None,
    config: Any,
    reads: Callable[[], pagedeps.Reads],
    extra: list[str],
) -> Outputs | None:
    """This build's kept pages, or None when the cache is off or cannot keep whole pages."""
    if cache is None or cache.off:
        return None
    why = refusal(config)
    if why is not None:
        said = memo.current().owned("pagecache.said", set)  # (once a build, not at every serve rebuild)
        if why not in said:
            buildcache.log.info("tracksite: whole pages are not kept in the build cache: %s", why)
            said.add(why)
        return None
    return Outputs(cache, reads(), extra)


def refusal(config: Any) -> str | None:
    """Why whole pages cannot be kept in this build, or None."""
    others = sorted(name for name in config.plugins if name != "tracksite")
    if others:
        return f"the plugin {others[0]} may read the pages as they are built"
    return None


class Outputs:
    """One build's view of the kept pages: `replay` as a page renders, `keep` after it is built."""

    def __init__(self, cache: buildcache.BuildCache, reads: pagedeps.Reads, extra: list[str]):
        self.cache = cache
        self.reads = reads  # what each page read as it was built
        self.hits = 0
        self._common = digest([FORMAT, *extra])
        self._replayed: dict[str, dict[str, Any]] = {}  # src_uri -> its entry (its key until read)
        cache.before_discard.append(self._read_owed)
        self._pending: dict[str, tuple[str, int]] = {}  # src_uri -> its sources' key, the log count it began at
        self._spilled: set[str] = set()  # pages whose HTML was read back from the spill
        self._counter = buildcache.Said()
        self._counter.install()
        #: `mkdocs build` only (parallel.Pool.start): each page's HTML waits for its template on
        #: disk, not in memory (spill.py)
        self.spill: Spill | None = None
        #: `mkdocs build` only, where nothing reads a page's Markdown after its conversion
        #: (parallel.markdown_unread): let go then
        self.forget_markdown = False

    def close(self) -> None:
        self._counter.remove()
        if self.spill is not None:
            self.spill.close()
            self.spill = None

    def replay(self, page: Page, files: Files, conversion_key: str) -> bool:
        """Restore what rendering the page leaves on it (title, table of contents, anchors) when
        its whole output is kept; otherwise remember what it is made from, for `keep`."""
        src = page.file.src_uri
        if self.cache.off:
            return False
        sources = digest([self._common, conversion_key, stable_text(dict(page.meta))])
        key, noted = self._key(page, sources)
        conversion = noted.get("conversion") if noted is not None and noted.get("for") == key else None
        # the page's entry (its HTML and search reading, 70 KB) is read whole once, as it is
        # written (`kept`); here only its checksum, the conversion coming with its reads (issue 88)
        if key is None or not isinstance(conversion, dict) or not self.cache.intact(key, TABLE):
            entry = self.cache.get(key, TABLE) if key is not None else None
            conversion = entry.get("conversion") if entry is not None else None
        if not isinstance(conversion, dict):
            self._pending[src] = (sources, self._counter.count)
            return False
        buildcache.restore(page, files, {**conversion, "content": ""})
        self.cache.touch(conversion_key)
        # its output and search readings are read again as the page is written (`kept`): held from
        # here, a warm build of 1,000 lessons held every page's at once (about 60 KB a page)
        self._replayed[src] = {"key": key, "verified": True}  # (the search index of pages all kept: search/index.py)
        self.hits += 1
        return True

    def _key(self, page: Page, sources: str) -> tuple[str | None, dict[str, Any] | None]:
        """The key of the page's output: what it is made from and what it read, each read
        looked up now (None: the last build kept no reads of it, or one cannot be looked up);
        and the entry of its reads as kept (with the conversion of the output it led to)."""
        kept = self.cache.get(READS + sources, TABLE)
        if kept is None:
            return None, None
        cells = kept["output"].replace("\n", "\t").split("\t")  # kind, name, value: a line each
        if len(cells) % 3:
            return None, kept
        names, noted_values = list(zip(cells[0::3], cells[1::3], strict=True)), cells[2::3]
        model = self.reads.model
        marked = model is not None and kept.get("model") == model
        noted = {read: v for read, v in zip(names, noted_values, strict=True) if read[0] == "ts"} if marked else None
        values = self.reads.values(page, names, noted)
        self.reads.let_go(page)  # (its `ts`: a build holds a few pages' at a time)
        if values is None:
            return None, kept
        if model is not None and not marked and values == noted_values:
            # every value as noted, this model's own: the next build of it takes those of `ts` as noted
            self.cache.keep(READS + sources, {**kept, "model": model}, TABLE)
        if buildcache.log.isEnabledFor(logging.DEBUG):  # (`mkdocs build -v`: why a page is rendered again)
            for (kind, name), was, value in zip(names, noted_values, values, strict=True):
                if was != value:
                    buildcache.log.debug("tracksite: %s read %s %r, which changed", page.file.src_uri, kind, name)
        return _output_key(sources, values), kept

    def adopt(self, page: Page) -> bool:
        """A page a helper process rendered (parallel.py): written as kept when the helper kept
        it, otherwise rendered by this build as any page."""
        pending = self._pending.get(page.file.src_uri)
        if pending is None:
            return False
        key = self._key(page, pending[0])[0]  # (the reads the helper noted, looked up here)
        if key is not None and self.cache.has(key, TABLE):  # (its output is read as the page is
            del self._pending[page.file.src_uri]  # written: a helper's share is not all held at once)
            self.reads.taken(page)  # (what this process noted of it: the helper built it)
            self.reads.let_go(page)
            self._replayed[page.file.src_uri] = {"key": key}
            page.meta["template"] = CACHED_TEMPLATE
            return True
        return False

    def replayed(self, page: Page) -> bool:
        """Whether the page's whole output is kept in this build (its entry perhaps not read yet)."""
        return page.file.src_uri in self._replayed

    def _read_owed(self) -> None:
        """Before the cache is discarded: the entries of the pages taken as kept, read now."""
        for src in list(self._replayed):
            self._read(src)

    def _read(self, src: str) -> dict[str, Any] | None:
        """The page's kept entry, read now if it was taken as kept with its key only (a page
        replayed or adopted); None when it cannot be read back."""
        entry = self._replayed[src]
        if "output" not in entry:
            loaded = self.cache.get(entry["key"], TABLE, verify=not entry.get("verified"))
            if loaded is None or not isinstance(loaded.get("output"), str):
                return None
            self._replayed[src] = entry = {**loaded, "key": entry["key"]}
        return entry

    def kept(self, page: Page) -> dict[str, Any] | None:
        """The page's kept entry ("output", "search"), when its output is replayed in this build."""
        if page.file.src_uri not in self._replayed:
            return None
        entry = self._read(page.file.src_uri)
        if entry is None:
            raise OSError(f"the kept output of the page {page.file.src_uri} could not be read back")
        return entry

    def written(self, page: Page) -> dict[str, Any] | None:
        """The kept entry, for the page's `on_post_page`, forgotten then (a large course's kept
        pages are not all held until the build ends); a page whose HTML waited on disk lets go
        of it again."""
        if self.spill is not None and page.file.src_uri in self._spilled:
            self._spilled.discard(page.file.src_uri)
            page.content = ""  # (what a kept page holds: conversion() keeps none either)
        self.reads.end()  # (its templates are rendered)
        entry = self.kept(page)
        self._replayed.pop(page.file.src_uri, None)
        return entry

    def converted(self, page: Page, html: str) -> str:
        """After the page's `on_page_content`: a page that logged while it converted is not kept;
        what MkDocs should hold of its HTML until its template is rendered (spill.py)."""
        pending = self._pending.get(page.file.src_uri)
        if pending is not None and pending[1] != self._counter.count:
            del self._pending[page.file.src_uri]
        if self.spill is None:
            return html
        if self.forget_markdown:  # (converted: 17 MB at 1,000 lessons; "", as None is unread to MkDocs)
            page.markdown = ""
        return self.spill.put(page, html)

    def begin(self, page: Page, context: dict[str, Any]) -> None:
        """As the page is built (its context): its HTML back from the disk; what is logged from
        now on stops it being kept; what its templates read is noted."""
        if self.spill is not None and self.spill.take(page):
            self._spilled.add(page.file.src_uri)
        pending = self._pending.get(page.file.src_uri)
        if pending is not None:
            self._pending[page.file.src_uri] = (pending[0], self._counter.count)
            self.reads.begin(page, context)

    def keep(self, page: Page, output: str, search: dict | None) -> str | None:
        """Keep the page's output, with what the search index read of it and what the page read,
        for the next build; the key it is kept under, or None."""
        self.reads.end()
        pending = self._pending.pop(page.file.src_uri, None)
        names = self.reads.taken(page)
        if pending is None or pending[1] != self._counter.count or buildcache.log.getEffectiveLevel() <= logging.DEBUG:
            self.reads.let_go(page)
            return None  # (at DEBUG, MkDocs leaves links_to_anchors unset: see buildcache.py)
        values = self.reads.values(page, names)
        self.reads.let_go(page)
        if values is None or any("\t" in n or "\n" in n for read in names for n in read):
            return None  # (it read what cannot be looked up again)
        key = _output_key(pending[0], values)
        conversion = buildcache.conversion(page)
        conversion["content"] = ""
        reads = "\n".join(f"{kind}\t{name}\t{value}" for (kind, name), value in zip(names, values, strict=True))
        # (the values: for `-v`), and the model those of `ts` are valid for (pagedeps.Reads; none
        # under serve, which computes no model key: a mark left by a build must not vouch for them)
        # (and the conversion, for the output under `key`: a warm build reads the page's entry once)
        noted = {"output": reads, "model": self.reads.model or "", "conversion": conversion, "for": key}
        self.cache.keep(READS + pending[0], noted, TABLE)
        self.cache.keep(key, {"output": output, "search": search, "conversion": conversion}, TABLE)
        return key


def _output_key(sources: str, values: list[str]) -> str:
    """The key of a page's output: what it is made from and its reads' values (digests, no line
    break in any), the values as one part (a hundred a page, each a part of its own took a
    tenth of the check)."""
    return digest([sources, "\n".join(values)])
