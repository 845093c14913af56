"""Issue 52: MkDocs' internals are named in one module, adapter/mkdocsinternals.py, and checked here
against the installed MkDocs and ProperDocs, so an upgrade that renames or reshapes one fails
here, naming it, rather than in a build (or, worse, in a build that silently got slower).

Each name of `mkdocsinternals.INTERNALS` is resolved in both engines' packages and its
parameters compared (names and defaults; annotations are the engine's business); the others are
read as MkDocs uses them (the page title `Page.render` sets, the serve builder's closure, the
dev server's attributes). The last test keeps the rest of the package off them.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from typing import Any

import pytest

from support.course import REPO
from tracksite.adapter import mkdocsinternals as internals

ADAPTER = REPO / "scripts" / "tracksite"
ENGINES = ("mkdocs", "properdocs")


def resolve(engine: str, dotted: str) -> Any:
    """`commands.build._populate_page` in `engine`'s package: the longest module path, then attributes."""
    parts = dotted.split(".")
    for n in range(len(parts), 0, -1):
        try:
            obj: Any = importlib.import_module(".".join([engine, *parts[:n]]))
        except ImportError:
            continue
        for name in parts[n:]:
            obj = getattr(obj, name)
        return obj
    raise ImportError(f"{engine}.{dotted}")


def parameters(func: Any) -> str:
    """A signature without its annotations: `(config, *, serve_url=None, dirty=False)`."""
    out, star = [], False
    for p in inspect.signature(func).parameters.values():
        if p.kind is p.KEYWORD_ONLY and not star:
            out.append("*")
            star = True
        out.append(p.name if p.default is p.empty else f"{p.name}={p.default!r}")
    return "(" + ", ".join(out) + ")"


def _special(engine: str, dotted: str) -> None:
    """The internals that are not attributes one can resolve: each checked as MkDocs uses it."""
    if dotted == "structure.pages.Page._title_from_render":
        page = resolve(engine, "structure.pages.Page")
        assert "self._title_from_render =" in inspect.getsource(page.render)  # render sets it
        title = vars(page)["title"]  # a property (MkDocs' weak_property: `func`)
        assert "_title_from_render" in inspect.getsource(getattr(title, "func", None) or title.fget)  # it reads it
    elif dotted == "commands.serve.serve.builder":
        serve = resolve(engine, "commands.serve.serve")
        builders = [c for c in serve.__code__.co_consts if inspect.iscode(c) and c.co_name == "builder"]
        assert builders and set(internals.SERVE_CLOSURE) <= set(builders[0].co_freevars)
    elif dotted == "commands.build.utils":
        assert resolve(engine, dotted) is importlib.import_module(f"{engine}.utils")
    elif dotted == "utils.get_themes.cache_clear":  # the theme loader empties the list's cache
        assert "get_themes.cache_clear()" in inspect.getsource(resolve(engine, "theme.Theme._load_theme_config"))
    elif dotted == "utils.CountHandler.counts":
        assert isinstance(resolve(engine, "utils.CountHandler")().counts, dict)
    else:
        raise AssertionError(f"mkdocsinternals.INTERNALS names {dotted} without parameters: say how it is checked")


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("dotted", sorted(internals.INTERNALS))
def test_each_internal_is_there_as_tracksite_uses_it(engine, dotted):
    expected = internals.INTERNALS[dotted]
    if expected is None:
        _special(engine, dotted)
        return
    assert parameters(resolve(engine, dotted)) == expected, f"{engine}.{dotted} changed"


@pytest.mark.parametrize("engine", ENGINES)
def test_the_build_logs_the_dirty_warning_serve_filters_out(engine):
    assert internals.DIRTY_WARNING in inspect.getsource(resolve(engine, "commands.build"))
    assert internals.BUILD_LOGGER.split(".", 1)[1] == "commands.build"


@pytest.mark.parametrize("engine", ENGINES)
def test_the_dev_server_has_what_devserver_reads(engine, tmp_path):
    server_class = resolve(engine, "livereload.LiveReloadServer")
    server = server_class(builder=lambda: None, host="127.0.0.1", port=0, root=str(tmp_path))
    try:
        missing = [name for name in internals.SERVER_ATTRIBUTES if not hasattr(server, name)]
        assert not missing, f"{engine}'s LiveReloadServer has no {missing}"
        assert not server.serve_thread.is_alive()
    finally:
        server.server_close()


def test_the_helpers_do_what_they_say(tmp_path):
    """The patches undo themselves: the writer, the `markdown` global, a file's `is_modified`."""
    from mkdocs import utils
    from mkdocs.structure.files import File
    from mkdocs.structure.pages import Page

    original, seen = utils.write_file, []
    undo = internals.reroute_writes(utils, lambda content, path, write: seen.append((content, path, write)))
    utils.write_file(b"x", "out.html")
    undo()
    assert utils.write_file is original and seen == [(b"x", "out.html", original)]

    render = internals.page_render()
    assert render is Page.render
    real = render.__globals__["markdown"]
    with internals.markdown_module(render, lambda module: ("wrapped", module)):
        assert render.__globals__["markdown"] == ("wrapped", real)
    assert render.__globals__["markdown"] is real
    with internals.markdown_module(render, lambda module: None):  # re-entered: left alone
        assert render.__globals__["markdown"] is real

    file = File("a.md", str(tmp_path), str(tmp_path / "site"), use_directory_urls=True)
    internals.mark_modified(file, False)
    assert file.is_modified() is False

    def builder(config: Any = None) -> None:
        print(get_config, serve_url, is_clean)  # noqa: T201  # a closure like MkDocs' serve builder

    get_config, serve_url, is_clean = object(), "http://127.0.0.1:8000/", True
    assert internals.serve_settings(builder) == (get_config, serve_url, is_clean)
    assert internals.serve_settings(lambda: None) is None


