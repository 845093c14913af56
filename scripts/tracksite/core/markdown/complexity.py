"""Markdown pages too complex to build: shapes that would keep the engine busy for minutes.

The loader refuses such a page with a problem instead of handing it to the build; the limits
sit far above any real page, and apart from the loader so they can be read and tuned alone.
"""

from __future__ import annotations

import itertools
import re
from pathlib import Path

from tracksite.core.markdown import references as refs
from tracksite.core.markdown.blocks import blank_data_blocks_of
from tracksite.core.sources import split_front_matter
from tracksite.errors import SourceProblem

#: The code of the loader's finding (problems/codes.py).
CODE = "TS512"


def parse_markdown(path: Path, text: str, measure: bool = True):
    """(source, too-complex finding) of a Markdown file's text, or the SourceProblem it raises;
    `measure` False: not measured (the finding None)."""
    try:
        src = split_front_matter(path, text)
    except SourceProblem as e:
        return e
    return src, too_complex(src.body, src.body_line) if measure else None


MAX_HEADINGS = 300
MAX_BRACKETS_PER_PARAGRAPH = 400
MAX_HTML_TAGS = 1000
MAX_OPEN_COMMENTS = 100
#: A table as wide as no page needs: Python-Markdown pads every row to the header's cells, and a
#: 20,000-column table (1.9 MB) took a build 70 s and 481 MB while the check passed it in 3 s.
MAX_TABLE_COLUMNS = 100
#: Cells of every table of the page, header included, rows padded as Markdown pads them: each
#: costs the build about 30 microseconds; a long data table of 20 columns holds 20,000.
MAX_TABLE_CELLS = 50_000
#: Block quotes and list items opened on one line (`> - > - ...`): Python-Markdown parses each
#: level by recursion, and 500 `- ` before a word ended a build in a RecursionError.
MAX_NESTING = 50
_HTML_TAG = re.compile(r"<[A-Za-z]")
_HEADING_LINE = re.compile(r"^\s{0,3}#{1,6}(?:\s|$)")
# A setext heading's underline (`===` or `---` under a line of text) makes a heading as `#` does:
# 80,000 of them took a build 129 s when only `#` headings were counted.
_SETEXT_UNDERLINE = re.compile(r"^\s{0,3}(?:=+|-+)\s*$")
_RULE_CHARACTERS = frozenset("|:- \t")


def too_complex(body: str, first_line: int) -> tuple[int, str] | None:
    """Shapes that take the build minutes: thousands of `[` in one paragraph or thousands of
    headings, `#` or setext (Python-Markdown's link parser and heading ids are quadratic), thousands of HTML
    tags (the search index's parser is quadratic in their nesting), tables wider or larger than a
    page holds, block quotes and lists nested past any page's. No real page comes near."""
    headings = brackets = 0
    start = first_line
    masked = blank_data_blocks_of(refs.mask_code(body), body, first_line)
    found = _open_comments(body, first_line)
    if found:
        return found
    tags = list(itertools.islice(_HTML_TAG.finditer(masked), MAX_HTML_TAGS + 1))
    if len(tags) > MAX_HTML_TAGS:
        return refs.line_finder(masked, first_line)(tags[-1].start()), f"page has more than {MAX_HTML_TAGS} HTML tags"
    lines = masked.split("\n")
    if _surely_simple(masked, lines):
        return None
    tables = _Tables(first_line)
    previous = ""
    for n, line in enumerate(lines):
        above, previous = previous, line
        found = tables.feed(n, line, above) or _too_nested(line, first_line + n)
        if found:
            return found
        if not line.strip():
            brackets, start = 0, first_line + n + 1
            continue
        if _HEADING_LINE.match(line) or (
            above.strip() and _SETEXT_UNDERLINE.match(line) and not _SETEXT_UNDERLINE.match(above)
        ):
            headings += 1
            if headings > MAX_HEADINGS:
                return first_line + n, f"page has more than {MAX_HEADINGS} headings"
        brackets += line.count("[")
        if brackets > MAX_BRACKETS_PER_PARAGRAPH:
            return (
                start,
                f"paragraph has more than {MAX_BRACKETS_PER_PARAGRAPH} `[` characters; Markdown would take minutes over it",
            )
    return None


def _open_comments(body: str, first_line: int) -> tuple[int, str] | None:
    """More than MAX_OPEN_COMMENTS `<!--` that no `-->` after them closes: the engine's HTML
    reader looks for the end of each one to the end of the page, so 80 KB of `<!--` took a build
    20 s, growing four times with each doubling (issue 74). Counted in the whole text, code
    included: a code span does not hide a comment from that reader."""
    after = body.rfind("-->") + 1 if "-->" in body else 0
    at, count = body.find("<!--", after), 0
    while at >= 0:
        count += 1
        if count > MAX_OPEN_COMMENTS:
            return first_line + body.count("\n", 0, at), (
                f"page has more than {MAX_OPEN_COMMENTS} `<!--` that no `-->` closes; "
                "Markdown would take minutes over it"
            )
        at = body.find("<!--", at + 4)
    return None


