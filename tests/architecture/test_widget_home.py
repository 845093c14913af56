"""Issues 52 and 75: one home per widget. Each widget's registry entry (core/widgetregistry.py)
names its folder under core/widgets/ (`home`), which holds every piece of its Python: its body's
description, the dataclasses generated from it and its parser (`body.py`), its block (`block.py`)
and the pass the check runs on it (`check.py`); beside it, its files (theme/assets/) and its editors' schema
(theme/schemas/). These tests start from the registry alone: every piece it names exists and is
the piece it says, and no widget file or folder exists that no entry names."""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import PurePosixPath

from support import package_source
from support.course import REPO
from tracksite import theme
from tracksite.commands.editor_schema import SCHEMAS
from tracksite.core import widgetregistry as W

PACKAGE = REPO / "scripts" / "tracksite"

#: The modules of the widgets' floor (and of the folders that held widgets' pieces before issue
#: 75) that belong to no one widget, and why.
SHARED = {
    "adapter/blocks/__init__.py": "the Markdown extension, which loads each entry's block",
    "core/widgets/common.py": "the blocks' base classes, element helpers, JSON islands and code highlighting",
    "core/widgets/pagepython.py": "what the page's Python can import, for runnable and predict blocks",
    "core/widgets/knownfailures.py": "the course's list of exercises whose check is known to fail",
    "core/widgets/decimals.py": "numbers as the attention widgets' tables show them",
    "core/widgets/inline.py": "widget texts as inline Markdown with math",
    "core/widgets/islands.py": "the typed, versioned data an exported widget gives the exports",
    "core/widgets/__init__.py": "what the widgets' package is (its docstring alone)",
    "core/widgets/bodies.py": "loads each entry's body",
    "core/widgets/body.py": "reading a body with the schema language",
    "core/widgets/tables.py": "the authoring guide's field tables",
    "core/widgets/validate.py": "the check of every widget block of a page",
    "core/schema/__init__.py": "the package's docstring",
    "core/schema/language.py": "the schema language",
    "core/schema/choices.py": "the words an instructor chooses from",
    "core/schema/specs.py": "front matter and the course files",
    "core/schema/remote.py": "remote-files.yml",
    "core/schema/explain.py": "YAML's errors in plain words",
}
#: The folders that may hold no widget's piece but those above: a widget's Python is all in its
#: folder under core/widgets/ (not in the adapter's blocks, the schema's or the checks' folders).
FOLDERS = ("adapter/blocks", "core/widgets", "core/schema", "core/checks")
#: The checks that are no widget's (core/checks/ holds the course's passes, not a widget's).
CHECKS = {p.relative_to(PACKAGE).as_posix() for p in (PACKAGE / "core/checks").glob("*.py")}


def named_pieces() -> dict[str, set[str]]:
    """Every file the registry names -> the widgets that name it."""
    named: dict[str, set[str]] = {}
    for w in W.WIDGETS:
        for piece in w.pieces():
            named.setdefault(piece, set()).add(w.name)
    return named


def test_the_registry_finds_every_piece_of_every_widget():
    for w in W.WIDGETS:
        pieces = w.pieces()
        home = f"core/widgets/{w.home}"
        assert f"{home}/block.py" in pieces
        assert (f"{home}/body.py" in pieces) == w.data, w.name  # described, generated and read in one module
        assert not {"schema.py", "shapes.py"} & {p.name for p in (PACKAGE / home).iterdir()}, w.name
        for piece in pieces:
            assert (PACKAGE / piece).is_file(), f"{w.name}: {piece} does not exist"
        block = importlib.import_module(f"tracksite.core.widgets.{w.home}.block")
        blocks = [v for v in vars(block).values() if isinstance(v, type) and getattr(v, "WIDGET", None) is w]
        assert len({b.NAME for b in blocks}) == 1 and blocks[0].NAME == w.name, w.name
        if w.data:
            body = importlib.import_module(f"tracksite.core.widgets.{w.home}.body").BODY
            assert body.widget is w
            shapes = importlib.import_module(f"tracksite.core.widgets.{w.home}.body").SHAPES
            assert shapes and all(spec is not None for _, spec, _ in shapes)
            assert _reaches(body.spec, [spec for _, spec, _ in shapes]), w.name
        if w.schema_file:
            assert w.schema_file in {name for name, _, _ in SCHEMAS}
        assert w.export in (None, *W.EXPORTS)


