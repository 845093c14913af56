"""The lines of a page a learner reads as prose: no code, no widget data, no instructor notes.

Reading time, the math level, the glossary's uses, the teaching checks and the importer all ask
for the same lines, so they are found once here, with the block grammar (`blocks`) the widgets
use, and remembered per text.
"""

from __future__ import annotations

import re
from array import array

from tracksite.core import widgetregistry
from tracksite.core.markdown.blocks import fence_spans, find_blocks, iter_blocks
from tracksite.core.memo import memo

DATA_BLOCKS = set(widgetregistry.NOT_PROSE)  # widget data and instructor notes: not learner prose
# A formula in a body, `$$ ... $$` and `$...$`: reading time counts them, the TeX and leftover
# checks read them.
# Each starts with the literal `$`, the lookbehind after it: a pattern that starts with a literal
# is scanned for it fast, one that starts with a lookbehind tries every position (15x slower).
DISPLAY_MATH = re.compile(r"\$(?<!\\\$)\$.+?(?<!\\)\$\$", re.S)
INLINE_MATH = re.compile(r"\$(?<![\\$]\$)(?![\s$])(?:\\.|[^$\\\n])+?(?<![\s\\])\$(?!\$)")


# inline code, link targets and tags, within one line: replaced in the whole body at once
_NOT_PROSE = re.compile(r"`[^`\n]*`|\]\([^)\n]*\)|<[^>\n]+>")


def prose_lines(body: str, first_line: int, skip: frozenset[str] | set[str] = DATA_BLOCKS) -> list[tuple[int, str]]:
    """The lines a learner reads as prose: no code fences, no inline code, no `///` header or
    closing lines, and nothing inside the blocks named in `skip` (widget data and instructor notes
    by default) or nested in them. Fences and blocks are read by `blocksyntax`, as the widgets are.
    Remembered per text: reading time, math level and the glossary all ask, on every serve rebuild.
    Remembered packed (the line numbers in an array, the lines as one string): a course's lines
    as tuples were the largest part of a check's memory (24 MB at 300 lessons)."""
    numbers, text = memo(("prose", body, first_line, frozenset(skip)), lambda: _packed(body, first_line, skip))
    return list(zip(numbers, text.split("\n"), strict=False))  # (no lines: no numbers, one "")


def _packed(body: str, first_line: int, skip: frozenset[str] | set[str]) -> tuple[array, str]:
    lines = _prose_lines(body, first_line, skip)
    return array("q", [n for n, _ in lines]), "\n".join(line for _, line in lines)


def _prose_lines(body: str, first_line: int, skip) -> list[tuple[int, str]]:
    lines = body.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    hidden = [False] * len(lines)
    for start, end in fence_spans(lines):
        hidden[start : end + 1] = [True] * (end + 1 - start)
    blocks, _ = find_blocks(body)
    for block in iter_blocks(blocks):
        last = block.end_line if block.end_line is not None else len(lines)
        if block.name in skip:
            hidden[block.line - 1 : last] = [True] * (last - block.line + 1)
            continue
        hidden[block.line - 1 : block.body_line - 1] = [True] * (block.body_line - block.line)
        if block.end_line is not None:
            hidden[block.end_line - 1] = True
    prose = _NOT_PROSE.sub(" ", "\n".join(lines)).split("\n")
    return [(first_line + i, line) for i, line in enumerate(prose) if not hidden[i]]
