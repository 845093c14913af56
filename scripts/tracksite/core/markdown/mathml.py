"""TeX written with `pymdownx.arithmatex` turned into MathML while the site is built.

Browsers render MathML natively, so a lesson with formulas costs no math library download and
makes no request to a CDN. A formula's accessible name (`aria-label`, and `alttext` for the
readers that take it) is the formula in words (`core/markdown/texspeech.py`), not its TeX; a number
written with digit groups (`4{,}096`) is one number, "4,096", not "4", ",", "096".
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from latex2mathml.converter import convert
from markupsafe import Markup

from tracksite.core.markdown.tex import TEXT_MATH, why_not
from tracksite.core.markdown.texspeech import speak

_INLINE = re.compile(r'<span class="arithmatex">\\\((.*?)\\\)</span>', re.S)
_BLOCK = re.compile(r'<div class="arithmatex">\\\[(.*?)\\\]</div>', re.S)
# A bare one-letter symbol with a subscript (d_k, W_q, x_1, d_model, d_ff) written without the
# dollars: math too, so that it never reaches the learner as raw TeX. Names with more than one
# letter before the underscore (max_tokens) are left alone: they are code or words, not symbols.
# `4{,}096`: TeX's way to write a thousands separator without the space a list's comma gets
_GROUPED = re.compile(r"\d{1,3}(?:\{,\}\d{3})+(?:\.\d+)?(?![\d{])")
_MARK = "tsdigitgroup"
_BARE_SUBSCRIPT = re.compile(r"(?<![\w$\\])([A-Za-z])_([A-Za-z0-9]+)(?![\w])")


def _bare_tex(base: str, sub: str) -> str:
    """d_k stays d_k; a word subscript is upright text (d_model), digits are a number (x_12)."""
    if len(sub) == 1:
        return f"{base}_{sub}"
    if sub.isdigit():
        return f"{base}_{{{sub}}}"
    return f"{base}_{{\\text{{{sub}}}}}"


def _mathml(tex: str, display: str) -> str:
    source = html.unescape(tex).strip()
    if why_not(source):  # refused by `check` in a page (core/markdown/tex.py); a glossary entry may still hold one
        return f'<code class="ts-math-error" title="Formula could not be rendered">{html.escape(source)}</code>'
    rendered = typeset(_grouped_numbers(source, lambda tex: convert(tex, display=display)))
    name = html.escape(speak(source), quote=True)
    return rendered.replace("<math ", f'<math alttext="{name}" aria-label="{name}" ', 1)


#: TeX's function names (`\\cos`, `\\ln`): latex2mathml writes each as an `<mi>`, which a browser
#: sets against what follows ("cos1", "lnp"), where TeX puts a thin space.
FUNCTIONS = frozenset(
    "arccos arcsin arctan arg cos cosh cot coth csc deg det dim exp gcd hom inf ker lg lim ln log "
    "Pr sec sin sinh sup tan tanh".split()
)
_FUNCTION = re.compile(r"<mi>(?:" + "|".join(sorted(FUNCTIONS)) + r")</mi>")
_SCRIPTED = re.compile(r"<(msup|msub|msubsup)>$")
_THIN = '<mspace width="0.1667em"></mspace>'
#: a prime written `W'`: latex2mathml raises the prime as a superscript, though its glyph is raised
#: already, so it floated away from its letter; on the baseline it sits against it
_PRIME = re.compile(r"<msup>(<m[in]>[^<]*</m[in]>)<mi>(&#x0203[234];)</mi></msup>")


def typeset(mathml: str) -> str:
    """latex2mathml's MathML as TeX sets it: a thin space after a function name before what it
    applies to (not before a bracket: `\\cos(x)`), a function's power kept with it (`\\sin^2 x`),
    and a prime on its letter's baseline."""
    mathml = _PRIME.sub(r'<mrow>\1<mo lspace="0" rspace="0">\2</mo></mrow>', mathml)
    for m in reversed(list(_FUNCTION.finditer(mathml))):
        end = m.end()
        scripted = _SCRIPTED.search(mathml, 0, m.start())
        if scripted:  # the name is the base of `<msup>`: the space goes after the whole element
            end = _closing(mathml, scripted.group(1), m.start())
        after = mathml[end:]
        if end < 0 or after.startswith(("<mo", "<mrow><mo", "</")):
            continue
        mathml = mathml[:end] + _THIN + mathml[end:]
    return mathml


