"""A formula's spoken form: the words a screen reader says for a TeX formula
(`d_{\\text{model}} = 4{,}096` is "d sub model equals 4,096").

Browsers give a `<math>` element its accessible name from `aria-label` (and some readers take
`alttext`); with the TeX there a learner heard backslashes and braces. No maintained Python
library speaks TeX (the speech engines work on MathML in JavaScript, and would be a download on
every page), so this reads the constructs the course uses: sub- and superscripts, fractions,
roots, `\\text`, Greek letters, the common operators and functions, digit groups. A command it
does not know is said by its name, without the backslash, so nothing is lost.
"""

from __future__ import annotations

import re

# a command, a grouped or decimal number, a word of three letters or more (`pos` is said as a
# word, `QK` as two symbols), spaces (which matter in \text only), any other character
_TOKEN = re.compile(r"\\[A-Za-z]+|\\.|\{,\}|\d+(?:\{,\}\d{3})*(?:\.\d+)?|[A-Za-z]{3,}|\s+|\S", re.S)

GREEK = (
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu nu xi pi "
    "rho sigma tau upsilon phi varphi chi psi omega Gamma Delta Theta Lambda Xi Pi Sigma Phi Psi Omega"
).split()

SYMBOLS = {
    "\\ell": "ell",
    "=": "equals",
    "+": "plus",
    "-": "minus",
    "/": "divided by",
    "<": "is less than",
    ">": "is greater than",
    "!": "factorial",
    "%": "percent",
    "'": "prime",
    "|": "vertical bar",
    "\\%": "percent",
    "\\times": "times",
    "\\cdot": "times",
    "\\div": "divided by",
    "\\pm": "plus or minus",
    "\\approx": "is approximately",
    "\\sim": "is about",
    "\\propto": "is proportional to",
    "\\ne": "is not equal to",
    "\\neq": "is not equal to",
    "\\le": "is at most",
    "\\leq": "is at most",
    "\\ge": "is at least",
    "\\geq": "is at least",
    "\\ll": "is much less than",
    "\\gg": "is much greater than",
    "\\mid": "given",
    "\\in": "in",
    "\\to": "to",
    "\\rightarrow": "to",
    "\\leftarrow": "gets",
    "\\infty": "infinity",
    "\\dots": "dot dot dot",
    "\\ldots": "dot dot dot",
    "\\cdots": "dot dot dot",
    "\\top": "transpose",
    "\\partial": "partial",
    "\\nabla": "gradient",
    "\\ln": "the natural log of",
    "\\log": "log",
    "\\exp": "exp",
    "\\sin": "sine",
    "\\cos": "cosine",
    "\\tan": "tangent",
    "\\tanh": "tanh",
    "\\max": "max",
    "\\min": "min",
    "\\arg": "arg",
    "\\sum": "the sum",
    "\\prod": "the product",
    "\\lVert": "the norm of",
    "\\rVert": "end norm",
    "\\lfloor": "the floor of",
    "\\rfloor": "end floor",
    "\\lceil": "the ceiling of",
    "\\rceil": "end ceiling",
    "\\{": "{",
    "\\}": "}",
    "&": ",",  # between a matrix's entries
    "\\\\": "; next row:",
}
# spacing and sizing: nothing to say
SILENT = {"\\,", "\\;", "\\:", "\\!", "\\ ", "\\quad", "\\qquad", "\\left", "\\right", "\\big", "\\Big", "\\bigg",
          "\\displaystyle", "{,}"}  # fmt: skip
TEXT = {"\\text", "\\mathrm", "\\textrm", "\\mathit", "\\mathbf", "\\mathsf", "\\operatorname", "\\textbf"}
#: A letter's typeface, said before it: `\\mathcal{L}` is "script L" (it was said "mathcal L").
FONTS = {"\\mathcal": "script", "\\mathscr": "script", "\\mathbb": "double-struck", "\\mathfrak": "fraktur",
         "\\boldsymbol": "bold", "\\bm": "bold"}  # fmt: skip
ACCENTS = {"\\hat": "hat", "\\bar": "bar", "\\tilde": "tilde", "\\vec": "vector", "\\dot": "dot"}
POWERS = {"2": "squared", "3": "cubed", "\\top": "transpose", "T": "transpose"}


