"""Issue 87.2: the page's state reaches the blocks typed, from where it is made to where a block
reads it: no parameter, attribute or return along the chain that holds it is `Any` or left
unannotated (which the type checker reads as `Any`), so mypy follows `WidgetContext` the whole
way. The chain: the plugin's build state (adapter/buildstate.py), where the state is made
(adapter/pages/pagecontext.py), the blocks extension (adapter/blocks/), the blocks' base and
every widget's block (core/widgets/common.py, core/widgets/*/block.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from support.course import REPO

PACKAGE = REPO / "scripts" / "tracksite"
#: Names that hold the page's state along the chain.
STATE_NAMES = frozenset({"ctx", "context", "widget_context"})


def chain() -> list[Path]:
    widgets = PACKAGE / "core" / "widgets"
    return [
        PACKAGE / "adapter" / "buildstate.py",
        PACKAGE / "adapter" / "pages" / "pagecontext.py",
        PACKAGE / "adapter" / "blocks" / "__init__.py",
        widgets / "common.py",
        *sorted(widgets.glob("*/block.py")),
    ]


def untyped(source: str) -> list[str]:
    """Where `source` holds the page's state without a type, or as `Any`: a parameter named for
    it, a `self.` attribute named for it set in a method, a function named for it (its return),
    and every field of `WidgetContext`."""
    found = []

    def check(annotation: ast.expr | None, where: str) -> None:
        if annotation is None or "Any" in ast.unparse(annotation):
            found.append(f"{where}: {ast.unparse(annotation) if annotation else 'no type'}")

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef):
            arguments = node.args.posonlyargs + node.args.args + node.args.kwonlyargs
            for a in arguments:
                if a.arg in STATE_NAMES:
                    check(a.annotation, f"{node.name}({a.arg}) line {node.lineno}")
            if node.name in STATE_NAMES or node.name.endswith("_context") or node.name == "context_of":
                check(node.returns, f"{node.name}() line {node.lineno}")
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Attribute):
            if node.target.attr in STATE_NAMES:
                check(node.annotation, f"self.{node.target.attr} line {node.lineno}")
        elif isinstance(node, ast.Assign):
            for t in node.targets:
                if isinstance(t, ast.Attribute) and t.attr in STATE_NAMES and ast.unparse(t.value) == "self":
                    # (typed where the parameter it is set from is; an unannotated value is named)
                    if not isinstance(node.value, ast.Name):
                        found.append(f"self.{t.attr} line {node.lineno}: set without a type")
        elif isinstance(node, ast.ClassDef) and node.name == "WidgetContext":
            for field in node.body:
                if isinstance(field, ast.AnnAssign):
                    check(field.annotation, f"WidgetContext.{ast.unparse(field.target)}")
    return found


def test_the_page_state_is_typed_from_where_it_is_made_to_every_block():
    files = chain()
    assert len(files) >= 10 and all(p.is_file() for p in files)  # (every widget's block, and the adapter's)
    found = {str(p.relative_to(PACKAGE)): untyped(p.read_text(encoding="utf-8")) for p in files}
    assert {name: where for name, where in found.items() if where} == {}


def test_the_measure_sees_a_state_left_untyped():
    source = (
        "from typing import Any\n"
        "def _url(ctx, name: str) -> str: ...\n"
        "def draw(context: Any) -> None: ...\n"
        "def widget_context(page):\n    ...\n"
        "class S:\n    def __init__(self) -> None:\n        self.widget_context: Any = None\n"
        "class WidgetContext:\n    page_id: str\n    data_url: Any\n"
        "def fine(ctx: WidgetContext) -> WidgetContext: ...\n"
    )
    assert sorted(untyped(source)) == [
        "WidgetContext.data_url: Any",
        "_url(ctx) line 2: no type",
        "draw(context) line 3: Any",
        "self.widget_context line 8: Any",
        "widget_context() line 4: no type",
    ]
