"""Reading a widget block's YAML body with the schema language: the project's strict YAML
reader (tracksite.core.yaml.safe) and a description from tracksite.core.schema.specs. Lines are
relative to the body (1 = its first line)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracksite.core.memo import memo
from tracksite.core.problems.findings import Finding
from tracksite.core.schema.language import INVALID, Mapping, Spec, read
from tracksite.core.widgetregistry import Widget
from tracksite.core.yaml.safe import parse
from tracksite.errors import SourceProblem

YAML_HINT = "quote text that contains ': ' or starts with a special character such as *, &, !, [, {, > or |"

Issue = Finding  # a widget problem is a schema finding


@dataclass(frozen=True)
class Body:
    """A data widget's body, as its module under core/widgets/ declares it in `BODY`.

    The registry names the module (its entry's `body`) but cannot import it (it imports nothing
    of tracksite), so core/widgets/bodies.py loads every `BODY` by that name and the validation,
    the editor schemas, the authoring guide's field tables and the objectives' coverage read them
    from there: a new data widget adds its entry and its module and touches none of those."""

    widget: Widget
    spec: Spec  # the schema of the body: editors' JSON Schema (the registry's `schema_title`)
    parse: Callable[[str, Path], tuple[Any, list[Finding]]]  # (body, lesson folder) -> (value or None, findings)
    tables: tuple[tuple[str, Mapping], ...] = ()  # (marker name, spec): field tables of docs/authoring.md
    practice: Callable[[Any], list[str]] | None = None  # the text of each practice item a parsed value holds
    # whether a parsed value of a graded widget checks an answer (the exercise pack gathers it):
    # None for all of them; a runnable snippet without tests runs and checks nothing
    checks_answer: Callable[[Any], bool] | None = None
    files: tuple[tuple[str, Spec, str], ...] = ()  # editors' JSON Schemas of the data files it reads: name, spec, title
    # the HTML attributes a copy of the block in the exercise pack takes to stay its lesson's
    # exercise (where the learner's work is kept): (lesson's page id, its place among the
    # lesson's blocks of its kind, from 1) -> attributes; None when the place does not matter
    placed: Callable[[str, int], dict[str, str]] | None = None


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Plain text safe to hand to Python-Markdown's tree: drop control characters (STX/ETX are
    Markdown's placeholder markers) and normalise surrounding whitespace. (Compiled once: a
    rendered quiz asks this of every text it writes, some hundred a page.)"""
    return _CONTROL.sub("", value).strip()


def clean(value: Any) -> Any:
    """`clean_text` on every string of a read value."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, dict):
        return {k: clean(v) for k, v in value.items()}
    return value


def read_body(text: str, spec: Spec, empty: str) -> tuple[Any, list[Finding], dict]:
    """(the value as `spec` reads it, or INVALID; findings; key path -> line).

    Remembered per text: the widget check, the objectives coverage and the page render each
    read every quiz and card deck, and pure-Python YAML is the slowest step of a build.
    Callers only read the result."""
    return memo(("widget-body", text, id(spec), empty), lambda: _read_body(text, spec, empty))


def _read_body(text: str, spec: Spec, empty: str) -> tuple[Any, list[Finding], dict]:
    try:
        located = parse(text)
    except SourceProblem as exc:
        # no column: the body was dedented, so the parser's columns are not the file's
        return INVALID, [Finding(exc.line, exc.message, hint=YAML_HINT, code=exc.code)], {}
    if located.value is None:
        return INVALID, [Finding(1, empty, code="TS404")], {}
    value, findings = read(spec, located.value, located.lines, located.raw.get)
    return (clean(value) if value is not INVALID else INVALID), findings, located.lines


def errors(findings) -> list[Finding]:
    return [f for f in findings if f.severity == "error"]
