"""Carpentries episode Markdown (pandoc fenced divs) to tracksite Markdown (pymdownx blocks).

The Workbench writes structure as `::: challenge` / `::: solution` fenced divs, image attributes
as `{alt='...'}` and code output as ```` ```output ```` fences. tracksite writes the same ideas as
`//// exercise` / `/// solution` blocks, alt text in the brackets with a `/// caption`, and keeps
the output fences (the theme styles them apart from input). Everything without an equivalent is
reported with its line, never dropped silently: an instructor porting a lesson must be able to
see what changed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from markdown.extensions.toc import slugify as toc_slugify

from tracksite.commands.importers.carpentries import htmltables, htmlwrap, links, pandoc, tabs
from tracksite.commands.importers.carpentries.converted import Context, Episode, Note
from tracksite.commands.importers.carpentries.linerewrites import (
    EMPTY_ITEM,
    FENCE,
    ITEM_FENCE,
    ITEM_START,
    PRE_OPEN,
    grid_tables,
    has_title_heading,
    in_list,
    in_pre,
    list_indents,
)
from tracksite.commands.importers.carpentries.links import IMAGE, LINK
from tracksite.commands.importers.pipeline import counting
from tracksite.core import messages

# `::: x`, `::: {.x}`, `::: {#id .x .y}`, `::: x :::`
DIV_OPEN = re.compile(r"^\s*(:{3,})\s*(?:\{(?P<attrs>[^}]*)\}|(?P<name>[A-Za-z][\w-]*))\s*:*\s*$")
DIV_CLOSE = re.compile(r"^\s*:{3,}\s*$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
SPAN = re.compile(r"(?<![!\]])\[(?P<text>[^\]]+)\]\{(?P<attrs>[^}]*)\}")
CODE_SPAN = re.compile(r"(`+[^`]*?`+)")
TERM_ANCHOR = re.compile(r"^\[(?P<text>[^\]]+)\]\{#(?P<id>[\w-]+)\}\s*$")
# `[[**field**]{#field}](https://glosario...)`: a term with an id, linked (the glossary template's form)
LINKED_ID = re.compile(r"\[\[(?P<text>[^\[\]]+)\]\{\s*#(?P<id>[\w-]+)\s*\}\]\((?P<target>[^)\s]+)\)")
LIQUID = re.compile(r"\{\{[^{}]*\}\}|\{%[^%]*%\}")  # Jekyll's `{{ site.x }}` and `{% include x %}`
# `[text]({{ base.url }}/03-crs)`, `[ref]: {{ page.root }}/fig/x.png`: Jekyll's lesson root before a path
LIQUID_ROOT = re.compile(r"(?P<lead>\]\(\s*|^\s{0,3}\[[^\]]+\]:\s*)\{\{[^{}]*\}\}/?")
KNITR_CHUNK = re.compile(r"^(\s*)(`{3,})\s*\{\s*([A-Za-z][\w]*)[^}]*\}\s*$")  # ```{r, echo=TRUE}

# Fenced-div kinds and the block each one becomes. Admonition types must be ones mkdocs.yml lists.
CALLOUTS = {
    "callout": "note",
    "discussion": "question",
    "checklist": "tip",
    "prereq": "info",
    "caution": "warning",
    "testimonial": "note",
    "hint": "tip",
    "spoiler": "details",
}
# A challenge title that only names the kind of block (the site numbers exercises itself)
# ("Exercise", "Challenge 2", "Ejercicio 1", "Desafío", "Exercice", "Übung 3"), in the languages lessons come in
GENERIC_TITLE = re.compile(
    r"^\W*(?:exercise|challenge|task|question|problem|activity|practice"
    r"|ejercicio|desaf[ií]o|reto|pregunta|problema|actividad|pr[aá]ctica|tarea"
    r"|exercice|d[ée]fi|probl[èe]me|activit[ée]|exerc[ií]cio|desafio|atividade|pergunta"
    r"|[üu]bung|aufgabe|frage)(?:s|es|n|en)?(?:\s+(?:n[º°o.]\s*)?\d+[a-z]?)?\W*$",
    re.I,
)
FIELD_DIVS = ("questions", "objectives", "keypoints")


class Line(str):
    """A source line that remembers its line number, so notes can point at it."""

    no: int = 0


def _line(text: str, number: int) -> Line:
    line = Line(text)
    line.no = number
    return line


@dataclass
class Div:
    kind: str
    line: int
    children: list = field(default_factory=list)  # str lines and nested Divs


def parse_divs(lines: list[str], first_line: int, notes: list[Note], numbers: list[int] | None = None) -> list:
    """Nest the lines into fenced divs; code fences are opaque (a `:::` inside code is code).
    `numbers`: each line's number in the source, where the lines are not the source's one for one."""
    root = Div("root", first_line)
    stack = [root]
    fence: str | None = None
    for number, text in zip(numbers or range(first_line, first_line + len(lines)), lines, strict=True):
        line = _line(text, number)
        m = FENCE.match(line)
        if fence is not None:
            if (
                m
                and m.group(2)[0] == fence[0]
                and len(m.group(2)) >= len(fence)
                and not line.strip()[len(m.group(2)) :].strip()
            ):
                fence = None
            stack[-1].children.append(line)
            continue
        if m:
            fence = m.group(2)
        elif DIV_CLOSE.match(line) and len(stack) > 1:
            stack.pop()
            continue
        elif (o := DIV_OPEN.match(line)) and (div_kind_name := div_kind(o)):
            div = Div(div_kind_name, number)
            stack[-1].children.append(div)
            stack.append(div)
            continue
        stack[-1].children.append(line)
    for open_div in stack[1:]:
        notes.append(Note(open_div.line, f"`::: {open_div.kind}` is never closed; closed at the end of the file", True))
    return root.children


def div_kind(m: re.Match) -> str | None:
    """The div's kind: its name, or the first `.class` of its attributes."""
    if m["name"]:
        return m["name"].lower()
    cls = re.search(r"(?:^|\s)\.([A-Za-z][\w-]*)", m["attrs"] or "")
    return cls.group(1).lower() if cls else None


