"""The body of every data widget, found from its registry entry rather than listed here.

A data widget's entry in core/widgetregistry.py names its folder of this package (`home`), whose
`body.py` ends with a `BODY` (a `tracksite.core.widgets.body.Body`: its registry entry, schema,
parser, field tables and practice text). This module imports each such module by that name and
keeps its `BODY`, so that the validation, the editor schemas, the authoring guide's tables and
the objectives' coverage follow a new widget without an edit: adding one is its registry entry
and its folder, nothing here. The modules are loaded with `importlib` by name, which the
import-graph test does not see; the widgets' modules never import this one, and the modules
that read the bodies (`tables`, `validate`) are named by no entry, so no cycle can hide in it.
"""

from __future__ import annotations

import importlib

from tracksite.core import widgetregistry as W
from tracksite.core.schema.language import Mapping, Spec
from tracksite.core.widgets.body import Body


def _find() -> dict[str, Body]:
    """name -> Body, in the registry's order: each data widget's `BODY`, from the module its
    entry names. A data widget without one, or a `BODY` of another widget, fails here, at import."""
    found: dict[str, Body] = {}
    for w in W.WIDGETS:
        if not w.data:
            continue
        body = getattr(importlib.import_module(f"{__package__}.{w.home}.body"), "BODY", None)
        if not isinstance(body, Body) or body.widget is not w:
            raise ImportError(f"core/widgets/{w.home}/body.py declares no BODY of the {w.name} widget")
        found[w.name] = body
    return found


#: The body of each data widget.
BODIES: dict[str, Body] = _find()

#: The field tables of the widget bodies in docs/authoring.md (`<!-- tracksite:fields NAME -->`).
TABLES: dict[str, Mapping] = {name: spec for body in BODIES.values() for name, spec in body.tables}

#: The editors' JSON Schema of each data widget's body: file name, description, title.
EDITOR_SCHEMAS: tuple[tuple[str, Spec, str], ...] = tuple(
    (w.schema_file, BODIES[w.name].spec, w.schema_title)
    for w in W.WIDGETS
    if w.schema_file and w.schema_title and w.name in BODIES
) + tuple(file for body in BODIES.values() for file in body.files)