def _reaches(spec, targets) -> bool:
    """The body's spec is one of the description's shapes or holds one (a list of questions)."""
    item = getattr(spec, "item", None)
    return any(spec is t for t in targets) or (item is not None and _reaches(item, targets))


def test_no_widget_file_exists_that_the_registry_does_not_name():
    """Every module of the widgets' floor is a widget's (in its folder, named by its entry) or
    shared; the adapter's blocks/ holds the extension alone, and core/schema/ and core/checks/
    no widget's module (a widget named `quiz` has no `core/schema/quiz.py` beside its folder)."""
    named = named_pieces()
    for folder in FOLDERS:
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            rel = path.relative_to(PACKAGE).as_posix()
            if folder == "core/checks" and rel in CHECKS and path.stem not in {w.home for w in W.WIDGETS}:
                continue
            assert rel in named or rel in SHARED, f"{rel}: no widget's registry entry names it"
            assert not (rel in named and rel in SHARED), rel
    assert set(SHARED) <= {p.relative_to(PACKAGE).as_posix() for f in FOLDERS for p in (PACKAGE / f).glob("*.py")}
    assert sorted(p.name for p in (PACKAGE / "adapter/blocks").glob("*.py")) == ["__init__.py"]


def test_every_widget_folder_is_a_widgets_home():
    """A folder under core/widgets/ is the home of a registry entry, and holds that widget's
    pieces only: adding a widget means adding a folder (and its entry), nothing else."""
    homes = {w.home for w in W.WIDGETS}
    folders = {p.name for p in (PACKAGE / "core/widgets").iterdir() if p.is_dir() and p.name != "__pycache__"}
    assert folders == homes
    for w in W.WIDGETS:
        assert w.home.isidentifier() and w.home == w.name.replace("-", "_") or w.name == "solution", w.name


def test_every_theme_file_is_a_widgets_or_the_themes():
    """A file under theme/assets/tracksite/ is a widget's (its entry names it), or the theme's:
    linked by every page (theme.STYLESHEETS, theme.SCRIPTS), the runtime of `/// runnable`
    (theme.RUNTIME), or named by a template."""
    named = named_pieces()
    themes = {a.removeprefix("assets/") for a in (*theme.STYLESHEETS, *theme.SCRIPTS)}
    templates = "\n".join(p.read_text(encoding="utf-8") for p in theme.TEMPLATES.rglob("*.html"))
    for path in sorted((theme.ASSETS / "tracksite").iterdir()):
        rel = path.relative_to(theme.ASSETS).as_posix()
        if path.name == "__pycache__" or f"theme/assets/{rel}" in named or rel in themes or path.name in templates:
            continue
        assert any(f"assets/{rel}".startswith(r.rstrip("/")) for r in theme.RUNTIME), f"{rel}: no one names it"
    schemas = {name for name, _, _ in SCHEMAS}
    for path in sorted(theme.SCHEMAS.glob("*.schema.json")):
        assert path.name in schemas, f"theme/schemas/{path.name}: no schema of `tracksite editor-schema` writes it"


def test_no_module_finds_a_widget_by_listing_a_folder():
    """The blocks and bodies are found from the entries: nothing walks the widgets' folders
    (`pkgutil.iter_modules`) to find them, which let a stray module become a widget's."""
    for folder in FOLDERS:
        for path in sorted((PACKAGE / folder).rglob("*.py")):
            tree = package_source.tree(path)
            calls = {
                n.func.attr for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
            }
            assert "iter_modules" not in calls, path


def test_a_renderer_the_registry_does_not_name_is_not_used(monkeypatch):
    """The extension reads the registry's names: an entry naming another module gets that
    module's block or fails at import, whatever modules the folder holds."""
    from tracksite.adapter import blocks

    moved = W.Widget(**{**W.QUIZ.__dict__, "home": "flashcards"})
    monkeypatch.setattr(W, "WIDGETS", (*[w for w in W.WIDGETS if w is not W.QUIZ], moved))
    try:
        blocks._renderers()
    except ImportError as e:
        assert "core/widgets/flashcards/block.py" in str(e) and W.QUIZ.name in str(e)
    else:
        raise AssertionError("a widget whose named module has no block for it was accepted")


