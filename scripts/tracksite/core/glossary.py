"""Glossaries: each track defines its terms once, in `lessons/<track>/glossary.yml`.

A term has a short definition, optional aliases and the lesson that teaches it. The same source
feeds the tooltips on first use (`termlinks`), the track's glossary page and the checks: a term
used in a lesson before the lesson that teaches it, a term never used, and a term two tracks
define differently. Uses are found in prose only (not code, not widget data), the way a learner
meets them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from tracksite.core import schema
from tracksite.core.schema import REF_RE, Field, ListOf, Mapping, Text

FILE_NAME = "glossary.yml"

TERM = Mapping(
    help="One glossary term.",
    name="term",
    fields=(
        Field("term", Text(help="The term as learners read it, e.g. `Attention weight`.", max_length=80), required=True,
              example="term: Attention weight"),
        Field("definition", Text(help="One or two sentences, shown in the tooltip and on the glossary page.",
                                 max_length=400), required=True, example="definition: How much one token draws on another."),
        Field("aliases", ListOf(item=Text(max_length=80), help="Other spellings or forms that also count as a use.")),
        Field("lesson", Text(help="The lesson that teaches the term: a slug of this track, or track/slug.",
                             pattern=REF_RE, pattern_help="a lesson slug or track/slug"), required=True,
              example="lesson: attention-and-transformers"),
    ),
)

GLOSSARY = Mapping(
    help="lessons/<track>/glossary.yml: the track's terms, each defined once.",
    name="glossary.yml",
    fields=(Field("terms", ListOf(item=TERM, min_items=1, help="The terms, in any order (the page sorts them)."),
                  required=True),),
)


@dataclass(frozen=True)
class Term:
    track: str
    term: str
    definition: str
    aliases: tuple[str, ...]
    lesson: str  # "track/slug"
    line: int | None
    path: Path

    @property
    def anchor(self) -> str:
        return "term-" + re.sub(r"[^a-z0-9]+", "-", self.term.lower()).strip("-")

    @property
    def forms(self) -> tuple[str, ...]:
        return (self.term, *self.aliases)


@dataclass
class Glossary:
    """Every track's terms; `pattern` matches any form of any term, longest first."""

    terms: list[Term] = field(default_factory=list)

    def of_track(self, track: str) -> list[Term]:
        return sorted((t for t in self.terms if t.track == track), key=lambda t: t.term.lower())

    def matcher(self, track: str) -> tuple[re.Pattern[str] | None, dict[str, Term]]:
        """A regex for the forms of this track's terms and a lookup from lower-cased form to term."""
        by_form = {form.lower(): t for t in self.of_track(track) for form in t.forms}
        if not by_form:
            return None, by_form
        alternatives = "|".join(re.escape(f) for f in sorted(by_form, key=len, reverse=True))
        return re.compile(rf"(?<![\w-])({alternatives})(?![\w-])", re.I), by_form


def terms_from(track: str, path: Path, located) -> list[Term]:
    """The terms of a validated glossary document (`located` is a yamlsafe.Located)."""
    out = []
    for i, item in enumerate(located.value.get("terms") or []):
        lesson = str(item["lesson"])
        out.append(Term(track=track, term=str(item["term"]).strip(), definition=str(item["definition"]).strip(),
                        aliases=tuple(str(a).strip() for a in item.get("aliases") or ()),
                        lesson=lesson if "/" in lesson else f"{track}/{lesson}",
                        line=located.line("terms", i), path=path))
    return out


def validate(located) -> list[tuple[int | None, str, str, str | None]]:
    return schema.validate(GLOSSARY, located)


_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_BLOCK = re.compile(r"^\s*/{3,}\s*([\w-]+)?")
DATA_BLOCKS = {"quiz", "flashcards", "attention", "attention-steps", "instructor"}


def prose_lines(body: str, first_line: int, skip: frozenset[str] | set[str] = DATA_BLOCKS) -> list[tuple[int, str]]:
    """The lines a learner reads as prose: no code fences, no inline code, and nothing inside
    the blocks named in `skip` (widget data and instructor notes by default)."""
    out: list[tuple[int, str]] = []
    fence: str | None = None
    data_depth = 0
    for number, line in enumerate(body.splitlines(), first_line):
        m = _FENCE.match(line)
        if fence is not None:
            if m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
                fence = None
            continue
        if m:
            fence = m.group(1)
            continue
        b = _BLOCK.match(line)
        if b:
            data_depth = 1 if (b.group(1) or "") in skip else 0
            continue
        if data_depth:
            continue
        out.append((number, re.sub(r"`[^`]*`|\]\([^)]*\)|<[^>]+>", " ", line)))
    return out


def first_uses(glossary: Glossary, track: str, body: str, first_line: int) -> dict[Term, int]:
    """Each term of `track` used in `body`, with the line of its first use."""
    pattern, by_form = glossary.matcher(track)
    found: dict[Term, int] = {}
    if pattern is None:
        return found
    for number, text in prose_lines(body, first_line):
        for m in pattern.finditer(text):
            term = by_form[m.group(1).lower()]
            found.setdefault(term, number)
    return found


def conflicts(glossary: Glossary) -> list[tuple[Term, Term]]:
    """Pairs of terms with one name in two tracks and different definitions."""
    seen: dict[str, Term] = {}
    out = []
    for t in glossary.terms:
        other = seen.get(t.term.lower())
        if other is not None and other.track != t.track and _norm(other.definition) != _norm(t.definition):
            out.append((other, t))
        seen.setdefault(t.term.lower(), t)
    return out


def _norm(text: str) -> str:
    return " ".join(text.lower().split()).rstrip(".")
