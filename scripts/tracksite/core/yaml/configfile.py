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

`bounded` reads a configuration file's nodes within bounds before anything else does: its size,
its nesting (PyYAML composes recursively: a `[[[[...` ten thousand deep ends in a RecursionError
inside the engine) and its values once aliases are written out, each refusal at its line and
column. The adapter runs it on mkdocs.yml, a `-f` file and every file they INHERIT.
"""

from __future__ import annotations

import re
from typing import Any, NamedTuple

import yaml

#: Values mkdocs.yml may hold with its aliases written out: a real one holds a few hundred.
MAX_EXPANDED = 100_000
HINT = "write the values out, without anchors (&name) and aliases (*name)"
#: A configuration file's size and nesting: real ones are a few kilobytes, six levels deep.
MAX_BYTES = 1_000_000
MAX_DEPTH = 50
MAX_EVENTS = 2 * MAX_EXPANDED  # values as written (an alias is one): bounds the composing too
_CODE_TAGS = ("tag:yaml.org,2002:python/object", "tag:yaml.org,2002:python/module")


class Refusal(NamedTuple):
    """Why a configuration file is not handed to the engine, and where."""

    line: int
    column: int | None
    message: str
    hint: str


#: libyaml where PyYAML was built with it: the events are read without recursion, and quickly.
_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def too_large(size: int) -> Refusal | None:
    """A file larger than any configuration: refused before it is read."""
    if size <= MAX_BYTES:
        return None
    return Refusal(
        1,
        None,
        f"the file is {size:,} bytes; a site configuration holds at most {MAX_BYTES:,}",
        "keep the settings in it and the content in docs/ and lessons/",
    )


def bounded(text: str) -> tuple[yaml.Node | None, Refusal | None]:
    """(node, None) for a document within bounds; (None, refusal) for one nested deeper than
    MAX_DEPTH, with more than MAX_EVENTS values as written, or more than MAX_EXPANDED once its
    aliases are written out; (None, None) for YAML that does not parse (the engine reports it at
    its line). The events are counted before anything is composed, so no bound costs more than
    one pass over the text."""
    try:
        refusal = _scan(text, _Loader)
    except yaml.YAMLError:  # libyaml stops at a depth of its own, without a line: read it again
        try:
            refusal = _scan(text, yaml.SafeLoader)
        except yaml.YAMLError:
            return None, None
    if refusal is not None:
        return None, refusal
    try:
        node = yaml.compose(text, Loader=_Loader)  # composed, not constructed: no tag runs
    except yaml.YAMLError:  # libyaml refuses what PyYAML, the engine's reader, reads (`"\uD800"`)
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)  # (within the bounds just counted)
        except (yaml.YAMLError, RecursionError):
            return None, None
    except RecursionError:
        return None, None
    problem = expansion_problem(node)
    if problem is not None:
        return None, Refusal(*problem, HINT)
    return node, None


def _scan(text: str, loader: Any) -> Refusal | None:
    """The document's events, read one at a time (neither parser recurses), against the bounds."""
    depth = 0
    for n, event in enumerate(yaml.parse(text, Loader=loader)):
        mark = event.start_mark
        line, column = (mark.line + 1, mark.column + 1) if mark is not None else (1, None)
        if n > MAX_EVENTS:
            return Refusal(
                line,
                column,
                f"the file holds more than {MAX_EVENTS:,} values; a site configuration holds a few hundred",
                "keep the settings in it and the content in docs/ and lessons/",
            )
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                return Refusal(
                    line,
                    column,
                    f"YAML is nested more than {MAX_DEPTH} levels deep; a site configuration needs a few",
                    "close the brackets or lists left open above this line",
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return None


def inherited(root: yaml.Node | None) -> tuple[int, int, str] | None:
    """(line, column, value) of the document's top-level `INHERIT:`, as the engine reads it."""
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == "INHERIT" and isinstance(value, yaml.ScalarNode):
            return value.start_mark.line + 1, value.start_mark.column + 1, str(value.value)
    return None


def expansion_problem(root: yaml.Node | None) -> tuple[int, int, str] | None:
    """(line, column, message) when the document holds more than MAX_EXPANDED values once its aliases
    are written out, or an alias that contains itself; None otherwise."""
    if root is None:
        return None
    sizes: dict[int, int] = {}
    if _size(root, sizes) <= MAX_EXPANDED:
        return None
    where, mark = "the file", root.start_mark
    if isinstance(root, yaml.MappingNode):
        for key, value in root.value:
            if _size(value, sizes) > MAX_EXPANDED // 10 or _size(key, sizes) > MAX_EXPANDED // 10:
                where, mark = f"`{key.value if isinstance(key, yaml.ScalarNode) else '?'}:`", key.start_mark
                break
    return (
        mark.line + 1,
        mark.column + 1,
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


def unencodable(root: yaml.Node | None) -> list[tuple[int, int, str]]:
    """(line, column, "U+D800") of each value holding a lone surrogate, written as an escape
    (`"\\uD800"`): YAML reads it, but no page can be written with it (UTF-8 cannot encode it), so
    `site_name: "\\uD800"` checked clean and the build and export then stopped in a traceback
    (issue 74). Refused here, before MkDocs reads the file, by check and build alike."""
    found: list[tuple[int, int, str]] = []
    seen: set[int] = set()
    stack: list[Any] = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode) and (bad := _SURROGATE.search(node.value)):
            found.append((node.start_mark.line + 1, node.start_mark.column + 1, f"U+{ord(bad.group()):04X}"))
        stack.extend(_children(node))
    return sorted(found)


_SURROGATE = re.compile("[\ud800-\udfff]")
