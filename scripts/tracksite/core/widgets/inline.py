"""Widget texts (quiz options and explanations, flashcards, worked steps) as inline Markdown.

In a shell or Python course nearly every option is a command, so `` `cd ..` `` must be code,
not backticks. A text is rendered by a private Python-Markdown with no extensions (so no
attribute lists, no raw-HTML blocks), after:

- `<` and `&` outside code spans are escaped, so raw HTML is shown as text, never parsed;
- a leading block marker (`#`, `-`, `1.`, `>`) is escaped, so a text stays one inline run;
- `$...$` and bare `d_k` outside code are set aside as math and put back as arithmatex spans,
  which the build turns into MathML with the rest of the page (mathml.py).

The HTML is parsed back into elements whose texts are atomic (the page's own Markdown never
parses them again). Links keep only http(s), mailto, relative and `#` targets; images become
their alt text (a widget option is no place for a picture).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

import markdown
from markdown.util import AtomicString

from tracksite.core.markdown.mathml import split_math
from tracksite.core.widgets.body import clean_text

_CODE_SPAN = re.compile(r"(`+)(.+?)(?<!`)\1(?!`)", re.S)
_BLOCK_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s))")
_NUMBERED = re.compile(r"^(\s*\d+)\.(?=\s)")
_MATH = re.compile("\ue000(\\d+)\ue001")
_SAFE_HREF = re.compile(r"^(?:https?:|mailto:|#|[^:]*$)", re.I)
_MD = markdown.Markdown(extensions=[], output_format="xhtml")
ALLOWED = {"code", "em", "strong", "a", "br", "span"}


#: A text with none of these renders to itself: no code, emphasis, link, image, math (`$`, `d_k`),
#: HTML, entity, escape, line break, `{` (attribute lists) or math placeholder. Most quiz options
#: and explanations are such plain sentences, and skipping Markdown for them takes a tenth off the
#: build of a course full of quizzes.
_MARKUP = re.compile(r"[`*_\[\]<>&\\$!\n{\ue000\ue001]")


def render_into(parent: etree.Element, text: str) -> None:
    """Append `text`, rendered as inline Markdown with math, to `parent` (its text and children)."""
    text = clean_text(text)
    if not _MARKUP.search(text):
        _put_text(parent, text, parent[-1] if len(parent) else None, [])
        return
    source, formulas = _prepare(text)
    _MD.reset()
    html = _MD.convert(source).strip()
    html = re.sub(r"^<p>|</p>$", "", html)
    html = html.replace("</p>\n<p>", "<br />")
    try:
        tree = etree.fromstring(f"<root>{html}</root>")
    except etree.ParseError:  # cannot happen with escaped input; fall back to the plain text
        tree = etree.Element("root")
        tree.text = clean_text(text)
    _sanitise(tree)
    _adopt(parent, tree, formulas)


def _prepare(text: str) -> tuple[str, list[str]]:
    """Markdown source with HTML escaped and math set aside as placeholders."""
    formulas: list[str] = []
    out, pos = [], 0
    for m in _CODE_SPAN.finditer(text):
        out.append(_outside_code(text[pos : m.start()], formulas))
        out.append(m.group(0))
        pos = m.end()
    out.append(_outside_code(text[pos:], formulas))
    source = "".join(out)
    source = re.sub(r"\n\s*\n", "\n\n", source)
    lines = (_NUMBERED.sub(r"\1\\.", _BLOCK_START.sub(r"\1\\\2", line)) for line in source.split("\n"))
    return "\n".join(lines), formulas


def _outside_code(part: str, formulas: list[str]) -> str:
    pieces = []
    for piece, is_math in split_math(part):
        if is_math:
            formulas.append(piece)
            pieces.append(f"\ue000{len(formulas) - 1}\ue001")
        else:
            pieces.append(piece.replace("&", "&amp;").replace("<", "&lt;"))
    return "".join(pieces)


def _sanitise(tree: etree.Element) -> None:
    """Keep the inline elements widgets allow; unsafe links and images become plain text."""
    for parent in list(tree.iter()):
        for i, child in enumerate(list(parent)):
            if child.tag == "img":
                span = etree.Element("span")
                span.text, span.tail = child.get("alt", ""), child.tail
                parent.remove(child)
                parent.insert(i, span)
            elif child.tag == "a":
                href = child.get("href", "")
                child.attrib = {"href": href} if _SAFE_HREF.match(href.strip()) else {}
                if not child.attrib:
                    child.tag = "span"
            elif child.tag not in ALLOWED:
                child.tag = "span"
                child.attrib = {}


def _adopt(parent: etree.Element, tree: etree.Element, formulas: list[str]) -> None:
    """Move `tree`'s content into `parent`: texts atomic, math placeholders as arithmatex spans."""
    existing = list(parent)
    _put_text(parent, tree.text, existing[-1] if existing else None, formulas)
    for child in list(tree):
        tree.remove(child)
        tail, child.tail = child.tail, None
        parent.append(child)
        _atomic(child, formulas)
        _put_text(parent, tail, child, formulas)


def _atomic(node: etree.Element, formulas: list[str]) -> None:
    """Make every text under `node` atomic, placing math spans where their placeholders were."""
    text, node.text = node.text, None
    kids = list(node)
    for kid in kids:
        node.remove(kid)
    if node.tag == "code":
        node.text = AtomicString(text or "")
    else:
        _put_text(node, text, None, formulas)
    for kid in kids:
        tail, kid.tail = kid.tail, None
        node.append(kid)
        _atomic(kid, formulas)
        _put_text(node, tail, kid, formulas)


def _put_text(node: etree.Element, text: str | None, after: etree.Element | None, formulas: list[str]) -> None:
    """Add `text` to `node` after its child `after` (or at its start). A `{` gets a span of its
    own: the page's attribute lists read `{...}` right after an element or at a line's start as
    attributes, and widget texts must never set one (`*x*{onclick=...}`). Most texts hold
    neither a brace nor math: added whole, without splitting them."""
    if not text:
        return
    if "{" not in text and "\ue000" not in text:
        if after is None:
            node.text = AtomicString((node.text or "") + text)
        else:
            after.tail = AtomicString((after.tail or "") + text)
        return
    for n, part in enumerate(_MATH.split(text)):
        if n % 2:
            span = etree.Element("span", {"class": "arithmatex"})
            span.text = AtomicString(f"\\({formulas[int(part)]}\\)")
            after = _insert(node, after, span)
            continue
        for m, plain in enumerate(part.split("{")):
            if m:
                brace = etree.Element("span")
                brace.text = AtomicString("{")
                after = _insert(node, after, brace)
            if plain and after is None:
                node.text = AtomicString((node.text or "") + plain)
            elif plain and after is not None:
                after.tail = AtomicString((after.tail or "") + plain)


def _insert(node: etree.Element, after: etree.Element | None, child: etree.Element) -> etree.Element:
    node.insert(list(node).index(after) + 1 if after is not None else 0, child)
    return child
