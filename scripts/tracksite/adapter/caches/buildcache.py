"""The persistent build cache: a page's Markdown converted to HTML, kept across processes.

Converting Markdown is most of a build's time per page, and a new process (a second `mkdocs
build`, a restart of `mkdocs serve`, CI with the folder restored) converts every page again even
when no source changed. This cache keeps, in `build.sqlite` in the course's state folder (the
user's, never the checkout: core/localstate.py; safe to delete), what MkDocs' `Page.render` leaves on a page: its HTML, table of
contents, title from the first heading, anchor ids and links to other pages' anchors.

An entry is keyed by the digest of everything the conversion reads, conservatively:

- the page's Markdown as the plugins left it (course links already resolved), its address and
  source path, and what the widgets know of the page (its id, the instructor switch);
- the files of the page's source folder, by content (widgets read data files from there);
- every file of the site with its address (links resolve against them), the Markdown extensions
  and their settings, the `validation` settings, the configuration file itself;
- the versions of Python, MkDocs, Python-Markdown, pymdown-extensions, Material and Pygments, and
  the digest of tracksite's own modules (so an editable install that changed invalidates too).

A conversion that logged anything (a broken link MkDocs warns about) is not kept: its warning must
be said again by the next build, and `strict` must fail it again. An extension that reads other
files by itself (`pymdownx.snippets`) or one the cache does not know turns the cache off for the
build, with a note. A cache that cannot be read (truncated, not a database, an entry that does not
match its checksum) is deleted with a note and the build converts everything; it is never trusted.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import platform
import sqlite3
import threading
from collections.abc import Callable, Iterable
from importlib import metadata
from pathlib import Path
from typing import Any

from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from tracksite.adapter import mkdocsinternals
from tracksite.adapter.caches import cachedb
from tracksite.adapter.pages import converter
from tracksite.core import localstate
from tracksite.core.checkcache import code_digest, tree
from tracksite.core.memo import digest, stable_text

log = logging.getLogger("mkdocs.plugins.tracksite")

#: Which of the course's state folders holds the cache (core/localstate.py).
STATE = "tracksite"
DB_NAME = "build.sqlite"
#: Bumped when what an entry holds changes.
FORMAT = "1"

#: Extensions whose output depends on the page's text and their settings alone. `snippets` reads
#: other files, so it is not here; an extension not here turns the cache off.
_PURE_PREFIXES = ("markdown.extensions.", "pymdownx.", "material.extensions.", "tracksite.")
_BUILTIN = {
    "abbr", "admonition", "attr_list", "codehilite", "def_list", "extra", "fenced_code", "footnotes",
    "legacy_attrs", "legacy_em", "md_in_html", "meta", "nl2br", "sane_lists", "smarty", "tables", "toc",
    "wikilinks",
}  # fmt: skip
_IMPURE = {"pymdownx.snippets"}
_VERSIONED = ("mkdocs", "Markdown", "pymdown-extensions", "mkdocs-material", "Pygments")
#: Characters of new entries a process holds before it writes them into the database: a page's
#: entries (its converted HTML, its whole output) are most of what a build would otherwise hold
#: until its end, 0.4 GB at 1,000 lessons (docs/benchmarks.md, "Memory"). A build and its helper
#: each hold this much beside the other: at 8 million their peak at 1,000 lessons was 31 MB higher.
FLUSH_AT = 2_000_000


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "-"


def subfolder(cache: BuildCache | None, name: str) -> Path | None:
    """A folder beside the cache's database for other kept files, or None when the cache is off
    or the folder is a link or another user's (core/localstate.py: `check` refused it first)."""
    if cache is None or cache.off:
        return None
    try:
        return localstate.inner(cache.path.parent / name, create=False)
    except localstate.StateError:
        return None


def environment() -> list[str]:
    """What every build depends on besides the course: Python's version, the versions of the
    libraries that render a page, and tracksite's own files."""
    return [platform.python_version(), *(f"{n}={_version(n)}" for n in _VERSIONED), code_digest()]


def extension_problem(extensions: list[Any]) -> str | None:
    """Why the configured Markdown extensions cannot be cached, or None."""
    for ext in extensions:
        name = ext if isinstance(ext, str) else f"{type(ext).__module__}.{type(ext).__qualname__}"
        module = name.split(":")[0]
        if module in _IMPURE:
            return f"the Markdown extension {module} reads other files"
        if module not in _BUILTIN and not module.startswith(_PURE_PREFIXES):
            return f"the Markdown extension {module} is not one the cache knows"
    return None


