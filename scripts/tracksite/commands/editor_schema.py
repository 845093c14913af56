"""JSON Schemas for editors, generated from the validator's own field specs (schema.py).

`tracksite schema` writes them to docs/schemas/; `.vscode/settings.json` points VS Code's YAML
extension at track.schema.json for every track.yml, and the authoring guide explains how to get
the lesson and page schemas checked in Markdown front-matter.

`schema.json_schema` describes each field; this module adds what an editor needs to give the
same verdict as `tracksite check` on every document (tests/test_schema.py checks that it does):

- an optional key may be left empty (`credits:`), which the validator accepts;
- text must not be blank, not just non-empty (`title: "  "` is an error);
- lists have the validator's maximum length;
- hover text in Markdown (`markdownDescription`) for VS Code.

The one difference left is a number written with a decimal point: `read: 5.0` is an error for
tracksite (whole minutes) but JSON has one number type, so editors accept it.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tracksite.core import schema

ID_BASE = "urn:tracksite:schema:"

SCHEMAS: tuple[tuple[str, schema.Mapping, str], ...] = (
    ("lesson.schema.json", schema.LESSON, "tracksite lesson front-matter (lessons/<track>/<lesson>/lesson.md)"),
    ("track.schema.json", schema.TRACK, "tracksite track (lessons/<track>/track.yml)"),
    ("page.schema.json", schema.PAGE, "tracksite overview and cheatsheet front-matter (optional)"),
)


def editor_schema(spec: schema.Mapping, title: str, name: str) -> dict[str, Any]:
    s = schema.json_schema(spec, title, ID_BASE + name.removesuffix(".schema.json"))
    _adjust(spec, s)
    return s


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, for every schema editors use."""
    return {name: editor_schema(spec, title, name) for name, spec, title in SCHEMAS}


def render(s: dict[str, Any]) -> str:
    return json.dumps(s, indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    """Write every schema into `folder` (created if needed); returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, s in schemas().items():
        path = folder / name
        text = render(s)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def _adjust(spec: schema.Spec, s: dict[str, Any]) -> None:
    if isinstance(spec, schema.Mapping):
        for f in spec.fields:
            prop = s["properties"][f.name]
            _adjust(f.spec, prop)
            if not f.required:
                _nullable(prop)
        if spec.exactly_one_of:  # the one key present must also have a value
            s["oneOf"] = [{"required": [k], "properties": {k: {"not": {"type": "null"}}}}
                          for k in spec.exactly_one_of]
    elif isinstance(spec, schema.ListOf):
        s.setdefault("maxItems", spec.max_items)
        _adjust(spec.item, s["items"])
    elif isinstance(spec, schema.Text):
        if spec.pattern is None:
            s.setdefault("pattern", r"\S")
    if s.get("description"):
        s.setdefault("markdownDescription", s["description"])


def _nullable(s: dict[str, Any]) -> None:
    """Let an optional key be written with no value, as the validator allows."""
    t = s.get("type")
    if isinstance(t, str):
        s["type"] = [t, "null"]
    if "enum" in s and None not in s["enum"]:
        s["enum"] = [*s["enum"], None]