def list_items(children: list) -> list[str]:
    """The items of a questions/objectives/keypoints div's list, continuation lines joined: a
    bullet or numbered item indented up to three spaces, as Pandoc reads one; a nested item's text
    joins its parent's, as the source's count reads it (counting.list_item). Before, a nested
    item became a question of its own and a numbered list gave none."""
    items: list[str] = []
    column = 0  # the first item's text column: a marker at or right of it is nested
    for line in children:
        if isinstance(line, Div):
            continue
        m = counting.list_item(line)
        if m and (not items or m[0] < column):
            column = column or m[1]
            items.append(line[m[1] :].strip())
        elif line.strip() and items:
            items[-1] += " " + line.strip()
    return [re.sub(r"\s+", " ", i) for i in items if i]


def depth(node) -> int:
    """How many blocks nest inside this one: the outer block needs that many more slashes. A line
    with a captioned figure counts as one block, since its caption becomes a `/// caption`."""
    if isinstance(node, str):
        return int(links.has_caption(node))
    if not isinstance(node, Div):
        return 0
    return 1 + max((depth(c) for c in node.children), default=0)


def convert(text: str, first_line: int, ctx: Context) -> Episode:
    """Convert an episode body (front-matter already removed) starting at `first_line`."""
    notes: list[Note] = []
    jekyll, blocks = pandoc.quoted_blocks(text.splitlines())
    if blocks:
        notes.append(Note(first_line, f"{blocks} block quote(s) marked Jekyll's way (`{{: .x}}`) became their blocks"))
    lines, indexes, found = pandoc.kramdown_lines(jekyll)
    notes.extend(Note(first_line + i, message, False, counts) for i, message, counts in found)
    numbers = [first_line + i for i in indexes]
    lines = grid_tables(lines, numbers, notes)
    lines, quoted = pandoc.quoted_divs(lines)
    lines, org = pandoc.org_table_rules(lines)
    if org:
        notes.append(Note(first_line, f"{org} table rule(s) written `|---+---|` (Org's way) now use `|`"))
    if quoted:
        notes.append(
            Note(first_line, f"{quoted} block quote(s) holding a fenced div: the quote marks went, the block stays")
        )
    lines = list_indents(lines)
    lines, numbers, unwrapped = htmlwrap.unwrap(lines, first_line, numbers)
    lines, numbers, tabled = htmltables.rewrite(lines, numbers)
    unwrapped += tabled
    lines, numbers = pandoc.join_images(lines, numbers)
    notes.extend(Note(n, message) for n, message in unwrapped)
    tree = parse_divs(lines, first_line, notes, numbers)
    ep = Episode(body="", notes=notes)
    ctx.demote = has_title_heading(tree)
    if ctx.demote:
        notes.append(
            Note(
                first_line,
                "the episode uses `# ` headings; every heading moved one level down "
                "(the page title comes from `title:`)",
            )
        )
    out = _render(tree, ep, ctx, nested=False)
    body = "\n".join(pandoc.separate_blocks("\n".join(out).split("\n")))
    body += links.shared_definitions(body, ep, ctx)
    ep.body = re.sub(r"\n{3,}", "\n\n", body).strip() + "\n"
    return ep


