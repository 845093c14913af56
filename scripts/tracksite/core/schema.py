"""One description of every field an instructor writes.

The validator, the JSON Schemas that editors use for completion, and the field tables in the
authoring guide are all generated from the specs below, so they cannot disagree.
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any, Callable

from tracksite.core.sources import type_name
from tracksite.core.yamlsafe import Located

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$(?!\n)")
REF_RE = re.compile(r"^(?:[a-z0-9]+(?:-[a-z0-9]+)*/)?[a-z0-9]+(?:-[a-z0-9]+)*$(?!\n)")
TRACK_REF_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*/[a-z0-9]+(?:-[a-z0-9]+)*$(?!\n)")

Report = Callable[[tuple, str, str | None], None]


@dataclass(frozen=True, kw_only=True)
class Spec:
    """A value's expected shape. Subclasses check values and describe themselves as JSON Schema."""

    help: str = ""

    def check(self, value: Any, path: tuple, report: Report) -> None:
        raise NotImplementedError

    def json_schema(self) -> dict[str, Any]:
        raise NotImplementedError

    def describe(self) -> str:
        raise NotImplementedError


@dataclass(frozen=True, kw_only=True)
class Text(Spec):
    pattern: re.Pattern[str] | None = None
    pattern_help: str = ""
    max_length: int = 2000

    def check(self, value, path, report):
        if not isinstance(value, str):
            report(path, f"expected text, found {type_name(value)} {value!r}", None)
        elif not value.strip():
            report(path, "must not be empty", None)
        elif len(value) > self.max_length:
            report(path, f"is {len(value)} characters long; at most {self.max_length}", None)
        elif self.pattern and not self.pattern.fullmatch(value):
            report(path, f"{value!r} is not {self.pattern_help}", None)

    def json_schema(self):
        s: dict[str, Any] = {"type": "string", "minLength": 1, "maxLength": self.max_length}
        if self.pattern:
            s["pattern"] = self.pattern.pattern
        if self.help:
            s["description"] = self.help
        return s

    def describe(self):
        return self.pattern_help or "text"


@dataclass(frozen=True, kw_only=True)
class Minutes(Spec):
    maximum: int = 600

    def check(self, value, path, report):
        if isinstance(value, bool) or not isinstance(value, int):
            report(path, f"expected a whole number of minutes, found {type_name(value)} {value!r}", None)
        elif not 1 <= value <= self.maximum:
            report(path, f"{value} is out of range; expected 1 to {self.maximum} minutes", None)

    def json_schema(self):
        return {"type": "integer", "minimum": 1, "maximum": self.maximum, "description": self.help}

    def describe(self):
        return f"whole minutes, 1 to {self.maximum}"


@dataclass(frozen=True, kw_only=True)
class Number(Spec):
    minimum: int = 1
    maximum: int = 999

    def check(self, value, path, report):
        if isinstance(value, bool) or not isinstance(value, int):
            report(path, f"expected a whole number, found {type_name(value)} {value!r}", None)
        elif not self.minimum <= value <= self.maximum:
            report(path, f"{value} is out of range; expected {self.minimum} to {self.maximum}", None)

    def json_schema(self):
        return {"type": "integer", "minimum": self.minimum, "maximum": self.maximum, "description": self.help}

    def describe(self):
        return f"whole number, {self.minimum} to {self.maximum}"


@dataclass(frozen=True, kw_only=True)
class Choice(Spec):
    values: tuple[str, ...] = ()

    def check(self, value, path, report):
        if value not in self.values or not isinstance(value, str):
            near = difflib.get_close_matches(str(value), self.values, n=1)
            hint = f"did you mean {near[0]!r}?" if near else None
            report(path, f"{value!r} is not allowed; expected one of {', '.join(self.values)}", hint)

    def json_schema(self):
        return {"type": "string", "enum": list(self.values), "description": self.help}

    def describe(self):
        return ", ".join(f"`{v}`" for v in self.values)


