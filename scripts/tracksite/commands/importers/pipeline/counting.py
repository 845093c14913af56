"""What a learner sees of an episode, counted twice: in the Workbench source and in the built page.

The two counters share nothing with the converter (episode.py), so whatever the conversion
loses, whatever a wrapper nobody has seen yet flattens to text, shows up as a difference between
the source and the page the build wrote. The source side reads Workbench Markdown line by line
(fenced divs, code fences, pipe and grid tables, images and links, also inside HTML wrappers);
the page side reads the built HTML of the learner page with the standard library's HTML parser
(the lesson body only: tracksite's header, pager and credits are not the lesson's). Text inside
`::: instructor` blocks is not counted: it must not reach the learner page at all.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser

from tracksite.core import widgetregistry as W

KEYS = (
    "headings",
    "code_blocks",
    "output_blocks",
    "exercises",
    "solutions",
    "callouts",
    "figures",
    "tables",
    "links",
    "keypoints",
    "questions",
    "objectives",
)
OUTPUT_INFO = {"output", "error", "warning", "message"}
FENCE = re.compile(r"^\s*(?:(?:[-*+]|\d+[.)])\s+)?(`{3,}(?=[^`]*$)|~{3,})\s*\{?\s*\.?(?P<info>[\w+-]*)")
DIV = re.compile(r"^\s*:{3,}\s*(?:\{[^}]*?\.(?P<a>[\w-]+)[^}]*\}|(?P<b>[A-Za-z][\w-]*))\s*:*\s*$")
DIV_END = re.compile(r"^\s*:{3,}\s*$")
# a list item as Pandoc reads one: up to three spaces before its marker (`  - a question`)
ITEM = re.compile(r"^(?P<indent> {0,3})(?P<marker>[-*+]|\d+\.)(?P<gap>\s+)\S")
HEADING = re.compile(r"^#{1,6}\s")
IMAGE = re.compile(r"!\[(?:[^\[\]]|\[[^\]]*\])*\]\([^)]+\)|<img\b", re.I)
LINK = re.compile(
    r"(?<![!\\])\[[^\]]+\]\((?:<[^<>\n]+>|[^)]+)\)|<https?://[^>\s]+>|<a\s[^>]*\bhref\s*=", re.I
)  # (a link's text may hold `<https://...>`: one link, as Pandoc shows it)
REFERENCE = re.compile(r"(?<![!\\])\[(?P<text>[^\]]+)\]\[(?P<ref>[^\]]*)\]")  # a link only where `ref` is defined
SHORTCUT = re.compile(r"(?<![!\]\\])\[([^\]\[]+)\](?![\[(:])")  # `[label]`, a link where `[label]: url` is defined
DEFINITION = re.compile(r"^\s{0,3}\[([^\]^][^\]]*)\]:\s*\S", re.M)  # (`[^1]: ...` is a footnote's text)
QUOTE = re.compile(r"^(?:\s{0,3}>)+ ?")
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`).*?(?<!`)\1(?!`)", re.S)  # closed by a run of the same length
TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(?:[|+]\s*:?-{3,}:?\s*)*\|?\s*$")  # `+`: Org's rule
# knitr's kable() rules a one-letter column `|--:|`: shorter than three dashes, between pipes
PIPED_RULE = re.compile(r"^\s*\|\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|\s*$")
PRE_OPEN = re.compile(r"^\s{0,3}<pre\b", re.I)  # an HTML block of preformatted text: no Markdown in it
PRE_CLOSE = re.compile(r"</pre\s*>", re.I)
GRID_RULE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
# `{: .challenge}` after a block quote (Jekyll's lessons): the quote was that block
KRAMDOWN_BLOCK = re.compile(
    r"^\s{0,3}\{:\s*\.(?P<kind>challenge|solution|callout|discussion|checklist|prereq|testimonial|hint|spoiler|caution)"
    r"\s*\}\s*$",
    re.I,
)
DETAILS_OPEN = re.compile(r"<details\b", re.I)
DETAILS_CLOSE = re.compile(r"</details\s*>", re.I)
LIST_FIELDS = {"objectives", "questions", "keypoints"}


#: The kinds of element whose place is said when the page shows more or fewer than the source.
PLACED = ("headings", "code_blocks", "output_blocks", "tables", "figures")


class Counts(Counter):
    """A count, and for the PLACED kinds each element's (source line or None, first words)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.where: dict[str, list[tuple[int | None, str]]] = {k: [] for k in PLACED}

    def add(self, key: str, at: int | None, text: str = "") -> str:
        """One more `key`, at source line `at`, with its first words (`text`)."""
        self[key] += 1
        self.where[key].append((at, text))
        return key


