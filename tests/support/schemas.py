"""The editor's JSON schemas beside tracksite's own validation: what each says of a document, and values of
every JSON type to try in each field."""

from __future__ import annotations

import jsonschema

from tracksite.commands.editor_schema import SCHEMAS, schemas
from tracksite.core.schema import specs as schema
from tracksite.core.yaml.safe import Located

GENERATED = schemas()
SPECS = {name: spec for name, spec, _ in SCHEMAS}
VALIDATORS = {name: jsonschema.Draft7Validator(s) for name, s in GENERATED.items()}


WRONG_TYPES = [None, True, 3, 1.5, "text", [], ["x"], {}, {"k": "v"}]


def verdicts(name: str, doc) -> tuple[bool, bool]:
    by_tracksite = not schema.findings(SPECS[name], Located(doc))
    by_editor = VALIDATORS[name].is_valid(doc)
    return by_tracksite, by_editor
