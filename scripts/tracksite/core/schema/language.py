"""The schema language: one description of a value's shape that validates it, reads it
(defaults filled in, whole-number floats made whole), describes it for the authoring guide and
describes it for editors as JSON Schema.

Every YAML an instructor writes is described with these types (tracksite.core.schema.specs holds the
descriptions): front-matter, track.yml, redirects.yml and the bodies of the widget blocks. An
editor with the JSON Schema and `tracksite check` must give the same verdict on a document, so
each type's `json_schema` states exactly what its `read` accepts; what JSON Schema cannot say
(a rule across items, such as "each term once") is a `Rule`, named in the description.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from tracksite.core.problems.findings import Context, Finding
from tracksite.core.sources import type_name

#: What `read` returns for a value it reported a problem with.
INVALID = type("Invalid", (), {"__repr__": lambda self: "INVALID", "__bool__": lambda self: False})()


Rule = Callable[[Any, tuple, Context], None]


@dataclass(frozen=True, kw_only=True)
class Spec:
    """A value's expected shape. `read` checks and returns the value as the program uses it;
    `json_schema` says the same to an editor; `describe` says it in the authoring guide."""

    help: str = ""
    rules: tuple[Rule, ...] = ()
    json_extra: Any = None  # what the rules check, where JSON Schema can say it (`contains`)

    def read(self, value: Any, path: tuple, ctx: Context) -> Any:
        out = self._read(value, path, ctx)
        if out is not INVALID:
            before = len(ctx.findings)
            for rule in self.rules:
                rule(out, path, ctx)
            if any(f.severity == "error" for f in ctx.findings[before:]):
                return INVALID
        return out

    def _read(self, value: Any, path: tuple, ctx: Context) -> Any:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        s = self._json()
        if self.json_extra:
            s.update(self.json_extra)
        if self.help:
            s["description"] = s["markdownDescription"] = self.help
        return s

    def _json(self) -> dict[str, Any]:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class Text(Spec):
    """Non-blank text. With `numbers=True` a number is kept as written (`text: 42`)."""

    pattern: re.Pattern[str] | None = None
    pattern_help: str = ""
    max_length: int = 2000
    numbers: bool = False
    #: turns a value that misses `pattern` into one that fits it, offered as "did you mean"
    suggest: Callable[[str], str] | None = None

    def _read(self, value, path, ctx):
        if self.numbers and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = ctx.raw(path) or str(value)
        if not isinstance(value, str):
            hint = "write plain text on one line, or quote it"
            ctx.report(path, f"expected text, found {type_name(value)} {value!r}", hint, code="TS103")
            return INVALID
        if not value.strip():
            ctx.report(path, "must not be empty", code="TS104")
        elif len(value) > self.max_length:
            ctx.report(path, f"is {len(value)} characters long; at most {self.max_length}", code="TS104")
        elif self.pattern and not self.pattern.fullmatch(value):
            fixed = self.suggest(value) if self.suggest else None
            ctx.report(
                path,
                f"{value!r} is not {self.pattern_help}",
                f"did you mean {fixed!r}?" if fixed and self.pattern.fullmatch(fixed) else None,
                code="TS104",
            )
        else:
            return value.strip() if self.numbers else value
        return INVALID

    def _json(self):
        s: dict[str, Any] = {
            "type": ["string", "number"] if self.numbers else "string",
            "minLength": 1,
            "maxLength": self.max_length,
            "pattern": self.pattern.pattern if self.pattern else r"\S",
        }
        return s

    def describe(self):
        return self.pattern_help or "text"


@dataclass(frozen=True, kw_only=True)
class Whole(Spec):
    """A whole number in a range. `5.0` is 5: JSON Schema's "integer" accepts it, so must we."""

    minimum: int = 1
    maximum: int = 999
    unit: str = ""

    def _read(self, value, path, ctx):
        if isinstance(value, float) and math.isfinite(value) and value.is_integer():
            value = int(value)
        if isinstance(value, bool) or not isinstance(value, int):
            ctx.report(
                path,
                f"expected a whole number{' of ' + self.unit if self.unit else ''}, found {type_name(value)} {value!r}",
                code="TS103",
            )
            return INVALID
        if not self.minimum <= value <= self.maximum:
            ctx.report(
                path,
                f"{value} is out of range; expected {self.minimum} to {self.maximum}"
                f"{' ' + self.unit if self.unit else ''}",
                code="TS104",
            )
            return INVALID
        return value

    def _json(self):
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum}

    def describe(self):
        return f"whole {self.unit or 'number'}, {self.minimum} to {self.maximum}"


