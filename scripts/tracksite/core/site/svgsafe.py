"""The SVG policy: a figure is published only as a plain drawing; editors' inert data is removed.

A published SVG is served from the site's own origin, so a browser that opens it directly runs
whatever it holds with the site's rights. Three outcomes, decided by one parser pass
(defusedxml: no entity, no external DTD is ever expanded or fetched):

- **refused** (an error, with the line and the reason): scripts, `on*` event handlers,
  `javascript:` and document URLs, references that load something from elsewhere, HTML
  inside a `foreignObject` other than the text markup diagram tools write for their labels
  (Mermaid, draw.io: `<div>`, `<span>`, `<p>`, `<br>` with `class`/`style`), DTDs that declare
  anything, processing instructions, and every element or attribute that is not on the SVG
  allow-list; Inkscape's
  flowed text (`<flowRoot>`) too, which no browser draws. Each message says how to fix the file
  (the importer fixes figures it copies: commands/importers/pipeline/svgclean.py);
- **removed** (a warning of `tracksite check`, once per figure, and stripped from the published
  copy at import and at build): what drawing programs keep for themselves and no browser acts
  on: elements and attributes in their own namespaces (Inkscape, Sodipodi, LibreOffice,
  Visio, Illustrator, Sketch, Affinity), attributes in any other namespace but xlink and xml
  (Lucidchart's `lucid:`, Open Swatchbook's `osb:`: a browser reads no other), `<metadata>` (matplotlib's and Inkscape's RDF),
  draw.io's copy of the diagram in `content=`, SVG fonts, Illustrator's private-data
  `foreignObject` (it names Illustrator as a required extension, so browsers skip it), and the
  standard `<!DOCTYPE svg PUBLIC ...>` line that declares nothing;
- everything else is kept as written.

`review(text)` says which; `clean(text)` returns the text with the inert parts removed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from defusedxml.ElementTree import fromstring as safe_fromstring

from tracksite.core.site.addresses import remote_in_css, remote_message, unlisted

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
XHTML_NS = "http://www.w3.org/1999/xhtml"
# The HTML diagram tools write in a <foreignObject> for a label's text: nothing that runs, loads,
# links or submits, so a label is kept as the tool drew it.
XHTML_TEXT = set(
    "div span p br b i em strong u s sub sup small big code kbd samp var pre ul ol li dl dt dd hr "
    "table thead tbody tfoot tr td th caption font label h1 h2 h3 h4 h5 h6 center abbr mark q".split()
)
XHTML_ATTRIBUTES = set(
    "class style id lang dir title align valign color face size colspan rowspan width height".split()
)
_ILLUSTRATOR = "Illustrator"
# Drawing programs' own namespaces: (the prefix they write, the program). Browsers ignore them.
INERT: dict[str, tuple[str, str]] = {
    "http://www.inkscape.org/namespaces/inkscape": ("inkscape", "Inkscape"),
    "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd": ("sodipodi", "Inkscape"),
    "http://xml.openoffice.org/svg/export": ("ooo", "LibreOffice"),
    "http://sun.com/xmlns/staroffice/presentation": ("presentation", "LibreOffice"),
    "http://www.w3.org/2001/SMIL20/": ("smil", "LibreOffice"),
    "urn:oasis:names:tc:opendocument:xmlns:animation:1.0": ("anim", "LibreOffice"),
    "http://schemas.microsoft.com/visio/2003/SVGExtensions/": ("v", "Visio"),
    "http://ns.adobe.com/AdobeIllustrator/10.0/": ("i", _ILLUSTRATOR),
    "http://ns.adobe.com/Extensibility/1.0/": ("x", _ILLUSTRATOR),
    "http://ns.adobe.com/Graphs/1.0/": ("graph", _ILLUSTRATOR),
    "http://ns.adobe.com/Variables/1.0/": ("v", _ILLUSTRATOR),
    "http://ns.adobe.com/ImageReplacement/1.0/": ("ir", _ILLUSTRATOR),
    "http://ns.adobe.com/SaveForWeb/1.0/": ("sfw", _ILLUSTRATOR),
    "http://ns.adobe.com/GenericCustomNamespace/1.0/": ("custom", _ILLUSTRATOR),
    "http://ns.adobe.com/XPath/1.0/": ("xpath", _ILLUSTRATOR),
    "http://ns.adobe.com/AdobeSVGViewerExtensions/3.0/": ("a", _ILLUSTRATOR),
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": ("rdf", "RDF metadata"),
    "http://creativecommons.org/ns#": ("cc", "RDF metadata"),
    "http://web.resource.org/cc/": ("cc", "RDF metadata"),
    "http://purl.org/dc/elements/1.1/": ("dc", "RDF metadata"),
    "http://purl.org/dc/terms/": ("dcterms", "RDF metadata"),
    "http://www.bohemiancoding.com/sketch/ns": ("sketch", "Sketch"),
    "http://www.serif.com/": ("serif", "Affinity"),
}
# SVG elements that only carry data for programs (or SVG fonts, which only Safari draws and the
# page's own fonts replace): removed with everything inside them.
INERT_ELEMENTS = {
    "metadata": "metadata",
    "font": "SVG font",
    "font-face": "SVG font",
    "glyph": "SVG font",
    "missing-glyph": "SVG font",
    "hkern": "SVG font",
    "vkern": "SVG font",
}
# The doctype SVG 1.0/1.1 files carry: a public name and the DTD's address, declaring nothing.
PLAIN_DOCTYPE = re.compile(r"<!DOCTYPE\s+svg\s+PUBLIC\s+(\"[^\"]*\"|'[^']*')\s+(\"[^\"]*\"|'[^']*')\s*>", re.I)
FLOWED_TEXT = (
    "contains Inkscape flowed text (<flowRoot>), which browsers do not draw: in Inkscape, select it and "
    "use Text > Convert to Text (tracksite import converts it)"
)
DRAWIO_SOURCE = re.compile(r"^\s*<(?:mxfile|mxGraphModel)\b")

SVG_ELEMENTS = {
    "svg", "a", "g", "defs", "title", "desc", "metadata", "symbol", "use", "switch", "style",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "image",
    "text", "tspan", "textPath", "marker", "linearGradient", "radialGradient", "stop", "pattern",
    "clipPath", "mask", "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow",
    "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge",
    "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight",
    "feTile", "feTurbulence", "animate", "animateTransform", "animateMotion", "set", "mpath",
}  # fmt: skip
ANIMATIONS = {"animate", "animateTransform", "animateMotion", "set"}
# Geometry, presentation and animation attributes: values only, nothing that runs or loads.
SVG_ATTRIBUTES = set(
    """