def _render(children: list, ep: Episode, ctx: Context, *, nested: bool, line: int = 0) -> list[str]:
    out: list[str] = []
    fence: str | None = None
    pad, pre = "", False
    for child in children:
        if isinstance(child, Div):
            out.extend(_render_div(child, ep, ctx))
            continue
        if fence is None and (pre or PRE_OPEN.match(child)):
            # a `#` starting a line there is shown as it is; written `&#35;`, no check reads a title in it
            out.append(_pandoc_line(re.sub(r"^(\s*)#", r"\1&#35;", child) if pre else child, ep, ctx))
            pre = in_pre(child, pre)
            continue
        m = FENCE.match(child)
        if fence is None and ITEM_START.match(child) and out and out[-1][:1] == " " and out[-1].strip():
            out.append("")  # an item after the last one's indented text: Python-Markdown would take it in
        opener = ITEM_FENCE.match(child) if fence is None else None
        if opener:  # `1. ```bash`, which Python-Markdown reads as inline code: the item, then its code
            fence, pad = FENCE.match(child).group(2), ""  # type: ignore[union-attr]  # ITEM_FENCE matched
            out.extend(
                [f"{opener['marker']} &#8203;", "", "    " + _knitr_chunk(_line(opener["fence"], child.no), ep, ctx)]
            )
            continue
        if fence is not None or m:
            if fence is None:
                assert m is not None  # no open fence, so this line opened one
                fence = m.group(2)
                # A fence indented 1-3 spaces under a list item (GitHub's way) would end the list in
                # Python-Markdown, which wants 4: move the whole block to 4. Outside a list, 4 spaces
                # would make the fence the text of an indented code block: it stays where it is.
                indent = len(m.group(1).expandtabs(4))
                pad = " " * (4 - indent) if 0 < indent < 4 and in_list(out) else ""
                child = _knitr_chunk(child, ep, ctx)  # (R's `warning` fences stay: the theme labels them)
            elif m and m.group(2)[0] == fence[0] and len(m.group(2)) >= len(fence):
                fence = None
            out.append(pad + child if child.strip() else child)
            continue
        empty = EMPTY_ITEM.match(child)
        if empty:  # `3. ` with the item's code on the next lines: Python-Markdown wants text first
            out.extend([f"{empty['marker']} &#8203;", ""])
            continue
        h = HEADING.match(child)
        ctx.line = getattr(child, "no", 0)
        if h and not _attributes(h.group(2))[0]:
            continue  # `##` with no text: no heading to show (Python-Markdown would make an empty one)
        if h:  # inside a block too: a heading there stays one (the site leaves it out of the contents)
            child = "#" * min(len(h.group(1)) + int(ctx.demote), 6) + " " + _heading_with_id(h.group(2), ctx)
        out.append(_rewrite_inline(_pandoc_line(child, ep, ctx), ep, ctx))
    return out


