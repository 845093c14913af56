"""Markdown inside HTML wrappers, kept: the wrapper is dropped or translated, never the content.

Workbench lessons wrap Markdown in HTML that Pandoc reads through: Bootstrap rows and columns
(`<div class="row"><div class="col-md-6" markdown="1">`) around tables, `<p align="center">`
around images, `<figure>` with an `<img>` or a Markdown image and a `<figcaption>`, `<details>`
with a `<summary>`. Python-Markdown treats such a block as raw HTML and prints what is inside it
as text: a table becomes a paragraph of pipes, an image its `![...](...)` source. So, outside
code, layout wrappers are dropped (their content stays where it was), a figure becomes one
Markdown image whose caption is the figcaption (the converter then gives it a `/// caption`),
and `<details>` becomes a `::: spoiler` fenced div with the summary as its `## title` (the
converter makes that a collapsed details block). A `<script>` or `<style>` block over several
lines (a platform switcher's JavaScript) is left out whole: the site runs no lesson scripts, and
its lines would otherwise show as text or swallow the page; event handlers and script links of the
rest are removed (rawclean.py). Each change is reported with its line.
"""

from __future__ import annotations

import re

from tracksite.commands.importers.pipeline import rawclean
from tracksite.htmlscan import tag_attributes

WRAPPERS = "div|p|center|section|article|aside|main|header|footer|span"
_WRAPPER = re.compile(rf"</?\s*(?:{WRAPPERS})\b[^>]*>", re.I)
_WRAPPER_OPEN = re.compile(rf"<\s*(?P<name>{WRAPPERS})\b(?P<attrs>[^>]*)>", re.I)
_FENCE = re.compile(r"^\s*(?:(?:[-*+]|\d+[.)])\s+)?(`{3,}(?=[^`]*$)|~{3,})")
_FIGURE_OPEN = re.compile(r"<\s*figure\b[^>]*>", re.I)
_FIGURE_CLOSE = re.compile(r"</\s*figure\s*>", re.I)
_IMG = re.compile(r"<\s*img\b(?P<attrs>[^>]*?)/?>", re.I)
_MD_IMAGE = re.compile(r"!\[(?P<alt>(?:[^\[\]]|\[[^\]]*\])*)\]\((?P<src>[^)\s]+)[^)]*\)(?P<attrs>\{[^}]*\})?")
_CAPTION = re.compile(r"<\s*figcaption\b[^>]*>(?P<text>.*?)</\s*figcaption\s*>", re.I | re.S)
_DETAILS_OPEN = re.compile(r"<\s*details\b[^>]*>", re.I)
_DETAILS_CLOSE = re.compile(r"</\s*details\s*>", re.I)
_SUMMARY = re.compile(r"<\s*summary\b[^>]*>(?P<text>.*?)</\s*summary\s*>", re.I | re.S)
_CODE_SPAN = re.compile(r"`+[^`]*`+")
_RAW_OPEN = re.compile(r"^\s*<\s*(?P<name>script|style)\b[^>]*>", re.I)
RAW_BLOCK_LINES = 400  # a `<script>` left open longer than this is not a block: only its tag goes


def unwrap(
    lines: list[str], first_line: int, given: list[int] | None = None
) -> tuple[list[str], list[int], list[tuple[int, str]]]:
    """The lines with wrappers dropped or translated, each line's source number, and the notes
    (source line, message). A `<details>` line may become several lines, hence the numbers;
    `given`: each line's source number, where earlier steps added lines."""
    given = given or list(range(first_line, first_line + len(lines)))
    out: list[str] = []
    numbers: list[int] = []
    notes: list[tuple[int, str]] = []
    fence = ""
    i = 0
    while i < len(lines):
        line, number = lines[i], given[i]
        m = _FENCE.match(line)
        if fence or m:
            if fence and m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = ""
            elif not fence and m:
                fence = m.group(1)
            out.append(line)
            numbers.append(number)
            i += 1
            continue
        line, made_inert = rawclean.sanitize(line)
        notes.extend((number, message) for message in made_inert)
        raw = _RAW_OPEN.match(line)
        end = _raw_end(lines, i, raw["name"]) if raw else None
        if raw and end is not None:
            notes.append(
                (
                    number,
                    f"a <{raw['name'].lower()}> block ({end - i + 1} lines) was left out: the site runs no lesson scripts",
                )
            )
            out.extend([""] * (end - i + 1))
            numbers.extend(given[i : end + 1])
            i = end + 1
            continue
        figure = _figure_at(lines, i, line)
        if figure is not None:
            end, image = figure
            notes.append((number, "an HTML <figure> became a Markdown image with its caption"))
            out.extend([image, *[""] * (end - i)])
            numbers.extend(given[i : end + 1])
            i = end + 1
            continue
        summary = _SUMMARY.fullmatch(line.strip())
        if summary and out and _awaits_title(out):  # `<summary>` on its own line after `<details>`
            out.append("## " + " ".join(re.sub(r"<[^>]+>", "", summary["text"]).split()))
            numbers.append(number)
            i += 1
            continue
        for text in _details(line, number, notes):
            out.append(text)
            numbers.append(number)
        i += 1
    return out, numbers, notes