class BuildCache:
    """One build's view of the cache: looks pages up as they render, writes new entries at the end."""

    def __init__(self, root: Path, config: Any, extra: Iterable[str] = ()) -> None:
        self.root = root
        self.path = localstate.path(root, STATE) / DB_NAME
        self.hits = self.misses = 0
        self.handed = 0  # of the hits: converted in this build by a helper process (parallel.py)
        self._new: dict[tuple[str, str], tuple[str, str]] = {}  # (table, key) -> entry as (value, text)
        # called before the cache is discarded, while it can still be read: what a build owes
        # pages it took as kept but has not read yet (pagecache.Outputs)
        self.before_discard: list[Callable[[], None]] = []
        self._held = 0  # characters in `_new`
        self._written: set[tuple[str, str]] = set()  # entries made in this build and written (`flush`)
        self._handed: set[tuple[str, str]] = set()  # of which a helper process made and wrote
        #: the database held no entry when it was opened (a cold build): what this build did not
        #: write itself is not in it, no query needed (a miss is never wrong, only slower)
        self._empty = False
        self._used: set[tuple[str, str]] = set()
        self._folders: dict[Path, str] = {}
        self._files_digest: str | None = None
        self._db: sqlite3.Connection | None = None
        self._inherited: sqlite3.Connection | None = None  # a helper's: the build's, never used
        self.skip = {os.path.abspath(config.site_dir)}
        self.off = extension_problem(list(config.markdown_extensions))
        config_file = config.config_file_path
        config_bytes = Path(config_file).read_bytes() if config_file and os.path.isfile(config_file) else b""
        self._common = digest(
            [
                FORMAT,
                *environment(),
                config_bytes,
                stable_text(list(config.markdown_extensions)),
                stable_text(dict(config.mdx_configs or {})),
                stable_text(dict(config.validation)),
                repr(config.use_directory_urls),
                # a quiet build (`mkdocs build -q`) cannot hear the warnings a conversion logs, so
                # it cannot tell which pages not to keep: what it keeps is apart from what a build
                # that hears them keeps, which says every warning again (pagecache keys too)
                "heard" if logging.getLogger("mkdocs").isEnabledFor(logging.WARNING) else "unheard",
                *extra,
            ]
        )
        if self.off:
            log.info("tracksite: the build cache is off for this build: %s", self.off)
        else:
            self._open()

    # -- the database ----------------------------------------------------------------------
    def _open(self) -> None:
        try:
            localstate.folder(self.root, STATE)  # (checked: never a link, never another user's)
            self._db = cachedb.connect(self.path)
            cachedb.create(self._db)
            counts = [self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in cachedb.TABLES]
            self._empty = not any(counts)
        except sqlite3.DatabaseError as e:
            self._discard(f"it could not be read ({e})")
            with contextlib.suppress(sqlite3.Error, OSError, localstate.StateError):
                localstate.folder(self.root, STATE)
                self._db = cachedb.connect(self.path)
                cachedb.create(self._db)
                self._empty = True
        except (OSError, localstate.StateError) as e:
            self.off = f"its folder cannot be written ({e})"
            log.info("tracksite: the build cache is off for this build: %s", self.off)

    def _discard(self, why: str) -> None:
        """Drop the whole cache: a part that cannot be trusted says nothing about the rest."""
        log.info("tracksite: the build cache in %s was discarded: %s; every page is converted again", self.path, why)
        owed, self.before_discard = self.before_discard, []
        for read_owed in owed:
            read_owed()
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None
        for suffix in ("", "-journal", "-wal", "-shm"):
            with contextlib.suppress(OSError):
                os.remove(f"{self.path}{suffix}")

    def get(self, key: str, table: str = "pages", *, verify: bool = True) -> dict[str, Any] | None:
        """The entry kept under `key`, or None. `verify=False`: its checksum is not computed again
        (an entry this build read whole and verified before, read once more)."""
        made = self._new.get((table, key))  # (made in this build: by a helper, parallel.py)
        if made is not None:
            self._used.add((table, key))
            self.handed += table == "pages" and (table, key) in self._handed
            return {**json.loads(made[0]), cachedb.MAIN[table]: made[1]}
        row = self._row(key, table, verify=verify)
        if row is None:
            return None
        try:
            text = row[1].decode("utf-8", "surrogatepass")
            entry = json.loads(row[0])
            if not isinstance(entry, dict):
                raise ValueError("an entry is not a converted page")
        except ValueError as e:
            self._discard(str(e))
            return None
        self._used.add((table, key))
        self.handed += table == "pages" and (table, key) in self._handed
        entry[cachedb.MAIN[table]] = text
        return entry

    def intact(self, key: str, table: str = "pages") -> bool:
        """Whether an entry is kept and matches its checksum, without decoding it: `get(key,
        verify=False)` reads it later (a page replayed: its entry read whole once, not twice).
        A mismatch discards the cache, as `get` does."""
        made = self._new.get((table, key))
        if made is not None:
            self._used.add((table, key))
            return True
        if self._row(key, table, verify=True) is None:
            return False
        self._used.add((table, key))
        return True

    def _row(self, key: str, table: str, *, verify: bool) -> tuple[str, bytes] | None:
        """An entry's stored value and text, checked against its checksum unless `verify` is
        False; None when it is not kept, and the cache discarded when it cannot be read or does
        not match (one reading for `get` and `intact`)."""
        if self._db is None or (self._empty and (table, key) not in self._written):
            return None
        try:
            row = self._db.execute(f"SELECT value, text, crc FROM {table} WHERE key = ?", (key,)).fetchone()
        except sqlite3.DatabaseError as e:
            self._discard(f"it could not be read ({e})")
            return None
        if row is None:
            return None
        value, data, check = row
        if (
            not isinstance(value, str)
            or not isinstance(data, bytes)
            or (verify and cachedb.checksum(key, value, data) != check)
        ):
            self._discard("an entry does not match its checksum")
            return None
        return value, data

    def has(self, key: str, table: str = "pages") -> bool:
        """Whether an entry is kept, without reading it (`get` reads it when it is needed)."""
        if (table, key) in self._new:
            return True
        if self._empty and (table, key) not in self._written:
            return False
        try:
            return (
                self._db is not None
                and self._db.execute(f"SELECT 1 FROM {table} WHERE key = ?", (key,)).fetchone() is not None
            )
        except sqlite3.DatabaseError:
            return False

    def touch(self, key: str, table: str = "pages") -> None:
        """An entry this build did not read but still stands for (a kept page's conversion):
        not pruned, so that the page's next edit finds it."""
        self._used.add((table, key))

    def keep(self, key: str, entry: dict[str, Any], table: str = "pages") -> None:
        """An entry to write: with the others when they pass `FLUSH_AT` characters, the rest when
        the build ends."""
        if self._db is not None and not self.off:
            main = cachedb.MAIN[table]
            rest = {k: v for k, v in entry.items() if k != main}
            value = json.dumps(rest, separators=(",", ":"))
            self._new[table, key] = (value, entry[main])
            self._held += len(value) + len(entry[main])
            if self._held >= FLUSH_AT:
                self.flush()

    def flush(self) -> None:
        """Write the entries made so far and let go of them (`get` then reads them back from the
        database): a build holds a few pages' entries at a time, not the whole course's. Entries
        that cannot be written now stay held, for the end of the build."""
        self._held = 0
        if self._db is None or not self._new:
            return
        try:
            with self._db:
                self._db.execute("BEGIN")
                cachedb.insert(self._db, self._new)
        except sqlite3.Error:
            return
        self._written.update(self._new)
        self._new = {}

    def forked(self) -> None:
        """In a helper process (parallel.py): a connection of its own (SQLite's must not cross a
        fork; the build's is left open, untouched) and nothing made yet."""
        self._inherited, self._db = self._db, None
        self._new, self._held, self._written, self._handed = {}, 0, set(), set()
        self._empty = False  # (what the build wrote before the fork is not in `_written` here)
        if not self.off:
            with contextlib.suppress(sqlite3.Error):
                self._db = cachedb.connect(self.path)

    def made(self) -> list[tuple[tuple[str, str], tuple[str, str] | None]]:
        """The entries a helper made, for the build it hands them to: written by the helper
        itself (None: the build reads it from the database), or held where that failed."""
        self.flush()
        return [(k, None) for k in self._written] + list(self._new.items())

    def take(self, entries: list[tuple[tuple[str, str], tuple[str, str] | None]]) -> None:
        """A helper's entries: read by `get` as the build reaches their pages."""
        if self._db is not None and not self.off:
            for name, entry in entries:
                self._handed.add(name)
                if entry is None:
                    self._written.add(name)
                else:
                    self._new[name] = entry

    def close(self, *, prune: bool, wait: bool = True) -> threading.Thread | None:
        """Write this build's new entries; after a full build, drop the entries it did not use
        (none when the database was empty as it opened: every entry is this build's or its
        helpers', and looking them all up again was a tenth of a cold build's writing).
        `wait` False: a thread writes them while the build finishes its search index and site
        (SQLite and the digests let go of the interpreter's lock), and is returned to be joined."""
        db, self._db = self._db, None
        if db is None:
            return None
        prune = prune and not self._empty
        new, used = self._new, self._used | set(self._new) | self._written if prune else set()
        self._new, self._held = {}, 0
        if wait:
            cachedb.write(db, new, used, prune)
            return None
        writer = threading.Thread(target=cachedb.write, args=(db, new, used, prune), name="tracksite-build-cache")
        writer.start()
        return writer

    # -- pages -------------------------------------------------------------------------------
    def _files(self, files: Files) -> str:
        if self._files_digest is None:
            self._files_digest = digest(f"{f.src_uri}>{f.url}>{f.inclusion.name}" for f in files)
        return self._files_digest

    def _folder(self, folder: Path) -> str:
        """Every file under the page's source folder, by content (a widget's data files), as the
        check cache walks the project (not the site being built into)."""
        if folder not in self._folders:
            self._folders[folder] = digest(tree(folder, skip=self.skip))
        return self._folders[folder]

    def key(self, page: Page, files: Files, source_dir: Path, context: Iterable[str]) -> str:
        assert page.markdown is not None
        folder = self._folder(source_dir) if "///" in page.markdown else "-"
        return digest(
            [self._common, self._files(files), page.file.src_uri, page.file.url, folder, *context, page.markdown]
        )

    def render(self, page: Page, config: Any, files: Files, key: str, convert: Callable[[], None]) -> None:
        """`Page.render`, from the cache when the same conversion was kept; otherwise converted
        (by `convert`) and kept when it logged nothing."""
        entry = None if self.off else self.get(key)
        if entry is not None:
            self.hits += 1
            restore(page, files, entry)
            return
        self.misses += 1
        log.debug("tracksite: %s is not in the build cache", page.file.src_uri)
        with Said() as quiet:
            convert()
        if quiet.said:
            log.debug("tracksite: %s logged while it converted: not kept in the build cache", page.file.src_uri)
        elif log.getEffectiveLevel() > logging.DEBUG:
            # (at DEBUG, MkDocs leaves links_to_anchors unset: such a page would skip the anchor check)
            self.keep(key, conversion(page))


