"""The course search index: each page read as MkDocs renders it, the index written after the build.

Why our own index and not Pagefind's (which this replaced, docs/benchmarks.md): Pagefind's
WebAssembly, script and page list were 104 KB of a first query's bytes on a 1,000-lesson course
before any index was read, and the course must answer a query in 100 KB. This index needs no
WebAssembly (nor the policy's 'wasm-unsafe-eval') and no page list: a query fetches a small
entry file, the word files of its words (each word's pages with a score already computed, so no
page lengths travel), and for each result it draws the one section of the page it leads to.

Files under `search-index/` (not `search/`, which is Material's search plugin's, should a course
turn it on), all JSON, as README.md beside this module lays them out: `index.json` (the number of
pages, the word files there are, a version every other file is fetched with), `words/<hex of the
key>.json` (the words that start with the key, each leading to its stem's pages, scores and best
sections), `pages/<id>-<section>.json` (one section as a result shows it) and `filters.json`.
What gets indexed is decided in the templates and read by `searchpage`; a page read is kept with
the HTML it came from, so a rebuild under `mkdocs serve` reads only pages that changed.
"""

from __future__ import annotations

import bisect
import os
import re
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from tracksite.core import keptfiles, memo
from tracksite.core.memo import digest
from tracksite.core.site.plan import SEARCH_FOLDER
from tracksite.errors import UserError
from tracksite.search import stream
from tracksite.search.page import SearchPage, read_page
from tracksite.search.stream import key_hex as _key_hex
from tracksite.search.stream import lesson_parts as lesson_parts  # (the engine's tests call it here)
from tracksite.search.stream import shard as _shard
from tracksite.search.words import forms as word_forms
from tracksite.search.words import root, stem
from tracksite.search.words import words as title_words

OUTPUT = SEARCH_FOLDER
FORMAT = 3
#: Ranking (BM25): how fast repeats of a word stop adding to a page's score, and how much a long
#: page is held back for being long. 0.3 rather than the usual 0.75: a full lesson that teaches a
#: term is not ranked below its own short cheatsheet for being long.
K1, B = 1.2, 0.3
#: Page lengths are compared against a fixed length rather than the course's mean, so a page's
#: scores depend on that page alone and a rebuild re-scores only the pages that changed.
REFERENCE_LENGTH = 1500
#: A pair of first letters whose word file would list more pages than this is split by the third
#: letter, so a query reads a few KB for each of its words however large the course.
SPLIT_AT = 2000
CODE_WEIGHT = "0.5"
_CODE_BLOCK = re.compile(r'<div class="((?:[^"]*\s)?highlight(?:\s[^"]*)?)"')


class SearchIndexError(UserError):
    """The index could not be written; the message says why."""


def weigh_code(html: str) -> str:
    """Mark each highlighted code block of a page's content with its search weight: a code block
    repeats a term as an identifier (`def softmax`), and the section whose text explains the
    term is the one a result should lead to."""
    return _CODE_BLOCK.sub(lambda m: f'{m.group(0)} data-search-weight="{CODE_WEIGHT}"', html)


def best_sections(page: SearchPage, forms: dict[str, tuple[str, str, str]]) -> dict[str, int]:
    """For each stem (`forms`: each word's stem, root and folded form), the section of the page
    where it weighs most: where a result for it leads, the fragment the browser fetches for it.
    On a tie, where its root's words weigh most ("normalization" beside "normalize", not alone in
    the objectives), then the first (sections come in order: a later one must weigh more)."""
    root_of: dict[str, str] = {}  # a stem's root on the page: its first word's
    best: dict[str, tuple[float, float]] = {}
    where: dict[str, int] = {}
    for index, words in enumerate(page.section_words):  # one section at a time: its sums are its own
        weights: dict[str, float] = {}
        rooted: dict[str, float] = {}
        for word, weight in words.items():
            s, r, _ = forms[word]
            r = root_of.setdefault(s, r)
            weights[s] = weights.get(s, 0.0) + weight
            rooted[r] = rooted.get(r, 0.0) + weight
        for s, weight in weights.items():
            old = best.get(s)
            if old is None or weight >= old[0]:  # (the rank's second part only where it may tell)
                rank = (weight, rooted[root_of[s]])
                if old is None or rank > old:
                    best[s], where[s] = rank, index
    return where


