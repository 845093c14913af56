"""Markdown's expressions gated by the characters they need (adapter/pages/needles.py): a gated
converter writes the HTML an ungated one writes, on the bundled course's pages and on Markdown
made to sit at the edges of each gate, and the gates are still in place after an upgrade."""

from __future__ import annotations

import re
from pathlib import Path

import markdown
import pytest
import yaml

from tracksite.adapter.pages import needles

ROOT = Path(__file__).resolve().parents[2]


def _course_extensions() -> tuple[list[str], dict]:
    """The bundled course's Markdown extensions and their settings, as mkdocs.yml lists them,
    less the guard (it only stops other engines)."""
    listed = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"]
    names, configs = [], {}
    for item in listed:
        name, config = next(iter(item.items())) if isinstance(item, dict) else (item, None)
        if name != "tracksite.guard":
            names.append(name)
            configs.update({name: config} if config else {})
    return names, configs


EXTENSIONS, CONFIGS = _course_extensions()

#: Each gate's edges: its needle only before the text searched, escaped, at a block's first or
#: last character, inside code; setext underlines after the first line or not; rules of each
#: kind; `///` blocks nested, unclosed, inside a list.
EDGES = r"""
Heading one
===========

Heading two
-----------

Round brackets alone: \(y\).

Doubled backslashes alone: \\\\(z\\\\).

A link alone: [a link](https://example.org).

Code alone: `x`.

***

___

- - -

Not a heading
text then
---

A line with a # inside, and #hash, and \# escaped.

# Hash heading #

Text
## Heading after text in the same block

> quote
still quote
> > nested

Text > not a quote, 3 > 2.

* * *
- - -
___
Text with -- dashes and __init__ and a * star.

Math $x^2$ and \(y\) and \$5 and \\$z$ and $$ a $$ and \\(w\\).

Escaped \[not a link] and [a link](https://example.org) and ![img](a.png) and [ref][r] and [r].

[r]: https://example.org/r

Code `a $b$ [c]` and ``double ` tick`` and \`not code\` and \\`code`.

/// note | Outer
Text in the note, with `code` and $m$.

//// details | Inner
Nested.
////
///

- item
  /// tip
  In a list.
  ///

/// warning
Never closed, with a # and a > inside.
"""


def _converters() -> tuple[markdown.Markdown, markdown.Markdown]:
    plain = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    gated = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    needles.gate(gated)
    return plain, gated


def _same(plain: markdown.Markdown, gated: markdown.Markdown, text: str) -> None:
    plain.reset()
    gated.reset()
    assert gated.convert(text) == plain.convert(text)


def test_every_gate_is_in_place_with_the_course_s_extensions():
    """Eleven expressions: five inline (formulas, code, three link patterns) and six of blocks.
    An upgrade of Python-Markdown or pymdownx that changes one leaves it ungated: this says so."""
    _, gated = _converters()
    kinds = [
        type(p).__name__ for p in gated.inlinePatterns if isinstance(getattr(p, "compiled_re", None), needles.Gated)
    ]
    assert sorted(kinds) == sorted(
        [
            "InlineArithmatexPattern",
            "InlineHilitePattern",
            "LinkInlineProcessor",
            "ReferenceInlineProcessor",
            "ShortReferenceInlineProcessor",
        ]
    )
    blocks = {
        type(p).__name__: a
        for p in gated.parser.blockprocessors
        for a, _, _ in needles.BLOCK.get(type(p).__name__, ())
        if isinstance(getattr(p, a), needles.Gated)
    }
    assert set(blocks) == {
        "HashHeaderProcessor",
        "BlockQuoteProcessor",
        "SetextHeaderProcessor",
        "HRProcessor",
        "BlocksProcessor",
    }
    assert needles.gate(markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)) == 11


def test_an_expression_changed_upstream_is_left_ungated():
    md = markdown.Markdown(extensions=EXTENSIONS, extension_configs=CONFIGS)
    link = md.inlinePatterns["link"]
    link.compiled_re = re.compile(r"(?<!\!)\[|@@")  # (a release that adds a second way in)
    needles.gate(md)
    assert isinstance(link.compiled_re, re.Pattern)


@pytest.mark.parametrize("text", [EDGES, *EDGES.split("\n\n")])
def test_the_edges_of_each_gate_convert_as_without_it(text):
    plain, gated = _converters()
    _same(plain, gated, text)


def test_the_bundled_course_converts_as_without_the_gates():
    plain, gated = _converters()
    pages = sorted((ROOT / "lessons").rglob("*.md")) + sorted((ROOT / "cheatsheets").rglob("*.md"))
    assert len(pages) > 30
    for path in pages:
        _same(plain, gated, path.read_text(encoding="utf-8"))


def test_the_gate_searches_only_the_part_asked_for():
    """A needle before `pos` or after `endpos` does not open the gate; one inside does."""
    compiled = re.compile(r"(?<!\!)\[")
    gated = needles.Gated(compiled, ("[",))
    text = "[a] b c [d]"
    assert [m.start() for m in gated.finditer(text, 1)] == [m.start() for m in compiled.finditer(text, 1)] == [8]
    assert list(gated.finditer(text, 1, 7)) == []
    assert gated.search(text, 4, 8) is None and gated.search(text, 4, 9) is not None
    assert gated.match("x[") is None and gated.pattern == compiled.pattern
