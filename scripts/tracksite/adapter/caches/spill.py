"""Each page's converted HTML kept in a temporary file between MkDocs' two loops, not in memory.

MkDocs converts every page (its first loop) before it renders any into its template (the second),
so each page's HTML, as the plugin's content passes leave it, waits on its `Page` from one loop to
the other: a whole course's at once, 60 MB at 1,000 lessons and ten times that at 10,000
(docs/benchmarks.md, "Memory"). In `mkdocs build`, the whole-page cache (pagecache.py, which
exists only when no other plugin might read a page's content) writes each page's HTML here as its
`on_page_content` ends and hands MkDocs an empty string to hold; the HTML is read back in the
page's `on_page_context`, right before its template reads `page.content`, and let go once the
page is written.

The file is anonymous (deleted as it is made, POSIX), so nothing is left behind by a build that
stops. A helper process (parallel.py) forked from the build reads the build's pages at their
offsets (`os.pread`, which leaves the shared file position alone); the pages a helper converts go
into a file of its own. Where `os.pread` is missing (Windows, where no helper is forked either),
pages stay in memory.
"""

from __future__ import annotations

import os
import tempfile
from typing import IO

from mkdocs.structure.pages import Page


class Spill:
    """The build's pages waiting to be rendered: `put` after conversion, `take` before rendering."""

    def __init__(self, folder: str | None = None) -> None:
        self._pid = os.getpid()
        self._folder = folder  # the course's state folder: the build writes nowhere else outside site/
        self._file: IO[bytes] = tempfile.TemporaryFile(prefix="tracksite-pages-", dir=folder)
        self._end = 0
        self._at: dict[str, tuple[int, int, int]] = {}  # src_uri -> (file descriptor, offset, bytes)
        self._files = [self._file]

    @classmethod
    def open(cls, folder: str | None = None) -> Spill | None:
        """A new spill in `folder` (the system's temporary folder when None), or None where pages
        must stay in memory."""
        if not hasattr(os, "pread") or not hasattr(os, "pwrite"):
            return None
        try:
            return cls(folder)
        except OSError:
            return None

    def put(self, page: Page, html: str) -> str:
        """Keep the page's HTML here; what MkDocs should hold meanwhile (the HTML itself where it
        could not be written)."""
        if self._pid != os.getpid():  # a helper: its own file (the build's offsets are the build's)
            self._pid, self._end = os.getpid(), 0
            self._file = tempfile.TemporaryFile(prefix="tracksite-pages-", dir=self._folder)
            self._files.append(self._file)
        data = html.encode("utf-8", "surrogatepass")
        fd, at = self._file.fileno(), self._end
        try:
            done = 0
            while done < len(data):
                done += os.pwrite(fd, data[done:], at + done)
        except OSError:
            return html
        self._at[page.file.src_uri] = (fd, at, len(data))
        self._end += len(data)
        return ""

    def take(self, page: Page) -> bool:
        """Put the page's HTML back on it, if it is here; whether it was."""
        where = self._at.pop(page.file.src_uri, None)
        if where is None:
            return False
        fd, at, size = where
        parts, done = [], 0
        while done < size:
            chunk = os.pread(fd, size - done, at + done)
            if not chunk:
                raise OSError(f"the page {page.file.src_uri} could not be read back from the build's temporary file")
            parts.append(chunk)
            done += len(chunk)
        page.content = b"".join(parts).decode("utf-8", "surrogatepass")
        return True

    def close(self) -> None:
        for fh in self._files:
            fh.close()
        self._files.clear()
        self._at.clear()
