"""One rule set for every static file the site publishes, wherever it lives (docs/, lessons/).

A static file is served from the site's own origin, so a browser that opens it directly runs
whatever it holds with the site's rights: an SVG or HTML file may only be a plain document.
SVG is parsed as XML by defusedxml (no DTD, no entities, no external references) and every
element and attribute must be on an allow-list; HTML is parsed by the standard library and held
to the same rules. Symbolic links may not leave the project or reach a hidden folder (`.git`),
loops are errors, and files a learner's browser downloads are capped in size.

`static_problems(root, path)` answers for one file; `walk(root, folder)` lists a folder's files
the way the build collects them, with the problems of links it could not follow.
"""
from __future__ import annotations

import errno
import os
import re
from html.parser import HTMLParser
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from tracksite.core.problems import Problem
from tracksite.core.sources import MAX_BYTES

DATA_SUFFIXES = {".json", ".yml", ".yaml", ".csv", ".tsv", ".txt"}
MAX_DATA_BYTES = MAX_BYTES  # a widget's data file, like a lesson: the page fetches it whole
MAX_FILE_BYTES = 10_000_000  # an image or any other download
# Documents a browser renders (and may run scripts in) that no course needs.
# The engine makes a page of these as it does of `.md` (MkDocs' `utils.markdown_extensions`, case
# as written); the project's pages end in `.md`, the one suffix the loader, its checks and the
# site plan read as a page, so any other would be a page nothing checked.
OTHER_MARKDOWN_SUFFIXES = (".markdown", ".mdown", ".mkdn", ".mkd")
REFUSED_SUFFIXES = {".xhtml", ".xht", ".xml", ".xsl", ".xslt", ".svgz", ".mht", ".mhtml", ".shtml", ".swf"}
MAX_FINDINGS = 20

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Editors' bookkeeping: browsers ignore elements and attributes in these namespaces.
INERT_NS = {
    "http://www.inkscape.org/namespaces/inkscape", "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "http://creativecommons.org/ns#",
    "http://purl.org/dc/elements/1.1/", "http://ns.adobe.com/AdobeIllustrator/10.0/",
    "http://www.bohemiancoding.com/sketch/ns",
}
SVG_ELEMENTS = {
    "svg", "a", "g", "defs", "title", "desc", "metadata", "symbol", "use", "switch", "style",
    "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "image",
    "text", "tspan", "textPath", "marker", "linearGradient", "radialGradient", "stop", "pattern",
    "clipPath", "mask", "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite",
    "feConvolveMatrix", "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow",
    "feFlood", "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feImage", "feMerge",
    "feMergeNode", "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight",
    "feTile", "feTurbulence", "animate", "animateTransform", "animateMotion", "set", "mpath",
}
ANIMATIONS = {"animate", "animateTransform", "animateMotion", "set"}
# Geometry, presentation and animation attributes: values only, nothing that runs or loads.
SVG_ATTRIBUTES = set("""
id class style lang tabindex role focusable x y x1 y1 x2 y2 cx cy r rx ry fx fy fr width height d points
pathLength viewBox preserveAspectRatio transform patternUnits patternContentUnits patternTransform
gradientUnits gradientTransform spreadMethod offset markerUnits markerWidth markerHeight refX refY orient
clipPathUnits maskUnits maskContentUnits filterUnits primitiveUnits in in2 result mode type values
tableValues slope intercept amplitude exponent k1 k2 k3 k4 operator radius stdDeviation dx dy rotate
lengthAdjust textLength startOffset method spacing side baseFrequency numOctaves seed stitchTiles scale
xChannelSelector yChannelSelector surfaceScale diffuseConstant specularConstant specularExponent
kernelMatrix kernelUnitLength order divisor bias targetX targetY edgeMode preserveAlpha azimuth elevation
z pointsAtX pointsAtY pointsAtZ limitingConeAngle version baseProfile requiredExtensions systemLanguage
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
""".split())
HTML_ELEMENTS = set("""
html head title body main header footer nav section article aside h1 h2 h3 h4 h5 h6 p div span br hr
a em strong b i u s small sub sup mark code kbd samp var pre blockquote q cite abbr dfn time data
ul ol li dl dt dd figure figcaption table caption thead tbody tfoot tr th td col colgroup img picture
details summary style wbr ruby rt rp bdi bdo ins del address
""".split()) | {e.lower() for e in SVG_ELEMENTS - {"style"}}
HTML_ATTRIBUTES = set("""
id class style lang dir title href src alt width height colspan rowspan scope headers datetime cite
start reversed type value open loading decoding srcset sizes media target rel
""".split()) | {a.lower() for a in SVG_ATTRIBUTES}
_SCRIPT_URL = re.compile(r"(?:java|vb)script:", re.I)  # refused in any attribute, anywhere in the value
_DOCUMENT_URL = re.compile(r"data:(?!image/(?:png|jpe?g|gif|webp)[;,])", re.I)  # in a URL or animated value
URL_LIKE = {"href", "src", "srcset", "values", "from", "to", "by", "xlink:href"}
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")
_ANIMATED_URL = re.compile(r"^(?:xlink:)?href$|^on", re.I)


