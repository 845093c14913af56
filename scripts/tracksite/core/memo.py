"""Results that depend on one file's text alone, remembered across `mkdocs serve` rebuilds.

`mkdocs serve` loads and checks the whole project again after every save. What depends on one
file's text alone (its parsed front-matter, its links, anchors and active-content findings) is
remembered here, keyed by that text, so a rebuild redoes it only for the files that changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

_MEMO: dict[tuple, object] = {}
_MEMO_MAX = 200_000  # about 12 entries a page: a 10,000-page course still reuses them


def memo(key: tuple, compute):
    try:
        return _MEMO[key]
    except KeyError:
        if len(_MEMO) >= _MEMO_MAX:
            _MEMO.clear()
        value = _MEMO[key] = compute()
        return value


def digest(parts: Iterable[str | bytes], size: int = 20) -> str:
    """One digest of many parts (text or bytes), each ended so that no two lists give the same
    stream: the keys of what is remembered here and in `.cache/tracksite/`."""
    h = hashlib.blake2b(digest_size=size)
    for part in parts:
        h.update(part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def folder_stamp(folder: Path) -> tuple:
    """Names, sizes and times of the files under a page's folder (its widgets' data files)."""
    out = []
    for dirpath, _, names in os.walk(folder):
        for name in names:
            with contextlib.suppress(OSError):
                st = os.stat(os.path.join(dirpath, name))
                out.append((dirpath, name, st.st_size, st.st_mtime_ns))
    return tuple(sorted(out))
