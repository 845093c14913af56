"""Pandoc and HTML habits of Carpentries episodes that Python-Markdown or the site's checks refuse.

Each is turned into what the site can show, and reported: an embedded video (`<iframe>`)
becomes a link to it, an HTML `<img>` a Markdown image (so the file is copied and its alt
text checked), a grid table a pipe table when its cells are one line each, a reference link
defined in the lesson's shared `links.md` gets its definition. Inline R code is shown as code.
"""

from __future__ import annotations

import html
import re

from tracksite.commands.importers.carpentries import codeattrs
from tracksite.htmlscan import tag_attributes

_EMBED = re.compile(r"<\s*(iframe|script|object|embed|video|audio)\b(?P<attrs>[^>]*)>(?:.*?</\s*\1\s*>)?", re.I | re.S)
_IMG = re.compile(r"<\s*img\b(?P<attrs>[^>]*?)/?>", re.I)
# `<a href="...">text</a>` on one line, its text plain: a Markdown link, so its target is resolved
# (and a file the lesson lacks reported) like any other link's
_ANCHOR = re.compile(r"<a\s(?P<attrs>[^>]*)>(?P<text>[^<>\[\]]*)</a\s*>", re.I)
_RELATIVE = re.compile(r"^(?![a-z][a-z0-9+.-]*:|#|/)\S+$", re.I)
_INLINE_R = re.compile(r"`r\s[^`]+`")
_GRID_RULE = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_GRID_ROW = re.compile(r"^\s*\|.*\|\s*$")
# `[ref]: target`; never `[^1]: text`, a footnote's definition (Pandoc's footnotes: its text is prose)
DEFINITION = re.compile(r"^\s{0,3}\[(?P<ref>[^\]^][^\]]*)\]:\s*(?P<target>\S+)(?P<title>\s+.*)?$")
_USED_REF = re.compile(r"\]\[(?P<ref>[^\]]*)\]|\[(?P<short>[^\]\[]+)\](?![\[(:])")


def rewrite_html(line: str, note) -> str:
    """Embedded players and scripts become links; `<img>` becomes a Markdown image, and an `<a>`
    to a file of the lesson a Markdown link."""

    def embed(m: re.Match) -> str:
        attrs = tag_attributes(m.group("attrs"))
        src = attrs.get("src", "")
        what = m.group(1).lower()
        if src.startswith(("https://", "http://")):
            note(
                f"an embedded <{what}> became a link to {src}: the site shows no content from other sites",
                {"links": 1},
            )
            return f"[{attrs.get('title') or 'Open the embedded content'}]({src})"
        note(f"an embedded <{what}> was left out: the site runs no embedded content", None)
        return ""

    def image(m: re.Match) -> str:
        attrs = tag_attributes(m.group("attrs"))
        src = attrs.get("src", "")
        if not src:
            return m.group(0)
        size = " ".join(f'{k}="{attrs[k]}"' for k in ("width", "height") if attrs.get(k))
        alt = attrs.get("alt", "").replace("'", "\u2019")
        return f"![]({src}){{alt='{alt}'" + (f" {size}" if size else "") + "}"

    def anchor(m: re.Match) -> str:
        href = tag_attributes(m.group("attrs")).get("href", "")
        text = m.group("text").strip()
        return f"[{text}]({href})" if text and _RELATIVE.match(href) else m.group(0)

    parts = re.split(r"(`+[^`]*`+)", _IMG.sub(image, _EMBED.sub(embed, line)))  # a code span shows HTML as typed
    return "".join(part if i % 2 else _ANCHOR.sub(anchor, part) for i, part in enumerate(parts))


def inline_r(line: str) -> bool:
    """Whether the line holds inline R code (`` `r 1 + 1` ``), shown as code and not run."""
    return bool(_INLINE_R.search(line))