def static_problems(root: Path, path: Path) -> list[Problem]:
    """Everything that keeps one static file (or symbolic link to a folder) off the site."""
    shown = _shown(root, path)
    found = _link_problems(root, path)
    if found or path.is_dir():
        return [Problem(shown, None, message, hint=hint) for message, hint in found]
    if path.name.endswith(OTHER_MARKDOWN_SUFFIXES):
        return [Problem(shown, None, f"a Markdown page must end in .md, not {path.suffix}",
                        hint=f"rename it to {path.stem}.md")]
    suffix = path.suffix.lower()
    try:
        size = path.stat().st_size
    except OSError as e:
        return [Problem(shown, None, f"cannot read file: {e.strerror or e}")]
    if not os.access(path, os.R_OK):
        return [Problem(shown, None, "cannot read file: permission denied", hint="make it readable (chmod a+r)")]
    limit = MAX_DATA_BYTES if suffix in DATA_SUFFIXES | {".svg", ".html", ".htm"} else MAX_FILE_BYTES
    if size > limit:
        return [Problem(shown, None, f"file is {size:,} bytes; {_kind(suffix)} files are limited to {limit:,}",
                        hint="a learner's browser downloads it whole: make it smaller or leave it out")]
    if suffix in REFUSED_SUFFIXES:
        return [Problem(shown, None, f"{suffix} files are not published: a browser would open it as a document",
                        hint="convert it to a Markdown page, an SVG or an image")]
    if suffix not in (".svg", ".html", ".htm"):
        return []
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except (OSError, UnicodeDecodeError) as e:
        return [Problem(shown, None, f"cannot read file as UTF-8 text: {getattr(e, 'strerror', None) or e}")]
    findings = svg_findings(text) if suffix == ".svg" else html_findings(text)
    what = "SVG" if suffix == ".svg" else "HTML file"
    return [Problem(shown, line, f"{what} {message}", hint="diagrams and pages must be plain drawings and "
                    "text: remove scripts, event handlers, script links and embedded documents")
            for line, message in findings[:MAX_FINDINGS]]


def walk(root: Path, folder: Path) -> tuple[list[Path], list[Problem]]:
    """Every file under `folder` the build publishes (hidden names are skipped, as MkDocs does),
    following folder links that stay in the project once; the problems of links that do not."""
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[str] = set()

    def visit(current: Path) -> None:
        real = os.path.realpath(current)
        if real in seen:
            return
        seen.add(real)
        try:
            entries = sorted(os.scandir(current), key=lambda e: e.name)
        except OSError as e:
            problems.append(Problem(_shown(root, current), None, f"cannot read folder: {e.strerror or e}"))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            if entry.is_symlink():
                link = _link_problems(root, path)
                if link:
                    problems.extend(Problem(_shown(root, path), None, m, hint=h) for m, h in link)
                    continue
            if path.is_dir():
                visit(path)
            else:
                files.append(path)

    if folder.is_dir():
        visit(folder)
    return files, problems


# -- symbolic links ---------------------------------------------------------------------------

def _link_problems(root: Path, path: Path) -> list[tuple[str, str | None]]:
    """A link (of the file or a folder above it) must land on something real, inside the
    project, outside hidden folders such as `.git`, and not on a folder that contains it."""
    try:
        os.stat(path)
    except OSError as e:
        if e.errno == errno.ELOOP:
            return [("symbolic links loop back on themselves", "remove the link")]
        if os.path.islink(path):
            return [("symbolic link points to nothing", "remove the link or restore its target")]
        return [(f"cannot read file: {e.strerror or e}", None)]
    real = Path(os.path.realpath(path))
    base = Path(os.path.realpath(root))
    try:
        inside = real.relative_to(base)
    except ValueError:
        return [("symbolic link points outside the project", "copy the file into the project instead")]
    if any(part.startswith(".") for part in inside.parts):
        return [(f"symbolic link points into the hidden folder {inside.parts[0]}",
                 "hidden files (.git, .env) are never published; copy what you need instead")]
    if real.is_dir() and os.path.islink(path):
        here = Path(os.path.realpath(path.parent))
        if here == real or real in here.parents:
            return [("symbolic link to a folder that contains it: the site would never end",
                     "remove the link")]
    return []


