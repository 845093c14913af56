"""Python-Markdown extension for tracksite's learning widgets (pymdownx Blocks API).

    from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext
    ext = TracksiteBlocksExtension(context=lambda: current_context)

or `markdown.Markdown(extensions=["tracksite.adapter.blocks"])` with a default context. The blocks parse
their bodies with `tracksite.core.widgets` (the same code `tracksite check` runs), and render an inline
error element instead of raising when a body is broken.
"""

from __future__ import annotations

import importlib
import pkgutil

from pymdownx.blocks import BlocksExtension

from tracksite.adapter.blocks.common import WidgetBlock, WidgetContext, default_context
from tracksite.core import widgetregistry as W

__all__ = ["TracksiteBlocksExtension", "WidgetContext", "default_context", "makeExtension", "BLOCKS"]


def _renderers() -> dict[str, type[WidgetBlock]]:
    """The renderer of each widget: the `WidgetBlock` subclass of a module of this package whose
    `WIDGET` is the widget's entry in core/widgetregistry.py. Found by looking, so that a new
    widget's block module is all the extension needs; the modules are loaded with `importlib`
    by name, and none imports this one back. A widget without a renderer fails here, at import."""
    found: dict[str, type[WidgetBlock]] = {}
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        for value in vars(module).values():
            widget = getattr(value, "WIDGET", None)
            if isinstance(value, type) and issubclass(value, WidgetBlock) and widget in W.WIDGETS:
                found[widget.name] = value
    missing = [w.name for w in W.WIDGETS if w.name not in found]
    if missing:
        raise ImportError(f"no block under tracksite/adapter/blocks/ renders: {', '.join(missing)}")
    return {w.name: found[w.name] for w in W.WIDGETS}


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
        config = {"context": self.getConfig("context"), "instructor": self.getConfig("instructor")}
        # pymdownx.blocks.admonition registers an "attention" admonition by default. Our widget
        # owns the name whichever extension is listed first: it replaces an earlier one, and a
        # later registration of one of our names is ignored instead of raising.
        for block in BLOCKS:
            block_mgr.blocks.pop(block.NAME, None)
            block_mgr.register(block, config)
        if not getattr(block_mgr, "_tracksite_guard", False):
            register = block_mgr.register
            ours = {block.NAME: block for block in BLOCKS}

            def guarded_register(block, block_config):
                if (
                    ours.get(block.NAME) is not None
                    and block_mgr.blocks.get(block.NAME) is ours[block.NAME]
                    and block is not ours[block.NAME]
                ):
                    return
                register(block, block_config)

            block_mgr.register = guarded_register
            block_mgr._tracksite_guard = True


def makeExtension(*args, **kwargs):
    return TracksiteBlocksExtension(*args, **kwargs)
