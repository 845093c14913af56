"""Results that depend on one file's text alone, remembered across `mkdocs serve` rebuilds.

`mkdocs serve` loads and checks the whole project again after every save. What depends on one
file's text alone (its parsed front-matter, its links, anchors and active-content findings) is
remembered here, keyed by that text, so a rebuild redoes it only for the files that changed.

Finding which files changed cost a call to the file system per file (a stamp, a walk of each
lesson's folder): at 1,000 lessons a third of a rebuild. Under `mkdocs serve` the watcher reports
every change in the folders it watches, so what the system said of a file there (`kept_fact`:
its text's stamp, a folder's stamps) is taken again without asking while the watcher reported
no change at or under or above it since (`watching`); elsewhere, and without a watcher, the system is asked.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
MEMO_MAX = 200_000  # a course's whole check up to about 8,000 pages (25 entries a page)
#: Under `mkdocs serve`, at least this many results a page (`grow`): a check remembers about 25.
SERVE_PER_PAGE = 40
#: At most this many results once a build's pages render (`limit`): a page reads its own a few
#: times as it converts, none of another page's.
RENDERING_MAX = 256
#: At most this many results of its own in a forked helper (`inherit`).
HELPER_MAX = 256
_MISSING = object()


class Memory:
    """What one `tracksite check`, one build, or one `mkdocs serve` process remembers while it
    runs: every value that lived in a module global before (issue 87), so that its lifetime is
    its owner's. `tracksite check` and `mkdocs build` make a fresh one (passed to `checks.check`);
    the serve process keeps one across its rebuilds (adapter/serve/process.py), as do `check
    --watch` and the language server; a test makes its own instead of resetting modules by hand.
    The one in use is `current()`."""

    def __init__(self) -> None:
        self.results: dict[tuple, object] = {}  # `memo`: results by key
        self.results_max = MEMO_MAX
        #: In a forked helper, what the process it was forked from remembered, looked up but never changed.
        self.inherited: dict[tuple, object] = {}
        #: The folders whose every change the watcher of `mkdocs serve` reports (`watching`), each
        #: ending in the separator; what the system said of paths in those folders, by kind and
        #: paths (`kept_fact`); and, of the paths the watcher reported changed since the build
        #: before, each with every folder above it (`above`) and each as a folder (`below`).
        self.watched: tuple[str, ...] = ()
        self.facts: dict[tuple[str, tuple[str, ...]], object] = {}
        #: The keys of `facts` by each of their paths (`at`) and by each folder above one of their
        #: paths (`under`): a save drops the facts at, above or under what it changed by looking
        #: them up, not by testing every fact kept (5,000 and more at 1,000 lessons). A key may
        #: stay listed after its fact is dropped: it is dropped again, or kept again, harmlessly.
        self.at: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
        self.under: dict[str, set[tuple[str, tuple[str, ...]]]] = {}
        self.above: frozenset[str] = frozenset()
        self.below: tuple[str, ...] = ()
        self._owned: dict[str, Any] = {}  # (`owned`)

    def owned(self, name: str, make):
        """The value `name` of a module that keeps something here (the sources' texts, the search
        index's last reading, the check's last run), made by `make()` when first asked for."""
        found = self._owned.get(name, _MISSING)
        if found is _MISSING:
            found = self._owned[name] = make()
        return found

    def keep(self, name: str, value: Any) -> None:
        """Hold `value` as `name` (`owned`), in place of what was held."""
        self._owned[name] = value

    def forget(self, name: str) -> None:
        """Let go of the value `name` (`owned`): made again when next asked for."""
        self._owned.pop(name, None)


_IN_USE = [Memory()]  # (the one module-level holder of what a check or build remembers)


def current() -> Memory:
    """The memory in use: the check's, the build's, or the serve process's (`use`)."""
    return _IN_USE[0]


def use(memory: Memory) -> Memory:
    """Make `memory` the one in use from now on; the one used before."""
    before, _IN_USE[0] = _IN_USE[0], memory
    return before


@contextlib.contextmanager
def using(memory: Memory):
    """`memory` in use inside the block, the one before after it (a test's)."""
    before = use(memory)
    try:
        yield memory
    finally:
        use(before)


def limit(entries: int = MEMO_MAX) -> None:
    """Remember at most `entries` results from now on, forgetting all if more are held. A check
    reads each file in many passes and `mkdocs serve` checks again after each save, so both
    remember the whole course; once `mkdocs build` has checked, each page needs its own results
    once as it renders, and the course's (80 MB at 300 lessons: the prose lines, masked code,
    parsed blocks of every page) would be held to its end for nothing."""
    memory = _IN_USE[0]
    memory.results_max = entries
    if len(memory.results) > entries:
        memory.results.clear()


