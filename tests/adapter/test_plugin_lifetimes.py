"""The plugin keeps its values by lifetime (issue 52): what one build holds is a
`buildstate.BuildState`, what lives across `mkdocs serve` rebuilds a `process.Process`, the
caches and helpers one `speed.Speed`. A value added straight onto `TracksitePlugin` instead grows
the hub back, and fails here naming the attributes."""

from __future__ import annotations

import ast

from support.course import REPO

PLUGIN = REPO / "scripts" / "tracksite" / "adapter" / "plugin.py"
MOST = 10


def assigned_on_self(source: str, class_name: str) -> set[str]:
    """Every `self.<name>` a method of `class_name` assigns (plain, annotated, augmented, tuple)."""
    tree = ast.parse(source)
    cls = next(n for n in tree.body if isinstance(n, ast.ClassDef) and n.name == class_name)
    names: set[str] = set()

    def collect(target: ast.expr) -> None:
        if isinstance(target, (ast.Tuple, ast.List)):
            for element in target.elts:
                collect(element)
        elif isinstance(target, ast.Starred):
            collect(target.value)
        elif isinstance(target, ast.Attribute) and isinstance(target.value, ast.Name) and target.value.id == "self":
            names.add(target.attr)

    for node in ast.walk(cls):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                collect(target)
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign)):
            collect(node.target)
        elif isinstance(node, ast.NamedExpr):
            collect(node.target)
        elif isinstance(node, (ast.For, ast.AsyncFor, ast.With, ast.AsyncWith)):
            targets = [node.target] if isinstance(node, (ast.For, ast.AsyncFor)) else []
            targets += [i.optional_vars for i in getattr(node, "items", []) if i.optional_vars is not None]
            for target in targets:
                collect(target)
    return names


def test_the_counter_sees_every_kind_of_assignment():
    source = (
        "class P:\n"
        "    def __init__(self):\n"
        "        self.a = 1\n"
        "        self.b: int = 2\n"
        "    def m(self, x):\n"
        "        self.c, (self.d, *self.e) = x\n"
        "        self.a += 1\n"
        "        self.f = self.g = 0\n"
        "        for self.h in x: pass\n"
        "        with x as self.i: pass\n"
        "        other.j = 1\n"
        "        self.k.l = 1\n"
    )
    assert assigned_on_self(source, "P") == set("abcdefghi")  # not `other.j`, not `self.k.l`


def test_the_plugin_holds_at_most_ten_attributes():
    names = assigned_on_self(PLUGIN.read_text(encoding="utf-8"), "TracksitePlugin")
    assert {"process", "build", "speed"} <= names, names  # the three lifetimes, each one object
    assert len(names) <= MOST, f"TracksitePlugin assigns {len(names)} attributes: {sorted(names)}"