def words(text: str, n: int = 6) -> str:
    """The first words of an element's text, as both counts write them (compared, not shown alone)."""
    return " ".join(re.findall(r"\w+", re.sub(r"\{[^}]*\}", " ", text).lower())[:n])


def _inline(counts: Counter, line: str, defined: set[str]) -> None:
    plain = CODE_SPAN.sub("code", line)  # a code span may be a link's text
    counts["figures"] += len(IMAGE.findall(plain))
    text = re.sub(r"!\[((?:[^\[\]]|\[[^\]]*\])*)\]\([^)]+\)", r"\1", plain)  # a caption may hold links
    counts["links"] += len(LINK.findall(text))
    counts["links"] += sum(
        " ".join((m["ref"] or m["text"]).split()).lower() in defined for m in REFERENCE.finditer(text)
    )
    counts["links"] += sum(" ".join(m.split()).lower() in defined for m in SHORTCUT.findall(text))
    counts["tables"] += len(re.findall(r"<table\b", plain, re.I))
    counts["code_blocks"] += len(re.findall(r"<pre\b", plain, re.I))


def count_source(text: str, shared: frozenset[str] | set[str] = frozenset(), first_line: int | None = 1) -> Counts:
    """Counts in Workbench Markdown without its front matter; `shared`: the reference labels the
    lesson's links.md defines (lower case); `first_line`: the text's first line in its file (None:
    a text made from it, knitted R, whose lines are not the file's)."""
    counts, text, stack = Counts(), _without_comments(text), list[list]()  # stack: [kind, seen_solution]
    defined = set(shared) | {" ".join(m.split()).lower() for m in DEFINITION.findall(text)}
    fence, hidden, details, previous, previous_raw, pre, above = None, 0, 0, "", "", False, ""
    pending: str | None = None  # the block just opened, whose first words its first line gives
    para: list[str] = []  # a link's text may run over lines: inline elements are counted per paragraph
    for number, raw in enumerate([*text.splitlines(), ""]):
        before, previous_raw = previous_raw, raw
        at = None if first_line is None else first_line + number
        line = QUOTE.sub("", raw)  # a quote's code and tables count too
        if not line.strip() or FENCE.match(line) or DIV.match(line) or HEADING.match(line):
            _inline(counts, " ".join(para), defined)
            para = []
        if fence:
            fence, pending = _in_fence(counts, fence, pending, line)
            continue
        d = DIV.match(line)
        if hidden:  # inside `::: instructor`: only the nesting is followed
            hidden += 1 if d and not DIV_END.match(line) else -1 if DIV_END.match(line) else 0
            continue
        f = FENCE.match(line)
        if f:
            fence, pending = (
                f.group(1),
                counts.add("output_blocks" if f["info"].lower() in OUTPUT_INFO else "code_blocks", at),
            )
            continue
        if _kramdown_block(counts, line, _depth(raw) < _depth(before)):
            continue
        if d and not DIV_END.match(line):
            hidden = _open_div(counts, stack, (d["a"] or d["b"]).lower())
            continue
        if DIV_END.match(line) and stack:
            stack.pop()
            continue
        if pre or PRE_OPEN.match(line):  # R output as HTML: `# A tibble` there is no heading
            pre, previous = (pre or bool(PRE_OPEN.match(line))) and not PRE_CLOSE.search(line), line
            para.append(line)  # (its `<pre` is counted as a code block with the paragraph)
            continue
        kind = stack[-1][0] if stack else ""
        counts["callouts"] += len(DETAILS_OPEN.findall(line))
        if kind in LIST_FIELDS and _top_item(stack[-1], line):
            counts[kind] += 1
        elif kind == "challenge" and stack[-1][1] and HEADING.match(raw):
            counts["exercises"] += 1  # a second titled exercise in one challenge box
            stack[-1][1] = False
        elif HEADING.match(raw) and not stack and not details:
            counts.add("headings", at, words(raw))
        details += len(DETAILS_OPEN.findall(line)) - len(DETAILS_CLOSE.findall(line))
        if _table_rule(line, previous, above):
            counts.add("tables", None if at is None else at - 1, words(previous, 1))
        counts.where["figures"] += [(at, "")] * len(
            IMAGE.findall(CODE_SPAN.sub("code", line))
        )  # (counted by paragraph)
        para.append(line)
        above, previous = previous, line
    return counts


