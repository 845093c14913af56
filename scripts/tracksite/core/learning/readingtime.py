"""How long a lesson takes to read, estimated from what a learner actually reads.

Instructors write `time.read`; `tracksite check` compares it with this estimate, and the
scaffold and importers fill it in from it. Only prose counts (the lines `markdown/prose.prose_lines`
keeps: no code blocks, no widget data such as quiz or flashcard YAML, no instructor notes; exercises are left out too, their minutes belong to `time.practice`), and
a formula takes longer than its characters suggest, so each one adds a fixed number of seconds
instead of being counted as words (its TeX would count `\\mathrm`, `frac` and every subscript).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tracksite.core import widgetregistry
from tracksite.core.markdown.prose import DATA_BLOCKS, DISPLAY_MATH, INLINE_MATH, prose_text
from tracksite.core.memo import memo

WORDS_PER_MINUTE = 200
SECONDS_PER_DISPLAY_FORMULA = 20  # a `$$ ... $$` block: read, then read again against the prose
SECONDS_PER_INLINE_FORMULA = 4  # `$d_k$`, `$\sqrt{d_k}$`: a symbol or a short expression

PRACTICE_BLOCKS = frozenset(DATA_BLOCKS | widgetregistry.PRACTICE)
WORD = re.compile(r"[A-Za-z0-9']+")


@dataclass(frozen=True)
class ReadingEstimate:
    """Words of prose and formulas of a body, and the minutes they take."""

    words: int
    display_formulas: int
    inline_formulas: int

    @property
    def minutes(self) -> float:
        seconds = (
            self.display_formulas * SECONDS_PER_DISPLAY_FORMULA + self.inline_formulas * SECONDS_PER_INLINE_FORMULA
        )
        return self.words / WORDS_PER_MINUTE + seconds / 60

    def describe(self) -> str:
        """How the estimate was made, for a warning an instructor can act on."""
        parts = [f"{self.words} words of prose at {WORDS_PER_MINUTE} a minute"]
        formulas = self.display_formulas + self.inline_formulas
        if formulas:
            parts.append(
                f"{formulas} formulas ({self.display_formulas} displayed at "
                f"{SECONDS_PER_DISPLAY_FORMULA} s, {self.inline_formulas} inline at "
                f"{SECONDS_PER_INLINE_FORMULA} s)"
            )
        return " + ".join(parts) + f" ≈ {self.minutes:.1f} min"


def estimate(body: str, first_line: int = 1) -> ReadingEstimate:
    """The reading estimate of a Markdown body (front-matter already removed), remembered per
    text across `mkdocs serve` rebuilds. `first_line`: the file line the body starts on, as the
    checks parse its blocks (the same parse; the estimate does not depend on it)."""
    return memo(("reading", body), lambda: _estimate(body, first_line))


def _estimate(body: str, first_line: int) -> ReadingEstimate:
    text = prose_text(body, first_line, PRACTICE_BLOCKS)[1]
    display = DISPLAY_MATH.findall(text)
    text = DISPLAY_MATH.sub(" ", text)
    inline = INLINE_MATH.findall(text)
    text = INLINE_MATH.sub(" ", text)
    return ReadingEstimate(_words(text), len(display), len(inline))


# every byte that is not a character of WORD, as a space: the runs left between spaces are words
_WORD_BYTES = bytes(c if re.fullmatch(WORD, chr(c)) else 32 for c in range(256))


def _words(text: str) -> int:
    """How many words WORD finds, counted without making each one a string when the text is
    ASCII (a third of the time)."""
    if text.isascii():
        return len(text.encode("ascii").translate(_WORD_BYTES).split())
    return len(WORD.findall(text))


def reading_minutes(body: str) -> int:
    """Whole minutes for `time.read`: the estimate rounded, at least 1."""
    return max(1, round(estimate(body).minutes))
