"""`tracksite schema` and `tracksite docs`: the files generated from tracksite.core.schema.specs.

- tracksite/theme/schemas/*.json: JSON Schemas for editors (front-matter, track.yml, redirects.yml and the
  YAML inside every data widget's block). Each is the schema
  language's own `json_schema`, so an editor and `tracksite check` give the same verdict
  (tests/core/test_schema.py); `.vscode/settings.json` maps them to files.
- the field tables of docs/authoring.md, between `<!-- tracksite:fields NAME -->` markers.
- tracksite/core/model/shapes.py and the marked lines of tracksite/core/widgets/<home>/body.py: the
  model's dataclasses of what an instructor writes and the data widgets' values (core/model/generate.py),
  so the model and the validator describe one shape once.

Both commands rewrite only what changed; `--check` reports stale files with exit 1 instead.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tracksite import theme as theme_files
from tracksite.core.model import generate as model_source
from tracksite.core.schema import specs as schema
from tracksite.core.schema.language import json_schema
from tracksite.core.widgets import tables as fieldtables
from tracksite.core.widgets.bodies import EDITOR_SCHEMAS as WIDGET_SCHEMAS

ID_BASE = "urn:tracksite:schema:"
#: The course files' schemas, then one per data widget's body (found by core/widgets/bodies.py).
SCHEMAS = (*schema.EDITOR_SCHEMAS, *WIDGET_SCHEMAS)


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> schema, for every schema editors use."""
    return {
        name: json_schema(spec, title, ID_BASE + name.removesuffix(".schema.json")) for name, spec, title in SCHEMAS
    }


def render(s: dict[str, Any]) -> str:
    return json.dumps(s, indent=2, ensure_ascii=False) + "\n"


def generated_files(root: Path) -> dict[Path, str]:
    """Every generated file of the project and the text it should have."""
    out = {theme_files.SCHEMAS / name: render(s) for name, s in schemas().items()}  # shipped in the package
    out.update(model_source.files())  # the package's own source
    guide = root / "docs" / "authoring.md"
    if guide.is_file():
        out[guide] = fieldtables.fill(guide.read_text(encoding="utf-8"))
    return out


def _sync(files: dict[Path, str], root: Path, check: bool) -> int:
    stale = [p for p, text in files.items() if not p.is_file() or p.read_text(encoding="utf-8") != text]
    for p in stale:
        rel = _shown(p, root)
        if check:
            print(f"{rel}: out of date with the schema; run `tracksite docs --write`", file=sys.stderr)
        else:
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(files[p], encoding="utf-8")
            print(f"wrote {rel}")
    return 1 if check and stale else 0


def _shown(path: Path, root: Path) -> str:
    """A path as the maintainer knows it: relative to the project, or to the package."""
    for base, prefix in ((root, ""), (theme_files.HERE.parent, "tracksite/")):
        if path.is_relative_to(base):
            return prefix + path.relative_to(base).as_posix()
    return str(path)


def cmd_schema(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    files = {p: t for p, t in generated_files(root).items() if p.suffix == ".json"}
    return _sync(files, root, getattr(args, "check", False))


def cmd_docs(args: argparse.Namespace) -> int:
    root = Path(args.root).resolve()
    if not args.write and not args.check:
        print(fieldtables.fill((root / "docs" / "authoring.md").read_text(encoding="utf-8")), end="")
        return 0
    return _sync(generated_files(root), root, args.check)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "schema",
        help="write the JSON Schemas editors use to check YAML",
        description="Regenerate the package's editor schemas (tracksite/theme/schemas/*.json) from the schema the validator uses.",
    )
    p.add_argument("--check", action="store_true", help="only report stale files (exit 1)")
    p.set_defaults(handler=cmd_schema)
    p = sub.add_parser(
        "docs",
        help="refresh the field tables of docs/authoring.md, the JSON Schemas and the model's dataclasses",
        description="Write the field tables between the <!-- tracksite:fields NAME --> markers "
        "of docs/authoring.md, the package's editor schemas (tracksite/theme/schemas/*.json) and the model's "
        "dataclasses of what an instructor writes (tracksite/core/model/shapes.py), from the schema. Without "
        "--write, print the guide with fresh tables.",
    )
    p.add_argument("--write", action="store_true", help="rewrite the files that are out of date")
    p.add_argument("--check", action="store_true", help="only report stale files (exit 1)")
    p.set_defaults(handler=cmd_docs)
