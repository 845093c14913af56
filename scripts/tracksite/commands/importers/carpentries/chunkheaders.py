"""R Markdown chunk headers as knitr reads them, and as authors write them.

knitr reads a chunk header (```` ```{r name, fig.cap="..."} ````) on one line only; RStudio's
wrapping and hand edits put it over two or more, and knitr then passes the chunk through as
text, swallowing what follows it, exercises included. `join_headers` joins such a header into
one line, keeping the line count; `malformed` names each header that still does not close.
"""

from __future__ import annotations

import re

CHUNK_OPEN = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,})\s*\{\s*(?P<engine>[A-Za-z][\w]*)\s*,?\s*(?P<rest>.*?)\}\s*$")

_HEADER_START = re.compile(r"^\s*`{3,}\s*\{\s*[A-Za-z]")


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def _open_headers(lines: list[str]):
    """The index of each line, outside fenced blocks, that starts a chunk header and does not
    close it on the line. `lines` is read as the walk goes, so a caller may rewrite the lines
    after the one given (the fence that line opens is already noted)."""
    fence = ""
    for i, line in enumerate(lines):
        plain = _FENCE.match(line)
        if fence:
            fence = "" if plain and plain.group(1)[0] == fence[0] and not line.strip().strip(fence[0]) else fence
            continue
        if _HEADER_START.match(line) and not CHUNK_OPEN.match(line):
            yield i
        if plain:
            fence = plain.group(1)


def join_headers(text: str) -> tuple[str, list[int]]:
    """The text with each chunk header written over several lines (```{r name,` then
    `  fig.cap="..."}`, which RStudio's wrapping makes) joined into one line, as its author meant
    it: knitr reads a header on one line only. The joined header takes the header's last line
    and the lines before it are left blank, so the line count stays. Returns the text and the
    (1-based) lines where a joined header starts."""
    lines = text.splitlines()
    joined: list[int] = []
    for i in _open_headers(lines):
        for j in range(i + 1, min(i + 6, len(lines))):
            if _FENCE.match(lines[j]) or not lines[j].strip():
                break
            header = " ".join([lines[i].rstrip(), *(part.strip() for part in lines[i + 1 : j + 1])])
            if CHUNK_OPEN.match(header):
                lines[i : j + 1] = [""] * (j - i) + [header]
                joined.append(i + 1)
                break
    return ("\n".join(lines) + "\n" if joined else text), joined


def malformed(texts: dict[str, str]) -> list[str]:
    """ "episodes/NAME:LINE: ..." for each chunk header knitr would not read as one, even joined
    (join_headers): the chunk would swallow what follows it, exercises included."""
    found = []
    for name, text in texts.items():
        lines = text.splitlines()
        for i in _open_headers(lines):
            found.append(
                f"episodes/{name}:{i + 1}: the code chunk header `{lines[i].strip()[:60]}` does not close with "
                "`}` on its line (knitr reads a header on one line): join it into one line"
            )
    return found
