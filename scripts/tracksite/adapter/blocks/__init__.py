"""Python-Markdown extension for tracksite's learning widgets (pymdownx Blocks API).

    from tracksite.adapter.blocks import TracksiteBlocksExtension, WidgetContext
    ext = TracksiteBlocksExtension(context=lambda: current_context)

or `markdown.Markdown(extensions=["tracksite.adapter.blocks"])` with a default context. The blocks parse
their bodies with `tracksite.core.widgets` (the same code `tracksite check` runs), and render an inline
error element instead of raising when a body is broken.
"""

from __future__ import annotations

from pymdownx.blocks import BlocksExtension

from tracksite.adapter.blocks.attention import Attention
from tracksite.adapter.blocks.attention_steps import AttentionSteps
from tracksite.adapter.blocks.common import WidgetContext, default_context
from tracksite.adapter.blocks.exercise import Exercise, Solution
from tracksite.adapter.blocks.flashcards import Flashcards
from tracksite.adapter.blocks.instructor import Instructor
from tracksite.adapter.blocks.quiz import Quiz
from tracksite.core import widgetregistry as W

__all__ = ["TracksiteBlocksExtension", "WidgetContext", "default_context", "makeExtension", "BLOCKS"]

#: The renderer of each widget, attached by name to its entry in core/widgetregistry.py; a widget
#: without a renderer fails here, at import, and in tests/test_widgets.py.
RENDERERS = {
    block.NAME: block for block in (Exercise, Solution, Flashcards, Quiz, Attention, AttentionSteps, Instructor)
}
BLOCKS = tuple(RENDERERS[widget.name] for widget in W.WIDGETS)


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