class _Reader:
    """A recursive reader over the formula's tokens; each read returns the words said."""

    def __init__(self, tex: str) -> None:
        self.tokens = _TOKEN.findall(tex)
        self.at = 0

    def peek(self, *, spaces: bool = False) -> str | None:
        """The next token; spaces only when asked (they matter in text, not in maths)."""
        while not spaces and self.at < len(self.tokens) and self.tokens[self.at].isspace():
            self.at += 1
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self, *, spaces: bool = False) -> str | None:
        token = self.peek(spaces=spaces)
        self.at += token is not None
        return token

    def sequence(self, until: str | None = None) -> list[str]:
        words: list[str] = []
        while (token := self.peek()) is not None and token != until:
            words += self.scripted()
        self.take()  # the closing brace, when there is one
        return words

    def argument(self) -> list[str]:
        token = self.take()
        if token is None:
            return []
        if token == "{":
            return self.sequence("}")
        return self.atom(token)

    def raw_argument(self) -> str:
        """A `\\text{...}` argument as written: its words, not its letters one by one."""
        if self.peek() != "{":
            return self.take() or ""
        self.take()
        depth, parts = 1, []
        while (token := self.take(spaces=True)) is not None:
            depth += (token == "{") - (token == "}")
            if depth == 0:
                break
            parts.append(" " if token == "\\_" else token[1:] if len(token) == 2 and token[0] == "\\" else token)
        return re.sub(r"\s+", " ", "".join(p for p in parts if p not in "{}")).strip()

    def scripted(self) -> list[str]:
        """An atom with its sub- and superscripts."""
        token = self.take()
        assert token is not None
        words = self.atom(token)
        while self.peek() in ("_", "^"):
            mark = self.take()
            script = self.argument()
            if mark == "_":
                words += ["sub", *script, *(["end sub"] if len(script) > 1 else [])]
            else:
                words += _power(script)
        return words

    def big_operator(self, name: str) -> list[str]:
        """`\\sum_{i=1}^{n}`: the sum from i equals 1 to n of."""
        words, limits = [name], {}
        while self.peek() in ("_", "^"):
            mark = self.take()
            limits[mark] = self.argument()
        if "_" in limits:
            words += ["from", *limits["_"]]
        if "^" in limits:
            words += ["to", *limits["^"]]
        return [*words, "of"]

    def atom(self, token: str) -> list[str]:
        if token == "{":
            return self.sequence("}")
        if token in SILENT or token == "}":
            return []
        if token in TEXT:
            return [self.raw_argument()]
        if token in FONTS:
            return [FONTS[token], *self.argument()]
        if token == "\\binom":  # \binom{n}{k}: n choose k
            top = self.argument()
            return [*top, "choose", *self.argument()]
        if token in ("\\frac", "\\dfrac", "\\tfrac"):
            return _fraction(self.argument(), self.argument())
        if token == "\\sqrt":
            index = None
            if self.peek() == "[":
                self.take()
                index = self.sequence("]")
            inner = self.argument()
            if not index or index == ["2"]:
                return ["the square root of", *inner]
            return ["the cube root of", *inner] if index == ["3"] else ["the", *index, "-th root of", *inner]
        if token in ("\\sum", "\\prod"):
            return self.big_operator(SYMBOLS[token])
        if token in ("\\begin", "\\end"):  # \begin{pmatrix} a & b \\ c & d \end{pmatrix}
            kind = self.raw_argument()
            kind = "matrix" if kind.endswith("matrix") else kind
            return [f"the {kind}:"] if token == "\\begin" else [f"; end {kind}"]
        if token in ACCENTS:
            return [*self.argument(), ACCENTS[token]]
        if token in SYMBOLS:
            return [SYMBOLS[token]]
        if token[1:] in GREEK:
            return [token[1:].replace("var", "")]
        if token.startswith("\\"):
            return self.unknown(token)
        return [token.replace("{,}", ",")]

    def unknown(self, token: str) -> list[str]:
        """A command this reader does not know, said by its name (nothing is lost, but a learner
        hears a macro's name: tests/core/test_formula_speech.py keeps the course free of them)."""
        return [token[1:]]


def _power(exponent: list[str]) -> list[str]:
    if exponent in (["transpose"], ["prime"]):
        return exponent
    if len(exponent) == 1 and exponent[0] in POWERS:
        return [POWERS[exponent[0]]]
    return ["to the power", *exponent, *(["end power"] if len(exponent) > 1 else [])]


def _fraction(top: list[str], bottom: list[str]) -> list[str]:
    if len(top) <= 1 and len(bottom) <= 1:
        return [*top, "over", *bottom]
    return ["the fraction", *top, "over", *bottom, "end fraction"]


def speak(tex: str) -> str:
    """The formula in words, for its accessible name; the TeX itself when there is nothing to say."""
    words = _Reader(tex).sequence()
    spoken = " ".join(w for w in words if w)
    spoken = re.sub(r"\s+", " ", spoken).strip()
    spoken = spoken.replace(" -th", "th")
    spoken = re.sub(r" ([,;.)\]])", r"\1", spoken)
    spoken = re.sub(r"([(\[]) ", r"\1", spoken)
    return spoken or tex