def scores(page: SearchPage, per_stem: dict[str, float]) -> dict[str, int]:
    """Each stem's score on the page (`per_stem`: its words' weights summed): BM25's
    term-frequency part (from 1 to 99), with the length normalised against `REFERENCE_LENGTH`
    and times the page's weight, plus 100 for a stem of the page's title (search-engine.js adds
    half a match for it). A word a page teaches saturates its count within a few uses, so
    without the title a lesson named after a word would tie with every page that uses it often.
    The idf part is the query's, from the stem's page count."""
    titled = {stem(w, page.lang) for w in title_words(page.meta.get("title", ""), page.lang)}
    norm = K1 * (1 - B + B * page.length / REFERENCE_LENGTH)
    top = 99 * page.weight
    out = {}
    for s, tf in per_stem.items():
        q = round(top * tf / (tf + norm))
        out[s] = (1 if q < 1 else 99 if q > 99 else q) + (100 if s in titled else 0)
    return out


class _Read:
    """One page read for the index: its scores, each stem's section, its fragments (kept for the
    next build)."""

    __slots__ = ("page", "scores", "sections", "fragments", "keys")

    def __init__(self, page: SearchPage) -> None:
        forms = word_forms(page.words, page.lang)  # each word's stem, root and folded form
        per_stem: dict[str, float] = {}
        #: each word as a query finds it (folded) -> its stem
        keys: dict[str, str] = {}
        for (s, _, folded), weight in zip(forms.values(), page.words.values()):  # (in the words' order)
            per_stem[s] = per_stem.get(s, 0.0) + weight
            keys[folded] = s
        self.scores, self.keys = scores(page, per_stem), keys
        best = best_sections(page, forms)
        self.fragments, numbers = stream.fragment_files(page.url, page.meta, page.section_texts())
        top = numbers[0] if numbers else 0  # (a title-only stem: the top)
        self.sections = {s: numbers[best[s]] if s in best else top for s in self.scores}
        # what the index needs of the page later: not its words and sections, which a course's
        # pages all held until the index was written would make grow with the course
        self.page = SearchPage(page.url, {}, page.filters, [], {}, 0, lang=page.lang)

    def files(self, pid: int) -> dict[str, bytes]:
        return {f"pages/{pid}-{number}.json": data for number, data in enumerate(self.fragments)}


#: What the last build read, by URL: the page file's stamp (mtime and size; none for a page read as
#: it rendered), the HTML's length and hash, and the reading: a rebuild reads only changed pages.
_Kept = tuple[tuple[int, int] | None, tuple[int, int], "_Read | None"]
_READ_LOCK = threading.Lock()


def _held(name: str, make):
    """What the index keeps in the memory in use (core/memo.py; under serve the process's, across
    its rebuilds): "read" (above), "written" (what was last written into a site folder, file ->
    bytes digest: not written again under serve), "last" (the last index, `_next_index`)."""
    return memo.current().owned(f"search.{name}", make)