# A line whose first character after spaces and tabs is no ASCII letter: every line that opens a
# block quote or a list item (`>`, `-`, `*`, `+` or any digit, `str.isdigit`'s included) is one.
_MAYBE_NESTED = re.compile(rf"^(?=[^\n]{{{MAX_NESTING + 1}}})[ \t]*[^ \t\na-zA-Z][^\n]*", re.M)


def _surely_simple(masked: str, lines: list[str]) -> bool:
    """Whether no limit of the line-by-line walk can be reached, told from bounds read in C:
    no more lines than headings allowed, no more `[` than one paragraph may hold, no line with
    more `|` than a table's rule may have nor enough table lines to pass the cells allowed, no
    line long enough to open too many levels that starts as a list or quote could. A real page
    passes here in a fraction of the walk's time; any other is walked."""
    if len(lines) > MAX_HEADINGS or masked.count("[") > MAX_BRACKETS_PER_PARAGRAPH:
        return False
    if "|" in masked:  # a table's columns are at most its rule's `|` and one
        columns = max(map(str.count, lines, itertools.repeat("|"))) + 1
        if columns > MAX_TABLE_COLUMNS or len(lines) * columns > MAX_TABLE_CELLS:
            return False
    return not any(_too_nested(line, 0) for line in _MAYBE_NESTED.findall(masked))


class _Tables:
    """The page's tables as Markdown reads them: a header line, then a rule of `-`, `|` and `:`
    that gives the number of columns, then rows up to a blank line, each padded to that number."""

    def __init__(self, first_line: int) -> None:
        self.first_line = first_line
        self.columns = 0  # of the table being read; 0 outside one
        self.header = 0  # its header's line
        self.cells = 0  # of every table so far

    def feed(self, n: int, line: str, above: str) -> tuple[int, str] | None:
        text = _unquoted(line)
        if not text.strip():
            self.columns = 0
            return None
        if not self.columns:
            if not _is_rule(text, _unquoted(above)):
                return None
            self.columns, self.header = _rule_columns(text), self.first_line + n - 1
            if self.columns > MAX_TABLE_COLUMNS:
                return self.header, (
                    f"table has {self.columns:,} columns; Markdown pads every row to them, and more than "
                    f"{MAX_TABLE_COLUMNS} would keep the build busy for minutes; split it into narrower "
                    "tables, or publish the data as a CSV file beside the page and link it"
                )
        self.cells += self.columns  # the header with the rule, then each row
        if self.cells > MAX_TABLE_CELLS:
            return self.header, (
                f"the page's tables hold more than {MAX_TABLE_CELLS:,} cells (with every row padded "
                "to its header); the build would spend minutes on them; publish the data as a CSV file "
                "beside the page and link it"
            )
        return None


def _unquoted(line: str) -> str:
    """The line without the `>` of the block quotes it sits in (a table may be quoted)."""
    text = line.lstrip()
    while text.startswith(">"):
        text = text[1:].lstrip()
    return text


def _is_rule(text: str, above: str) -> bool:
    """Whether `text` is a table's rule under the header line `above`: only `|`, `:`, `-` and
    spaces (read by set, not by a pattern that could backtrack over a long line)."""
    return "-" in text and ("|" in text or "|" in above) and bool(above.strip()) and set(text) <= _RULE_CHARACTERS


def _rule_columns(text: str) -> int:
    inner = text.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") else inner
    return inner.count("|") + 1


def _too_nested(line: str, number: int) -> tuple[int, str] | None:
    """A line that opens more than MAX_NESTING block quotes and list items before its text."""
    depth, i, size = 0, 0, len(line)
    while i < size and depth <= MAX_NESTING:
        while i < size and line[i] in " \t":
            i += 1
        if i < size and line[i] == ">":
            i += 1
        elif i + 1 < size and line[i] in "-*+" and line[i + 1] in " \t":
            i += 2
        else:
            j = i
            while j < size and j - i < 9 and line[j].isdigit():
                j += 1
            if j == i or j + 1 >= size or line[j] not in ".)" or line[j + 1] not in " \t":
                break
            i = j + 2
        depth += 1
    if depth <= MAX_NESTING or not line[i:].strip(" \t-*_"):  # (`- - - -`: a rule, not a list)
        return None
    return number, (
        f"line opens more than {MAX_NESTING} block quotes and list items; Markdown reads each "
        "level by recursion and would fail on it; nest a few levels at most"
    )
