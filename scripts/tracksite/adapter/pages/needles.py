"""Markdown's regular expressions that look for a character they need before they run.

Python-Markdown tries each block processor's expression on every block of a page (a paragraph,
a list), and each inline pattern's on every run of text, one after another. An expression that
starts with a literal ("![", "&") is quick to search: the regular expression engine jumps to that
character. One that starts with a look-behind or with `(?:^|\n)` is not: the engine tries it at
every position of the text. Arithmatex's inline formulas, inline code, the three link patterns,
the headings, block quotes, rules and the `///` blocks start that way, and most of a page's text
holds no "$", backtick, "[", "#", ">" or "///": those searches were a tenth of a page's
conversion in a one-process cold build (`docs/benchmarks.md`). Every match of each needs one of a
few strings (its needles, below); where the text holds none of them in the part searched, nothing
can match, and the expression does not run.

Only the expressions named below are gated, each by its owner's class and only when the
expression is still the one the needles were written for: a release that changes one leaves it
as it is, slower and right.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from tracksite.adapter import mkdocsinternals

_END = sys.maxsize
_LINK = r"(?<!\!)\["
_BACKTICK = r"(?:(?<!\\)((?:\\{2})+)(?=`+)|(?<!\\)`)"


class Gated:
    """A compiled expression whose searches first ask whether the text holds a needle."""

    __slots__ = ("_compiled", "_needles")

    def __init__(self, compiled: re.Pattern[str], needles: tuple[str, ...]) -> None:
        self._compiled, self._needles = compiled, needles

    def _may(self, string: str, pos: int, endpos: int) -> bool:
        return any(string.find(needle, pos, endpos) >= 0 for needle in self._needles)

    def finditer(self, string: str, pos: int = 0, endpos: int = _END) -> Iterator[re.Match[str]]:
        return self._compiled.finditer(string, pos, endpos) if self._may(string, pos, endpos) else iter(())

    def search(self, string: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        return self._compiled.search(string, pos, endpos) if self._may(string, pos, endpos) else None

    def match(self, string: str, pos: int = 0, endpos: int = _END) -> re.Match[str] | None:
        return self._compiled.match(string, pos, endpos) if self._may(string, pos, endpos) else None

    def __getattr__(self, name: str) -> Any:  # pattern, flags, groups...: the expression's own
        return getattr(self._compiled, name)


#: Inline patterns, by class: the test that their expression is the one known, and the needles.
#: Arithmatex builds its expression from the syntaxes configured; each starts at a `$` or a
#: backslash. Inline code (Python-Markdown's or InlineHilite's) needs a backtick; a link or a
#: reference a "[".
INLINE: dict[str, tuple[Callable[[str], bool], tuple[str, ...]]] = {
    "InlineArithmatexPattern": (lambda p: "\\$" in p, ("$", "\\")),
    "InlineHilitePattern": (lambda p: p == _BACKTICK, ("`",)),
    "BacktickInlineProcessor": (lambda p: p == _BACKTICK, ("`",)),
    "ReferenceInlineProcessor": (lambda p: p == _LINK, ("[",)),
    "LinkInlineProcessor": (lambda p: p == _LINK, ("[",)),
    "ShortReferenceInlineProcessor": (lambda p: p == _LINK, ("[",)),
}
#: Block processors, by class: the attribute holding the expression, its source, the needles.
#: A setext heading's underline follows a line break; a rule is three "-", "_" or "*".
BLOCK: dict[str, list[tuple[str, str, tuple[str, ...]]]] = {
    "HashHeaderProcessor": [
        ("RE", r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:\\.|[^\\#]|#+(?=[^#\n]))*?)#*(?:\n|$)", ("#",))
    ],
    "BlockQuoteProcessor": [("RE", r"(^|\n)[ ]{0,3}>[ ]?(.*)", (">",))],
    "SetextHeaderProcessor": [("RE", r"^.*?\n(?:=+|-+)[ ]*(\n|$)", ("\n=", "\n-"))],
    "HRProcessor": [
        (
            "SEARCH_RE",
            r"^[ ]{0,3}(?=(?P<atomicgroup>(-+[ ]{0,2}){3,}|(_+[ ]{0,2}){3,}|(\*+[ ]{0,2}){3,}))(?P=atomicgroup)[ ]*$",
            ("-", "_", "*"),
        )
    ],
    "BlocksProcessor": [
        ("start", r"(?:^|\n)[ ]{0,3}(/{3,})[ ]*([\w-]+)[ ]*(?:\|[ ]*(.*?)[ ]*)?(?:\n|$)", ("///",)),
        ("end", r"(?m)(?:^|\n)[ ]{0,3}(/{3,})[ ]*(?:\n|$)", ("///",)),
    ],
}


def gate(md: Any) -> int:
    """Gate the expressions of the converter `md` named above; how many were (replacing a
    converter's expressions is Python-Markdown's internals: adapter/mkdocsinternals.py)."""
    return mkdocsinternals.replace_expressions(md, INLINE, BLOCK, Gated)
