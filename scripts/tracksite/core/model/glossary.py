"""A course's glossary as data: its terms and the lessons each is used in.

The model's `Project` holds one; the reading of glossary.yml and the checks of its terms live in
tracksite.core.learning.glossary, which uses the project, so the data sits here, below both.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.core.model.shapes import TermFields

GLOSSARY_ANCHOR = "term-"  # a term's id on the track's glossary page (`Term.anchor`), as `glossary:` links name it


@functools.lru_cache(maxsize=8192)
def term_slug(term: str) -> str:
    """A term as its anchor (after `term-`) and its `glossary:` link name it: `Pull request` -> `pull-request`.
    Remembered: every save under `mkdocs serve` asks for the anchor of every term of the course
    for every lesson that uses it (core/site/fingerprints.py)."""
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


@dataclass(frozen=True, kw_only=True)
class Term(TermFields):
    """A term as glossary.yml writes it (TermFields, from the schema), with its track and file.
    The loader gives `lesson` and `introduced` as "track/slug" (tracksite.core.learning.glossary)."""

    track: str
    path: Path

    @property
    def anchor(self) -> str:
        return GLOSSARY_ANCHOR + term_slug(self.term)

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass
class Glossary:
    """Every track's terms, and (after `find_uses`) the lessons each term is used in."""

    terms: list[Term] = field(default_factory=list)
    used_in: dict[Term, list[str]] = field(default_factory=dict)  # lesson keys, in course order
    _matchers: dict[str, tuple] = field(default_factory=dict, repr=False)

    _by_track: dict[str, list[Term]] | None = field(default=None, repr=False, compare=False)

    def of_track(self, track: str) -> list[Term]:
        """The track's terms in alphabetical order; the terms sorted by track once (as `matcher`
        keeps its patterns, the terms are taken as loaded): asked per track and per page, each
        call sorted every term of the course."""
        if self._by_track is None:
            self._by_track = {}
            for t in sorted(self.terms, key=lambda t: t.term.lower()):
                self._by_track.setdefault(t.track, []).append(t)
        return list(self._by_track.get(track, ()))

    def matcher(self, track: str) -> tuple[re.Pattern[str] | None, dict[str, Term]]:
        """A regex for the forms of this track's terms (group 1 is the form, an -s or -es plural
        is allowed after it) and a lookup from lower-cased form to term. Longest forms first,
        so "feature map" wins over "feature"."""
        if track not in self._matchers:
            by_form = {form.lower(): t for t in self.of_track(track) for form in t.forms}
            pattern = None
            if by_form:
                alternatives = "|".join(re.escape(f) for f in sorted(by_form, key=len, reverse=True))
                # the lookahead of first letters lets the scan skip, fast, where no form starts
                first = re.escape("".join(sorted({c for f in by_form for c in (f[0].lower(), f[0].upper())})))
                pattern = re.compile(rf"(?=[{first}])(?<![\w-])({alternatives})(?:e?s)?(?![\w-])", re.I)
            self._matchers[track] = (pattern, by_form)
        return self._matchers[track]
