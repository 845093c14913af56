"""Python-Markdown extension for tracksite's learning widgets (pymdownx Blocks API).

    from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext
    ext = TracksiteBlocksExtension(context=lambda: current_context)

or `markdown.Markdown(extensions=["tracksite.adapter.blocks"])` with a default context. The blocks parse
their bodies with `tracksite.core.widgets` (the same code `tracksite check` runs), and render an inline
error element instead of raising when a body is broken.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from pymdownx.blocks import BlocksExtension

from tracksite.adapter import mkdocsinternals
from tracksite.core import widgetregistry as W
from tracksite.core.widgets.common import WidgetBlock, WidgetContext, context_of, default_context

__all__ = ["TracksiteBlocksExtension", "WidgetContext", "default_context", "makeExtension", "BLOCKS"]


def _renderers() -> dict[str, type[WidgetBlock]]:
    """The renderer of each widget: the `WidgetBlock` subclass whose `WIDGET` is the widget's
    entry, in the `block.py` of the widget's folder under core/widgets/ (the entry's `home`). The
    registry holds the folder's name, not the module (it imports nothing but the theme); the
    modules are loaded with `importlib` by that name, and none imports this one back. A widget without a renderer
    fails here, at import."""
    found: dict[str, type[WidgetBlock]] = {}
    for w in W.WIDGETS:
        module = importlib.import_module(f"tracksite.core.widgets.{w.home}.block")
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, WidgetBlock) and getattr(value, "WIDGET", None) is w:
                found[w.name] = value
        if w.name not in found:
            raise ImportError(f"tracksite/core/widgets/{w.home}/block.py has no block that renders {w.name}")
    return found


#: The renderer of each widget, in the registry's order.
RENDERERS = _renderers()
BLOCKS = tuple(RENDERERS.values())


class TracksiteBlocksExtension(BlocksExtension):
    """Registers every widget of core/widgetregistry.py."""

    def __init__(self, *args, **kwargs):
        self.config = {
            "context": [default_context, "Callable returning the WidgetContext of the page being rendered"],
            "instructor": [False, "Render instructor notes (else they are left out)"],
        }
        super().__init__(*args, **kwargs)

    def extendMarkdownBlocks(self, md, block_mgr):
        """pymdownx.blocks.admonition registers an "attention" admonition by default, and pymdownx
        refuses a second block of one name. Our widget owns the name whichever extension is listed
        first, through the block manager's public `register`: the widgets are registered when the
        first page is converted, after every extension has registered its blocks, in place of an
        admonition type of the same name (`_Register`). Instructors' `/// attention` pages keep
        working; a course that wants the admonition lists its `types` without "attention"."""
        config = {"context": self.getConfig("context"), "instructor": self.getConfig("instructor")}
        md.preprocessors.register(_Register(md, block_mgr, config), "tracksite-blocks", 200)
        mkdocsinternals.skip_unused_parent_map(block_mgr)
        # after `toc` (5), which writes the section links
        md.treeprocessors.register(_HeaderlinkTitles(md, config["context"]), "tracksite-headerlink-titles", 1)
        md.treeprocessors.register(_BlockHeadingsOffContents(md), "tracksite-block-headings", 2)


class _Register(Preprocessor):
    """Registers the widget blocks before the first conversion (see extendMarkdownBlocks)."""

    def __init__(self, md, block_mgr, config) -> None:
        super().__init__(md)
        self.block_mgr, self.config = block_mgr, config

    def run(self, lines: list[str]) -> list[str]:
        mgr = self.block_mgr
        for block in BLOCKS:
            if mgr.blocks.get(block.NAME) is not block:
                mgr.blocks.pop(block.NAME, None)  # an admonition type of the same name gives way
                mgr.register(block, self.config)
        return lines


#: The section links' title as `tracksite init` and the bundled course write it in mkdocs.yml
#: (`toc`'s `permalink_title`): one setting for the whole site, so a Spanish track's headings
#: said "Link to this section". Left at that English, it is the page's own language's.
STARTER_PERMALINK_TITLE = "Link to this section"


class _HeaderlinkTitles(Treeprocessor):
    """Each section link's title in the page's language (its state's, as the blocks take it),
    where the course kept the starter's."""

    def __init__(self, md, context: Callable[[], WidgetContext | None]) -> None:
        super().__init__(md)
        self.context = context  # the extension's: returns the page being converted

    def run(self, root):
        title = None
        for a in root.iter("a"):
            if a.get("class") == "headerlink" and a.get("title") == STARTER_PERMALINK_TITLE:
                title = title or context_of(self.context).words.text("permalinkTitle")
                a.set("title", title)
        return None


#: What holds a heading that is the block's own and not a section of the page: exercises and
#: solutions, call-outs (admonitions, details) and tabs.
_HOLDERS = {"admonition", "tabbed-set", str(W.EXERCISE.css_class), str(W.SOLUTION.css_class)}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


class _BlockHeadingsOffContents(Treeprocessor):
    """A heading inside an exercise, a solution, a call-out or a tab keeps its level and its id
    (links reach it, the block's outline stays), but stays out of the page's contents: the
    contents list the page's sections, and a solution's headings there would give it away.
    Runs after `toc`, which listed every heading."""

    def run(self, root):
        tokens = getattr(self.md, "toc_tokens", None)
        if not tokens:
            return None
        # (the tree walked by ElementTree's own iterator: a Python call per element of every page
        # was 100,000 calls at 300 lessons; a holder's headings are walked again under each holder
        # it is nested in, which a set absorbs)
        inside = {
            heading.get("id")
            for child in root
            for holder in child.iter()
            if holder.tag == "details"
            or (holder.tag == "div" and _HOLDERS.intersection((holder.get("class") or "").split()))
            for heading in holder.iter()
            if heading.tag in _HEADINGS and heading.get("id")
        }
        if inside:
            self.md.toc_tokens = _without(tokens, inside)
        return None


def _without(tokens: list, ids: set[str]) -> list:
    """The contents without the headings `ids`, each one's own children in its place."""
    out = []
    for token in tokens:
        children = _without(token.get("children", []), ids)
        if token.get("id") in ids:
            out.extend(children)
        else:
            out.append({**token, "children": children})
    return out


def makeExtension(*args, **kwargs):
    return TracksiteBlocksExtension(*args, **kwargs)
