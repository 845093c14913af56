"""The course's mkdocs.yml, given what an imported Workbench lesson needs of it.

A Workbench lesson comes with two things the course must switch on: its instructor view (sandpaper
publishes one beside every learner site, under `instructor/`), which is the tracksite plugin's
`instructor_view: true`, and the Markdown extensions its converted pages use (group tabs are
`/// tab` blocks: `pymdownx.blocks.tab`). The file is the user's: it is edited line by line, so
its comments, order and tags stay, only where the setting is missing, and written whole or not at
all (a temporary file renamed over it). A layout this cannot edit safely (a flow-style list, the
plugin under another name) is left as it is, with a note saying which line to add.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from tracksite.core.sources import read_text

_TOP = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):\s*(?:#.*)?$")
_ITEM = re.compile(r"^(?P<indent>\s*)-\s+(?P<name>[\w.]+)(?P<colon>:)?\s*(?:#.*)?$")
_ERROR_LANG = re.compile(r"^(?P<lead>\s*-\s*\{\s*name:\s*)error(?P<rest>\s*,\s*lang:\s*text\s*\}\s*)$")
_WARNING_LANG = re.compile(r"^\s*-\s*\{\s*name:\s*warning\s*,")


#: The settings each extension the import may add is written with (Material draws pymdownx's
#: tabs in their alternate style only).
SETTINGS = {"pymdownx.blocks.tab": ("alternate_style: true",)}


def ensure(root: Path, *, instructor_view: bool, extensions: list[str], warnings: bool = False) -> list[str]:
    """Turn on what the imported track needs in `root`/mkdocs.yml; the notes to report.
    `warnings`: the track has R's ```warning blocks, which the theme labels when pymdownx.highlight
    keeps their name (`extend_pygments_lang`, as it keeps ```error's)."""
    path = root / "mkdocs.yml"
    if not path.is_file():
        return []
    text = read_text(path)
    lines = text.splitlines()
    notes: list[str] = []
    for name in extensions:
        if not _has_item(lines, "markdown_extensions", name):
            if _add_item(lines, "markdown_extensions", name):
                notes.append(f"mkdocs.yml: `{name}` added to markdown_extensions (the lesson's tabs)")
            else:
                notes.append(
                    f"mkdocs.yml: add `- {name}` ({', '.join(SETTINGS.get(name, ())) or 'no settings'}) to "
                    "markdown_extensions: the lesson's tabs need it"
                )
    if warnings and not any(_WARNING_LANG.match(line) for line in lines):
        error = next((i for i, line in enumerate(lines) if _ERROR_LANG.match(line)), None)
        if error is not None:
            lines.insert(error + 1, _ERROR_LANG.sub(r"\g<lead>warning\g<rest>", lines[error]))
            notes.append("mkdocs.yml: ```warning blocks (R's warnings) named beside ```error's in extend_pygments_lang")
        else:
            notes.append(
                "mkdocs.yml: add `- {name: warning, lang: text}` to pymdownx.highlight's extend_pygments_lang: "
                "R's warnings are shown as ```warning blocks"
            )
    if instructor_view:
        found = _plugin_option(lines)
        if found is True:
            notes.append(
                "mkdocs.yml: the tracksite plugin's `instructor_view: true` set: every page links its "
                "instructor view, which `mkdocs build` (and `tracksite build`) builds with the site, into "
                "site/instructor/"
            )
        elif found is None:
            notes.append(
                "mkdocs.yml: to publish the instructor view as the Workbench does, give the tracksite "
                "plugin `instructor_view: true`"
            )
    new = "\n".join(lines) + ("\n" if text.endswith("\n") else "")
    if new != text:
        tmp = path.with_name(".mkdocs.yml.import")
        tmp.write_text(new, encoding="utf-8")
        os.replace(tmp, path)
    return notes


def _section(lines: list[str], key: str) -> tuple[int, int] | None:
    """The lines of the top-level block `key:` (start, end), or None when it has none."""
    for i, line in enumerate(lines):
        m = _TOP.match(line)
        if m and m["key"] == key:
            end = i + 1
            while end < len(lines) and (not lines[end].strip() or lines[end][:1] in (" ", "\t", "-", "#")):
                end += 1
            while end > i + 1 and not lines[end - 1].strip():
                end -= 1
            return i, end
    return None


def _items(lines: list[str], key: str) -> list[tuple[int, re.Match]]:
    span = _section(lines, key)
    if span is None:
        return []
    found = [(i, _ITEM.match(lines[i])) for i in range(span[0] + 1, span[1])]
    items = [(i, m) for i, m in found if m]
    indent = min((len(m["indent"]) for _, m in items), default=0)
    return [(i, m) for i, m in items if len(m["indent"]) == indent]


def _has_item(lines: list[str], key: str, name: str) -> bool:
    return any(m["name"] == name for _, m in _items(lines, key))


def _add_item(lines: list[str], key: str, name: str) -> bool:
    """`- name` after the block's last item, indented as its items are."""
    items = _items(lines, key)
    span = _section(lines, key)
    if not items or span is None:
        return False
    indent = items[0][1]["indent"]
    settings = SETTINGS.get(name, ())
    lines[span[1] : span[1]] = [f"{indent}- {name}{':' if settings else ''}", *(f"{indent}    {s}" for s in settings)]
    return True


def _plugin_option(lines: list[str]) -> bool | None:
    """Set `instructor_view: true` under the tracksite plugin: True when set now, False when it
    was there already, None when the plugin's entry has a form this does not edit."""
    for i, m in _items(lines, "plugins"):
        if m["name"] != "tracksite":
            continue
        indent = " " * (len(m["indent"]) + 4)
        below = lines[i + 1] if i + 1 < len(lines) else ""
        if m["colon"] and below.strip() and len(below) - len(below.lstrip()) > len(m["indent"]) + 2:
            indent = below[: len(below) - len(below.lstrip())]  # the options' own indentation
        if not m["colon"]:
            lines[i] = f"{m['indent']}- tracksite:"
            lines.insert(i + 1, f"{indent}instructor_view: true")
            return True
        j = i + 1
        while j < len(lines) and (
            not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > len(m["indent"]) + 1
        ):
            if re.match(r"^\s*instructor_view\s*:", lines[j]):
                return False
            j += 1
        lines.insert(i + 1, f"{indent}instructor_view: true")
        return True
    return None
