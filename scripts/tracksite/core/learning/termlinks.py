"""The first use of each glossary term on a page becomes a term link with a tooltip.

Works on the rendered HTML of a page's content, so the Markdown stays as the instructor wrote
it. The tooltip is real markup tied to the link with `aria-describedby` (not a `title=`, which
touch and screen-reader users miss); CSS shows it on hover and keyboard focus, and a few lines
of script add touch (first tap shows, second follows) and Escape. Text inside code, links,
headings, buttons, math, SVG and widget chrome is never touched. Only the terms used on a page
are written into it, so page size does not grow with the course.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from html import escape

from tracksite.core.model.glossary import Glossary, Term
from tracksite.core.widgetregistry import NO_TERM_LINKS

_TOKEN = re.compile(r"(<!--.*?-->|<[^>]*>)", re.S)
_TAG = re.compile(r"<(/?)([a-zA-Z][\w:-]*)([^>]*?)(/?)>", re.S)
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SKIP_TAGS = {
    "a",
    "code",
    "pre",
    "kbd",
    "samp",
    "script",
    "style",
    "svg",
    "math",
    "button",
    "textarea",
    "select",
    "label",
    "summary",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "abbr",
    "figcaption",
}
# Widgets whose text is not prose (core/widgetregistry.py), our own term links, heading anchors,
# a widget's error box and math.
_SKIP_CLASS = re.compile(
    r"""class\s*=\s*["'][^"']*\b("""
    + "|".join(map(re.escape, (*NO_TERM_LINKS, "ts-term", "headerlink", "ts-widget-error", "arithmatex")))
    + r""")\b"""
)


def mark_first_uses(
    html: str, glossary: Glossary, track: str, href: Callable[[Term], str], id_prefix: str = "ts-term"
) -> tuple[str, list[Term]]:
    """Wrap the first prose use of each of `track`'s terms; returns the new HTML and the terms used."""
    pattern, by_form = glossary.matcher(track)
    if pattern is None:
        return html, []
    used: list[Term] = []
    stack: list[bool] = []  # one entry per open element: does it (or an ancestor) forbid marking?
    tokens = _TOKEN.split(html)  # each piece of text replaced by its marked text, in place
    every = len({id(t) for t in by_form.values()})
    replace = _replacer(by_form, used, href, id_prefix)
    for n, token in enumerate(tokens):
        if token.startswith("<"):
            action = _action(token)
            if action == _POP:
                if stack:
                    stack.pop()
            elif action:
                stack.append(action == _PUSH_SKIP or (stack[-1] if stack else False))
        elif token and not (stack and stack[-1]):
            tokens[n] = pattern.sub(replace, token)
            if len(used) == every:  # each term has its link: the rest of the page stays as it is
                break
    return "".join(tokens), used


#: What a tag does to the stack of open elements (`_action`), by the tag's text: a page repeats
#: most of its tags (`<p>`, `</li>`, a code block's `<span class="n">`), and reading each again
#: was half of the pass. The last `_ACTIONS_KEPT` tags' are remembered (a pure function's cache).
_ACTIONS_KEPT = 4096
_POP, _PUSH, _PUSH_SKIP = 1, 2, 3


@functools.lru_cache(maxsize=_ACTIONS_KEPT)
def _action(token: str) -> int:
    """0 for a comment, a void or self-closing element's tag; `_POP` for an end tag; `_PUSH_SKIP`
    for an element whose text is never marked (and everything inside it), else `_PUSH`."""
    m = _TAG.match(token)
    action = 0
    if m is not None and not token.startswith("<!"):
        closing, name, attrs, self_closing = m.group(1), m.group(2).lower(), m.group(3), m.group(4)
        if closing:
            action = _POP
        elif name not in _VOID and not self_closing:
            action = _PUSH_SKIP if name in _SKIP_TAGS or _SKIP_CLASS.search(attrs) else _PUSH
    return action


def _replacer(
    by_form: dict[str, Term], used: list[Term], href: Callable[[Term], str], id_prefix: str
) -> Callable[[re.Match[str]], str]:
    """What a use of a term becomes: its link and tooltip the first time, else itself. Made once a
    page (not once a piece of text); a term already linked is known by its identity first, since
    comparing it with each linked term (`used`) was a quarter of the links' time."""
    linked: set[int] = set()

    def replace(m: re.Match[str]) -> str:
        term = by_form[m.group(1).lower()]
        if id(term) in linked:
            return m.group(0)
        linked.add(id(term))
        if term in used:  # (a term equal to one already linked)
            return m.group(0)
        used.append(term)
        tip_id = f"{id_prefix}-{len(used)}"
        return (
            f'<span class="ts-term"><a class="ts-term__link" href="{escape(href(term))}" '
            f'aria-describedby="{tip_id}">{m.group(0)}</a>'
            f'<span class="ts-term__tip" role="tooltip" id="{tip_id}"><strong>{escape(term.term)}</strong>: '
            f"{escape(term.definition)}</span></span>"
        )

    return replace