def _figure_at(lines: list[str], i: int, line: str) -> tuple[int, str] | None:
    """An HTML `<figure>` that opens on line `i` (`line`, as cleaned; not inside a code span)
    and closes within 40 lines, as one Markdown image with its caption: (its last line, the
    image); None for anything else."""
    if not _FIGURE_OPEN.search(_CODE_SPAN.sub("", line)):
        return None
    end = next((j for j in range(i, len(lines)) if _FIGURE_CLOSE.search(lines[j])), None)
    if end is None or end - i >= 40:
        return None
    image = _figure("\n".join(lines[i : end + 1]))
    return None if image is None else (end, image)


def _raw_end(lines: list[str], i: int, name: str) -> int | None:
    """The line that closes the `<script>`/`<style>` opened on line `i`, if it closes soon."""
    close = re.compile(rf"</\s*{name}\s*>", re.I)
    return next((j for j in range(i, min(len(lines), i + RAW_BLOCK_LINES)) if close.search(lines[j])), None)


def _awaits_title(out: list[str]) -> bool:
    """Whether the last line written, blank lines aside, opened a spoiler without a title."""
    last = next((line for line in reversed(out) if line.strip()), "")
    return last == "::: spoiler"


def _details(line: str, number: int, notes: list[tuple[int, str]]) -> list[str]:
    """One line, its `<details>`/`<summary>` translated and its layout wrappers dropped."""
    if _CODE_SPAN.search(line) and not re.search(
        r"<\s*/?\s*(?:details|summary|" + WRAPPERS + r")\b", _CODE_SPAN.sub("", line), re.I
    ):
        return [line]
    out: list[str] = []
    rest = line
    dropped = [_describe(m) for m in _WRAPPER_OPEN.finditer(_CODE_SPAN.sub("", rest))]
    if dropped or _WRAPPER.search(_CODE_SPAN.sub("", rest)):
        rest = _strip_wrappers(rest)
        if dropped:
            notes.append((number, f"HTML wrapper {', '.join(dropped)} dropped; the Markdown inside it is kept"))
        if not rest.strip():
            return [""]
        rest = rest.strip()
    while True:
        opened, closed = _DETAILS_OPEN.search(rest), _DETAILS_CLOSE.search(rest)
        if opened and (not closed or opened.start() < closed.start()):
            before, rest = rest[: opened.start()], rest[opened.end() :]
            out.extend([before.strip(), ""] if before.strip() else [])
            summary = _SUMMARY.search(rest)
            title = ""
            if summary and not rest[: summary.start()].strip():
                title = " ".join(re.sub(r"<[^>]+>", "", summary["text"]).split())
                rest = rest[summary.end() :]
            out.extend(["", "::: spoiler", ""] + ([f"## {title}", ""] if title else []))
            notes.append((number, "an HTML <details> block became a collapsed details block"))
            continue
        if closed:
            before, rest = rest[: closed.start()], rest[closed.end() :]
            out.extend([before.strip(), "", ":::", ""] if before.strip() else ["", ":::", ""])
            continue
        break
    if rest.strip() or not out:
        out.append(rest)
    return out


def _strip_wrappers(line: str) -> str:
    """The line without layout tags outside its code spans."""
    parts = re.split(r"(`+[^`]*`+)", line)
    for k in range(0, len(parts), 2):
        parts[k] = _WRAPPER.sub("", parts[k])
    return "".join(parts)


def _describe(m: re.Match) -> str:
    attrs = tag_attributes(m.group("attrs"))
    cls = f' class="{attrs["class"]}"' if attrs.get("class") else ""
    return f"<{m.group('name').lower()}{cls}>"


_LINK_IN_CAPTION = re.compile(r"(\[[^\[\]]*\]\([^()\s]+\))")
_HTML_LINK = re.compile(r"<a\s[^>]*?href\s*=\s*[\"'](?P<href>[^\"']+)[\"'][^>]*>(?P<text>.*?)</a\s*>", re.I | re.S)


def _html_links(text: str) -> str:
    """`<a href="u">credit</a>` in a caption as `[credit](u)`, kept when the tags go."""
    return _HTML_LINK.sub(lambda m: f"[{re.sub(r'<[^>]+>', '', m['text']).strip()}]({m['href']})", text)


def _figure(block: str) -> str | None:
    """A `<figure>` block as one Workbench-style Markdown image, or None if it holds no image."""
    caption = _CAPTION.search(block)
    text = " ".join(re.sub(r"<[^>]+>", "", _html_links(caption["text"])).split()) if caption else ""
    # a caption's links (a photo credit) stay links; any other bracket would end the image's text
    text = "".join(
        part if _LINK_IN_CAPTION.fullmatch(part) else part.replace("[", "(").replace("]", ")")
        for part in _LINK_IN_CAPTION.split(text)
    )
    img = _IMG.search(block)
    if img:
        attrs = tag_attributes(img.group("attrs"))
        if not attrs.get("src"):
            return None
        alt = attrs.get("alt", "").replace("'", "\u2019")
        size = " ".join(f'{k}="{attrs[k]}"' for k in ("width", "height") if attrs.get(k))
        return f"![{text}]({attrs['src']}){{alt='{alt}'" + (f" {size}" if size else "") + "}"
    md = _MD_IMAGE.search(block)
    if md is None:
        return None
    alt = md["alt"] if not md["attrs"] else ""
    given = md["attrs"] or ("{alt='" + alt.replace("'", "\u2019") + "'}" if alt else "")
    return f"![{text or alt}]({md['src']}){given}"
