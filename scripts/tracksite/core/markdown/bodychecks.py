"""Body checks for what renders silently wrong: leftovers from other formats, a second title, and
a `math:` level that says something else than the lesson does.

- A pandoc/Carpentries fenced div (`::: challenge`) is not Markdown this site knows: it renders
  as text, with a challenge's solution in plain view. It is an error naming the block to use.
- A `# Title` in a lesson, overview or cheatsheet body is a second `<h1>`
  beside the page title that comes from the front-matter.
- `math: none` tells learners the lesson has no formulas; a lesson with formulas is an error,
  and `light`/`heavy` on a lesson without any formula is a warning.
"""

from __future__ import annotations

import re

from tracksite.core import widgetregistry as W
from tracksite.core.markdown.blocks import lines_holding, text_fence_spans
from tracksite.core.markdown.prose import DATA_BLOCKS, DISPLAY_MATH, INLINE_MATH, line_index, prose_text
from tracksite.core.memo import memo

_DIV = re.compile(r"^\s*:{3,}\s*(?:\{(?:[^}]*?\s)?\.(?P<cls>[A-Za-z][\w-]*)[^}]*\}|\{[^}]*\}|(?P<name>[A-Za-z][\w-]*))")
_ATX_H1 = re.compile(r"^ {0,3}#(?:\s+|$)(?P<text>.*)$")

# What each Carpentries div becomes here (docs/authoring.md describes each block). A div named
# like one of our widgets (exercise, solution, instructor) becomes that widget, as its registry
# entry's `usage` says.
_INSTEAD: dict[str, str] = {
    "challenge": str(W.EXERCISE.usage),
    **{w.name: w.usage for w in W.WIDGETS if w.usage},
    "hint": "a `/// details | Hint` block inside the exercise",
    "callout": "a note: `/// note | Title` ... `///`",
    "discussion": "a `/// question | Discuss` block",
    "spoiler": "a `/// details | Title` block (collapsed until opened)",
    "questions": "the lesson's `questions:` list in the front-matter",
    "objectives": "the lesson's `objectives:` list in the front-matter",
    "keypoints": "the lesson's `keypoints:` list in the front-matter",
    "prereq": "the lesson's `prerequisites:` list in the front-matter",
    "checklist": "a `/// note | Checklist` block with a list",
}
_LESSON_KINDS = ("lesson", "overview", "cheatsheet")


def check_documents(project, problems) -> None:
    """Add the problems of every loaded document's body to `problems`. What a body yields depends
    on its text, kind, math level and the line of `math:` alone, so it is remembered per text (core/memo.py): under
    `mkdocs serve` a rebuild reads again only the bodies that changed."""
    for doc in project.documents:
        lesson = project.curriculum.lesson(doc.lesson_key or "") if doc.kind == "lesson" else None
        math = lesson.math if lesson is not None else None
        math_line = doc.meta.line("math") if doc.meta is not None else None
        key = ("body-checks", doc.body, doc.body_line, doc.kind, math, math_line)
        for line, message, extra in memo(key, lambda d=doc, m=math: _body_findings(d, m)):
            problems.add(doc.path, line, message, **extra)


class _Found:
    """Stands in for a ProblemList while one body is read: keeps (line, message, options)."""

    def __init__(self) -> None:
        self.items: list[tuple[int | None, str, dict]] = []

    def add(self, _path, line, message, **extra) -> None:
        self.items.append((line, message, extra))


def _body_findings(doc, math) -> list[tuple[int | None, str, dict]]:
    found = _Found()
    _fenced_divs(doc, found)
    if doc.kind in _LESSON_KINDS:
        _fence_in_list(doc, found)
        _second_title(doc, found)
    if math is not None:
        _math_level(doc, math, found)
    return found.items


def _prose_lines_holding(doc, needle: str):
    """(line number, line) of each prose line of `doc` that holds `needle`, which every line a
    rule looks for holds: the page's other lines are not walked one by one."""
    numbers, text = prose_text(doc.body, doc.body_line, DATA_BLOCKS)
    return [(numbers[i], line) for i, _, line in lines_holding(text, (needle,))]


