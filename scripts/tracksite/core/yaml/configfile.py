"""What mkdocs.yml may hold before the engine reads it: aliases that stay small, and a word on tags
that run code.

The engine reads mkdocs.yml with PyYAML's full loader. Aliases cost it nothing to load (an alias
is the same object again), but MkDocs then writes each setting out in full (a debug line it
formats whether or not it is shown), so a "billion laughs" under `extra:` (nine aliases of nine
aliases of ...) took a build 89 s and 6 GB before any plugin ran. `expansion_problem` counts the
values the document holds once every alias is written out, from the composed nodes (each node
sized once, so the count itself is quick), and names the top-level key that grows too large:
`tracksite check` reports it, and the plugin refuses the file with the same line while MkDocs is
still loading its plugins, before that debug line. `code_tags` lists the `!!python/object...`
tags that MkDocs' loader runs as Python code (`!!python/name:`, a reference the Markdown
extensions' settings use, is not one of them): the check warns about each.
"""

from __future__ import annotations

from typing import Any

import yaml

#: Values mkdocs.yml may hold with its aliases written out: a real one holds a few hundred.
MAX_EXPANDED = 100_000
HINT = "write the values out, without anchors (&name) and aliases (*name)"
_CODE_TAGS = ("tag:yaml.org,2002:python/object", "tag:yaml.org,2002:python/module")


def expansion_problem(root: yaml.Node | None) -> tuple[int, str] | None:
    """(line, message) when the document holds more than MAX_EXPANDED values once its aliases
    are written out, or an alias that contains itself; None otherwise."""
    if root is None:
        return None
    sizes: dict[int, int] = {}
    if _size(root, sizes) <= MAX_EXPANDED:
        return None
    where, line = "the file", root.start_mark.line + 1
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if _size(value, sizes) > MAX_EXPANDED // 10 or _size(key, sizes) > MAX_EXPANDED // 10:
                where, line = f"`{key.value if isinstance(key, yaml.ScalarNode) else '?'}:`", key.start_mark.line + 1
                break
    return (
        line,
        f"YAML aliases (*name) make {where} hold more than {MAX_EXPANDED:,} values once written out; "
        "the engine would spend minutes and gigabytes on it",
    )


def _size(node: yaml.Node, sizes: dict[int, int]) -> int:
    """How many values `node` holds with its aliases written out (capped just above the limit),
    without recursion: a deeply nested document cannot exhaust the stack."""
    over = MAX_EXPANDED + 1
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    open_: set[int] = set()
    while stack:
        current, children_done = stack.pop()
        key = id(current)
        if key in sizes:
            continue
        children = _children(current)
        if children_done:
            open_.discard(key)
            sizes[key] = min(over, 1 + sum(sizes[id(c)] for c in children))
            continue
        if key in open_:  # an alias inside the node it names: endless once written out
            sizes[key] = over
            continue
        open_.add(key)
        stack.append((current, True))
        for child in children:
            if id(child) in open_:
                sizes[id(child)] = over
            elif id(child) not in sizes:
                stack.append((child, False))
    return sizes[id(node)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def code_tags(root: yaml.Node | None) -> list[tuple[int, str]]:
    """(line, tag) of each tag MkDocs' loader would run as Python code when it reads the file."""
    found: list[tuple[int, str]] = []
    seen: set[int] = set()
    stack: list[Any] = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node.tag, str) and node.tag.startswith(_CODE_TAGS):
            found.append((node.start_mark.line + 1, "!!" + node.tag.removeprefix("tag:yaml.org,2002:")))
        stack.extend(_children(node))
    return sorted(found)
