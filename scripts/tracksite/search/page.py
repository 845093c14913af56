"""One rendered page as the course search sees it: its title, kind and place, its filters, and
its text cut into sections at the headings results can lead to, each word with its weight.

The templates decide what is read (`data-search-body`, `data-search-meta`, `data-search-filter`,
`data-search-weight`, `data-search-ignore`; `partials/search-meta.html`); this module only
reads the HTML our own templates and Markdown wrote, with one pass of a regular expression over
the marked element (a full HTML parser was several times slower on 3,000 pages). It also keeps
out what the widgets' HTML does not mark itself (`EXCLUDED_CLASSES`, `EXCLUDED_ATTRIBUTES`).
"""

from __future__ import annotations

import functools
import html as htmllib
import math
import re
from collections import Counter
from dataclasses import dataclass, field

from tracksite.core import widgetregistry as W
from tracksite.core.checks.rawhtml import TEMPLATE_MARKS
from tracksite.htmlscan import tag_attributes
from tracksite.search import words as searchwords

#: Parts of an indexed page that are not teaching text. Every widget (`data-widget`: quizzes,
#: flashcards, exercises, the worked example's stepper, the heatmap, progress) is practice or
#: interactive chrome: answers must never show in a result or its excerpt (quiz explanations,
#: solutions, flashcard backs), and practice must not outrank the prose section that teaches a
#: term. The classes of the widgets search leaves out, and every widget's answers, come from the
#: registry too (`widgetregistry.NOT_SEARCHED`), in case a widget is ever written without its
#: `data-widget`. Instructor notes are for instructors only. A glossary term's tooltip repeats
#: the glossary's definition inside every lesson that first uses the term: it would make each of
#: those lessons a hit for the definition's words. A course map (its legend and its text
#: alternative, which names every lesson of the track and of the tracks it links to) is
#: navigation: it made a track page a hit for words in the titles of other tracks' lessons. On a
#: track's own pages: the lessons a glossary term is taught and used in (navigation), a review
#: card's answer, and the review session's controls. The rest is page furniture.
EXCLUDED_CLASSES = frozenset(
    {
        *W.NOT_SEARCHED,
        "ts-widget-error",
        "headerlink",
        "ts-crosslinks",
        "ts-credits",
        "ts-facts",
        "md-button",
        "ts-lesson-header__where",
        "ts-track-pages",
        "ts-term__tip",
        "ts-map",
        "ts-glossary__where",
        "ts-card__more",
        "ts-review",
    }
)
EXCLUDED_ATTRIBUTES = ("data-widget", "data-search-ignore")
#: A heading's words count as much as this many words of prose (h1 to h6), as in most site
#: searches: a term in a heading is what the section is about.
HEADING_WEIGHTS = {"h1": 7.0, "h2": 6.0, "h3": 5.0, "h4": 4.0, "h5": 3.0, "h6": 2.0}
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_INLINE = frozenset(
    "a abbr b bdi bdo cite code data dfn em i kbd mark q s samp small span strong sub sup time u var".split()
)
#: The elements whose opening may change the walk's state whatever their attributes: a heading
#: (a glossary entry's <dt>) starts a section, a <pre> keeps its text out of the excerpt.
_STATEFUL = frozenset((*HEADING_WEIGHTS, "dt", "pre"))
#: The elements read as one piece when they hold only text (`_Reader.leaf`): a code block's
#: `<span class="n">x</span>`, a link, a list item, a cell. None of them changes the walk's state
#: by its name (`_STATEFUL`), nor is void or raw text.
_LEAVES = sorted(_INLINE | {"p", "li", "td", "th", "dd", "div", "label", "caption", "figcaption", "summary", "button"})
_TOKEN = re.compile(
    r"([^<]+)"  # text, first: most of a page's pieces
    r"|<!--.*?-->"
    r"|<(script|style|template|textarea|svg)\b[^>]*>.*?</\2\s*>"
    r"|<math\b[^>]*>(.*?)</math\s*>"
    # an element holding only text, whole: three pieces in one (its start tag as below)
    rf"|<({'|'.join(_LEAVES)})((?:\s[^>]*)?)>([^<]*+)</\4>"
    r"|<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s[^>]*)?)>"
    r"|(<)",
    re.S | re.I,
)
#: A word: letters and digits; "self-attention" and "d_model" are two words each, as typed.
_LANG = re.compile(r"""<html\b[^>]*?\slang\s*=\s*["']?([A-Za-z]{2,3}(?:[-_][A-Za-z0-9]+)*)""", re.I)
BODY = "data-search-body"
#: Written by the templates right after the element they mark `data-search-body`, so the
#: element's end is found without reading the tags inside it.
END_MARK = "<!-- /search-body -->"


