"""Formulas the build could not draw, found before it runs.

The build turns TeX into MathML with latex2mathml (core/markdown/mathml.py); a formula it cannot
convert would reach the learner as a grey box of TeX. The same converter reads every formula of
a page here, with the line it is on, so that `tracksite check`, the build and `mkdocs serve`
refuse it alike with its file and line, rather than the page showing it silently.

latex2mathml is a converter, not an engine: core may use it. What counts as a formula is what
the Markdown extension and mathml.py read: `$$...$$`, `\\[...\\]` and `$...$`, `\\(...\\)` in
prose and in the widgets' texts (never in code), and `$...$` in front-matter strings.
"""

from __future__ import annotations

import functools
import itertools
import re

from latex2mathml.converter import convert

from tracksite.core.markdown.prose import DISPLAY_MATH, INLINE_MATH, line_index, prose_text
from tracksite.core.memo import memo

_BRACKETED = re.compile(r"\\\[(.+?)\\\]|\\\((.+?)\\\)", re.S)
# `$...$` in a plain string (an objective, a key point): a dollar not escaped with a backslash,
# at least one character that is not a dollar, the closing dollar. core/markdown/mathml.py draws with it.
TEXT_MATH = re.compile(r"\$(?<!\\\$)([^$\n]+?)(?<!\\)\$")
_LEFT_AS_TEX = re.compile(r"<m[io][^>]*>(\\[A-Za-z]+)</m[io]>")
MAX_FINDINGS = 20


@functools.lru_cache(maxsize=1 << 14)
def why_not(tex: str) -> str | None:
    """None when latex2mathml converts `tex`, else its reason in one line."""
    braces = re.sub(r"\\[{}\\]", "", tex)
    depth = 0
    for c in braces:
        depth += {"{": 1, "}": -1}.get(c, 0)
        if depth < 0:
            return "a `}` closes no group"
    if depth:
        return f"{depth} `{{` never closed"
    try:
        drawn = convert(tex.strip())
    except Exception as e:  # noqa: BLE001 - latex2mathml raises many types (a library's own errors
        # for bad TeX, IndexError and KeyError for an unclosed group): each is this formula's fault
        reason = str(e).strip().splitlines()[0] if str(e).strip() else ""
        return f"{type(e).__name__}{': ' + reason[:120] if reason else ''}"
    unknown = _LEFT_AS_TEX.search(drawn)  # latex2mathml shows a command it does not know as text
    return f"unknown command {unknown.group(1)}" if unknown else None


def bad_formulas(body: str, first_line: int) -> list[tuple[int, str, str]]:
    """(line, TeX, reason) of each formula of a Markdown body that cannot be drawn, remembered
    per text across `mkdocs serve` rebuilds."""
    return memo(("bad-tex", body, first_line), lambda: _bad_formulas(body, first_line))


def _bad_formulas(body: str, first_line: int) -> list[tuple[int, str, str]]:
    numbers, text = prose_text(body, first_line, frozenset())  # widget texts too: they draw math alike
    found = []
    index = None
    for m in itertools.chain(DISPLAY_MATH.finditer(text), _BRACKETED.finditer(text), INLINE_MATH.finditer(text)):
        whole = m.group(0)
        tex = whole.strip("$") if whole.startswith("$") else next(g for g in m.groups() if g is not None)
        reason = why_not(tex)
        if reason:
            index = index or line_index(text)
            found.append((numbers[index(m.start())], tex.strip(), reason))
    return sorted(found)[:MAX_FINDINGS]


def bad_in_string(text: str) -> list[tuple[str, str]]:
    """(TeX, reason) of each `$...$` of a front-matter string that cannot be drawn."""
    return [(m.group(1), r) for m in TEXT_MATH.finditer(text) if (r := why_not(m.group(1)))]
