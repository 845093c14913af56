"""The engine's installed themes, found through their `mkdocs.themes` entry points without
importing MkDocs (the CLI asks for them on every `tracksite check`).

Core needs the template folders (which `template:` a page may name, which pages the theme
writes over docs/ files) but must not know how the engine finds them: the adapter looks them
up here and hands them down as `siteconfig.Themes`.
"""

from __future__ import annotations

import functools
import importlib.metadata
import importlib.util
from pathlib import Path

from tracksite.core.siteconfig import Themes


@functools.cache
def installed() -> Themes:
    """Every installed theme's template folder, and MkDocs' own templates folder."""
    folders = []
    for ep in importlib.metadata.entry_points(group="mkdocs.themes"):
        folder = _package_dir(ep.value)
        if folder is not None:
            folders.append((ep.name, folder))
    return Themes(tuple(folders), _package_dir("mkdocs.templates"))


def _package_dir(dotted: str) -> Path | None:
    top, *rest = dotted.split(".")
    try:
        spec = importlib.util.find_spec(top)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]).joinpath(*rest)
    return folder if folder.is_dir() else None
