"""Where a read reports what it found: one problem with its line, field path and hint.

The schema language (`schemalang`) reports through a `Context`, and the widget parsers, the
block syntax, the redirects and the site plan hand back the same `Finding`; the reporting is
kept apart from the types that describe a value's shape.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Finding:
    """One problem: the line (relative to the document's first line, or the file's own line
    when `file` is set), the message, the field path as text (`options[1].explain`), a hint,
    and its problem code (core/problems/codes.py), required so that no read can leave it out."""

    line: int | None
    message: str
    field: str | None = None
    hint: str | None = None
    severity: str = "error"
    file: Any = None
    code: str = dataclasses.field(kw_only=True)
    column: int | None = dataclasses.field(default=None, kw_only=True)


class Context:
    """Where `read` reports problems, and the scalars exactly as written (for text fields that
    YAML read as numbers: `text: 42` is the text "42")."""

    def __init__(
        self, lines: dict | None = None, raw: Callable[[tuple], str | None] | None = None, prefix: str = ""
    ) -> None:
        self.lines = lines if lines is not None else {}
        self.raw = raw or (lambda path: None)
        self.prefix = prefix
        self.findings: list[Finding] = []

    def line(self, path: tuple) -> int | None:
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get(())

    def report(self, path: tuple, message: str, hint: str | None = None, severity: str = "error", *, code: str) -> None:
        name = field_name(path)
        self.findings.append(Finding(self.line(path), message, (self.prefix + name) or None, hint, severity, code=code))


def field_name(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