id class style lang tabindex role focusable x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points
pathLength viewBox preserveAspectRatio transform patternUnits patternContentUnits patternTransform
gradientUnits gradientTransform spreadMethod offset markerUnits markerWidth markerHeight refX refY orient
clipPathUnits maskUnits maskContentUnits filterUnits primitiveUnits in in2 result mode type values
tableValues slope intercept amplitude exponent k1 k2 k3 k4 operator radius stdDeviation dx dy rotate
lengthAdjust textLength startOffset method spacing side baseFrequency numOctaves seed stitchTiles scale
xChannelSelector yChannelSelector surfaceScale diffuseConstant specularConstant specularExponent
kernelMatrix kernelUnitLength order divisor bias targetX targetY edgeMode preserveAlpha azimuth elevation
z pointsAtX pointsAtY pointsAtZ limitingConeAngle version baseProfile requiredExtensions requiredFeatures
systemLanguage target
attributeName attributeType begin dur end min max restart repeatCount repeatDur fill calcMode keyTimes
keySplines keyPoints from to by additive accumulate path
alignment-baseline baseline-shift clip clip-path clip-rule color color-interpolation
color-interpolation-filters color-profile color-rendering cursor direction display dominant-baseline
enable-background fill-opacity fill-rule filter flood-color flood-opacity font font-family font-size
font-size-adjust font-stretch font-style font-variant font-weight glyph-orientation-horizontal
glyph-orientation-vertical image-rendering kerning letter-spacing lighting-color marker marker-end
marker-mid marker-start mask opacity overflow paint-order pointer-events shape-rendering stop-color
stop-opacity stroke stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin stroke-miterlimit
stroke-opacity stroke-width text-anchor text-decoration text-rendering unicode-bidi vector-effect
visibility word-spacing writing-mode mix-blend-mode isolation transform-origin white-space
""".split()
)
SCRIPT_URL = re.compile(r"(?:java|vb)script:", re.I)  # refused in any attribute, anywhere in the value
DOCUMENT_URL = re.compile(r"data:(?!image/(?:png|jpe?g|gif|webp)[;,])", re.I)  # in a URL or animated value
URL_LIKE = {"href", "src", "srcset", "values", "from", "to", "by", "xlink:href"}
INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
ANIMATED_URL = re.compile(r"^(?:xlink:)?href$|^on", re.I)
_LINKING = {
    "a",
    "use",
    "image",
    "feImage",
    "textPath",
    "mpath",
    "pattern",
    "linearGradient",
    "radialGradient",
    "filter",
}


@dataclass
class Review:
    """What one SVG holds that is not a plain drawing: `refused` (line, reason) and `removed`
    (what is stripped from the published copy, by program: "Inkscape: sodipodi:namedview, ...")."""

    refused: list[tuple[int, str]] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


class _Rules:
    """The parser's target: checks each element as it is read, with the line it starts on."""

    def __init__(self, allowed: frozenset[str] = frozenset()) -> None:
        self.allowed = allowed  # listed remote addresses (remote-files.yml): the build copies them
        self.parser: DefusedXMLParser | None = None
        self.found: list[tuple[int, str]] = []
        self.removed: Counter[tuple[str, str]] = Counter()  # (program, name) -> how many
        self.inert: list[bool] = []  # per open element: is it (inside) something removed
        self.in_style = 0
        self.depth = 0
        self.foreign = 0  # open <foreignObject> elements: HTML text is read inside them

    def line(self) -> int:
        return self.parser.parser.CurrentLineNumber if self.parser else 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        ns, local = _split(tag)
        self.depth += 1
        if self.inert and self.inert[-1]:
            self.inert.append(True)
            return
        what = inert_element(ns, local, attrib)
        self.inert.append(what is not None)
        if what is not None:
            self.removed[what] += 1
            return
        if ns == SVG_NS and local == "flowRoot":
            self.inert[-1] = True  # its flowPara/flowRegion: one finding for the whole text
            self.found.append((self.line(), FLOWED_TEXT))
            return
        if ns == XHTML_NS and self.foreign:
            self.html(local, attrib)
            return
        if ns == SVG_NS and local == "foreignObject":
            self.foreign += 1
        elif ns != SVG_NS or local not in SVG_ELEMENTS:
            self.found.append((self.line(), f"contains a <{_name(ns, local)}> element, which is not a plain drawing"))
            return
        if local == "style":
            self.in_style += 1
        for name, value in attrib.items():
            self.attribute(local, *_split(name), value)

    def attribute(self, element: str, ns: str, name: str, value: str) -> None:
        plain = INVISIBLE.sub("", value)
        removed = inert_attribute(ns, name, value, root=self.depth == 1)
        if removed is not None:
            self.removed[removed] += 1
        elif name.lower().startswith("on"):
            self.found.append((self.line(), f"has an {name}= event handler"))
        elif SCRIPT_URL.search(plain) or name in URL_LIKE and DOCUMENT_URL.search(plain):
            self.found.append((self.line(), f"has a script or document URL in {_name(ns, name)}="))
        elif element in ANIMATIONS and name == "attributeName" and ANIMATED_URL.match(value.strip()):
            self.found.append(
                (self.line(), f"<{element}> changes {value.strip()}=, which can turn it into a script link")
            )
        elif ns == XML_NS and name in ("space", "lang"):
            return
        elif name == "href" and ns in ("", XLINK_NS) and element != "a" and unlisted(plain, self.allowed):
            self.found.append((self.line(), f"<{element}> {remote_message(value)}"))
        elif name == "href" and ns in ("", XLINK_NS) and element in _LINKING and plain in self.allowed:
            return  # listed in remote-files.yml: the build points it at the site's copy
        elif name == "style" and remote_in_css(value, allowed=self.allowed):
            self.found.append(
                (self.line(), f"style= {remote_message(remote_in_css(value, allowed=self.allowed)[0][1])}")
            )
        elif name == "href" and ns in ("", XLINK_NS):
            external = re.match(r"^[a-z][a-z0-9+.-]*:(?!image/)", plain, re.I)
            if element not in _LINKING or element != "a" and external:
                self.found.append(
                    (self.line(), f"<{element}> links to {value!r}; drawings link only to their own parts and images")
                )
        elif ns or name not in SVG_ATTRIBUTES and not name.startswith(("aria-", "data-")):
            self.found.append((self.line(), f"has a {_name(ns, name)}= attribute, which is not a drawing attribute"))

    def html(self, local: str, attrib: dict[str, str]) -> None:
        """An HTML element of a label: text markup only, with inert attributes."""
        if local not in XHTML_TEXT:
            self.found.append((self.line(), f"contains an HTML <{local}> element, which is not label text"))
            return
        for name, value in attrib.items():
            ns, plain_name = _split(name)
            if ns or plain_name.lower().startswith("on") or SCRIPT_URL.search(INVISIBLE.sub("", value)):
                self.attribute(local, ns, plain_name, value)  # refused there, with its reason
            elif plain_name == "style" or plain_name.startswith(("aria-", "data-")):
                self.attribute(local, ns, plain_name, value)
            elif plain_name not in XHTML_ATTRIBUTES:
                self.found.append((self.line(), f"has an HTML {plain_name}= attribute, which is not label text"))

    def end(self, tag: str) -> None:
        self.depth -= 1
        was_inert = self.inert.pop() if self.inert else False
        if not was_inert and _split(tag) == (SVG_NS, "foreignObject") and self.foreign:
            self.foreign -= 1
        if not was_inert and _split(tag) == (SVG_NS, "style") and self.in_style:
            self.in_style -= 1

    def data(self, text: str) -> None:
        if self.inert and self.inert[-1]:
            return
        if self.in_style and remote_in_css(text, allowed=self.allowed):
            self.found.append(
                (self.line(), f"<style> {remote_message(remote_in_css(text, allowed=self.allowed)[0][1])}")
            )
        elif self.in_style and (SCRIPT_URL.search(INVISIBLE.sub("", text)) or "@import" in text.lower()):
            self.found.append((self.line(), "has a style sheet that imports or links to a script"))

    def pi(self, target: str, data: str) -> None:
        self.found.append(
            (self.line(), f"contains a <?{target}?> processing instruction (a style sheet could run scripts)")
        )

    def close(self) -> None:
        return None