@dataclass
class Section:
    """A part of a page a result can lead to: from a heading with an id to the next one."""

    anchor: str
    title: str
    text: list[str] = field(default_factory=list)


@dataclass
class SearchPage:
    """What the index keeps of one page: `words` maps each word to its weighted count."""

    url: str
    meta: dict[str, str]
    filters: dict[str, str]
    sections: list[Section]
    words: dict[str, float]
    length: int
    weight: float = 1.0  # the marked element's own `data-search-weight`: the page's against others
    lang: str = "en"  # the page's language (its `lang`): how its words are stemmed
    #: Each section's words with their weights (`words` is their sum): where a word weighs most is
    #: the section a result for it leads to.
    section_words: list[dict[str, float]] = field(default_factory=list)

    def section_texts(self) -> list[tuple[str, str, str]]:
        """Each section's anchor, title and excerpt text: with the page's URL and metadata, what a
        learner's browser downloads to show it as a result (a page's sections packed into files
        of about half a KB: a result fetches the one holding its section; stream.py `fragment_files`)."""
        return [(s.anchor, s.title, _squeeze("".join(s.text))) for s in self.sections]


def _squeeze(text: str) -> str:
    return " ".join(text.split())


def _excluded(attrs: dict[str, str], classes: list[str] | None = None) -> bool:
    for name in EXCLUDED_ATTRIBUTES:
        if name in attrs:
            return True
    if classes is None:
        classes = attrs.get("class", "").split()
    return not EXCLUDED_CLASSES.isdisjoint(classes)


#: A start tag's attributes, its classes, whether they leave its element out, and whether they
#: change nothing of what the walk keeps (`_PLAIN`), by the tag's text after its name: a page's
#: code blocks repeat a few (`class="n"`) hundreds of times, and reading them again was a fifth
#: of a page's reading. The last `_ATTRIBUTES_KEPT` tags' are remembered (a pure function's cache).
_ATTRIBUTES_KEPT = 4096
_NO_ATTRIBUTES: tuple[dict[str, str], list[str], bool, bool] = ({}, [], False, True)
#: The attributes that change the walk's state: an element with none of them (and not left out,
#: nor a glossary entry) only opens and closes (`_Reader.start`'s first case).
_MARKING = ("data-search-weight", "data-search-meta", "data-search-filter")


@functools.lru_cache(maxsize=_ATTRIBUTES_KEPT)
def _attributes(raw: str) -> tuple[dict[str, str], list[str], bool, bool]:
    attrs = tag_attributes(raw)
    classes = attrs.get("class", "").split()
    own = _excluded(attrs, classes)
    plain = not own and "ts-glossary__entry" not in classes and not any(name in attrs for name in _MARKING)
    return (attrs, classes, own, plain)


def body_span(html: str) -> tuple[int, int] | None:
    """Where the element marked `data-search-body` starts and (by the end mark after it, or
    else the page's end) stops; None for a page never indexed (drafts, the home page). The mark
    must be an attribute's name: the words in an attribute's value (a lesson's `summary:` in a
    meta tag of the head) are text, however they read."""
    i = html.find(BODY)
    while i >= 0:
        tag = html.rfind("<", 0, i)
        if tag >= 0 and html.find(">", tag, i) < 0 and html[i + len(BODY)] in " \t\n=/>":
            start = _START_TAG.match(html, tag)
            if start is not None and BODY in tag_attributes(start.group(2) or ""):
                end = html.rfind(END_MARK)
                return tag, end if end > i else len(html)
        i = html.find(BODY, i + 1)
    return None


