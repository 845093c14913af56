"""Shared pieces of the widget blocks: the page context, element helpers, error elements, code
highlighted as the page's fenced blocks are (a predict block's program, a runnable block's)."""

from __future__ import annotations

import functools
import html
import inspect
import json
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from markdown import Markdown
from markdown.util import AtomicString
from pymdownx.blocks.block import Block

from tracksite.core import widgetregistry as W
from tracksite.core.markdown.mathml import render_math
from tracksite.core.memo import memo
from tracksite.core.messages import Catalogue, catalogue
from tracksite.core.widgets import islands
from tracksite.core.widgets.body import Issue, clean_text
from tracksite.core.widgets.inline import render_into


@dataclass
class WidgetContext:
    """What the widgets need to know about the page being rendered: the page's state, made where
    the page's context is made (adapter/pages/pagecontext.py `widget_context`) and handed to the
    blocks (`WidgetBlock.context`)."""

    page_id: str  # "deep-learning-survey/attention-and-transformers"
    source_dir: Path  # folder of the page's Markdown source (data files)
    data_url: Callable[[str], str] = field(default=lambda name: name)  # file -> URL from page
    instructor: bool = False
    islands: bool = False  # an export's build: each exported widget gives its data (`island`)
    lang: str = "en"  # the page's language (its track's, else the course's)
    #: the page's words: its language's interface strings ("Show solution", "Exercise 1"), which
    #: every block takes from here, never from a module (two pages in two languages may render
    #: interleaved, or in two threads)
    words: Catalogue = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.words = catalogue(self.lang)


def default_context() -> WidgetContext:
    """The state of a page converted outside a build (a test, `markdown.Markdown` on its own):
    English, the working folder."""
    return WidgetContext(page_id="page", source_dir=Path.cwd(), data_url=lambda name: name)


def context_of(getter: object) -> WidgetContext:
    """The page's state from the extension's `context` setting (a function the plugin gives,
    returning the page being converted), the default state where there is none."""
    found = getter() if callable(getter) else None
    return found if isinstance(found, WidgetContext) else default_context()


def el(parent: etree.Element, tag: str, text: str | None = None, cls: str | None = None, **attrs: str) -> etree.Element:
    """A child element whose text is plain (escaped on output, never parsed as Markdown)."""
    # (most calls give no attribute but the class: a quiz asks for a hundred elements a page)
    attrib = {_attr_name(k): str(v) for k, v in attrs.items() if v is not None} if attrs else {}
    if cls:
        attrib["class"] = cls
    child = etree.SubElement(parent, tag, attrib)
    if text is not None:
        child.text = AtomicString(clean_text(text))
    return child


@functools.cache
def _attr_name(keyword: str) -> str:
    """`for_` -> "for", `data_option` -> "data-option": the HTML name of an `el` keyword."""
    return keyword.rstrip("_").replace("_", "-")


def el_math(parent: etree.Element, tag: str, text: str, cls: str | None = None, **attrs: str) -> etree.Element:
    """Like `el`, but the text is inline Markdown (`code`, emphasis, links) with math: `$...$`
    and bare symbols such as `d_k` become arithmatex spans, which the build turns into MathML
    (mathml.py). Raw HTML is shown as text (inline.py)."""
    child = el(parent, tag, None, cls, **attrs)
    render_into(child, text)
    return child


def tail(node: etree.Element, text: str) -> None:
    node.tail = AtomicString(text)


_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
#: A line that starts with neither a space nor its end (take_raw).
_AT_MARGIN = re.compile(r"(?m)^[^ \n]")


def inline_title(text: str) -> str:
    """A block title for Markdown's inline parser: emphasis and `code` work, raw HTML is shown as
    text (the `<` outside code spans is escaped)."""
    text = clean_text(text)
    out, pos = [], 0
    for m in _CODE_SPAN.finditer(text):
        out.append(text[pos : m.start()].replace("<", "&lt;"))
        out.append(m.group(0))
        pos = m.end()
    out.append(text[pos:].replace("<", "&lt;"))
    return "".join(out)


class WidgetBlock(Block):
    """Base: access to the page context and the per-page counter of this block type."""

    def context(self) -> WidgetContext:
        """The page's state: the plugin's for the page being converted; the default outside a build."""
        return context_of(self.config.get("context") if isinstance(self.config, dict) else None)

    def words(self) -> Catalogue:
        """The interface strings of the page's language (its state's, handed down)."""
        return self.context().words

    def instructor(self) -> bool:
        return bool(self.config.get("instructor")) or self.context().instructor

    def next_number(self) -> int:
        self.tracker["count"] = self.tracker.get("count", 0) + 1
        return self.tracker["count"]

    def take_raw(self, block: etree.Element) -> str:
        """The body's text, taken out of the block. pymdownx has dedented a raw body already
        (`Block._end`); dedenting again changes it only when every line is still indented, so
        a body with a line at the margin (nearly all) skips the second, line-by-line pass."""
        text = str(block.text or "")
        block.text = None
        for child in list(block):  # raw mode keeps everything in .text; be safe anyway
            block.remove(child)
        return text if _AT_MARGIN.search(text) else self.dedent(text)