def _pandoc_line(line: str, ep: Episode, ctx: Context) -> str:
    if pandoc.inline_r(line) and "inline-r" not in ctx.said:
        ctx.said.add("inline-r")
        ep.notes.append(Note(ctx.line, "inline R code (`r ...`) is shown as code and not run"))
    return pandoc.rewrite_html(line, lambda message, counts: ep.notes.append(Note(ctx.line, message, False, counts)))


def _knitr_chunk(line: str, ep: Episode, ctx: Context) -> str:
    """```{r, echo=TRUE} (R Markdown) becomes ```r: shown as code, never run."""
    m = KNITR_CHUNK.match(line)
    if not m:
        return line
    if "knitr" not in ctx.said:
        ctx.said.add("knitr")
        ep.notes.append(
            Note(
                getattr(line, "no", ctx.line),
                "R Markdown code chunks are shown as code and not run: their output is not in the imported lesson",
            )
        )
    return f"{m.group(1)}{m.group(2)}{m.group(3).lower()}"


def _render_div(div: Div, ep: Episode, ctx: Context) -> list[str]:
    if div.kind in FIELD_DIVS:
        getattr(ep, div.kind).extend(list_items(div.children))
        return []
    if div.kind == "instructor":
        return _instructor(div, ep, ctx)
    if div.kind == "challenge":
        return _render_challenge(div, ep, ctx)
    if div.kind == "solution" and not ctx.in_exercise:
        where = "inside another solution" if ctx.in_solution else "outside any challenge"
        ep.notes.append(Note(div.line, f"a solution {where} became a collapsed `/// details | Solution`"))
        _, rest = _title(div.children, only=pandoc.SOLUTION_WORDS)  # its `## Solution` is the block's title already
        return _block(Div(div.kind, div.line, rest), "details", "Solution", ep, ctx, label=True)
    if div.kind == "solution":
        ctx.in_exercise, ctx.in_solution = False, True  # a solution in a solution: a collapsed details block
        try:
            return _block(div, "solution", None, ep, ctx)
        finally:
            ctx.in_exercise, ctx.in_solution = True, False
    if div.kind in tabs.KINDS and (
        drawn := tabs.render(div, ep, depth(div), lambda c: _render(c, ep, ctx, nested=True))
    ):
        return drawn
    kind = CALLOUTS.get(div.kind)
    # each kind keeps its own name, in the lesson's language: a hint reads "Hint" (in Spanish "Pista")
    label: str | None = messages.catalogue(ctx.lang or "en").text(f"impKind{div.kind.capitalize()}")
    if kind is None:
        ep.notes.append(Note(div.line, f"`::: {div.kind}` has no tracksite equivalent; kept as a note"))
        kind, label = "note", None
    title, rest = _title(div.children)
    return _block(Div(div.kind, div.line, rest), kind, title or label, ep, ctx, label=title is None)


def _instructor(div: Div, ep: Episode, ctx: Context) -> list[str]:
    """An instructor note, rendered once (for its block and the leak probes); its changes are
    reported but count on no learner page: neither the source's count nor the page holds it."""
    first = len(ep.notes)
    rendered = _render(div.children, ep, ctx, nested=True)
    for note in ep.notes[first:]:
        note.counts = None
    ep.instructor.append("\n".join(rendered).strip())
    slashes = "/" * (2 + depth(div))
    return ["", f"{slashes} instructor", *rendered, slashes, ""]


def _block(div: Div, name: str, title: str | None, ep: Episode, ctx: Context, *, label: bool = False) -> list[str]:
    """`label`: the title is the block's kind in words, not a heading of the source (no anchor)."""
    slashes = "/" * (2 + depth(div))
    title, anchor = (title, []) if label else _anchor(title, ctx)
    head = f"{slashes} {name}" + (f" | {title}" if title else "")
    if name == "solution":
        _, rest = _title(div.children, only=pandoc.SOLUTION_WORDS)
        div = Div(div.kind, div.line, rest)
    return ["", *anchor, head, *_render(div.children, ep, ctx, nested=True), slashes, ""]


HEADING_ATTRS = re.compile(r"\s*\{(?P<attrs>[^{}]*)\}\s*$")
_WRITTEN_ID = re.compile(r"(?:^|\s)#(?P<id>[^\s}]+)")