def Minutes(*, help: str = "", maximum: int = 600) -> Whole:  # noqa: N802 - reads as a type
    return Whole(help=help, minimum=1, maximum=maximum, unit="minutes")


def Number(*, help: str = "", minimum: int = 1, maximum: int = 999) -> Whole:  # noqa: N802
    return Whole(help=help, minimum=minimum, maximum=maximum)


@dataclass(frozen=True, kw_only=True)
class Real(Spec):
    """A finite number within ±`limit`."""

    limit: float = 1e6

    def _read(self, value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            ctx.report(path, f"expected a number, found {type_name(value)} {value!r}", code="TS103")
            return INVALID
        if abs(value) > self.limit:
            ctx.report(path, f"{value} is too large; keep entries within ±{self.limit:g}", code="TS104")
            return INVALID
        return float(value)

    def _json(self):
        return {"type": "number", "minimum": -self.limit, "maximum": self.limit}

    def describe(self):
        return "number"


@dataclass(frozen=True, kw_only=True)
class Bool(Spec):
    def _read(self, value, path, ctx):
        if not isinstance(value, bool):
            ctx.report(path, f"expected true or false, found {type_name(value)} {value!r}", code="TS103")
            return INVALID
        return value

    def _json(self):
        return {"type": "boolean"}

    def describe(self):
        return "`true` or `false`"


@dataclass(frozen=True, kw_only=True)
class Choice(Spec):
    """One of a few words. `labels` are what pages show; a value without one shows itself,
    capitalised, so adding a value is one edit. With `kind`, an enum of core/schema/choices.py, the
    values are its members' and a valid value is read as the member: the model's type."""

    values: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    kind: type[StrEnum] | None = None

    def __post_init__(self) -> None:
        if self.kind is not None and not self.values:
            object.__setattr__(self, "values", tuple(m.value for m in self.kind))

    def label(self, value: str) -> str:
        return dict(self.labels).get(value) or value.replace("-", " ").replace("_", " ").capitalize()

    def _read(self, value, path, ctx):
        if value not in self.values or not isinstance(value, str):
            near = difflib.get_close_matches(str(value), self.values, n=1)
            ctx.report(
                path,
                f"{value!r} is not allowed; expected one of {', '.join(self.values)}",
                f"did you mean {near[0]!r}?" if near else None,
                code="TS104",
            )
            return INVALID
        return self.kind(value) if self.kind is not None else value

    def _json(self):
        return {"type": "string", "enum": list(self.values)}

    def describe(self):
        return ", ".join(f"`{v}`" for v in self.values)


@dataclass(frozen=True, kw_only=True)
class ListOf(Spec):
    item: Spec
    min_items: int = 0
    max_items: int = 200
    noun: str = "item"

    def _read(self, value, path, ctx):
        if not isinstance(value, list):
            found = type_name(value)
            ctx.report(path, f"expected a list of {self.noun}s (lines starting with `- `), found {found}", code="TS103")
            return INVALID
        ok = True
        if len(value) < self.min_items:
            plural = "s" if self.min_items > 1 else ""
            ctx.report(path, f"needs at least {self.min_items} {self.noun}{plural}", code="TS105")
            ok = False
        if len(value) > self.max_items:
            ctx.report(path, f"has {len(value)} {self.noun}s; at most {self.max_items}", code="TS105")
            ok = False
        out = [self.item.read(v, path + (i,), ctx) for i, v in enumerate(value)]
        return out if ok and INVALID not in out else INVALID

    def _json(self):
        s = {"type": "array", "items": self.item.json_schema(), "maxItems": self.max_items}
        if self.min_items:
            s["minItems"] = self.min_items
        return s

    def describe(self):
        return f"list of {self.item.describe()}"


@dataclass(frozen=True, kw_only=True)
class MapOf(Spec):
    """`key: value` lines where the keys are the author's (redirects.yml: `old-slug: new-slug`)."""

    key: Text
    value: Spec
    name: str = "mapping"

    def _read(self, value, path, ctx):
        if not isinstance(value, dict):
            ctx.report(path, f"expected {self.name} lines, found {type_name(value)}", code="TS103")
            return INVALID
        out = {}
        for k, v in value.items():
            # JSON has only text keys, so an editor reads `2019:` as the key "2019"; so do we
            text = str(k) if isinstance(k, (int, float)) and not isinstance(k, bool) else k
            key = self.key.read(text, path + (k,), ctx)
            item = self.value.read(v, path + (k,), ctx)
            if key is not INVALID and item is not INVALID:
                out[key] = item
        return out if len(out) == len(value) else INVALID

    def _json(self):
        key = self.key.json_schema()
        return {
            "type": "object",
            "propertyNames": {k: v for k, v in key.items() if k in ("pattern", "maxLength")},
            "additionalProperties": self.value.json_schema(),
        }

    def describe(self):
        return self.name


@dataclass(frozen=True, kw_only=True)
class Either(Spec):
    """One of several shapes (`source:` is a sentence or a mapping); the first that fits wins."""

    options: tuple[Spec, ...] = ()

    def _read(self, value, path, ctx):
        for option in self.options:
            # Tried without line numbers: a failed option's findings are dropped, and finding a
            # line can mean reading a whole data file again (JSON lines are computed on demand).
            # The option that fits reads again for real, so its warnings keep their lines.
            if option.read(value, path, Context({}, ctx.raw, ctx.prefix)) is not INVALID:
                return option.read(value, path, ctx)
        expected = " or ".join(o.describe() for o in self.options)
        ctx.report(path, f"expected {expected}, found {type_name(value)}", code="TS103")
        return INVALID

    def _json(self):
        return {"anyOf": [o.json_schema() for o in self.options]}

    def describe(self):
        return " or ".join(o.describe() for o in self.options)


@dataclass(frozen=True)
class Field:
    """One key: its spec, whether it is required, its default (what the loader uses when the key
    is absent), an example (shown as a hint and, commented out, in `tracksite new`'s starter
    text) and a short note (the comment beside it in the starter text)."""

    name: str
    spec: Spec
    required: bool = False
    default: Any = None
    example: str = ""
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class Mapping(Spec):
    """`key: value` lines. An optional key may be left empty (`credits:`): it then takes its
    default. A key that is not listed is an error with a did-you-mean."""

    fields: tuple[Field, ...] = ()
    exactly_one_of: tuple[str, ...] = ()
    name: str = "mapping"

    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    def default(self, name: str) -> Any:
        return self.by_name()[name].default

    def _read(self, value, path, ctx):
        if not isinstance(value, dict):
            keys = ", ".join(f"`{f.name}:`" for f in self.fields if f.required)
            found = f"{type_name(value)} {value[:40]!r}" if isinstance(value, str) else type_name(value)
            ctx.report(
                path,
                f"expected a mapping of `key: value` lines ({self.name}{': ' + keys if keys else ''}), found {found}",
                code="TS103",
            )
            return INVALID
        known = self.by_name()
        ok = True
        for key in value:
            if key not in known:
                near = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
                ctx.report(
                    path + (key,),
                    f"unknown key {key!r}",
                    f"did you mean {near[0]!r}?" if near else f"allowed: {', '.join(known)}",
                    code="TS101",
                )
                ok = False
        out: dict[str, Any] = {}
        for f in self.fields:
            if value.get(f.name) is not None:
                out[f.name] = f.spec.read(value[f.name], path + (f.name,), ctx)
                ok = ok and out[f.name] is not INVALID
            elif f.required and f.name in value:
                ctx.report(
                    path + (f.name,), f"has no value: expected {f.spec.describe()}", f.example or None, code="TS102"
                )
                ok = False
            elif f.required:
                ctx.report(
                    path, f"missing required key {f.name!r} ({f.spec.describe()})", f.example or None, code="TS102"
                )
                ok = False
            else:
                out[f.name] = f.default
        if self.exactly_one_of and len([k for k in self.exactly_one_of if value.get(k) is not None]) != 1:
            ctx.report(path, f"needs exactly one of {' or '.join(map(repr, self.exactly_one_of))}", code="TS107")
            ok = False
        return out if ok else INVALID

    def _json(self):
        props = {}
        for f in self.fields:
            p = dict(f.spec.json_schema())
            if f.default is not None:
                p["default"] = f.default
            props[f.name] = p if f.required else _nullable(p)
        s: dict[str, Any] = {"type": "object", "additionalProperties": False, "properties": props}
        required = [f.name for f in self.fields if f.required]
        if required:
            s["required"] = required
        if self.exactly_one_of:  # the one key present must also have a value
            s["oneOf"] = [{"required": [k], "properties": {k: {"not": {"type": "null"}}}} for k in self.exactly_one_of]
        return s

    def describe(self):
        return self.name


def _nullable(s: dict[str, Any]) -> dict[str, Any]:
    """Let an optional key be written with no value, as `read` allows."""
    if "anyOf" in s:
        return {**s, "anyOf": [*s["anyOf"], {"type": "null"}]}
    t = s.get("type")
    if isinstance(t, str):
        s["type"] = [t, "null"]
    elif isinstance(t, list) and "null" not in t:
        s["type"] = [*t, "null"]
    if "enum" in s and None not in s["enum"]:
        s["enum"] = [*s["enum"], None]
    return s


def unique(key: str | None, what: str, item: str = "item") -> Rule:
    """A rule: no two items of a list have the same `key` (or are equal, with key None)."""

    def rule(items, path, ctx):
        seen: dict[Any, int] = {}
        for i, entry in enumerate(items):
            v = entry.get(key) if key else entry
            if v in seen:
                ctx.report(
                    path + (i,) + ((key,) if key else ()),
                    f"the {what} {v!r} is already on {item} {seen[v] + 1}",
                    f"each {what} once",
                    code="TS106",
                )
            seen.setdefault(v, i)

    return rule


def read(spec: Spec, value: Any, lines: dict | None = None, raw=None, prefix: str = "") -> tuple[Any, list[Finding]]:
    """Check `value` against `spec`; returns (the value as the program uses it, or INVALID; findings)."""
    ctx = Context(lines, raw, prefix)
    out = spec.read(value, (), ctx)
    return out, ctx.findings


def json_schema(spec: Spec, title: str, schema_id: str) -> dict[str, Any]:
    """A complete JSON Schema (draft 7) document for editors."""
    s = {"$schema": "http://json-schema.org/draft-07/schema#", "$id": schema_id, "title": title}
    s.update(spec.json_schema())
    return s


def field_table(spec: Mapping) -> str:
    """A Markdown table of the fields, for the authoring guide."""
    rows = ["| key | required | expected | default | what it is for |", "|---|---|---|---|---|"]
    for f in spec.fields:
        default = f"`{f.default}`" if f.default is not None else ""
        expected = f.spec.describe().replace("|", "\\|")
        rows.append(
            f"| `{f.name}` | {'yes' if f.required else 'no'} | {expected} | {default} | "
            f"{f.spec.help.replace('|', chr(92) + '|')} |"
        )
    return "\n".join(rows)


__all__ = [
    "INVALID",
    "Rule",
    "Spec",
    "Text",
    "Whole",
    "Minutes",
    "Number",
    "Real",
    "Bool",
    "Choice",
    "ListOf",
    "MapOf",
    "Either",
    "Field",
    "Mapping",
    "unique",
    "read",
    "json_schema",
    "field_table",
]