class Indexer:
    """One build's index: `add` reads each page as it renders, `finish` reads the pages a
    `--dirty` build did not render from the site and writes the index."""

    def __init__(self, spill: stream.Spill | None = None) -> None:
        #: each page's reading, or where it waits in `spill`
        self.pages: dict[str, _Read | stream.Handle | None] = {}
        #: each page's key in the whole-page cache (adapter/caches/pagecache.py), None where not kept
        self.keys: dict[str, str | None] = {}
        self._kept: dict[str, _Kept] = {}
        self._spill = spill
        self._recent: tuple[str, _Read | None] | None = None  # the last page read (`record`)
        self._closing = False
        self.seconds = 0.0
        self.indexed = 0

    @classmethod
    def streamed(cls, folder: str | None = None) -> Indexer:
        """The index of a `mkdocs build`: each page's reading waits in a temporary file in
        `folder` (stream.py), not in memory, and nothing is kept for a next build."""
        return cls(stream.Spill.open(folder))

    def _put(self, url: str, read: _Read | None, kept: _Kept | None) -> None:
        """Keep a page's reading; `kept`: what a next build compares (None in a build's spill)."""
        if self._spill is None:
            assert kept is not None
            self.pages[url], self._kept[url] = read, kept
            return
        self._recent = (url, read)
        if read is None:
            self.pages[url] = None
            return
        p = read.page
        try:
            self.pages[url] = self._spill.put(
                p.url, p.lang, p.filters, read.scores, read.sections, read.keys, read.fragments
            )
        except OSError as e:
            raise SearchIndexError(f"the search index could not be written: {e}") from None

    def add(self, html: str, url: str, stamp: tuple[int, int] | None = None) -> None:
        """Read a rendered page for the index, at its site-root URL ("/track/lesson/")."""
        start = time.perf_counter()
        if self._spill is not None:  # a build's: nothing is kept for a next one, so the page is not hashed
            page = read_page(html, url)
            self._put(url, _Read(page) if page is not None else None, None)
            self.seconds += time.perf_counter() - start
            return
        key = (len(html), hash(html))
        with _READ_LOCK:
            kept = _held("read", dict).get(url)
        if kept is not None and kept[1] == key:
            read = kept[2]
        else:
            page = read_page(html, url)
            read = _Read(page) if page is not None else None
        self._put(url, read, (stamp, key, read))
        self.seconds += time.perf_counter() - start

    def record(self, url: str) -> dict | None:
        """What `add` read of the page at `url`, as JSON the whole-page cache keeps
        (adapter/caches/pagecache.py): the index is then made alike from it in a later process."""
        read = self._recent[1] if self._recent is not None and self._recent[0] == url else self.pages.get(url)
        if not isinstance(read, _Read):
            return None
        p = read.page
        return {
            "url": p.url,
            "lang": p.lang,
            "filters": p.filters,
            "scores": read.scores,
            "sections": read.sections,
            "keys": read.keys,
            "fragments": [f.decode("utf-8") for f in read.fragments],
        }

    def add_record(self, url: str, html: str, record: dict | None, key: str | None = None) -> None:
        """The page at `url`, rendered as `html`, as `record` says `add` read it; `key`: the
        page's in the whole-page cache."""
        self.keys[url] = key
        read = None
        if record is not None:
            read = _Read.__new__(_Read)
            page = SearchPage(record["url"], {}, dict(record["filters"]), [], {}, 0, lang=record["lang"])
            read.page, read.scores, read.sections = page, dict(record["scores"]), dict(record["sections"])
            read.keys, read.fragments = dict(record["keys"]), [f.encode("utf-8") for f in record["fragments"]]
        self._put(url, read, (None, (len(html), hash(html)), read) if self._spill is None else None)

    def add_from_disk(self, site_dir: str | Path, pages: Iterable[tuple[str, str]]) -> None:
        """The pages (URL, file in the site) this build did not render, as the site holds them:
        a page file with the stamp it had when last read is not read again."""
        folder = str(site_dir)
        for url, dest in pages:
            if self._closing:
                return
            if not dest.endswith(".html"):
                continue
            path = os.path.join(folder, dest)  # (not a Path: 3,000 pages a save at 1,000 lessons)
            if url in self.pages:
                self._stamp_rendered(url, path)
                continue
            try:
                info = os.stat(path)
            except OSError:
                continue
            stamp = (info.st_mtime_ns, info.st_size)
            with _READ_LOCK:
                kept = _held("read", dict).get(url)
            if kept is not None and kept[0] == stamp:
                self._put(url, kept[2], kept)
            else:
                self.add(Path(path).read_text(encoding="utf-8", errors="replace"), url, stamp)

    def _stamp_rendered(self, url: str, path: str) -> None:
        """A page read as it rendered, with the stamp of the file the build wrote from the same
        text: the next build does not read it again (the first save under serve read 3,000 pages
        back at 1,000 lessons). Nothing else writes the site meanwhile (the next build stops this)."""
        kept = self._kept.get(url)
        if kept is not None and kept[0] is None:
            try:
                info = os.stat(path)
            except OSError:
                return
            self._kept[url] = ((info.st_mtime_ns, info.st_size), kept[1], kept[2])

    def finish(self, site_dir: str | Path, pages: Iterable[tuple[str, str]], kept: Path | None = None) -> None:
        """Index the pages this build did not render, then write the index."""
        self.add_from_disk(site_dir, pages)
        self.write(site_dir, kept)

    def write(self, site_dir: str | Path, kept: Path | None = None) -> None:
        """Write the index into `site_dir/search-index/`, replacing what was there; `kept`: the
        folder of the last build's files, linked where they are the same (keptfiles.py)."""
        start = time.perf_counter()
        try:
            if self._closing:  # a newer build replaces this index: keep only what was read
                with _READ_LOCK:
                    _held("read", dict).update(self._kept)
                return
            read = {url: r for url, r in sorted(self.pages.items()) if r is not None}
            self.indexed = len(read)
            out, key = Path(site_dir) / OUTPUT, self._pages_key()  # (pages all kept whole: the index too)
            if kept is None or key is None or not keptfiles.link_listed(kept, str(out), key):
                names = self._write_streamed(out, read, kept) if self._spill is not None else None
                if self._spill is None:
                    stop = lambda: self._closing  # noqa: E731 - (a newer build: it writes its own index)
                    made = _next_index(list(read), list(read.values()), stop)  # type: ignore[arg-type]  # (readings, no spill)
                    if made is not None and not stop():
                        names = _write_files(out, made[0], kept, made[1], stop)
                if names is not None and kept is not None:
                    keptfiles.keep_list(kept, names, key)
            with _READ_LOCK:
                _held("read", dict).clear()
                _held("read", dict).update(self._kept)
        except OSError as e:
            raise SearchIndexError(f"the search index could not be written: {e}") from None
        finally:
            self.seconds += time.perf_counter() - start
            if self._spill is not None:
                self._spill.close()

    def _write_streamed(self, out: Path, read: dict, kept: Path | None) -> list[str] | None:
        """Write the index from the spill: each file as it is made (stream.py)."""
        assert self._spill is not None
        _held("last", list).clear()  # (an earlier build's index in this process: let go, not this one's base)
        writer = stream.Writer(out, kept, _held("written", dict), remember=False)
        self._spill.write(list(read.items()), writer, SPLIT_AT, FORMAT, lambda: self._closing)
        if self._closing:  # stopped halfway: what is in the folder is not what `_held("written", dict)` holds
            _held("written", dict).pop(writer.folder, None)
            return None
        return writer.close()

    def _pages_key(self) -> str | None:
        """The index's key when every page's output was kept whole (its reading follows from it)."""
        if any(self.keys.get(url) is None for url in self.pages):
            return None
        return digest(f"{url} {self.keys[url]}" for url in sorted(self.pages))

    def close(self, *, now: bool = False) -> None:
        """Stop: an index finishing in the background writes nothing more (a rebuild replaces it)."""
        self._closing = True
        if self._spill is not None:  # (a build's: written by the thread that closes it)
            self._spill.close()


