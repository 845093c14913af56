"""SVG files from other lessons, made acceptable to the site's SVG rules without redrawing them.

Drawing programs write a `<!DOCTYPE svg PUBLIC …>` line, often with an internal subset: old
Inkscape and Illustrator fix the xlink namespace there (`<!ATTLIST svg xmlns:xlink CDATA #FIXED
"…">`), and Illustrator declares entities (`<!ENTITY ns_svg "http://www.w3.org/2000/svg">`) that
it then uses in attributes. `tracksite check` refuses every DTD and entity (they can hide
markup), so the importer drops the doctype, puts a namespace the subset fixed on the root
element, and writes out each entity whose value is plain text. A subset that declares anything
else (an entity holding markup, a parameter entity) is left in place: the check then reports the
file, which is what an instructor must look at.

Inkscape's flowed text (`<flowRoot>`, an SVG 1.2 draft no browser ever drew) becomes plain
`<text>`, one line per paragraph at the top of its frame: the words show, where browsers showed
nothing, but no longer wrap to the frame. An empty one (Inkscape leaves them behind) goes.

Then the site's SVG policy (core/site/svgsafe.py) strips what drawing programs keep for themselves
(Inkscape, LibreOffice, Visio, Illustrator, draw.io, matplotlib metadata), so the imported copy
is the one the site publishes and `check` has nothing to say about it; the import reports what
went. Style rules that load fonts or style sheets from another host (`@import`, `@font-face`) are
removed, the page's fonts drawing the text. A figure with a script, an event handler or an
external reference is copied as it is: `check` refuses it with the reason.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET
from xml.etree.ElementTree import ParseError

import tinycss2
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring as safe_fromstring

from tracksite.core.site import svgsafe
from tracksite.core.site.addresses import remote_in_css

_DOCTYPE = re.compile(r"<!DOCTYPE\s[^\[>]*(?:\[(?P<subset>.*?)\]\s*)?>", re.S | re.I)
_ENTITY = re.compile(r"""<!ENTITY\s+(?P<name>[A-Za-z_][\w.-]*)\s+(?P<q>["'])(?P<value>[^"'<>&%]*)(?P=q)\s*>""")
# declarations that change nothing a browser draws once the doctype is gone
_INERT_DECLARATION = re.compile(r"<!(?:ELEMENT|NOTATION)\s[^<>]*>|<!--.*?-->", re.S)
_ATTLIST = re.compile(r"<!ATTLIST\s+(?P<element>[\w:.-]+)(?P<defs>[^<>]*)>")
_FIXED_XMLNS = re.compile(r"""(?P<name>xmlns(?::[\w.-]+)?)\s+CDATA\s+#FIXED\s+(?P<q>["'])(?P<uri>[^"'<>&%]*)(?P=q)""")
_ROOT = re.compile(r"<svg\b(?P<attrs>[^>]*)>")
_SVG = "{" + svgsafe.SVG_NS + "}"
_STYLE = re.compile(r"(?P<open><style\b[^>]*>)(?P<css>.*?)(?P<close></style\s*>)", re.S | re.I)
_LINE_HEIGHT = 1.25  # Inkscape's default, in em


def clean(text: str) -> str:
    """`text` without its doctype, plain-text entities written out."""
    return _doctype(text)[0]


def publishable(text: str) -> tuple[str, list[str]]:
    """`text` as the site publishes it, and what was removed or changed (svgsafe.Review.removed)."""
    text, changed = _doctype(text)
    text, remote = _remote_rules(text)
    changed += remote
    removed = svgsafe.review(text).removed
    text, flowed = _flowed_text(text)  # written out without the inert parts when it converts
    stripped = svgsafe.clean(text)
    if stripped is not None:
        text = stripped
    elif not flowed or svgsafe.review(text).refused:
        removed = []  # refused (check says why) or nothing to remove: the file is copied as it is
    return text, changed + flowed + removed


def _remote_rules(text: str) -> tuple[str, list[str]]:
    """`text` without the style rules that load from another host: an `@import` (Mermaid's
    Font Awesome) or an `@font-face` (Excalidraw's hand-drawn fonts). The drawing then uses the
    page's fonts; the site makes no third-party requests (docs/security.md)."""
    if "<style" not in text or not remote_in_css(text):
        return text, []
    dropped: list[str] = []

    def one(m: re.Match) -> str:
        body, cdata = m["css"], m["css"].strip().startswith("<![CDATA[")
        css = body.strip()[9:-3] if cdata and body.strip().endswith("]]>") else body
        rules = tinycss2.parse_stylesheet(css, skip_comments=False, skip_whitespace=False)
        kept, before = [], len(dropped)
        for rule in rules:
            if rule.type == "error":  # what a browser skips too: it cannot be written back out
                continue
            if rule.type == "at-rule" and rule.lower_at_keyword in ("import", "font-face"):
                urls = remote_in_css(rule.serialize())
                if urls:
                    dropped.append(f"@{rule.lower_at_keyword} {urls[0][1]}")
                    continue
            kept.append(rule)
        if len(dropped) == before:
            return m[0]
        css = tinycss2.serialize(kept)
        return m["open"] + (f"<![CDATA[{css}]]>" if cdata else css) + m["close"]

    text = _STYLE.sub(one, text)
    if not dropped:
        return text, []
    return text, [
        f"style rules that load from another host ({', '.join(dict.fromkeys(dropped))}): the page's fonts are used"
    ]


def _doctype(text: str) -> tuple[str, list[str]]:
    """`text` without a doctype whose subset declares nothing that can hide markup, and a note
    when the subset declared something (the plain doctype svgsafe itself reports)."""
    m = _DOCTYPE.search(text)
    if m is None:
        return text, []
    subset = m.group("subset") or ""
    entities = {e["name"]: e["value"] for e in _ENTITY.finditer(subset)}
    fixed = {f["name"]: f["uri"] for a in _ATTLIST.finditer(subset) for f in _FIXED_XMLNS.finditer(a["defs"])}
    leftover = _ATTLIST.sub("", _INERT_DECLARATION.sub("", _ENTITY.sub("", subset)))
    if re.search(r"[<%&]", leftover):  # declarations we cannot write out: leave the file for check to report
        return text, []
    body = text[: m.start()] + text[m.end() :]
    for name, value in entities.items():
        body = body.replace(f"&{name};", value)
    root = _ROOT.search(body)
    missing = {k: v for k, v in fixed.items() if root and not re.search(rf"\s{re.escape(k)}\s*=", root["attrs"])}
    if root and missing:
        attrs = "".join(f' {name}="{uri}"' for name, uri in missing.items())
        body = body[: root.start("attrs")] + attrs + body[root.start("attrs") :]
    if not subset.strip():
        return body, []
    what = "the <!DOCTYPE> and its declarations" + (", its entities written out" if entities else "")
    return body, [what + (f" ({', '.join(missing)} moved onto <svg>)" if missing else "")]


def _flowed_text(text: str) -> tuple[str, list[str]]:
    """Inkscape's `<flowRoot>` as `<text>` (empty ones dropped), when the file is one the site
    can read; otherwise the text as it is (the check reports the flowed text)."""
    if "flowRoot" not in text:
        return text, []
    try:
        root = safe_fromstring(text, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (DefusedXmlException, ParseError):
        return text, []
    if not svgsafe.only_known(root):
        return text, []  # refused anyway: the check reports it with the rest
    converted = dropped = 0
    for parent in list(root.iter()):
        for i, child in enumerate(list(parent)):
            if child.tag != _SVG + "flowRoot":
                continue
            replacement = _as_text(child)
            parent.remove(child)
            if replacement is None:
                dropped += 1
            else:
                parent.insert(i - dropped, replacement)
                converted += 1
    if not converted and not dropped:
        return text, []
    out = svgsafe.plain_text(root)
    notes = []
    if converted:
        notes.append(f"Inkscape flowed text ×{converted} became plain text (its lines no longer wrap)")
    if dropped:
        notes.append(f"empty Inkscape flowed text ×{dropped}")
    return out, notes


def _as_text(flow: ET.Element) -> ET.Element | None:
    """A `<text>` holding the flowed text's paragraphs as lines, or None when it holds no words."""
    paras = [p for p in flow.iter() if p.tag == _SVG + "flowPara"]
    if not any("".join(p.itertext()).strip() for p in paras):
        return None
    rect = next((r for r in flow.iter(_SVG + "rect")), None)
    x = float((rect.get("x") if rect is not None else None) or 0)
    y = float((rect.get("y") if rect is not None else None) or 0)
    size = re.search(r"font-size:\s*([\d.]+)", flow.get("style", "")) or re.search(
        r"([\d.]+)", flow.get("font-size", "")
    )
    text = ET.Element(
        _SVG + "text", {k: v for k, v in flow.attrib.items() if k in ("id", "class", "style", "transform")}
    )
    text.set("x", f"{x:g}")
    text.set("y", f"{y + (float(size.group(1)) if size else 16):g}")
    pending = 0  # lines to move down before the next words (empty paragraphs are blank lines)
    for para in paras:
        if not "".join(para.itertext()).strip():
            pending += 1
            continue
        line = _span(para)
        line.set("x", f"{x:g}")
        if len(text) or pending:
            line.set("dy", f"{_LINE_HEIGHT * (pending + (1 if len(text) else 0)):g}em")
        text.append(line)
        pending = 0
    return text


def _span(flow: ET.Element) -> ET.Element:
    """A `<flowPara>` or `<flowSpan>` as a `<tspan>` with its style, nested spans kept."""
    span = ET.Element(_SVG + "tspan", {k: v for k, v in flow.attrib.items() if k in ("id", "class", "style")})
    span.text = flow.text
    for child in flow:
        if child.tag == _SVG + "flowSpan":
            inner = _span(child)
            inner.tail = child.tail
            span.append(inner)
        elif child.tail:
            span.text = (span.text or "") + child.tail
    return span