def test_a_widgets_check_and_benchmark_are_its_entrys():
    """What the check runs of a widget (a runnable's code against its tests) and its benchmark
    are named by its entry: the check runs the `PASS` of each `check.py` in a widget's folder (and
    no such module, nor one of tools/bench/ named after a widget, is left unnamed), and the
    exercise pack asks the body, not the widget's name, whether a block checks an answer."""
    from tracksite.core import checks

    for w in W.WIDGETS:
        check = PACKAGE / "core/widgets" / w.home / "check.py"
        assert check.is_file() == w.check, f"{check}: its entry's `check` says {w.check}"
        if w.check:
            module = importlib.import_module(f"tracksite.core.widgets.{w.home}.check")
            assert module.PASS in checks.PASSES, w.name
        assert not (PACKAGE / "core/checks" / f"{w.home}.py").exists(), "a widget's check lives in its folder"
        if (PACKAGE / "tools/bench" / f"{w.name}.py").is_file():
            assert f"tools/bench/{w.name}.py" in w.pieces(), f"tools/bench/{w.name}.py: its entry does not name it"
    assert [p.__module__ for p in checks.PASSES].count("tracksite.core.widgets.runnable.check") == 1
    pack = (PACKAGE / "core/site/trackpages.py").read_text(encoding="utf-8")
    assert "RUNNABLE" not in pack and "runnable" not in pack.replace("runnable snippet", "")


def _widget_imports(path, package: str) -> set[str]:
    """Every module of tracksite a module imports, by name: `import`, `from ... import` (relative
    ones resolved from `package`, the module's own package), and `importlib.import_module("...")`
    with a literal name."""
    found = set()
    for node in package_source.nodes(path):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found |= {module} | {f"{module}.{alias.name}" for alias in node.names}
        elif isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module":
            if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                found.add(node.args[0].value)
    return found


def test_no_widget_folder_imports_another():
    """One home per component (issue 75): a widget's folder imports no other widget's folder.
    What two widgets share (the page's Python, code highlighting, a table's numbers) lives in a
    shared module of core/widgets/ (SHARED above), so moving or deleting one widget's folder
    never breaks another's."""
    homes = {w.home for w in W.WIDGETS}
    crossings = []
    for home in sorted(homes):
        for path in sorted((PACKAGE / "core/widgets" / home).rglob("*.py")):
            package = "tracksite.core.widgets." + ".".join(path.relative_to(PACKAGE / "core/widgets").parent.parts)
            for name in sorted(_widget_imports(path, package)):
                parts = name.split(".")
                other = parts[3] if parts[:3] == ["tracksite", "core", "widgets"] and len(parts) > 3 else None
                if other in homes and other != home:
                    crossings.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not crossings, "a widget's folder imports another's:\n" + "\n".join(crossings)


def test_the_walk_the_guide_counts_is_a_data_widgets_files():
    """docs/architecture.md counts the files a new data widget with a script and a stylesheet
    takes (issue 87's walk). Predict is such a widget: its files are its registry entry's pieces,
    the registry, its section of the authoring guide and its tests, all in tests/core/widgets/<home>/
    (no test of it elsewhere); the guide's sentence says as many files in as many folders, and they
    stay within issue 87's 11 files in 5 folders."""
    w = W.PREDICT
    assert w.data and {a.rsplit(".", 1)[1] for a in w.assets} == {"js", "css"}
    files = {f"scripts/tracksite/{p}" for p in w.pieces()} | {"scripts/tracksite/core/widgetregistry.py"}
    files.add("docs/authoring.md")
    tests = REPO / "tests/core/widgets" / w.home
    files |= {p.relative_to(REPO).as_posix() for p in tests.glob("test_*.py")}
    elsewhere = [p for p in (REPO / "tests").rglob(f"test_*{w.name}*.py") if tests not in p.parents]
    assert elsewhere == [], "a widget's tests are in its folder under tests/core/widgets/"
    assert all((REPO / f).is_file() for f in files)
    home = [f for f in files if f.startswith(f"scripts/tracksite/core/widgets/{w.home}/")]
    assert len(home) == 6 and f"scripts/tracksite/core/widgets/{w.home}/words.yml" in home
    folders = {PurePosixPath(f).parent for f in files}
    guide = (REPO / "docs/architecture.md").read_text(encoding="utf-8")
    said = re.search(r"a new data widget with a script and a stylesheet is (\d+) files in (\d+) folders", guide)
    assert said and (int(said[1]), int(said[2])) == (len(files), len(folders)), sorted(files)
    assert len(files) <= 11 and len(folders) <= 5, "the walk grew past issue 87's 11 files in 5 folders"
