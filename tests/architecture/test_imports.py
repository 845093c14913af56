"""Issue 30: the import graph of `tracksite` has no cycles and keeps to the layers.

Every module under `scripts/tracksite` is parsed (never imported) and every `import` in it is
read, at module level and inside functions alike, so an import hidden in a function to dodge a
cycle still counts as an edge. The graph must be acyclic; `core` must not reach up into
`search`, `adapter`, `commands` or `tools`; `search` (engine-free, between core and the adapter)
reads only core and the neutral modules, never MkDocs; `commands` and `tools` must not import
each other; and an
import inside a function is allowed only where the allow-list below says why.
"""

from __future__ import annotations

from support.import_graph import Edge, cycles, import_edges

# Imports that stay inside a function, each with its reason. Keyed by (importing module,
# imported module); anything else inside a function fails the test.
ALLOWED_LOCAL = {
    # Optional extras: not among the package's dependencies, so a module-level import would break
    # every command for a user without them; each function says how to install the extra.
    ("tracksite.commands.lsp", "tracksite.commands.lspserver"): "optional extra [lsp] (pygls), and the checks",
    ("tracksite.commands.pdf", "playwright.sync_api"): "optional: the PDF printer drives Chromium",
    ("tracksite.commands.pdf", "tracksite.commands.pdffile"): "optional extra [pdf]: pypdf reads and relinks the PDFs",
    ("tracksite.tools.minilm", "tracksite.tools.minilmpass"): "optional extra [attention]: numpy and friends",
    ("tracksite.tools.bench.run", "playwright.sync_api"): "optional: the browser benchmarks drive Chromium",
    (
        "tracksite.tools.bench.precision",
        "playwright.sync_api",
    ): "optional: Pagefind's side of the precision drives Chromium",
    ("tracksite.tools.bench.servemeasure", "playwright.sync_api"): "optional: the serve benchmark drives Chromium",
    # Commands loaded on demand: the CLI imports every command module to build its parser, so a
    # module-level import here would make `tracksite --help`, `init` or `linkcheck` load the
    # checks (Markdown, YAML, MathML), MkDocs or the file watcher they never use.
    ("tracksite.commands.cli", "tracksite.core.checks"): "on demand: `tracksite check`",
    ("tracksite.commands.cli", "tracksite.commands.watch"): "on demand: `tracksite check --watch` (watchdog)",
    ("tracksite.commands.common", "tracksite.core.checks"): "on demand: new/move/rename check their result",
    ("tracksite.commands.common", "tracksite.adapter.build"): "on demand: build, pdf, import and export build (MkDocs)",
    ("tracksite.commands.pdf", "tracksite.core.checks"): "on demand: `tracksite pdf` loads the course",
    # Today's HTML reading (issue 74) is needed only by a text with markup, which most courses'
    # pages never hold: its import alone cost every build more than a lesson's conversion (issue 88).
    ("tracksite.core.htmlread", "justhtml.parser.context"): "on demand: the first text with raw HTML",
    # Snowball's package loads every language's stemmer (17 to 24 ms), which a check never uses.
    ("tracksite.search.words", "snowballstemmer"): "on demand: the first word a search index stems",
    # The commands find the config file (`-f`) without MkDocs; only loading it needs the engine.
    ("tracksite.adapter.config.mkdocsconfig", "mkdocs.config"): "on demand: a command loads the site's config",
}


def internal_graph(edges: list[Edge]) -> dict[str, set[str]]:
    """Module -> the tracksite modules it loads; importing `a.b.c` also runs `a.b`'s `__init__`."""
    graph: dict[str, set[str]] = {}
    for e in edges:
        graph.setdefault(e.source, set())
        parts = e.target.split(".")
        for n in range(2, len(parts) + 1):
            target = ".".join(parts[:n])
            if parts[0] == "tracksite" and target != e.source and not e.source.startswith(target + "."):
                graph[e.source].add(target)
    return graph


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def layer_violations(edges: list[Edge]) -> list[str]:
    out = []
    for e in edges:
        src, dst = layer(e.source), layer(e.target) if e.target.startswith("tracksite.") else ""
        bad = (
            (
                src == "core"
                and (dst in ("search", "adapter", "commands", "tools") or e.target.split(".")[0] == "mkdocs")
            )
            or (src == "search" and (dst in ("adapter", "commands", "tools") or e.target.split(".")[0] == "mkdocs"))
            or ({src, dst} == {"commands", "tools"})
            # the theme's data files and their lists: the bottom layer, imports nothing of tracksite
            or (src == "theme" and e.target.startswith("tracksite."))
        )
        if bad:
            out.append(f"{e.source}:{e.line} imports {e.target}")
    return out


def local_imports(edges: list[Edge]) -> list[str]:
    return sorted({f"{e.source} -> {e.target}" for e in edges if e.local and (e.source, e.target) not in ALLOWED_LOCAL})


def test_the_import_graph_has_no_cycle():
    assert cycles(internal_graph(import_edges())) == []


def test_the_layers_point_down():
    assert layer_violations(import_edges()) == []


