"""A widget block rendered alone through the Markdown extensions the site uses, as a page would render it."""

from __future__ import annotations

from pathlib import Path

import markdown
from bs4 import BeautifulSoup

from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext


def render(
    text: str, context: WidgetContext | None = None, instructor: bool = False, extra: list | None = None
) -> BeautifulSoup:
    context = context or WidgetContext("track/lesson", Path.cwd())
    ext = TracksiteBlocksExtension(context=lambda: context, instructor=instructor)
    md = markdown.Markdown(
        extensions=[*SITE_EXTENSIONS, ADMONITION[0], ext, *(extra or [])],
        extension_configs={ADMONITION[0]: ADMONITION[1]},
    )
    return BeautifulSoup(md.convert(text), "lxml")


SITE_EXTENSIONS = [
    "toc",
    "attr_list",
    "md_in_html",
    "tables",
    "def_list",
    "footnotes",
    "pymdownx.superfences",
    "pymdownx.blocks.details",
]


ADMONITION = ("pymdownx.blocks.admonition", {"types": ["note", "tip", "warning", "info", "example", "question"]})
