"""The search index of `mkdocs build` made from a temporary file, and the index's files written one
at a time.

Why: a 10,000-lesson build held every page's reading (each stem's score and best section, each
word's stem, the text of every section) from the page's rendering to the build's end, then the
whole index in memory before writing it: what made its build's process grow from 1.0 to 1.68 GB
(docs/benchmarks.md, "Memory"). Here each reading goes into an anonymous temporary file in the
course's state folder as the page is read (`Spill.put`: marshal, and the page's fragment files as
they will be written), and `Spill.write` goes over the readings once, in the index's page order:
each stem's pages, scores and sections are packed in arrays (10 bytes a page), the words are the
course's vocabulary, and every file is written as it is made and let go. Under `mkdocs serve` the
readings stay in memory instead (index.py): a rebuild reads only the pages that changed and makes
the next index by difference. Both make the same files, byte for byte (tests/search/test_search.py).
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import shutil
import tempfile
from array import array
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any, NamedTuple

from tracksite.core import keptfiles
from tracksite.search.words import root

#: Where a page's reading is in the temporary file: the reading's offset and length, then its
#: fragments' offset and each one's length.
Handle = tuple[int, int, int, tuple[int, ...]]
#: A stem's pages, in page order, with its score and best section on each.
Group = tuple[Any, Any, Any]


#: One encoder for every file (`json.dumps` with options makes a new one each call).
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


#: A string as `_encode` writes it (without ASCII escapes), with no encoder's call around it.
_string = json.encoder.encode_basestring


def dump(data: object) -> bytes:
    return _encode(data).encode("utf-8")


#: A fragment file's size up to which a page's next section joins it (bytes, before the section):
#: a result fetches the file holding its section, so a page's short sections share a file
#: rather than having a file each. Writing a file was most of the index's cost (a tenth of a
#: millisecond a file on ext4, 21 a lesson); a larger file is more bytes for each result a
#: learner's search draws (five at a time). At 512 bytes a lesson's pages have about 13 files
#: rather than 21, and a result fetches about 0.45 KB gzipped rather than 0.3 KB: at 1 KB, 8 files
#: but 0.6 KB, which took a first query on the bundled course past its 20 KB (docs/benchmarks.md).
FRAGMENT_BYTES = 512
#: A section's number in the index: its file's number times this plus its place in the file.
PER_FILE = 256


def fragment_files(
    url: str, meta: dict[str, str], sections: Iterable[tuple[str, str, str]]
) -> tuple[list[bytes], list[int]]:
    """A page's fragment files, each {"url", "meta", "sections": [[anchor, title, text], ...]}
    (`sections`: page.py's `SearchPage.section_texts`, in page order, packed into files of
    about `FRAGMENT_BYTES`), and each section's number: `PER_FILE` times its file's number
    plus its place there, which keeps the sections' order (search-engine.js takes the first
    of tied sections)."""
    head, string = _encode({"url": url, "meta": meta})[:-1] + ',"sections":[', _string
    files: list[bytes] = []
    numbers: list[int] = []
    parts: list[str] = []
    size = 0
    for a, t, x in sections:
        if parts and (size >= FRAGMENT_BYTES or len(parts) == PER_FILE):
            files.append((head + ",".join(parts) + "]}").encode())
            parts, size = [], 0
        part = f"[{string(a)},{string(t)},{string(x)}]"
        numbers.append(len(files) * PER_FILE + len(parts))
        parts.append(part)
        size += len(part)
    files.append((head + ",".join(parts) + "]}").encode())
    return files, numbers


def gaps(ids: Iterable[int]) -> list[int]:
    ids = list(ids)
    return [b - a for a, b in zip([-1, *ids], ids, strict=False)]


def key_hex(key: str) -> str:
    return key.encode("utf-8").hex()


def shard(words: list[str], groups: dict[str, Group], stem_of: dict[str, str], root_of: dict[str, str]) -> bytes:
    """A word file: each word's group, each group's stem (the browser matches a query's other word
    forms to it: search-engine.js's `forms`), pages, scores and sections; `roots`: a group's root
    where it is not its stem ("encoder": "encod"; a query matches a root's groups at half weight)."""
    order: dict[str, int] = {}
    for w in words:
        order.setdefault(stem_of[w], len(order))
    data = {
        "words": {w: order[stem_of[w]] for w in words},
        "stems": list(order),
        "groups": [[gaps(groups[s][0]), list(groups[s][1]), list(groups[s][2])] for s in order],
    }
    roots = {str(i): root_of[s] for s, i in order.items() if root_of.get(s, s) != s}
    return dump({**data, "roots": roots} if roots else data)


def split_keys(words: list[str], pages: int, split_at: int) -> dict[str, list[str]]:
    """The word files of one pair of first letters: one, or one per third letter when the pair's
    pages pass `split_at` (index.py's SPLIT_AT)."""
    split = pages > split_at and any(len(w) > 2 for w in words)
    by_key: dict[str, list[str]] = {}
    for w in words:
        by_key.setdefault(w[:3] if split else w[:2], []).append(w)
    return by_key


#: A lesson's other pages, at these addresses under its own.
LESSON_PARTS = ("overview/", "cheatsheet/")


def lesson_parts(urls: list[str]) -> list[int]:
    """The ids of the pages that are part of the lesson just before them: its overview and
    cheatsheet, which sort right after the lesson (ids are in URL order). The engine brings the
    best result's overview and cheatsheet up after it, before another lesson's passing mention
    (search-engine.js)."""
    heads: dict[int, int] = {}  # part -> its lesson
    at = {url: i for i, url in enumerate(urls)}
    for i, url in enumerate(urls):
        lesson = next((url[: -len(p)] for p in LESSON_PARTS if url.endswith("/" + p)), None)
        head = at.get(lesson) if lesson else None
        if head is not None and i > 0 and heads.get(i - 1, i - 1) == head:
            heads[i] = head
    return sorted(heads)


def filters_file(filters: dict[str, dict[str, list[int]]]) -> bytes:
    return dump({n: {v: gaps(ids) for v, ids in sorted(f.items())} for n, f in sorted(filters.items())})


def entry_file(version: str, fmt: int, keys: dict[str, list[str]], languages: set[str], urls: list[str]) -> bytes:
    """The entry file, which names every page and every word file (`keys`: each pair's)."""
    split = sorted(pair for pair, ks in keys.items() if ks != [pair])
    return dump(
        {
            "format": fmt,
            "version": version,
            "pages": len(urls),
            "shards": sorted(k for ks in keys.values() for k in ks),
            "split": split,
            "languages": sorted(languages),
            "family": gaps(lesson_parts(urls)),
        }
    )


def file_digest(data: bytes) -> bytes:
    """A file's digest: what the index's version is made from, and what serve compares to leave
    a file that did not change alone (SHA-256: twice BLAKE2's speed where the processor computes
    it, as most do now)."""
    return hashlib.sha256(data).digest()[:16]


def version_of(digests: Iterable[tuple[str, bytes]]) -> str:
    """The index's version, from its files' digests in path order: it changes when any file does,
    and under serve it is worked out from the digests kept, not from every file's bytes again
    (15 MB at 1,000 lessons, a tenth of a second a save)."""
    version = hashlib.sha256()
    for path, digest in digests:
        version.update(path.encode() + b"\0" + digest + b"\0")
    return version.hexdigest()[:12]


class Written(NamedTuple):
    """What a write left in a folder: each file's digest, and each of its folders' stamp then."""

    digests: dict[str, bytes]
    stamps: dict[str, tuple[int, int, int] | None]


def _stamp(folder: str) -> tuple[int, int, int] | None:
    try:
        info = os.stat(folder)
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_ctime_ns


class Writer:
    """The index's files written into `out` one at a time; under serve (`written`: what the last
    write there left), only those that changed since. A file the last write left is trusted to
    be there while its folder's stamp is the one that write saw (a file removed or added changes
    it), so a save does not ask the system about 22,000 files at 1,000 lessons; in a folder whose
    stamp moved, each file is looked for. `remember` False (a build): no digest is kept for a
    next write (224,000 of them at 10,000 lessons)."""

    def __init__(self, out: Path, kept: Path | None, written: dict[str, Written], remember: bool = True) -> None:
        self.folder, self._written, self._remember = str(out.resolve()), written, remember
        last = written.get(self.folder) if out.is_dir() else None
        if last is None:
            if out.exists():
                shutil.rmtree(out)
            last = Written({}, {})
        self.before: dict[str, bytes] = last.digests
        self._steady = {d for d, stamp in last.stamps.items() if stamp is not None and _stamp(self._at(d)) == stamp}
        self.digests: dict[str, bytes] = {}
        self.names: list[str] = []
        self._made: set[str] = set()  # folders known to exist: thousands of files go into a few folders
        self._store = keptfiles.Kept(kept if not self.before else None)  # (a folder written anew only)

    def _at(self, path: str) -> str:
        return os.path.join(self.folder, path)

    def put(self, path: str, data: bytes, digest: bytes | None = None) -> None:
        """Write `path` (`digest`: its data's `file_digest`, when the caller has it)."""
        self.names.append(path)
        if self.before or self._remember:
            digest = digest or file_digest(data)
            if self._remember:
                self.digests[path] = digest
            if self.before.get(path) == digest and (
                path.rpartition("/")[0] in self._steady or os.path.isfile(self._at(path))
            ):
                return
        target = self._at(path)
        parent = os.path.dirname(target)
        if parent not in self._made:
            os.makedirs(parent, exist_ok=True)
            self._made.add(parent)
        self._store.put(path, target, data)

    def abandon(self) -> None:
        """Stop before the last file: each file put so far is as its digest says, every other one
        as the last write left it (nothing is removed before `close`), and a next write starts
        from that."""
        if self._remember:
            digests = {**self.before, **self.digests}
            folders = {path.rpartition("/")[0] for path in digests}
            self._written[self.folder] = Written(digests, {d: _stamp(self._at(d)) for d in folders})
        else:
            self._written.pop(self.folder, None)

    def close(self) -> list[str]:
        """Remove what the last write had and this one does not; the files written."""
        for path in set(self.before) - set(self.names) if self.before else ():
            Path(self.folder, path).unlink(missing_ok=True)
        self._store.prune()
        if self._remember:
            stamps = {d: _stamp(self._at(d)) for d in {path.rpartition("/")[0] for path in self.names}}
            self._written[self.folder] = Written(self.digests, stamps)
        else:
            self._written.pop(self.folder, None)
        return self.names


class Spill:
    """One build's readings in a temporary file: `put` as each page is read, `write` at the end."""

    def __init__(self, folder: str | None) -> None:
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="tracksite-search-", dir=folder)
        self._end = 0

    @classmethod
    def open(cls, folder: str | None) -> Spill | None:
        """A spill in `folder` (the system's temporary folder where it cannot be), or None."""
        for where in (folder, None) if folder else (None,):
            try:
                return cls(where)
            except OSError:
                continue
        return None

    def put(
        self, url: str, lang: str, filters: dict, scores: dict, sections: dict, keys: dict, fragments: list
    ) -> Handle:
        data = marshal.dumps((url, lang, filters, scores, sections, keys))
        at = self._end
        self._file.write(data)
        for f in fragments:
            self._file.write(f)
        self._end += len(data) + sum(len(f) for f in fragments)
        return at, len(data), at + len(data), tuple(len(f) for f in fragments)

    def _read(self, at: int, size: int) -> bytes:
        self._file.seek(at)
        return self._file.read(size)

    def close(self) -> None:
        self._file.close()

    def write(
        self, pages: list[tuple[str, Handle]], writer: Writer, split_at: int, fmt: int, stop: Callable[[], bool]
    ) -> None:
        """Write the index of `pages` (in page order) with `writer`: the files `index._Index` makes."""
        self._file.flush()
        groups: dict[str, Group] = {}
        stem_of: dict[str, str] = {}
        root_of: dict[str, str] = {}
        pairs: dict[str, dict[str, None]] = {}
        filters: dict[str, dict[str, list[int]]] = {}
        languages: set[str] = set()
        urls: list[str] = []
        for pid, (_, (at, size, _f, _l)) in enumerate(pages):
            url, lang, page_filters, scores, sections, keys = marshal.loads(self._read(at, size))
            urls.append(url)
            languages.add(lang)
            for name, value in page_filters.items():
                filters.setdefault(name, {}).setdefault(value, []).append(pid)
            for s, q in scores.items():
                ids, qs, secs = groups.get(s) or groups.setdefault(s, (array("I"), array("H"), array("I")))
                ids.append(pid)
                qs.append(q)
                secs.append(sections[s])
            for word, s in keys.items():
                if stem_of.get(word) == s:  # (most of a page's words: an earlier page had them)
                    continue
                pairs.setdefault(word[:2], {})[word] = None
                stem_of[word] = s
                if s not in root_of:
                    root_of[s] = root(word, lang)
        if stop():
            return
        keys_of: dict[str, list[str]] = {}
        files: list[tuple[str, list[str]]] = []
        for pair, in_pair in pairs.items():
            words = list(in_pair)
            by_key = split_keys(words, sum(len(groups[s][0]) for s in {stem_of[w] for w in words}), split_at)
            keys_of[pair] = sorted(by_key)
            files.extend((key, sorted(ws)) for key, ws in by_key.items())
        del pairs
        version = hashlib.sha256()  # (`version_of`, made as the files are)

        def put(path: str, data: bytes) -> None:
            digest = file_digest(data)
            version.update(path.encode() + b"\0" + digest + b"\0")
            writer.put(path, data, digest)

        put("filters.json", filters_file(filters))
        for pid in sorted(range(len(pages)), key=str):  # as the paths sort: "pages/1-0", "pages/10-0", "pages/2-0"
            _at, _size, at, lengths = pages[pid][1]
            blob = self._read(at, sum(lengths))
            starts = [sum(lengths[:i]) for i in range(len(lengths))]
            for i in sorted(range(len(lengths)), key=str):
                put(f"pages/{pid}-{i}.json", blob[starts[i] : starts[i] + lengths[i]])
            if stop():
                return
        files.sort(key=lambda kw: kw[0].encode("utf-8"))  # (a key's hex sorts as its bytes)
        for key, ws in files:
            put(f"words/{key_hex(key)}.json", shard(ws, groups, stem_of, root_of))
        writer.put("index.json", entry_file(version.hexdigest()[:12], fmt, keys_of, languages, urls))
