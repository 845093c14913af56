"""A formula the build cannot draw is an error with its file and line (core/markdown/tex.py)."""

from __future__ import annotations

from tracksite.core.checks.common import problems_of
from tracksite.core.markdown import tex as texcheck

# Front-matter strings the pages show with `$...$` drawn as math (the templates' `ts_text`).
_STRINGS = ("summary",)
_LISTS = ("objectives", "questions", "keypoints")
_HINT = "write TeX that latex2mathml reads (see docs/authoring.md, Math); check the braces and the command names"


def formulas(project) -> list:
    """Every formula of every page and of the lessons' front-matter that cannot be drawn."""
    out = problems_of(project)
    for doc in project.documents:
        for line, tex, reason in texcheck.bad_formulas(doc.body, doc.body_line):
            out.add(doc.path, line, f"formula `{tex[:60]}` cannot be drawn: {reason}", hint=_HINT, code="TS513")
        meta = doc.meta.value if isinstance(doc.meta.value, dict) else {}
        for name, index, text in _front_matter_strings(meta):
            for tex, reason in texcheck.bad_in_string(text):
                line = doc.meta.line(name, index) if index is not None else doc.meta.line(name)
                where = f"{name}[{index}]" if index is not None else name
                out.add(
                    doc.path,
                    line,
                    f"formula `{tex[:60]}` cannot be drawn: {reason}",
                    field=where,
                    hint=_HINT,
                    code="TS513",
                )
    return out.items


def _front_matter_strings(meta: dict):
    for name in _STRINGS:
        if isinstance(meta.get(name), str):
            yield name, None, meta[name]
    for name in _LISTS:
        items = meta.get(name)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, str):
                yield name, i, item