class DataBlock(WidgetBlock):
    """A block whose body is data (YAML), not Markdown: parse it with the core's parser, then
    draw the widget, or an inline error note when the core would reject the body."""

    ARGUMENT = None
    TAG = "div"
    ROOT_ID = ""  # its root's id when the author gives none: `<ROOT_ID>-<number on the page>`
    TITLE: str | None = None  # the message key of its title line's label ("wQuiz"); None: no title line

    def title(self, parsed) -> str | None:
        """The message key of the title line's label, which a widget may choose by its body."""
        return self.TITLE

    def on_markdown(self) -> str:
        return "raw"

    def on_create(self, parent: etree.Element) -> etree.Element:
        return etree.SubElement(parent, self.TAG)

    def parse(self, raw: str):  # -> (parsed or None, issues)
        raise NotImplementedError

    def render(self, block: etree.Element, parsed, number: int) -> None:
        """Draw the widget into its root, which `on_end` has made (its id is `block.get("id")`)
        and given its title line."""
        raise NotImplementedError

    def island(self, block: etree.Element, parsed) -> islands.Island | None:
        """What an export takes of the rendered widget (its entry's `export` says which kind),
        or None: the widget's own data, its texts as the page shows them (`shown_html`)."""
        return None

    def on_end(self, block: etree.Element) -> None:
        number = self.next_number()
        parsed, issues = self.parse(self.take_raw(block))
        if not parsed or any(i.severity == "error" for i in issues):
            render_error(block, self.NAME, issues)
            return
        # every widget's root and title line, written here once; `render` draws the rest
        css = self.WIDGET.css_class
        assert css is not None  # every block widget declares its root's class
        widget_root(block, css, self.NAME, f"{self.ROOT_ID}-{number}")
        label = self.title(parsed)
        if label is not None:
            title_line(block, self.words().text(label), self.argument)
        self.render(block, parsed, number)
        if self.WIDGET.export and self.context().islands:
            data = self.island(block, parsed)
            if data is not None:
                add_island(block, self.NAME, data)


def add_island(block: etree.Element, name: str, data: islands.Island) -> None:
    """The widget's data for an export, as a JSON island (`<script type="application/json">`, which
    a browser neither runs nor shows) at the end of its root. Only an export's build writes one
    (`islands` in the page's context): the published site stays as it was, and the exports read
    the data the block parsed rather than scraping it back out of the markup. `<`, `>` and `&`
    are written as JSON escapes, so no text can close the element or be read as markup."""
    text = json.dumps(islands.written(data), ensure_ascii=False, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    island = etree.SubElement(block, "script", {"type": "application/json", W.ISLAND: name})
    island.text = AtomicString(text)


def shown_html(md, text: str) -> str:
    """A widget text (inline Markdown with math) as the page shows it: the HTML `el_math` writes,
    with its formulas in MathML as the build writes them (core/markdown/mathml.py)."""
    holder = etree.Element("div")
    render_into(holder, text)
    return render_math(md.serializer(holder).removeprefix("<div>").removesuffix("</div>")).strip()


def shown_text(md, text: str) -> str:
    """A widget text as the page's `textContent` has it, white space folded (what widgets.js keys
    a flashcard by)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", "", shown_html(md, text)))).strip()


def widget_root(block: etree.Element, cls: str, widget: str, default_id: str) -> str:
    """Make `block` a widget root, keeping classes and an id given with the `attrs` option."""
    extra = block.get("class")
    block.set("class", f"{cls} {extra}" if extra else cls)
    block.set("data-widget", widget)
    block_id = block.get("id") or default_id
    block.set("id", block_id)
    return block_id


def title_line(parent: etree.Element, label: str, title: str | None) -> etree.Element:
    """ "Quiz: Quick check". The space goes in the tail: el() strips the label's own whitespace."""
    p = el(parent, "p", None, "ts-widget__title")
    strong = el(p, "strong", label + (":" if title else ""))
    if title:
        tail(strong, " " + clean_text(title))
    return p


def render_error(block: etree.Element, name: str, issues: Iterable[Issue]) -> None:
    """Turn a widget root into a visible, non-interactive error note (never a traceback)."""
    block.attrib.clear()
    block.text = None
    for child in list(block):
        block.remove(child)
    block.tag = "div"
    block.set("class", "ts-widget-error")
    block.set("role", "note")
    block.set("data-widget-error", name)
    el(
        block,
        "p",
        f"This {name} block could not be shown. Run `tracksite check` for the file and line of each problem:",
        "ts-widget-error__title",
    )
    ul = el(block, "ul")
    issues = [i for i in issues if i.severity == "error"] or list(issues)
    for issue in issues[:8]:
        where = f"{issue.field}: " if issue.field else ""
        text = where + issue.message + (f" ({issue.hint})" if issue.hint else "")
        el(ul, "li", text)


def highlight(md: Markdown, code: str, language: str) -> str | None:
    """The code as a fenced block of this page would be drawn: with the first extension that
    offers pymdownx.highlight's settings, as pymdownx.superfences picks it (the site's
    `pymdownx.highlight` options, or the defaults superfences registers), or None when no such
    extension is loaded."""
    ext = next((e for e in md.registeredExtensions if hasattr(e, "get_pymdownx_highlight_settings")), None)
    if ext is None:
        return None
    config = ext.get_pymdownx_highlight_settings()  # found by duck typing above
    highlighter = ext.get_pymdownx_highlighter()  # type: ignore[attr-defined]
    accepted = inspect.signature(highlighter).parameters
    options = {k: v for k, v in config.items() if k in accepted}
    css_class = config.get("css_class", "highlight")

    def draw() -> str:
        return highlighter(md, **options).highlight(code, language, css_class=css_class)

    if config.get("auto_title"):  # a title may go into the page's own stash: drawn for this page
        return draw()
    # remembered by the code's text, language and settings (core/memo.py): under `mkdocs serve` a
    # save renders the saved page again, whose code has mostly not changed, and drawing it was a
    # tenth of a bundled course's save
    return memo(("drawn-code", code, language, highlighter, repr(sorted(options.items())), css_class), draw)
