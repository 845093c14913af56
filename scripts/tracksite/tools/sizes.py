"""`python -m tracksite.tools.sizes`: the modules over 500 lines and the functions over 60 lines
of the package, longest first: the developers' guide's limits, measured rather than guessed."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1]
MODULE_LIMIT = 500
FUNCTION_LIMIT = 60


def measure(root: Path = PACKAGE) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(lines, module) over the module limit and (lines, module:function) over the function limit."""
    modules, functions = [], []
    for path in sorted(root.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(root.parent).as_posix()
        n = len(text.splitlines())
        if n > MODULE_LIMIT:
            modules.append((n, rel))
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                assert node.end_lineno is not None  # ast.parse sets it on every statement
                length = node.end_lineno - node.lineno + 1
                if length > FUNCTION_LIMIT:
                    functions.append((length, f"{rel}:{node.lineno} {node.name}"))
    return sorted(modules, reverse=True), sorted(functions, reverse=True)


def main() -> int:
    modules, functions = measure()
    print(f"modules over {MODULE_LIMIT} lines: {len(modules)}")
    for n, name in modules:
        print(f"  {n:5}  {name}")
    print(f"functions over {FUNCTION_LIMIT} lines: {len(functions)}")
    for n, name in functions:
        print(f"  {n:5}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
