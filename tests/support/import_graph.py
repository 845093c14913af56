"""The package's import graph, read from its source (tests/support/package_source.py): each import as an edge
between modules, and its cycles. The import and floor rules of tests/architecture read it."""

from __future__ import annotations

import ast
import functools
from dataclasses import dataclass
from pathlib import Path

from support import package_source
from support.course import REPO

PACKAGE = REPO / "scripts" / "tracksite"


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    line: int
    local: bool  # inside a function or method


def import_edges(package: Path = PACKAGE) -> list[Edge]:
    """Every import of the package's modules, found once a test process while no file changed."""
    paths = tuple(sorted(package.rglob("*.py")))
    return list(_edges(package, paths, tuple(package_source.stamp(p) for p in paths)))


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


@functools.cache
def _edges(package: Path, paths: tuple[Path, ...], stamps: tuple) -> tuple[Edge, ...]:
    known = {module_name(p, package) for p in paths}
    edges = []
    for path in paths:
        module, tree = module_name(path, package), package_source.tree(path)
        for node, local in _walk(tree):
            for target in _targets(module, path.name == "__init__.py", node, known):
                edges.append(Edge(module, target, node.lineno, local))
    return tuple(edges)


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _targets(module: str, is_package: bool, node: ast.Import | ast.ImportFrom, known: set[str]) -> list[str]:
    """The modules an import statement loads: `from a import b` loads `a.b` when that is a module."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = _resolve(module, is_package, node)
    out = [f"{base}.{a.name}" for a in node.names if f"{base}.{a.name}" in known]
    return out if len(out) == len(node.names) else [base, *out]


def _walk(tree: ast.AST, local: bool = False):
    for child in ast.iter_child_nodes(tree):
        inside = local or isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
        if isinstance(child, (ast.Import, ast.ImportFrom)):
            yield child, local
        yield from _walk(child, inside)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    base = base if is_package else base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))