_START_TAG = re.compile(r"<([a-zA-Z][a-zA-Z0-9-]*)(\s[^>]*)?>")
#: The marks only tracksite's templates may write (TEMPLATE_MARKS, the check's own list); in a page's
#: own content (its Markdown, raw HTML or attribute lists) they are renamed out of the search's way
#: (`unmarked`). `data-search-ignore` only hides text, so the content may keep it.
_MARK_NAME = re.compile(
    r"(?<=[\s\"'/])data-search-("
    + "|".join(m.removeprefix("data-search-") for m in TEMPLATE_MARKS)
    + r")(?=[\s=/>]|$)",
    re.I,
)


def unmarked(content: str) -> str:
    """A page's rendered Markdown with the search marks it carries made inert
    (`data-unmarked-meta`...): an author's `<span data-search-meta="title">` would retitle the
    page's result, a `data-search-filter` add a filter, a `data-search-body` move the indexed part.
    `tracksite check` reports them (TS520); this keeps a build whose check was skipped honest."""
    if "data-search-" not in content:
        return content
    return _START_TAG.sub(lambda m: _MARK_NAME.sub(r"data-unmarked-\1", m.group(0)), content)


def search_weight(value: str) -> float:
    """A `data-search-weight` as a factor: a finite number from 0 to 100, else 1 (the templates
    write 0.5 and 7; a value like `nan` or `inf` would poison every score it touches)."""
    try:
        factor = float(value)
    except ValueError:
        return 1.0
    return factor if math.isfinite(factor) and 0.0 <= factor <= 100.0 else 1.0


