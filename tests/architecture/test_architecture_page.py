"""docs/architecture.md draws the package as it is (issue 41): every module of scripts/tracksite/
is named in one of its drawings under its own folder, every module a drawing names exists, and
every path the page names elsewhere exists. A module added, moved or deleted without the page
fails here, naming the module."""

from __future__ import annotations

import re

import pytest

from support.course import REPO

PACKAGE = REPO / "scripts" / "tracksite"
PAGE = REPO / "docs" / "architecture.md"
# The roots the drawings start from, and the folder of the package each stands for.
ROOTS = {"tracksite/": "", "core/": "core/"}

_FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.M | re.S)
_LINE = re.compile(r"^(?P<indent> *)(?P<first>\S+)")
_MODULE = re.compile(r"(?<![\w/.-])(\w+\.py)\b")
# A path with a folder in it: `adapter/blocks/`, `core/model/shapes.py`, `tests/architecture/test_imports.py`.
_PATH = re.compile(r"(?<![\w./<>*-])((?:[\w-]+/){2,}|(?:[\w-]+/)+[\w-]+\.(?:py|md|js|css|json))(?![\w*<>-])")


def drawn(text: str) -> set[str]:
    """The modules the page's drawings name, as paths inside the package (`core/model/shapes.py`).

    A drawing is a fenced block whose first line is a root of ROOTS. A line whose first word ends
    in `/` opens a folder inside the nearest folder less indented; a line whose first word is a
    module names it in the nearest folder less indented; any other line goes on the line before.
    Every `name.py` on a line is a module of that line's folder (a path like `core/site/x.py` is
    not: the page's paths are checked on their own)."""
    found: set[str] = set()
    for block in _FENCE.findall(text):
        lines = block.splitlines()
        if not lines or lines[0].strip() not in ROOTS:
            continue
        stack = [(-1, ROOTS[lines[0].strip()])]
        owner = stack[0][1]
        for line in lines[1:]:
            m = _LINE.match(line)
            if m is None:
                continue
            indent, first = len(m["indent"]), m["first"]
            if first.endswith("/") or _MODULE.fullmatch(first):
                while stack[-1][0] >= indent:
                    stack.pop()
                owner = stack[-1][1]
                if first.endswith("/"):
                    owner += first
                    stack.append((indent, owner))
            found |= {owner + name for name in _MODULE.findall(line)}
    return found


def modules() -> set[str]:
    """Every module of the package but the folders' `__init__.py` (a folder is drawn by name)."""
    out = set()
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE).as_posix()
        if "__pycache__" not in rel and (path.name != "__init__.py" or rel == "__init__.py"):
            out.add(rel)
    return out


def named_paths(text: str) -> set[str]:
    """Paths with a folder in them that the page names outside its drawings."""
    prose = _FENCE.sub("", text)
    return {m.group(1) for m in _PATH.finditer(prose)}


def exists(path: str) -> bool:
    """A path as the page writes it: from the package, from core/, or from the repository."""
    return any((base / path).exists() for base in (PACKAGE, PACKAGE / "core", REPO))


def test_every_module_is_drawn_under_its_folder():
    missing = modules() - drawn(PAGE.read_text(encoding="utf-8"))
    assert not missing, f"name these in docs/architecture.md's drawings, under their folder: {sorted(missing)}"


def test_every_module_drawn_exists():
    stale = {m for m in drawn(PAGE.read_text(encoding="utf-8")) if not (PACKAGE / m).is_file()}
    assert not stale, f"docs/architecture.md draws modules the package does not have: {sorted(stale)}"


def test_every_path_the_page_names_exists():
    paths = named_paths(PAGE.read_text(encoding="utf-8"))
    assert {
        "core/problems/problem.py",
        "adapter/blocks/",
        "tests/architecture/test_imports.py",
    } <= paths  # the reader sees them
    missing = {p for p in paths if not exists(p)}
    assert not missing, f"docs/architecture.md names paths that do not exist: {sorted(missing)}"


@pytest.mark.parametrize(
    "drawing,expected",
    [
        (
            "```\ncore/\n  memo.py   x\n  site/     plan.py (a), b.py\n            c.py, d\n```\n",
            {"core/memo.py", "core/site/plan.py", "core/site/b.py", "core/site/c.py"},
        ),
        (
            "```\ntracksite/\n  errors.py  e\n  adapter/\n    plugin.py  p (core/site/x.py)\n    blocks/    q.py\n  guard.py\n```\n",
            {"errors.py", "adapter/plugin.py", "adapter/blocks/q.py", "guard.py"},
        ),
        ("```\nlessons/\n  a.py\n```\n", set()),  # a drawing of a course, not of the package
    ],
)
def test_the_drawings_are_read_by_folder(drawing, expected):
    assert drawn(drawing) == expected


def test_a_module_missing_from_the_page_is_found(tmp_path):
    page = tmp_path / "architecture.md"
    text = PAGE.read_text(encoding="utf-8")
    page.write_text(text.replace("sizes.py", "other.py").replace("`adapter/caches/buildcache.py`", "`adapter/gone.py`"))
    assert "tools/sizes.py" not in drawn(page.read_text()) and "tools/other.py" in drawn(page.read_text())
    assert not exists("adapter/gone.py") and "adapter/gone.py" in named_paths(page.read_text())


def test_core_keeps_at_most_twelve_modules_at_its_top():
    """Issue 41: core/ had 42 modules at its top, split by size; its concepts are folders now,
    and what stays at the top is the few modules every folder uses (the page draws each)."""
    top = sorted(p.name for p in (PACKAGE / "core").glob("*.py") if p.name != "__init__.py")
    assert len(top) <= 12, top
