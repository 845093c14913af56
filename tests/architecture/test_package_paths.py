"""Files the package names by their place in it stay true (issue 87: `commands/export/coursedata.py`
named `adapter/blocks/common.py` and `blocks/quiz.py` after both had moved into `core/widgets/`).
tests/architecture/test_stale_paths.py checks the paths written from the repository's root
(`scripts/tracksite/...`); this one checks those written from the package's own root
(`core/...`, `adapter/...`), as its docstrings and comments write them."""

from __future__ import annotations

import re

from support.course import REPO

PACKAGE = REPO / "scripts" / "tracksite"
#: A path from the package's root: a layer's folder, then a file or folder name.
NAMED = re.compile(r"(?<![\w/.-])((?:core|adapter|search|commands|tools|theme)/[A-Za-z0-9_./-]*[A-Za-z0-9_])")
#: Addresses of a built site that read like a package path: Material's own search index.
SITE_ADDRESSES = {"search/search_index.json"}
#: Third-party code the package ships as it came (its own paths are its own).
VENDORED = {"pyodide", "codemirror"}


def named_paths(text: str) -> list[tuple[int, str]]:
    """(line, path) of every package path `text` names."""
    return [
        (n, name)
        for n, line in enumerate(text.splitlines(), 1)
        for name in NAMED.findall(line)
        if "*" not in name and name not in SITE_ADDRESSES
    ]


def exists(name: str) -> bool:
    """A file or folder of the package, or `module.attribute` (`adapter/build.build_site`)."""
    name = name.rstrip(".")
    module, _, attribute = name.rpartition(".")
    return (PACKAGE / name).exists() or bool(attribute.isidentifier() and (PACKAGE / f"{module}.py").is_file())


def test_every_package_path_the_package_names_exists():
    missing = []
    for path in sorted(PACKAGE.rglob("*")):
        if path.suffix not in {".py", ".js", ".mjs", ".css", ".html"} or VENDORED & set(path.parts):
            continue
        for line, name in named_paths(path.read_text(encoding="utf-8", errors="replace")):
            if not exists(name):
                missing.append(f"{path.relative_to(REPO)}:{line}: {name}")
    assert not missing, missing


def test_a_moved_file_is_caught():
    """The check itself: the stale names the review found are reported, true ones are not."""
    stale = "island (adapter/blocks/common.py); key (blocks/quiz.py); core/widgets/runnable/inpage.py"
    assert [name for _, name in named_paths(stale) if not exists(name)] == [
        "adapter/blocks/common.py",
        "core/widgets/runnable/inpage.py",
    ]
    assert all(exists(name) for _, name in named_paths("core/widgets/common.py, adapter/build.build_site"))
