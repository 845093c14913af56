"""Issue 83: a formula's accessible name is speech, never a TeX macro's name. "\\mathcal{L}" was
said "mathcal L" (the reader said a command it did not know by its name); every formula of the
bundled course is now read without falling back to a command's name."""

from __future__ import annotations

import re

import pytest

from support.course import REPO
from tracksite.core.markdown import texspeech


@pytest.mark.parametrize(
    "tex, said",
    [
        (r"\mathcal{L} = -\log p", "script L equals minus log p"),
        (r"\mathcal L", "script L"),
        (r"\mathbb{R}^d", "double-struck R to the power d"),
        (r"\boldsymbol{x}", "bold x"),
        (r"\binom{n}{k}", "n choose k"),
        (r"\ell_2", "ell sub 2"),
    ],
)
def test_a_typeface_or_binomial_is_said_in_words(tex, said):
    assert texspeech.speak(tex) == said


def test_every_formula_of_the_course_is_read_without_a_command_name(monkeypatch):
    unknown: list[tuple[str, str]] = []
    original = texspeech._Reader.unknown

    def record(self, token):
        unknown.append((token, self.tokens and "".join(self.tokens)))
        return original(self, token)

    monkeypatch.setattr(texspeech._Reader, "unknown", record)
    formulas = 0
    for path in sorted((REPO / "lessons").rglob("*.md")):
        for match in re.finditer(r"\$\$(.+?)\$\$|\$(.+?)\$", path.read_text(encoding="utf-8"), re.S):
            texspeech.speak(match.group(1) or match.group(2))
            formulas += 1
    assert formulas > 100, formulas
    assert unknown == [], unknown