def inert_element(ns: str, local: str, attrib: dict[str, str]) -> tuple[str, str] | None:
    """(program, name) when the element is data a browser never draws or runs; None otherwise."""
    if ns in INERT:
        prefix, program = INERT[ns]
        return program, f"{prefix}:{local}"
    if ns == SVG_NS and local in INERT_ELEMENTS:
        return INERT_ELEMENTS[local], local
    if ns == SVG_NS and local == "foreignObject" and attrib.get("requiredExtensions", "").strip() in INERT:
        return INERT[attrib["requiredExtensions"].strip()][1], "foreignObject"  # Illustrator's private data
    return None


def inert_attribute(ns: str, name: str, value: str, *, root: bool) -> tuple[str, str] | None:
    if ns in INERT:
        prefix, program = INERT[ns]
        return program, f"{prefix}:{name}="
    if root and not ns and name == "content" and DRAWIO_SOURCE.match(value):
        return "draw.io", "content="
    if ns and ns not in (XLINK_NS, XML_NS, SVG_NS, XHTML_NS):  # a browser reads no attribute of another namespace
        return "other programs", f"{ns.rsplit('/', 1)[-1] or ns}:{name}="
    return None


def _without_doctype(text: str) -> tuple[str, bool]:
    """`text` without a plain SVG doctype (its lines kept blank, so line numbers stay right)."""
    m = PLAIN_DOCTYPE.search(text)
    if m is None:
        return text, False
    return text[: m.start()] + "\n" * m.group(0).count("\n") + text[m.end() :], True


