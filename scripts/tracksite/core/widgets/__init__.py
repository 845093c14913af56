"""Learning widgets, core side: parse and validate the widget blocks of a lesson body.

Nothing here imports Markdown, pymdown-extensions or MkDocs. The Markdown adapter
(`tracksite.adapter.blocks`) renders from the parsed values returned here; `tracksite check` and
the build call `validate_widgets` first, so an instructor sees every problem with its line.

Blocks (pymdown-extensions "Blocks" syntax, parsed by tracksite.core.markdown.blocks): every widget
of tracksite.core.widgetregistry, e.g.

    //// exercise | Title         task Markdown, with a nested `/// solution` block
    /// quiz                       YAML list of {question, options: [{text, correct, explain}]}

The YAML bodies are described in the schema language (core/schema/) and read like front-matter;
each data widget's module ends with a `BODY` (loaded by tracksite.core.widgets.bodies from the
module its registry entry names). Every parser
returns `(value, findings)` and never raises on bad input: a finding's line is relative to the
block body (1 = first body line) unless it names a data `file`, in which case the line is the
file's own. The values are dataclasses generated from the bodies' descriptions (the modules of
core/schema/ the registry entries name) into `shapes`. The authoring
guide's field tables are written from the same bodies (`tables`).
"""

from tracksite.core.markdown.blocks import RAW_BLOCKS, BlockSource, find_blocks, iter_blocks
from tracksite.core.widgets.attention import (
    SPECIAL_TOKENS,
    AttentionBlock,
    AttentionData,
    AttentionSpec,
    AttentionView,
    attention_view,
    load_attention_data,
    parse_attention,
    parse_attention_spec,
    source_sentence,
)
from tracksite.core.widgets.body import Issue, clean_text
from tracksite.core.widgets.flashcards import Flashcard, parse_flashcards
from tracksite.core.widgets.quiz import QuizOption, QuizQuestion, parse_quiz
from tracksite.core.widgets.steps import (
    MAX_STEP_DIM,
    MAX_STEP_TOKENS,
    StepsData,
    fmt,
    fmt_matrix,
    matmul,
    parse_attention_steps,
    softmax_rows,
    transpose,
)
from tracksite.core.widgets.validate import WIDGET_BLOCKS, block_issues, content_key, validate_widgets

__all__ = [
    "RAW_BLOCKS",
    "BlockSource",
    "find_blocks",
    "iter_blocks",
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
    "Issue",
    "clean_text",
    "Flashcard",
    "parse_flashcards",
    "QuizOption",
    "QuizQuestion",
    "parse_quiz",
    "MAX_STEP_DIM",
    "MAX_STEP_TOKENS",
    "StepsData",
    "fmt",
    "fmt_matrix",
    "matmul",
    "parse_attention_steps",
    "softmax_rows",
    "transpose",
    "WIDGET_BLOCKS",
    "block_issues",
    "content_key",
    "validate_widgets",
]