def conversion(page: Page) -> dict[str, Any]:
    """What `Page.render` leaves on a page, as JSON (`restore` puts it back)."""
    return {
        "content": page.content,
        "toc": _toc_tokens(page),
        "title": mkdocsinternals.render_title(page),
        # MkDocs adds None for a raw-HTML `id` or `<a name>` written without a value: kept as it is
        "anchors": sorted(page.present_anchor_ids or (), key=lambda a: (a is None, a or "")),
        "links": None
        if page.links_to_anchors is None
        else {f.src_uri: dict(links) for f, links in page.links_to_anchors.items()},
    }


def _toc_tokens(page: Page) -> list[dict[str, Any]]:
    def token(item: Any) -> dict[str, Any]:
        return {"level": item.level, "id": item.id, "name": item.title, "children": [token(c) for c in item.children]}

    return [token(item) for item in page.toc.items]


def restore(page: Page, files: Files, entry: dict[str, Any]) -> None:
    page.content = entry["content"]
    page.toc = get_toc(entry["toc"])
    mkdocsinternals.set_render_title(page, entry["title"])
    page.present_anchor_ids = set(entry["anchors"])
    if entry["links"] is None or logging.getLogger("mkdocs").getEffectiveLevel() <= logging.DEBUG:
        return
    links = {}
    for src_uri, anchors in entry["links"].items():
        target = files.get_file_from_path(src_uri)
        if target is not None:  # the files are in the key: a file linked to is still there
            links[target] = anchors
    page.links_to_anchors = links


