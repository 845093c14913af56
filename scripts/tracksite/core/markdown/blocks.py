"""The `/// name | argument` block grammar of pymdownx.blocks, parsed once for everything that
needs it: widget validation, the loader's masking of data blocks, the instructor schedule and
the objectives coverage, the importer folding teaching notes. Nothing else in tracksite reads
`///` lines.

Mirrors pymdownx.blocks: a block ends at the first line with exactly its number of slashes;
blocks nest when the inner one uses a different number; fenced code hides everything; the body of
a data block (quiz, flashcards, ...) is taken literally, so a `///` inside it never opens a block.
Lines indented four spaces right after a header are the block's "header options".
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from tracksite.core import widgetregistry
from tracksite.core.memo import memo
from tracksite.core.problems.findings import Finding

#: Blocks whose body is data (YAML), not Markdown: nothing inside them is a nested block.
RAW_BLOCKS = widgetregistry.DATA_BLOCKS  # bodies that are YAML data

RE_FENCE = re.compile(r"^\s*(`{3,}|~{3,})(.*)$")
RE_START = re.compile(r"^\s*(/{3,})[ ]*([\w-]+)[ ]*(?:\|[ ]*(.*?)[ ]*)?$")
RE_END = re.compile(r"^\s*(/{3,})[ ]*$")


def fence_spans(lines: list[str]) -> list[tuple[int, int]]:
    """(first, last) 0-based line index of every fenced code block, fence lines included, as
    pymdownx reads them: only a fence of the same character, at least as long and with nothing
    after it, closes one (a ```` fence can show ``` lines); an unclosed fence runs to the end.
    The one fence reader for everything that must skip code: blocks, prose, body checks."""
    held = ((i, raw) for i, raw in enumerate(lines) if "```" in raw or "~~~" in raw)  # the test is 5x faster
    return _spans(held, len(lines) - 1)


def text_fence_spans(text: str) -> list[tuple[int, int]]:
    """`fence_spans` of `text.split("\n")`, remembered per text: the block parser, the prose
    lines, the masked code and the body checks each walk a page's fences, and a page's are found
    once. Callers only read the result."""
    return memo(("fences", text), lambda: _text_fence_spans(text))


def _text_fence_spans(text: str) -> list[tuple[int, int]]:
    """`fence_spans(text.split("\n"))` from the lines that hold ``` or ~~~ alone: no other line
    opens or closes a fence, and a page has a few such lines among hundreds."""
    return _spans(((i, raw) for i, _, raw in lines_holding(text, ("```", "~~~"))), text.count("\n"))


def _spans(held: Iterable[tuple[int, str]], last: int) -> list[tuple[int, int]]:
    """The fences among the lines that may open or close one (index, line), in order; `last`:
    the index of the text's last line, where an unclosed fence ends."""
    spans: list[tuple[int, int]] = []
    fence: str | None = None
    start = 0
    for i, raw in held:
        m = RE_FENCE.match(raw)
        if fence is None:
            if m and not (m.group(1)[0] == "`" and "`" in m.group(2)):
                fence, start = m.group(1), i
        elif m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) and not m.group(2).strip():
            spans.append((start, i))
            fence = None
    if fence is not None:
        spans.append((start, last))
    return spans