class _Index:
    """An index being written, with what it was made from: under serve, the next one of the same
    pages is made from it by difference (anew, 0.3 s at 1,000 lessons)."""

    def __init__(self, reads: list[_Read], stop: Callable[[], bool] = bool) -> None:
        """`stop`: asked now and then; True (a newer build started) leaves it unfinished."""
        self.reads = list(reads)
        self.groups: dict[str, tuple[list[int], list[int], list[int]]] = {}  # stem -> pages, scores, sections
        self.pairs: dict[str, dict[str, int]] = {}  # first two letters -> word -> pages with it
        self.stem_pairs: dict[str, set[str]] = {}  # the pairs a stem's words start with
        self.stem_of: dict[str, str] = {}  # each word's stem
        self.root_of: dict[str, str] = {}  # each stem's root (words.root: Snowball's stem)
        self.keys: dict[str, list[str]] = {}  # pair -> the keys of its word files
        self.files: dict[str, bytes] = {}
        self.digests: dict[str, bytes] = {}  # each file's `stream.file_digest`, kept as it changes
        self._order: list[str] | None = None  # the files' paths sorted, until one comes or goes
        self._pending: set[str] = set()  # pairs whose word files an update stopped before making
        self.finished = self._fill(stop)

    def _fill(self, stop: Callable[[], bool]) -> bool:
        for pid, read in enumerate(self.reads):
            if pid % 512 == 0 and stop():
                return False
            self._count(pid, read, 1)
            self._set_all(read.files(pid))
        for n, pair in enumerate(list(self.pairs)):
            if n % 64 == 0 and stop():
                return False
            self._shards(pair)
        self._entry()
        return True

    def update(self, reads: list[_Read], stop: Callable[[], bool] = bool) -> bool:
        """The same pages' index, some read anew; False when `stop` said so first (asked before
        each word file: the next update makes those left first)."""
        stems: set[str] = set()
        pairs = self._pending
        for pid, (old, new) in enumerate(zip(self.reads, reads, strict=True)):
            if old is new:
                continue
            stem_was = {w: self.stem_of.get(w) for w in new.keys}
            for read, sign in ((old, -1), (new, 1)):
                self._count(pid, read, sign)
            # only the word files whose words, or stems' pages, scores or sections, changed
            stems.update(s for s in old.scores.keys() | new.scores.keys() if _given(old, s) != _given(new, s))
            pairs.update(w[:2] for w in old.keys.keys() | new.keys.keys() if old.keys.get(w) != new.keys.get(w))
            pairs.update(w[:2] for w, was in stem_was.items() if self.stem_of.get(w) != was)
            for path in old.files(pid):
                self._drop(path)
            self._set_all(new.files(pid))
        self.reads = list(reads)
        for s in stems:
            pairs.update(self.stem_pairs.get(s, ()))
        while pairs:
            if stop():
                return False
            self._shards(pairs.pop())
        self._entry()
        return True

    def _count(self, pid: int, read: _Read, sign: int) -> None:
        """Add (sign 1) or take out (-1) one page's stems and words."""
        for s, q in read.scores.items():
            ids, scores, sections = self.groups.setdefault(s, ([], [], []))
            at = bisect.bisect_left(ids, pid)
            if sign > 0:
                ids.insert(at, pid)
                scores.insert(at, q)
                sections.insert(at, read.sections[s])
            elif at < len(ids) and ids[at] == pid:
                del ids[at], scores[at], sections[at]
        for word, s in read.keys.items():
            counts = self.pairs.setdefault(word[:2], {})
            counts[word] = counts.get(word, 0) + sign
            if sign > 0:
                self.stem_of[word] = s
                self.root_of.setdefault(s, root(word, read.page.lang))
                self.stem_pairs.setdefault(s, set()).add(word[:2])

    def _shards(self, pair: str) -> None:
        """The word files of the words starting with `pair`: one, or one per third letter when
        the pair's pages pass SPLIT_AT."""
        for key in self.keys.pop(pair, []):
            self._drop(f"words/{_key_hex(key)}.json")
        words = [w for w, n in self.pairs.get(pair, {}).items() if n > 0]
        if not words:
            return
        pages = sum(len(self.groups[s][0]) for s in {self.stem_of[w] for w in words})
        by_key = stream.split_keys(words, pages, SPLIT_AT)
        self.keys[pair] = sorted(by_key)
        for key, in_key in by_key.items():
            self._set(f"words/{_key_hex(key)}.json", _shard(sorted(in_key), self.groups, self.stem_of, self.root_of))

    def _entry(self) -> None:
        """The filter file and the entry file, which name every page and every word file."""
        filters: dict[str, dict[str, list[int]]] = {}
        for pid, read in enumerate(self.reads):
            for name, value in read.page.filters.items():
                filters.setdefault(name, {}).setdefault(value, []).append(pid)
        self._set("filters.json", stream.filters_file(filters))
        self._drop("index.json")
        if self._order is None:
            self._order = sorted(self.files)
        version = stream.version_of((path, self.digests[path]) for path in self._order)
        languages = {read.page.lang for read in self.reads}
        urls = [read.page.url for read in self.reads]
        self._set("index.json", stream.entry_file(version, FORMAT, self.keys, languages, urls))

    def _set(self, path: str, data: bytes) -> None:
        if path not in self.files and path != "index.json":
            self._order = None
        self.files[path], self.digests[path] = data, stream.file_digest(data)

    def _set_all(self, files: dict[str, bytes]) -> None:
        for path, data in files.items():
            self._set(path, data)

    def _drop(self, path: str) -> None:
        if self.files.pop(path, None) is not None:
            del self.digests[path]
            if path != "index.json":
                self._order = None


