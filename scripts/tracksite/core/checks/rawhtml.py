"""The raw HTML a page's Markdown carries, read as a browser reads it (issue 51).

Markdown passes raw HTML through to the page, where the browser parses it with the WHATWG
algorithm; a regular expression reads it otherwise (a `>` inside a quoted value ends its tag,
`<!-->` does not end its comment), so a handler could pass the check and run. The page's text,
code blanked out (`references.mask_code`), is parsed here by the same algorithm
(core/htmlread.py) as the content of the page's `<div>`; only a text with something a browser
could read as markup (`<` before a letter, `!` or `?`) is parsed, from the line it first appears.

Findings are (line, column, message, hint, code), with the codes of content.py: TS501 (an
element that runs or embeds something), TS502 (an event handler), TS503 (a script URL), TS504
(a file from another host), TS520 (the search's own marks).
"""

from __future__ import annotations

import re

from tracksite.core import htmlread
from tracksite.core.markdown import references as refs
from tracksite.core.site.addresses import REMOTE_HINT, remote_in_css, remote_message, unlisted

Finding = tuple[int, int | None, str, str, str]

ACTIVE = {"script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "meta", "foreignobject"}
_ANIMATIONS = {"animate", "set", "animatetransform", "animatemotion"}
_ANIMATED = re.compile(r"^(?:xlink:)?href$|^on", re.I)  # an animation that turns a link into a script
#: The search's marks that only tracksite's templates may write (TS520 here; search/page.py renames
#: them out of a page's own content when a build skipped the check): spelled once, read by both.
TEMPLATE_MARKS = ("data-search-body", "data-search-meta", "data-search-filter", "data-search-weight")
_SEARCH_MARK = re.compile("^(?:" + "|".join(TEMPLATE_MARKS) + ")$")
# Attributes whose URL a browser opens or sends to: a script URL in any of them runs.
URL_ATTRIBUTES = {
    "href",
    "xlink:href",
    "src",
    "action",
    "formaction",
    "poster",
    "data",
    "srcset",
    "background",
    "cite",
    "ping",
}
# Attributes whose address the browser fetches (or sends the reader's data to) by itself.
LOADS = {"src", "srcset", "poster", "background", "data", "ping", "action", "formaction"}
_LOADS_HREF = {"link", "image", "use", "feimage"}
_ACTIVE_HINT = "write Markdown; interactive parts come from the widget blocks"
_COMPLEX_HINT = "write it as Markdown, or split the page"


#: The tags that open a raw HTML block in Python-Markdown (`Markdown.block_level_elements`): a
#: line starting with one starts a block the engine passes through as it is, backticks and all.
BLOCK_LEVEL = frozenset(
    "address article aside blockquote body canvas center colgroup dd details div dl dt fieldset "
    "figcaption figure footer form group h1 h2 h3 h4 h5 h6 header hgroup hr html iframe legend li "
    "main map math menu nav noscript object ol option output p pre progress script section style "
    "summary table tbody td textarea tfoot th thead tr ul video".split()
)
_BLOCK_START = re.compile(r" {0,3}<([A-Za-z][A-Za-z0-9]*)(?=[\s/>]|$)")


def published(masked: str, body: str) -> str:
    """`masked` (the body with its code blanked) with the lines of raw HTML blocks as written:
    inside a block that starts with a block-level tag the engine passes the text through, so a
    pair of backticks there is no code span but two characters of an attribute, and
    ``<div title="`"><meta http-equiv="refresh" ...><i x="`"></i></div>`` published a live
    `<meta>` that the masked text hid (issue 74). A block runs until its tag is closed as often as
    opened and a blank line follows. A block marked `markdown` (md_in_html) is Markdown: kept
    masked. Fenced code stays blank."""
    if "`" not in body:
        return masked
    lines, source = masked.split("\n"), body.split("\n")
    fenced = refs.code_flags(body, len(source))
    at = 0
    while at < len(lines):
        start = _BLOCK_START.match(lines[at])
        tag = start.group(1).lower() if start else ""
        if tag not in BLOCK_LEVEL or fenced[at] or re.search(r"\smarkdown\s*=", source[at], re.I):
            at += 1
            continue
        opens, closes = re.compile(rf"<{tag}(?=[\s/>]|$)", re.I), re.compile(rf"</{tag}\s*>", re.I)
        depth, end = 0, at
        while end < len(lines) and not fenced[end]:
            depth += len(opens.findall(source[end])) - len(closes.findall(source[end]))
            lines[end] = source[end]
            end += 1
            if depth <= 0 and (end == len(lines) or not source[end].strip()):
                break
        at = max(end, at + 1)
    return "\n".join(lines)


def findings(masked: str, first_line: int, allowed: frozenset[str] = frozenset()) -> list[Finding]:
    """Every element, handler, script URL, remote load and search mark of the raw HTML in
    `masked` (a page body with its code blanked out, starting on file line `first_line`)."""
    start = htmlread.first_markup(masked)
    if start is None:
        return []
    line_start = masked.rfind("\n", 0, start) + 1
    reading = htmlread.read(
        masked[line_start:], fragment=True, first_line=first_line + masked.count("\n", 0, line_start)
    )
    found: list[Finding] = []
    for tag in reading.tags:
        found += _tag(tag, allowed)
    if reading.refused:
        line, what = reading.refused
        found.append((line, None, f"raw HTML too complex to check or build: {what}", _COMPLEX_HINT, "TS512"))
    for style in reading.styles:
        for line, url in remote_in_css(style.text, style.line, allowed=allowed):
            found.append((line, None, f"style {remote_message(url)}", REMOTE_HINT, "TS504"))
    return found


def _tag(tag: htmlread.Tag, allowed: frozenset[str]) -> list[Finding]:
    name = tag.name.lower()
    if name in ACTIVE:
        return [(tag.line, tag.column, f"HTML <{name}> is not allowed in course pages", _ACTIVE_HINT, "TS501")]
    found: list[Finding] = []
    for attribute, value in tag.attributes.items():
        lowered = attribute.lower()
        line, column = tag.where(attribute)
        if lowered.startswith("on"):
            message = f"event handler attribute {lowered}= is not allowed in course pages"
            found.append((line, column, message, "interactive parts come from the widget blocks", "TS502"))
        elif _SEARCH_MARK.match(lowered):
            found.append((line, column, *_search_mark(lowered)))
        elif name in _ANIMATIONS and lowered == "attributename" and _ANIMATED.match(value.strip()):
            message = f"HTML <{name}> that changes {value.strip()}= (it can turn a link into a script) is not allowed in course pages"
            found.append((line, column, message, _ACTIVE_HINT, "TS501"))
        elif lowered in URL_ATTRIBUTES and (scheme := refs.unsafe_scheme(value)):
            message = f"link to {scheme}: URL {value[:60]!r} is not allowed"
            found.append(
                (line, column, message, "course pages link only to pages, files and http(s) addresses", "TS503")
            )
        elif (lowered in LOADS or lowered in ("href", "xlink:href") and name in _LOADS_HREF) and (
            url := unlisted(value, allowed)
        ):
            found.append((line, column, f"HTML <{name}> {remote_message(url)}", REMOTE_HINT, "TS504"))
        elif lowered == "style":
            for at, url in remote_in_css(value, line, allowed=allowed):
                found.append((at, column if at == line else None, f"style {remote_message(url)}", REMOTE_HINT, "TS504"))
    return found


def _search_mark(name: str) -> tuple[str, str, str]:
    return (
        f"{name}= is a mark of tracksite's own templates: in a page it would change the search's title, "
        "filters or weights of the page",
        "remove it; to keep text out of the search, mark it data-search-ignore",
        "TS520",
    )


def published_refresh(page_html: str) -> str | None:
    """The `http-equiv` of a `<meta http-equiv>` in a page's rendered content, as a browser reads
    it, or None. The check reads the Markdown as the engine publishes it; this reads what it
    published, so that no such tag reaches a page even where the two readings ever part (the
    build refuses the page). Only a page whose HTML holds the word is parsed (almost none)."""
    if "http-equiv" not in page_html.lower():
        return None
    for tag in htmlread.read(page_html, fragment=True).tags:
        if tag.name == "meta" and "http-equiv" in (k.lower() for k in tag.attributes):
            return next(v for k, v in tag.attributes.items() if k.lower() == "http-equiv")
    return None