def lines_holding(text: str, needles: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """(0-based index, offset, line) of each line of `text.split("\n")` that holds one of `needles` (none
    holding a line break), in order, found with `str.find`: the pages' `///` and fence lines
    without a Python step for each of their other lines."""
    out: list[tuple[int, int, str]] = []
    found = [text.find(needle) for needle in needles]
    index = counted = 0  # the line index of offset `counted`
    while True:
        at = min((f for f in found if f >= 0), default=-1)
        if at < 0:
            return out
        begin = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        end = len(text) if end < 0 else end
        index += text.count("\n", counted, begin)
        counted = begin
        out.append((index, begin, text[begin:end]))
        found = [f if f > end or f < 0 else text.find(needle, end) for f, needle in zip(found, needles)]


@dataclass
class BlockSource:
    name: str
    argument: str | None
    length: int  # number of slashes
    line: int  # 1-based file line of the header
    body_line: int  # 1-based file line of the body's first line
    indent: int = 0
    options: str = ""  # indented "header options" lines
    body_lines: list[str] = field(default_factory=list)
    closed: bool = False
    end_line: int | None = None  # 1-based file line of the closing `///`
    parent: BlockSource | None = None
    children: list[BlockSource] = field(default_factory=list)

    @property
    def body(self) -> str:
        return "\n".join(self.body_lines)


class _Parser:
    """One pass over the lines; open blocks are kept by slash count too, so that closing or
    clash-checking is O(1) however deep (or unclosed) the nesting an author wrote."""

    def __init__(self, text: str, first_line: int) -> None:
        self.text = text
        self.lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        self.first_line = first_line
        self.top: list[BlockSource] = []
        self.stack: list[BlockSource] = []
        self.by_length: dict[int, list[BlockSource]] = {}
        self.issues: list[Finding] = []

    def add_line(self, raw: str) -> None:
        if self.stack:
            self.stack[-1].body_lines.append(raw)

    def close(self, lineno: int) -> None:
        block = self.stack.pop()
        self.by_length[block.length].pop()
        block.closed, block.end_line = True, lineno

    def end(self, length: int, lineno: int, raw: str) -> None:
        stack = self.stack
        if stack and stack[-1].length == length:
            self.close(lineno)
            return
        if stack and stack[-1].name in RAW_BLOCKS:
            self.add_line(raw)
            return
        if not self.by_length.get(length):
            self.issues.append(
                Finding(
                    lineno,
                    f"a {'/' * length} line that closes no block",
                    hint="a block ends with the same number of slashes it started with",
                    code="TS401",
                    column=len(raw) - len(raw.lstrip(" ")) + 1,
                )
            )
            return
        opener, inner = self.by_length[length][-1], stack[-1]
        self.issues.append(
            Finding(
                lineno,
                f"this {'/' * length} closes the {opener.name} block from line "
                f"{opener.line}, but the {inner.name} block from line {inner.line} is still open",
                hint=f"close {inner.name} first with a line {'/' * inner.length}",
                code="TS401",
                column=len(raw) - len(raw.lstrip(" ")) + 1,
            )
        )
        while stack[-1] is not opener:
            self.close(lineno)
        self.close(lineno)

    def start(self, m: re.Match, raw: str, lineno: int, i: int) -> int:
        length = len(m.group(1))
        block = BlockSource(
            name=m.group(2).lower(),
            argument=m.group(3) or None,
            length=length,
            line=lineno,
            body_line=lineno + 1,
            indent=len(raw) - len(raw.lstrip(" ")),
            parent=self.stack[-1] if self.stack else None,
        )
        clash = self.by_length.get(length)
        if clash:
            self.issues.append(
                Finding(
                    lineno,
                    f"a block inside the {clash[-1].name} block from line {clash[-1].line} "
                    f"must use a different number of slashes than {'/' * length}",
                    hint=f"write the outer block with {'/' * (length + 1)} (four slashes) and the inner one with ///",
                    code="TS401",
                    column=len(raw) - len(raw.lstrip(" ")) + 1,
                )
            )
        option_lines = []
        options = re.compile(rf"^ {{{block.indent + 4},}}\S")
        while i < len(self.lines) and options.match(self.lines[i]):
            option_lines.append(self.lines[i])
            i += 1
        block.options = "\n".join(option_lines)
        block.body_line = lineno + 1 + len(option_lines)
        (self.stack[-1].children if self.stack else self.top).append(block)
        self.stack.append(block)
        self.by_length.setdefault(length, []).append(block)
        return i

    def run(self) -> tuple[list[BlockSource], list[Finding]]:
        lines = self.lines
        # a header or end line holds `///`: the lines between two such lines go to the open block
        # at once (one line at a time was most of the parse)
        if "\r" in self.text:
            fenced = {j for start, end in fence_spans(lines) for j in range(start, end + 1)}
            marked = [j for j, raw in enumerate(lines) if "///" in raw and j not in fenced]
        else:  # (the same lines, found in the text)
            fenced = {j for start, end in text_fence_spans(self.text) for j in range(start, end + 1)}
            marked = [j for j, _, _ in lines_holding(self.text, ("///",)) if j not in fenced]
        i = k = 0
        while True:
            while k < len(marked) and marked[k] < i:  # (header options taken by `start`)
                k += 1
            at = marked[k] if k < len(marked) else len(lines)
            if self.stack and at > i:
                self.stack[-1].body_lines.extend(lines[i:at])
            if at >= len(lines):
                break
            raw, lineno = lines[at], self.first_line + at
            i, k = at + 1, k + 1
            if end_match := RE_END.match(raw):
                self.end(len(end_match.group(1)), lineno, raw)
            elif (start_match := RE_START.match(raw)) and not (self.stack and self.stack[-1].name in RAW_BLOCKS):
                i = self.start(start_match, raw, lineno, i)
            else:
                self.add_line(raw)
        for block in self.stack:
            self.issues.append(
                Finding(
                    block.line,
                    f"the {block.name} block is never closed",
                    hint=f"end it with a line {'/' * block.length}",
                    code="TS401",
                    column=block.indent + 1,
                )
            )
        return self.top, self.issues


def find_blocks(text: str, first_line: int = 1) -> tuple[list[BlockSource], list[Finding]]:
    """All `///` blocks of a Markdown body (nested ones in `children`), outside fenced code;
    problems carry absolute file lines (the body starts on `first_line`). Remembered per text:
    the widget check, glossary, coverage, schedule and track pages all ask for the same file's
    blocks, and callers only read the result."""
    return memo(("blocks", text, first_line), lambda: _Parser(text, first_line).run())


def iter_blocks(blocks: list[BlockSource]):
    """Depth-first, without recursion: nesting depth is whatever an author (or attacker) wrote."""
    stack = list(reversed(blocks))
    while stack:
        block = stack.pop()
        yield block
        stack.extend(reversed(block.children))


def block_text(text: str, block: BlockSource, first_line: int = 1) -> str:
    """Everything between a closed block's header (and options) and its closing line, nested
    blocks included, as written."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    end = block.end_line if block.end_line is not None else first_line + len(lines)
    return "\n".join(lines[block.body_line - first_line : end - first_line])


def blank_data_blocks(body: str) -> str:
    """The body with every closed data block (flashcards, quiz, attention, attention-steps:
    header to closing line) blanked out, line lengths kept: data is not prose, links or HTML.
    Only headers indented at most 3 spaces, which pymdownx always reads as a block. Not
    remembered: a whole page's text for each page, held while the course is checked (21 KB a
    lesson at the peak of a build), for one blanking saved."""
    if "///" not in body:  # no header and no end line: no block
        return body
    lines = body.split("\n")
    blocks, _ = find_blocks(body)
    for block in iter_blocks(blocks):
        if block.name in RAW_BLOCKS and block.end_line is not None and block.indent <= 3:
            for j in range(block.line - 1, block.end_line):
                lines[j] = " " * len(lines[j])
    return "\n".join(lines)


def blank_data_blocks_of(text: str, source: str, first_line: int = 1) -> str:
    """`blank_data_blocks(text)` for a `text` made from `source` line for line, code blanked or
    emptied (`references.mask_code`, `anchors.skeleton`), from the blocks of `source` as every
    other pass parses them (`first_line`: theirs), so a page's blocks are parsed once, not once
    more for each masking. Those are the blocks of `text` too when no header of `source` takes
    header options and no line of `text` that differs from `source`'s, nor any of its fenced
    code, holds `///`, a fence or what could read as an option: then `text` has no fence, the same
    `///` lines as `source` outside its fences, and no header's next line reads as an option in
    either. Otherwise `text` is parsed on its own."""
    blocks, _ = find_blocks(source, first_line)
    if "\r" in source or any(block.options for block in iter_blocks(blocks)):
        return blank_data_blocks(text)
    if "///" not in text:  # no header and no end line: no block
        return text
    lines = text.split("\n")
    if text != source:
        original = source.split("\n")
        if len(original) != len(lines):
            return blank_data_blocks(text)
        fenced = bytearray(len(lines))
        for start, end in text_fence_spans(source):
            fenced[start : end + 1] = b"\1" * (end + 1 - start)
        for line, was, code in zip(lines, original, fenced):
            if (line != was or code) and (
                "///" in line
                or "```" in line
                or "~~~" in line
                or (line.startswith("    ") and line.strip())
                or (not code and "///" in was)
            ):
                return blank_data_blocks(text)
    for block in iter_blocks(blocks):
        if block.name in RAW_BLOCKS and block.end_line is not None and block.indent <= 3:
            for j in range(block.line - first_line, block.end_line - first_line + 1):
                lines[j] = " " * len(lines[j])
    return "\n".join(lines)