def grid_tables(lines: list[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """Grid tables whose cells are one line each, as pipe tables (same number of lines, so line
    numbers stay right); others are kept (as text: one table fewer on the page) and reported.
    Returns the lines and (index, message)."""
    out, notes, i = list(lines), [], 0
    while i < len(lines):
        if not _GRID_RULE.match(lines[i]):
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and (_GRID_RULE.match(lines[j + 1]) or _GRID_ROW.match(lines[j + 1])):
            j += 1
        block = lines[i : j + 1]
        rows = [l for l in block if _GRID_ROW.match(l)]
        simple = rows and not any(_GRID_ROW.match(a) and _GRID_ROW.match(b) for a, b in zip(block, block[1:]))
        if simple:
            cells = [[c.strip() for c in r.strip().strip("|").split("|")] for r in rows]
            width = max(len(c) for c in cells)
            table = ["| " + " | ".join(c + [""] * (width - len(c))) + " |" for c in cells]
            table.insert(1, "|" + "---|" * width)
            out[i : j + 1] = table + [""] * (len(block) - len(table))
            notes.append((i, "a pandoc grid table became a pipe table"))
        else:
            notes.append(
                (i, "a pandoc grid table with cells of several lines is kept as text; rewrite it as a pipe table")
            )
        i = j + 1
    return out, notes


def used_references(body: str) -> set[str]:
    """Reference-link labels a body uses (`[text][ref]`, `[ref][]`, `[ref]`), lower-cased."""
    found = set()
    for m in _USED_REF.finditer(body):
        label = m["ref"] if m["ref"] is not None else m["short"]
        if label is not None and label.strip():
            found.add(" ".join(label.split()).lower())
    return found


def definitions(text: str) -> dict[str, str]:
    """The `[ref]: target` lines of a links.md, by lower-cased label."""
    out = {}
    for line in text.splitlines():
        m = DEFINITION.match(line)
        if m:
            out[" ".join(m["ref"].split()).lower()] = line.strip()
    return out


_IAL = re.compile(r"^\s*(?:>\s*)*\{:\s*(?P<what>[^}]*)\}\s*$")
_FENCE = re.compile(r"^\s*(`{3,}(?=[^`]*$)|~{3,})")
_DEFINITION_START = re.compile(r"^:\s+\S")
_TERM_WITH_ID = re.compile(r"\{\s*#[\w-]+\s*\}\s*$|^\[[^\]]+\]\{#[\w-]+\}\s*$")


def kramdown_lines(lines: list[str]) -> tuple[list[str], list[int], list[codeattrs.Found]]:
    """Jekyll-era kramdown attribute lines (`{:auto_ids}`, `{: .solution}`) outside code, which
    neither Pandoc nor Python-Markdown reads: one right after a code block says what the block is
    (codeattrs.py applies it); the others are blanked and reported.
    `{:auto_ids}` gives the definition terms after it ids made from their text, as kramdown did,
    so the page's `[term](#term)` links keep working. Returns the lines, each one's index in
    `lines` (codeattrs may add a fence line) and (index, message, counts)."""
    lines, numbers, applied = codeattrs.apply(lines)
    out, fence = list(lines), None
    found: list[codeattrs.Found] = list(applied)
    auto = False
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is not None:
            fence = None if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) else fence
            continue
        if m:
            fence = m.group(1)
            continue
        ial = _IAL.match(line)
        if ial is None:
            if auto and i + 1 < len(lines) and _is_term(lines, i):
                out[i] = f"{line.rstrip()} {{ #{auto_id(line)} }}"
            continue
        out[i] = ""
        if ial["what"].strip() == "auto_ids":
            auto = True
            found.append(
                (
                    numbers[i],
                    "`{:auto_ids}` (kramdown) removed; the glossary terms after it got ids made from their text",
                    None,
                )
            )
        else:
            found.append(
                (
                    numbers[i],
                    f"kramdown attribute line `{{:{ial['what']}}}` has no effect outside Jekyll; removed",
                    None,
                )
            )
    return out, numbers, sorted(found, key=lambda f: f[0])


def _is_term(lines: list[str], i: int) -> bool:
    """A definition list's term: a short line followed (after at most one blank) by `:   text`."""
    line = lines[i]
    if not line.strip() or line.startswith((" ", "\t", ":", "#", "-", "*", "|", ">")) or _TERM_WITH_ID.search(line):
        return False
    after = lines[i + 1] if lines[i + 1].strip() or i + 2 >= len(lines) else lines[i + 2]
    return bool(_DEFINITION_START.match(after))


def auto_id(text: str) -> str:
    """An id from a heading or term's text, the way kramdown and Pandoc make them."""
    plain = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    plain = re.sub(r"[^\w\s-]", "", plain.lower()).strip()
    plain = re.sub(r"\s+", "-", plain)
    return re.sub(r"^[^a-z]+", "", plain) or "section"


_QUOTED = re.compile(r"^(?P<indent>\s*)>[ ]?(?P<rest>.*)$")
_DIV_FENCE = re.compile(r"^\s*:{3,}")


def quoted_divs(lines: list[str]) -> tuple[list[str], int]:
    """Block quotes that hold a fenced div (`> ::: solution` under a quiz question): Pandoc reads
    the div inside the quote, and the Workbench shows it as its block; unquoted here (and out of
    the list item the quote sat in: a block cannot open inside one), so the converter sees the div. Returns the lines and how many quotes changed."""
    out, changed, i = list(lines), 0, 0
    while i < len(lines):
        start = _QUOTED.match(lines[i])
        if start is None:
            i += 1
            continue
        end = i
        while end < len(lines) and _QUOTED.match(lines[end]):
            end += 1
        inner = [_QUOTED.match(line)["rest"] for line in lines[i:end]]  # type: ignore[index]  # all quoted
        first = next((line for line in inner if line.strip()), "")
        if _DIV_FENCE.match(first):
            for k in range(i, end):
                m = _QUOTED.match(lines[k])
                out[k] = m["rest"] if m["rest"].strip() else ""  # type: ignore[index]
            changed += 1
        i = end
    return out, changed


# A solution's own heading ("## Solution", "## Solución"): the block's toggle says it already
SOLUTION_WORDS = ("solution", "solutions", "solución", "solucion", "soluciones", "solução", "solucao", "lösung")
# `{: .challenge}` right after a block quote: the Jekyll (styles) lessons' way of writing a block
_BLOCK_IAL = re.compile(r"^\s{0,3}\{:\s*\.(?P<kind>[A-Za-z][\w-]*)\s*\}\s*$")
QUOTE_KINDS = frozenset(
    {
        "challenge",
        "solution",
        "callout",
        "discussion",
        "checklist",
        "prereq",
        "testimonial",
        "hint",
        "spoiler",
        "caution",
    }
)


def quoted_blocks(lines: list[str]) -> tuple[list[str], int]:
    """Jekyll-era blocks: a block quote followed by `{: .challenge}` (`> ## Title ... > > ## Solution
    ... > {: .solution}`), which kramdown made a `<blockquote class="challenge">` and the Workbench's
    converter makes a `::: challenge` div, nested blocks too. The same here, line for line (the
    blank line before the quote opens the div, the attribute line closes it), so every note keeps
    its source line. Returns the lines and how many blocks became divs."""
    out, changed, i, fence = list(lines), 0, 0, None
    while i < len(out):
        f = _FENCE.match(out[i])
        if fence is not None or f:  # code shows a quote as typed
            fence = f.group(1) if fence is None and f else None if f and f.group(1)[0] == fence[0] else fence  # type: ignore[index]
            i += 1
            continue
        if _QUOTED.match(out[i]) is None:
            i += 1
            continue
        end = i
        while end < len(out) and _QUOTED.match(out[end]):
            end += 1
        m = _BLOCK_IAL.match(out[end]) if end < len(out) else None
        if m and m["kind"].lower() in QUOTE_KINDS and i > 0 and not out[i - 1].strip():
            inner, nested = quoted_blocks([_QUOTED.match(line)["rest"] for line in out[i:end]])  # type: ignore[index]
            out[i - 1], out[i:end], out[end] = f"::: {m['kind'].lower()}", inner, ":::"
            changed += 1 + nested
        i = end + 1
    return out, changed


def heading_id(text: str) -> str:
    """The id Pandoc's `auto_identifiers` gives a heading (what the Workbench site's links use):
    its plain text lower-cased, each space a hyphen, only letters, digits, `_`, `-` and `.` kept
    (accented letters too: `salida-estándar`), everything before the first letter dropped."""
    plain = re.sub(r"!?\[([^\]]*)\]\([^)]*\)", r"\1", text)
    plain = html.unescape(re.sub(r"<[^>]+>", "", plain))  # `&amp;` is the reader's `&`, which Pandoc drops
    plain = "".join("-" if c.isspace() else c for c in plain.strip().lower() if c.isalnum() or c in "_-. \t")
    return re.sub(r"^[\W\d_.-]+", "", plain) or "section"


_CODE_FENCE = re.compile(r"^(?P<lead>\s*(?:(?:[-*+]|\d+[.)])\s+)?)(?P<fence>`{3,}(?=[^`]*$)|~{3,})(?P<rest>.*)$")


_DELIMITER_ROW = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)+\|?\s*$")


