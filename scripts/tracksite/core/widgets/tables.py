"""The field tables of docs/authoring.md, written into the file itself between markers:

    <!-- tracksite:fields lesson -->

    | key | required | ... |

    <!-- /tracksite:fields -->

so the raw file (on GitHub, in an editor) shows them, not only the built site. `tracksite docs
--write` refreshes them from tracksite.core.schema.specs and the widget bodies (core/widgets/bodies.py);
a test fails when the file is stale. The marker `problem-codes` holds the table of problem codes
(core/problems/codes.py), filled the same way so the reference never lags the catalogue.
"""

from __future__ import annotations

import re

from tracksite.core.problems import codes as problemcodes
from tracksite.core.schema import specs as schema
from tracksite.core.schema.language import Mapping, field_table
from tracksite.core.widgets.bodies import TABLES
from tracksite.errors import UserError

MARKER = re.compile(
    r"<!--\s*tracksite:fields\s+([a-z-]+)\s*-->\n"  # opening marker
    r"(?:(?:(?!<!--\s*tracksite:fields).)*?<!--\s*/tracksite:fields\s*-->\n?)?",  # table and closing marker, if any
    re.DOTALL,
)


#: Every description with a table: the front-matter and course files', then each widget body's.
SPECS: dict[str, Mapping] = {**schema.SPECS, **TABLES}
#: The marker of the problem-code reference table.
PROBLEM_CODES = "problem-codes"


class UnknownTable(UserError):
    """A `<!-- fields: NAME -->` marker in the docs names no table of the schema."""


def fill(text: str) -> str:
    """`text` with every marked table regenerated (a bare opening marker gets its table)."""

    def table(m: re.Match) -> str:
        name = m.group(1)
        spec = SPECS.get(name)
        if name == PROBLEM_CODES:
            generated = problemcodes.table()
        elif spec is None:
            raise UnknownTable(f"no field table {name!r}; known: {', '.join([*SPECS, PROBLEM_CODES])}")
        else:
            generated = field_table(spec)
        return f"<!-- tracksite:fields {name} -->\n\n{generated}\n\n<!-- /tracksite:fields -->\n"

    return MARKER.sub(table, text)
