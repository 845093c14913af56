"""Heading anchors computed from Markdown source, the way the `toc` extension will render them.

`tracksite check` validates `lesson:x#anchor` links without building, so it needs the ids before
any HTML exists; the slug function is the one Python-Markdown's `toc` uses for the real pages.
"""
from __future__ import annotations

import re

from markdown.extensions.toc import slugify, unique

from tracksite.core.references import code_lines

_HEADING = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
_ATTR_ID = re.compile(r"\s*\{[^}]*#([\w-]+)[^}]*\}\s*$")
_HTML_ID = re.compile(r"""\bid=["']([^"']+)["']""")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_TAG = re.compile(r"<[^>]+>")


def heading_text(raw: str) -> str:
    text = _LINK.sub(lambda m: "" if m.group(0).startswith("!") else m.group(1), raw)
    text = _TAG.sub("", text)
    return text.replace("`", "").replace("**", "").replace("*", "")


def anchors(markdown_text: str) -> set[str]:
    """Every id a page will have from its headings (and explicit `{#id}` or HTML `id=`)."""
    ids: set[str] = set()
    lines = markdown_text.split("\n")
    for line, code in zip(lines, code_lines(lines)):
        if code:
            continue
        ids.update(_HTML_ID.findall(line))
        h = _HEADING.match(line)
        if not h:
            continue
        text = h.group(2)
        attr = _ATTR_ID.search(text)
        if attr:
            ids.add(attr.group(1))
            continue
        ids.add(unique(slugify(heading_text(text), "-"), ids))
    return ids
