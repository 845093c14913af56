"""SVG files from other lessons, made acceptable to the site's SVG rules without redrawing them.

Drawing programs write a `<!DOCTYPE svg PUBLIC …>` line, and Illustrator declares entities
(`<!ENTITY ns_svg "http://www.w3.org/2000/svg">`) that it then uses in attributes. `tracksite
check` refuses every DTD and entity (they can hide markup), so the importer drops the doctype
and writes out each entity whose value is plain text. An entity that holds markup is left in
place: the check then reports the file, which is what an instructor must look at.

Then the site's SVG policy (core/site/svgsafe.py) strips what drawing programs keep for themselves
(Inkscape, LibreOffice, Visio, Illustrator, draw.io, matplotlib metadata), so the imported copy
is the one the site publishes and `check` has nothing to say about it; the import reports what
went. A figure with a script, an event handler or an external reference is copied as it is:
`check` refuses it with the reason.
"""

from __future__ import annotations

import re

from tracksite.core.site import svgsafe

_DOCTYPE = re.compile(r"<!DOCTYPE\s[^\[>]*(?:\[(?P<subset>.*?)\]\s*)?>", re.S | re.I)
_ENTITY = re.compile(r"""<!ENTITY\s+(?P<name>[A-Za-z_][\w.-]*)\s+(?P<q>["'])(?P<value>[^"'<>&%]*)(?P=q)\s*>""")


def clean(text: str) -> str:
    """`text` without its doctype, plain-text entities written out."""
    m = _DOCTYPE.search(text)
    if m is None:
        return text
    subset = m.group("subset") or ""
    entities = {e["name"]: e["value"] for e in _ENTITY.finditer(subset)}
    leftover = _ENTITY.sub("", subset)
    if re.search(r"<!", leftover):  # declarations we cannot write out: leave the file for check to report
        return text
    body = text[: m.start()] + text[m.end() :]
    for name, value in entities.items():
        body = body.replace(f"&{name};", value)
    return body


def publishable(text: str) -> tuple[str, list[str]]:
    """`text` as the site publishes it, and what was removed (svgsafe.Review.removed)."""
    text = clean(text)
    removed = svgsafe.review(text).removed
    stripped = svgsafe.clean(text)
    return (stripped, removed) if stripped is not None else (text, [])