def grow(pages: int) -> None:
    """Under `mkdocs serve`: remember every page's results, however large the course. With
    the fixed limit a 10,000-lesson course (32,000 pages, 800,000 results) filled it twice in
    each check, so every save forgot them all, every page looked changed and the save's check
    read the whole course again: 96-169 s a save. Kept, they cost about 0.12 MB a lesson, the
    memory a serve run holds anyway."""
    memory = _IN_USE[0]
    memory.results_max = max(memory.results_max, MEMO_MAX, pages * SERVE_PER_PAGE)


def inherit(entries: int = HELPER_MAX) -> None:
    """In a helper forked from the build (core/forked.py): what the build remembered stays as it
    is, looked up, and at most `entries` results of the helper's own are kept. A helper reads each
    page in each of its passes and then ends, so it needs a page's results only while on that
    page; kept, they grew it by 56 MB at 1,000 lessons, memory counted beside the build's."""
    memory = _IN_USE[0]
    if memory.results:  # (the same dict stays: some passes read it by name)
        memory.inherited = {**memory.inherited, **memory.results}
        memory.results.clear()
    memory.results_max = entries


def memo(key: tuple, compute):
    # one lookup, no exception on a miss: a check asks about 130 times a lesson, half of them misses
    memory = _IN_USE[0]
    results = memory.results
    found = results.get(key, _MISSING)
    if found is not _MISSING:
        return found
    if memory.inherited:
        found = memory.inherited.get(key, _MISSING)
        if found is not _MISSING:
            return found
    if len(results) >= memory.results_max:
        results.clear()
    value = results[key] = compute()
    return value


def digest(parts: Iterable[str | bytes], size: int = 20) -> str:
    """One digest of many parts (text or bytes), each ended so that no two lists give the same
    stream: the keys of what is remembered here and in the course's state folder (SHA-256, twice
    BLAKE2's speed where the processor computes it, as most do now), `size` bytes of it."""
    h = hashlib.sha256()
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()[: 2 * size]


def stable_text(value: Any) -> str:
    """A value as text that is the same in every process, for the keys of the state folder's caches:
    sets and dicts in sorted order (their own order follows the process's random string
    hashing), dataclasses field by field, functions by their qualified name, an object with a
    `config` of settings (a Markdown extension) by its class and those settings; memory
    addresses dropped (a text that still differs only makes a cache miss, never hit wrongly)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = ",".join(f"{f.name}={stable_text(getattr(value, f.name))}" for f in dataclasses.fields(value))
        return f"{type(value).__qualname__}({fields})"
    if isinstance(value, dict):
        return "{" + ",".join(sorted(f"{stable_text(k)}:{stable_text(v)}" for k, v in value.items())) + "}"
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(map(stable_text, value)) if isinstance(value, set | frozenset) else map(stable_text, value)
        return "[" + ",".join(items) + "]"
    if callable(value) and hasattr(value, "__qualname__"):
        return f"{getattr(value, '__module__', '?')}.{value.__qualname__}"
    if isinstance(value, str | int | float | bool) or value is None:
        return repr(value)
    state = getattr(value, "config", None)
    if isinstance(state, dict) and state:
        cls = type(value)
        own = stable_text({k: v[0] if isinstance(v, list) and v else v for k, v in state.items()})
        return f"{cls.__module__}.{cls.__qualname__}({own})"
    return _ADDRESS.sub("", repr(value))


#: More changes than this in one build (a checkout, a new copy of the course): every fact is asked again.
_CHANGED_MAX = 100


def watching(folders: Iterable[str] | None, changed: Iterable[str] | None = None) -> None:
    """Before a build: the folders a watcher follows (None: none, and every fact is asked for
    again) and the paths it reported changed since the last build (None: not known, as for a
    build the watcher did not ask for, so nothing is taken without asking). A folder whose path
    holds a symbolic link is not trusted: its files would be reported under another path."""
    memory = _IN_USE[0]
    roots = tuple(
        os.path.join(os.path.abspath(f), "") for f in folders or () if os.path.realpath(f) == os.path.abspath(f)
    )
    paths = [os.path.abspath(p) for p in changed or ()]
    if changed is None or roots != memory.watched or len(paths) > _CHANGED_MAX:
        _forget_facts(memory)
    memory.watched = roots
    memory.above = frozenset(folder for p in paths for folder in (p, *map(str, Path(p).parents)))
    memory.below = tuple(os.path.join(p, "") for p in paths)
    if paths and memory.facts:  # what the save touched, at, above or under it: asked again
        touched = [memory.at.get(path, ()) for path in memory.above] + [memory.under.get(path, ()) for path in paths]
        for key in {key for keys in touched for key in keys}:
            memory.facts.pop(key, None)


def trusted() -> tuple[str, ...]:
    """The folders whose facts are kept now (`watching`)."""
    return _IN_USE[0].watched


def _forget_facts(memory: Memory) -> None:
    memory.facts.clear()
    memory.at.clear()
    memory.under.clear()


def _index_fact(memory: Memory, key: tuple[str, tuple[str, ...]]) -> None:
    """List a kept fact's key by its paths and every folder above them."""
    for path in key[1]:
        memory.at.setdefault(path, set()).add(key)
        folder, up = path, os.path.dirname(path)
        while up != folder:
            memory.under.setdefault(up, set()).add(key)
            folder, up = up, os.path.dirname(up)