def test_core_never_asks_for_the_engines_entry_points():
    """The installed themes are engine knowledge: adapter/config/enginethemes.py finds them and the
    callers hand them to `checks.check`."""
    readers = [
        f"{e.source}:{e.line}"
        for e in import_edges()
        if layer(e.source) == "core" and e.target.startswith(("importlib.metadata", "importlib.util"))
    ]
    assert readers == []


#: The HTML parsers a module could read built pages with (tracksite.core.htmlread wraps two).
HTML_PARSERS = ("html.parser", "html5lib", "justhtml", "lxml", "bs4", "tracksite.core.htmlread")


def html_readers(edges: list[Edge], under: str = "tracksite.commands.export") -> list[str]:
    """`module:line imports parser` for each module under `under` that imports an HTML parser."""
    return sorted(
        f"{e.source}:{e.line} imports {e.target}"
        for e in edges
        if (e.source == under or e.source.startswith(under + "."))
        and any(e.target == p or e.target.startswith(p + ".") for p in HTML_PARSERS)
    )


def test_no_export_parses_the_built_pages():
    """Issue 75: the exports read the course's structure from its course.json and the widgets'
    data from their JSON islands, never from the built pages' markup (which ties them to the
    templates)."""
    assert html_readers(import_edges()) == []


def test_the_html_reader_check_sees_a_parser(tmp_path):
    pkg = tmp_path / "tracksite"
    (pkg / "commands" / "export").mkdir(parents=True)
    for init in (pkg, pkg / "commands", pkg / "commands" / "export"):
        (init / "__init__.py").write_text("")
    (pkg / "commands" / "export" / "a.py").write_text("from html.parser import HTMLParser\nimport json\n")
    (pkg / "commands" / "export" / "b.py").write_text("import re\n\ndef f():\n    import bs4\n")
    (pkg / "commands" / "other.py").write_text("import html5lib\n")
    assert html_readers(import_edges(pkg)) == [
        "tracksite.commands.export.a:1 imports html.parser",
        "tracksite.commands.export.b:4 imports bs4",
    ]


def test_imports_inside_functions_are_the_allowed_few():
    edges = import_edges()
    assert local_imports(edges) == []
    used = {(e.source, e.target) for e in edges if e.local}
    assert sorted(set(ALLOWED_LOCAL) - used) == []  # an entry nothing needs any more goes
    assert all(reason.strip() for reason in ALLOWED_LOCAL.values())
    # issue 41: at most 15 pairs and 15 statements; a new one replaces an old one
    assert len(ALLOWED_LOCAL) <= 15
    assert len({(e.source, e.line) for e in edges if e.local}) <= 15


def test_the_checker_sees_cycles_layers_and_hidden_imports(tmp_path):
    """The walker itself: a made-up package with a cycle hidden in a function, a core module
    importing a command and the search, a search module importing MkDocs and a command importing
    a tool."""
    pkg = tmp_path / "tracksite"
    for folder in ("core", "commands", "tools", "search"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "core" / "a.py").write_text("from . import b\n")
    (pkg / "core" / "b.py").write_text("def f():\n    from tracksite.core.a import x\n")
    (pkg / "core" / "c.py").write_text("import tracksite.commands.run\n")
    (pkg / "commands" / "run.py").write_text("from ..tools import bench\n")
    (pkg / "core" / "d.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import e\n")
    (pkg / "core" / "e.py").write_text("from tracksite.core import d\n")
    (pkg / "theme").mkdir()
    (pkg / "theme" / "__init__.py").write_text("from tracksite.core import a\n")
    (pkg / "tools" / "bench.py").write_text("")
    (pkg / "search" / "index.py").write_text("from mkdocs.structure.files import File\nfrom tracksite.core import a\n")
    (pkg / "core" / "f.py").write_text("from tracksite.search import index\n")
    edges = import_edges(pkg)
    assert cycles(internal_graph(edges)) == [
        ["tracksite.core.a", "tracksite.core.b"],
        ["tracksite.core.d", "tracksite.core.e"],  # a type-only import counts
    ]
    assert [e for e in edges if e.local] == [Edge("tracksite.core.b", "tracksite.core.a", 2, True)]
    assert layer_violations(edges) == [
        "tracksite.commands.run:1 imports tracksite.tools.bench",
        "tracksite.core.c:1 imports tracksite.commands.run",
        "tracksite.core.f:1 imports tracksite.search.index",
        "tracksite.search.index:1 imports mkdocs.structure.files",
        "tracksite.theme:1 imports tracksite.core.a",
    ]


def test_no_module_imports_the_widgets_lazy_names():
    """Issue 75: core/widgets/__init__.py imports nothing and hands out its public names when
    first asked (PEP 562), for users outside the package. An import of one of those names from
    inside the package would hide its edge from this graph (the walker sees `tracksite.core.widgets`,
    not the module that defines the name), so the package imports each from its own module."""
    lazy = [f"{e.source}:{e.line}" for e in import_edges() if e.target == "tracksite.core.widgets"]
    assert lazy == []
