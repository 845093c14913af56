"""An HTML `<table>` whose cells hold Markdown, as a pipe table.

Pandoc reads Markdown between the tags of a raw HTML block (its `markdown_in_html_blocks`), so
Workbench lessons write `<td markdown="1">*x* and [a link](02-next.md)</td>`, or plain `**bold**`
in a `<th>`, and the Workbench shows them formatted. Python-Markdown reads no Markdown inside a
table's cells, not even with `md_in_html`: the page showed the asterisks and brackets, and a link
to another episode, written `lesson:` by the import, as text (the import's verification stopped on
it: a link in the source, none on the page). Such a table, when it is a plain grid (no
`rowspan`/`colspan`, no block element in a cell, no caption), becomes the pipe table the
Workbench's reader would have drawn; its cells keep their inline HTML. A table with no Markdown in
it stays as it is, and so does one that is no plain grid (said in a note: its Markdown shows as
typed).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tracksite.core.markdown.blocks import fence_spans

_OPEN = re.compile(r"^\s{0,3}<table\b", re.I)
_CLOSE = re.compile(r"</table\s*>", re.I)
_BLOCK = {"p", "div", "ul", "ol", "li", "table", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dl"}
# Markdown a cell may hold: emphasis, a code span, a link or image, or a relative HTML link (which
# the import writes as a Markdown link, to resolve it)
_MARKDOWN = re.compile(
    r"(?<![\w*\\])(\*\*?|_)[^\s*_<>][^*<>]*?(?<!\s)\1(?![\w*])|`[^`<>]+`|\]\([^)]*\)"
    r"|<a\s[^>]*href\s*=\s*[\"']?(?![\"']|[a-z][a-z0-9+.-]*:|#)|<img\b",
    re.I,
)
MOST_LINES = 400  # a `<table>` left open longer than this is no table to rewrite


class _Cells(HTMLParser):
    """The rows of one table: each cell's inner source, whether it is a header; `plain` turns
    False on what a pipe table cannot hold."""

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=False)
        self.source, self.plain = source, True
        self.rows: list[list[tuple[str, bool]]] = []
        self.cell: tuple[int, bool] | None = None  # (offset where its content starts, header)
        self.depth, self.in_head = 0, False
        self._offsets = [0]
        for line in source.splitlines(keepends=True):
            self._offsets.append(self._offsets[-1] + len(line))

    def _at(self) -> int:
        line, col = self.getpos()
        return self._offsets[line - 1] + col

    def handle_starttag(self, tag: str, attrs) -> None:
        spans = any(k in ("rowspan", "colspan") and (v or "1").strip() not in ("", "1") for k, v in attrs)
        if tag == "table":
            self.depth += 1
            self.plain = self.plain and self.depth == 1
        elif tag == "caption":
            self.plain = False
        elif tag == "thead":
            self.in_head = True
        elif tag == "tr" and self.depth == 1:
            self.rows.append([])
        elif tag in ("td", "th") and self.depth == 1 and self.rows:
            self.plain = self.plain and not spans and self.cell is None
            end = self._at() + len(self.get_starttag_text() or "")
            self.cell = (end, tag == "th" or self.in_head)
        elif tag in _BLOCK and self.cell is not None:
            self.plain = False

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self.cell is not None and self.rows:
            start, header = self.cell
            self.rows[-1].append((self.source[start : self._at()], header))
            self.cell = None
        elif tag == "thead":
            self.in_head = False
        elif tag == "table":
            self.depth -= 1


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|") or " "


def pipe_table(source: str) -> tuple[list[str], bool] | None:
    """`source` (one `<table>...</table>`) as pipe table lines, and whether its first row was a
    header row; None when it is no plain grid."""
    parser = _Cells(source)
    try:
        parser.feed(source)
        parser.close()
    except (AssertionError, ValueError):
        return None
    rows = [row for row in parser.rows if row]
    if not parser.plain or parser.cell is not None or not rows or len({len(r) for r in rows}) != 1:
        return None
    width = len(rows[0])
    out = ["| " + " | ".join(_cell(text) for text, _ in rows[0]) + " |", "|" + "---|" * width]
    out += ["| " + " | ".join(_cell(text) for text, _ in row) + " |" for row in rows[1:]]
    return out, any(header for _, header in rows[0])


def rewrite(lines: list[str], numbers: list[int]) -> tuple[list[str], list[int], list[tuple[int, str]]]:
    """The lines with each HTML table that holds Markdown as a pipe table, each line's source
    number, and the notes (source line, message)."""
    out: list[str] = []
    nums: list[int] = []
    notes: list[tuple[int, str]] = []
    code = {i for first, last in fence_spans(lines) for i in range(first, last + 1)}
    i = 0
    while i < len(lines):
        line, number = lines[i], numbers[i]
        end = _table_end(lines, i) if i not in code and _OPEN.match(line) else None
        if end is None:
            out.append(line)
            nums.append(number)
            i += 1
            continue
        source = "\n".join(lines[i : end + 1])
        made = pipe_table(source) if _MARKDOWN.search(source) else None
        if made is None:
            if _MARKDOWN.search(source) and re.search(r"</t[dh]>", source, re.I):
                notes.append(
                    (
                        number,
                        "an HTML table with Markdown in its cells that is no plain grid is kept as "
                        "HTML: its Markdown shows as typed (write it as a pipe table)",
                    )
                )
            out.extend(lines[i : end + 1])
            nums.extend(numbers[i : end + 1])
        else:
            table, header = made
            notes.append(
                (
                    number,
                    "an HTML table with Markdown in its cells became a pipe table (Python-Markdown "
                    "reads none inside HTML)" + ("" if header else "; its first row is the header row"),
                )
            )
            blank = [""] if out and out[-1].strip() else []
            out.extend([*blank, *table, ""])
            nums.extend([number] * (len(blank) + len(table) + 1))
        i = end + 1
    return out, nums, notes


def _table_end(lines: list[str], i: int) -> int | None:
    """The index of the line that closes the table opened at `i`, when nothing follows
    `</table>` on it; None otherwise."""
    for j in range(i, min(len(lines), i + MOST_LINES)):
        close = _CLOSE.search(lines[j])
        if close:
            return j if close.end() >= len(lines[j].rstrip()) else None
    return None
