"""Fixes to rendered HTML where Python-Markdown differs from what instructors expect.

In a pipe table, `\\|` is how a cell holds a literal pipe; GitHub and CommonMark renderers apply
that inside code spans too (`` `a \\| b` `` shows `a | b`), while Python-Markdown keeps the
backslash inside <code>. Course tables of shell commands need the pipe, so the backslash of
`\\|` inside a table cell's <code> is dropped after rendering.
"""
from __future__ import annotations

import re

_CELL = re.compile(r"(<t[dh][^>]*>)(.*?)(</t[dh]>)", re.S)
_CODE = re.compile(r"(<code[^>]*>)(.*?)(</code>)", re.S)


def table_code_pipes(html: str) -> str:
    if "\\|" not in html or "<table" not in html:
        return html

    def cell(m: re.Match) -> str:
        inner = _CODE.sub(lambda c: c.group(1) + c.group(2).replace("\\|", "|") + c.group(3), m.group(2))
        return m.group(1) + inner + m.group(3)

    return _CELL.sub(cell, html)
