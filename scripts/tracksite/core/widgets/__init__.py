"""Learning widgets, core side: parse and validate the widget blocks of a lesson body.

Each widget is a folder of this package, named by its registry entry (`home`): `schema.py` (its
body's description), `body.py` (its parser, ending with a `BODY`), `block.py` (its pymdownx block:
the HTML a page shows and the data an export takes), `check.py` when the check runs a pass of its
own. Beside them, what every widget shares: `body.py` (reading a body), `bodies.py` (each `BODY`,
from its entry), `validate.py` (every block of a page), `tables.py` (the guide's field tables),
`shapes.py` (the bodies' dataclasses, generated), and for the blocks `common.py` (their base
classes, element helpers, JSON islands) and `inline.py` (a widget text as inline Markdown).
The blocks are Python-Markdown and pymdownx code, never MkDocs': the extension that registers
them is the adapter's (`tracksite.adapter.blocks`). `tracksite check` and the build call
`validate_widgets` first, so an instructor sees every problem with its line; the check loads no
block module.

Blocks (pymdown-extensions "Blocks" syntax, parsed by tracksite.core.markdown.blocks): every widget
of tracksite.core.widgetregistry, e.g.

    //// exercise | Title         task Markdown, with a nested `/// solution` block
    /// quiz                       YAML list of {question, options: [{text, correct, explain}]}

The YAML bodies are described in the schema language (core/schema/language.py) and read like
front-matter; each data widget's `body.py` ends with a `BODY` (loaded by
tracksite.core.widgets.bodies from the folder its registry entry names). Every parser
returns `(value, findings)` and never raises on bad input: a finding's line is relative to the
block body (1 = first body line) unless it names a data `file`, in which case the line is the
file's own. The values are dataclasses generated from the bodies' descriptions (each widget's `schema.py`)
into `shapes`. The authoring
guide's field tables are written from the same bodies (`tables`).

This package's own module imports nothing: its public names below are loaded when first asked
for (PEP 562), so that loading one widget's description (core/model/generate.py) or one block
never loads every widget, nor the generated `shapes` a broken generation would leave behind.
"""

from __future__ import annotations

import importlib
from typing import Any

#: Each public name -> the module that defines it.
_HOMES: dict[str, str] = {
    **dict.fromkeys(("RAW_BLOCKS", "BlockSource", "find_blocks", "iter_blocks"), "tracksite.core.markdown.blocks"),
    **dict.fromkeys(
        (
            "SPECIAL_TOKENS",
            "AttentionBlock",
            "AttentionData",
            "AttentionSpec",
            "AttentionView",
            "attention_view",
            "load_attention_data",
            "parse_attention",
            "parse_attention_spec",
            "source_sentence",
        ),
        "tracksite.core.widgets.attention.body",
    ),
    **dict.fromkeys(("Issue", "clean_text"), "tracksite.core.widgets.body"),
    "fmt": "tracksite.core.widgets.decimals",
    **dict.fromkeys(("Flashcard", "parse_flashcards"), "tracksite.core.widgets.flashcards.body"),
    **dict.fromkeys(("QuizOption", "QuizQuestion", "parse_quiz"), "tracksite.core.widgets.quiz.body"),
    **dict.fromkeys(
        (
            "MAX_STEP_DIM",
            "MAX_STEP_TOKENS",
            "StepsData",
            "fmt_matrix",
            "matmul",
            "parse_attention_steps",
            "softmax_rows",
            "transpose",
        ),
        "tracksite.core.widgets.attention_steps.body",
    ),
    **dict.fromkeys(
        ("WIDGET_BLOCKS", "block_issues", "content_key", "validate_widgets"), "tracksite.core.widgets.validate"
    ),
}
__all__ = list(_HOMES)


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
