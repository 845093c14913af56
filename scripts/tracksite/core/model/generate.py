"""The source of core/model/shapes.py, generated from the schema (core/schema/specs.py).

What an instructor writes is described once, in the schema; the model's dataclasses of it are
written from that description by `tracksite docs --write` (as the field tables of the authoring
guide and the editors' JSON Schemas are), and a test fails when the file is stale. So the fields,
their types and their defaults are those the validator knows: a field added to the schema is a
field of the model, typed, for mypy to check every caller against. What the model adds that no
one writes (a lesson's slug and files, a track's path) is declared by the classes of
core/model/course.py and core/model/glossary.py that extend these.

The mapping from the schema language to Python: text is `str`, a whole number `int`, a yes/no
`bool`, a choice its enum of core/schema/choices.py (or `str` without one), a list a tuple, a
mapping its own dataclass (or, `flatten`ed, its fields in its parent's place). A field with a
default in the schema has it; an optional one without is `None` (an empty tuple for a list); a
required one has none, so a loader that forgets it fails. The classes take their fields by name.
"""

from __future__ import annotations

import enum
import importlib
import json
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

from tracksite.core import widgetregistry as W
from tracksite.core.schema import specs as schema
from tracksite.core.schema.language import Bool, Choice, Field, ListOf, Mapping, Real, Spec, Text, Whole
from tracksite.core.schema.remote import REMOTE_FILE

#: In `needs` (the names shapes.py imports: enums of choices.py), the widget registry: a
#: default names a widget.
REGISTRY = "widgetregistry"
#: The generated module, in the package beside this one.
TARGET = Path(__file__).with_name("shapes.py")


@dataclass(frozen=True)
class Shape:
    """One generated dataclass: its name, the description it comes from, why it exists."""

    name: str
    spec: Mapping
    doc: str
    flatten: tuple[str, ...] = ()  # mappings of the spec whose fields stand in this class
    located: bool = False  # an item of a list, carrying the line it was written on


#: Every shape the model holds, in the order the module defines them (a class before its users).
SHAPES: tuple[Shape, ...] = (
    Shape("Prerequisite", schema.PREREQUISITE, "One of a lesson's `prerequisites:`.", located=True),
    Shape("Phase", schema.PHASE, "One of track.yml's `phases:`."),
    Shape("Imported", schema.IMPORTED, "track.yml `imported:` of a track `tracksite import` wrote."),
    Shape(
        "LessonFields",
        schema.LESSON,
        "A lesson's front-matter (core/model/course.py's `Lesson` adds where it lives).",
        flatten=("time",),
    ),
    Shape("TrackFields", schema.TRACK, "A track's track.yml (core/model/course.py's `Track` adds where it lives)."),
    Shape(
        "TermFields",
        schema.TERM,
        "One term of glossary.yml (core/model/glossary.py's `Term` adds its track and file).",
        located=True,
    ),
    Shape(
        "RemoteFileFields",
        REMOTE_FILE,
        "One entry of remote-files.yml (core/model/listing.py's `RemoteFile` adds its file).",
        located=True,
    ),
)

#: The values of each data widget, whose parser returns dataclasses, generated into the widget's
#: own folder (core/widgets/<home>/shapes.py) from its body's description: the `schema.py` beside
#: it ends with its `SHAPES`. Spec-only modules (core/widgets/__init__.py imports nothing), so
#: reading them imports no widget; loaded by the folder's name, so a new widget needs no line here.
WIDGET_SHAPES: dict[Path, tuple[Shape, ...]] = {
    TARGET.parents[1] / "widgets" / w.home / "shapes.py": tuple(
        Shape(name, spec, doc)
        for name, spec, doc in importlib.import_module(f"tracksite.core.widgets.{w.home}.schema").SHAPES
    )
    for w in W.WIDGETS
    if w.data
}

HEADER = '''"""What an instructor writes, as the model's dataclasses: GENERATED from core/schema/specs.py
by core/model/generate.py. Do not edit: change the schema, then run `tracksite docs --write`."""

from __future__ import annotations

from dataclasses import dataclass
'''
WIDGET_HEADER = '''"""This widget's values, as dataclasses: GENERATED from its body's description (schema.py
beside it) by core/model/generate.py. Do not edit: change the description, then run
`tracksite docs --write`."""

from __future__ import annotations

from dataclasses import dataclass
'''


def files() -> dict[Path, str]:
    """Every module this generator writes and the text it should have. Reading the descriptions
    imports neither module, so a stale or broken one never stops its own repair."""
    return {TARGET: source(), **{path: source(shapes, WIDGET_HEADER) for path, shapes in WIDGET_SHAPES.items()}}


