"""TeX written with `pymdownx.arithmatex` turned into MathML while the site is built.

Browsers render MathML natively, so a lesson with formulas costs no math library download and
makes no request to a CDN; the TeX source stays in an annotation for copy and screen readers.
"""
from __future__ import annotations

import html
import re

from latex2mathml.converter import convert

_INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)


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
