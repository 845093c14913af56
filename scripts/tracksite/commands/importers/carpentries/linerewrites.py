"""An episode's lines rewritten before its fenced divs are read: Pandoc's grid tables as pipe
tables, and list items' later paragraphs and code moved to the indent Python-Markdown wants.
Apart from episode.py (which converts the divs) because both walk lines and fences only."""

from __future__ import annotations

import re

from tracksite.commands.importers.carpentries import pandoc
from tracksite.commands.importers.carpentries.converted import Note

FENCE = re.compile(r"^(\s*(?:(?:[-*+]|\d+[.)])\s+)?)(`{3,}(?=[^`]*$)|~{3,})")  # also `1. ```bash`: a list item of code
ITEM_FENCE = re.compile(r"^(?P<marker>\s*(?:[-*+]|\d+[.)]))\s+(?P<fence>(?:`{3,}(?=[^`]*$)|~{3,}).*)$")

ITEM_START = re.compile(r"^( {0,3})(?:[-*+]|\d+[.)])(?:\s+\S|\s*$)")
# `<pre>` opening an HTML block (R output written as HTML): its lines are text, never Markdown
PRE_OPEN = re.compile(r"^\s{0,3}<pre\b", re.I)
PRE_CLOSE = re.compile(r"</pre\s*>", re.I)
TITLE_HEADING = re.compile(r"^#\s")
EMPTY_ITEM = re.compile(r"^(?P<marker> {0,3}(?:[-*+]|\d+[.)]))\s*$")


def list_indents(lines: list[str]) -> list[str]:
    """A list item's later paragraphs and code, indented 1-3 spaces (Pandoc's and CommonMark's
    way), moved to the 4 spaces Python-Markdown wants: else the list ends there and an indented
    fence becomes a code block that shows its own backticks. Blank lines are kept as they are."""
    out: list[str] = []
    item: int | None = None  # the indent of the open item's marker
    base: int | None = None  # the indent of its first indented line
    pad, fence, blank, opened = 0, "", False, 0  # opened: the indent of the open fence's opener
    for line in lines:
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if fence:
            closes = stripped.startswith(fence) and not stripped[len(fence) :].strip(fence[0] + " ")
            # the closing fence at its opener's indent: superfences inside a list wants them equal
            out.append(" " * opened + stripped if closes else " " * pad + line if stripped else line)
            fence = "" if closes else fence
            continue
        if not stripped:
            out.append(line)
            blank = True
            continue
        if ITEM_START.match(line) and (item is None or indent <= item):
            item, base, pad = indent, None, 0
            opener = ITEM_FENCE.match(line)
            if opener:  # `1. ```bash`: the code is the item's; its lines go to 4 spaces
                fence = FENCE.match(line).group(2)  # type: ignore[union-attr]  # ITEM_FENCE matched
                pad = max(0, 4 - (len(opener["marker"]) + 1))
                opened = 4 + indent
                out.append(line)
                blank = False
                continue
        elif item is not None and indent == 0 and blank:
            item, base, pad = None, None, 0
        elif item is not None and indent > item:
            if base is None:
                base, pad = indent, max(0, 4 - indent)
            line = " " * (pad if indent >= base else 4 - indent) + line
        f = FENCE.match(line)
        if f:
            fence = f.group(2)
            pad = pad if item is not None and indent > (item or 0) else 0
            opened = len(line) - len(line.lstrip(" "))
        out.append(line)
        blank = False
    return out


def grid_tables(lines: list[str], numbers: list[int], notes: list[Note]) -> list[str]:
    """Pandoc grid tables outside code, as pipe tables where possible (pandoc.grid_tables)."""
    out, start, fence = list(lines), 0, None
    runs = []
    for i, line in enumerate(lines + ["```"]):
        m = FENCE.match(line)
        if fence is None and m:
            runs.append((start, i))
            fence = m.group(2)
        elif fence is not None and m and m.group(2)[0] == fence[0] and len(m.group(2)) >= len(fence):
            fence, start = None, i + 1
    for a, b in runs:
        converted, found = pandoc.grid_tables(lines[a:b])
        out[a:b] = converted
        notes.extend(
            Note(numbers[a + i], message, False, {"tables": -1} if "kept as text" in message else None)
            for i, message in found
        )
    return out


def has_title_heading(children: list) -> bool:
    """Whether a line outside code and fenced divs is a `# ` heading (the page's title is `title:`)."""
    fence, pre = None, False
    for child in children:
        if not isinstance(child, str):  # a fenced div
            continue
        if fence is None and (pre or PRE_OPEN.match(child)):
            pre = in_pre(child, pre)
            continue
        m = FENCE.match(child)
        if fence is None and m:
            fence = m.group(2)
            continue
        if fence is not None:
            fence = None if m and m.group(2)[0] == fence[0] else fence
            continue
        if TITLE_HEADING.match(child):
            return True
    return False


def in_pre(line: str, pre: bool) -> bool:
    """Whether the line after `line` is still inside a `<pre>` HTML block (`pre`: this one is):
    Pandoc and Python-Markdown leave such a block's lines as they are, so an R comment there
    (`# A tibble: 6 x 4`) is output, not a heading."""
    opened = pre or bool(PRE_OPEN.match(line))
    closes = PRE_CLOSE.search(line[line.lower().find("<pre") :] if not pre else line)
    return opened and closes is None


def in_list(out: list[str]) -> bool:
    """Whether the text written last is a list item's: going back over indented lines and the
    lines of one paragraph, a list marker comes before a paragraph that starts at the margin."""
    for i in range(len(out) - 1, -1, -1):
        line = out[i]
        if ITEM_START.match(line):
            return True
        if line.strip() and line[:1] not in (" ", "\t") and (i == 0 or not out[i - 1].strip()):
            return False
    return False