def _fenced_divs(doc, problems) -> None:
    for number, line in _prose_lines_holding(doc, ":::"):
        m = _DIV.match(line)
        if not m or not (m.group("name") or m.group("cls")):
            continue  # a closing `:::` (or attributes with no class)
        name = (m.group("name") or m.group("cls")).lower()
        instead = _INSTEAD.get(name, "a `/// note | Title` or `/// details | Title` block")
        problems.add(
            doc.path,
            number,
            f"`::: {name}` is a pandoc fenced div, which this site does not render: "
            "it would show as plain text"
            + (", its solution in view" if name in ("challenge", W.SOLUTION.name) else ""),
            hint=f"use {instead}; `tracksite import carpentries` converts whole lessons",
            code="TS505",
            column=len(line) - len(line.lstrip()) + 1,
        )


def _second_title(doc, problems) -> None:
    for number, line in _prose_lines_holding(doc, "#"):
        m = _ATX_H1.match(line)
        if m:
            problems.add(
                doc.path,
                number,
                f"`# {m.group('text').strip()}` is a second page title: the page's title comes from the front-matter `title`",
                hint="delete the line (write the title in `title:`), or make it a section with `## `",
                code="TS506",
                column=len(line) - len(line.lstrip()) + 1,
            )


_LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+\.)\s+\S")
_SHALLOW_FENCE = re.compile(r"^( {1,3})(`{3,}|~{3,})")


def _fence_in_list(doc, problems) -> None:
    """A fence indented 1-3 spaces under a list item (GitHub's way) ends the list here: Python-
    Markdown wants list content indented by 4 spaces, so the numbering starts again after it."""
    lines = doc.body.split("\n")
    fences = dict(text_fence_spans(doc.body))
    if not any(_SHALLOW_FENCE.match(lines[start]) for start in fences):
        return  # no fence indented 1-3 spaces: nothing to find, whatever the lists
    in_list, i = False, 0
    while i < len(lines):
        line = lines[i]
        if i in fences:
            if in_list and _SHALLOW_FENCE.match(line):
                problems.add(
                    doc.path,
                    doc.body_line + i,
                    "this code block is indented less than 4 spaces, so it "
                    "ends the list above and the list starts again after it",
                    severity="warning",
                    hint="indent the fence and every line of the block by 4 spaces to keep it in the list item",
                    code="TS507",
                    column=len(line) - len(line.lstrip()) + 1,
                )
            i = fences[i] + 1
            continue
        if _LIST_ITEM.match(line):
            in_list = True
        elif line.strip() and not line.startswith((" ", "\t")):
            in_list = False
        i += 1


_TEXT_MATH = re.compile(r"\\\(.+?\\\)|\\\[.+?\\\]", re.S)  # \( ... \) and \[ ... \]


def formulas(body: str, first_line: int) -> list[int]:
    """The line of each formula in a body (prose and widget texts; never code), remembered per
    text across `mkdocs serve` rebuilds."""
    return memo(("formulas", body, first_line), lambda: _formulas(body, first_line))


def _formulas(body: str, first_line: int) -> list[int]:
    found = []
    numbers, text = prose_text(body, first_line, frozenset())
    index = None
    for rx in (DISPLAY_MATH, INLINE_MATH, _TEXT_MATH):
        for m in rx.finditer(text):
            index = index or line_index(text)  # (most pages have no formula)
            found.append(numbers[index(m.start())])
    return sorted(found)


def _math_level(doc, level: str, problems) -> None:
    found = formulas(doc.body, doc.body_line)
    line = doc.meta.line("math") if doc.meta is not None else None
    if level == "none" and found:
        problems.add(
            doc.path,
            line or found[0],
            f"`math: none` but the lesson has {len(found)} formula{'s' if len(found) > 1 else ''} "
            f"(first on line {found[0]})",
            field="math",
            hint="set `math: light` for a few formulas or `math: heavy` for a lesson built on them",
            code="TS508",
        )
    elif level != "none" and not found:  # any level that promises formulas
        problems.add(
            doc.path,
            line,
            f"`math: {level}` but the lesson has no formula",
            field="math",
            hint="set `math: none`, so learners know what to expect",
            severity="warning",
            code="TS508",
        )