class Said(logging.Handler):
    """How many records of level INFO or above were logged (to the root or MkDocs' logger) while
    it was installed: a page that logged is not kept, so its warning is said again next time."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.count = 0

    @property
    def said(self) -> bool:
        return self.count > 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1

    def install(self) -> None:
        for name in ("", "mkdocs"):
            logging.getLogger(name).addHandler(self)

    def remove(self) -> None:
        for name in ("", "mkdocs"):
            logging.getLogger(name).removeHandler(self)

    def __enter__(self) -> Said:
        self.install()
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


def wrap(
    page: Page,
    cache: BuildCache,
    source_dir: Path,
    context: list[str],
    replay: Callable[..., bool] | None = None,
    missed: Callable[[Page], None] | None = None,
) -> None:
    """Make this page's `render` go through the cache. The key is taken when MkDocs renders, so
    it holds the Markdown every plugin's `on_page_markdown` left, not only ours. `replay`
    (pagecache.Outputs.replay) restores instead a page whose whole output is kept; `missed`
    (parallel.Pool.missed) hears of a page about to be converted."""

    def render(config: Any, files: Files) -> None:
        key = cache.key(page, files, source_dir, context)
        if replay is not None and replay(page, files, key):
            return

        def convert() -> None:
            if missed is not None:
                missed(page)
            converter.render(mkdocsinternals.page_render(), page, config, files)

        cache.render(page, config, files, key, convert)

    mkdocsinternals.replace_render(page, render)  # this page only: MkDocs calls page.render next
