"""TeX written with `pymdownx.arithmatex` turned into MathML while the site is built.

Browsers render MathML natively, so a lesson with formulas costs no math library download and
makes no request to a CDN; the TeX source stays in an annotation for copy and screen readers.
"""
from __future__ import annotations

import html
import re

from latex2mathml.converter import convert
from markupsafe import Markup

_INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)
# `$...$` in a front-matter string (an objective, a key point): a dollar sign not escaped with a
# backslash, then at least one character that is not a dollar, then the closing dollar.
_TEXT_MATH = re.compile(r'(?<!\\)\$([^$\n]+?)(?<!\\)\$')
# A bare one-letter symbol with a one-character subscript (d_k, W_q, x_1) written without the
# dollars: math too, so that it never reaches the learner as raw TeX. Longer names with an
# underscore (max_tokens) are left alone: they are code or words, not symbols.
_BARE_SUBSCRIPT = re.compile(r'(?<![\w$\\])([A-Za-z])_([A-Za-z0-9])(?![\w])')


def _mathml(tex: str, display: str) -> str:
    source = html.unescape(tex).strip()
    try:
        rendered = convert(source, display=display)
    except Exception:  # latex2mathml raises many exception types on unsupported TeX
        return f'<code class="ts-math-error" title="Formula could not be rendered">{html.escape(source)}</code>'
    return rendered.replace("<math ", f'<math aria-label="{html.escape(source, quote=True)}" ', 1)


def render_math(content: str) -> str:
    """Replace arithmatex's generic output in a page's HTML with MathML."""
    if "arithmatex" not in content:
        return content
    content = _BLOCK.sub(lambda m: f'<div class="ts-math">{_mathml(m.group(1), "block")}</div>', content)
    return _INLINE.sub(lambda m: _mathml(m.group(1), "inline"), content)


def render_text(text: str) -> Markup:
    """A front-matter string as HTML: `$...$` becomes inline MathML, everything else is escaped.

    Objectives, questions and key points are plain strings (never Markdown), but an instructor
    writes `$d_k$` there as in the lesson body; without this the learner would read raw TeX. A
    bare `d_k` (one letter, underscore, one character) is taken as the same symbol.
    `\\$` stands for a literal dollar sign.
    """
    out, last = [], 0
    for m in _TEXT_MATH.finditer(text):
        out.append(_plain(text[last:m.start()]))
        out.append(_mathml(html.escape(m.group(1), quote=False), "inline"))
        last = m.end()
    out.append(_plain(text[last:]))
    return Markup("".join(out))


def _plain(text: str) -> str:
    """Text outside `$...$`: escaped, with `\\$` as a dollar and bare `d_k` symbols as math."""
    out, last = [], 0
    for m in _BARE_SUBSCRIPT.finditer(text):
        out.append(html.escape(text[last:m.start()].replace("\\$", "$")))
        out.append(_mathml(f"{m.group(1)}_{m.group(2)}", "inline"))
        last = m.end()
    out.append(html.escape(text[last:].replace("\\$", "$")))
    return "".join(out)