_ORG_RULE = re.compile(r"^\s*\|?\s*:?-+:?\s*(?:\+\s*:?-+:?\s*)+\|?\s*$")


def org_table_rules(lines: list[str]) -> tuple[list[str], int]:
    """A pipe table's rule written Org's way (`|-----+-----|`), which Pandoc reads and
    Python-Markdown prints as text, written with `|` (outside code); how many changed."""
    out, changed, fence = list(lines), 0, None
    for i, line in enumerate(lines):
        m = _FENCE.match(line)
        if fence is not None:
            fence = None if m and m.group(1)[0] == fence[0] else fence
            continue
        if m:
            fence = m.group(1)
            continue
        if i and "|" in lines[i - 1] and _ORG_RULE.match(line):
            out[i] = line.replace("+", "|")
            changed += 1
    return out, changed


def table_rule(line: str) -> bool:
    """Whether the line is a pipe table's delimiter row (`| --- | :---: |`), which holds no prose."""
    return bool(_DELIMITER_ROW.match(line))


def separate_blocks(lines: list[str]) -> list[str]:
    """A blank line after each closing code fence, and after each pipe table's last row, that the
    next line touches. In Pandoc a closing fence ends the block, and a table ends at its first line
    without a `|`: a table, list or heading may start on the very next line (knitr and Jupyter write
    a pandas table right under its code). Python-Markdown reads such a line as the rest of the
    code's paragraph, or as another row of the table: a table would show as text, a heading as a row."""
    out: list[str] = []
    fence, table = "", False
    for i, line in enumerate(lines):
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        out.append(line)
        m = _CODE_FENCE.match(line)
        if fence:
            if m and m["fence"][0] == fence[0] and len(m["fence"]) >= len(fence) and not m["rest"].strip():
                fence = ""
                if nxt.strip():
                    out.append("")
            continue
        if m:
            fence, table = m["fence"], False
            continue
        table = bool(line.strip()) and (table or bool(_DELIMITER_ROW.match(nxt) and "|" in line))
        if table and nxt.strip() and "|" not in nxt:
            out.append("")
            table = False
    return out