def review(text: str, allowed: frozenset[str] = frozenset()) -> Review:
    """What `text` (an SVG) holds that is refused, and what is removed from the published copy.
    `allowed`: the remote addresses listed in remote-files.yml, which the build copies."""
    body, had_doctype = _without_doctype(text)
    rules = _Rules(allowed)
    parser = DefusedXMLParser(target=rules, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    rules.parser = parser
    try:
        parser.feed(body)
        parser.close()
    except DefusedXmlException:
        return Review([(rules.line(), _dtd_message(body))])
    except ParseError as e:
        return Review([(e.position[0], f"is not well-formed XML: {getattr(e, 'msg', None) or e}")])
    by_program: dict[str, list[str]] = {}
    for (program, name), count in sorted(rules.removed.items()):
        by_program.setdefault(program, []).append(name if count == 1 else f"{name} ×{count}")
    removed = [
        f"{program} ({', '.join(names[:4])}{', …' if len(names) > 4 else ''})" for program, names in by_program.items()
    ]
    if had_doctype:
        removed.append("the <!DOCTYPE> line")
    return Review(rules.found, removed)


def _dtd_message(text: str) -> str:
    """Why a doctype with declarations is refused, and how to fix the file."""
    if re.search(r"<!ENTITY\b", text):
        return (
            "declares entities (<!ENTITY ...>), which could hide a script: write each entity's value "
            "where it is used and delete the <!DOCTYPE ...> (tracksite import does this for plain-text entities)"
        )
    return (
        "has a <!DOCTYPE> with declarations ([...]), which could hide a script: delete it from <!DOCTYPE to ]> "
        "and put a namespace it fixes (xmlns:xlink) on the <svg> element (tracksite import does this)"
    )


def svg_findings(text: str) -> list[tuple[int, str]]:
    """(line, what) for everything in an SVG that is refused (not a plain drawing)."""
    return review(text).refused


def clean(text: str, allowed: frozenset[str] = frozenset()) -> str | None:
    """`text` with every inert part removed; None when nothing is to be removed or the file is
    refused (the check reports it, and nothing refused is ever published)."""
    found = review(text, allowed)
    if found.refused or not found.removed:
        return None
    root = safe_fromstring(_without_doctype(text)[0], forbid_dtd=True, forbid_entities=True, forbid_external=True)
    return plain_text(root)


def plain_text(root: ET.Element) -> str:
    """A parsed drawing written out without its inert parts, its names as the file had them. Only
    for a tree whose every element is SVG or inert (`only_known`): other names would lose their
    namespace."""
    _strip(root, is_root=True)
    uses_xlink = _plain_names(root)
    root.set("xmlns", SVG_NS)
    if uses_xlink:
        root.set("xmlns:xlink", XLINK_NS)
    return ET.tostring(root, encoding="unicode") + "\n"


def only_known(root: ET.Element) -> bool:
    """Whether every element is SVG or a drawing program's, and every attribute plain, xlink,
    xml or a drawing program's: what `plain_text` can write out without changing a name."""
    known = {"", XLINK_NS, XML_NS, *INERT}
    return all(
        _split(e.tag)[0] in (SVG_NS, *INERT) and all(_split(a)[0] in known for a in e.attrib) for e in root.iter()
    )


def _strip(element: ET.Element, *, is_root: bool = False) -> None:
    for name in list(element.attrib):
        if inert_attribute(*_split(name), element.attrib[name], root=is_root) is not None:
            del element.attrib[name]
    for child in list(element):
        if inert_element(*_split(child.tag), child.attrib) is not None:
            _remove(element, child)
        else:
            _strip(child)


def _plain_names(root: ET.Element) -> bool:
    """Write the names as the file had them (`rect`, `xlink:href`), not ElementTree's `ns0:`
    prefixes: every element left is SVG or a label's HTML (anything else is refused). Whether
    xlink is used."""
    prefixes = {XLINK_NS: "xlink:", XML_NS: "xml:"}
    uses_xlink = False
    for parent in root.iter():  # a label's HTML keeps its namespace, written where it starts
        for child in parent:
            if _split(child.tag)[0] == XHTML_NS and _split(parent.tag)[0] != XHTML_NS:
                child.set("xmlns", XHTML_NS)
    for element in root.iter():
        element.tag = _split(element.tag)[1]
        for name in [n for n in element.attrib if n.startswith("{")]:
            ns, local = _split(name)
            uses_xlink = uses_xlink or ns == XLINK_NS
            element.attrib[prefixes[ns] + local] = element.attrib.pop(name)
    return uses_xlink


def _remove(parent: ET.Element, child: ET.Element) -> None:
    """Remove `child`, keeping the text that follows it (Visio puts `<v:paragraph/>` in `<text>`)."""
    if child.tail:
        children = list(parent)
        index = children.index(child)
        if index:
            children[index - 1].tail = (children[index - 1].tail or "") + child.tail
        else:
            parent.text = (parent.text or "") + child.tail
    parent.remove(child)


def _split(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


def _name(ns: str, local: str) -> str:
    prefix = {SVG_NS: "", XLINK_NS: "xlink:", XML_NS: "xml:", "": ""}.get(ns)
    return f"{prefix}{local}" if prefix is not None else f"{{{ns}}}{local}"
