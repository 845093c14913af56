"""Kramdown attribute lines that say what the code block above them is.

Lessons written for the Jekyll template marked each code block with a line right after it:
`{: .language-python}`, `{: .output}`, `{: .error}`, `{: .source}` (and older `{: .bash}`). The
Workbench's converter kept many of them, and neither Pandoc nor Python-Markdown reads them, so
the block they mark showed as plain text. Here each such line is applied to the block it follows,
as kramdown did: a language becomes the fence's language, output and errors the `output`/`error`
fences the theme styles apart from input, and an indented code block becomes a fenced one. The
attribute line goes (it becomes the closing fence of an indented block), and the change is noted.

Lines may be added (an indented block gets an opening fence, after the blank line before it), so
this step returns every line's index in the source, for notes to keep pointing at the right line.
"""

from __future__ import annotations

import re

from pygments.lexers import find_lexer_class_by_name
from pygments.util import ClassNotFound

_IAL = re.compile(r"^(?P<indent>[ \t]*)\{:\s*(?P<what>[^}]*)\}\s*$")
_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}(?=[^`]*$)|~{3,})")
# the kinds of block a class names; `source` is input code, whose fence keeps its language
OUTPUT_INFO = {"output", "error"}  # the fences verify.py (counting.py) counts as output
_KINDS = {"output": "output", "error": "error", "warning": "output", "source": "", "code": ""}


def block_kind(what: str) -> str | None:
    """The fence info a kramdown attribute list gives a code block ("python", "output", "" for
    input code in no named language), or None when it names no kind of code (`.callout`)."""
    for token in re.findall(r"(?:^|\s)\.?\s*([A-Za-z][\w+#.-]*)(?=\s|$)", what):
        name = token.lower()
        if name.startswith("language-"):
            return name[len("language-") :]
        if name in _KINDS:
            return _KINDS[name]
        try:
            find_lexer_class_by_name(name)  # `{: .bash}`, the template's older way
        except ClassNotFound:
            continue
        return name
    return None


Found = tuple[int, str, dict | None]  # (source index, message, counts: what it changes on the page)


def apply(lines: list[str]) -> tuple[list[str], list[int], list[Found]]:
    """The lines with code-block attribute lines applied, each line's source index, and the
    notes (source index, message, counts: the blocks it turns from code to output or back, for
    verify.py, which compares the source's counts with the built page's)."""
    out: list[str] = []
    numbers: list[int] = []
    notes: list[Found] = []
    fence, opened, closed = "", -1, -1  # the open fence; where (in out) it opened; the line that closed it
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence:
            if m and m["fence"][0] == fence[0] and len(m["fence"]) >= len(fence) and not line.strip(fence[0] + " \t"):
                fence, closed = "", i
            out.append(line)
            numbers.append(i)
            continue
        ial = _IAL.match(line)
        kind = block_kind(ial["what"]) if ial else None
        if ial and kind is not None and closed == i - 1 and opened >= 0:
            was = _set_info(out, opened, kind)
            notes.append((i, _said(ial["what"], kind), _moved(was in OUTPUT_INFO, kind in OUTPUT_INFO)))
            out.append("")
            numbers.append(i)
            continue
        if ial and kind is not None and _indented_block(out, numbers, i, ial["indent"], kind):
            counted = "output_blocks" if kind in OUTPUT_INFO else "code_blocks"  # the source counts fences only
            notes.append((i, _said(ial["what"], kind, indented=True), {counted: 1}))
            continue
        if m:
            fence, opened = m["fence"], len(out)
        out.append(line)
        numbers.append(i)
    return out, numbers, notes


def _said(what: str, kind: str, *, indented: bool = False) -> str:
    shown = {"": "code", "output": "output", "error": "an error"}.get(kind, f"{kind} code")
    block = "the indented code block above it, now a fenced one," if indented else "the code block above it"
    return f"kramdown attribute line `{{:{what}}}` applied: {block} is shown as {shown}"


def _moved(was_output: bool, is_output: bool) -> dict | None:
    if was_output == is_output:
        return None
    return {"output_blocks": 1, "code_blocks": -1} if is_output else {"output_blocks": -1, "code_blocks": 1}


def _set_info(out: list[str], at: int, kind: str) -> str:
    """The fence opener at `out[at]` with `kind` as its info string (what followed it goes);
    returns the info it had (lower case, its first word)."""
    m = _FENCE.match(out[at])
    assert m is not None  # `at` is where a fence opened
    was = out[at][m.end() :].strip().lstrip("{.").split(" ")[0].rstrip("}").lower()
    out[at] = f"{m['indent']}{m['fence']}{kind}"
    return was


def _indented_block(out: list[str], numbers: list[int], i: int, indent: str, kind: str) -> bool:
    """Fence the indented code block that ends on `out[-1]` (its lines indented 4 more than the
    attribute line), when there is one: the attribute line becomes its closing fence."""
    base = len(indent.expandtabs(4))
    start = len(out)
    while start > 0 and (not out[start - 1].strip() or _width(out[start - 1]) >= base + 4):
        start -= 1
    while start < len(out) and not out[start].strip():
        start += 1  # the block starts at its first non-blank line
    if start == len(out) or start == 0 or out[start - 1].strip() or _width(out[-1]) < base + 4:
        return False  # no code just above, or it runs on from a paragraph (then it is not code)
    fence = " " * base + "```"
    body = [_dedent(line) for line in out[start:]]
    out[start:] = [fence + kind, *body]
    numbers[start:] = [numbers[start], *numbers[start:]]
    out.append(fence)
    numbers.append(i)
    return True


def _width(line: str) -> int:
    return len(line.expandtabs(4)) - len(line.expandtabs(4).lstrip(" "))


def _dedent(line: str) -> str:
    """A line of an indented code block, as a line of a fence at its attribute line's indent."""
    expanded = line.expandtabs(4)
    return expanded[4:] if expanded.startswith("    ") else expanded.lstrip(" ")
