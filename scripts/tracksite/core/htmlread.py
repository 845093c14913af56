"""HTML read as browsers read it: the WHATWG parsing algorithm, today's and html5lib's, with where each tag starts.

Python's `html.parser` and regular expressions disagree with browsers exactly where it matters
(issue 51): `<!-->`, `<!--->` and `--!>` end a comment in a browser, `<![CDATA[` is a comment
outside SVG, and markup inside SVG's `<style>` is markup. A check that reads HTML differently
from Chromium passes what Chromium runs, so every check of HTML a learner's browser opens
(HTML files published beside pages, the raw HTML of lesson Markdown) reads it here.

`read(text)` returns every start tag the tokenizer emitted while the tree builder drove it (so
raw text, foreign content and CDATA are cut where a browser cuts them), with attributes as the
DOM holds them (entities decoded, the first of a repeated name, SVG's `attributeName` and
`xlink:href` spelled as in the DOM), and the text of every `<style>`. Tags the tree builder then
ignores (a second `<body>`, a `<frameset>` late in a page) are kept: their attributes may still
land on an element, and a rule is stricter for seeing them. Scripting is on, as in a browser,
where `<noscript>` holds text; a text that holds a `<noscript>` is read again with scripting off
(as a visitor without JavaScript, or a `DOMParser`, reads it: its content is markup), and what
that reading adds is judged too (issue 81).

html5lib 1.1 (2020) predates two changes of the specification that browsers ship (issue 74):
`</p>` and `</br>` in SVG or MathML now leave the foreign element, and `<select>` now holds
most elements ("customizable select"), so `<svg></p><style><a id="</style><meta ...>">` or
`<select><style>...` hide a live `<meta http-equiv>` or handler inside a value that html5lib
reads as text. So the text is read a second time by justhtml, which follows today's
specification (html5lib-tests of 2025 and later), and every element of that tree html5lib did
not see is added, at the line and column justhtml gives: a tag either reading sees is judged.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import html5lib
from html5lib import _tokenizer
from html5lib.constants import namespaces, tokenTypes
from html5lib.treebuilders import getTreeBuilder

from tracksite.errors import UserError

_NAMES = {namespaces["html"]: "html", namespaces["svg"]: "svg", namespaces["mathml"]: "math"}
_PREFIXES = {namespaces["xlink"]: "xlink", namespaces["xml"]: "xml", namespaces["xmlns"]: "xmlns"}
_START = tokenTypes["StartTag"]
_ETREE = getTreeBuilder("etree")
_SKIPPED = {tokenTypes["SpaceCharacters"], tokenTypes["Comment"], tokenTypes["ParseError"]}


@dataclass
class Tag:
    """One start tag as the browser reads it: `namespace` is "html", "svg" or "math" (the
    element's, once the tree builder placed it), `name` in lower case."""

    name: str
    attributes: dict[str, str]
    line: int
    column: int  # 1-based, of the `<`
    token: dict = field(repr=False, default_factory=dict)
    places: dict[str, tuple[int, int]] = field(repr=False, default_factory=dict)

    def where(self, attribute: str) -> tuple[int, int]:
        """(line, 1-based column) where `attribute` is written: a tag may span lines."""
        return self.places.get(attribute.lower(), (self.line, self.column))

    @property
    def namespace(self) -> str:
        return _NAMES.get(self.token.get("namespace") or namespaces["html"], "other")


@dataclass
class Style:
    """The text of one `<style>` (HTML or SVG) and the line its text starts on."""

    line: int
    text: str


@dataclass
class Reading:
    tags: list[Tag]
    styles: list[Style]
    #: (line, what) where the reading stopped because the markup would take the parser minutes:
    #: html5lib checks each attribute's name against every earlier one of its tag, and each new
    #: element against the open ones (a lesson holding `<a onx=1 ...>` with 300,000 attributes
    #: took 6 minutes, 20,000 nested `<div>`s 15 s). What came before is in `tags`.
    refused: tuple[int, str] | None = None


#: Bounds on what one reading takes on: far above any real page, far below minutes of work.
MAX_ATTRIBUTES = 1_000  # on one tag
MAX_DEPTH = 400  # elements open at once
MAX_TAGS = 100_000  # start tags in one text


class _TooComplex(UserError):
    """A bound reached: `read` catches it and returns what was read with `refused` (a UserError,
    as the package's exceptions are, though it never leaves this module)."""

    def __init__(self, line: int, what: str) -> None:
        super().__init__(what)
        self.line, self.what = line, what


class _Tokenizer(_tokenizer.HTMLTokenizer):
    """html5lib's tokenizer, noting where each tag starts and ends and keeping every start tag."""

    def __init__(self, stream, parser=None, **kwargs) -> None:
        super().__init__(stream, parser=parser, **kwargs)
        self.start = (1, 0)
        self.started: list[dict] = []

    def tagOpenState(self) -> bool:
        self.start = self.stream.position()  # just after the `<`
        return super().tagOpenState()

    def beforeAttributeNameState(self) -> bool:
        return self._noting(super().beforeAttributeNameState)

    def afterAttributeNameState(self) -> bool:
        return self._noting(super().afterAttributeNameState)

    def _noting(self, state) -> bool:
        """Run a state that may start an attribute, noting where that attribute's name starts."""
        token = self.currentToken
        before, place = len(token["data"]), self.stream.position()
        result = state()
        if len(token["data"]) > before:
            token.setdefault("places", {})[before] = (place[0], place[1] + 1)
            if len(token["data"]) > MAX_ATTRIBUTES:
                token["start"], token["end"] = self.start, self.stream.position()
                del token["data"][-1]  # the one just begun: its name is not read yet
                _finish(token)
                self.started.append(token)
                raise _TooComplex(self.start[0], f"a tag with more than {MAX_ATTRIBUTES:,} attributes")
        return result

    def emitCurrentToken(self) -> None:
        token = self.currentToken
        token["start"], token["end"] = self.start, self.stream.position()
        if token["type"] == _START:
            _places(token)
        super().emitCurrentToken()
        if token["type"] == _START:
            self.started.append(token)
            if len(self.started) > MAX_TAGS:
                raise _TooComplex(self.start[0], f"more than {MAX_TAGS:,} tags")


def _places(token: dict) -> None:
    """Where each attribute of a start tag starts, by its name (the first of a repeated name)."""
    places = token.pop("places", {})
    token["places"] = {}
    for index, (name, _value) in enumerate(token["data"]):
        token["places"].setdefault(name.lower(), places.get(index, token["start"]))


def _finish(token: dict) -> None:
    """A start tag cut short by a bound, made what an emitted one is: names in lower case,
    attributes a mapping where the first of a repeated name wins."""
    _places(token)
    token["name"] = token["name"].lower()
    token["data"] = {name.lower(): value for name, value in reversed(token["data"])}


class _Builder(_ETREE):  # type: ignore[misc, valid-type]
    """The etree builder, remembering which token made each element (for `<style>` lines)."""

    def __init__(self, namespaceHTMLElements: bool) -> None:
        super().__init__(namespaceHTMLElements)
        self.made: dict[object, dict] = {}

    def createElement(self, token):
        element = super().createElement(token)
        self.made[element._element] = token
        return element

    def insertElementNormal(self, token):
        element = super().insertElementNormal(token)
        self.made[element._element] = token
        if len(self.openElements) > MAX_DEPTH:
            line = token.get("start", (1, 0))[0]
            raise _TooComplex(line, f"elements nested more than {MAX_DEPTH} deep")
        return element


class _Parser(html5lib.HTMLParser):
    def _parse(self, stream, innerHTML=False, container="div", scripting=False, **kwargs):
        """html5lib's own `_parse`, with the tokenizer that notes positions (a text stream is never
        re-parsed for its encoding)."""
        self.innerHTMLMode = innerHTML
        self.container = container
        self.scripting = scripting
        self.tokenizer = _Tokenizer(stream, parser=self, **kwargs)
        self.reset()
        self.mainLoop()


def read(text: str, *, fragment: bool = False, first_line: int = 1) -> Reading:
    """Every start tag and style sheet of `text`, a whole document or (`fragment`) the content of
    a `<div>` such as a page's body, with file lines counted from `first_line`: as a browser reads
    it with scripting on, and, where the text holds a `<noscript>`, with scripting off too (issue
    81: a visitor without JavaScript, or a `DOMParser`, reads its content as markup, so a
    `<noscript><meta http-equiv=refresh>` the first reading takes for text is judged)."""
    reading = _read(text, fragment, first_line, scripting=True)
    if reading.refused is None and _NOSCRIPT.search(text):
        reading = _merged(reading, _read(text, fragment, first_line, scripting=False))
    return reading


_NOSCRIPT = re.compile(r"<noscript", re.IGNORECASE)


def _merged(reading: Reading, other: Reading) -> Reading:
    """`reading` with every tag and style sheet of `other` (the same text read with scripting off)
    that it does not hold, in the order of the text."""
    seen = Counter(_key(tag.name, tag.attributes) for tag in reading.tags)
    sheets = Counter(style.text for style in reading.styles)
    tags, styles = list(reading.tags), list(reading.styles)
    for tag in other.tags:
        key = _key(tag.name, tag.attributes)
        if seen[key] > 0:
            seen[key] -= 1
        else:
            tags.append(tag)
    for style in other.styles:
        if sheets[style.text] > 0:
            sheets[style.text] -= 1
        else:
            styles.append(style)
    return Reading(sorted(tags, key=_place), styles, other.refused)


def _read(text: str, fragment: bool, first_line: int, *, scripting: bool) -> Reading:
    """One reading of `text` (html5lib's, then today's added), with scripting on or off."""
    parser = _Parser(tree=_Builder)
    refused = None
    try:
        root = parser.parseFragment(text, scripting=scripting) if fragment else parser.parse(text, scripting=scripting)
    except _TooComplex as stop:
        root, refused = None, (stop.line + first_line - 1, stop.what)
    shift = first_line - 1
    tags = [
        Tag(
            token["name"],
            {_attribute_name(k): v for k, v in token["data"].items()},
            token["start"][0] + shift,
            token["start"][1],
            token,
            {name: (line + shift, column) for name, (line, column) in token["places"].items()},
        )
        for token in parser.tokenizer.started
    ]
    if root is None:
        return Reading(tags, [], refused)
    made: dict[object, dict] = parser.tree.made
    styles = []
    for element in root.iter():
        if isinstance(element.tag, str) and element.tag.endswith("}style"):
            token = made.get(element, {})
            own = (element.text or "") + "".join(child.tail or "" for child in element)
            styles.append(Style(token.get("end", (1, 0))[0] + shift, own))
    return _with_todays_reading(text, fragment, shift, Reading(tags, styles), scripting)


def _key(name: str, attributes: dict[str, str]) -> tuple[str, frozenset[tuple[str, str]]]:
    return name.lower(), frozenset((k.lower(), v) for k, v in attributes.items())


_JUST_NAMESPACES = {"svg": namespaces["svg"], "math": namespaces["mathml"]}


def _with_todays_reading(text: str, fragment: bool, shift: int, reading: Reading, scripting: bool) -> Reading:
    """`reading` (html5lib's) with every element and style sheet of today's reading (justhtml's
    tree) that html5lib did not see, in the order of the text. Linear in the text (justhtml keeps
    no list it searches per tag), so it needs no bound of its own beyond MAX_TAGS. justhtml is
    imported here, on the first text with markup: its import is 0.36 billion instructions (near two
    lessons' build, docs/benchmarks.md "Issue 88, first pass"), which a course whose pages hold no
    raw HTML never needs."""
    import justhtml.parser.context

    document = justhtml.JustHTML(
        text,
        fragment=fragment,
        fragment_context=justhtml.parser.context.FragmentContext("div") if fragment else None,
        track_node_locations=True,
        sanitize=False,
        scripting_enabled=scripting,
    )
    seen = Counter(_key(tag.name, tag.attributes) for tag in reading.tags)
    sheets = Counter(style.text for style in reading.styles)
    tags, styles = list(reading.tags), list(reading.styles)
    pending: list = [document.root]
    while pending:
        node = pending.pop()
        content = getattr(node, "template_content", None)
        pending += reversed([*(node.children or []), *([content] if content is not None else [])])
        name = node.name
        if not name or name[0] in "#!":  # (text, comments, the doctype)
            continue
        attributes = {str(k): "" if v is None else str(v) for k, v in (node.attrs or {}).items()}
        if node.origin_line is None and not attributes:  # implied by the parser (`<html>`, `<tbody>`)
            continue
        line, column = node.origin_line or 1, node.origin_col or 1
        if name.lower() == "style":  # its own text, as html5lib's reading takes it
            own = "".join(child.data or "" for child in node.children or [] if child.name == "#text")
            if sheets[own] > 0:
                sheets[own] -= 1
            else:
                styles.append(Style(line + shift, own))
        key = _key(name, attributes)
        if seen[key] > 0:
            seen[key] -= 1
            continue
        token = {"namespace": _JUST_NAMESPACES.get(node.namespace or "")}
        places = _attribute_places(text, node.origin_offset, line + shift, column)
        tags.append(Tag(name.lower(), attributes, line + shift, column, token, places))
        if len(tags) > MAX_TAGS:
            return Reading(sorted(tags, key=_place), styles, (line + shift, f"more than {MAX_TAGS:,} tags"))
    return Reading(sorted(tags, key=_place), styles)


#: An attribute of a start tag as the tokenizer reads it: its name, then an optional value.
_ATTRIBUTE = re.compile(r"""[\s/]*([^\s/>][^\s/>=]*)(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]*))?""")


def _attribute_places(text: str, offset: int | None, line: int, column: int) -> dict[str, tuple[int, int]]:
    """(line, 1-based column) of each attribute of the start tag at `offset` of `text` (the `<`
    at file `line`, `column`), the first of a repeated name, by its lower-cased name."""
    places: dict[str, tuple[int, int]] = {}
    if offset is None or offset >= len(text) or text[offset] != "<":
        return places
    at = offset + 1
    while at < len(text) and not text[at].isspace() and text[at] not in "/>":
        at += 1  # (the tag's name)
    for _ in range(MAX_ATTRIBUTES):
        m = _ATTRIBUTE.match(text, at)
        if m is None or m.end() == at or not m.group(1):
            break
        start = m.start(1)
        breaks = text.count("\n", offset, start)
        where = column + start - offset if not breaks else start - text.rfind("\n", 0, start)
        places.setdefault(m.group(1).lower(), (line + breaks, where))
        at = m.end()
    return places


def _place(tag: Tag) -> tuple[int, int]:
    return tag.line, tag.column


def _attribute_name(key) -> str:
    """`xlink:href` for html5lib's (prefix, name, namespace) of a foreign attribute."""
    if isinstance(key, tuple):
        prefix, name, namespace = key
        prefix = prefix or _PREFIXES.get(namespace)
        return f"{prefix}:{name}" if prefix else name
    return key


def after_doctype(text: str) -> int:
    """Where an HTML file's content starts: after its doctype, when it opens (past spaces and
    comments, as html5lib's tokenizer reads them) with one; at the start otherwise (the policy
    adapter/published/statichtml.py puts first goes there). html5lib's tokenizer is private to
    it: this module is the one that reads it."""
    tokenizer = _tokenizer.HTMLTokenizer(text)
    for token in tokenizer:
        if token["type"] in _SKIPPED:
            continue
        if token["type"] != tokenTypes["Doctype"]:
            return 0
        line, column = tokenizer.stream.position()
        lines = text.split("\n")
        return sum(len(x) + 1 for x in lines[: line - 1]) + column
    return 0


_MARKUP = re.compile(r"<[A-Za-z!?]")


def first_markup(text: str) -> int | None:
    """Where `text` first holds something a browser could read as a tag or comment (`<` before
    a letter, `!` or `?`); None for text that needs no parse (most of a course's pages)."""
    m = _MARKUP.search(text)
    return m.start() if m else None