# What only mkdocsinternals.py may name: MkDocs' private attributes, the patched globals and
# methods, and the modules of its internals.
PRIVATE = {"_title_from_render", "_populate_page", "_build_page", "write_file", "__globals__"}
REPLACED = {"render", "is_modified"}  # a page's or a file's method, replaced (called, they are public)
MODULES = ("mkdocs.commands", "mkdocs.livereload", "properdocs")
CALLS = {"getclosurevars", "CountHandler"}


def touches(source: str) -> list[str]:
    """Where a module's code names one of MkDocs' internals (comments and docstrings aside)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and ast.unparse(node.value) == "mkdocsinternals":
            continue  # the way through
        if isinstance(node, ast.Attribute) and node.attr in PRIVATE | CALLS:
            found.append((node.lineno, f".{node.attr}"))
        elif isinstance(node, ast.Attribute) and node.attr in REPLACED and isinstance(node.ctx, ast.Store):
            found.append((node.lineno, f".{node.attr} replaced"))
        elif isinstance(node, ast.Name) and node.id in CALLS:
            found.append((node.lineno, node.id))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            found += [(node.lineno, f"import {n}") for n in names if n.startswith(MODULES)]
            if isinstance(node, ast.ImportFrom) and node.module == "mkdocs":
                found += [(node.lineno, f"import mkdocs.{a.name}") for a in node.names if a.name == "utils"]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and node.value in PRIVATE:
            found.append((node.lineno, repr(node.value)))
        elif isinstance(node, ast.Call) and ast.unparse(node.func) == "super" and node.args:
            if ast.unparse(node.args[0]) == "LiveReloadServer":
                found.append((node.lineno, "super(LiveReloadServer, ...)"))
    return [f"{line}: {what}" for line, what in sorted(found)]


def test_nothing_else_touches_mkdocs_internals():
    found = []
    for path in sorted(ADAPTER.rglob("*.py")):
        if path.name == "mkdocsinternals.py":
            continue
        found += [f"{path.relative_to(REPO).as_posix()}:{where}" for where in touches(path.read_text(encoding="utf-8"))]
    assert found == [], "route these through adapter/mkdocsinternals.py:\n" + "\n".join(found)


def test_the_scan_sees_each_kind_of_touch():
    source = (
        "from mkdocs.commands.build import build\nimport mkdocs.livereload\nfrom mkdocs import utils\n"
        "t = page._title_from_render\npage.render = f\nutils.write_file = g\nx = getattr(p, '_title_from_render')\n"
        "f.__globals__['markdown'] = m\nsuper(LiveReloadServer, self).shutdown()\n"
        "inspect.getclosurevars(b)\nfile.is_modified = h\n"
    )
    assert [line.split(":")[0] for line in touches(source)] == [str(n) for n in range(1, 12)]
    clean = "page.render(config, files)\nf.is_modified()\nmkdocsinternals.write_file(b, p)\n'_title_from_render, in words.'\n"
    assert touches(clean) == []


def _markdown_internal(dotted: str) -> Any:
    """`pymdownx.blocks.BlocksProcessor.stack` -> the class, the attribute's name."""
    module, cls, name = dotted.rsplit(".", 2)
    return getattr(importlib.import_module(module), cls), name


@pytest.mark.parametrize("dotted", sorted(internals.MARKDOWN_INTERNALS))
def test_each_markdown_internal_is_there_as_tracksite_uses_it(dotted):
    """Issue 75: what the converter has replaced of Python-Markdown and pymdownx is named in the
    internals module too, and found in the installed packages: a method with its parameters, an
    attribute set by the class's `__init__`."""
    cls, name = _markdown_internal(dotted)
    expected = internals.MARKDOWN_INTERNALS[dotted]
    if expected is None:
        assert re.search(rf"self\.{name}\b\s*(?::[^=\n]*)?=", inspect.getsource(cls.__init__)), dotted
    else:
        assert parameters(getattr(cls, name)) == expected, dotted


#: The attributes of Python-Markdown's and pymdownx's objects that only the internals module
#: replaces, and html5lib's private tokenizer, which only core/htmlread.py reads (core may not
#: import the adapter).
MARKDOWN_REPLACED = {name.rsplit(".", 1)[1] for name in internals.MARKDOWN_INTERNALS} - {"stack"}


def markdown_touches(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in MARKDOWN_REPLACED:
            found.append(f"{node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module == "html5lib":
            found += [f"{node.lineno}: html5lib.{a.name}" for a in node.names if a.name.startswith("_")]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            found += [f"{node.lineno}: import {n}" for n in names if n.startswith("html5lib._")]
    return sorted(found, key=lambda where: int(where.split(":")[0]))


def test_nothing_else_touches_markdowns_or_html5libs_internals():
    homes = {"adapter/mkdocsinternals.py", "core/htmlread.py"}
    found = []
    for path in sorted(ADAPTER.rglob("*.py")):
        rel = path.relative_to(ADAPTER).as_posix()
        if rel.removeprefix("tracksite/") not in homes:
            found += [f"{rel}:{where}" for where in markdown_touches(path.read_text(encoding="utf-8"))]
    assert found == [], "route these through adapter/mkdocsinternals.py (html5lib: core/htmlread.py):\n" + "\n".join(
        found
    )
    assert markdown_touches("p.compiled_re = x\nm.parse_blocks = f\nfrom html5lib import _tokenizer\n") == [
        "1: .compiled_re",
        "2: .parse_blocks",
        "3: html5lib._tokenizer",
    ]
