"""What the site's mkdocs.yml says that checking sources depends on, read without MkDocs.

Which `/// name` blocks exist is configuration, not code: pymdownx.blocks.admonition makes one
block per entry of its `types`, pymdownx.blocks.details likewise, and pymdownx.blocks.caption
adds its caption blocks. Adding `danger` to the admonition types in mkdocs.yml is then all it
takes for `tracksite check` to accept `/// danger`.
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

#: The defaults of pymdown-extensions when an extension is listed without `types`.
DEFAULT_TYPES = {
    "pymdownx.blocks.admonition": ("note", "attention", "caution", "danger", "error", "tip", "hint",
                                   "warning", "important"),
    "pymdownx.blocks.details": (),
    "pymdownx.blocks.caption": ("caption", "figure-caption", "table-caption"),
}
#: The block each of those extensions registers besides its types.
BASE_BLOCK = {"pymdownx.blocks.admonition": "admonition", "pymdownx.blocks.details": "details",
              "pymdownx.blocks.caption": None, "pymdownx.blocks.html": "html",
              "pymdownx.blocks.definition": "define", "pymdownx.blocks.tab": "tab"}


class _Lenient(yaml.SafeLoader):
    """mkdocs.yml may hold `!ENV` or `!!python/name:` tags; they read as nothing here."""


_Lenient.add_multi_constructor("", lambda loader, suffix, node: None)


def _extensions(config: dict) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in config.get("markdown_extensions") or []:
        if isinstance(item, str):
            out[item] = {}
        elif isinstance(item, dict):
            for name, options in item.items():
                out[str(name)] = options if isinstance(options, dict) else {}
    return out


def _type_names(types: Any) -> tuple[str, ...]:
    names = []
    for t in types or ():
        name = t.get("name") if isinstance(t, dict) else t
        if isinstance(name, str):
            names.append(name)
    return tuple(names)


@functools.lru_cache(maxsize=8)
def _blocks(path: str, mtime: int) -> frozenset[str]:
    try:
        config = yaml.load(Path(path).read_text(encoding="utf-8"), Loader=_Lenient) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return frozenset()
    if not isinstance(config, dict):
        return frozenset()
    names: set[str] = set()
    for ext, options in _extensions(config).items():
        if ext not in BASE_BLOCK:
            continue
        if BASE_BLOCK[ext]:
            names.add(BASE_BLOCK[ext])
        types = options.get("types") if "types" in options else DEFAULT_TYPES.get(ext, ())
        names.update(_type_names(types))
    return frozenset(names)


def markdown_blocks(root: Path) -> frozenset[str] | None:
    """The `///` block names mkdocs.yml's pymdownx.blocks extensions define (None: no mkdocs.yml)."""
    path = root / "mkdocs.yml"
    try:
        mtime = path.stat().st_mtime_ns
    except OSError:
        return None
    return _blocks(str(path), mtime)