_IMAGE_START = re.compile(r"!\[")
_IMAGE_END = re.compile(r"!\[(?:[^\[\]]|\[[^\]]*\])*\]\([^)]*\)\s*$")
_ATTRS_LINE = re.compile(r"^\s*\{[^{}]*\}\s*$")
_WHOLE_IMAGE = re.compile(r"!\[(?:[^\[\]]|\[[^\]]*\])*\]\([^)]*\)(?:\{[^}]*\})?")
_OPEN_ATTRS = re.compile(r"\]\([^)]*\)\{[^}]*$")


def join_images(lines: list[str], numbers: list[int]) -> tuple[list[str], list[int]]:
    """Images Pandoc reads across lines, each made one line (with the number of its first):
    `![` with its caption, `](fig/x.png){` and `alt='...'` and `}` on lines of their own, and an
    attribute block on the line under an image (`![](fig/x.png)` then `{alt='...'}`); and links
    whose text goes on to the next line of the paragraph (`_link_end`)."""
    out: list[str] = []
    nums: list[int] = []
    fence = ""
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _CODE_FENCE.match(line)
        if fence or m:
            if m and fence and m["fence"][0] == fence[0] and len(m["fence"]) >= len(fence):
                fence = ""
            elif m and not fence:
                fence = m["fence"]
            out.append(line)
            nums.append(numbers[i])
            i += 1
            continue
        end = _image_end(lines, i)
        end = _link_end(lines, i) if end == i else end
        # a line joined with none keeps its trailing spaces: two of them are a hard line break
        joined = " ".join(part.strip() if k else part.rstrip() for k, part in enumerate(lines[i : end + 1]))
        joined = joined if end > i else line
        if _IMAGE_END.search(joined) and end + 1 < len(lines) and _ATTRS_LINE.match(lines[end + 1]):
            joined, end = joined + lines[end + 1].strip(), end + 1
        out.append(joined)
        nums.append(numbers[i])
        i = end + 1
    return out, nums