def _shown(root: Path, path: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _kind(suffix: str) -> str:
    return "data" if suffix in DATA_SUFFIXES else suffix.lstrip(".").upper() if suffix else "static"


# -- SVG -----------------------------------------------------------------------------------------

class _SvgRules:
    """The parser's target: checks each element as it is read, with the line it starts on."""

    def __init__(self) -> None:
        self.parser: DefusedXMLParser | None = None
        self.found: list[tuple[int, str]] = []
        self.in_style = 0

    def line(self) -> int:
        return self.parser.parser.CurrentLineNumber if self.parser else 0

    def start(self, tag: str, attrib: dict[str, str]) -> None:
        ns, local = _split(tag)
        if ns in INERT_NS:
            return
        if ns != SVG_NS or local not in SVG_ELEMENTS:
            self.found.append((self.line(), f"contains a <{_name(ns, local)}> element, which is not a plain drawing"))
            return
        if local == "style":
            self.in_style += 1
        for name, value in attrib.items():
            self.attribute(local, *_split(name), value)

    def attribute(self, element: str, ns: str, name: str, value: str) -> None:
        plain = _INVISIBLE.sub("", value)
        if name.lower().startswith("on"):
            self.found.append((self.line(), f"has an {name}= event handler"))
        elif _SCRIPT_URL.search(plain) or name in URL_LIKE and _DOCUMENT_URL.search(plain):
            self.found.append((self.line(), f"has a script or document URL in {_name(ns, name)}="))
        elif element in ANIMATIONS and name == "attributeName" and _ANIMATED_URL.match(value.strip()):
            self.found.append((self.line(), f"<{element}> changes {value.strip()}=, which can turn it into a script link"))
        elif ns in INERT_NS or (ns == XML_NS and name in ("space", "lang")):
            return
        elif name == "href" and ns in ("", XLINK_NS):
            if element not in ("a", "use", "image", "feImage", "textPath", "mpath", "pattern", "linearGradient",
                               "radialGradient", "filter") or element != "a" and re.match(r"^[a-z][a-z0-9+.-]*:(?!image/)", plain, re.I):
                self.found.append((self.line(), f"<{element}> links to {value!r}; drawings link only to their own parts and images"))
        elif ns or name not in SVG_ATTRIBUTES and not name.startswith(("aria-", "data-")):
            self.found.append((self.line(), f"has a {_name(ns, name)}= attribute, which is not a drawing attribute"))

    def end(self, tag: str) -> None:
        if _split(tag) == (SVG_NS, "style") and self.in_style:
            self.in_style -= 1

    def data(self, text: str) -> None:
        if self.in_style and (_SCRIPT_URL.search(_INVISIBLE.sub("", text)) or "@import" in text.lower()):
            self.found.append((self.line(), "has a style sheet that imports or links to a script"))

    def pi(self, target: str, data: str) -> None:
        self.found.append((self.line(), f"contains a <?{target}?> processing instruction (a style sheet could run scripts)"))

    def close(self) -> None:
        return None


def svg_findings(text: str) -> list[tuple[int, str]]:
    """(line, what) for everything in an SVG that is not a plain drawing."""
    rules = _SvgRules()
    parser = DefusedXMLParser(target=rules, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    rules.parser = parser
    try:
        parser.feed(text)
        parser.close()
    except DefusedXmlException as e:
        return [(rules.line(), f"declares a DTD or entities ({type(e).__name__}), which could hide a script")]
    except ParseError as e:
        return [(e.position[0], f"is not well-formed XML: {e.msg if hasattr(e, 'msg') else e}")]
    return rules.found


def _split(name: str) -> tuple[str, str]:
    if name.startswith("{"):
        ns, _, local = name[1:].partition("}")
        return ns, local
    return "", name


def _name(ns: str, local: str) -> str:
    prefix = {SVG_NS: "", XLINK_NS: "xlink:", XML_NS: "xml:", "": ""}.get(ns)
    return f"{prefix}{local}" if prefix is not None else f"{{{ns}}}{local}"


# -- HTML ----------------------------------------------------------------------------------------

class _HtmlRules(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str]] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        if tag not in HTML_ELEMENTS:
            self.found.append((line, f"contains a <{tag}> element, which is not plain text"))
            return
        self.in_style = tag == "style"
        for name, value in attrs:
            plain = _INVISIBLE.sub("", value or "")
            if name.startswith("on"):
                self.found.append((line, f"has an {name}= event handler"))
            elif _SCRIPT_URL.search(plain) or name in URL_LIKE and _DOCUMENT_URL.search(plain):
                self.found.append((line, f"has a script or document URL in {name}="))
            elif tag in {a.lower() for a in ANIMATIONS} and name == "attributename" and _ANIMATED_URL.match(plain):
                self.found.append((line, f"<{tag}> changes {plain}=, which can turn it into a script link"))
            elif name not in HTML_ATTRIBUTES and not name.startswith(("aria-", "data-", "xmlns")) and name != "xlink:href":
                self.found.append((line, f"has a {name}= attribute, which is not allowed"))

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style and (_SCRIPT_URL.search(_INVISIBLE.sub("", data)) or "@import" in data.lower()):
            self.found.append((self.getpos()[0], "has a style sheet that imports or links to a script"))

    def handle_pi(self, data: str) -> None:
        self.found.append((self.getpos()[0], "contains a processing instruction"))


def html_findings(text: str) -> list[tuple[int, str]]:
    """(line, what) for everything in an HTML file that is not plain text and drawings."""
    rules = _HtmlRules()
    rules.feed(text)
    rules.close()
    return rules.found