def list_item(line: str) -> tuple[int, int] | None:
    """A list item's indent and its text's column, as Pandoc reads the item (up to three spaces
    before its marker); None when `line` starts no item. An item of the same list has its marker
    left of the first item's text column; one nested in it, at or right of it."""
    m = ITEM.match(line)
    if not m:
        return None
    return len(m["indent"]), len(m["indent"]) + len(m["marker"]) + min(len(m["gap"].expandtabs(4)), 4)


def _top_item(div: list, line: str) -> bool:
    """Whether `line` starts an item of the list a questions, objectives or keypoints div holds,
    not of a list nested in one (`div[1]`: the first item's text column, once it is seen).
    Before, an item indented two spaces (`  - a question`, which Pandoc and the page read as an
    item) was not counted and the import's verification failed."""
    item = list_item(line)
    if item is None:
        return False
    if isinstance(div[1], bool):
        div[1] = item[1]
    return item[0] < div[1]


def _open_div(counts: Counts, stack: list[list], kind: str) -> int:
    """A fenced div opened: counted and stacked; 1 for `::: instructor`, whose text is not counted."""
    if kind == "instructor":
        return 1
    if stack and kind == "solution":
        stack[-1][1] = True
    stack.append([kind, False])
    counts[{"challenge": "exercises", "solution": "solutions"}.get(kind, "callouts")] += kind not in LIST_FIELDS
    return 0


def _in_fence(counts: Counts, fence: str, pending: str | None, line: str) -> tuple[str | None, str | None]:
    """A line inside a code fence: the fence still open (or None: this line closes it), and the
    block still waiting for its first words."""
    if re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", line):
        return None, None
    return fence, _first_words(counts, pending, line)


def _first_words(counts: Counts, pending: str | None, line: str) -> str | None:
    """The first words of the block `pending` names (just opened) from its first line of text;
    what is still pending after `line`."""
    if pending is None or not line.strip():
        return pending
    where = counts.where[pending]
    where[-1] = (where[-1][0], words(line, 1) or "-")
    return None


def _table_rule(line: str, previous: str, above: str) -> bool:
    """Whether `line` is the rule under a pipe table's header (which no row of the table comes
    before: a row of dashes in a table's body is a row), or a grid table's first line."""
    header = "|" in previous and "|" not in above
    if (TABLE_RULE.match(line) or PIPED_RULE.match(line)) and header and "|" in line + previous:
        return True
    return bool(GRID_RULE.match(line) and not GRID_RULE.match(previous) and not previous.lstrip().startswith("|"))


def _kramdown_block(counts: Counter, line: str, after_quote: bool) -> bool:
    """`{: .challenge}` right after the quote it marks (outside it): that block, counted."""
    k = KRAMDOWN_BLOCK.match(line)
    if k and after_quote:
        counts[{"challenge": "exercises", "solution": "solutions"}.get(k["kind"].lower(), "callouts")] += 1
    return bool(k and after_quote)


def _depth(line: str) -> int:
    """How many block quotes a line is in (`> > text`: 2)."""
    m = QUOTE.match(line)
    return m.group(0).count(">") if m else 0


def _without_comments(text: str) -> str:
    """`text` with its HTML comments outside code blanked (their lines kept empty): what an author
    commented out (a call-out, a figure) no reader sees, on the Workbench site or here."""
    out: list[str] = []
    fence, comment = None, False
    for line in text.splitlines():
        if comment:
            comment = "-->" not in line
            out.append(line.split("-->", 1)[1] if not comment else "")
            continue
        f = None if fence else FENCE.match(line)
        if fence or f:
            if fence and re.match(rf"^\s*{re.escape(fence[0])}{{{len(fence)},}}\s*$", line):
                fence = None
            elif f:
                fence = f.group(1)
            out.append(line)
            continue
        plain = CODE_SPAN.sub(lambda m: "x" * len(m.group(0)), line)
        line = re.sub(r"<!--.*?-->", "", line) if "<!--" in plain and "-->" in plain[plain.find("<!--") :] else line
        if "<!--" in CODE_SPAN.sub("", line):
            line, comment = line.split("<!--", 1)[0], True
        out.append(line)
    return "\n".join(out)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
