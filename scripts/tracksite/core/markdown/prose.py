"""The lines of a page a learner reads as prose: no code, no widget data, no instructor notes.

Reading time, the math level, the glossary's uses, the teaching checks and the importer all ask
for the same lines, so they are found once here, with the block grammar (`blocks`) the widgets
use, and remembered per text.
"""

from __future__ import annotations

import bisect
import re
from array import array
from collections.abc import Callable, Iterable
from itertools import compress

from tracksite.core import widgetregistry
from tracksite.core.markdown.blocks import fence_spans, find_blocks, iter_blocks, text_fence_spans
from tracksite.core.memo import memo

DATA_BLOCKS = set(widgetregistry.NOT_PROSE)  # widget data and instructor notes: not learner prose
# A formula in a body, `$$ ... $$` and `$...$`: reading time counts them, the TeX and leftover
# checks read them.
# Each starts with the literal `$`, the lookbehind after it: a pattern that starts with a literal
# is scanned for it fast, one that starts with a lookbehind tries every position (15x slower).
DISPLAY_MATH = re.compile(r"\$(?<!\\\$)\$.+?(?<!\\)\$\$", re.S)
INLINE_MATH = re.compile(r"\$(?<![\\$]\$)(?![\s$])(?:\\.|[^$\\\n])+?(?<![\s\\])\$(?!\$)")


# inline code, link targets and tags, within one line: replaced in the whole body at once. A link
# target stops at the next `]` and a tag at the next `<`: tried from each `](` or `<` of a line, a
# run to the line's end made a line of `](` or `<` quadratic (issue 74).
_NOT_PROSE = re.compile(r"`[^`\n]*`|\]\([^)\n\]]*\)|<[^<>\n]+>")


def prose_lines(body: str, first_line: int, skip: frozenset[str] | set[str] = DATA_BLOCKS) -> list[tuple[int, str]]:
    """The lines a learner reads as prose: no code fences, no inline code, no `///` header or
    closing lines, and nothing inside the blocks named in `skip` (widget data and instructor notes
    by default) or nested in them. Fences and blocks are read by `blocksyntax`, as the widgets are.
    Remembered per text: reading time, math level and the glossary all ask, on every serve rebuild.
    Remembered packed (the line numbers in an array, the lines as one string): a course's lines
    as tuples were the largest part of a check's memory (24 MB at 300 lessons)."""
    numbers, text = prose_text(body, first_line, skip)
    return list(zip(numbers, text.split("\n"), strict=False))  # (no lines: no numbers, one "")


def prose_text(body: str, first_line: int, skip: frozenset[str] | set[str] = DATA_BLOCKS) -> tuple[array, str]:
    """The lines of `prose_lines` as it remembers them: their numbers, and the lines joined by
    newlines (no lines: no numbers, ""). For a caller that scans the prose as one text (the
    glossary, the dated phrases, reading time): splitting it into pairs and joining them again
    cost more than the scan. Callers only read the result."""
    return memo(("prose", body, first_line, frozenset(skip)), lambda: _packed(body, first_line, skip))


def line_index(text: str) -> Callable[[int], int]:
    """offset -> index of its line in `text.split("\n")`, in log time (counting the line breaks
    before each of many findings would be quadratic)."""
    starts = [0, *(m.end() for m in _LINE_BREAK.finditer(text))]
    return lambda offset: bisect.bisect_right(starts, offset) - 1


_LINE_BREAK = re.compile("\n")


#: The four letters other than ASCII that IGNORECASE matches to an ASCII one (U+0130, U+0131,
#: U+017F, U+212A) and `str.lower` does not turn into it: a text holding one is scanned with the
#: pattern itself, not prefiltered by `offsets` or a lower-cased substring test.
FOLDED_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


def offsets(lowered: str, words: Iterable[str]) -> set[int]:
    """Every offset in `lowered` where one of `words` (lower-cased) starts, found with `str.find`:
    a regex of those words tried at every place of a page cost several times more, so the checks
    that scan prose for a few words (the glossary's terms, the dated phrases) ask here first."""
    found = set()
    for word in words:
        at = lowered.find(word)
        while at >= 0:
            found.add(at)
            at = lowered.find(word, at + 1)
    return found


def _packed(body: str, first_line: int, skip: frozenset[str] | set[str]) -> tuple[array, str]:
    fenced, prose = _walk(body)
    hidden = bytearray(fenced)
    size = len(hidden)
    # the blocks as the widget check reads them, from the page's own first line (the same parse)
    for block in iter_blocks(find_blocks(body, first_line)[0]):
        line, body_line = block.line - first_line, block.body_line - first_line  # 0-based
        end = block.end_line - first_line if block.end_line is not None else None
        last = end + 1 if end is not None else size
        if block.name in skip:
            hidden[line:last] = b"\1" * (last - line)
            continue
        hidden[line:body_line] = b"\1" * (body_line - line)
        if end is not None:
            hidden[end] = 1
    shown = bytes(hidden.translate(_SHOWN))
    numbers = array("q", compress(range(first_line, first_line + size), shown))
    # the text by the lines shown: the sets of blocks a page is asked for with mostly hide the
    # same lines (no instructor notes, no data), and its prose is then joined once, not per set
    return numbers, memo(("prose-shown", body, shown), lambda: "\n".join(compress(prose.split("\n"), shown)))


_SHOWN = bytes([1, 0]) + bytes(254)  # hidden (1) -> not shown (0), and the other way


def _walk(body: str) -> tuple[bytes, str]:
    """What every set of skipped blocks shares: which lines are fenced code (1), and the body with
    inline code, link targets and tags blanked. Remembered per body, as one walk of its lines:
    a page's prose is asked for with three or four different sets."""

    def walk() -> tuple[bytes, str]:
        lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        text = "\n".join(lines)
        fenced = bytearray(len(lines))
        for start, end in text_fence_spans(text) if text == body else fence_spans(lines):
            fenced[start : end + 1] = b"\1" * (end + 1 - start)
        return bytes(fenced), _NOT_PROSE.sub(" ", text)

    return memo(("prose-walk", body), walk)