def source(shapes: tuple[Shape, ...] | None = None, header: str = HEADER) -> str:
    """The text of core/model/shapes.py (or of another module of `shapes`)."""
    shapes = SHAPES if shapes is None else shapes
    names = {id(s.spec): s.name for s in shapes}
    needs: set[str] = set()
    classes = "".join(_class(shape, names, needs) for shape in shapes)
    imports = ["from tracksite.core import widgetregistry as W"] if REGISTRY in needs else []
    needs.discard(REGISTRY)
    if needs:
        imports.append(f"from tracksite.core.schema.choices import {', '.join(sorted(needs))}")
    return header + ("\n" + "\n".join(imports) + "\n" if imports else "") + classes


def _class(shape: Shape, names: dict[int, str], needs: set[str]) -> str:
    lines = ["", "", "@dataclass(frozen=True, kw_only=True)", f"class {shape.name}:", f'    """{shape.doc}"""', ""]
    for f, required in _leaves(shape):
        for comment in textwrap.wrap(f.spec.help or "", 112):
            lines.append(f"    #: {comment}")
        lines.append(f"    {f.name}: {_declaration(f, required, names, needs)}")
    if shape.located:
        lines += ["    #: The line it was written on.", "    line: int | None = None"]
    return "\n".join(lines) + "\n"


def _leaves(shape: Shape) -> list[tuple[Field, bool]]:
    """The shape's fields, each with whether it must be given: a flattened mapping's fields in
    its place, required where both they and the mapping are."""
    out = []
    for f in shape.spec.fields:
        if f.name in shape.flatten:
            assert isinstance(f.spec, Mapping), f"{shape.name}.{f.name}: only a mapping is flattened"
            out += [(g, f.required and g.required) for g in f.spec.fields]
        else:
            out.append((f, f.required))
    return out


def _declaration(f: Field, required: bool, names: dict[int, str], needs: set[str]) -> str:
    """`type` or `type = default` for one field."""
    kind = _type(f.spec, names, needs)
    if f.default is not None:
        return f"{kind} = {_literal(f.default, needs)}"
    if required:
        return kind
    return f"{kind} = ()" if isinstance(f.spec, ListOf) else f"{kind} | None = None"


def _type(spec: Spec, names: dict[int, str], needs: set[str]) -> str:
    if isinstance(spec, Text):
        return "str"
    if isinstance(spec, Bool):
        return "bool"
    if isinstance(spec, Whole):
        return "int"
    if isinstance(spec, Real):
        return "float"
    if isinstance(spec, Choice):
        if spec.kind is None:
            return "str"
        needs.add(spec.kind.__name__)
        return spec.kind.__name__
    if isinstance(spec, ListOf):
        return f"tuple[{_type(spec.item, names, needs)}, ...]"
    if isinstance(spec, Mapping) and id(spec) in names:
        return names[id(spec)]
    name = getattr(spec, "name", "")
    raise TypeError(f"no model type for {type(spec).__name__} {name!r}: add a Shape for it")


def _literal(value: object, needs: set[str]) -> str:
    """A schema default as Python source: an enum member by name, a list as a tuple, a widget's
    name as the registry's (core/widgetregistry.py spells each widget's name once)."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_literal(v, needs) for v in value) + ("," if len(value) == 1 else "") + ")"
    if isinstance(value, str) and value in W.NAMES:
        needs.add(REGISTRY)
        return f"W.{_WIDGETS[value]}.name"
    return json.dumps(value) if isinstance(value, str) else repr(value)


#: The registry's constant of each widget, by its name (`quiz` -> `QUIZ`).
_WIDGETS = {w.name: attr for attr, w in vars(W).items() if isinstance(w, W.Widget)}


def main(argv: list[str] | None = None) -> int:
    """`python -m tracksite.core.model.generate [--check]`: write (or check) the generated modules
    with nothing else of tracksite loaded. The command line loads the model and the widgets, which
    import these modules, so when one is broken (a class gone) this is how to write it again."""
    check = "--check" in (sys.argv[1:] if argv is None else argv)
    stale = [p for p, text in files().items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
    for p in stale:
        if not check:
            p.write_text(files()[p], encoding="utf-8")
        print(f"{'stale' if check else 'wrote'} {p.name} ({p.parent.name}/)")
    return 1 if check and stale else 0


if __name__ == "__main__":
    raise SystemExit(main())