def _attributes(text: str) -> tuple[str, str, str | None]:
    """A heading's text without Pandoc's trailing `{#id .class}`, those attributes, and the id."""
    attrs = HEADING_ATTRS.search(text)
    if attrs is None:
        return text, "", None
    written = _WRITTEN_ID.search(attrs["attrs"])
    return text[: attrs.start()].strip(), attrs["attrs"].strip(), written["id"] if written else None


def _heading_with_id(text: str, ctx: Context) -> str:
    """A heading's text with `{ #id }` where the id Pandoc gives it (numbered `-1`, `-2` when
    the page repeats it) is not the one Python-Markdown's `toc` would make: links written for
    the Workbench site (`#salida-estándar-1`, `#networks---proxy-needed`) then reach it."""
    plain, attrs, written = _attributes(text)
    if written:
        ctx.block_ids.add(written)
        return text  # attr_list gives it the id written
    base = pandoc.heading_id(plain)
    anchor, n = base, 0
    while anchor in ctx.block_ids:
        n += 1
        anchor = f"{base}-{n}"
    ctx.block_ids.add(anchor)
    if n == 0 and anchor == toc_slugify(re.sub(r"[*_`]|!?\[([^\]]*)\]\([^)]*\)", r"\1", plain), "-"):
        return text
    return f"{plain} {{ #{anchor} {attrs} }}" if attrs else f"{plain} {{ #{anchor} }}"


def _anchor(title: str | None, ctx: Context) -> tuple[str | None, list[str]]:
    """The block's title without Pandoc's `{#id .class}`, and an anchor line with the id Pandoc
    gives the title's heading (the one written, else its auto identifier): links to it
    (`#dependencies`, `episode.md#exercise-new-solution-requirements`) keep working, as on the
    Workbench site, where the heading keeps its id inside the call-out."""
    if not title:
        return title, []
    plain, _, written = _attributes(title)
    title = plain or None
    anchor = written or pandoc.heading_id(title or "")
    if not title and not written or anchor in ctx.block_ids:
        return title, []
    ctx.block_ids.add(anchor)
    return title, [f'<div id="{html.escape(anchor)}"></div>', ""]


def _title(children: list, only: tuple[str, ...] = ()) -> tuple[str | None, list]:
    """The first `## heading` of a div is its title (unless it is only the word `only`)."""
    for i, child in enumerate(children):
        if isinstance(child, Div):
            return None, children
        if not child.strip():
            continue
        h = HEADING.match(child)
        if h:
            text = h.group(2).strip()
            if only:
                plain = text.lower().strip(" :-")
                return None, (children[:i] + children[i + 1 :] if plain in only else children)
            return text, children[:i] + children[i + 1 :]
        return None, children
    return None, children


def _render_challenge(div: Div, ep: Episode, ctx: Context) -> list[str]:
    """A challenge becomes one exercise per `## title` it holds, each with its solutions."""
    parts: list[list] = [[]]
    seen_solution = False
    for child in div.children:
        if isinstance(child, Div):
            seen_solution = seen_solution or child.kind == "solution"
        elif seen_solution and HEADING.match(child):
            parts.append([])
            seen_solution = False
        parts[-1].append(child)
    out: list[str] = []
    outer, ctx.in_exercise = ctx.in_exercise, True
    for part in parts:
        title, rest = _title(part)
        if title is None and not any(isinstance(c, str) and c.strip() for c in rest):
            out.extend(_empty_challenge(Div("challenge", div.line, rest), ep, ctx))
            continue
        if title is None:
            ep.notes.append(Note(div.line, "a challenge without a `## title`; shown as a numbered exercise"))
        if title is not None and not any(isinstance(c, str) and c.strip() for c in rest):
            # the question is the title (`## What does X match?` then the solution): it is the task
            ep.notes.append(Note(div.line, "a challenge whose title is its only text: the title is the task"))
            rest = [_line(title, div.line), _line("", div.line), *rest]
            title = None
        if title is not None and GENERIC_TITLE.match(title):
            title = None  # "Exercise 2: Exercise" says nothing the number does not
        out.extend(_block(Div("challenge", div.line, rest), "exercise", title, ep, ctx))
    ctx.in_exercise = outer
    return out


