"""The Workbench's tabs (`::: tab`, `::: group-tab`) as tabs: pymdownx's `/// tab` blocks.

sandpaper makes a tab of each heading inside such a div (`### Windows`, `### macOS`, `### Linux`),
and a `group-tab` set follows the reader's choice on the page (choose Windows once, every set
shows Windows). Here each heading opens a `/// tab | Windows` block, the first of a set with
`new: true` so that two sets in a row stay apart; Material draws them as tabs (its
`content.tabs.link` feature, where a course turns it on, links sets by their labels as a
`group-tab` does). Text before the first heading stays above the tabs; a div with no heading has
no tab to make and stays a note.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tracksite.commands.importers.carpentries.converted import Episode, Note

KINDS = ("tab", "group-tab")
_HEADING = re.compile(r"^(#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")


def split(children: list) -> tuple[list, list[tuple[str, list]]]:
    """The children before the first heading, and (label, children) of each tab: a heading at
    the level of the div's first heading (outside code) starts a tab."""
    lead: list = []
    tabs: list[tuple[str, list]] = []
    fence, level = "", 0
    for child in children:
        if isinstance(child, str):
            m = _FENCE.match(child)
            if fence and m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = ""
            elif not fence and m:
                fence = m.group(1)
            elif not fence and (h := _HEADING.match(child)) and (not level or len(h.group(1)) == level):
                level = len(h.group(1))
                tabs.append((h["text"].strip() or "Tab", []))
                continue
        (tabs[-1][1] if tabs else lead).append(child)
    return lead, tabs


def render(div, ep: Episode, depth: int, draw: Callable[[list], list[str]]) -> list[str] | None:
    """The div as tab blocks (`draw` renders children as the episode does), or None when it has
    no heading to make a tab of. `depth`: how many blocks nest inside the div."""
    lead, tabs = split(div.children)
    if not tabs:
        return None
    slashes = "/" * (2 + depth)
    out = draw(lead) if lead else []
    for i, (label, children) in enumerate(tabs):
        out += [
            "",
            f"{slashes} tab | {label}",
            *(["    new: true", ""] if i == 0 else [""]),
            *draw(children),
            slashes,
            "",
        ]
    message = f"`::: {div.kind}` became {len(tabs)} tabs: {', '.join(t for t, _ in tabs)}"
    ep.notes.append(Note(div.line, message, False, {"callouts": -1}))  # tabs, not a call-out
    return out