class _Reader:
    """The walk over one page's marked element: a stack of open elements, each with the weight,
    exclusion and capture in force outside it."""

    def __init__(self, url: str) -> None:
        self.page = SearchPage(url, {}, {}, [Section("", "")], {}, 0)
        self.stack: list[tuple[str, float, bool, str | None]] = []
        self.weight, self.excluded = 1.0, False
        self.capture: str | None = None  # "meta:title", "filter:track", a section's "head:<id>"
        self.captured: list[str] = []
        self.entry = ""  # the id of the glossary entry being read: its <dt> is its heading
        self.open: dict[str, int] = {}  # open elements by tag name, for stray end tags
        self.runs: dict[tuple[int, float], list[str]] = {}  # the counted text, by section and weight
        self.run_key, self.run = (0, 1.0), list[str]()  # the text since either last changed
        self.heading = 0  # the section a heading being read starts
        self.to_captured: list[str] | None = None  # where text goes now (`_sinks`)
        self.to_excerpt: list[str] | None = self.page.sections[0].text
        self.key: tuple[int, float] | None = (0, 1.0)

    def start(self, tag: str, raw: str) -> None:
        """An element opens (`raw`: its start tag's text after the name)."""
        if tag in _VOID:
            if not self.excluded:
                self.text(" ")
            return
        attrs, classes, own, plain = _attributes(raw) if raw else _NO_ATTRIBUTES
        if plain and tag not in _STATEFUL:  # most elements: nothing changes but the open ones
            self.stack.append((tag, self.weight, self.excluded, self.capture))
            self.open[tag] = self.open.get(tag, 0) + 1
            if tag not in _INLINE:
                self.text(" ")
            return
        weight, capture = self.weight, None
        if attrs:
            if "data-search-weight" in attrs:
                factor = search_weight(attrs["data-search-weight"])
                if self.stack:
                    weight *= factor
                else:
                    self.page.weight = factor
            if "ts-glossary__entry" in classes and attrs.get("id"):
                self.entry = attrs["id"]
            if "data-search-meta" in attrs:
                capture = "meta:" + attrs["data-search-meta"]
            elif "data-search-filter" in attrs:
                capture = "filter:" + attrs["data-search-filter"]
        excluded = self.excluded or own
        if capture is None and (tag in HEADING_WEIGHTS or (tag == "dt" and self.entry)) and not excluded:
            capture = "head:" + (attrs.get("id", "") if tag != "dt" else self.entry)
            weight *= HEADING_WEIGHTS.get(tag, HEADING_WEIGHTS["h2"])
            self.entry = ""
        changed = excluded != self.excluded or weight != self.weight or tag == "pre"
        self.stack.append((tag, self.weight, self.excluded, self.capture))
        self.open[tag] = self.open.get(tag, 0) + 1
        self.excluded = excluded
        self.weight = weight
        if capture is not None and self.capture is None:
            self.capture, self.captured, changed = capture, [], True
            if capture.startswith("head:") and len(capture) > 5:  # its words are its section's
                self.heading = len(self.page.sections)
                self.page.sections.append(Section(capture[5:], ""))
        if changed:
            self._sinks()
        if tag not in _INLINE:
            self.text(" ")

    def leaf(self, tag: str, raw: str, inner: str) -> None:
        """An element holding only text (`inner`), read as its start tag, its text and its end
        tag would be: where it changes nothing (most), its text alone (with the spaces a block
        element's tags add); else as `read_page` reads the three, an excluded one skipped."""
        marked = "data-search-" in inner  # (before unescaping, as `_skippable` looks)
        if "&" in inner:
            inner = htmllib.unescape(inner)
        if (_attributes(raw) if raw else _NO_ATTRIBUTES)[3]:
            block = tag not in _INLINE
            if block:
                self.text(" ")
            if inner:
                self.text(inner)
            if block:
                self.text(" ")
            return
        was = self.excluded
        self.start(tag, raw)
        if inner and not (self.excluded and not was and not marked):
            self.text(inner)
        self.end(tag)

    def end(self, tag: str) -> None:
        stack = self.stack
        if stack and stack[-1] == (tag, self.weight, self.excluded, self.capture) and tag != "pre":
            stack.pop()  # the last element opened, which changed nothing (most of them)
            self.open[tag] -= 1
            if tag not in _INLINE:
                self.text(" ")
            return
        if not self.open.get(tag):
            return  # a stray end tag, or a void element's
        weight, excluded, capture, changed = self.weight, self.excluded, self.capture, False
        while self.stack:
            open_tag, self.weight, self.excluded, outer = self.stack.pop()
            self.open[open_tag] -= 1
            if self.capture is not None and outer != self.capture:
                self._captured(self.capture)
            self.capture = outer
            changed = changed or open_tag == "pre"
            if open_tag == tag:
                break
        if changed or self.capture != capture or self.excluded != excluded or self.weight != weight:
            self._sinks()
        if tag not in _INLINE:
            self.text(" ")

    def _sinks(self) -> None:
        """Where text goes in the state the last tag left (`text`'s rules), worked out once a
        tag rather than once a piece of text: the lists it is added to, and its count's key."""
        capture, excluded = self.capture, self.excluded
        head = capture is not None and capture.startswith("head:")
        self.to_captured = self.captured if capture is not None and (not excluded or not head) else None
        if excluded:
            self.to_excerpt, self.key = None, None
            return
        sections = self.page.sections
        # an excerpt is prose, not code; the title's words (`data-search-meta`) count for the
        # page, not for a section of it
        self.to_excerpt = sections[-1].text if capture is None and not self.open.get("pre") else None
        meta = capture is not None and capture.startswith("meta:")
        self.key = (-1 if meta else len(sections) - 1, self.weight)

    def _captured(self, what: str) -> None:
        text = _squeeze("".join(self.captured))
        kind, _, name = what.partition(":")
        if kind == "meta":
            self.page.meta[name] = text
        elif kind == "filter":
            self.page.filters[name] = text
        elif name:  # only a heading with an id starts a section a result can lead to (in `start`)
            self.page.sections[self.heading].title = text
        else:
            self.page.sections[-1].text.append(f" {text} ")

    def text(self, text: str) -> None:
        """Words count where they are not excluded; a heading's and the title's words count
        with their weight but are not excerpt text; metadata is read even where excluded
        (`_sinks`)."""
        if self.to_captured is not None:
            self.to_captured.append(text)
        key = self.key
        if key is None:
            return
        if self.to_excerpt is not None:
            self.to_excerpt.append(text)
        if key != self.run_key:
            self._flush()
            self.run_key = key
        self.run.append(text)

    def _flush(self) -> None:
        if self.run:
            self.runs.setdefault(self.run_key, []).append("".join(self.run))
            self.run = []

    def count_words(self) -> None:
        """Every word of the counted text, with its weight, by section: one pass of the word
        pattern for each section and weight, rather than one for each piece between two tags."""
        self._flush()
        page = self.page
        sections: list[dict[str, float]] = [{} for _ in page.sections]
        page.section_words, everywhere, lang = sections, page.words, page.lang
        for (section, weight), chunks in self.runs.items():
            found = searchwords.words(" ".join(chunks), lang)
            page.length += len(found)
            counted = Counter(found).items()
            if section >= 0 and not sections[section]:  # the section's first run: its counts as they are
                sections[section] = here = {word: n * weight for word, n in counted}
                for word, weighed in here.items():
                    everywhere[word] = everywhere.get(word, 0.0) + weighed
                continue
            here = sections[section] if section >= 0 else {}
            for word, n in counted:
                weighed = n * weight
                here[word] = here.get(word, 0.0) + weighed
                everywhere[word] = everywhere.get(word, 0.0) + weighed


