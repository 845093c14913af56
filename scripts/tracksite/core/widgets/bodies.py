"""The body of every data widget, found by looking rather than listed by hand.

Each module of this package that describes a data widget's body ends with a `BODY` (a
`tracksite.core.widgets.body.Body`: its registry entry, schema, parser, field tables and practice
text). This module imports every module of the package once and keeps those, so that the
validation, the editor schemas, the authoring guide's tables and the objectives' coverage
follow a new widget without an edit: adding one is its registry entry and its module, nothing
here. The modules are loaded with `importlib` by name, which the import-graph test does not
see; the widgets' modules never import this one, and the modules that read the bodies
(`_READERS`) are not loaded here, so no cycle can hide in it.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path

from tracksite.core import widgetregistry as W
from tracksite.core.schema.language import Mapping, Spec
from tracksite.core.widgets.body import Body

#: The package's modules that read the bodies (each imports this module): no `BODY` in them.
_READERS = frozenset({"bodies", "tables", "validate"})


def _find() -> dict[str, Body]:
    """name -> Body, in the registry's order. A `BODY` whose widget is not data is a bug, and
    a data widget without one fails tests/test_widget_registry.py."""
    found: dict[str, Body] = {}
    for info in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if info.name in _READERS:
            continue
        body = getattr(importlib.import_module(f"{__package__}.{info.name}"), "BODY", None)
        if isinstance(body, Body):
            found[body.widget.name] = body
    return {w.name: found[w.name] for w in W.WIDGETS if w.data and w.name in found}


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
