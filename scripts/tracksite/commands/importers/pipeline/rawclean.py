"""Raw HTML of a lesson made inert: event handlers and script links go, the content stays.

Workbench lessons carry raw HTML that a lesson script drove: a platform switcher
(`<select onchange="change_content_by_platform(...)">`), a button that toggles a hint. The
site runs no lesson scripts (`tracksite check` refuses `on*=` handlers and `javascript:` links,
TS502/TS503), so the import removes what would run: a form control that only a script worked
(a `<select>`, `<button>`, `<input>` or `<textarea>` with a handler) is left out whole, since
without its script it does nothing; any other element keeps its content and loses only the
handler or the script link. Each change is a note at the source line. Elements that run or embed
something by themselves (`<script>` on one line, `<iframe>`, `<object>`) are left for the check
to report: they are the author's to replace.
"""

from __future__ import annotations

import re

from tracksite.core.markdown import references as refs
from tracksite.htmlscan import tag_attributes

_ATTR = r"""\s+[^\s"'<>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?"""
_TAG = re.compile(rf"<(?P<name>[A-Za-z][\w:-]*)(?P<attrs>(?:{_ATTR})*)\s*(?P<end>/?)>")
_ONE_ATTR = re.compile(r"(?P<all>\s+(?P<name>[^\s\"'<>/=]+)(?:\s*=\s*(?P<value>\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)")
_CODE_SPAN = re.compile(r"(`+[^`]*?`+)")
CONTROLS = {"select", "button", "textarea", "input"}
_VOID = {"input"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "data", "background"}


def sanitize(line: str) -> tuple[str, list[str]]:
    """`line` (outside code blocks) with its raw HTML made inert, and what was removed."""
    if "<" not in line:
        return line, []
    notes: list[str] = []
    parts = _CODE_SPAN.split(line)
    for k in range(0, len(parts), 2):
        parts[k] = _clean_text(parts[k], notes)
    return "".join(parts), notes


def _clean_text(text: str, notes: list[str]) -> str:
    out, pos = [], 0
    for m in _TAG.finditer(text):
        if m.start() < pos:
            continue
        name = m["name"].lower()
        handlers = [a for a in tag_attributes(m["attrs"]) if a.lower().startswith("on")]
        if name in CONTROLS and handlers:
            end = m.end()
            if name not in _VOID and not m["end"]:
                close = re.compile(rf"</\s*{name}\s*>", re.I).search(text, m.end())
                end = close.end() if close else m.end()
            before = text[pos : m.start()]
            # `**Choose: <select …></select>**`: no space may be left before the closing `**`
            out.append(before if end == len(text) or text[end].isspace() else before.rstrip())
            pos = end
            notes.append(
                f"an HTML <{name}> that only a lesson script worked ({handlers[0].lower()}=) was left out: "
                "the site runs no lesson scripts"
            )
            continue
        attrs, removed = _inert_attributes(m["attrs"])
        if removed:
            out.append(text[pos : m.start()] + f"<{m['name']}{attrs}{' /' if m['end'] else ''}>")
            pos = m.end()
            notes.append(f"{', '.join(removed)} removed from an HTML <{name}>: the site runs no lesson scripts")
    out.append(text[pos:])
    return "".join(out)


def _inert_attributes(attrs: str) -> tuple[str, list[str]]:
    """`attrs` without event handlers and script links, and the names removed."""
    removed: list[str] = []

    def keep(m: re.Match) -> str:
        name = m["name"].lower()
        value = (m["value"] or "").strip("\"'")
        if name.startswith("on") or name in URL_ATTRIBUTES and refs.unsafe_scheme(value):
            removed.append(f"{name}=")
            return ""
        return m["all"]

    return _ONE_ATTR.sub(keep, attrs), removed
