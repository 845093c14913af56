"""knitr's numeric `echo` (`echo=2:3`, `echo=-1`, `#| echo: [2, 3]`) read without running R.

knitr then shows only the chosen *expressions* of the chunk: lessons use it to hide set-up lines
(`pushd(dir)` ... `popd()`) around the lines learners should see. Without R, expressions are
known for certain only where each line is one whole expression; there the chosen lines are shown,
and elsewhere the chunk is shown whole, as before (showing more, never losing a line). Before,
every chunk with a numeric `echo` showed the lines its author hid.
"""

from __future__ import annotations

import re

_RANGE = re.compile(r"^(-?)\(?\s*(\d+)\s*:\s*(\d+)\s*\)?$")
_CONTINUES = re.compile(r"(?:[-+*/^,|&=<>(\[{~]|%[^%\s]*%|\|>|<-)\s*$")  # the expression goes on


def indices(value: str) -> tuple[set[int], bool] | None:
    """The expression numbers a numeric `echo` names (1-based) and whether it leaves them out
    (`-1`, `-(1:2)`); None for any other value (TRUE, FALSE, an R expression)."""
    text = value.strip().strip("'\"")
    if text.startswith("c(") and text.endswith(")"):
        text = text[2:-1]
    elif text.startswith("[") and text.endswith("]"):
        text = text[1:-1]
    negative = text.startswith("-(") and text.endswith(")")
    if negative:
        text = text[2:-1]
    found: set[int] = set()
    signs: set[bool] = set()
    for part in filter(None, (p.strip() for p in text.split(","))):
        m = _RANGE.match(part)
        if m:
            found |= set(range(int(m[2]), int(m[3]) + 1))
            signs.add(negative or bool(m[1]))
        elif re.fullmatch(r"-?\d+", part):
            found.add(abs(int(part)))
            signs.add(negative or part.startswith("-"))
        else:
            return None
    if not found or len(signs) != 1:
        return None
    return found, signs.pop()


def single_expressions(lines: list[str]) -> bool:
    """Whether each line is one whole R expression: it starts in the first column, opens no
    bracket it does not close, and does not end in an operator or a comma. A comment line or a
    blank one is no expression: knitr's count is then not the lines', so this says False."""
    for line in lines:
        if not line.strip() or line[0].isspace() or line.lstrip().startswith("#"):
            return False
        code = re.sub(r"\"(?:\\.|[^\"\\])*\"|'(?:\\.|[^'\\])*'", "s", line).split("#", 1)[0]
        if _depth(code) != 0 or _CONTINUES.search(code):
            return False
    return True


def _depth(code: str) -> int:
    depth = 0
    for ch in code:
        depth += ch in "([{"
        depth -= ch in ")]}"
        if depth < 0:
            return -1
    return depth


def chosen(value: str, code: list[str]) -> list[bool] | None:
    """Which lines of `code` a numeric `echo` shows, or None when all are shown (no numeric
    echo, or lines that are not one expression each)."""
    picked = indices(value)
    if picked is None or not single_expressions(code):
        return None
    numbers, leave_out = picked
    return [((i + 1) in numbers) != leave_out for i in range(len(code))]
