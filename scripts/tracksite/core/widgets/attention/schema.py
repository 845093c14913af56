"""The body of an `/// attention` block, described in the schema language: only the description.

It lives apart from the widget's code (core/widgets/attention/body.py) so that core/model/generate.py
can read it without importing the widget, whose `AttentionSpec` extends the `AttentionSpecFields`
generated from `ATTENTION` into core/widgets/attention/shapes.py. (The data file's schema, ATTENTION_DATA,
stays with the widget: its values are read into shapes of their own, not the file's.)
"""

from __future__ import annotations

import re
from typing import Any

from tracksite.core import widgetregistry as W
from tracksite.core.schema.language import Field, Mapping, Text

DATA_FILE_RE = re.compile(r"^(?![/\\])(?!.*\.\.)(?!.*\\)(?!.*://)[^\n]*\.(?:[jJ][sS][oO][nN]|[yY][aA]?[mM][lL])$")
_DATA_FILE: dict[str, Any] = dict(
    pattern=DATA_FILE_RE, pattern_help="a .json, .yaml or .yml file beside the lesson, e.g. it-tired.json"
)

ATTENTION = Mapping(
    help="The body of an `/// attention` block: which data file to draw, and what to point at.",
    name=W.ATTENTION.name,
    fields=(
        Field(
            "data",
            Text(**_DATA_FILE, help="The data file `tracksite attention` wrote, beside lesson.md."),
            required=True,
            example="data: it-tired.json",
        ),
        Field("compare", Text(**_DATA_FILE, help="A second data file from the same model: a minimal pair.")),
        Field("focus", Text(numbers=True, max_length=100, help="The token whose attention opens the widget.")),
        Field(
            "target",
            Text(
                numbers=True, max_length=100, help="The token it should attend to: opens on the head that attends most."
            ),
        ),
    ),
)


#: The dataclass core/model/generate.py writes from this description (core/widgets/attention/shapes.py).
SHAPES = (
    (
        "AttentionSpecFields",
        ATTENTION,
        "The body of an `/// attention` block (core/widgets/attention/body.py's `AttentionSpec` adds its lines).",
    ),
)