@dataclass(frozen=True, kw_only=True)
class ListOf(Spec):
    item: Spec
    min_items: int = 0
    max_items: int = 200

    def check(self, value, path, report):
        if not isinstance(value, list):
            report(path, f"expected a list (lines starting with `- `), found {type_name(value)}", None)
            return
        if len(value) < self.min_items:
            report(path, f"needs at least {self.min_items} item{'s' if self.min_items > 1 else ''}", None)
        if len(value) > self.max_items:
            report(path, f"has {len(value)} items; at most {self.max_items}", None)
        for i, v in enumerate(value):
            self.item.check(v, path + (i,), report)

    def json_schema(self):
        s = {"type": "array", "items": self.item.json_schema(), "description": self.help}
        if self.min_items:
            s["minItems"] = self.min_items
        return s

    def describe(self):
        return f"list of {self.item.describe()}"


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
    fields: tuple[Field, ...] = ()
    exactly_one_of: tuple[str, ...] = ()
    name: str = "mapping"

    def by_name(self) -> dict[str, Field]:
        return {f.name: f for f in self.fields}

    def check(self, value, path, report):
        if not isinstance(value, dict):
            report(path, f"expected a mapping of `key: value` lines, found {type_name(value)}", None)
            return
        known = self.by_name()
        for key in value:
            if key not in known:
                near = difflib.get_close_matches(str(key), list(known), n=1, cutoff=0.6)
                hint = f"did you mean {near[0]!r}?" if near else f"allowed: {', '.join(known)}"
                report(path + (key,), f"unknown key {key!r}", hint)
        for f in self.fields:
            if f.name in value:
                if value[f.name] is None and not f.required:
                    continue
                f.spec.check(value[f.name], path + (f.name,), report)
            elif f.required:
                report(path, f"missing required key {f.name!r} ({f.spec.describe()})", f.example or None)
        if self.exactly_one_of:
            present = [k for k in self.exactly_one_of if value.get(k) is not None]
            if len(present) != 1:
                report(path, f"needs exactly one of {' or '.join(map(repr, self.exactly_one_of))}", None)

    def json_schema(self):
        s: dict[str, Any] = {
            "type": "object",
            "additionalProperties": False,
            "properties": {f.name: _with_default(f) for f in self.fields},
        }
        required = [f.name for f in self.fields if f.required]
        if required:
            s["required"] = required
        if self.exactly_one_of:
            s["oneOf"] = [{"required": [k]} for k in self.exactly_one_of]
        if self.help:
            s["description"] = self.help
        return s

    def describe(self):
        return self.name


def _with_default(f: Field) -> dict[str, Any]:
    s = dict(f.spec.json_schema())
    if f.default is not None:
        s["default"] = f.default
    return {k: v for k, v in s.items() if v not in ("", None)}


DIFFICULTIES = ("intro", "standard", "advanced")
MATH_LEVELS = ("none", "light", "heavy")
STATUSES = ("published", "draft")

PREREQUISITE = Mapping(
    help="A lesson to read first (`lesson: slug` or `lesson: track/slug`) or free text (`text: ...`).",
    name="`{lesson: ref}` or `{text: ...}`",
    fields=(
        Field("lesson", Text(help="Slug of a lesson in this track, or track/slug.", pattern=REF_RE,
                             pattern_help="a lesson slug or track/slug")),
        Field("text", Text(help="A prerequisite that is not a lesson.")),
    ),
    exactly_one_of=("lesson", "text"),
)

TIME = Mapping(
    help="Minutes a learner needs.",
    name="`{read: minutes, practice: minutes}`",
    fields=(
        Field("read", Minutes(help="Reading time in minutes; kept within 30% of the estimate from the prose (200 words a minute, plus time per formula)."), required=True, example="read: 8", note="minutes at 200 words a minute; tracksite check says when it is off"),
        Field("practice", Minutes(help="Minutes for the practice section."), example="practice: 10", note="minutes for the Practice section"),
    ),
)

LESSON = Mapping(
    help="Front-matter of lessons/<track>/<lesson>/lesson.md",
    name="lesson front-matter",
    fields=(
        Field("title", Text(help="The lesson's title.", max_length=120), required=True, example="title: Loops, in brief"),
        Field("summary", Text(help="One sentence; shown on the track page and used as the meta description.", max_length=300), required=True, example="summary: One sentence on what the learner gets from this lesson."),
        Field("objectives", ListOf(item=Text(max_length=300), min_items=1, help="What a learner can do by the end (\"By the end, you'll be able to\")."), required=True, example="objectives:\n  - explain ...", note="what a learner can do by the end; the quiz and flashcards practise each"),
        Field("questions", ListOf(item=Text(max_length=300), min_items=1, max_items=6, help="The questions the lesson answers, shown at its top (\"Questions this lesson answers\")."), example="questions:\n  - Which problem does this idea solve?", note="the questions the lesson answers, shown at its top"),
        Field("keypoints", ListOf(item=Text(max_length=400), min_items=1, max_items=8, help="What to remember, shown at the foot of the lesson and gathered on the track's Key points page."), example="keypoints:\n  - The one idea to remember from this lesson.", note="what to remember, shown at the foot of the lesson"),
        Field("prerequisites", ListOf(item=PREREQUISITE, help="What to know first: lessons (linked) or text."), example="prerequisites:\n  - lesson: earlier-lesson\n  - text: Comfort with vectors and dot products", note="what to know first: a lesson (slug, or track/slug) or free text"),
        Field("time", TIME, required=True, example="time: {read: 8, practice: 10}"),
        Field("difficulty", Choice(values=DIFFICULTIES, help="How demanding the lesson is."), default="standard"),
        Field("math", Choice(values=MATH_LEVELS, help="How much mathematics the lesson uses."), default="none"),
        Field("deep_dives", ListOf(item=Text(pattern=TRACK_REF_RE, pattern_help="a track/lesson reference"), help="Lessons of other tracks that go deeper: a \"Go deeper\" box."), example="deep_dives:\n  - other-track/lesson-slug", note="lessons of other tracks that go deeper, as track/slug"),
        Field("credits", Text(help="Source attribution shown at the foot of the lesson.", max_length=1000), example="credits: Sources this lesson draws on, shown at its foot."),
        Field("status", Choice(values=STATUSES, help="Drafts show under `mkdocs serve` only."), default="published", note="a draft is shown by `mkdocs serve` only: delete this line to publish"),
    ),
)