_BLOCK_START = re.compile(r"^\s*(?:#{1,6}\s|[-*+]\s|\d+[.)]\s|>|\||:{3,}|`{3,}|~{3,}|<)")
_LINK_AT = re.compile(r"\[(?:[^\[\]]|\[[^\]]*\])*\](?:\([^)]*\)|\[[^\]]*\])")


def _open_bracket(line: str) -> int | None:
    """Where the last `[` outside code spans that the line leaves open starts, if any."""
    text = re.sub(r"`+[^`]*`+", lambda m: " " * len(m.group(0)), line)
    opened: list[int] = []
    for k, char in enumerate(text):
        if char == "[" and (k == 0 or text[k - 1] != "\\"):
            opened.append(k)
        elif char == "]" and opened and text[k - 1] != "\\":
            opened.pop()
    return opened[0] if opened else None


def _link_end(lines: list[str], i: int, most: int = 3) -> int:
    """The last line of a link whose text Pandoc reads across lines (`[Relational` then
    `Databases](x.md#y)`), so the link is rewritten as one (else `i`). Only lines of the same
    paragraph join: Markdown reads them as one line anyway."""
    start = _open_bracket(lines[i])
    if start is None:
        return i
    text = lines[i]
    for j in range(i + 1, min(i + 1 + most, len(lines))):
        if not lines[j].strip() or _BLOCK_START.match(lines[j]):
            return i
        text += " " + lines[j].strip()
        if _LINK_AT.match(text, start):
            return j
    return i


def _image_end(lines: list[str], i: int, most: int = 8) -> int:
    """The last line of an image that starts on line `i` and goes on below it (else `i`)."""
    if not _IMAGE_START.search(lines[i]):
        return i
    text = lines[i]
    for j in range(i, min(i + most, len(lines))):
        if j > i:
            if not lines[j].strip():
                return i
            text += " " + lines[j].strip()
        last = text[text.rfind("![") :]
        if _WHOLE_IMAGE.match(last) and not _OPEN_ATTRS.search(last):
            return j
    return i


def smart_dashes(line: str) -> str:
    """Pandoc's smart dashes (`---`, `--`, `\\--`) and `\\<` escapes, which Python-Markdown prints as
    typed; code spans and link targets (`#networks---proxy-needed`) keep theirs."""
    if table_rule(line):  # `| --- |` is a table's rule, not a dash: an em dash there ends the table
        return line
    parts = re.split(r"(`+[^`]*`+|\]\([^)\s]*|\{\s*#[^{}]*\})", line)  # code, link targets and ids keep their dashes
    for i in range(0, len(parts), 2):
        text = parts[i].replace("\\--", "\u2013")
        text = re.sub(r"(?<=\w)---(?=\w)|(?<=\s)---(?=\s)", "\u2014", text)
        text = re.sub(r"(?<=\s)--(?=\s)", "\u2013", text)
        parts[i] = text.replace("\\<", "&lt;").replace("\\>", "&gt;")  # Pandoc's escapes; Python-Markdown keeps them
    # Pandoc's hard line break, a backslash ending the line, is Python-Markdown's two spaces
    parts[-1] = re.sub(r"(?<!\\)\\$", "  ", parts[-1]) if len(parts) % 2 else parts[-1]
    return "".join(parts)