_MO = re.compile(r"<mo\b[^>]*>(.*?)</mo>", re.S)
_TAG = re.compile(r"<[^>]*>")


def math_text(mathml: str) -> str:
    """A formula as text, the way it reads on the page: its letters and digits run together
    (`\\mathrm{softmax}` is one <mi> per letter) and its operators set apart, so "softmax" is a
    word a learner finds and an excerpt shows "softmax ( QK⊤ dk ) V" rather than TeX."""
    return " " + " ".join(htmllib.unescape(_TAG.sub("", _MO.sub(r" \1 ", mathml))).split()) + " "


@functools.cache
def _same_name(tag: str) -> re.Pattern:
    """The tags named `tag`, comments and raw text: what `_skippable` walks."""
    return re.compile(
        rf"<!--.*?-->|<(script|style|textarea)\b.*?</\1\s*>|<(/?){re.escape(tag)}(?=[\s/>])[^>]*>", re.S | re.I
    )


def _skippable(html: str, tag: str, pos: int, stop: int) -> int | None:
    """Where the element opened just before `pos` ends, when nothing in it is read (no metadata
    or filter marked inside): found by the nesting of the tags named like it, comments and
    raw text apart. None when it holds a mark or does not end before `stop`."""
    depth = 1
    for token in _same_name(tag).finditer(html, pos, stop):
        if token.group(1) or token.group(0).startswith("<!"):
            continue
        depth += -1 if token.group(2) else 1
        if depth == 0:
            if html.find("data-search-", pos, token.start()) >= 0:
                return None
            return token.end()
    return None


def read_page(html: str, url: str) -> SearchPage | None:
    """The page as the search keeps it; None for a page with no `data-search-body` element."""
    span = body_span(html)
    if span is None:
        return None
    reader = _Reader(url)
    declared = _LANG.search(html, 0, span[0])
    reader.page.lang = searchwords.language(declared.group(1) if declared else None)
    text, start, end = reader.text, reader.start, reader.end
    pos, stop = span
    while pos < stop:
        for m in _TOKEN.finditer(html, pos, stop):
            last = m.lastindex
            if last == 1:  # text
                token = m.group(1)
                text(htmllib.unescape(token) if "&" in token else token)
            elif last == 6:  # an element holding only text
                reader.leaf(m.group(4).lower(), m.group(5), m.group(6))
            elif last == 9:  # a tag
                closing, name, raw = m.group(7, 8, 9)
                name = name.lower()
                if closing:
                    end(name)
                    continue
                was = reader.excluded
                start(name, raw)
                if reader.excluded and not was and name not in _VOID:
                    skip = _skippable(html, name, m.end(), stop)
                    if skip is not None:  # an excluded element with no metadata in it: jump over it
                        end(name)
                        pos = skip
                        break
            elif last == 10:  # a lone "<"
                text("<")
            elif last == 3:
                text(math_text(m.group(3)))
            # (a comment, or an element whose text is not read: script, style, template, ...)
        else:
            break
    while reader.stack:  # an element left open at the end of the marked part
        reader.end(reader.stack[-1][0])
    if reader.capture is not None:
        reader._captured(reader.capture)
    reader.count_words()
    return reader.page