PHASE = Mapping(
    help="A named group of lessons, in order.",
    name="phase",
    fields=(
        Field("title", Text(help="The phase's title.", max_length=120), required=True),
        Field("lessons", ListOf(item=Text(pattern=SLUG_RE, pattern_help="a slug (lower-case letters, digits and hyphens)"), min_items=1, help="Lesson slugs in order: the only source of lesson numbers."), required=True),
    ),
)

TRACK = Mapping(
    help="lessons/<track>/track.yml: track metadata and lesson order.",
    name="track.yml",
    fields=(
        Field("number", Number(help="The track's number, unique in the course."), required=True, example="number: 4"),
        Field("title", Text(help="The track's title.", max_length=120), required=True),
        Field("summary", Text(help="One or two sentences for the home page.", max_length=400), required=True),
        Field("phases", ListOf(item=PHASE, min_items=1, help="Phases in order, each with its lessons."), required=True),
    ),
)

PAGE = Mapping(
    help="Optional front-matter of overview.md and cheatsheet files.",
    name="page front-matter",
    fields=(Field("title", Text(help="Overrides the page's title.", max_length=120)),),
)


TERM = Mapping(
    help="One glossary term of the track.",
    name="term",
    fields=(
        Field("term", Text(help="The term as learners read it; a plural (-s, -es) counts as a use too.", max_length=80),
              required=True, example="term: Attention weight"),
        Field("definition", Text(help="One or two sentences, shown in the tooltip and on the glossary page.",
                                 max_length=400), required=True, example="definition: How much one token draws on another."),
        Field("aliases", ListOf(item=Text(max_length=80), help="Other spellings or forms that also count as a use.")),
        Field("lesson", Text(help="The lesson that teaches the term (\"taught in\"): a slug of this track, or track/slug.",
                             pattern=REF_RE, pattern_help="a lesson slug or track/slug"), required=True,
              example="lesson: attention-and-transformers"),
        Field("introduced", Text(help="An earlier lesson of this track that names the term briefly before `lesson` "
                                      "teaches it: uses from that lesson on are expected, not warned about.",
                                 pattern=SLUG_RE, pattern_help="a lesson slug of this track")),
    ),
)

GLOSSARY = Mapping(
    help="lessons/<track>/glossary.yml: the track's terms, each defined once.",
    name="glossary.yml",
    fields=(Field("terms", ListOf(item=TERM, min_items=1, max_items=500, help="The terms, in any order (the glossary page sorts them)."),
                  required=True, example="terms:\n  - term: Token\n    definition: ...\n    lesson: tokens-and-embeddings"),),
)


SPECS: dict[str, Mapping] = {
    "lesson": LESSON, "track": TRACK, "phase": PHASE, "prerequisite": PREREQUISITE, "time": TIME, "page": PAGE,
    "glossary": GLOSSARY, "term": TERM,
}


def validate(spec: Mapping, located: Located) -> list[tuple[int | None, str, str, str | None]]:
    """Check a located document; returns (line, field, message, hint) for every problem."""
    found: list[tuple[int | None, str, str, str | None]] = []

    def report(path: tuple, message: str, hint: str | None) -> None:
        found.append((located.line(*path), field_name(path), message, hint))

    spec.check(located.value, (), report)
    return found


def field_name(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def json_schema(spec: Mapping, title: str, schema_id: str) -> dict[str, Any]:
    s = {"$schema": "http://json-schema.org/draft-07/schema#", "$id": schema_id, "title": title}
    s.update(spec.json_schema())
    return s


def field_table(spec: Mapping) -> str:
    """A Markdown table of the fields, for the authoring guide."""
    rows = ["| key | required | expected | default | what it is for |", "|---|---|---|---|---|"]
    for f in spec.fields:
        default = f"`{f.default}`" if f.default is not None else ""
        rows.append(
            f"| `{f.name}` | {'yes' if f.required else 'no'} | {f.spec.describe()} | {default} | {f.spec.help} |"
        )
    return "\n".join(rows)