NOT_LINKS = {"headerlink", "ts-term__link", "footnote-ref", "footnote-backref"}
LISTS = {"ts-keypoints": "keypoints", "ts-questions": "questions", "ts-objectives": "objectives"}
_EXERCISE, _SOLUTION = str(W.EXERCISE.css_class), str(W.SOLUTION.css_class)
BLOCKS = {"admonition", "details", "tabbed-set", _EXERCISE, _SOLUTION, "ts-objectives", "ts-keypoints", "ts-questions"}


class _PageCounter(HTMLParser):
    """Counts inside the lesson body (`.ts-page`), leaving out the credits and headings in blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.counts = Counts()
        self.capture: tuple[str, int, list[str]] | None = None  # (kind, depth, text) of a PLACED element
        self.stack: list[tuple[str, set[str]]] = []
        self.depth_in_page = -1  # index in the stack of the .ts-page element
        self.summary: list[str] | None = None

    def _inside(self, *classes: str) -> bool:
        # a class of an element around, or its tag (a `<details>` of any class is a block)
        return any(c in cls or c == tag for tag, cls in self.stack[self.depth_in_page :] for c in classes)

    def handle_starttag(self, tag: str, attrs) -> None:
        cls = set((dict(attrs).get("class") or "").split())
        if self.depth_in_page < 0:
            if "ts-page" in cls:
                self.depth_in_page = len(self.stack)
            if tag not in VOID:
                self.stack.append((tag, cls))
            return
        before = Counter(self.counts)
        self._count(tag, cls, dict(attrs))
        placed = [k for k in PLACED if self.counts[k] != before[k]]
        if placed and tag == "img":
            self.counts.where["figures"].append((None, ""))
        elif placed:
            self.counts.where[placed[0]].append((None, ""))
            if self.capture is None:
                self.capture = (placed[0], len(self.stack), [])
        if tag not in VOID:
            self.stack.append((tag, cls))

    def _count(self, tag: str, cls: set[str], attrs: dict) -> None:
        c = self.counts
        if self._inside("ts-credits"):
            return
        if tag == "img":
            c["figures"] += 1
        elif tag == "table":
            c["tables"] += 1
        elif tag == "a" and attrs.get("href") is not None and not cls & NOT_LINKS:
            c["links"] += 1
        elif tag in ("h2", "h3", "h4", "h5", "h6") and not self._inside(*BLOCKS) and f"{_EXERCISE}__title" not in cls:
            c["headings"] += 1
        elif tag == "div" and "highlight" in cls:
            output = any(k in cls for k in ("language-output", "language-error", "language-warning"))
            c["output_blocks" if output else "code_blocks"] += 1
        elif tag == "pre" and not self._inside("highlight"):
            c["code_blocks"] += 1
        elif tag == "div" and _EXERCISE in cls:
            c["exercises"] += 1
        elif tag == "details" and _SOLUTION in cls:
            c["solutions"] += 1
        elif tag == "details" and "ts-objectives" not in cls:
            self.summary = []  # a details block: a callout, or a solution outside any exercise
            c["callouts"] += 1
        elif tag == "div" and "admonition" in cls:
            c["callouts"] += 1
        elif tag == "li":
            parent = self.stack[-1][1] if self.stack else set()
            owner = self.stack[-2][1] if len(self.stack) > 1 else set()
            for name, key in LISTS.items():
                if name in owner and self.stack[-1][0] == "ul" or name in parent:
                    c[key] += 1

    def handle_data(self, data: str) -> None:
        if self.capture is not None and sum(map(len, self.capture[2])) < 200:
            self.capture[2].append(data)
        if self.summary is not None and self.stack and self.stack[-1][0] == "summary":
            self.summary.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if tag == "summary" and self.summary is not None:
            if "".join(self.summary).strip().lower() == "solution":
                self.counts["callouts"] -= 1
                self.counts["solutions"] += 1
            self.summary = None
        while self.stack:
            name, _ = self.stack.pop()
            if self.capture is not None and len(self.stack) == self.capture[1]:
                kind, _, parts = self.capture
                text = "".join(parts).replace("\u00b6", " ")  # (a heading's permalink sign)
                where = self.counts.where[kind]
                where[-1] = (None, words(text, 6 if kind == "headings" else 1) or "-")
                self.capture = None
            if len(self.stack) == self.depth_in_page:
                self.depth_in_page = -2  # the page body ended: nothing after it is counted
            if name == tag:
                break


def count_page(html: str) -> Counts:
    """Counts in a built learner page (the lesson body only)."""
    parser = _PageCounter()
    parser.feed(html)
    parser.close()
    return parser.counts
