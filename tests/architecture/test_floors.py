"""Issue 52: core's folders stand in floors, and each imports only from the floors below it.

tests/architecture/test_imports.py keeps the graph between modules free of cycles; this keeps an order between
core's units, the folders (`markdown/`, `site/`, ...) and the top-level modules (`loader.py`,
`memo.py`, ...), so that two folders can never lean on each other again and a reader knows where a
new fact belongs: on the lowest floor that every module needing it can read. The floors are
declared once, below, and drawn in docs/architecture.md. An import counts wherever it stands:
inside a function, or only for the type checker (`if TYPE_CHECKING:`).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support.import_graph import PACKAGE, Edge, cycles, import_edges

# From the bottom up. A unit imports only units on lower floors; units on one floor never import
# each other. Every folder and top-level module of core/ stands on exactly one floor.
FLOORS: tuple[tuple[str, ...], ...] = (
    # the base: import nothing of core (the site's settings, the widget registry, memo, ...)
    # (sandbox: course code run confined, only when asked)
    ("htmlread", "keptfiles", "localstate", "memo", "sandbox", "siteconfig", "widgetregistry"),
    # located problems and their codes; the strict YAML reader; helper processes (a helper keeps
    # little of its own memo); the interface's words (each widget's from the home its entry names)
    ("forked", "messages", "problems", "yaml"),
    ("sources",),  # course files: bytes to text, front-matter split off (reads yaml)
    ("schema",),  # what an instructor writes, described once
    ("model",),  # the course as dataclasses, the loaded project
    ("markdown",),  # a body as tracksite reads it: blocks, prose, anchors, links
    ("widgets",),  # each widget's body parsed and validated
    ("learning",),  # glossary, coverage, schedules, reading time
    ("site",),  # the site plan, trackpages, what may be published
    ("remote",),  # remote-files.yml read, vetted and rewritten
    ("checkcache", "loader"),  # a project folder to the model; the check's findings kept
    ("checks",),  # every pass, `check()`
)


def unit(module: str, package: Path = PACKAGE) -> str | None:
    """The unit of core a module belongs to: its folder, or itself for a top-level module;
    None outside core (and for core's own `__init__`)."""
    parts = module.split(".")
    if len(parts) < 3 or parts[:2] != [package.name, "core"]:
        return None
    return parts[2]


def source_file(module: str, package: Path = PACKAGE) -> str:
    """The file of a module, as the repository names it (`scripts/tracksite/core/x/y.py`)."""
    path = package.parent.joinpath(*module.split("."))
    path = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    return path.relative_to(package.parent.parent).as_posix()


def floor_of(floors: tuple[tuple[str, ...], ...]) -> dict[str, int]:
    return {name: level for level, names in enumerate(floors) for name in names}


def units(package: Path = PACKAGE) -> set[str]:
    core = package / "core"
    return {p.name for p in core.iterdir() if p.is_dir() and (p / "__init__.py").is_file()} | {
        p.stem for p in core.glob("*.py") if p.name != "__init__.py"
    }


def violations(edges: list[Edge], floors: tuple[tuple[str, ...], ...], package: Path = PACKAGE) -> list[str]:
    """Each import from a unit of core to a unit on its own floor or above, at its file:line."""
    level = floor_of(floors)
    out = []
    for e in edges:
        src, dst = unit(e.source, package), unit(e.target, package)
        if src is None or dst is None or src == dst or src not in level or dst not in level:
            continue
        if level[dst] >= level[src]:
            where = "the same floor" if level[dst] == level[src] else f"floor {level[dst]}, above"
            out.append(
                f"{source_file(e.source, package)}:{e.line}: {e.source} imports {e.target}: "
                f"`{src}` (floor {level[src]}) may not read `{dst}` ({where})"
            )
    return sorted(set(out))


def test_every_unit_of_core_stands_on_one_floor():
    declared = [name for names in FLOORS for name in names]
    assert len(declared) == len(set(declared)), "a unit is declared on two floors"
    missing = units() - set(declared)
    assert not missing, (
        f"put these in FLOORS of tests/architecture/test_floors.py (and docs/architecture.md): {sorted(missing)}"
    )
    assert not set(declared) - units(), "FLOORS names a unit core/ does not have"


def test_core_imports_only_from_lower_floors():
    found = violations(import_edges(), FLOORS)
    assert found == [], "\n".join(
        ["an import goes sideways or up between core's floors (move the fact it needs down):", *found]
    )


def test_the_architecture_page_draws_the_floors():
    """docs/architecture.md lists the floors as this test declares them, top floor first."""
    text = (PACKAGE.parent.parent / "docs" / "architecture.md").read_text(encoding="utf-8")
    drawn = [line for line in text.splitlines() if line.startswith("| ") and line.split("|")[1].strip().isdigit()]
    rows = {int(line.split("|")[1]): line.split("|")[2] for line in drawn}
    assert sorted(rows) == list(range(len(FLOORS))), "the page's floors table numbers every floor once"
    for level, names in enumerate(FLOORS):
        written = {word.strip("`/ ").removesuffix(".py") for word in rows[level].split(",")}
        assert written == set(names), f"floor {level} on the page: {sorted(written)}, in the test: {sorted(names)}"


@pytest.fixture
def made_up(tmp_path):
    """A made-up package: core/low/, core/high/, core/base.py and core/__init__.py."""
    pkg = tmp_path / "tracksite"
    for folder in ("core", "core/low", "core/high"):
        (pkg / folder).mkdir(parents=True)
        (pkg / folder / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("")
    (pkg / "core" / "base.py").write_text("")
    (pkg / "core" / "low" / "a.py").write_text("from tracksite.core import base\nfrom tracksite.core.high import b\n")
    (pkg / "core" / "low" / "c.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from tracksite.core.low import a\n"
        "    from ..high.b import thing\n"
    )
    (pkg / "core" / "high" / "b.py").write_text(
        "from tracksite.core.low import a\n\ndef f():\n    from .. import base\n"
    )
    (pkg / "core" / "base2.py").write_text("from . import base\n")
    return pkg


def test_the_checker_names_each_edge_that_goes_up_or_sideways(made_up):
    floors = (("base", "base2"), ("low",), ("high",))
    edges = import_edges(made_up)
    found = violations(edges, floors, made_up)
    core = f"{made_up.parent.name}/tracksite/core"
    assert [f.split(": ")[0] for f in found] == [
        f"{core}/base2.py:1",  # sideways: one floor
        f"{core}/low/a.py:2",  # up
        f"{core}/low/c.py:4",  # up, for the type checker only, written relative
    ]
    assert "`low` (floor 1) may not read `high` (floor 2, above)" in found[1]
    assert "`base2` (floor 0) may not read `base` (the same floor)" in found[0]
    apart = violations(edges, (("base",), ("base2",), ("low",), ("high",)), made_up)
    assert [f.split(": ")[0] for f in apart] == [f"{core}/low/a.py:2", f"{core}/low/c.py:4"]
    assert units(made_up) == {"base", "base2", "low", "high"}


def test_the_adapter_is_in_folders_by_concept():
    """Issue 52: the adapter's modules stand in folders by concept (config/, pages/, published/,
    caches/, serve/, blocks/) with at most 12 modules at its top, so a reader finds a module by
    what it is about; the search is a unit of its own beside it, and MkDocs-free."""
    adapter = PACKAGE / "adapter"
    top = sorted(p.name for p in adapter.glob("*.py"))
    assert len(top) <= 12, top
    assert not (adapter / "search" / "__init__.py").exists()
    search = PACKAGE / "search"
    assert {"index.py", "page.py", "words.py", "search-engine.js"} <= {p.name for p in search.iterdir()}
    engine_imports = [
        e for e in import_edges() if e.source.startswith("tracksite.search") and e.target.startswith("mkdocs")
    ]
    assert engine_imports == []


def adapter_units(edges: list[Edge]) -> dict[str, set[str]]:
    """The adapter's folders (and top-level modules) -> those of them they import."""

    def unit_of(module: str) -> str | None:
        parts = module.split(".")
        return parts[2] if len(parts) > 2 and parts[:2] == ["tracksite", "adapter"] else None

    graph: dict[str, set[str]] = {}
    for e in edges:
        src, dst = unit_of(e.source), unit_of(e.target)
        if src is not None:
            graph.setdefault(src, set())
            if dst is not None and dst != src:
                graph[src].add(dst)
    return graph


def test_the_adapters_folders_import_each_other_without_a_cycle():
    """Issue 75: `blocks/` and `pages/` imported each other (the page's context from the blocks,
    the interface strings from the pages); between the adapter's folders the imports form no
    cycle, so each folder can be read with those below it."""
    graph = adapter_units(import_edges())
    assert {"blocks", "pages", "caches", "serve"} <= set(graph)
    assert cycles(graph) == []
    assert "pages" not in graph["blocks"]