def _given(read: _Read, s: str) -> tuple[int | None, int | None]:
    return read.scores.get(s), read.sections.get(s)  # (a stem's score and section on a page)


def _write_files(
    out: Path,
    files: dict[str, bytes],
    kept: Path | None = None,
    digests: dict[str, bytes] | None = None,
    stop: Callable[[], bool] = bool,
) -> list[str] | None:
    """Write the index; under serve, only the files that changed since the last write there
    (`digests`: theirs, when kept). None when `stop` said so first (the next write goes on)."""
    writer = stream.Writer(out, kept, _held("written", dict))
    digests = digests or {}
    for n, (path, data) in enumerate(files.items()):
        if n % 1024 == 0 and stop():
            writer.abandon()
            return None
        writer.put(path, data, digests.get(path))
    return writer.close()


def _next_index(
    urls: list[str], reads: list[_Read], stop: Callable[[], bool] = bool
) -> tuple[dict[str, bytes], dict[str, bytes]] | None:
    """The index of these pages (its files and their digests): from the last one when it had the
    same pages, else anew (seconds at 10,000 lessons); None when `stop` said so first."""
    last: list[tuple[list[str], _Index]] = _held("last", list)  # (by its pages' URLs: made again by difference)
    if last and last[0][0] == urls:
        index = last[0][1]
        if not index.update(reads, stop):
            return None
    else:
        last.clear()
        index = _Index(reads, stop)
        if not index.finished:  # (a newer build started: it makes its own)
            return None
        last[:] = [(urls, index)]
    return dict(index.files), dict(index.digests)
