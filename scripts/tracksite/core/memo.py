"""Results that depend on one file's text alone, remembered across `mkdocs serve` rebuilds.

`mkdocs serve` loads and checks the whole project again after every save. What depends on one
file's text alone (its parsed front-matter, its links, anchors and active-content findings) is
remembered here, keyed by that text, so a rebuild redoes it only for the files that changed.
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
_MEMO: dict[tuple, object] = {}
MEMO_MAX = 200_000  # about 12 entries a page: a 10,000-page course still reuses them
_MEMO_MAX = MEMO_MAX
#: At most this many results once a build's pages render (`limit`): a page reads its own a few
#: times as it converts, none of another page's.
RENDERING_MAX = 256
#: At most this many results of its own in a forked helper (`inherit`).
HELPER_MAX = 256
#: In a forked helper, what the process it was forked from remembered, looked up but never changed.
_INHERITED: dict[tuple, object] = {}
_MISSING = object()


def limit(entries: int = MEMO_MAX) -> None:
    """Remember at most `entries` results from now on, forgetting all if more are held. A check
    reads each file in many passes and `mkdocs serve` checks again after each save, so both
    remember the whole course; once `mkdocs build` has checked, each page needs its own results
    once as it renders, and the course's (80 MB at 300 lessons: the prose lines, masked code,
    parsed blocks of every page) would be held to its end for nothing."""
    global _MEMO_MAX
    _MEMO_MAX = entries
    if len(_MEMO) > entries:
        _MEMO.clear()


def inherit(entries: int = HELPER_MAX) -> None:
    """In a helper forked from the build (core/forked.py): what the build remembered stays as it
    is, looked up, and at most `entries` results of the helper's own are kept. A helper reads each
    page in each of its passes and then ends, so it needs a page's results only while on that
    page; kept, they grew it by 56 MB at 1,000 lessons, memory counted beside the build's."""
    global _INHERITED, _MEMO_MAX
    if _MEMO:  # (the same dict stays: some passes read it by name)
        _INHERITED = {**_INHERITED, **_MEMO}
        _MEMO.clear()
    _MEMO_MAX = entries


def memo(key: tuple, compute):
    # one lookup, no exception on a miss: a check asks about 130 times a lesson, half of them misses
    found = _MEMO.get(key, _MISSING)
    if found is not _MISSING:
        return found
    if _INHERITED:
        found = _INHERITED.get(key, _MISSING)
        if found is not _MISSING:
            return found
    if len(_MEMO) >= _MEMO_MAX:
        _MEMO.clear()
    value = _MEMO[key] = compute()
    return value


def digest(parts: Iterable[str | bytes], size: int = 20) -> str:
    """One digest of many parts (text or bytes), each ended so that no two lists give the same
    stream: the keys of what is remembered here and in the course's state folder."""
    h = hashlib.blake2b(digest_size=size)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


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


def folder_stamp(folder: Path) -> tuple:
    """Names, sizes and times of the files under a page's folder (its widgets' data files)."""
    out = []
    for dirpath, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                st = os.stat(os.path.join(dirpath, name))
                out.append((dirpath, name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))
