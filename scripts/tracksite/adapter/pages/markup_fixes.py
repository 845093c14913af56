"""Fixes to rendered HTML where Python-Markdown differs from what instructors expect.

In a pipe table, `\\|` is how a cell holds a literal pipe; GitHub and CommonMark renderers apply
that inside code spans too (`` `a \\| b` `` shows `a | b`), while Python-Markdown keeps the
backslash inside <code>. Course tables of shell commands need the pipe, so the backslash of
`\\|` inside a table cell's <code> is dropped after rendering.

Material's copy button copies `#__code_X > code`, where X is the id of the closest element with
an id around the code block, meant for content tabs. Our theme wraps every lesson in
`<div id="ts-tabpanel">`, so without ids of their own all code blocks of a page would get the
same id and every copy button would copy the first block: each block gets `ts-code-N`.

Pygments wraps every name (`n`) and every run of whitespace (`w`) of a code block in a span of
its own; Material draws a name in the code's own colour (`--md-code-hl-name-color` is
`--md-code-fg-color` in every palette, and theme.css does not change it) and gives whitespace no
style, so those spans change nothing a learner sees, copies or hears. They were a third of the
exercise pack's elements, and each of the browser's style and layout passes over a page visits
every element: their text goes in without the span (docs/benchmarks.md, "What a lesson page
costs the browser").
"""

from __future__ import annotations

import re

_CELL = re.compile(r"(<t[dh][^>]*>)(.*?)(</t[dh]>)", re.S)
_CODE = re.compile(r"(<code[^>]*>)(.*?)(</code>)", re.S)
_PLAIN_TOKEN = re.compile(r'<span class="[nw]">([^<]*)</span>')
_HIGHLIGHT = re.compile(r'<div class="((?:[^"]*\s)?highlight(?:\s[^"]*)?)">')


def table_code_pipes(html: str) -> str:
    if "\\|" not in html or "<table" not in html:
        return html

    def cell(m: re.Match) -> str:
        inner = _CODE.sub(lambda c: c.group(1) + c.group(2).replace("\\|", "|") + c.group(3), m.group(2))
        return m.group(1) + inner + m.group(3)

    return _CELL.sub(cell, html)


def plain_code_tokens(html: str) -> str:
    """A highlighted code's names and whitespace as bare text (see the module's docstring)."""
    if '<span class="' not in html:
        return html
    return _CODE.sub(lambda c: c.group(1) + _PLAIN_TOKEN.sub(r"\1", c.group(2)) + c.group(3), html)


def code_block_ids(html: str) -> str:
    """Give every highlighted code block without an id its own, `ts-code-1`, `ts-code-2`...,
    its names and whitespace as bare text (plain_code_tokens)."""
    html = plain_code_tokens(html)
    count = 0

    def number(m: re.Match) -> str:
        nonlocal count
        count += 1
        return f'<div class="{m.group(1)}" id="ts-code-{count}">'

    return _HIGHLIGHT.sub(number, html)


#: Material's own skip link, in the page before tracksite's (theme/templates/main.html): Material
#: writes it outside any template block, to the first heading of the table of contents, which on
#: a lesson is its first section, past the title, prerequisites and objectives. theme.css hides
#: it; it is taken out of the HTML too, so that a screen reader's list of links, a browser
#: without the style sheet and the page's weight know only tracksite's, which goes to the title.
_MATERIAL_SKIP = re.compile(r'(<div data-md-component="skip">)\s*<a [^>]*class="md-skip">[^<]*</a>\s*(</div>)')


def drop_materials_skip_link(html: str) -> str:
    return _MATERIAL_SKIP.sub(r"\1\2", html, count=1)