def _empty_challenge(div: Div, ep: Episode, ctx: Context) -> list[str]:
    """A challenge with no task at all (upstream left it empty, or wrote only its solution): no
    exercise without a task is published; its solutions stay, as collapsed details blocks."""
    solutions = sum(isinstance(c, Div) and c.kind == "solution" for c in div.children)
    kept = f"; its {solutions} solution(s) stay as collapsed details blocks" if solutions else ""
    ep.notes.append(
        Note(div.line, f"a challenge with no task text in the source was left out{kept}", False, {"exercises": -1})
    )
    outer, ctx.in_exercise = ctx.in_exercise, False
    try:
        return _render(div.children, ep, ctx, nested=True)
    finally:
        ctx.in_exercise = outer


def _rewrite_inline(line: str, ep: Episode, ctx: Context) -> str:
    term = TERM_ANCHOR.match(line)
    if term:  # a glossary term with an anchor: attr_list puts the id on the <dt>
        return f"{term.group('text')} {{ #{term.group('id')} }}"
    linked = LINKED_ID.fullmatch(line.strip())
    if linked:  # the same, its term a link: the id on the <dt>, the link kept
        link = _rewrite_inline(f"[{linked['text']}]({linked['target']})", ep, ctx)
        return f"{link} {{ #{linked['id']} }}"
    # elsewhere the id goes on the link (attr_list's inline form), not lost with the span
    line = _outside_code(LINKED_ID, line, lambda m: f"[{m['text']}]({m['target']}){{: #{m['id']} }}")
    line = pandoc.smart_dashes(line)
    line = _outside_code(LIQUID_ROOT, line, lambda m: _liquid_root(m, ep, ctx))
    line = _outside_code(LIQUID, line, lambda m: _liquid(m, ep, ctx))
    if pandoc.DEFINITION.match(line):
        return links.definition_line(line, ep, ctx)
    line = _outside_code(SPAN, line, lambda m: _span(m, ep, ctx))
    line = _outside_code(IMAGE, line, lambda m: links.image(m, ep, ctx))
    line = _outside_code(links.SPACED_ANCHOR, line, links.spaced_anchor)
    return _outside_code(LINK, line, lambda m: links.link(m, ep, ctx))


def _outside_code(pattern: re.Pattern, line: str, rewrite) -> str:
    """`pattern.sub(rewrite, line)` for the matches that start outside a code span: a code span
    shows Markdown as typed (`![logo](x.svg)` stays text), while a link's text may hold one."""
    spans = [m.span() for m in CODE_SPAN.finditer(line)]
    return pattern.sub(lambda m: m.group(0) if any(a <= m.start() < b for a, b in spans) else rewrite(m), line)


def _liquid(m: re.Match, ep: Episode, ctx: Context) -> str:
    """A Jekyll Liquid tag (`{{ page.maintainers | join: ', ' }}`, `{% include x.md %}`): nothing
    renders it any more (the Workbench printed it as typed), so it goes, with a note."""
    ep.notes.append(Note(ctx.line, f"Liquid (Jekyll) `{m.group(0)}` removed: nothing fills it in outside Jekyll"))
    return ""


def _liquid_root(m: re.Match, ep: Episode, ctx: Context) -> str:
    """Jekyll's lesson root before a link's path (`{{ base.url }}/03-crs`): the path is the
    lesson's own, resolved like any relative one (else `/03-crs` would leave the site)."""
    ep.notes.append(Note(ctx.line, f"Liquid lesson root `{m.group(0)[len(m['lead']) :]}` removed from a link's path"))
    return m["lead"].rstrip() if m["lead"].startswith("]") else m["lead"]


def _span(m: re.Match, ep: Episode, ctx: Context) -> str:
    ep.notes.append(Note(ctx.line, f"pandoc span [{m.group('text')}]{{{m.group('attrs')}}} kept as plain text"))
    return m.group("text")