def _closing(mathml: str, tag: str, at: int) -> int:
    """Where the `<tag>` element open at `at` ends (after its closing tag), -1 if it does not."""
    depth = 1
    for m in re.compile(rf"<(/?){tag}>").finditer(mathml, at):
        depth += -1 if m.group(1) else 1
        if depth == 0:
            return m.end()
    return -1


def _grouped_numbers(source: str, render: Callable[[str], str]) -> str:
    """latex2mathml reads `4{,}096` as a number, a comma and a number (and `1{,}024^2` squares
    only the 024): each grouped number is rendered as a placeholder text (one element, which a
    script or a power applies to whole) and then put back as one `<mn>4,096</mn>`."""
    groups: list[str] = []

    def mark(m: re.Match[str]) -> str:
        groups.append(m.group())
        return f"\\text{{{_MARK}{len(groups) - 1}}}"

    marked = _GROUPED.sub(mark, source)
    if not groups:
        return render(source)
    rendered = render(marked)
    return re.sub(
        rf"<mtext>{_MARK}(\d+)</mtext>", lambda m: f"<mn>{groups[int(m.group(1))].replace('{,}', ',')}</mn>", rendered
    )


def render_math(content: str) -> str:
    """Replace arithmatex's generic output in a page's HTML with MathML."""
    if "arithmatex" not in content:
        return content
    content = _BLOCK.sub(lambda m: f'<div class="ts-math">{_mathml(m.group(1), "block")}</div>', content)
    return _INLINE.sub(lambda m: _mathml(m.group(1), "inline"), content)


def split_math(text: str) -> list[tuple[str, bool]]:
    """A plain string cut into (text, is_math) pieces: `$...$` and bare `d_k` symbols are math
    (TeX), the rest is text with `\\$` read as a dollar sign. Shared by front-matter strings
    (render_text) and the widgets' texts (quiz options, flashcards), so both read math alike."""
    pieces: list[tuple[str, bool]] = []

    def plain(part: str) -> None:
        last = 0
        for m in _BARE_SUBSCRIPT.finditer(part):
            pieces.append((part[last : m.start()].replace("\\$", "$"), False))
            pieces.append((_bare_tex(m.group(1), m.group(2)), True))
            last = m.end()
        pieces.append((part[last:].replace("\\$", "$"), False))

    last = 0
    for m in TEXT_MATH.finditer(text):
        plain(text[last : m.start()])
        pieces.append((m.group(1), True))
        last = m.end()
    plain(text[last:])
    return [(t, is_math) for t, is_math in pieces if t]


_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
_ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~])")  # Markdown's backslash escapes (`\$` is split_math's)


def render_text(text: str) -> Markup:
    """A front-matter string as HTML: `$...$` becomes inline MathML, a code span `<code>`, a
    Markdown backslash escape (`\\+`) its character, everything else is escaped.

    Objectives, questions and key points are plain strings (never Markdown), but an instructor
    writes `$d_k$` there as in the lesson body; without this the learner would read raw TeX. A
    bare `d_k` or `d_model` (one letter, an underscore, a subscript) is taken as a symbol too.
    `\\$` stands for a literal dollar sign. Code spans and escapes are read because lessons
    imported from other formats write key points as Markdown (`git init`, `\\+`): a learner
    should not read the backticks and backslashes.
    """
    parts, last = [], 0
    for m in _CODE_SPAN.finditer(text):
        parts.append(_plain_text(text[last : m.start()]))
        parts.append(f"<code>{html.escape(m.group(2).strip())}</code>")
        last = m.end()
    parts.append(_plain_text(text[last:]))
    return Markup("".join(parts))


def _plain_text(text: str) -> str:
    return "".join(
        _mathml(html.escape(t, quote=False), "inline") if is_math else html.escape(_ESCAPED.sub(r"\1", t))
        for t, is_math in split_math(text)
    )