def _unchanged(path: str) -> bool:
    """Whether `path` is in a watched folder and no reported change is it, under it or above it."""
    memory = _IN_USE[0]
    if not memory.watched or not (path + os.sep).startswith(
        memory.watched
    ):  # (a watched folder itself: its entries are reported)
        return False
    return path not in memory.above and not path.startswith(memory.below)


def kept_fact(kind: str, paths: tuple[str, ...], ask):
    """What the system says of `paths` (`ask()`), asked once while the watcher reports no change
    at, under or above any of them (`watching`); asked every time otherwise. None is not kept."""
    key, memory = (kind, paths), _IN_USE[0]
    found = memory.facts.get(key, _MISSING)
    if found is not _MISSING:
        return found
    value = ask()
    if value is not None and memory.watched and all(map(_unchanged, paths)):
        memory.facts[key] = value
        _index_fact(memory, key)
    return value


def folder_stamp(folder: Path) -> tuple:
    """Names, sizes and times of the files under a page's folder (its widgets' data files)."""
    return kept_fact("walk", (str(folder),), lambda: _folder_stamp(folder))


def _folder_stamp(folder: Path) -> tuple:
    out = []
    for dirpath, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                st = os.stat(os.path.join(dirpath, name))
                out.append((dirpath, name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))


#: A track's load, kept between the rebuilds of one `mkdocs serve` run (core/loader.py): a lesson
#: the save did not touch was taken from memory (`_Loader.load_lesson`, by its folder's stamps),
#: but that still asked for a stamp and looked up a remembered load for each of the course's
#: lessons, a fifth of a save's processor time at 1,000 lessons. The watcher reports every change
#: in lessons/ and cheatsheets/, so a whole track's load and what it found (problems, links,
#: drafts, files left out) is kept while it reports none in the track's folder or its
#: cheatsheets' (core/memo.py `kept_fact`); without a watcher every track is loaded.
def kept_track(loader: Any, folder: Path):
    """`loader.load_track(folder)` (a `loader._Loader`), taken as the last load made it while the
    watcher reports no change in the track's folder or its cheatsheets' folder; what that load
    found is added to `loader` as the load itself adds it."""
    kind, ran = f"track:{loader.root}:{loader.include_drafts}:{loader.measure}", []

    def load() -> tuple:
        ran.append(True)
        outer, start = (loader.links, loader.drafts, loader.left_out), len(loader.problems.items)
        loader.links, loader.drafts, loader.left_out = [], set(), {}  # (the track's own, then added)
        try:
            loaded = loader.load_track(folder)
        finally:
            own, (loader.links, loader.drafts, loader.left_out) = (loader.links, loader.drafts, loader.left_out), outer
        return loaded, loader.track_files.get(folder.name), loader.problems.items[start:], own

    paths = (str(folder), str(loader.cheatsheets_dir / folder.name))
    loaded, track_file, problems, (links, drafts, left) = kept_fact(kind, paths, load)
    if not ran:  # (just loaded, its problems and track file are there already)
        loader.problems.items += problems
        if track_file is not None:
            loader.track_files[folder.name] = track_file
    loader.links += links
    loader.drafts |= drafts
    for key, paths_left in left.items():  # (each lesson's key names its track: no other track's is there)
        loader.left_out[key] = list(paths_left)
    return loaded
