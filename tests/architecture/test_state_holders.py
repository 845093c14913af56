"""Issue 87: state lives in owners handed down, not in modules.

A module-level state holder is a name bound at the top of a module of the package that its own
code changes at run time: rebound through `global`, or a container or object it mutates in place
(`X[k] = v`, `del X[k]`, `X.attr = v`, `X.append(...)`, `X.clear()`, ...). Each is a lifetime no
object owns: it outlives the check or build that filled it, leaks between tests, and is reset by
hand. What a check or build remembers lives in its `core/memory.Memory` instead. Caches of pure
functions (`functools.lru_cache`/`cache`) are counted apart: they hold no state of a course.
"""

from __future__ import annotations

import ast
from pathlib import Path

from support.course import REPO

PACKAGE = REPO / "scripts" / "tracksite"
#: At most this many module-level state holders in the whole package (issue 87: 36 before, 6 after).
MOST = 8
#: Methods that change a container or object in place.
MUTATORS = frozenset(
    "append add update clear pop setdefault extend remove discard insert popitem move_to_end appendleft".split()
)


def _top_names(tree: ast.Module) -> set[str]:
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.value is not None:
            names.add(node.target.id)
    return names


def _changed_targets(target: ast.expr, names: set[str]) -> set[str]:
    if isinstance(target, ast.Tuple | ast.List | ast.Starred):
        inner = target.elts if not isinstance(target, ast.Starred) else [target.value]
        return {name for t in inner for name in _changed_targets(t, names)}
    if isinstance(target, ast.Subscript | ast.Attribute) and isinstance(target.value, ast.Name):
        return {target.value.id} & names
    return set()


def changing_classes(sources: list[str]) -> set[str]:
    """The names of the classes in `sources` with a method other than `__init__` that sets an
    attribute of `self`: an instance of one at a module's top is state, changed through its methods."""
    found = set()
    for source in sources:
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.ClassDef):
                continue
            methods = [f for f in node.body if isinstance(f, ast.FunctionDef) and f.name != "__init__"]
            for part in (n for f in methods for n in ast.walk(f)):
                targets = [part.target] if isinstance(part, ast.AugAssign) else getattr(part, "targets", [])
                if isinstance(part, ast.Assign | ast.AugAssign) and any(
                    isinstance(e, ast.Attribute) and isinstance(e.value, ast.Name) and e.value.id == "self"
                    for t in targets
                    for e in ast.walk(t)
                ):
                    found.add(node.name)
    return found


def holders_in(source: str, changing: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """The module-level names of `source` that its functions rebind or mutate, or that hold an
    instance of one of the `changing` classes."""
    tree = ast.parse(source)
    names, found = _top_names(tree), set()
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            made = ast.unparse(node.value.func).rpartition(".")[2]
            if made in changing:
                found |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if isinstance(node, ast.Global):
                found |= set(node.names) & names
            elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                owner = node.func.value
                if isinstance(owner, ast.Name) and owner.id in names and node.func.attr in MUTATORS:
                    found.add(owner.id)
            elif isinstance(node, ast.Assign | ast.Delete | ast.AugAssign):
                targets = [node.target] if isinstance(node, ast.AugAssign) else node.targets
                found |= {name for t in targets for name in _changed_targets(t, names)}
    return found


def pure_caches_in(source: str) -> int:
    """How many functions of `source` are wrapped in `lru_cache` or `cache`."""
    count = 0
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            marks = [ast.unparse(d) for d in node.decorator_list]
            count += any("lru_cache" in m or m.endswith("cache") and "cached" not in m for m in marks)
    return count


def _package_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "assets" not in p.parts)


def all_holders() -> list[str]:
    texts = {path: path.read_text(encoding="utf-8") for path in _package_files()}
    changing = changing_classes(list(texts.values()))
    return [
        f"{path.relative_to(PACKAGE)}:{name}"
        for path, text in texts.items()
        for name in sorted(holders_in(text, changing))
    ]


def test_the_count_sees_every_kind_of_change():
    source = (
        "A = {}\nB = []\nC = None\nD = set()\nE = object()\nF = {}\nG = []\nH = (1,)\nI = {}\nJ = {}\nK = [0]\n"
        "def f():\n"
        "    global C\n"
        "    C = 1\n"
        "    A['k'] = 1\n"
        "    B.append(1)\n"
        "    D.add(1)\n"
        "    E.x = 1\n"
        "    del F['k']\n"
        "    I['n'] += 1\n"
        "    J.clear()\n"
        "    x, K[0] = 1, 2\n"
        "    return G[0], H\n"  # read only: not state
    )
    assert holders_in(source) == set("ABCDEFIJK")
    classes = "class Kept:\n    def turn(self):\n        self.n = 1\nclass Still:\n    def __init__(self):\n        self.n = 1\n"
    assert changing_classes([classes]) == {"Kept"}
    assert holders_in("L = Kept()\nM = Still()\nN = mod.Kept()\n", {"Kept"}) == {"L", "N"}
    assert (
        pure_caches_in("import functools\n@functools.lru_cache(maxsize=None)\ndef f(): pass\n@cache\ndef g(): pass\n")
        == 2
    )


def test_module_level_state_holders_are_few():
    holders = all_holders()
    caches = sum(pure_caches_in(p.read_text(encoding="utf-8")) for p in _package_files())
    print(f"{len(holders)} module-level state holders, {caches} pure-function caches: {holders}")
    assert len(holders) <= MOST, f"{len(holders)} module-level state holders (at most {MOST}): {holders}"
