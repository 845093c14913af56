"""The first use of each glossary term on a page becomes a term link with a tooltip.

Works on the rendered HTML of a page's content, so the Markdown stays as the instructor wrote
it. The tooltip is real markup tied to the link with `aria-describedby` (not a `title=`, which
touch and screen-reader users miss); CSS shows it on hover and keyboard focus, and a few lines
of script add touch (first tap shows, second follows) and Escape. Text inside code, links,
headings, buttons, math, SVG and widget chrome is never touched. Only the terms used on a page
are written into it, so page size does not grow with the course.
"""

from __future__ import annotations

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
    out: list[str] = []
    tokens = _TOKEN.split(html)
    every = len({id(t) for t in by_form.values()})
    for n, token in enumerate(tokens):
        if token.startswith("<"):
            out.append(token)
            _track(token, stack)
        elif not token or (stack and stack[-1]):
            out.append(token)
        else:
            out.append(_mark_text(token, pattern, by_form, used, href, id_prefix))
            if len(used) == every:  # each term has its link: the rest of the page stays as it is
                out.extend(tokens[n + 1 :])
                break
    return "".join(out), used


def _track(token: str, stack: list[bool]) -> None:
    m = _TAG.match(token)
    if m is None or token.startswith("<!"):
        return
    closing, name, attrs, self_closing = m.group(1), m.group(2).lower(), m.group(3), m.group(4)
    if closing:
        if stack:
            stack.pop()
        return
    if name in _VOID or self_closing:
        return
    parent = stack[-1] if stack else False
    stack.append(parent or name in _SKIP_TAGS or bool(_SKIP_CLASS.search(attrs)))


def _mark_text(
    text: str,
    pattern: re.Pattern[str],
    by_form: dict[str, Term],
    used: list[Term],
    href: Callable[[Term], str],
    id_prefix: str,
) -> str:
    def replace(m: re.Match) -> str:
        term = by_form[m.group(1).lower()]
        if term in used:
            return m.group(0)
        used.append(term)
        tip_id = f"{id_prefix}-{len(used)}"
        return (
            f'<span class="ts-term"><a class="ts-term__link" href="{escape(href(term))}" '
            f'aria-describedby="{tip_id}">{m.group(0)}</a>'
            f'<span class="ts-term__tip" role="tooltip" id="{tip_id}"><strong>{escape(term.term)}</strong>: '
            f"{escape(term.definition)}</span></span>"
        )

    return pattern.sub(replace, text)
