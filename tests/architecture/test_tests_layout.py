"""Issue 87: the tests are a package's tests. What they share apart from fixtures lives in
tests/support (imported as `from support import harness`); fixtures live in conftest.py files,
where pytest finds them without an import. A test module that imported another (its fixtures,
its helpers) ran that module's top level again under another name, tied the two files' layout
together and needed each folder on pytest's path (14 entries); now tests/ is the one entry.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

from support.course import REPO

TESTS = REPO / "tests"
SKIPPED = {".npm", "data", "__pycache__"}


def own_files(tests: Path) -> list[Path]:
    """The suite's Python files (not the npm tools' nor the data's)."""
    return sorted(p for p in tests.rglob("*.py") if not SKIPPED & set(p.relative_to(tests).parts))


def cross_imports(tests: Path) -> list[str]:
    """Each import, anywhere under `tests`, of a test module, a conftest.py or a helper that is
    not in the support package: `file:line module`. Only tests/support is importable by name."""
    files = own_files(tests)
    support = tests / "support"
    local = {p.stem for p in files if support not in p.parents} | {"conftest"}
    out = []
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.ImportFrom):  # a relative import: the folders are no packages
                names = ["." * node.level + (node.module or "")]
            else:
                continue
            for name in names:
                if name.split(".")[0] in local or name.startswith("."):
                    out.append(f"{path.relative_to(tests).as_posix()}:{node.lineno} {name}")
    return out


def test_no_test_module_imports_another_or_a_conftest():
    assert cross_imports(TESTS) == []


def test_the_check_finds_each_kind_of_cross_import(tmp_path):
    """The check above fails where a test imports another test module, a conftest.py or a helper
    kept beside the tests, at the top or inside a function; `support` is allowed."""
    (tmp_path / "support").mkdir()
    (tmp_path / "support" / "__init__.py").write_text("")
    (tmp_path / "support" / "course.py").write_text("import conftest\n")
    (tmp_path / "core").mkdir()
    (tmp_path / "conftest.py").write_text("from support import course\n")
    (tmp_path / "core" / "helpers.py").write_text("")
    (tmp_path / "core" / "test_a.py").write_text(
        "from support.course import REPO\nfrom test_b import thing\nimport helpers\n"
        "def test_x():\n    from conftest import run_mkdocs\n"
    )
    (tmp_path / "core" / "test_b.py").write_text("from . import test_a\n")
    assert cross_imports(tmp_path) == [
        "core/test_a.py:2 test_b",
        "core/test_a.py:3 helpers",
        "core/test_a.py:5 conftest",
        "core/test_b.py:1 .",
        "support/course.py:1 conftest",
    ]


def test_pytest_has_the_tests_folder_on_its_path_and_no_other():
    """The support package is found from tests/; each test folder needs no entry (pytest puts a
    test file's own folder on the path as it imports it), and the package is installed."""
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    on_path = config["tool"]["pytest"]["ini_options"]["pythonpath"]
    assert len(on_path) <= 2 and "tests" in on_path, on_path


def test_the_tests_are_laid_out_like_the_package():
    """Issue 75: the tests in folders named like the package's, conftest.py alone at the top of
    tests/ beside the support package. pytest imports a test file by its name (the folders have
    no `__init__.py`), so no two test files share a name."""
    files = own_files(TESTS)
    names = [p.name for p in files if p.parent.name != "support" and p.name not in ("conftest.py", "__init__.py")]
    assert sorted({n for n in names if names.count(n) > 1}) == []
    top = sorted(p.name for p in TESTS.iterdir() if p.is_file() and p.suffix == ".py")
    assert top == ["conftest.py"], top
    helpers = [p.relative_to(TESTS).as_posix() for p in files if not p.name.startswith("test_")]
    outside = [h for h in helpers if not h.startswith("support/") and not h.endswith("conftest.py")]
    assert outside == [], f"helpers belong in tests/support: {outside}"
